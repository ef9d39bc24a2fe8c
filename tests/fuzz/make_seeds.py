#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_driver (tests/fuzz/corpus/).

Each seed follows the order in which fuzz_driver.c consumes its input:
header, QueueNumMax, [version, magic, device id], device features, status
behaviour byte, [2 bytes of Status lies if its bit 3 is set], 32 config
bytes, wanted features, queue size, then operations (fuzz_driver.c, run()).
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

# fuzz_blk (fuzz_blk.c, run()): header, device features, 72 config bytes,
# then operations (op, sector u16, count u8, [device answers as consumed
# by fuzz_backend()]).
BLK_F = (1 << 2) | (1 << 6) | (1 << 9) | (1 << 13) | (1 << 14) | (1 << 28) | (1 << 29)


def blk_cfg(capacity=256, size_max=0, seg_max=8, blk_size=512,
            discard=(16, 2), zeroes=(8, 1)):
    c = bytearray(72)
    struct.pack_into("<QII", c, 0, capacity, size_max, seg_max)
    struct.pack_into("<I", c, 20, blk_size)
    struct.pack_into("<III", c, 36, discard[0], discard[1], 1)
    struct.pack_into("<II", c, 48, zeroes[0], zeroes[1])
    c[56] = 1
    return bytes(c)


def blk_seed(hdr=1, features=BLK_F | VERSION_1, cfg=None, ops=b""):
    return struct.pack("<BQ", hdr, features) + (cfg or blk_cfg()) + ops


def blk_op(op, sector=0, count=1, answers=b""):
    return struct.pack("<BHB", op, sector, count) + answers


HONEST = b"\x00"
blk_seeds = {
    "rw": blk_seed(ops=blk_op(1, 4, 8, HONEST) + blk_op(0, 4, 8, HONEST)),
    "legacy_rw": blk_seed(hdr=0, features=BLK_F,
                          ops=blk_op(1, 0, 16, HONEST) + blk_op(0, 0, 16, HONEST)),
    "flush_id": blk_seed(ops=blk_op(2, 0, 0, HONEST) + blk_op(5, 0, 0, HONEST)),
    "discard_zeroes": blk_seed(ops=blk_op(3, 8, 40, HONEST * 3) +
                               blk_op(4 | 0x80, 1, 10, HONEST * 2)),
    "async": blk_seed(ops=blk_op(6, 0, 1) + blk_op(6 | 0x10, 8, 2) +
                      blk_op(7 | 0x60, 0, 0) + blk_op(8, 0, 0, HONEST * 3)),
    "bad_len": blk_seed(ops=blk_op(0, 0, 4, b"\x05" + struct.pack("<I", 99999))),
    "bad_status": blk_seed(ops=blk_op(0, 0, 4, b"\x06\x07")),
    "timeout": blk_seed(ops=blk_op(0, 0, 4, b"\x07")),
    "hostile_used": blk_seed(ops=blk_op(1, 0, 4, b"\x08\x02\x00\x00\x00\x00")),
    "split": blk_seed(features=BLK_F | VERSION_1 | 2,
                      cfg=blk_cfg(size_max=1024, seg_max=3),
                      ops=blk_op(1, 0, 64, HONEST * 12) + blk_op(0, 0, 64, HONEST * 12)),
    "blk4k": blk_seed(cfg=blk_cfg(blk_size=4096),
                      ops=blk_op(1, 8, 16, HONEST * 2) + blk_op(0, 7, 1, HONEST)),
}

for folder, table in (("corpus", seeds), ("corpus-blk", blk_seeds)):
    os.makedirs(os.path.join(HERE, folder), exist_ok=True)
    for name, data in sorted(table.items()):
        with open(os.path.join(HERE, folder, name), "wb") as f:
            f.write(data)
