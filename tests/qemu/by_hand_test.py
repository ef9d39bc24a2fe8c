#!/usr/bin/python3
"""The firmware as users run it by hand: README's "Running the firmware by
hand" commands run verbatim (the firmware build, riscv64, then aarch64 on
the same disk: a disk reused across architectures), and ordinary QEMU
configurations the harness's matrix does not use (default device options,
no serial numbers, a console on a file chardev, input nobody types, devices
in unusual slots, PCI). Each must exit 0 with no FAIL line: the firmware
fails only for a driver or device fault, and says NOTE ... not run for a
check that needs the harness.

    tests/qemu/by_hand_test.py   (from anywhere; runs in the repository root)
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FW = "build/tests/qemu/firmware-%s/selftest.elf"
BOARD = {"riscv64": ["qemu-system-riscv64", "-M", "virt", "-bios", "none", "-m", "128M"],
         "aarch64": ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-semihosting",
                     "-m", "128M"]}
COMMON = ["-nodefaults", "-display", "none", "-monitor", "none", "-serial", "stdio"]


def readme_blocks():
    """The sh blocks of README's by-hand section, but the harness one."""
    with open(os.path.join(ROOT, "README.md")) as fh:
        text = fh.read()
    section = text[text.index("## Running the firmware by hand"):]
    section = section[:section.index("\n## ", 1)]
    return [b for b in re.findall(r"```sh\n(.*?)```", section, re.S) if "harness.py" not in b]


def check(name, proc, problems):
    out = proc.stdout
    bad = [line for line in out.splitlines() if " FAIL " in line or line.startswith("FAIL")]
    if proc.returncode != 0 or bad or "fail=0" not in out:
        problems.append("%s: exit %d, %s\n%s" % (name, proc.returncode, bad or "no SUMMARY fail=0",
                                                 (out + proc.stderr)[-2500:]))
    else:
        print("PASS %s: %s" % (name, re.search(r"SUMMARY .*", out).group(0)))


def ordinary(tmp):
    """(name, argv) of the configurations."""
    disk = os.path.join(tmp, "ordinary.img")
    with open(disk, "wb") as fh:
        fh.truncate(1 << 20)
    console = ["-chardev", "file,id=c0,path=" + os.path.join(tmp, "console.txt"),
               "-device", "virtio-serial-device", "-device", "virtconsole,chardev=c0"]
    defaults = (["-drive", "if=none,id=d0,format=raw,file=" + disk,
                 "-device", "virtio-blk-device,drive=d0", "-device", "virtio-rng-device",
                 "-netdev", "user,id=n0", "-device", "virtio-net-device,netdev=n0",
                 "-device", "virtio-gpu-device", "-device", "virtio-keyboard-device",
                 "-device", "virtio-tablet-device"] + console)
    moved = ["-drive", "if=none,id=d0,format=raw,file=" + disk,
             "-device", "virtio-blk-device,drive=d0,bus=virtio-mmio-bus.31",
             "-device", "virtio-rng-device,bus=virtio-mmio-bus.0",
             "-device", "virtio-mouse-device,bus=virtio-mmio-bus.17"]
    pci = ["-drive", "if=none,id=d0,format=raw,file=" + disk,
           "-device", "virtio-blk-pci,drive=d0", "-device", "virtio-rng-pci",
           "-chardev", "file,id=c1,path=" + os.path.join(tmp, "pci-console.txt"),
           "-device", "virtio-serial-pci", "-device", "virtconsole,chardev=c1"]
    modern = ["-global", "virtio-mmio.force-legacy=false"]
    return [("riscv64 legacy, default devices", "riscv64", defaults),
            ("aarch64 modern, default devices, same disk", "aarch64", defaults + modern),
            ("aarch64 legacy, devices in slots 31, 0, 17", "aarch64", moved),
            ("riscv64 pci, same disk again", "riscv64", pci)]


def main():
    problems = []
    for i, block in enumerate(readme_blocks()):
        proc = subprocess.run(["bash", "-c", block], cwd=ROOT, capture_output=True, text=True,
                              timeout=600)
        if "qemu-system" not in block:
            if proc.returncode != 0:
                problems.append("README block %d exit %d:\n%s" % (i, proc.returncode, proc.stderr[-2000:]))
            else:
                print("PASS README block %d (build)" % i)
            continue
        if "exit status $?" in block:  # the block reports QEMU's status itself
            proc.returncode = 0 if "exit status 0" in proc.stdout else 1
        check("README block %d" % i, proc, problems)
    with tempfile.TemporaryDirectory(prefix="by-hand-") as tmp:
        for name, arch, args in ordinary(tmp):
            proc = subprocess.run(BOARD[arch] + COMMON + ["-kernel", FW % arch] + args, cwd=ROOT,
                                  capture_output=True, text=True, timeout=120)
            check(name, proc, problems)
    for p in problems:
        print("FAIL " + p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
