#!/usr/bin/python3
"""Benchmark (not a test): TCP throughput each way and ICMP round trips on
RT-Thread's aarch64 QEMU BSP with RT-Thread's virtio-net driver and ours.

    /usr/bin/python3 tests/rtthread/bench_net.py --build-dir build/rtthread-netbench \
        [--rounds 7] [--mib 8] [--profile]

Drivers, each its own build of bsp/qemu-virt64-aarch64 (rtt.build) with
the msh commands of fixtures/vtk_netbench and the same lwIP, SAL and
netdev settings (test_rtthread.network_defines: the BSP's own, 8 KiB TCP
window and send buffer), RT_USING_SMP as the BSP has it (4 CPUs, QEMU
runs one) in all three, and the BSP's -O0 (BUILD = 'debug'):

  peer        RT-Thread's own driver (the BSP's driver/virtio/virtio_net.c,
              kept with keep_peer_virtio=True), no export of ours.
  ours        our export (blk,rng,console,net, mmio, namespace vtk, Kconfig
              defaults, as test_rtthread.py builds it); the BSP's VirtIO
              drivers undefined (rtt.build's default).
  peer-fixed  the peer with PEER_FIX (below) applied to the BSP copy in its
              own build folder (never to the shared tree): receive one
              frame per eth_rx call instead of chaining every pending frame
              behind the first, and post each receive buffer once.

Why peer-fixed: the peer as it is loses received frames (see PEER_FIX and
the diagnostic part of the report). Its TCP then crawls on retransmission
timeouts, so its figures say nothing about the cost of a driver; the
fixed copy does.

Every run boots QEMU (-smp 1, legacy virtio-mmio: QEMU's default, the
only kind the BSP's drivers take) with the same arguments for all:
`-netdev user,id=n0 -device virtio-net-device,netdev=n0,bus=virtio-mmio-bus.1`
(the BSP's drv_virtio.c scans all 32 slots, as ours does). It waits until
`ifconfig` shows an address 10.0.2.x from QEMU's DHCP, then in the guest:

  vtk_spin 1024             1 MiB of plain code timed (no driver): how
                            fast this boot's emulated CPU runs
  vtk_icmp 10.0.2.2 PINGS   echo requests one after the other on a raw
                            socket, each timed (median per run); QEMU's
                            user network answers them itself
  vtk_tcpsend ...           MIB MiB guest -> host: the host server (this
                            script, on 127.0.0.1 = 10.0.2.2 for the guest)
                            answers one byte once it has them all, then
                            compares them with the pattern
  vtk_tcprecv ...           MIB MiB host -> guest, compared in the guest

Times are taken inside RT-Thread with the Armv8 generic timer
(microseconds). MB/s is 10^6 bytes/s of the bytes that arrived and were
verified, over the guest's clock; a transfer that does not finish within
--limit-s stops there (its rate is then what got through). The fixture
also reports the time the CPU spent waiting for an interrupt in the idle
thread during each transfer (busy = the rest): with either working driver
the emulated CPU is busy nearly all the time, so the figures are the guest
instructions per frame at TCG's speed.

Rounds are interleaved (peer, ours, peer-fixed, peer, ...); the table has
medians. QEMU's vCPU thread runs alone on one core, its other threads and
this script on the other (--no-pin: wherever the scheduler puts them).
During each run the script records how many CPUs other processes kept busy
(bench_blk.OtherLoad: the machine's busy time minus QEMU's and this
script's); the figures are only comparable when that is near 0. QEMU's
speed also differs from boot to boot on an idle machine (vtk_spin).

After the rounds, one diagnostic boot per driver (not timed, not in the
table) records the traffic (QEMU filter-dump, pcap) and counts QEMU's
trace events (guest kicks, interrupts, virtio-mmio register accesses)
while DIAG_MIB MiB go each way: retransmissions, and segments the guest
sent again although the host had acknowledged them (the guest never saw
the acknowledgement), exits per frame. --profile adds one boot per working
driver counting the guest instructions executed per echo and per segment
by function (QEMU's exec log, see profile_driver). Python standard library
only.
"""
import argparse
import bisect
import os
import re
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import rtt  # noqa: E402
import test_rtthread  # noqa: E402
from bench_blk import OtherLoad, good_bytes, object_text, symbols  # noqa: E402

OBJ = "virtio_net.o"  # the BSP driver object the fix changes

ARCH = "aarch64"
APP = os.path.join(HERE, "fixtures", "vtk_netbench")
EXPORT_DEVICES = "blk,rng,console,net"
DRIVERS = ("peer", "ours", "peer-fixed")
GUEST_HOST = "10.0.2.2"       # the host's loopback, seen from the guest
PINGS = 200
MIB = 8
LIMIT_S = 20                  # a transfer that has not finished stops here
DIAG_MIB = 2
PATCHED = "bsp/qemu-virt64-aarch64/driver/virtio/virtio_net.c"  # in the tree
PATCH_MARK = "one frame per call"
NET_QEMU_ARGS = ["-netdev", "user,id=n0",
                 "-device", "virtio-net-device,netdev=n0,bus=virtio-mmio-bus.1",
                 "-name", "vtk-netbench,debug-threads=on"]   # names the vCPU thread
TRACE_EVENTS = ("virtio_queue_notify", "virtio_notify", "virtio_mmio_read",
                "virtio_mmio_write_offset")

