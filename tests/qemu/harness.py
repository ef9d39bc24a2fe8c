#!/usr/bin/python3
"""QEMU integration harness for the VirtIO self-test firmware.

Boots a firmware ELF under QEMU (-M virt, riscv64 or aarch64) with a chosen
set of virtio-mmio devices, in legacy or modern mode, bounded by a timeout;
captures the serial console; checks the firmware's machine-readable lines
against what the device set must produce; checks the scratch disk images the
firmware wrote. Standard library only.

Firmware lines the harness understands (one per line, see firmware/main.c):

    DEVICE slot=<n> addr=0x<hex> id=<id> transport=<legacy|modern> ...
    BLK slot=<n> capacity=<sectors> blk_size=<bytes> ro=<0|1> ... serial=<GET_ID>
    INPUT slot=<n> name="<name>" kind=<kind> serial="<s>" bustype=.. vendor=.. product=..
    GPU gpu<i> slot=<n> width=<w> height=<h> ... | edid_preferred=<w>x<h> | drawn=<w>x<h>
    READY input ...      the firmware waits: screendumps, then injected events
    EVENT input<i> <kind> type=<t> code=<c> value=<v>
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
stay unchanged), an input device whose kind, serial or ids are not QEMU's,
a GPU whose display or EDID mode is not the xres/yres it was given, a screen
(QMP screendump at READY) that is not exactly the firmware's pattern, or
EVENT lines that are not exactly the events injected (interact.py).

Device set syntax (--devices): comma-separated `kind[@slot]`, kinds: blk,
blkro (read-only drive), blk4k (4096-byte blocks), net (user network),
nethub (NICs on one QEMU hub), netplain (user network, no MRG_RXBUF /
CTRL_VQ / STATUS), rng, console (port 0 only), consolemp
(multiport: a console and two named ports), consolehot (consolemp, and
a port hot-plugged and removed over QMP while the firmware waits), gpu
(gpu<W>x<H>: xres/yres given to QEMU), keyboard, tablet, mouse. Devices without a slot are placed like QEMU does
(highest free slot first) and then pinned with bus=virtio-mmio-bus.<slot>,
so expectations are exact. Every blk image is filled with a known pattern
at sectors 32..39 before boot, and every blk device gets serial=vblk<slot>,
which the firmware must read back through GET_ID. --boots N boots N times on
the same images: from the second boot on, each writable blk device must
report `persist` (it reads what the previous boot wrote).

virtio-pci: `kind-pci[@N]` (modern only, disable-legacy=on) or
`kind-tpci[@N]` (transitional: blk, blkro, blk4k, net, rng, console) puts
the device on PCIe bus 0 as device N (1..31; unpinned ones take the lowest
free number); the firmware reports it as slot 100 + 8 * N with
transport=pci, pci=00:NN.0 and iface=modern|transitional, which are checked.
`rng-lpci[@N]` is a legacy-only function (disable-modern=on): the firmware
must refuse it at probe (a SKIP line with reason=probe:...) and not drive it.
`kind-bpci[@N]` puts a modern device behind its own PCIe root port at
00:NN.0; the firmware numbers the root ports' buses depth first, so the
device is at BB:00.0 with BB = 1 + the rank of N among such ports, slot
100 + 256 * BB. mmio and PCI devices mix freely in one set.

--packed (with --mode modern) sets packed=on on every device: each device
the firmware drives must then report RING_PACKED in its FEATURES negotiated
line, so its queues ran as packed rings (VIRTIO_F_RING_PACKED, spec 2.8).
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

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interact  # noqa: E402  (input script, GPU pattern, serial reader)

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
    "net": (1, "virtio-net-device", True),         # on QEMU's user network
    "nethub": (1, "virtio-net-device", True),      # on hub 0 with the other nethubs
    "netplain": (1, "virtio-net-device", True),    # user network; no MRG_RXBUF, CTRL_VQ, STATUS
    "console": (3, "virtio-serial-device", True),  # port 0 only (max_ports=1)
    "consolemp": (3, "virtio-serial-device", True),  # multiport: console + 2 named ports
    "consolehot": (3, "virtio-serial-device", True),  # consolemp + a port hot-plugged over QMP
    "rng": (4, "virtio-rng-device", True),
    "rngslow": (4, "virtio-rng-device", True),  # rate-limited: short completions
    "gpu": (16, "virtio-gpu-device", True),    # gpuWxH: with xres=W,yres=H
    "keyboard": (18, "virtio-keyboard-device", True),
    "tablet": (18, "virtio-tablet-device", True),
    "mouse": (18, "virtio-mouse-device", True),
}

INPUT_KINDS = ("keyboard", "mouse", "tablet")

SECTOR = 512
# Sectors the harness fills before boot (firmware/main.c: BLK_HOST_*).
HOST_SECTOR = 32
HOST_COUNT = 8
HOST_SEED_BASE = 0x40570000


def blk_image_bytes(index):
    """Scratch image size of the index-th blk device (they differ)."""
    return (1 + index) * 1024 * 1024


def blk_serial(d):
    """The serial= of a blk device (the firmware prints what GET_ID says)."""
    return "vblk%d" % d.slot


def pattern_sector(seed, sector):
    """The bytes the firmware writes to `sector` (see firmware/main.c)."""
    words = []
    for j in range(SECTOR // 4):
        w = (seed * 0x9E3779B1 + sector * 0x85EBCA77 + j * 0xC2B2AE3D) & 0xFFFFFFFF
        words.append(w)
    return struct.pack("<%dI" % len(words), *words)


# --- device sets --------------------------------------------------------------

# virtio-pci: `kind-pci[@N]` puts a device on PCIe bus 0 as device N (1..31)
# with disable-legacy=on, `kind-tpci[@N]` as a transitional device
# (disable-legacy=off). The firmware numbers it slot PCI_SLOT_BASE + 8 * N.
PCI_SLOT_BASE = 100
PCI_DEVICES = range(1, 32)           # device 0 is the host bridge
PCI_TRANSITIONAL = ("blk", "blkro", "blk4k", "net", "rng", "console")
# `kind-lpci[@N]`: a legacy-only function (disable-modern=on) the firmware
# must refuse at probe (SKIP reason=probe:...) and never drive.
PCI_LEGACY_ONLY = ("rng",)


class Device:
    def __init__(self, kind, slot, pci=None, transitional=False, legacy_only=False,
                 bridged=False):
        self.kind = kind
        self.slot = slot
        self.pci = pci                  # PCI device number, or None (mmio)
        self.transitional = transitional
        self.legacy_only = legacy_only  # PCI without the modern interface
        self.bridged = bridged          # behind a root port at 00:<pci>.0
        self.pci_bus = 0                # bus the firmware will find it on
        self.image = None       # blk: path of the scratch image
        self.image_before = None  # blk: its content at boot
        self.blk_index = None   # blk: index among blk devices in slot order
        self.res = None         # gpu: (xres, yres) asked of QEMU, or None

    @property
    def device_id(self):
        return KINDS[self.kind][0]

    @property
    def has_driver(self):
        return KINDS[self.kind][2]

    @property
    def is_blk(self):
        return self.kind in ("blk", "blkro", "blk4k")

    @property
    def is_input(self):
        return self.kind in INPUT_KINDS


def parse_devices(spec, nslots):
    """'blk@2,blk@5,rng' -> list of Device with every slot assigned."""
    devices = []
    if spec:
        for item in spec.split(","):
            item = item.strip()
            if not item:
                continue
            kind, _, slot = item.partition("@")
            res = re.match(r"^gpu(\d+)x(\d+)", kind)
            if res:  # gpu<W>x<H>[-pci]: a GPU with that resolution
                kind = "gpu" + kind[res.end():]
            bus = None
            for suffix in ("-pci", "-tpci", "-lpci", "-bpci"):
                if kind.endswith(suffix):
                    kind, bus = kind[:-len(suffix)], suffix[1:]
            if kind not in KINDS:
                raise ValueError("unknown device kind %r (known: %s; add -pci or -tpci)"
                                 % (kind, ", ".join(sorted(KINDS))))
            if bus == "tpci" and kind not in PCI_TRANSITIONAL:
                raise ValueError("%s has no transitional PCI device" % kind)
            if bus == "lpci" and kind not in PCI_LEGACY_ONLY:
                raise ValueError("no legacy-only PCI test for %s" % kind)
            if bus and slot and int(slot) not in PCI_DEVICES:
                raise ValueError("PCI device %s out of range 1..31" % slot)
            if bus:
                devices.append(Device(kind, None, int(slot) if slot else 0,
                                      transitional=bus == "tpci",
                                      legacy_only=bus == "lpci",
                                      bridged=bus == "bpci"))
            else:
                devices.append(Device(kind, int(slot) if slot else None))
            if res:
                devices[-1].res = (int(res.group(1)), int(res.group(2)))
    pci_used = set()
    for d in devices:
        if d.pci:
            if d.pci not in PCI_DEVICES:
                raise ValueError("PCI device %d out of range 1..31" % d.pci)
            if d.pci in pci_used:
                raise ValueError("PCI device %d used twice" % d.pci)
            pci_used.add(d.pci)
    pci_free = [n for n in PCI_DEVICES if n not in pci_used]
    for d in devices:
        if d.pci == 0:
            if not pci_free:
                raise ValueError("more PCI devices than bus 0 has")
            d.pci = pci_free.pop(0)
    for bus_no, d in enumerate(sorted((d for d in devices if d.bridged),
                                      key=lambda d: d.pci), 1):
        d.pci_bus = bus_no
    for d in devices:
        if d.pci is not None:
            d.slot = PCI_SLOT_BASE + (256 * d.pci_bus if d.bridged else 8 * d.pci)
    used = set()
    for d in devices:
        if d.slot is None or d.pci is not None:
            continue
        if not 0 <= d.slot < nslots:
            raise ValueError("slot %d out of range 0..%d" % (d.slot, nslots - 1))
        if d.slot in used:
            raise ValueError("slot %d used twice" % d.slot)
        used.add(d.slot)
    free = [s for s in reversed(range(nslots)) if s not in used]  # mmio slots
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
        if d.pci is not None:
            qdev = qdev.replace("-device", "-pci")
            bus = "bus=pcie.0,addr=0x%x,disable-legacy=%s" % (
                d.pci, "off" if d.transitional or d.legacy_only else "on")
            if d.legacy_only:
                bus += ",disable-modern=on"
            if d.bridged:
                args += ["-device", "pcie-root-port,id=rp%d,bus=pcie.0,addr=0x%x,chassis=%d"
                         % (d.pci, d.pci, d.pci)]
                bus = "bus=rp%d,addr=0x0,disable-legacy=on" % d.pci
            if qdev.startswith("virtio-net"):
                bus += ",romfile="  # no option ROM: nothing runs it
        if d.is_blk:
            if d.image is None:  # a later boot (--boots) reuses the image
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
            props += ",serial=" + blk_serial(d)  # read back through GET_ID
            args += ["-drive", "if=none,id=drv%d,format=raw,file=%s%s" % (n, d.image, ro),
                     "-device", "%s,drive=drv%d,%s%s" % (qdev, n, bus, props)]
        elif d.kind in NET_KINDS:
            args += net_args(d, n, qdev, bus)
        elif d.kind in CONSOLE_KINDS:
            args += console_args(d, n, qdev, bus, tmpdir)
        elif d.is_input:
            # A serial number the firmware must read back (ID_SERIAL).
            args += ["-device", "%s,%s,serial=%s" % (qdev, bus, input_serial(d))]
        elif d.kind == "gpu":
            # The id names the display in QMP screendump.
            res = ",xres=%d,yres=%d" % d.res if d.res else ""
            args += ["-device", "%s,%s,id=gpu%d%s" % (qdev, bus, d.slot, res)]
        elif d.kind == "rngslow":
            # 100 bytes per 20 ms: requests get fewer bytes than they ask for
            args += ["-device", "%s,%s,max-bytes=100,period=20" % (qdev, bus)]
        else:
            args += ["-device", "%s,%s" % (qdev, bus)]
    return args


# --- console and net devices --------------------------------------------------
# Every console port is a pipe chardev: the harness writes one input line
# into <path>.in before boot (the firmware echoes it) and QEMU logs all the
# guest's output of the port to <path>.log, which is checked afterwards.
# (QEMU 7.2's file chardev has no input file on the command line.)

CONSOLE_KINDS = ("console", "consolemp", "consolehot")
HOT_PORT = 3  # port number of the hot-plugged port (consolehot)
NET_KINDS = ("net", "nethub", "netplain")
# netplain: a legacy device without MRG_RXBUF uses the 10-byte header (in
# a descriptor of its own: no ANY_LAYOUT either);
# CTRL_RX and CTRL_MAC_ADDR stay offered without CTRL_VQ (the driver must
# refuse them); speed and duplex (SPEED_DUPLEX, bit 63: modern only).
NETPLAIN_PROPS = ",mrg_rxbuf=off,ctrl_vq=off,status=off,any_layout=off,speed=100,duplex=half"


def console_ports(d):
    """(port number, name or None) of a console device's ports."""
    if d.kind == "console":
        return [(0, None)]
    if d.kind == "consolehot":  # the name tells the firmware to wait for one more
        return [(0, None), (1, "vt.s%d.p1" % d.slot), (2, "vt.hotplug.s%d" % d.slot)]
    return [(0, None), (1, "vt.s%d.p1" % d.slot), (2, "vt.s%d.p2" % d.slot)]


