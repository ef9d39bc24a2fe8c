#!/usr/bin/python3
"""QEMU integration harness for the VirtIO self-test firmware.

Boots a firmware ELF under QEMU (-M virt, riscv64 or aarch64) with a chosen
set of virtio-mmio devices, in legacy or modern mode, bounded by a timeout;
captures the serial console; checks the firmware's machine-readable lines
against what the device set must produce; checks the scratch disk images the
firmware wrote. Standard library only.

Firmware lines the harness understands (one per line, see firmware/main.c):

    DEVICE slot=<n> addr=0x<hex> id=<id> transport=<legacy|modern> ...
    BLK slot=<n> capacity=<sectors> blk_size=<bytes> ro=<0|1> ...
    INPUT slot=<n> name="<name>"
    SKIP slot=<n> id=<id> reason=<text>
    RESULT <device><index> <test> PASS|FAIL <detail>
    PATTERN <device><index> slot=<n> sector=<first> count=<n> seed=0x<hex>
    SUMMARY pass=<n> fail=<n> ...
    CRASH ...

The run fails on: a FAIL line, a missing expected RESULT/DEVICE/SKIP line,
an unexpected device or one with the wrong id, transport version, capacity,
block size or read-only flag, a CRASH line or a QEMU killed by a signal, a
non-zero exit status, a timeout, a SUMMARY that disagrees, or a disk image
whose content is not what the firmware says it wrote (read-only images must
stay unchanged).

Device set syntax (--devices): comma-separated `kind[@slot]`, kinds: blk,
blkro (read-only drive), blk4k (4096-byte blocks), net, rng, console, gpu,
keyboard, tablet, mouse. Devices without a slot are placed like QEMU does
(highest free slot first) and then pinned with bus=virtio-mmio-bus.<slot>,
so expectations are exact. Every blk image is filled with a known pattern
at sectors 32..39 before boot.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

# --- boards -----------------------------------------------------------------

BOARDS = {
    "riscv64": {
        "qemu": "qemu-system-riscv64",
        "args": ["-M", "virt", "-bios", "none", "-m", "128M"],
        "slots": 8,
    },
    "aarch64": {
        "qemu": "qemu-system-aarch64",
        "args": ["-M", "virt", "-cpu", "cortex-a57", "-semihosting", "-m", "128M"],
        "slots": 32,
    },
}

COMMON_ARGS = ["-nodefaults", "-display", "none", "-monitor", "none",
               "-serial", "stdio", "-no-reboot"]

# kind -> (virtio device id, QEMU device, has a driver in the firmware)
KINDS = {
    "blk": (2, "virtio-blk-device", True),
    "blkro": (2, "virtio-blk-device", True),   # read-only drive
    "blk4k": (2, "virtio-blk-device", True),   # 4096-byte logical blocks
    "net": (1, "virtio-net-device", False),
    "console": (3, "virtio-serial-device", False),
    "rng": (4, "virtio-rng-device", False),
    "gpu": (16, "virtio-gpu-device", False),
    "keyboard": (18, "virtio-keyboard-device", False),
    "tablet": (18, "virtio-tablet-device", False),
    "mouse": (18, "virtio-mouse-device", False),
}

SECTOR = 512
# Sectors the harness fills before boot (firmware/main.c: BLK_HOST_*).
HOST_SECTOR = 32
HOST_COUNT = 8
HOST_SEED_BASE = 0x40570000


def blk_image_bytes(index):
    """Scratch image size of the index-th blk device (they differ)."""
    return (1 + index) * 1024 * 1024


def pattern_sector(seed, sector):
    """The bytes the firmware writes to `sector` (see firmware/main.c)."""
    words = []
    for j in range(SECTOR // 4):
        w = (seed * 0x9E3779B1 + sector * 0x85EBCA77 + j * 0xC2B2AE3D) & 0xFFFFFFFF
        words.append(w)
    return struct.pack("<%dI" % len(words), *words)


# --- device sets --------------------------------------------------------------

class Device:
    def __init__(self, kind, slot):
        self.kind = kind
        self.slot = slot
        self.image = None       # blk: path of the scratch image
        self.image_before = None  # blk: its content at boot
        self.blk_index = None   # blk: index among blk devices in slot order

    @property
    def device_id(self):
        return KINDS[self.kind][0]

    @property
    def has_driver(self):
        return KINDS[self.kind][2]

    @property
    def is_blk(self):
        return self.kind in ("blk", "blkro", "blk4k")


def parse_devices(spec, nslots):
    """'blk@2,blk@5,rng' -> list of Device with every slot assigned."""
    devices = []
    if spec:
        for item in spec.split(","):
            item = item.strip()
            if not item:
                continue
            kind, _, slot = item.partition("@")
            if kind not in KINDS:
                raise ValueError("unknown device kind %r (known: %s)"
                                 % (kind, ", ".join(sorted(KINDS))))
            devices.append(Device(kind, int(slot) if slot else None))
    used = set()
    for d in devices:
        if d.slot is None:
            continue
        if not 0 <= d.slot < nslots:
            raise ValueError("slot %d out of range 0..%d" % (d.slot, nslots - 1))
        if d.slot in used:
            raise ValueError("slot %d used twice" % d.slot)
        used.add(d.slot)
    free = [s for s in reversed(range(nslots)) if s not in used]
    for d in devices:
        if d.slot is None:
            if not free:
                raise ValueError("more devices than the %d slots" % nslots)
            d.slot = free.pop(0)
    blks = sorted((d for d in devices if d.is_blk), key=lambda d: d.slot)
    for i, d in enumerate(blks):
        d.blk_index = i
    return devices


def device_args(devices, tmpdir):
    args = []
    for n, d in enumerate(devices):
        bus = "bus=virtio-mmio-bus.%d" % d.slot
        qdev = KINDS[d.kind][1]
        if d.is_blk:
            d.image = os.path.join(tmpdir, "blk%d-slot%d.img" % (d.blk_index, d.slot))
            with open(d.image, "wb") as f:
                f.truncate(blk_image_bytes(d.blk_index))
                f.seek(HOST_SECTOR * SECTOR)
                for s in range(HOST_SECTOR, HOST_SECTOR + HOST_COUNT):
                    f.write(pattern_sector(HOST_SEED_BASE + d.slot, s))
            with open(d.image, "rb") as f:
                d.image_before = f.read()
            ro = ",readonly=on" if d.kind == "blkro" else ""
            props = (",logical_block_size=4096,physical_block_size=4096"
                     if d.kind == "blk4k" else "")
            args += ["-drive", "if=none,id=drv%d,format=raw,file=%s%s" % (n, d.image, ro),
                     "-device", "%s,drive=drv%d,%s%s" % (qdev, n, bus, props)]
        elif d.kind == "net":
            args += ["-netdev", "user,id=net%d,restrict=on" % n,
                     "-device", "%s,netdev=net%d,%s" % (qdev, n, bus)]
        elif d.kind == "console":
            args += ["-chardev", "null,id=con%d" % n,
                     "-device", "%s,%s,id=vser%d" % (qdev, bus, n),
                     "-device", "virtconsole,chardev=con%d,bus=vser%d.0" % (n, n)]
        else:
            args += ["-device", "%s,%s" % (qdev, bus)]
    return args


# --- output parsing -----------------------------------------------------------

RESULT_RE = re.compile(r"^RESULT (\S+) (\S+) (PASS|FAIL)(?: (.*))?$")
KV_RE = re.compile(r"(\w+)=(\S+)")


def parse_output(text):
    """Splits the serial output into the lines the harness checks."""
    out = {"devices": {}, "skips": {}, "inputs": {}, "results": [], "patterns": [],
           "summary": None, "crash": [], "lines": []}
    for raw in text.splitlines():
        line = raw.rstrip("\r").strip("\x00")
        out["lines"].append(line)
        if line.startswith("RESULT "):
            m = RESULT_RE.match(line)
            if m:
                out["results"].append({"dev": m.group(1), "test": m.group(2),
                                       "verdict": m.group(3),
                                       "detail": m.group(4) or ""})
            else:
                out["results"].append({"dev": "?", "test": line, "verdict": "MALFORMED",
                                       "detail": ""})
        elif line.startswith("DEVICE "):
            kv = dict(KV_RE.findall(line))
            if "slot" in kv:
                out["devices"][int(kv["slot"])] = kv
        elif line.startswith("BLK "):
            kv = dict(KV_RE.findall(line))
            if "slot" in kv:
                out["devices"].setdefault(int(kv["slot"]), {}).update(kv)
        elif line.startswith("INPUT "):
            m = re.match(r'^INPUT slot=(\d+) name="(.*)"$', line)
            if m:
                out["inputs"][int(m.group(1))] = m.group(2)
        elif line.startswith("SKIP "):
            kv = dict(KV_RE.findall(line))
            if "slot" in kv:
                out["skips"][int(kv["slot"])] = kv
        elif line.startswith("PATTERN "):
            kv = dict(KV_RE.findall(line))
            kv["dev"] = line.split()[1]
            out["patterns"].append(kv)
        elif line.startswith("SUMMARY "):
            out["summary"] = {k: int(v) for k, v in KV_RE.findall(line) if v.isdigit()}
        elif "CRASH" in line:
            out["crash"].append(line)
    return out


def expected_results(devices):
    """(device, test) pairs that must PASS for this device set."""
    blks = sorted((d for d in devices if d.is_blk), key=lambda d: d.blk_index)
    writable = [d for d in blks if d.kind != "blkro"]
    exp = []
    for d in blks:
        name = "blk%d" % d.blk_index
        exp.append((name, "read-host-data"))
        exp.append((name, "ro-reject" if d.kind == "blkro" else "rw-roundtrip"))
        exp.append((name, "range-check"))
        if d.kind == "blk4k":
            exp.append((name, "unaligned"))
        exp.append((name, "reinit"))
    if len(writable) >= 2:
        for d in writable:
            exp.append(("blk%d" % d.blk_index, "independent"))
    return exp


def check_run(devices, mode, parsed, status, timed_out, check_images=True):
    """Returns the list of reasons the run failed (empty: it passed)."""
    reasons = []
    if timed_out:
        reasons.append("timeout: QEMU did not exit in time")
    if parsed["crash"]:
        reasons.append("crash: " + parsed["crash"][0])
    if status is not None and status < 0 and not timed_out:
        reasons.append("crash: QEMU killed by signal %d" % -status)
    elif status not in (None, 0):
        reasons.append("exit status %d (expected 0)" % status)
    for r in parsed["results"]:
        if r["verdict"] != "PASS":
            reasons.append("FAIL line: RESULT %s %s %s %s"
                           % (r["dev"], r["test"], r["verdict"], r["detail"]))
    have = {(r["dev"], r["test"]) for r in parsed["results"] if r["verdict"] == "PASS"}
    for dev, test in expected_results(devices):
        if (dev, test) not in have:
            reasons.append("missing expected result: RESULT %s %s PASS" % (dev, test))
    want_version = "modern" if mode == "modern" else "legacy"
    by_slot = {d.slot: d for d in devices}
    for d in devices:
        kv = parsed["devices"].get(d.slot)
        if kv is None:
            reasons.append("missing DEVICE line for %s in slot %d" % (d.kind, d.slot))
            continue
        if kv.get("id") != str(d.device_id):
            reasons.append("slot %d: device id %s, expected %d (%s)"
                           % (d.slot, kv.get("id"), d.device_id, d.kind))
        if kv.get("transport") != want_version:
            reasons.append("slot %d: transport %s, expected %s"
                           % (d.slot, kv.get("transport"), want_version))
        name = parsed["inputs"].get(d.slot)
        if name is not None and d.kind.capitalize() not in name:
            reasons.append("slot %d: input device %r is not a %s" % (d.slot, name, d.kind))
        if not d.has_driver and d.slot not in parsed["skips"]:
            reasons.append("slot %d: %s has no driver but no SKIP line" % (d.slot, d.kind))
        if d.is_blk:
            ro = kv.get("ro")
            if ro != ("1" if d.kind == "blkro" else "0"):
                reasons.append("slot %d: ro=%s for a %s drive" % (d.slot, ro, d.kind))
            bs = kv.get("blk_size")
            if bs != ("4096" if d.kind == "blk4k" else "512"):
                reasons.append("slot %d: blk_size=%s for a %s drive" % (d.slot, bs, d.kind))
            cap = kv.get("capacity")
            want = str(blk_image_bytes(d.blk_index) // SECTOR)
            if cap != want:
                reasons.append("slot %d: capacity %s sectors, expected %s" % (d.slot, cap, want))
    for slot in parsed["devices"]:
        if slot not in by_slot:
            reasons.append("unexpected device in slot %d" % slot)
    s = parsed["summary"]
    npass = sum(1 for r in parsed["results"] if r["verdict"] == "PASS")
    nfail = len(parsed["results"]) - npass
    if s is None:
        reasons.append("missing SUMMARY line")
    elif s.get("pass") != npass or s.get("fail") != nfail:
        reasons.append("SUMMARY pass=%s fail=%s disagrees with %d/%d RESULT lines"
                       % (s.get("pass"), s.get("fail"), npass, nfail))
    if check_images:
        reasons += check_images_content(devices, parsed)
    return reasons


def check_images_content(devices, parsed):
    """Each blk image must hold the pattern its firmware says it wrote."""
    reasons = []
    pats = {}
    for p in parsed["patterns"]:
        try:
            pats[int(p["slot"])] = p
        except (KeyError, ValueError):
            reasons.append("malformed PATTERN line for %s" % p.get("dev"))
    for d in devices:
        if not d.is_blk or d.image is None:
            continue
        if d.kind == "blkro":
            with open(d.image, "rb") as f:
                if f.read() != d.image_before:
                    reasons.append("image of read-only slot %d was modified" % d.slot)
            if d.slot in pats:
                reasons.append("PATTERN line for read-only slot %d" % d.slot)
            continue
        p = pats.get(d.slot)
        if p is None:
            reasons.append("missing PATTERN line for blk in slot %d" % d.slot)
            continue
        first, count, seed = int(p["sector"]), int(p["count"]), int(p["seed"], 16)
        with open(d.image, "rb") as f:
            f.seek(first * SECTOR)
            data = f.read(count * SECTOR)
        for i in range(count):
            if data[i * SECTOR:(i + 1) * SECTOR] != pattern_sector(seed, first + i):
                reasons.append("image of slot %d: sector %d does not hold the pattern"
                               % (d.slot, first + i))
                break
    return reasons


# --- running QEMU ---------------------------------------------------------------

def qemu_command(arch, firmware, mode, devices, tmpdir, qemu=None, extra=None):
    board = BOARDS[arch]
    cmd = [qemu or board["qemu"]] + board["args"] + COMMON_ARGS
    cmd += ["-kernel", firmware]
    if mode == "modern":
        cmd += ["-global", "virtio-mmio.force-legacy=false"]
    cmd += device_args(devices, tmpdir)
    cmd += extra or []
    return cmd


def run_bounded(cmd, timeout, stdin=subprocess.DEVNULL):
    """Runs cmd in its own process group; kills the group on timeout.
    Returns (status, stdout text, stderr text, timed_out, seconds)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    timed_out = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        kill_group(proc)
        out, err = proc.communicate()
    elapsed = time.monotonic() - start
    return (proc.returncode, out.decode("utf-8", "replace"),
            err.decode("utf-8", "replace"), timed_out, elapsed)


def kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# --- QMP ----------------------------------------------------------------------

class QMPError(Exception):
    """QMP answered with an error, or the connection broke."""


class QMP:
    """Minimal QMP client over a unix socket (JSON lines)."""

    def __init__(self, path, timeout=5.0):
        self.path = path
        self.timeout = timeout
        self.sock = None
        self.buf = b""
        self.events = []
        self.greeting = None

    def connect(self, wait=5.0):
        """Connects (retrying while QEMU creates the socket), reads the
        greeting and leaves capabilities negotiation mode."""
        deadline = time.monotonic() + wait
        while True:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(self.timeout)
            try:
                s.connect(self.path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                s.close()
                if time.monotonic() > deadline:
                    raise QMPError("cannot connect to QMP socket %s" % self.path)
                time.sleep(0.02)
        self.sock = s
        self.greeting = self._read()
        if "QMP" not in self.greeting:
            raise QMPError("not a QMP greeting: %r" % self.greeting)
        self.execute("qmp_capabilities")
        return self

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _read(self):
        while b"\n" not in self.buf:
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                raise QMPError("QMP read timed out")
            except OSError as e:
                raise QMPError("QMP connection broken: %s" % e)
            if not chunk:
                raise QMPError("QMP connection closed")
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b"\n")
        return json.loads(line.decode("utf-8"))

    def execute(self, command, arguments=None):
        """Sends a command; returns its "return" value; raises QMPError on
        an "error" answer. Asynchronous events are kept in self.events."""
        msg = {"execute": command}
        if arguments:
            msg["arguments"] = arguments
        try:
            self.sock.sendall(json.dumps(msg).encode("utf-8") + b"\n")
        except OSError as e:
            raise QMPError("QMP connection broken: %s" % e)
        while True:
            reply = self._read()
            if "event" in reply:
                self.events.append(reply)
                continue
            if "error" in reply:
                e = reply["error"]
                raise QMPError("%s: %s" % (e.get("class"), e.get("desc")))
            if "return" in reply:
                return reply["return"]

    def quit(self):
        """Asks QEMU to exit; the connection may close before the answer."""
        try:
            self.execute("quit")
        except QMPError:
            pass
        self.close()

    # Convenience wrappers for the commands the tests use.
    def query_status(self):
        return self.execute("query-status")

    def send_key(self, qcode, down=True, device=None):
        ev = {"type": "key", "data": {"down": down,
                                      "key": {"type": "qcode", "data": qcode}}}
        args = {"events": [ev]}
        if device:
            args["device"] = device
        return self.execute("input-send-event", args)

    def send_abs(self, x, y, device=None):
        evs = [{"type": "abs", "data": {"axis": "x", "value": x}},
               {"type": "abs", "data": {"axis": "y", "value": y}}]
        args = {"events": evs}
        if device:
            args["device"] = device
        return self.execute("input-send-event", args)

    def screendump(self, filename, device=None):
        args = {"filename": filename}
        if device:
            args["device"] = device
        return self.execute("screendump", args)