# The peer's receive path, as in this tree (driver/virtio/virtio_net.c):
#
# - virtio_net_rx() takes every used buffer in one call and links the
#   frames into one pbuf chain (p->next = new), each pbuf with tot_len =
#   its own length. lwIP takes the chain as one frame: ip4_input trims the
#   packet to the IP length (pbuf_realloc frees the rest of the chain), so
#   every frame after the first of a call is dropped. Frames come in
#   bursts (TCP data, the host's ACKs), so most are lost.
# - virtio_net_init() writes avail->ring[i] = (i * 2) % num for i < num
#   (16): each of the 8 two-descriptor buffers is posted twice, so the
#   device may write two frames into one buffer before the driver has
#   copied the first.
#
# The fix: one frame per call (ethernetif's receive thread calls eth_rx
# until it returns NULL), and num / 2 buffers posted once each. The first
# alone made TCP work (tried by hand: 2 MiB each way, checked); the second
# alone did not. Left as it is: virtio_net_tx() reuses a transmit buffer
# (8 in turn) without looking whether the device is done with it; the
# diagnostic boots never saw a retransmission from it.
PEER_FIX = """\
--- a/bsp/qemu-virt64-aarch64/driver/virtio/virtio_net.c
+++ b/bsp/qemu-virt64-aarch64/driver/virtio/virtio_net.c
@@ -117,6 +117,8 @@
 #ifdef RT_USING_SMP
             rt_spin_unlock_irqrestore(&virtio_dev->spinlock, level);
 #endif
+            /* one frame per call: ethernetif's thread calls again */
+            break;
         }
         else
         {
@@ -141,7 +143,8 @@
     virtio_alloc_desc_chain(virtio_dev, VIRTIO_NET_QUEUE_RX, queue_rx->num, idx);
     virtio_alloc_desc_chain(virtio_dev, VIRTIO_NET_QUEUE_TX, queue_tx->num, idx);
 
-    for (i = 0; i < queue_rx->num; ++i)
+    /* two descriptors per buffer: num / 2 buffers, each posted once */
+    for (i = 0; i < queue_rx->num / 2; ++i)
     {
         rt_uint16_t id = (i * 2) % queue_rx->num;
         void *addr = virtio_net_dev->info[i].tx_buffer;
@@ -159,7 +162,7 @@
     rt_hw_dsb();
 
     queue_rx->avail->flags = 0;
-    queue_rx->avail->idx = queue_rx->num;
+    queue_rx->avail->idx = queue_rx->num / 2;
 
     queue_rx->used_idx = queue_rx->used->idx;
 
"""


# --- builds --------------------------------------------------------------------

