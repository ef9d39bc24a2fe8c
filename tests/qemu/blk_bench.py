#!/usr/bin/python3
"""virtio-blk benchmark in QEMU: boots the self-test firmware with one blk
device whose serial is "bench" (the firmware then benchmarks it instead of
testing it, see firmware/selftest_blk_bench.c) on a scratch raw image, and
prints the firmware's BENCH lines as a table: sequential write and read
throughput with 1 and 8 requests in flight, 4 KiB and 64 KiB requests,
with and without VIRTIO_F_EVENT_IDX, and notifications (kicks) per request.

    tests/qemu/blk_bench.py --arch riscv64 \\
        --firmware build/tests/qemu/firmware-riscv64/selftest.elf

Numbers are software emulation (TCG) on this host: compare them with each
other, not with hardware. Exit status 0 only if every run completed.
"""

import argparse
import os
import re
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

BENCH_RE = re.compile(r"^BENCH blk (.*)$")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--arch", choices=sorted(harness.BOARDS), required=True)
    p.add_argument("--firmware", required=True)
    p.add_argument("--mode", choices=["legacy", "modern"], default="modern")
    p.add_argument("--qemu", help="QEMU binary (default: qemu-system-<arch>)")
    p.add_argument("--image-mib", type=int, default=64)
    p.add_argument("--timeout", type=float, default=300.0)
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args(argv)

    board = harness.BOARDS[args.arch]
    tmp = tempfile.mkdtemp(prefix="virtio-blk-bench-")
    try:
        image = os.path.join(tmp, "bench.img")
        with open(image, "wb") as f:  # allocated, not sparse
            chunk = b"\x5a" * (1024 * 1024)
            for _ in range(args.image_mib):
                f.write(chunk)
        cmd = [args.qemu or board["qemu"]] + board["args"] + harness.COMMON_ARGS
        cmd += ["-kernel", args.firmware]
        if args.mode == "modern":
            cmd += ["-global", "virtio-mmio.force-legacy=false"]
        cmd += ["-drive", "if=none,id=bench,format=raw,file=%s" % image,
                "-device", "virtio-blk-device,drive=bench,serial=bench,bus=virtio-mmio-bus.%d"
                % (board["slots"] - 1)]
        if args.verbose:
            print("blk_bench: " + " ".join(cmd))
        status, out, err, timed_out, secs = harness.run_bounded(cmd, args.timeout)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    runs, ok = {}, False
    for line in out.splitlines():
        line = line.rstrip("\r")
        if args.verbose or line.startswith("BENCH"):
            print(line)
        m = BENCH_RE.match(line)
        if m:
            kv = dict(harness.KV_RE.findall(m.group(1)))
            if "mib_s" in kv:
                key = (kv["event_idx"], kv["req_kib"], kv["depth"], kv["batch"], kv["op"])
                runs.setdefault(key, []).append(kv)
        if line == "BENCH-END ok":
            ok = True
    if runs:
        rounds = len(next(iter(runs.values())))
        print()
        print("%s %s, median of %d runs, polling (8 MiB per 4 KiB run, 64 MiB per 64 KiB run)"
              % (args.arch, args.mode, rounds))
        print("%-6s %7s %6s %6s %10s %9s %10s %13s"
              % ("op", "req", "depth", "batch", "event_idx", "MiB/s", "kicks/req",
                 "max inflight"))
        for key in sorted(runs, key=lambda k: (-int(k[0]), int(k[1]), int(k[2]), k[3],
                                                k[4] != "write")):
            rs = runs[key]
            mibs = sorted(float(r["mib_s"]) for r in rs)
            kicks = sorted(int(r["kicks_per_100req"]) for r in rs)
            r = rs[0]
            print("%-6s %5sKiB %6s %6s %10s %9.1f %10.2f %13s"
                  % (r["op"], r["req_kib"], r["depth"], r["batch"], r["event_idx"],
                     mibs[len(mibs) // 2], kicks[len(kicks) // 2] / 100.0,
                     max(int(x["max_inflight"]) for x in rs)))
    if timed_out or status != 0 or not ok:
        print("blk_bench: FAILED (exit %s%s)%s" % (status, ", timed out" if timed_out else "",
                                                   "\n" + err if err.strip() else ""))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