def console_input(d, nr):
    return "ping-s%d-p%d" % (d.slot, nr)


def console_args(d, n, qdev, bus, tmpdir):
    args = []
    close_console_fifos([d])  # a second boot (--boots) starts afresh
    d.port_logs, d.fifo_fds = {}, []
    for nr, name in console_ports(d):
        base = os.path.join(tmpdir, "con%d-p%d" % (n, nr))
        for end in (".in", ".out", ".log"):
            if os.path.lexists(base + end):
                os.unlink(base + end)
        for end in (".in", ".out"):
            os.mkfifo(base + end)
            # O_RDWR: neither side blocks on open; data waits in the pipe.
            d.fifo_fds.append(os.open(base + end, os.O_RDWR | os.O_NONBLOCK))
        os.write(d.fifo_fds[-2], (console_input(d, nr) + "\n").encode())
        d.port_logs[nr] = base + ".log"
        args += ["-chardev", "pipe,id=con%d.%d,path=%s,logfile=%s" % (n, nr, base, base + ".log")]
    props = ",max_ports=1" if d.kind == "console" else ""
    d.vser_id = "vser%d" % n
    d.hot_log = os.path.join(tmpdir, "con%d-hot.log" % n)
    if os.path.exists(d.hot_log):
        os.unlink(d.hot_log)
    args += ["-device", "%s,%s,id=vser%d%s" % (qdev, bus, n, props)]
    for nr, name in console_ports(d):
        kind = "virtconsole" if nr == 0 else "virtserialport"
        args += ["-device", "%s,chardev=con%d.%d,bus=vser%d.0,nr=%d%s"
                 % (kind, n, nr, n, nr, ",name=" + name if name else "")]
    return args