def apply_fix(tree):
    """PEER_FIX onto the tree copy (the file is the shared tree's again
    after every sync)."""
    target = os.path.join(tree, PATCHED)
    with open(target) as fh:
        if PATCH_MARK in fh.read():
            return
    proc = subprocess.run(["patch", "-p1", "--forward", "--no-backup-if-mismatch", "-d", tree],
                          input=PEER_FIX, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    if proc.returncode != 0:
        raise rtt.BuildError("PEER_FIX does not apply to %s:\n%s" % (tree, proc.stdout))


def build_all(build_dir, drivers):
    """{driver: Image}; checks each image holds the driver it should."""
    net = test_rtthread.network_defines(rtt.DEFAULT_RTT_ROOT)
    images = {}
    start = time.monotonic()
    if "peer" in drivers:
        images["peer"] = rtt.build(ARCH, os.path.join(build_dir, "peer"), defines=net,
                                   extra_dirs={"vtk_netbench": APP}, keep_peer_virtio=True)
    if "ours" in drivers:
        folder = os.path.join(build_dir, "virtio-toolkit")
        test_rtthread.export(folder, EXPORT_DEVICES)
        defines = test_rtthread.kconfig_defines(folder)
        defines.update(net)
        images["ours"] = rtt.build(ARCH, os.path.join(build_dir, "ours"), defines=defines,
                                   extra_dirs={"virtio-toolkit": folder, "vtk_netbench": APP})
    if "peer-fixed" in drivers:
        images["peer-fixed"] = rtt.build(ARCH, os.path.join(build_dir, "peer-fixed"),
                                         defines=net, extra_dirs={"vtk_netbench": APP},
                                         keep_peer_virtio=True, after_copy=apply_fix)
    for name, fixed in (("peer-fixed", True), ("peer", False)):
        if name in images:
            with open(os.path.join(images[name].bsp_dir, "..", "..", PATCHED)) as fh:
                if (PATCH_MARK in fh.read()) != fixed:
                    raise rtt.BuildError("%s: %s %s the fix after the build"
                                         % (name, PATCHED, "lacks" if fixed else "has"))
    if "peer" in images and "peer-fixed" in images and \
            object_text(images["peer"], OBJ) == object_text(images["peer-fixed"], OBJ):
        raise rtt.BuildError("peer-fixed: virtio_net.o has the unfixed code")
    for name, image in images.items():
        syms = symbols(image)
        want_peer = name != "ours"
        if ("rt_virtio_net_init" in syms) != want_peer or \
                ("vtk_virtio_net_init" in syms) == want_peer or \
                not {"vtk_tcpsend", "vtk_tcprecv", "vtk_icmp", "vtk_spin", "timed_wfi"} <= syms:
            raise rtt.BuildError("%s: image has the wrong network driver or no fixture" % name)
    return images, time.monotonic() - start


# --- the host end ----------------------------------------------------------------

class HostEnd:
    """The host side of one transfer, on 127.0.0.1 (10.0.2.2 for the
    guest). mode "send" (the guest sends): takes size bytes, answers 'K'
    once it has them all. mode "recv": waits for the guest's 'G', then
    sends size bytes of the pattern. Either way it then waits for the
    guest to close. finish(), once the guest's command is done: what had
    arrived by then is compared with the pattern (send mode), and the
    connection is shut down if the guest left it open."""

    def __init__(self, mode, want, timeout):
        self.mode, self.want, self.timeout = mode, want, timeout
        self.buf = bytearray(len(want) if mode == "send" else 0)
        self.got = 0          # bytes received (send mode)
        self.good = 0         # of those at finish(), in 512-byte blocks equal to the pattern
        self.error = None
        self.conn = None
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.sock.settimeout(60)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        try:
            conn, _ = self.sock.accept()
        except OSError as e:
            self.error = "accept: %s" % e
            return
        self.conn = conn
        with conn:
            conn.settimeout(self.timeout)
            try:
                if self.mode == "send":
                    self.take(conn)
                else:
                    if conn.recv(1) != b"G":
                        self.error = "no 'G' from the guest"
                        return
                    conn.sendall(self.want)
                while conn.recv(65536):   # until the guest closes
                    pass
            except OSError as e:
                self.error = "%s: %s" % (type(e).__name__, e)

    def take(self, conn):
        size = len(self.want)
        view = memoryview(self.buf)
        while self.got < size:
            n = conn.recv_into(view[self.got:], min(size - self.got, 1 << 20))
            if not n:
                return
            self.got += n
        conn.sendall(b"K")

    def finish(self):
        got = self.got
        self.thread.join(2)
        if self.thread.is_alive() and self.conn is not None:
            try:
                self.conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.sock.close()
        self.thread.join(self.timeout + 5)
        if self.mode == "send":
            self.good = good_bytes(bytes(self.buf[:got]), self.want[:got])
        self.got = got


# --- runs ----------------------------------------------------------------------

def cpus_for_pinning():
    """(core for QEMU's vCPU thread, core for everything else), or None
    with fewer than two usable CPUs."""
    cpus = sorted(os.sched_getaffinity(0))
    return (cpus[-1], cpus[0]) if len(cpus) >= 2 else None


def pin_vcpu(pid, cores):
    """QEMU's vCPU thread ("CPU 0/TCG", named by debug-threads) alone on
    cores[0]; its other threads (main loop: slirp, virtio-net's transmit
    bottom half) on cores[1], where this script runs too. Unpinned, the
    host scheduler sometimes put the vCPU and the main loop on one core
    for a whole boot: ping RTT then took about 1.6 x as long (with either
    driver), which split the runs into two groups."""
    found = False
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/comm" % (pid, tid)) as fh:
                vcpu = "/TCG" in fh.read()
            os.sched_setaffinity(int(tid), {cores[0]} if vcpu else {cores[1]})
            found = found or vcpu
        except (FileNotFoundError, ProcessLookupError):
            pass
    if not found:
        raise rtt.QemuError("no vCPU thread (CPU n/TCG) in QEMU %d" % pid)

def fields(line):
    return dict(re.findall(r"(\w+)=(\S+)", line))


def parse(out, prefix, what):
    m = re.search(r"VTKN %s ([^\r\n]*)" % prefix, out)
    if not m:
        raise rtt.QemuError("%s: no 'VTKN %s' line in:\n%s" % (what, prefix, out[-1500:]))
    f = fields(m.group(1))
    f["line"] = m.group(0).strip()
    return f


def wait_dhcp(vm, what, seconds=40):
    """Until ifconfig shows an address from QEMU's DHCP; seconds taken."""
    start = time.monotonic()
    test_rtthread.wait_for(vm, "ifconfig", r"ip address: 10\.0\.2\.\d+", seconds, what + " DHCP")
    return time.monotonic() - start


def transfer(vm, mode, size, seed, limit_s, want, what):
    """One vtk_tcpsend / vtk_tcprecv with its host end: a result dict
    (us, idle, delivered: bytes that arrived and were verified, complete,
    status)."""
    host = HostEnd(mode, want, limit_s + 20)
    try:
        out = vm.command("vtk_tcp%s %s %d %d %d %d" % (mode, GUEST_HOST, host.port, size, seed,
                                                    limit_s * 1000), limit_s + 60)
    finally:
        host.finish()
    f = parse(out, mode, what)
    res = {"us": int(f.get("us", 0)), "idle": int(f.get("idle", -1)), "line": f["line"],
           "host_error": host.error}
    if mode == "send":
        res["delivered"] = host.good
        res["complete"] = "ok" in f["line"].split() and host.good == size
        res["status"] = "ok" if res["complete"] else (
            "host got %d, %d verified; guest: %s" % (host.got, host.good, f["line"][-40:]))
    else:
        res["delivered"] = int(f.get("good", 0))
        res["complete"] = f.get("verify") == "ok" and res["delivered"] == size
        res["status"] = "ok" if res["complete"] else f["line"][-60:]
    return res


def run_one(driver, image, rnd, args, patterns, log):
    """One boot: DHCP, ping, send, receive. A result dict."""
    size = args.mib << 20
    res = {"driver": driver}
    load = OtherLoad()
    what = "%s round %d" % (driver, rnd + 1)
    with rtt.Qemu(ARCH, image, NET_QEMU_ARGS, log=log) as vm:
        load.start(vm.proc.pid)
        try:
            vm.wait_prompt(30)
            if args.pin:
                pin_vcpu(vm.proc.pid, args.pin)
            res["dhcp_s"] = wait_dhcp(vm, what)
            res["spin"] = parse(vm.command("vtk_spin 1024", 60), "spin", what)
            res["ping"] = parse(vm.command("vtk_icmp %s %d" % (GUEST_HOST, args.pings),
                                           args.pings * 1.1 + 20), "icmp", what)
            for mode in ("send", "recv"):
                seed = seed_of(rnd, mode)
                res[mode] = transfer(vm, mode, size, seed, args.limit_s, patterns[seed],
                                     "%s %s" % (what, mode))
        except (rtt.QemuError, AssertionError) as e:
            res["error"] = str(e)[-2500:]
        res["other_cpus"] = load.stop()
    return res


def seed_of(rnd, mode):
    return 0x6e70 + 4 * rnd + (mode == "recv")


# --- diagnostics -----------------------------------------------------------------

def read_pcap(path):
    """[(time, frame bytes)] of a libpcap file (Ethernet)."""
    with open(path, "rb") as fh:
        data = fh.read()
    if len(data) < 24:
        return []
    endian = "<" if data[:4] == b"\xd4\xc3\xb2\xa1" else ">"
    frames, off = [], 24
    while off + 16 <= len(data):
        sec, usec, incl, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        frames.append((sec + usec / 1e6, data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return frames


def tcp_stats(frames, guest_ip="10.0.2.15"):
    """Per connection (by the host's port) and direction: data segments,
    retransmitted ones (their end not beyond what was sent before), and,
    of the guest's, those the host had acknowledged already."""
    guest = bytes(int(x) for x in guest_ip.split("."))
    conns = {}
    for _, f in frames:
        if len(f) < 34 or f[12:14] != b"\x08\x00" or f[23] != 6:
            continue
        ip = f[14:]
        hl = (ip[0] & 15) * 4
        total = struct.unpack(">H", ip[2:4])[0]
        tcp = ip[hl:]
        sport, dport, seq, ack = struct.unpack(">HHII", tcp[:12])
        doff = (tcp[12] >> 4) * 4
        flags = tcp[13]
        length = total - hl - doff
        from_guest = ip[12:16] == guest
        c = conns.setdefault(dport if from_guest else sport, {
            "g": {"isn": None, "sent_end": 0, "segs": 0, "retx": 0, "retx_acked": 0, "frames": 0},
            "h": {"isn": None, "sent_end": 0, "segs": 0, "retx": 0, "retx_acked": 0, "frames": 0},
            "acked": {"g": 0, "h": 0}})
        me, other = ("g", "h") if from_guest else ("h", "g")
        d = c[me]
        d["frames"] += 1
        if flags & 0x02:      # SYN
            d["isn"] = seq
        if flags & 0x10 and c[other]["isn"] is not None:
            c["acked"][other] = max(c["acked"][other], (ack - c[other]["isn"]) % 2**32)
        if length <= 0 or d["isn"] is None:
            continue
        end = (seq - d["isn"]) % 2**32 + length
        d["segs"] += 1
        if end <= d["sent_end"]:
            d["retx"] += 1
            if end <= c["acked"][me]:
                d["retx_acked"] += 1
        d["sent_end"] = max(d["sent_end"], end)
    return conns


def trace_counts(path, start_line):
    counts = {e: 0 for e in TRACE_EVENTS}
    with open(path, errors="replace") as fh:
        for i, line in enumerate(fh):
            if i >= start_line:
                name = line.split(" ", 1)[0]
                if name in counts:
                    counts[name] += 1
    return counts


def line_count(path):
    with open(path, errors="replace") as fh:
        return sum(1 for _ in fh)


def diagnose(driver, image, tmp, args, log):
    """One boot with the traffic recorded and QEMU's virtio trace events
    counted while DIAG_MIB MiB go each way. {mode: {...}}."""
    pcap = os.path.join(tmp, "diag-%s.pcap" % driver)
    trace = os.path.join(tmp, "diag-%s.trace" % driver)
    extra = ["-object", "filter-dump,id=f0,netdev=n0,file=" + pcap, "-D", trace]
    for event in TRACE_EVENTS:
        extra += ["-trace", event]
    size = DIAG_MIB << 20
    out = {}
    with rtt.Qemu(ARCH, image, NET_QEMU_ARGS + extra, log=log) as vm:
        try:
            vm.wait_prompt(30)
            if args.pin:
                pin_vcpu(vm.proc.pid, args.pin)
            wait_dhcp(vm, driver + " diagnostic")
            for mode in ("send", "recv"):
                seed = 0x0d1a + (mode == "recv")
                time.sleep(0.3)
                first = line_count(trace)
                r = transfer(vm, mode, size, seed, args.limit_s,
                             test_rtthread.pattern(size, seed), driver + " diagnostic " + mode)
                time.sleep(0.3)
                r["trace"] = trace_counts(trace, first)
                out[mode] = r
        except (rtt.QemuError, AssertionError) as e:
            out["error"] = str(e)[-1500:]
    conns = tcp_stats(read_pcap(pcap))
    # The connections in the order they were made: send first, recv second.
    for mode, port in zip(("send", "recv"), list(conns)):  # in the order they were made
        if mode in out:
            out[mode]["tcp"] = conns[port]
    return out


# --- instruction profile (--profile) ---------------------------------------------

PROFILE_KIB = 128
PROFILE_PINGS = 50
# Fixture work outside the timed part of its commands (making, clearing
# and checking the pattern): left out of the profile.
FIXTURE_UNTIMED = {"make_pattern", "pattern_word", "check_pattern", "clear"}
# A TCG translation block ends at a branch or an instruction that may
# change the CPU's state.
TB_END = re.compile(r"^(b|bl|br|blr|ret|cbz|cbnz|tbz|tbnz|b\.\w+|eret|svc|hvc|smc|brk|wfi|wfe|"
                    r"isb|hlt|msr|yield|sev|sevl)$")
GROUPS = (("virtio-toolkit/", "driver"), ("driver/virtio/", "driver"),
          ("components/net/lwip", "lwIP"), ("components/net/sal", "SAL, netdev"),
          ("components/net/netdev", "SAL, netdev"), ("kernel/src/", "kernel"),
          ("libcpu/", "kernel"), ("components/drivers/ipc", "kernel"),
          ("picolibc", "libc"), ("vtk_netbench", "fixture"))
CALLS = ("rt_cpus_lock", "rt_mutex_take", "rt_event_send", "rt_sem_release", "rt_mb_send_wait",
         "rt_schedule", "rt_smem_alloc", "pbuf_alloc", "rt_memcpy", "copy")
GROUP_ORDER = ("driver", "lwIP", "SAL, netdev", "kernel", "libc", "fixture", "other")


class Elf:
    """Functions (nm), instructions (objdump) and the object file of each
    text address (the link map) of an image."""

    def __init__(self, image):
        prefix = rtt.ARCHES[ARCH].host_prefix
        self.syms = []
        for line in subprocess.run([prefix + "nm", "-n", image.elf], check=True,
                                   stdout=subprocess.PIPE, text=True).stdout.splitlines():
            f = line.split()
            if len(f) == 3 and f[1] in "TtWw":
                self.syms.append((int(f[0], 16), f[2]))
        self.addrs = [a for a, _ in self.syms]
        self.insns = {}
        for line in subprocess.run([prefix + "objdump", "-d", "--no-show-raw-insn", image.elf],
                                   check=True, stdout=subprocess.PIPE,
                                   text=True).stdout.splitlines():
            m = re.match(r"^\s*([0-9a-f]+):\s+(\S+)", line)
            if m:
                self.insns[int(m.group(1), 16)] = m.group(2)
        self.objects = []   # (start, end, group)
        with open(os.path.join(image.bsp_dir, "rtthread.map"), errors="replace") as fh:
            text = fh.read()
        for m in re.finditer(r"^ \.text\S*\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$", text, re.M):
            start, size = int(m.group(1), 16), int(m.group(2), 16)
            if size and start:
                group = next((g for key, g in GROUPS if key in m.group(3)), "other")
                self.objects.append((start, start + size, group))
        self.objects.sort()
        self.starts = [o[0] for o in self.objects]
        self.tb_cache = {}

    def function(self, pc):
        i = bisect.bisect_right(self.addrs, pc) - 1
        return self.syms[i][1] if i >= 0 else "?"

    def group(self, pc):
        i = bisect.bisect_right(self.starts, pc) - 1
        if i >= 0 and pc < self.objects[i][1]:
            return self.objects[i][2]
        return "other"

    def tb_length(self, pc):
        """Instructions of the translation block starting at pc: up to the
        first that ends one, the end of the page, or 512."""
        n = self.tb_cache.get(pc)
        if n is None:
            n, at = 0, pc
            while at in self.insns and n < 512:
                n += 1
                if TB_END.match(self.insns[at]):
                    break
                at += 4
                if at % 4096 == 0:
                    break
            n = self.tb_cache[pc] = max(n, 1)
        return n


def exec_profile(path, elf):
    """({function: (group, instructions)}, {function: entries}) from
    QEMU's -d exec log (an entry: a block starting at the function's
    address; a loop back to the first instruction would count too)."""
    line_re = re.compile(r"Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/")
    counts, where = {}, {}
    with open(path, errors="replace") as fh:
        for line in fh:
            m = line_re.match(line)
            if m:
                pc = int(m.group(1), 16)
                counts[pc] = counts.get(pc, 0) + 1
    out, calls = {}, {}
    for pc, n in counts.items():
        fn = elf.function(pc)
        group, total = out.get(fn, (elf.group(pc), 0))
        out[fn] = (group, total + n * elf.tb_length(pc))
        if elf.addrs[bisect.bisect_right(elf.addrs, pc) - 1] == pc:
            calls[fn] = calls.get(fn, 0) + n   # blocks at a function's entry
    return out, calls


def profile_driver(driver, image, tmp, args, log):
    """Guest instructions executed per echo and per TCP segment: QEMU's
    exec log (-d exec,nochain, switched on over QMP only while one msh
    command runs), each logged translation block weighted by its length.
    Logging slows the guest about 200-fold, so the 10 ms timer tick runs
    far more often per unit of work than in the timed runs: an idle window
    (pings to an absent address, 2 s) gives its instructions per guest
    second, subtracted from the totals."""
    from harness import QMP     # tests/qemu, on the path through test_rtthread
    elf = Elf(image)
    qmp_path = os.path.join(tmp, "qmp-%s.sock" % driver)
    extra = ["-qmp", "unix:%s,server=on,wait=off" % qmp_path, "-d", "nochain"]
    segments = -(-(PROFILE_KIB << 10) // 1460)
    windows = (("idle", "vtk_icmp 10.0.2.99 2", None),
               ("ping", "vtk_icmp %s %d" % (GUEST_HOST, PROFILE_PINGS), PROFILE_PINGS),
               ("send", "send", segments), ("recv", "recv", segments))
    out = {}
    with rtt.Qemu(ARCH, image, NET_QEMU_ARGS + extra, log=log) as vm:
        vm.wait_prompt(30)
        wait_dhcp(vm, driver + " profile")
        with QMP(qmp_path).connect() as qmp:
            for name, cmd, units in windows:
                path = os.path.join(tmp, "exec-%s-%s.log" % (driver, name))
                host = None
                if cmd in ("send", "recv"):
                    size, seed = PROFILE_KIB << 10, 0x9f0 + (cmd == "recv")
                    host = HostEnd(cmd, test_rtthread.pattern(size, seed), 120)
                    cmd = "vtk_tcp%s %s %d %d %d %d" % (cmd, GUEST_HOST, host.port, size, seed,
                                                       100000)
                qmp.execute("human-monitor-command", {"command-line": "logfile " + path})
                qmp.execute("human-monitor-command", {"command-line": "log exec,nochain"})
                try:
                    text = vm.command(cmd, 300)
                finally:
                    qmp.execute("human-monitor-command", {"command-line": "log nochain"})
                    if host:
                        host.finish()
                m = re.search(r"VTKN \w+ .*\bus=(\d+)", text)
                if not m or (name != "idle" and not re.search(r" ok\b|verify=ok|received=%d"
                                                              % PROFILE_PINGS, text)):
                    raise rtt.QemuError("%s profile %s: %s" % (driver, name, text[-500:]))
                fns, calls = exec_profile(path, elf)
                os.remove(path)
                out[name] = {"us": int(m.group(1)), "units": units, "fns": fns, "calls": calls,
                             "total": sum(n for g, n in fns.values())}
    idle = out.pop("idle")
    per_us = idle["total"] / idle["us"]
    for w in out.values():
        w["tick"] = per_us * w["us"]
    return out


def profile_report(profiles):
    """Instructions per unit by group, and the functions that differ most
    between ours and each other driver."""
    lines = ["| driver | per | all (less the tick) | " + " | ".join(GROUP_ORDER) + " | tick "
             "(estimated) |", "| --- | --- | --- |" + " --- |" * (len(GROUP_ORDER) + 1)]
    for d, prof in profiles.items():
        for name, w in prof.items():
            groups = dict.fromkeys(GROUP_ORDER, 0)
            for fn, (g, n) in w["fns"].items():
                if fn not in FIXTURE_UNTIMED:
                    groups[g] += n
            w["groups"] = groups
            total = sum(groups.values())
            unit = "echo" if name == "ping" else "1460-byte segment, " + (
                "guest->host" if name == "send" else "host->guest")
            lines.append("| %s | %s | %.0f | %s | %.0f |" % (
                d, unit, (total - w["tick"]) / w["units"],
                " | ".join("%.0f" % (groups[g] / w["units"]) for g in GROUP_ORDER),
                w["tick"] / w["units"]))
    lines += ["", "Calls per unit of some functions (ours: net_tx/net_rx take the device "
              "mutex, every interrupt sends the device event and wakes lwIP's receive thread; "
              "RT-Thread's driver: a spinlock; both: lwIP's own calls):", "",
              "| driver | per | " + " | ".join(CALLS) + " |",
              "| --- | --- |" + " --- |" * len(CALLS)]
    for d, prof in profiles.items():
        for name, w in prof.items():
            lines.append("| %s | %s | %s |" % (d, name if name != "ping" else "echo", " | ".join(
                "%.1f" % (w["calls"].get(f, 0) / w["units"]) for f in CALLS)))
    if "ours" in profiles:
        for other in (d for d in profiles if d != "ours"):
            for name in profiles["ours"]:
                a, b = profiles["ours"][name], profiles[other][name]
                fns = set(a["fns"]) | set(b["fns"])
                diff = sorted(((a["fns"].get(f, ("", 0))[1] / a["units"]
                                - b["fns"].get(f, ("", 0))[1] / b["units"], f) for f in fns
                               if f not in FIXTURE_UNTIMED), reverse=True)
                top = [x for x in diff if abs(x[0]) >= 50]
                top = top[:8] + [x for x in top[8:] if x[0] < 0][-4:]
                lines += ["", "ours - %s, instructions per %s, largest differences (function: "
                          "ours, %s): %s" % (other, "echo" if name == "ping" else
                                            "segment " + name, other, "; ".join(
                              "%s %+.0f (%.0f, %.0f)" % (
                                  f, dv, a["fns"].get(f, ("", 0))[1] / a["units"],
                                  b["fns"].get(f, ("", 0))[1] / b["units"])
                              for dv, f in top))]
    return "\n".join(lines)


# --- report --------------------------------------------------------------------

def rate(run, mode):
    """MB/s (10^6 bytes/s) that arrived and were verified; nan when the
    run failed before it."""
    r = run.get(mode)
    if not r or r["us"] <= 0:
        return float("nan")
    return r["delivered"] / r["us"]


def ping_median(run):
    p = run.get("ping")
    return int(p["median_us"]) if p and "median_us" in p else float("nan")


def spin_ms(run):
    """This boot's time for vtk_spin 1024 (plain code, no driver), ms."""
    p = run.get("spin")
    return int(p["us"]) / 1000 if p and "us" in p else float("nan")


def ping_busy(run):
    """Guest CPU busy time per echo (us): the vtk_icmp loop's time less
    its idle time, over the requests."""
    p = run.get("ping")
    if not p or int(p.get("idle", -1)) < 0:
        return float("nan")
    return (int(p["us"]) - int(p["idle"])) / int(p["sent"])


def busy_share(run, mode):
    r = run.get(mode)
    if not r or r["us"] <= 0 or r["idle"] < 0:
        return float("nan")
    return 1 - r["idle"] / r["us"]


def med(values):
    values = [v for v in values if v == v]
    return statistics.median(values) if values else float("nan")


def span(values, fmt):
    values = [v for v in values if v == v]
    if not values:
        return "-"
    return (fmt + ".." + fmt) % (min(values), max(values))


def count_span(values):
    lo, hi = min(values), max(values)
    return "%d" % lo if lo == hi else "%d..%d" % (lo, hi)


def report(runs, drivers, args):
    size = args.mib << 20
    # QEMU runs some boots up to 2x slower than others on an idle machine
    # (vtk_spin); the RTT follows (correlation 0.8-0.9 in our runs), the
    # TCP rates much less. scaled(): a run's RTT at the median boot speed.
    ref = med([spin_ms(r) for d in drivers for r in runs[d]])

    def scaled(r):
        return ping_median(r) * ref / spin_ms(r)

    lines = ["| driver | guest->host MB/s median (min..max) | host->guest MB/s median (min..max) "
             "| ping RTT us, median of the runs' medians (min..max) | ping RTT us scaled to the "
             "median boot speed (vtk_spin), median (min..max) | bytes arrived and verified, "
             "guest->host (host checked) / host->guest (guest checked), per run | ping replies "
             "| guest CPU busy, send / recv (median) | guest CPU busy per echo, us (median) "
             "| DHCP s (median) | vtk_spin 1024, ms: plain code, no driver (median, min..max) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for d in drivers:
        rs = runs[d]
        send = [rate(r, "send") for r in rs]
        recv = [rate(r, "recv") for r in rs]
        ping = [ping_median(r) for r in rs]
        got = {m: [r[m]["delivered"] if m in r else 0 for r in rs] for m in ("send", "recv")}
        replies = [int(r["ping"]["received"]) if "ping" in r else 0 for r in rs]
        errors = sum(1 for r in rs if "error" in r)
        lines.append("| %s | %.2f (%s) | %.2f (%s) | %.0f (%s) | %.0f (%s) | %s / %s of %d%s "
                     "| %s of %d | %.0f%% / %.0f%% | %.0f | %.1f | %.1f (%s) |"
                     % (d, med(send), span(send, "%.2f"), med(recv), span(recv, "%.2f"),
                        med(ping), span(ping, "%.0f"), med([scaled(r) for r in rs]),
                        span([scaled(r) for r in rs], "%.0f"), count_span(got["send"]),
                        count_span(got["recv"]), size,
                        " (%d runs failed)" % errors if errors else "",
                        count_span(replies), args.pings,
                        100 * med([busy_share(r, "send") for r in rs]),
                        100 * med([busy_share(r, "recv") for r in rs]),
                        med([ping_busy(r) for r in rs]),
                        med([r.get("dhcp_s", float("nan")) for r in rs]),
                        med([spin_ms(r) for r in rs]), span([spin_ms(r) for r in rs], "%.1f")))
    incomplete = [d for d in drivers for r in runs[d]
                  if not all(r.get(m, {}).get("complete") for m in ("send", "recv"))]
    if incomplete:
        lines += ["", "Incomplete transfers (stopped after %d s, or failed): %s. Their MB/s is "
                  "what arrived within the time, not a driver's rate."
                  % (args.limit_s, ", ".join("%s x%d" % (d, incomplete.count(d))
                                            for d in drivers if d in incomplete))]
    base = [b for b in ("peer", "peer-fixed") if b in drivers and b != "ours"]
    if "ours" in drivers and base:
        lines += ["", "Ratios ours / X (of the medians; per-round ratios min..max). Throughput: "
                  "above 1 = ours faster. Ping RTT: below 1 = ours faster.", "",
                  "| X | guest->host | host->guest | ping RTT | ping RTT, speed-scaled |",
                  "| --- | --- | --- | --- | --- |"]
        for b in base:
            cells = []
            for f in (lambda r: rate(r, "send"), lambda r: rate(r, "recv"), ping_median, scaled):
                per = [f(o) / f(p) for o, p in zip(runs["ours"], runs[b]) if f(p) and f(p) == f(p)]
                m = med([f(r) for r in runs["ours"]]) / med([f(r) for r in runs[b]])
                cells.append("%.2f (%s)" % (m, span(per, "%.2f")))
            lines.append("| %s | %s |" % (b, " | ".join(cells)))
    return "\n".join(lines)


def diag_report(diags, args):
    lines = ["| driver | direction | guest frames | host frames | data segments (sender) "
             "| retransmitted | guest re-sent although acked | kicks / guest frame "
             "| interrupts / host frame | virtio-mmio accesses / frame (both ways) "
             "| MB/s (traced) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for d, diag in diags.items():
        for mode in ("send", "recv"):
            r = diag.get(mode)
            if not r or "tcp" not in r:
                lines.append("| %s | %s | no data (%s) | | | | | | | | |"
                             % (d, mode, diag.get("error", "?")[-80:].replace("\n", " ")))
                continue
            c, t = r["tcp"], r["trace"]
            sender = c["g"] if mode == "send" else c["h"]
            gf, hf = c["g"]["frames"], c["h"]["frames"]
            mmio = t["virtio_mmio_read"] + t["virtio_mmio_write_offset"]
            lines.append("| %s | %s | %d | %d | %d | %d | %d | %.2f | %.2f | %.1f | %.3g |"
                         % (d, "guest->host" if mode == "send" else "host->guest", gf, hf,
                            sender["segs"], sender["retx"], c["g"]["retx_acked"],
                            t["virtio_queue_notify"] / max(gf, 1),
                            t["virtio_notify"] / max(hf, 1), mmio / max(gf + hf, 1),
                            r["delivered"] / r["us"] if r["us"] else 0))
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build-dir", required=True)
    p.add_argument("--rounds", type=int, default=7,
                   help="interleaved rounds; at least 7 (default %(default)s)")
    p.add_argument("--mib", type=int, default=MIB, help="MiB each way (default %(default)s)")
    p.add_argument("--pings", type=int, default=PINGS, help="echo requests per run "
                   "(default %(default)s)")
    p.add_argument("--limit-s", type=int, default=LIMIT_S, help="a transfer stops after this "
                   "many seconds (default %(default)s)")
    p.add_argument("--drivers", default=",".join(DRIVERS),
                   help="comma-separated subset of %s" % ",".join(DRIVERS))
    p.add_argument("--no-diag", action="store_true", help="skip the diagnostic boots")
    p.add_argument("--profile", action="store_true",
                   help="also count guest instructions per echo and per segment (QEMU's exec "
                   "log; one more boot per driver, about a minute each, ~0.5 GB in the temp "
                   "folder at most)")
    p.add_argument("--profile-only", action="store_true",
                   help="build and profile only: no rounds, no diagnostic boots")
    p.add_argument("--no-pin", dest="pin", action="store_false",
                   help="leave QEMU's threads and this script where the scheduler puts them "
                   "(default: QEMU's vCPU thread alone on one core, the rest on another)")
    p.add_argument("--log", help="file for every QEMU console transcript")
    args = p.parse_args()
    drivers = [d for d in DRIVERS if d in args.drivers.split(",")]
    if args.pin:
        args.pin = cpus_for_pinning()
    if args.pin:
        # This script (and the threads and QEMUs it starts) on the other
        # core; each QEMU's vCPU thread is moved once QEMU has booted.
        os.sched_setaffinity(0, {args.pin[1]})
    for tool in ("scons", "patch", "qemu-system-aarch64"):
        if shutil.which(tool) is None:
            sys.exit("bench_net: %s is missing" % tool)
    build_dir = os.path.abspath(args.build_dir)
    start = time.monotonic()
    load_before = os.getloadavg()
    images, build_seconds = build_all(build_dir, drivers)
    print("built %s in %.1f s (bsp/%s)" % (", ".join(drivers), build_seconds,
                                          rtt.ARCHES[ARCH].bsp))
    sys.stdout.flush()
    if args.profile_only:
        args.rounds, args.no_diag, args.profile = 0, True, True
    size = args.mib << 20
    patterns = {seed_of(r, m): test_rtthread.pattern(size, seed_of(r, m))
                for r in range(args.rounds) for m in ("send", "recv")}
    runs = {d: [] for d in drivers}
    log = open(args.log, "w") if args.log else None
    bench_start = time.monotonic()
    for rnd in range(args.rounds):
        for d in drivers:
            r = run_one(d, images[d], rnd, args, patterns, log)
            runs[d].append(r)
            print("round %d %-10s other load %.2f CPUs  spin %s ms  send %.2f MB/s %s  "
                  "recv %.2f MB/s %s  ping median %s us (%s/%d)%s" % (
                      rnd + 1, d, r["other_cpus"], spin_ms(r), rate(r, "send"),
                      r.get("send", {}).get("status", "-"), rate(r, "recv"),
                      r.get("recv", {}).get("status", "-"), ping_median(r),
                      r.get("ping", {}).get("received", "-"), args.pings,
                      "  ERROR " + r["error"][-300:] if "error" in r else ""))
            sys.stdout.flush()
    bench_seconds = time.monotonic() - bench_start
    diags, profiles = {}, {}
    diag_start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="rtt-netbench-") as tmp:
        if not args.no_diag:
            for d in drivers:
                diags[d] = diagnose(d, images[d], tmp, args, log)
        if args.profile:
            for d in drivers:
                if d != "peer":   # the unfixed peer hardly moves any data
                    profiles[d] = profile_driver(d, images[d], tmp, args, log)
    diag_seconds = time.monotonic() - diag_start
    if log:
        log.close()
    print()
    if args.rounds:
        print(report(runs, drivers, args))
        print()
    if diags:
        print("Diagnostic boot per driver (%d MiB each way, traffic recorded by QEMU's "
              "filter-dump, trace events counted; not timed like the rounds):" % DIAG_MIB)
        print()
        print(diag_report(diags, args))
        print()
    if profiles:
        print("Guest instructions (QEMU exec log; %d echo requests, %d KiB each way; the "
              "fixture's own pattern work left out; the timer tick, inflated by the logging, "
              "estimated from an idle window and subtracted from the total only):"
              % (PROFILE_PINGS, PROFILE_KIB))
        print()
        print(profile_report(profiles))
        print()
    if args.rounds:
        print("%d MiB each way per run, %d echo requests of 56 bytes, transfers limited to %d s; "
              "%d rounds interleaved %s; QEMU legacy virtio-mmio, -smp 1, %s; %s."
              % (args.mib, args.pings, args.limit_s, args.rounds, ", ".join(drivers),
                 " ".join(NET_QEMU_ARGS),
                 "QEMU's vCPU thread pinned to CPU %d, its other threads and this script to "
                 "CPU %d" % args.pin if args.pin else "no CPU pinning"))
        other = [r["other_cpus"] for d in drivers for r in runs[d]]
        print("Other processes kept %.2f CPUs busy during the runs (median; %.2f..%.2f) of %d; "
              "load average before %.2f, after %.2f. The figures are only comparable on a quiet "
              "machine." % (statistics.median(other), min(other), max(other), os.cpu_count(),
                            load_before[0], os.getloadavg()[0]))
    print("Time: builds %.1f s, runs %.1f s, diagnostics %.1f s, total %.1f s."
          % (build_seconds, bench_seconds, diag_seconds, time.monotonic() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
