#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_driver (tests/fuzz/corpus/).

Each seed follows the order in which fuzz_driver.c consumes its input:
header, QueueNumMax, [version, magic, device id], device features, status
behaviour, 32 config bytes, wanted features, queue size, then operations.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
VERSION_1 = 1 << 32
INDIRECT = 1 << 28
EVENT_IDX = 1 << 29


def seed(hdr=1, num_max=16, features=VERSION_1 | INDIRECT | EVENT_IDX,
         st=0, cfg=bytes(32), wanted=(1 << 64) - 1, size=8, ops=b"",
         extra=b""):
    return (struct.pack("<BH", hdr, num_max) + extra +
            struct.pack("<QB", features, st) + cfg +
            struct.pack("<QB", wanted, size) + ops)


def add(shape, *bufs):
    return bytes([0, shape]) + bytes(bufs)


KICK = bytes([2])
GET = bytes([6])


def complete(how, i, *rest):
    return bytes([3, how, i]) + b"".join(rest)


seeds = {
    "modern_roundtrip": seed(ops=add(0x09, 0x10, 0x20) + KICK +
                             complete(0, 0, b"\x04") + GET * 2),
    "legacy_roundtrip": seed(hdr=0, features=INDIRECT,
                             ops=add(0x09, 0x11, 0x21) + KICK +
                             complete(0, 0, b"\x04") + GET),
    "many_adds": seed(ops=(add(0x12, 1, 2, 3, 4) + KICK) * 8 +
                      complete(0, 3, b"\x01") + complete(0, 0, b"\x01") + GET * 4),
    "hostile_len": seed(ops=add(0x09, 0x10, 0x20) + KICK +
                        complete(1 | (4 << 1), 0, b"\x00\x00\x00\x00") + GET * 2),
    "hostile_id": seed(ops=add(0x09, 0x10, 0x20) + KICK +
                       bytes([4]) + struct.pack("<II", 77, 1) + GET * 2),
    "idx_jump": seed(ops=add(0x09, 0x10, 0x20) + KICK +
                     bytes([5]) + struct.pack("<H", 40) + GET),
    "reset_recover": seed(ops=add(0x09, 0x10, 0x20) + KICK + bytes([11]) +
                          add(0x09, 0x10, 0x20) + KICK +
                          complete(0, 0, b"\x02") + GET),
    "config_and_status": seed(st=0x20, ops=bytes([10, 3, 0, 10, 0x0c, 8, 9, 1]) +
                              add(0x08, 0x10) + KICK + GET),
    "event_idx": seed(ops=bytes([8, 1]) + struct.pack("<H", 5) +
                      (add(0x08, 0x10) + KICK) * 6 + bytes([9, 0]) +
                      complete(0, 0, b"\x01") + GET * 3),
    "big_queue": seed(hdr=0x11, num_max=0xffff, size=0,
                      ops=add(0x3f, *range(14)) + KICK + GET),
    "bad_magic": seed(hdr=0x41, extra=struct.pack("<I", 0x12345678)),
    "refuse_features_ok": seed(st=1),
}

os.makedirs(os.path.join(HERE, "corpus"), exist_ok=True)
for name, data in sorted(seeds.items()):
    with open(os.path.join(HERE, "corpus", name), "wb") as f:
        f.write(data)