def net_args(d, n, qdev, bus):
    if d.kind == "nethub":
        netdev = "hubport,id=net%d,hubid=0" % n
    else:
        netdev = "user,id=net%d,restrict=on" % n
    props = NETPLAIN_PROPS if d.kind == "netplain" else ""
    return ["-netdev", netdev, "-device", "%s,netdev=net%d,%s%s" % (qdev, n, bus, props)]


def close_console_fifos(devices):
    for d in devices:
        for fd in getattr(d, "fifo_fds", []):
            os.close(fd)
        d.fifo_fds = []


def by_kind(devices, kinds):
    """Devices of these kinds in the firmware's order (slot order)."""
    return sorted((d for d in devices if d.kind in kinds), key=lambda d: d.slot)


def console_net_results(devices):
    """(device, test) pairs the console and net self-tests must PASS."""
    exp = []
    for i, d in enumerate(by_kind(devices, CONSOLE_KINDS)):
        name = "console%d" % i
        exp.append((name, "emerg-write"))
        if d.kind == "console":
            exp += [(name, "write"), (name, "echo")]
        else:
            exp.append((name, "multiport"))
            for nr, _ in console_ports(d):
                exp += [(name, "port%d-write" % nr), (name, "port%d-echo" % nr)]
        if d.kind == "consolehot":
            exp += [(name, "hotplug"), (name, "unplug")]
    nets = by_kind(devices, NET_KINDS)
    hubs = [d for d in nets if d.kind == "nethub"]
    for i, d in enumerate(nets):
        if d.kind in ("net", "netplain"):
            exp += [("net%d" % i, "arp-gateway"), ("net%d" % i, "dhcp-offer")]
        elif len(hubs) >= 2:
            exp += [("net%d" % i, "hub-rx"), ("net%d" % i, "rx-filter")]
    return exp