def read_ppm(path):
    """(width, height, maxval, pixel bytes) of a binary PPM (P6)."""
    with open(path, "rb") as f:
        data = f.read()
    fields = []
    pos = 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6":
        raise ValueError("not a P6 PPM")
    w, h, maxval = int(fields[1]), int(fields[2]), int(fields[3])
    pixels = data[pos + 1:]
    return w, h, maxval, pixels


# --- command line -------------------------------------------------------------

def run_test(args):
    board = BOARDS[args.arch]
    devices = parse_devices(args.devices, board["slots"])
    tmpdir = tempfile.mkdtemp(prefix="virtio-qemu-")
    try:
        cmd = qemu_command(args.arch, args.firmware, args.mode, devices, tmpdir,
                           qemu=args.qemu, extra=args.qemu_arg)
        if args.verbose:
            print("harness: " + " ".join(cmd))
        status, out, err, timed_out, secs = run_bounded(cmd, args.timeout)
        parsed = parse_output(out)
        reasons = check_run(devices, args.mode, parsed, status, timed_out,
                            check_images=not args.no_image_check)
        if err.strip() and (status != 0 or args.verbose):
            print("harness: QEMU stderr:\n" + err.rstrip())
        sys.stdout.write("".join(l + "\n" for l in parsed["lines"]))
        ms = secs * 1000.0
        print("harness: %s %s devices=[%s] qemu %.0f ms, exit %s%s"
              % (args.arch, args.mode, args.devices or "", ms, status,
                 " (timed out)" if timed_out else ""))
        if args.record:
            with open(args.record, "a") as f:
                f.write(json.dumps({"arch": args.arch, "mode": args.mode,
                                    "devices": args.devices or "", "ms": round(ms, 1),
                                    "ok": not reasons}) + "\n")
    finally:
        if args.keep:
            print("harness: kept scratch dir %s" % tmpdir)
        else:
            shutil.rmtree(tmpdir, ignore_errors=True)
    return verdict(reasons, args.expect_failure)


