#!/usr/bin/env python3
"""Independent Python models of the bench kernels' final checksums.

Each model recomputes, from the same generator (xorshift32) and the same
data flow, the value a bench prints, using different code: Python's sorted()
instead of quicksort/heapsort/merge sort, zlib.crc32 and a table CRC-32C,
hashlib.sha256, plain list-comprehension matrix products. The results are
compared with the EXPECTED_FULL / EXPECTED_QUICK constants in
images/bench-*/bench.c. bench-fsm has no model here: its three-way check
(generator tallies vs. DFA vs. switch scanner) is internal to the image.

Usage: python3 images/common/host/models.py   (or make -C images model-check)
"""
import hashlib
import os
import re
import struct
import sys
import zlib

M = 0xFFFFFFFF
HERE = os.path.dirname(os.path.abspath(__file__))
IMAGES = os.path.normpath(os.path.join(HERE, "..", ".."))


def xs32(s):
    s ^= (s << 13) & M
    s ^= s >> 17
    s ^= (s << 5) & M
    return s


def rotl(x, r):
    return ((x << r) | (x >> (32 - r))) & M


def mix32(h, v):
    h ^= v
    h = (h * 0x9E3779B1) & M
    return (rotl(h, 13) + 0x7F4A7C15) & M


_T32C = []
for _i in range(256):
    _c = _i
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _T32C.append(_c)


def crc32c(data):
    c = M
    for x in data:
        c = (c >> 8) ^ _T32C[(c ^ x) & 0xFF]
    return c ^ M


def list_model(iters, nodes=4096):
    seed, h = 0x1234567, 0
    for it in range(iters):
        n = nodes - (it % 7) * 13
        keys = []
        for _ in range(n):
            seed = xs32(seed)
            keys.append(seed & 0xFFFF)
        walk = sum(k * (i + 1) for i, k in enumerate(keys)) & M
        order = sorted(range(n), key=lambda i: keys[i])  # stable
        c = 0
        for i in order:
            c = mix32(c, (keys[i] ^ (i << 16)) & M)
        k = n // 3 + it  # rotate, interleave, reverse, stable sort again
        if 0 < k < n:
            order = order[k:] + order[:k]
        order = order[0::2] + order[1::2][::-1]
        order = sorted(order[::-1], key=lambda i: keys[i])
        for i in order:
            c = mix32(c, i)
        h = mix32(mix32(h, walk), c)
    return "%08x" % h


def matrix_model(iters, n=64):
    seed = 0xC0FFEE11
    a = [[0] * n for _ in range(n)]
    b = [[0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            seed = xs32(seed)
            a[i][j] = seed
            seed = xs32(seed)
            b[i][j] = seed >> (i & 7)
    h = 0
    for it in range(iters):
        bt = list(zip(*b))
        c = [[sum(x * y for x, y in zip(a[i], bt[j])) & M for j in range(n)]
             for i in range(n)]
        for _ in range(n):  # the Freivalds vector consumes n values
            seed = xs32(seed)
        cs = 0
        for i in range(n):
            for j in range(n):
                x = c[i][j]
                cs = mix32(cs, x)
                a[i][j] = (x ^ (x >> 15) ^ ((i * 0x01000193 + j) & M)) & M
        r = it % n
        b[r] = [(rotl(b[r][j], 7) + cs) & M for j in range(n)]
        h = mix32(h, cs)
    return "%08x" % h


def crc_model(iters, size=8192):
    seed, buf = 0xDEC0DE42, bytearray()
    for _ in range(size + 16):
        seed = xs32(seed)
        buf.append(seed >> 24)
    h = 0
    for it in range(iters):
        off, ln = it % 8, size - (it * 5) % 16
        c1 = zlib.crc32(bytes(buf[off:off + ln]))
        c2 = crc32c(buf[off:off + ln])
        h = mix32(mix32(h, c1), c2)
        for k in range(64):
            buf[((c1 + k * 131) & M) % (size + 16)] ^= (c2 >> (k % 4 * 8)) & 0xFF
    return "%08x" % h


def sort_model(iters, n_max=8192):
    seed, h = 0xBADC0DE5, 0
    for it in range(iters):
        n, mode, a = n_max - (it % 5) * 3, it % 4, []
        for i in range(n):
            seed = xs32(seed)
            v = seed
            if mode == 1:
                v %= 97
            elif mode == 2:
                v = (i * 1000 + v % 4096) & M
            a.append(v)
        if mode == 3:
            a = [((n - i) ^ (a[i] & 0x3FF)) & M for i in range(n)]
        c = 0
        for v in sorted(a):
            c = mix32(c, v)
        h = mix32(h, c)
    return "%08x" % h


def sha256_model(iters, size=16384):
    seed, buf = 0x5A256A25, bytearray()
    for _ in range(size):
        seed = xs32(seed)
        buf.append(seed >> 24)
    d = (0,) * 8
    for it in range(iters):
        ln = size - it % 64
        d = struct.unpack(">8I", hashlib.sha256(bytes(buf[:ln])).digest())
        for i in range(32):
            buf[((d[i // 4 % 8] + i * 509) & M) % size] ^= (d[i % 8] >> (i % 4 * 8)) & 0xFF
    return "".join("%08x" % w for w in d)


def constants(name):
    src = open(os.path.join(IMAGES, "bench-" + name, "bench.c")).read()

    def num(macro):
        return int(re.search(r"#define %s (\d+)" % macro, src).group(1))

    def expected(macro):
        body = re.search(r"#define %s (.*)" % macro, src).group(1)
        return "".join("%08x" % int(w, 16) for w in re.findall(r"0x([0-9a-fA-F]+)", body))

    return [(num("FULL_ITERATIONS"), expected("EXPECTED_FULL")),
            (num("QUICK_ITERATIONS"), expected("EXPECTED_QUICK"))]


def main():
    assert zlib.crc32(b"123456789") == 0xCBF43926
    assert crc32c(b"123456789") == 0xE3069283
    models = [("list", list_model), ("matrix", matrix_model), ("crc", crc_model),
              ("sort", sort_model), ("sha256", sha256_model)]
    passed = failed = 0
    for name, model in models:
        for iters, want in constants(name):
            got = model(iters)
            ok = got == want
            passed += ok
            failed += not ok
            print("%s bench-%s ITERATIONS=%d: model %s, bench.c %s"
                  % ("ok  " if ok else "FAIL", name, iters, got, want))
    print("models: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