def check_console_net(devices, parsed, mode="legacy"):
    """Port names, chardev logs (what each port sent), net header sizes and
    who heard whom on the hub."""
    reasons = []
    ports = {}
    hub = {}
    for line in parsed["lines"]:
        m = re.match(r'^PORT (console\d+) port=(\d+) name="([^"]*)"', line)
        if m:
            ports[(m.group(1), int(m.group(2)))] = m.group(3)
        m = re.match(r"^HUB net(\d+) heard=(\S+)$", line)
        if m:
            hub[int(m.group(1))] = set() if m.group(2) == "-" else {
                int(x) for x in m.group(2).split(",")}
    for i, d in enumerate(by_kind(devices, CONSOLE_KINDS)):
        con = "console%d" % i
        for nr, name in console_ports(d):
            if d.kind == "consolemp" and ports.get((con, nr)) != (name or ""):
                reasons.append("%s port %d: name %r, expected %r"
                               % (con, nr, ports.get((con, nr)), name or ""))
            want = ["HELLO %s port%d\n" % (con, nr), "ECHO:%s\n" % console_input(d, nr)]
            if nr == 0:
                want.insert(0, "EMERG %s\n" % con)
            if not hasattr(d, "port_logs"):
                continue  # no QEMU command was built (parsing tests)
            try:
                with open(d.port_logs[nr], "r", errors="replace") as f:
                    log = f.read()
            except OSError as e:
                reasons.append("%s port %d: no chardev log (%s)" % (con, nr, e))
                continue
            pos = 0
            for w in want:
                found = log.find(w, pos)
                if found < 0:
                    reasons.append("%s port %d: chardev log lacks %r (in order): %r"
                                   % (con, nr, w, log[:200]))
                    break
                pos = found + len(w)
        if d.kind == "consolehot" and hasattr(d, "hot_log"):
            try:
                with open(d.hot_log, "r", errors="replace") as f:
                    hot = f.read()
            except OSError:
                hot = ""
            if "HOT %s\n" % con not in hot:
                reasons.append("%s: the hot-plugged port's chardev lacks 'HOT %s': %r"
                               % (con, con, hot[:200]))
    nets = by_kind(devices, NET_KINDS)
    for d in nets:
        kv = parsed["devices"].get(d.slot, {})
        legacy = mode != "modern" and d.pci is None
        want = "10" if legacy and d.kind == "netplain" else "12"
        if "hdr_len" in kv and kv["hdr_len"] != want:
            reasons.append("slot %d: net header of %s bytes, expected %s (%s)"
                           % (d.slot, kv["hdr_len"], want, d.kind))
        speed = ("100", "0") if d.kind == "netplain" and not legacy else ("-1", "-1")
        if "speed" in kv and (kv["speed"], kv.get("duplex")) != speed:
            reasons.append("slot %d: speed %s duplex %s, expected %s %s (%s)"
                           % ((d.slot, kv["speed"], kv.get("duplex")) + speed + (d.kind,)))
    hubs = {i for i, d in enumerate(nets) if d.kind == "nethub"}
    if len(hubs) >= 2:
        for i in sorted(hubs):
            if hub.get(i) != hubs - {i}:
                reasons.append("net%d on the hub heard %s, expected %s"
                               % (i, sorted(hub.get(i, [])), sorted(hubs - {i})))
    return reasons


def console_hotplug_wanted(devices):
    return any(d.kind == "consolehot" for d in devices)


