#!/usr/bin/python3
"""Benchmark (not a test): elm-FAT file throughput on RT-Thread's aarch64
QEMU BSP with RT-Thread's virtio-blk driver and ours.

    /usr/bin/python3 tests/rtthread/bench_blk.py --build-dir build/rtthread-bench [--rounds 11] [--disk-mib 1024]

Drivers, each its own build of bsp/qemu-virt64-aarch64 (rtt.build) with
the msh command of fixtures/vtk_bench:

  peer        RT-Thread's own driver (the BSP's driver/virtio/, kept with
              keep_peer_virtio=True), no export of ours.
  ours        our export (blk,rng,console, mmio, namespace vtk, Kconfig
              defaults, as test_rtthread.py builds it); the BSP's VirtIO
              drivers undefined (rtt.build's default).
  peer-fixed  the peer with peer-fix.patch applied to the BSP copy in
              its own build folder (never to the shared tree): one request
              of count x 512 bytes instead of 512.

Every run boots QEMU (-smp 1, legacy virtio-mmio: QEMU's default, which
the peer needs) on a fresh zeroed (sparse) raw image of --disk-mib MiB, on
virtio-mmio-bus.0, the same command line for all; `umount /` (the
BSP's mnt.c mounts virtio-blk0 at boot when it can), mkfs -t elm, mount,
then per chunk size (4 KiB, 64 KiB): `vtk_bench write` of a 4 MiB file,
umount + mount, `vtk_bench read` of it. After QEMU is gone the host takes
each file out of the image (mcopy -n -i IMG ::/FILE) and compares it with
the pattern. Rounds are interleaved (peer, ours, peer-fixed, peer, ...);
the table has medians.

elm-FAT never asks the driver for more than one cluster at a time (f_read
and f_write cut multi-sector transfers at cluster ends), and `mkfs -t elm`
picks the cluster size from the disk size: FAT16 with 4 KiB clusters on
64 MiB, 32 KiB on 1024 MiB (the default here). So 64 KiB calls become
requests of one cluster each, 4 KiB calls requests of 4 KiB.

Each run also times 1000 reads and 1000 writes of 4 KiB straight to the
device (vtk_bench devread/devwrite, in the disk's last 8 MiB, which the
files never reach): the driver's cost per request without elm-FAT (the
unfixed peer moves 512 bytes of each).

Timing is inside RT-Thread (the Armv8 generic timer, microseconds):
write = the write() calls plus fsync() (clock stopped after fsync
returns; open and close outside), read = the read() calls. The pattern is
made before and checked after the timed part. MB/s is 10^6 bytes/s.

Why umount + mount before reading: this tree's DFS (v1) has no page
cache; elm-FAT (FF_FS_TINY 0) caches one sector per open file (freed on
close) and one per volume (the FATFS window, freed by umount). A
remount therefore leaves nothing of the file in the guest. The host's
page cache still holds the image (QEMU's default cache=writeback), the
same for every driver: the figures are the guest driver and QEMU's
virtio-blk path, not a disk.

fsync: ours sends VIRTIO_BLK_T_FLUSH (QEMU then fdatasyncs the image
file on the host); the peer (fixed or not) ignores
RT_DEVICE_CTRL_BLK_SYNC. sync_us, shown separately, is that part.

The patch is applied by rtt.build's after_copy hook on the peer-fixed
build's tree copy, after every sync and before scons. The build is checked: the copy's virtio_blk.c has the fix,
its object code differs from the unfixed build's, and each image links
the block driver it should (nm). Python standard library only.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import rtt  # noqa: E402
import test_rtthread  # noqa: E402

ARCH = "aarch64"
FILE_BYTES = 4 << 20
CHUNKS = (4096, 65536)
DISK_MIB = 1024  # elm-FAT's mkfs: FAT16, 32 KiB clusters (64 MiB: 4 KiB)
BENCH_APP = os.path.join(HERE, "fixtures", "vtk_bench")
PATCH = os.path.join(HERE, "peer-fix.patch")
PATCHED = "bsp/qemu-virt64-aarch64/driver/virtio/virtio_blk.c"  # in the tree
PATCH_MARK = "count * VIRTIO_BLK_BUF_DATA_SIZE"
EXPORT_DEVICES = "blk,rng,console"
DRIVERS = ("peer", "ours", "peer-fixed")
RESULT = re.compile(r"VTKB (write|read) bytes=(\d+) chunk=(\d+) ([^\r\n]*)")
# Raw requests straight to the device (no file system), in the last 8 MiB
# of the disk, which the two files never reach: (op, sectors, count).
RAW = (("devread", 8, 1000), ("devwrite", 8, 1000))
RAW_RESULT = re.compile(r"VTKB (dev\w+) sectors=(\d+) count=(\d+) us=(\d+) ok")


# --- builds --------------------------------------------------------------------

def apply_patch(tree):
    """peer-fix.patch onto the tree copy (the file is the shared tree's
    again after every sync)."""
    target = os.path.join(tree, PATCHED)
    with open(target) as fh:
        if PATCH_MARK in fh.read():
            return
    proc = subprocess.run(["patch", "-p1", "--forward", "--no-backup-if-mismatch",
                           "-d", tree, "-i", PATCH], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        raise rtt.BuildError("peer-fix.patch does not apply to %s:\n%s" % (tree, proc.stdout))


def symbols(image):
    out = subprocess.run([rtt.ARCHES[ARCH].host_prefix + "nm", image.elf], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    return set(line.split()[-1] for line in out.splitlines() if line.strip())


def object_text(image, obj_name="virtio_blk.o"):
    """The .text of one of the image's BSP VirtIO driver objects."""
    obj = os.path.join(image.bsp_dir, "build", "driver", "virtio", obj_name)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "text")
        subprocess.run([rtt.ARCHES[ARCH].host_prefix + "objcopy", "-O", "binary",
                        "--only-section=.text", obj, out], check=True)
        with open(out, "rb") as fh:
            return fh.read()