def verdict(reasons, expect_failure):
    if expect_failure:
        matching = [r for r in reasons if re.search(expect_failure, r)]
        for r in reasons:
            print("harness: (expected) failure: " + r)
        if matching:
            print("HARNESS OK: the run failed as expected (/%s/)" % expect_failure)
            return 0
        print("HARNESS FAIL: expected a failure matching /%s/, got %s"
              % (expect_failure, "a pass" if not reasons else "other reasons"))
        return 1
    if reasons:
        for r in reasons:
            print("HARNESS FAIL: " + r)
        return 1
    print("HARNESS PASS")
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--arch", choices=sorted(BOARDS), required=True)
    p.add_argument("--firmware", required=True, help="firmware ELF")
    p.add_argument("--mode", choices=["legacy", "modern"], default="legacy")
    p.add_argument("--devices", default="",
                   help="comma-separated kind[@slot], e.g. blk@2,blk@5,rng; kinds: "
                        + ", ".join(sorted(KINDS)))
    p.add_argument("--timeout", type=float, default=30.0, help="seconds")
    p.add_argument("--qemu", help="QEMU binary (default: qemu-system-<arch>)")
    p.add_argument("--qemu-arg", action="append", default=[], metavar="ARG",
                   help="extra QEMU argument (repeatable), e.g. --qemu-arg=-d "
                        "--qemu-arg=guest_errors")
    p.add_argument("--expect-failure", metavar="REGEX",
                   help="negative test: pass only if the run fails for a "
                        "reason matching REGEX")
    p.add_argument("--no-image-check", action="store_true",
                   help="do not check the blk images' content")
    p.add_argument("--record", default=os.environ.get("VIRTIO_QEMU_RECORD"),
                   help="append a JSON timing line to this file "
                        "(default: $VIRTIO_QEMU_RECORD)")
    p.add_argument("--keep", action="store_true", help="keep the scratch dir")
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args(argv)
    try:
        return run_test(args)
    except (ValueError, OSError) as e:
        # Never counts as an expected failure: the harness itself broke.
        print("HARNESS FAIL: harness error: %s" % e)
        return 1


if __name__ == "__main__":
    sys.exit(main())