def console_turn(qmp, line, devices, inter):
    """READY console<i> hotplug: add a named port (chardev to a file) on
    the device's bus; READY console<i> unplug: remove it again."""
    m = re.match(r"^READY console(\d+) (hotplug|unplug)", line)
    cons = by_kind(devices, CONSOLE_KINDS)
    if not m or int(m.group(1)) >= len(cons):
        inter["errors"].append("bad console READY line: %r" % line)
        return
    i, d = int(m.group(1)), cons[int(m.group(1))]
    try:
        if m.group(2) == "hotplug":
            qmp.execute("chardev-add", {"id": "hot%d" % i, "backend": {
                "type": "file", "data": {"out": d.hot_log}}})
            qmp.execute("device_add", {"driver": "virtserialport", "id": "hotport%d" % i,
                                       "bus": "%s.0" % d.vser_id, "nr": HOT_PORT,
                                       "chardev": "hot%d" % i, "name": "vt.hot.s%d" % d.slot})
        else:
            qmp.execute("device_del", {"id": "hotport%d" % i})
    except QMPError as e:
        inter["errors"].append("qmp console%d %s: %s" % (i, m.group(2), e))


def print_chardev_logs(devices):
    for i, d in enumerate(by_kind(devices, CONSOLE_KINDS)):
        for nr, logfile in sorted(getattr(d, "port_logs", {}).items()):
            if os.path.exists(logfile):
                with open(logfile, "r", errors="replace") as f:
                    for line in f.read().splitlines():
                        print("harness: console%d port%d chardev: %s" % (i, nr, line))


# --- output parsing -----------------------------------------------------------

RESULT_RE = re.compile(r"^RESULT (\S+) (\S+) (PASS|FAIL)(?: (.*))?$")
KV_RE = re.compile(r"(\w+)=(\S+)")
# EVENT input<i> <kind> type=<t> code=<c> value=<v> (firmware/selftest_input.c)
EVENT_RE = re.compile(r"^EVENT input(\d+) (\w+) type=(\d+) code=(\d+) value=(-?\d+)$")