def build_all(build_dir):
    """{driver: Image}; checks each image holds the driver it should."""
    images = {}
    start = time.monotonic()
    images["peer"] = rtt.build(ARCH, os.path.join(build_dir, "peer"),
                               extra_dirs={"vtk_bench": BENCH_APP}, keep_peer_virtio=True)
    folder = os.path.join(build_dir, "virtio-toolkit")
    test_rtthread.export(folder, EXPORT_DEVICES)
    images["ours"] = rtt.build(ARCH, os.path.join(build_dir, "ours"),
                               defines=test_rtthread.kconfig_defines(folder),
                               extra_dirs={"virtio-toolkit": folder, "vtk_bench": BENCH_APP})
    images["peer-fixed"] = rtt.build(ARCH, os.path.join(build_dir, "peer-fixed"),
                                     extra_dirs={"vtk_bench": BENCH_APP},
                                     keep_peer_virtio=True, after_copy=apply_patch)
    # What was compiled is what we want: the patched source in the
    # peer-fixed copy, none in the peer's, and their objects' code differs
    # (scons compares contents: a re-patched, unchanged file is not rebuilt,
    # so mtimes say nothing).
    for name, patched in (("peer-fixed", True), ("peer", False)):
        with open(os.path.join(images[name].bsp_dir, "..", "..", PATCHED)) as fh:
            if (PATCH_MARK in fh.read()) != patched:
                raise rtt.BuildError("%s: %s %s the fix after the build"
                                     % (name, PATCHED, "lacks" if patched else "has"))
    if object_text(images["peer"]) == object_text(images["peer-fixed"]):
        raise rtt.BuildError("peer-fixed: virtio_blk.o has the unpatched code")
    for name, image in images.items():
        syms = symbols(image)
        want_peer = not name.startswith("ours")
        if ("rt_virtio_blk_init" in syms) != want_peer or \
                ("vtk_virtio_blk_init" in syms) == want_peer or "vtk_bench" not in syms:
            raise rtt.BuildError("%s: image has the wrong block driver" % name)
    return images, time.monotonic() - start


# --- runs ----------------------------------------------------------------------

def qemu_args(disk):
    return ["-drive", "if=none,id=d0,format=raw,file=" + disk,
            "-device", "virtio-blk-device,drive=d0,bus=virtio-mmio-bus.0"]


