#!/usr/bin/python3
"""An independent device implementation: the self-test firmware's blk tests
against QEMU's vhost-user-blk, served by qemu-storage-daemon (the backend
runs in another process, as SPDK or a hypervisor's would).

For virtio-mmio (modern) and virtio-pci: a fresh 16 MiB image exported by
qemu-storage-daemon --export type=vhost-user-blk, guest memory shared
(memory-backend-memfd,share=on), the firmware booted with the device; it
must exit 0 with every blk test passed and no FAIL line.

    tests/qemu/vhost_user_test.py --arch riscv64 \\
        --firmware build/tests/qemu/firmware-riscv64/selftest.elf
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

TESTS = ["get-id", "rw-roundtrip", "write-zeroes", "discard", "inflight", "range-check", "reinit"]
DEVICES = {"mmio": ["-device", "vhost-user-blk,chardev=vu,bus=virtio-mmio-bus.2",
                    "-global", "virtio-mmio.force-legacy=false"],
           "pci": ["-device", "vhost-user-blk-pci,chardev=vu"]}


def serve(tmp, image):
    """qemu-storage-daemon exporting image; returns (process, socket path)."""
    sock = os.path.join(tmp, "vhost.sock")
    proc = subprocess.Popen(
        ["qemu-storage-daemon",
         "--blockdev", "driver=file,node-name=file0,filename=" + image,
         "--blockdev", "driver=raw,node-name=disk0,file=file0",
         "--export", "type=vhost-user-blk,id=exp0,node-name=disk0,writable=on,"
                     "addr.type=unix,addr.path=" + sock],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while not os.path.exists(sock):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise SystemExit("qemu-storage-daemon did not start: %s" % proc.stderr.read().decode())
        time.sleep(0.02)
    return proc, sock


def run(arch, qemu, firmware, bus, timeout):
    """Problems found in one boot (empty: passed)."""
    board = harness.BOARDS[arch]
    with tempfile.TemporaryDirectory(prefix="vhost-user-") as tmp:
        image = os.path.join(tmp, "disk.img")
        with open(image, "wb") as fh:
            fh.truncate(16 << 20)
        daemon, sock = serve(tmp, image)
        try:
            machine = board["args"][:]
            machine[machine.index("virt")] = "virt,memory-backend=mem"
            cmd = ([qemu] + machine + harness.COMMON_ARGS +
                   ["-object", "memory-backend-memfd,id=mem,size=128M,share=on",
                    "-kernel", firmware, "-chardev", "socket,id=vu,path=" + sock] + DEVICES[bus])
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        finally:
            daemon.kill()
            daemon.wait()
    out = proc.stdout
    problems = ["FAIL line: " + line for line in out.splitlines() if " FAIL " in line]
    for test in TESTS:
        if not re.search(r"^RESULT blk0 %s PASS" % test, out, re.M):
            problems.append("missing: RESULT blk0 %s PASS" % test)
    if proc.returncode != 0:
        problems.append("exit status %d" % proc.returncode)
    if problems:
        problems.append("--- output ---\n" + out[-3000:] + proc.stderr[-1000:])
    return problems


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arch", required=True, choices=sorted(harness.BOARDS))
    p.add_argument("--firmware", required=True)
    p.add_argument("--qemu")
    p.add_argument("--timeout", type=float, default=60)
    args = p.parse_args()
    qemu = args.qemu or harness.BOARDS[args.arch]["qemu"]
    if shutil.which("qemu-storage-daemon") is None:
        sys.exit("qemu-storage-daemon is missing (Debian package qemu-system-common)")
    failed = False
    for bus in ("mmio", "pci"):
        problems = run(args.arch, qemu, args.firmware, bus, args.timeout)
        print("%s vhost-user-blk %s %s: %s" % ("FAIL" if problems else "PASS", args.arch, bus,
                                                "; ".join(problems[:-1]) or "every blk test passed"))
        if problems:
            print(problems[-1])
            failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