def parse_output(text):
    """Splits the serial output into the lines the harness checks."""
    out = {"devices": {}, "skips": {}, "inputs": {}, "input_info": {}, "events": [],
           "gpus": {},
           "results": [], "patterns": [],
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
        elif line.startswith("BLK ") or line.startswith("NET "):
            kv = dict(KV_RE.findall(line))
            if "slot" in kv:
                out["devices"].setdefault(int(kv["slot"]), {}).update(kv)
        elif line.startswith("RNG "):
            kv = dict(KV_RE.findall(line))
            if "slot" in kv:
                out["devices"].setdefault(int(kv["slot"]), {}).update(kv)
        elif line.startswith("FEATURES "):
            m = re.match(r"^FEATURES slot=(\d+) (\w+)=0x[0-9a-f]+(.*)$", line)
            if m:
                out.setdefault("features", {})[(int(m.group(1)), m.group(2))] = \
                    set(m.group(3).split())
        elif line.startswith("INPUT "):
            m = re.match(r'^INPUT slot=(\d+) name="([^"]*)"(.*)$', line)
            if m:
                out["inputs"][int(m.group(1))] = m.group(2)
                out["input_info"][int(m.group(1))] = dict(KV_RE.findall(m.group(3)))
        elif line.startswith("GPU "):
            kv = dict(KV_RE.findall(line))
            if "slot" in kv:
                out["gpus"].setdefault(int(kv["slot"]), {}).update(kv)
        elif line.startswith("EVENT "):
            m = EVENT_RE.match(line)
            if m:
                out["events"].append((int(m.group(1)), m.group(2), int(m.group(3)),
                                      int(m.group(4)), int(m.group(5))))
            else:
                out["events"].append(("malformed", line, 0, 0, 0))
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


def expected_results(devices, boot=1):
    """(device, test) pairs that must PASS for this device set (in the
    boot-th boot on the same images)."""
    devices = [d for d in devices if not d.legacy_only]  # never driven
    blks = sorted((d for d in devices if d.is_blk), key=lambda d: d.blk_index)
    writable = [d for d in blks if d.kind != "blkro"]
    exp = []
    for d in blks:
        name = "blk%d" % d.blk_index
        exp.append((name, "read-host-data"))
        exp.append((name, "ro-reject" if d.kind == "blkro" else "rw-roundtrip"))
        exp.append((name, "get-id"))
        if d.kind != "blkro":
            exp.append((name, "inflight"))
            if boot >= 2:
                exp.append((name, "persist"))
        exp.append((name, "range-check"))
        if d.kind == "blk4k":
            exp.append((name, "unaligned"))
        exp.append((name, "reinit"))
    if len(writable) >= 2:
        for d in writable:
            exp.append(("blk%d" % d.blk_index, "independent"))
    # rng<i>: the i-th rng device in slot order (firmware/selftest_rng.c)
    rngs = sorted((d for d in devices if d.kind in ("rng", "rngslow")), key=lambda d: d.slot)
    for i, d in enumerate(rngs):
        exp.append(("rng%d" % i, "entropy"))
        exp.append(("rng%d" % i, "lengths"))
    # gpu<i>: the i-th GPU in slot order (firmware/selftest_gpu.c); QEMU's
    # virtio-gpu offers EDID by default
    for i, d in enumerate(sorted((d for d in devices if d.kind == "gpu"),
                                 key=lambda d: d.slot)):
        for test in ("display-info", "edid", "events", "errors", "resource",
                     "cursor", "draw"):
            exp.append(("gpu%d" % i, test))
    # input<i>: the i-th input device in slot order (firmware/selftest_input.c)
    inputs = input_devices(devices)
    for i, d in enumerate(inputs):
        exp.append(("input%d" % i, "config"))
        if d.kind == "tablet":
            exp.append(("input%d" % i, "abs-info"))
        if d.kind == "keyboard":
            exp.append(("input%d" % i, "led"))
    if any(d.kind == "keyboard" for d in inputs):
        exp.append(("input0", "events"))  # the injected sequence, ended by Escape
    exp += console_net_results(devices)
    return exp


def blk_offered_results(devices, parsed):
    """Tests a writable blk device must pass when QEMU offers the feature
    (the FEATURES offered line): discard and write-zeroes."""
    exp = []
    for d in devices:
        if not d.is_blk or d.kind == "blkro":
            continue
        offered = parsed.get("features", {}).get((d.slot, "offered"), set())
        for feature, test in (("DISCARD", "discard"), ("WRITE_ZEROES", "write-zeroes")):
            if feature in offered:
                exp.append(("blk%d" % d.blk_index, test))
    return exp


def input_serial(d):
    """The serial number the harness gives an input device."""
    return "%s-%d" % (d.kind, d.slot)


# QEMU's ID_DEVIDS of its virtio input devices: BUS_VIRTUAL, vendor 0x0627,
# product by kind.
INPUT_DEVIDS = {"keyboard": "0x0001", "mouse": "0x0002", "tablet": "0x0003"}


def input_devices(devices):
    """Input devices in the firmware's order (slot order)."""
    return sorted((d for d in devices if d.is_input), key=lambda d: d.slot)


def check_run(devices, mode, parsed, status, timed_out, check_images=True,
              interaction=None, boot=1):
    """Returns the list of reasons the run failed (empty: it passed).
    `interaction`: what run_interactive injected and saw (None: no QMP)."""
    reasons = []
    if interaction is not None:
        reasons += check_interaction(devices, parsed, interaction)
    reasons += check_console_net(devices, parsed, mode)
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
    for dev, test in expected_results(devices, boot) + blk_offered_results(devices, parsed):
        if (dev, test) not in have:
            reasons.append("missing expected result: RESULT %s %s PASS" % (dev, test))
    want_version = "modern" if mode == "modern" else "legacy"
    by_slot = {d.slot: d for d in devices}
    for d in devices:
        if d.legacy_only:
            skip = parsed["skips"].get(d.slot, {})
            if d.slot in parsed["devices"] or not skip.get("reason", "").startswith("probe:"):
                reasons.append("slot %d: legacy-only %s on PCI was not refused at probe"
                               % (d.slot, d.kind))
            continue
        kv = parsed["devices"].get(d.slot)
        if kv is None:
            reasons.append("missing DEVICE line for %s in slot %d" % (d.kind, d.slot))
            continue
        if kv.get("id") != str(d.device_id):
            reasons.append("slot %d: device id %s, expected %d (%s)"
                           % (d.slot, kv.get("id"), d.device_id, d.kind))
        if d.pci is not None:
            loc = ("%02x:00.0" % d.pci_bus) if d.bridged else ("00:%02x.0" % d.pci)
            want = {"transport": "pci", "pci": loc,
                    "iface": "transitional" if d.transitional else "modern"}
            for key, value in sorted(want.items()):
                if kv.get(key) != value:
                    reasons.append("slot %d: %s=%s, expected %s (%s on PCI)"
                                   % (d.slot, key, kv.get(key), value, d.kind))
        elif kv.get("transport") != want_version:
            reasons.append("slot %d: transport %s, expected %s"
                           % (d.slot, kv.get("transport"), want_version))
        name = parsed["inputs"].get(d.slot)
        if name is not None and d.kind.capitalize() not in name:
            reasons.append("slot %d: input device %r is not a %s" % (d.slot, name, d.kind))
        if d.kind == "gpu" and d.res:
            g = parsed["gpus"].get(d.slot, {})
            got = (g.get("width"), g.get("height"))
            if got != tuple(str(v) for v in d.res):
                reasons.append("slot %d: GPU display %sx%s, QEMU was given xres/yres %dx%d"
                               % ((d.slot,) + got + d.res))
            if g.get("edid_preferred") != "%dx%d" % d.res:
                reasons.append("slot %d: EDID preferred mode %s, QEMU was given %dx%d"
                               % ((d.slot, g.get("edid_preferred")) + d.res))
        if d.is_input and d.has_driver:
            info = parsed["input_info"].get(d.slot, {})
            if info.get("kind") != d.kind:
                reasons.append("slot %d: the driver took the %s for a %s"
                               % (d.slot, d.kind, info.get("kind")))
            if info.get("serial", "").strip('"') != input_serial(d):
                reasons.append("slot %d: input serial %s, QEMU was given %s"
                               % (d.slot, info.get("serial"), input_serial(d)))
            ids = (info.get("bustype"), info.get("vendor"), info.get("product"))
            if ids != ("0x0006", "0x0627", INPUT_DEVIDS[d.kind]):
                reasons.append("slot %d: input devids bustype/vendor/product %s, QEMU has"
                               " 0x0006/0x0627/%s" % (d.slot, "/".join(map(str, ids)),
                                                      INPUT_DEVIDS[d.kind]))
        if not d.has_driver and d.slot not in parsed["skips"]:
            reasons.append("slot %d: %s has no driver but no SKIP line" % (d.slot, d.kind))
        if d.kind == "rngslow":
            short = kv.get("short", "")
            if not short.isdigit() or int(short) == 0:
                reasons.append("slot %d: rate-limited rng reported no short completion"
                               " (short=%s)" % (d.slot, short or None))
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
            if kv.get("serial") != blk_serial(d):
                reasons.append("slot %d: serial=%s through GET_ID, expected %s"
                               % (d.slot, kv.get("serial"), blk_serial(d)))
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


# --- host interaction ----------------------------------------------------------

def needs_interaction(devices):
    """With a keyboard the firmware prints READY and waits for injected
    events (ended by Escape); the harness then drives it over QMP."""
    return any(d.kind == "keyboard" for d in devices)


def run_interactive(cmd, timeout, devices, tmpdir, png_dir=None):
    """run_bounded with a QMP socket and the serial output read as it
    comes: at the firmware's READY line the harness takes its turn
    (host_turn). Returns run_bounded's tuple plus the interaction record."""
    sock = os.path.join(tmpdir, "qmp.sock")
    cmd = cmd + ["-qmp", "unix:%s,server=on,wait=off" % sock]
    inter = {"errors": [], "events": None, "screens": []}
    start = time.monotonic()
    deadline = start + timeout
    timed_out = False
    qmp = None
    with open(os.path.join(tmpdir, "qemu.stderr"), "w+b") as errf:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=errf, start_new_session=True)
        con = interact.Console(proc.stdout)
        try:
            try:
                qmp = QMP(sock).connect(wait=5.0)
            except (QMPError, OSError) as e:
                inter["errors"].append("qmp: %s" % e)
            while True:
                line = con.read_line(deadline)
                if line is None:
                    timed_out = not con.eof
                    break
                if line.startswith("READY input") and qmp is not None:
                    host_turn(qmp, con, devices, deadline, inter, tmpdir, png_dir)
                elif line.startswith("READY console") and qmp is not None:
                    console_turn(qmp, line, devices, inter)
            if not timed_out:
                try:
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    timed_out = True
        finally:
            if qmp is not None:
                qmp.close()
            if proc.poll() is None:
                kill_group(proc)
                proc.wait()
            proc.stdout.close()
        errf.seek(0)
        err = errf.read().decode("utf-8", "replace")
    return (proc.returncode, con.text(), err, timed_out,
            time.monotonic() - start, inter)


