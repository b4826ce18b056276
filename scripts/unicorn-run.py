#!/usr/bin/env python3
"""Runs a cca-emu bare-metal benchmark ELF in unicorn (Debian python3-unicorn), for `cca-emu bench cpu`.

FVP-like map: RAM at 0x8000_0000, PL011 UART0 data register at 0x1C09_0000 (printed to stdout).
The benchmark images run with the MMU off when X0 = "NOMM" at entry (unicorn 2.0.1 takes a prefetch
abort as soon as SCTLR_EL1.M is set), so the same ELF runs here. HLT #0xF000 semihosting calls (SYS_WRITEC, SYS_WRITE0, SYS_WRITE, SYS_EXIT, SYS_EXIT_EXTENDED) are
served here; the exit status is the guest's. No per-instruction hooks: this measures unicorn itself.
"""
import struct
import sys

from unicorn import Uc, UcError, UC_ARCH_ARM64, UC_MODE_ARM, UC_HOOK_INTR
from unicorn.arm64_const import UC_ARM64_REG_PC, UC_ARM64_REG_X0, UC_ARM64_REG_X1, UC_CPU_ARM64_MAX

RAM_BASE, RAM_SIZE = 0x8000_0000, 256 << 20
UART_BASE = 0x1C09_0000
HLT_SEMIHOST = 0xD45E0000
ADP_STOPPED_APPLICATION_EXIT = 0x20026
BENCH_NO_MMU_REQUEST = 0x4E4F4D4D


def load(uc, path):
    data = open(path, "rb").read()
    if data[:4] != b"\x7fELF":
        sys.exit(f"{path}: not an ELF file")
    entry, phoff = struct.unpack_from("<QQ", data, 24)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    for i in range(phnum):
        p_type, _flags, off, _vaddr, paddr, filesz, memsz = struct.unpack_from("<IIQQQQQ", data, phoff + i * phentsize)
        if p_type == 1 and memsz:
            uc.mem_write(paddr, data[off:off + filesz] + b"\0" * (memsz - filesz))
    return entry


def main():
    uc = Uc(UC_ARCH_ARM64, UC_MODE_ARM)
    uc.ctl_set_cpu_model(UC_CPU_ARM64_MAX)
    uc.mem_map(RAM_BASE, RAM_SIZE)
    out = sys.stdout.buffer
    uc.mmio_map(UART_BASE, 0x1000, lambda uc, off, size, data: 0x90 if off == 0x18 else 0, None,
                lambda uc, off, size, value, data: out.write(bytes([value & 0xFF])) if off == 0 else None, None)
    entry = load(uc, sys.argv[1])
    status = {"code": None}

    def read_str(addr):
        s = bytearray()
        while True:
            b = uc.mem_read(addr + len(s), 1)[0]
            if b == 0:
                return bytes(s)
            s.append(b)

    def on_interrupt(uc, intno, _data):
        pc = uc.reg_read(UC_ARM64_REG_PC)
        if struct.unpack("<I", uc.mem_read(pc, 4))[0] != HLT_SEMIHOST:
            sys.stderr.write(f"unexpected exception {intno} at {pc:#x}\n")
            status["code"] = 3
            uc.emu_stop()
            return
        op, param = uc.reg_read(UC_ARM64_REG_X0) & 0xFFFFFFFF, uc.reg_read(UC_ARM64_REG_X1)
        if op == 0x03:
            out.write(bytes(uc.mem_read(param, 1)))
        elif op == 0x04:
            out.write(read_str(param))
        elif op == 0x05:
            _fd, ptr, length = struct.unpack("<QQQ", uc.mem_read(param, 24))
            out.write(bytes(uc.mem_read(ptr, length)))
            uc.reg_write(UC_ARM64_REG_X0, 0)
        elif op in (0x18, 0x20):
            reason, code = struct.unpack("<QQ", uc.mem_read(param, 16))
            status["code"] = (code & 0xFF) if reason == ADP_STOPPED_APPLICATION_EXIT else 1
            uc.emu_stop()
            return
        uc.reg_write(UC_ARM64_REG_PC, pc + 4)

    uc.hook_add(UC_HOOK_INTR, on_interrupt)
    uc.reg_write(UC_ARM64_REG_X0, BENCH_NO_MMU_REQUEST)
    try:
        uc.emu_start(entry, 0)
    except UcError as e:
        sys.exit(f"unicorn: {e} at {uc.reg_read(UC_ARM64_REG_PC):#x}")
    out.flush()
    sys.exit(3 if status["code"] is None else status["code"])


if __name__ == "__main__":
    main()