def file_name(chunk):
    return "/b%dk.bin" % (chunk // 1024)


def seed_of(rnd, chunk):
    return 0x5eed0 + 16 * rnd + CHUNKS.index(chunk)


def parse(out, op, what):
    m = RESULT.search(out)
    if not m or m.group(1) != op:
        raise rtt.QemuError("%s: no VTKB %s line in:\n%s" % (what, op, out[-1500:]))
    fields = dict(re.findall(r"(\w+)=(\S+)", m.group(4)))
    fields["line"] = m.group(0).strip()
    return fields


def busy_jiffies():
    """CPU time the whole machine spent busy (all CPUs), in clock ticks."""
    with open("/proc/stat") as fh:
        user, nice, system, _idle, _iowait, irq, softirq, steal = \
            (int(v) for v in fh.readline().split()[1:9])
    return user + nice + system + irq + softirq + steal


def process_jiffies(pid):
    """utime + stime of a process (all its threads), in clock ticks."""
    with open("/proc/%d/stat" % pid) as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


class OtherLoad:
    """How many CPUs other processes kept busy while a run lasted: the
    machine's busy time minus QEMU's and ours, over the wall time."""

    def start(self, qemu_pid):
        self.pid = qemu_pid
        self.t, self.busy = time.monotonic(), busy_jiffies()
        self.qemu, self.me = process_jiffies(qemu_pid), process_jiffies(os.getpid())

    def stop(self):
        busy = busy_jiffies() - self.busy
        busy -= process_jiffies(self.pid) - self.qemu
        busy -= process_jiffies(os.getpid()) - self.me
        return max(busy, 0) / os.sysconf("SC_CLK_TCK") / (time.monotonic() - self.t)


def good_bytes(data, want):
    """Bytes of data in whole 512-byte blocks equal to want."""
    good = 0
    for at in range(0, len(want), 512):
        if data[at:at + 512] == want[at:at + 512]:
            good += len(want[at:at + 512])
    return good


def run_one(driver, image, rnd, tmp, patterns, log, disk_mib):
    """One boot: write + read of each chunk size. {chunk: result dict}."""
    disk = os.path.join(tmp, "disk-%s-%d.img" % (driver, rnd))
    with open(disk, "wb") as fh:
        fh.truncate(disk_mib << 20)
    results = {}
    load = OtherLoad()
    with rtt.Qemu(ARCH, image, qemu_args(disk), log=log) as vm:
        load.start(vm.proc.pid)
        vm.wait_prompt(30)
        vm.command("umount /")  # mnt.c mounts virtio-blk0 on / when it can
        vm.command("mkfs -t elm virtio-blk0", 60)
        test_rtthread.expect(vm.command("mount virtio-blk0 / elm"), "succeed", driver + " mount")
        for chunk in CHUNKS:
            seed = seed_of(rnd, chunk)
            what = "%s round %d chunk %d" % (driver, rnd, chunk)
            w = parse(vm.command("vtk_bench write %s %d %d %d"
                                 % (file_name(chunk), FILE_BYTES, chunk, seed), 120),
                      "write", what)
            vm.command("umount /")
            test_rtthread.expect(vm.command("mount virtio-blk0 / elm"), "succeed",
                                 what + " remount")
            r = parse(vm.command("vtk_bench read %s %d %d %d"
                                 % (file_name(chunk), FILE_BYTES, chunk, seed), 120),
                      "read", what)
            results[chunk] = {"write": w, "read": r}
        vm.command("umount /")
        if driver.startswith("ours"):
            results["stat"] = vm.command("vblk_stat").strip()
        first = (disk_mib << 11) - (8 << 11)
        for op, sectors, count in RAW:
            out = vm.command("vtk_bench %s virtio-blk0 %d %d %d" % (op, sectors, count, first), 60)
            m = RAW_RESULT.search(out)
            if not m:
                raise rtt.QemuError("%s round %d: %s failed:\n%s" % (driver, rnd, op, out[-1500:]))
            results[op, sectors] = int(m.group(4)) / int(m.group(3))
        results["other_cpus"] = load.stop()
    # The host's view of every file written.
    for chunk in CHUNKS:
        out = os.path.join(tmp, "out.bin")
        if os.path.exists(out):
            os.remove(out)
        proc = subprocess.run(["mcopy", "-n", "-i", disk, "::" + file_name(chunk), out],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        data = b""
        if proc.returncode == 0:
            with open(out, "rb") as fh:
                data = fh.read()
        results[chunk]["host_good"] = good_bytes(data, patterns[seed_of(rnd, chunk)])
        results[chunk]["host_size"] = len(data)
    if rnd == 0 and driver == DRIVERS[0]:
        results["minfo"] = subprocess.run(["minfo", "-i", disk, "::"], stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT, text=True).stdout
    os.remove(disk)
    return results


KINDS = ("write", "write-nosync", "read")


def mbps(run, kind):
    """MB/s (10^6 bytes/s) of one run's write (with fsync), write without
    the fsync part, or read; nan when the command failed."""
    fields = run["read" if kind == "read" else "write"]
    us = int(fields.get("us", 0))
    if kind == "write-nosync":
        us = us - int(fields["sync_us"]) if "sync_us" in fields else 0
    return FILE_BYTES / us if us > 0 else float("nan")


# --- report --------------------------------------------------------------------

def span(values):
    lo, hi = min(values), max(values)
    return "%d" % lo if lo == hi else "%d..%d" % (lo, hi)


def report(runs, rounds):
    """runs: {driver: [per-round results]}. The markdown tables."""
    lines = ["| driver | chunk | write MB/s median (min..max) | read MB/s median (min..max) "
             "| fsync ms median | write MB/s without fsync | bytes verified inside RT-Thread "
             "(per run) | bytes of the file correct in the image (host, per run) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    med = {}
    for driver in DRIVERS:
        for chunk in CHUNKS:
            res = [r[chunk] for r in runs[driver]]
            rates = {k: [mbps(x, k) for x in res] for k in KINDS}
            for k in KINDS:
                med[driver, chunk, k] = statistics.median(rates[k])
            sync = [int(x["write"].get("sync_us", 0)) / 1000 for x in res]
            inside = [int(x["read"].get("good", 0)) for x in res]
            host = [x["host_good"] for x in res]
            bad = sorted(set(x["read"].get("verify", x["read"].get("fail", "?"))
                             for x in res))
            note = "" if bad == ["ok"] else " (%s)" % ", ".join(bad)[:60]
            lines.append("| %s | %d KiB | %.1f (%.1f..%.1f) | %.1f (%.1f..%.1f) | %.1f | %.1f "
                         "| %s of %d%s | %s of %d |"
                         % (driver, chunk // 1024,
                            med[driver, chunk, "write"], min(rates["write"]), max(rates["write"]),
                            med[driver, chunk, "read"], min(rates["read"]), max(rates["read"]),
                            statistics.median(sync), med[driver, chunk, "write-nosync"],
                            span(inside), FILE_BYTES, note, span(host), FILE_BYTES))
    lost = [c for c in CHUNKS for x in runs["peer"]
            if x[c]["host_good"] < FILE_BYTES or int(x[c]["read"].get("good", 0)) < FILE_BYTES]
    if lost:
        lines += ["", "peer (unfixed): the data did not arrive (columns on the right), so its "
                  "MB/s are bytes reported / time, not a transfer rate."]
    lines += ["", "Per request straight to the device (no file system; %d requests each, "
              "median of the runs' means):" % RAW[0][2], "",
              "| driver | " + " | ".join("%s of %d KiB, us" % (op, n // 2) for op, n, _ in RAW)
              + " |", "| --- |" + " --- |" * len(RAW)]
    for driver in DRIVERS:
        lines.append("| %s | %s |" % (driver, " | ".join(
            "%.1f" % statistics.median(r[op, n] for r in runs[driver]) for op, n, _ in RAW)))
    lines += ["", "Ratios to peer-fixed (of the medians; per-round ratios min..max):", "",
              "| driver | chunk | write | write without fsync | read |",
              "| --- | --- | --- | --- | --- |"]
    for ours in ("ours",):
        for chunk in CHUNKS:
            cells = []
            for k in KINDS:
                per = [mbps(runs[ours][i][chunk], k) / mbps(runs["peer-fixed"][i][chunk], k)
                       for i in range(rounds)]
                cells.append("%.2f (%.2f..%.2f)" % (
                    med[ours, chunk, k] / med["peer-fixed", chunk, k], min(per), max(per)))
            lines.append("| %s | %d KiB | %s |" % (ours, chunk // 1024, " | ".join(cells)))
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build-dir", required=True)
    p.add_argument("--rounds", type=int, default=11,
                   help="interleaved rounds; use at least 5 (default %(default)s: the "
                   "machine is shared, single runs are noisy)")
    p.add_argument("--disk-mib", type=int, default=DISK_MIB,
                   help="disk size, MiB (sets elm-FAT's cluster size; default %(default)s)")
    p.add_argument("--log", help="file for every QEMU console transcript")
    args = p.parse_args()
    for tool in ("scons", "mcopy", "minfo", "patch", "qemu-system-aarch64"):
        if shutil.which(tool) is None:
            sys.exit("bench_blk: %s is missing" % tool)
    build_dir = os.path.abspath(args.build_dir)
    start = time.monotonic()
    load_before = os.getloadavg()
    images, build_seconds = build_all(build_dir)
    print("built peer, ours, peer-fixed in %.1f s (bsp/%s)" % (build_seconds, rtt.ARCHES[ARCH].bsp))
    sys.stdout.flush()
    runs = {d: [] for d in DRIVERS}
    log = open(args.log, "w") if args.log else None
    bench_start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="rtt-bench-") as tmp:
        patterns = {seed_of(r, c): test_rtthread.pattern(FILE_BYTES, seed_of(r, c))
                    for r in range(args.rounds) for c in CHUNKS}
        for rnd in range(args.rounds):
            for driver in DRIVERS:
                res = run_one(driver, images[driver], rnd, tmp, patterns, log, args.disk_mib)
                runs[driver].append(res)
                print("round %d %-10s other load %.2f CPUs  %s" % (
                    rnd + 1, driver, res["other_cpus"], "  ".join(
                    "%dK: w %.1f r %.1f MB/s %s host %d" % (
                        c // 1024, mbps(res[c], "write"), mbps(res[c], "read"),
                        res[c]["read"].get("verify", res[c]["read"].get("fail")),
                        res[c]["host_good"]) for c in CHUNKS)))
                sys.stdout.flush()
    if log:
        log.close()
    bench_seconds = time.monotonic() - bench_start
    print()
    print(report(runs, args.rounds))
    print()
    minfo = runs[DRIVERS[0]][0].get("minfo", "")
    m = re.search(r"cluster size: (\d+) sectors", minfo)
    fat = re.search(r"sectors per fat: (\d+)", minfo)
    print("Disk: %d MiB raw, fresh per run; elm-FAT mkfs made %s-byte clusters (%s sectors "
          "per FAT); QEMU args: %s" % (args.disk_mib, int(m.group(1)) * 512 if m else "?",
                                      fat.group(1) if fat else "?",
                                      " ".join(qemu_args("IMG"))))
    print("ours, driver counters after the file part of the last run (mkfs, 2 x 4 MiB written "
          "and read): %s"
          % runs["ours"][-1].get("stat", "?"))
    print("File %d MiB, write timed with fsync, read after umount+mount, %d rounds interleaved "
          "%s; QEMU legacy virtio-mmio, -smp 1."
          % (FILE_BYTES >> 20, args.rounds, ", ".join(DRIVERS)))
    other = [r["other_cpus"] for d in DRIVERS for r in runs[d]]
    print("Other processes kept %.2f CPUs busy during the runs (median; %.2f..%.2f) of %d; "
          "load average before %.2f, after %.2f. The figures are only comparable on a quiet "
          "machine." % (statistics.median(other), min(other), max(other), os.cpu_count(),
                        load_before[0], os.getloadavg()[0]))
    print("Time: builds %.1f s, runs %.1f s, total %.1f s."
          % (build_seconds, bench_seconds, time.monotonic() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