def host_turn(qmp, con, devices, deadline, inter, tmpdir, png_dir):
    """The firmware waits (READY): inject the input script one update at a
    time, each once the firmware has reported the one before, so the
    order across devices is exact."""
    check_screens(qmp, con, devices, inter, tmpdir, png_dir)
    kinds = {d.kind for d in devices if d.is_input}
    expected = []
    for events, want in interact.input_script(kinds):
        try:
            qmp.execute("input-send-event", {"events": events})
        except QMPError as e:
            inter["errors"].append("qmp input-send-event: %s" % e)
            break
        expected += want
        seen = 0
        step_end = min(deadline, time.monotonic() + 5.0)
        while seen < len(want):
            line = con.read_line(step_end)
            if line is None:
                break
            seen += line.startswith("EVENT ")
        if seen < len(want):
            break  # the firmware stopped reporting; check_events says how
    inter["events"] = expected


def check_screens(qmp, con, devices, inter, tmpdir, png_dir):
    """Every GPU shows exactly the firmware's test pattern (interact.py)
    at the size the firmware says it drew."""
    gpus = parse_output(con.text())["gpus"]
    for d in sorted((d for d in devices if d.kind == "gpu"), key=lambda d: d.slot):
        drawn = gpus.get(d.slot, {}).get("drawn", "")
        m = re.match(r"^(\d+)x(\d+)$", drawn)
        if not m:
            inter["screens"].append("slot %d: no GPU drawn=<w>x<h> line before READY" % d.slot)
            continue
        w, h = int(m.group(1)), int(m.group(2))
        ppm = os.path.join(tmpdir, "gpu%d.ppm" % d.slot)
        try:
            qmp.screendump(ppm, device="gpu%d" % d.slot)
            sw, sh, maxval, pixels = read_ppm(ppm)
        except (QMPError, OSError, ValueError, IndexError) as e:
            inter["screens"].append("slot %d: screendump: %s" % (d.slot, e))
            continue
        inter["screens"] += ["slot %d: %s" % (d.slot, r)
                             for r in interact.check_pattern(sw, sh, maxval, pixels, w, h)]
        inter["screens_checked"] = inter.get("screens_checked", 0) + 1
        if png_dir:
            png = os.path.join(png_dir, "gpu%d.png" % d.slot)
            interact.write_png(png, sw, sh, pixels)
            print("harness: saved the screen of the GPU in slot %d (%dx%d) as %s"
                  % (d.slot, sw, sh, png))


