# cca-emu sample realm guests: build rules shared by every images/realm-NAME/Makefile.
# The including Makefile sets NAME and SRCS, then includes this file. Realm
# guests take their entry, console, RSI and PSCI from realm-common/ and only the
# vector tables and the string/format functions from common/ (never its PL011
# or semihosting, which a realm does not have).
RUNTIME := ../realm-common
RUNTIME_SRCS := start.S realm.c fdt.c gic.c
COMMON_SRCS := vectors.S libc.c
LINK_SCRIPT := ../realm-common/link.ld
include ../common/image.mk

# A change of these rules rebuilds the objects too
$(OBJS): $(RUNTIME)/realm.mk
