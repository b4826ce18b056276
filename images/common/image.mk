# cca-emu sample images: build rules shared by every images/NAME/Makefile.
#
# The including Makefile sets NAME (image name) and SRCS (its own sources,
# relative to its folder), and may set IMAGE_ARCH (-march=..., default
# -march=armv8-a), IMAGE_CFLAGS, COMMON_EXTRA (extra sources from
# images/common/) and IMAGE_SIMD=1 (let the compiler use SIMD&FP registers).
# A family of images with its own runtime (the realm guests) sets RUNTIME
# (its folder), RUNTIME_SRCS, COMMON_SRCS (what it takes from common/) and
# LINK_SCRIPT: see realm-common/realm.mk.
# CFLAGS/LDFLAGS from the environment are not used, so the
# output does not depend on them.
#
# Variables:
#   CROSS=aarch64-linux-gnu-   toolchain prefix
#   O=DIR                      output folder (default: the image folder);
#                              objects go to $(O)/build
#   QUICK=1                    benches: small work count (-DBENCH_QUICK)
#   ITERATIONS=N               benches: explicit work count
#   EXTRA_CFLAGS=...           extra compiler flags (e.g. -DUART_BASE=...)
#
# Output is deterministic: no debug info, no build id, no .comment, and the
# source paths passed to the compiler are relative and fixed.

CROSS ?= aarch64-linux-gnu-
CC := $(CROSS)gcc
LD := $(CROSS)ld
O ?= .
COMMON := ../common
OBJDIR := $(O)/build
ELF := $(O)/$(NAME).elf

ARCH_FLAGS := $(or $(IMAGE_ARCH),-march=armv8-a)
LINK_SCRIPT ?= $(COMMON)/link.ld
RUNTIME_INCLUDE := $(if $(RUNTIME),-I$(RUNTIME))
IMG_CFLAGS := $(ARCH_FLAGS) $(if $(IMAGE_SIMD),,-mgeneral-regs-only) -mstrict-align -mcmodel=small \
	-mno-outline-atomics -mbranch-protection=none \
	-O2 -std=gnu11 -ffreestanding -fno-builtin -fno-common \
	-fno-pie -fno-pic -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-tree-loop-distribute-patterns \
	-ffunction-sections -fdata-sections \
	-Wall -Wextra $(RUNTIME_INCLUDE) -I$(COMMON) -MMD -MP $(IMAGE_CFLAGS)
IMG_ASFLAGS := $(ARCH_FLAGS) $(RUNTIME_INCLUDE) -I$(COMMON) -MMD -MP
IMG_LDFLAGS := -nostdlib -static --no-dynamic-linker -T $(LINK_SCRIPT) \
	--gc-sections --build-id=none -z noexecstack -z norelro -z max-page-size=4096 \
	--orphan-handling=error

ifdef QUICK
IMG_CFLAGS += -DBENCH_QUICK
endif
ifdef ITERATIONS
IMG_CFLAGS += -DITERATIONS=$(ITERATIONS)
endif
IMG_CFLAGS += $(EXTRA_CFLAGS)
IMG_ASFLAGS += $(EXTRA_CFLAGS)

COMMON_SRCS ?= start.S vectors.S libc.c mmu.c $(COMMON_EXTRA)
OBJS := $(addprefix $(OBJDIR)/runtime/,$(addsuffix .o,$(basename $(RUNTIME_SRCS)))) \
	$(addprefix $(OBJDIR)/common/,$(addsuffix .o,$(basename $(COMMON_SRCS)))) \
	$(addprefix $(OBJDIR)/,$(addsuffix .o,$(basename $(SRCS))))

.PHONY: all clean distclean disasm
all: $(ELF)

$(ELF): $(OBJS) $(LINK_SCRIPT)
	$(LD) $(IMG_LDFLAGS) -o $@ $(OBJS)

$(OBJDIR)/runtime/%.o: $(RUNTIME)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(IMG_CFLAGS) -c $< -o $@

$(OBJDIR)/runtime/%.o: $(RUNTIME)/%.S
	@mkdir -p $(dir $@)
	$(CC) $(IMG_ASFLAGS) -c $< -o $@

$(OBJDIR)/common/%.o: $(COMMON)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(IMG_CFLAGS) -c $< -o $@

$(OBJDIR)/common/%.o: $(COMMON)/%.S
	@mkdir -p $(dir $@)
	$(CC) $(IMG_ASFLAGS) -c $< -o $@

$(OBJDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(IMG_CFLAGS) -c $< -o $@

$(OBJDIR)/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(IMG_ASFLAGS) -c $< -o $@

# Objects depend on the Makefiles too, so a flag change rebuilds.
$(OBJS): Makefile $(COMMON)/image.mk

disasm: $(ELF)
	$(CROSS)objdump -d $(ELF)

clean:
	rm -rf $(OBJDIR)

distclean: clean
	rm -f $(ELF)

-include $(OBJS:.o=.d)