def check_interaction(devices, parsed, inter):
    """What the firmware reported against what the harness injected."""
    reasons = list(inter["errors"])
    if needs_interaction(devices):
        if inter["events"] is None:
            reasons.append("no READY input line: no events were injected")
        else:
            kinds = [d.kind for d in input_devices(devices)]
            reasons += interact.check_events(parsed["events"], inter["events"], kinds)
    reasons += inter["screens"]
    return reasons


# --- command line -------------------------------------------------------------

def packed_args(devices):
    """--packed: packed=on for every device type in the set (all of QEMU's
    virtio devices have the property; it needs the modern interface)."""
    qdevs = []
    for d in devices:
        if d.legacy_only:
            continue
        qdev = KINDS[d.kind][1]
        if d.pci is not None:
            qdev = qdev.replace("-device", "-pci")
        if qdev not in qdevs:
            qdevs.append(qdev)
    args = []
    for qdev in qdevs:
        args += ["-global", "%s.packed=on" % qdev]
    return args


def check_packed(devices, parsed):
    """--packed: every device the firmware drives negotiated RING_PACKED
    (its FEATURES negotiated line), so its queues used the packed layout."""
    reasons = []
    for d in devices:
        if d.legacy_only or not d.has_driver:
            continue
        neg = parsed.get("features", {}).get((d.slot, "negotiated"))
        if neg is None:
            reasons.append("slot %d: no FEATURES negotiated line (packed run)" % d.slot)
        elif "RING_PACKED" not in neg:
            reasons.append("slot %d: RING_PACKED offered (packed=on) but not negotiated"
                           % d.slot)
    return reasons


def run_test(args):
    board = BOARDS[args.arch]
    devices = parse_devices(args.devices, board["slots"])
    if args.packed and args.mode != "modern":
        raise ValueError("--packed needs --mode modern (packed rings are VirtIO 1.1+)")
    tmpdir = tempfile.mkdtemp(prefix="virtio-qemu-")
    reasons = []
    try:
        # --boots N: N boots one after the other on the same blk images.
        for boot in range(1, args.boots + 1):
            cmd = qemu_command(args.arch, args.firmware, args.mode, devices, tmpdir,
                               qemu=args.qemu,
                               extra=(packed_args(devices) if args.packed else [])
                               + args.qemu_arg)
            if args.verbose:
                print("harness: " + " ".join(cmd))
            inter = None
            if needs_interaction(devices) or console_hotplug_wanted(devices):
                status, out, err, timed_out, secs, inter = run_interactive(
                    cmd, args.timeout, devices, tmpdir, png_dir=args.png_dir)
            else:
                status, out, err, timed_out, secs = run_bounded(cmd, args.timeout)
            parsed = parse_output(out)
            got = check_run(devices, args.mode, parsed, status, timed_out,
                            check_images=not args.no_image_check, interaction=inter,
                            boot=boot)
            if args.packed:
                got += check_packed(devices, parsed)
            if args.boots > 1:
                got = ["boot %d: %s" % (boot, r) for r in got]
            reasons += got
            if err.strip() and (status != 0 or args.verbose):
                print("harness: QEMU stderr:\n" + err.rstrip())
            sys.stdout.write("".join(l + "\n" for l in parsed["lines"]))
            print_chardev_logs(devices)
            ms = secs * 1000.0
            print("harness: %s %s devices=[%s]%s qemu %.0f ms, exit %s%s"
                  % (args.arch, args.mode, args.devices or "",
                     " boot %d/%d" % (boot, args.boots) if args.boots > 1 else "",
                     ms, status, " (timed out)" if timed_out else ""))
            if args.record:
                with open(args.record, "a") as f:
                    f.write(json.dumps({"arch": args.arch, "mode": args.mode,
                                        "devices": args.devices or "", "ms": round(ms, 1),
                                        "ok": not got}) + "\n")
    finally:
        close_console_fifos(devices)
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
    p.add_argument("--packed", action="store_true",
                   help="packed=on on every device (needs --mode modern); every "
                        "driven device must negotiate RING_PACKED")
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
    p.add_argument("--boots", type=int, default=1, metavar="N",
                   help="boot N times in a row on the same blk images (the "
                        "later boots must read what the earlier ones wrote)")
    p.add_argument("--no-image-check", action="store_true",
                   help="do not check the blk images' content")
    p.add_argument("--record", default=os.environ.get("VIRTIO_QEMU_RECORD"),
                   help="append a JSON timing line to this file "
                        "(default: $VIRTIO_QEMU_RECORD)")
    p.add_argument("--keep", action="store_true", help="keep the scratch dir")
    p.add_argument("--png-dir", help="save each GPU screendump there as gpu<slot>.png")
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
