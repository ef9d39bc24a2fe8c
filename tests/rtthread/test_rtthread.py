#!/usr/bin/python3
"""The exported toolkit inside RT-Thread, on QEMU riscv64 and aarch64.

For each architecture: export blk, rng and console for RT-Thread (namespace
vtk, the Kconfig menu's defaults written into rtconfig.h as RT-Thread's
menuconfig would), drop the export and a small test application into the
BSP, build with scons, then in legacy and in modern virtio-mmio mode:
list_device shows our devices; mkfs, mount, a 1 MiB file of a known
pattern written, fsync'ed and compared inside RT-Thread, umount; QEMU
restarted on the same image and the file compared again; the host reads
the file out of the FAT image (mtools) and compares too; the rng gives
data; a console port echoes what the host sends through a socket, then
serves as the msh console; four threads write and read one disk at once;
DHCP, ping and 16 MiB each way over TCP to a host server; bars drawn on the
GPU framebuffer checked in a QMP screendump; keys and tablet moves injected
over QMP as an application reads them.

The aarch64 BSP is also built with its own VirtIO drivers kept beside
ours: both must link into one image (the namespace).

    /usr/bin/python3 tests/rtthread/test_rtthread.py --build-dir build/rtthread [--arch riscv64]
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, "tests", "qemu"))
import rtt  # noqa: E402
from harness import QMP, read_ppm  # noqa: E402

FILE_BYTES = 1 << 20
DISK_BYTES = 16 << 20
DEVICES = "blk,rng,console,net,gpu,input"
APP = os.path.join(HERE, "fixtures", "vtk_app")
NET_APP = os.path.join(HERE, "fixtures", "vtk_net")
TCP_BYTES = 16 << 20


def pattern(size, seed):
    """The bytes vtk_app.c's vtk_fill writes."""
    out = bytearray(size)
    for word in range(0, size, 4):
        x = (((word // 4 + 1) * 2654435761) ^ (seed * 40503)) & (2**64 - 1)
        out[word:word + 4] = x.to_bytes(8, "little")[:4]
    return bytes(out[:size])


def export(dest, devices=DEVICES):
    subprocess.run([sys.executable, "-m", "generator", "export", "--dest", dest, "-q", "--force",
                    "--devices", devices, "--transports", "mmio", "--os", "rtthread",
                    "--namespace", "vtk"], cwd=REPO, check=True)


def kconfig_defines(folder):
    """The export's Kconfig at its defaults, as rtconfig.h holds them
    (bool y: defined; int: its value)."""
    os.environ["CONFIG_"] = ""
    import kconfiglib
    kconf = kconfiglib.Kconfig(os.path.join(folder, "Kconfig"), warn=False)
    out = {}
    for sym in kconf.unique_defined_syms:
        if sym.type == kconfiglib.BOOL:
            if sym.str_value == "y":
                out[sym.name] = ""
        elif sym.str_value:
            out[sym.name] = sym.str_value
    return out


def network_defines(rtt_root):
    """lwIP, SAL and netdev as the aarch64 BSP configures them (the riscv64
    BSP has no network): its rtconfig.h lines from RT_USING_SAL to
    RT_LWIP_USING_PING, and the system workqueue."""
    with open(os.path.join(rtt_root, "bsp", "qemu-virt64-aarch64", "rtconfig.h")) as fh:
        text = fh.read()
    block = text[text.index("#define RT_USING_SAL\n"):text.index("#define RT_LWIP_USING_PING")]
    defines = dict(re.findall(r"^#define (\w+)[ \t]*(.*)$", block, re.M))
    defines["RT_LWIP_USING_PING"] = ""
    for name, value in re.findall(r"^#define (RT_(?:USING_)?SYSTEM_WORKQUEUE\w*)[ \t]*(.*)$", text, re.M):
        defines[name] = value  # SAL needs the system workqueue
    return defines


class TcpPeer:
    """The host end of vtk_tcp: takes BYTES keyed by seed and checks them,
    then sends BYTES keyed by seed + 1. Listens on the loopback address,
    which QEMU's user network shows the guest as 10.0.2.2."""

    def __init__(self, size, seed):
        self.size, self.seed = size, seed
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.sock.settimeout(120)
        self.port = self.sock.getsockname()[1]
        self.received_ok = None
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(120)
            want, got = pattern(self.size, self.seed), bytearray()
            while len(got) < self.size:
                chunk = conn.recv(1 << 16)
                if not chunk:
                    break
                got += chunk
            self.received_ok = bytes(got) == want
            conn.sendall(pattern(self.size, self.seed + 1))

    def close(self):
        self.sock.close()
        self.thread.join(5)


def wait_for(vm, command, regex, seconds, what):
    """Repeat an msh command until its output matches."""
    deadline = time.monotonic() + seconds
    while True:
        out = vm.command(command)
        if re.search(regex, out):
            return out
        if time.monotonic() > deadline:
            raise AssertionError("%s: no %r in:\n%s" % (what, regex, out))
        time.sleep(0.5)


def check_network(vm, qmp, arch, mode):
    """DHCP, ping, 16 MiB each way over TCP, both ends checking; the link
    taken down and up by QEMU (set_link) as lwIP sees it."""
    what = "%s %s network" % (arch, mode)
    wait_for(vm, "ifconfig", r"ip address: 10\.0\.2\.\d+", 20, what + " DHCP")
    for up, flag in ((False, "LINK_DOWN"), (True, "LINK_UP")):
        qmp.execute("set_link", {"name": "n0", "up": up})
        wait_for(vm, "ifconfig", r"FLAGS: \w+ " + flag, 10, what + " link")
    expect(vm.command("ping 10.0.2.2", 20), r"bytes from 10\.0\.2\.2 icmp_seq=\d+", "ping")
    peer = TcpPeer(TCP_BYTES, 0x7cb + len(mode))
    try:
        out = vm.command("vtk_tcp 10.0.2.2 %d %d %d" % (peer.port, TCP_BYTES, peer.seed), 300)
    finally:
        peer.close()
    m = expect(out, r"VTK tcp OK sent=\d+ received=\d+ ms=(\d+)", "%s %s tcp" % (arch, mode))
    if not peer.received_ok:
        raise AssertionError("%s %s: the host received other bytes than sent" % (arch, mode))
    return 2 * TCP_BYTES / 1e6 / max(int(m.group(1)) / 1000, 1e-3)


BARS = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)]


def check_screen(vm, qmp, tmp, arch, mode):
    """vtk_draw's bars on the left half (colours as drawn: the pixel
    format is right), black on the right (only the rectangle asked for
    was updated)."""
    size = expect(vm.command("vtk_draw virtio-gpu0", 30), r"VTK draw OK (\d+)x(\d+)", "draw")
    shot = os.path.join(tmp, "screen-%s.ppm" % mode)
    qmp.screendump(shot)
    w, h, _, pixels = read_ppm(shot)
    if (w, h) != (int(size.group(1)), int(size.group(2))):
        raise AssertionError("%s %s: screen %dx%d, RT-Thread drew %sx%s"
                             % (arch, mode, w, h, size.group(1), size.group(2)))
    for i in range(8):
        x, y = (2 * i + 1) * w // 16, h // 2
        got = tuple(pixels[3 * (y * w + x):3 * (y * w + x) + 3])
        want = BARS[i % 4] if i < 4 else (0, 0, 0)
        if got != want:
            raise AssertionError("%s %s: pixel (%d, %d) is %s, want %s" % (arch, mode, x, y, got, want))


def check_input(vm, qmp, arch, mode):
    """Keys and tablet moves injected over QMP, as an application read them."""
    vm.send_line("vtk_input virtio-input0 4 10")
    vm.expect(r"VTK input READY", 10)
    qmp.send_key("a", True)
    qmp.send_key("a", False)
    out = vm.expect(r"VTK input \w+ \d+ events", 15)
    vm.wait_prompt()
    events = re.findall(r"VTK ev (\d+) (\d+) (-?\d+)", out)
    if events != [("1", "30", "1"), ("0", "0", "0"), ("1", "30", "0"), ("0", "0", "0")]:
        raise AssertionError("%s %s: keyboard events %s" % (arch, mode, events))
    vm.send_line("vtk_input virtio-input1 3 10")
    vm.expect(r"VTK input READY", 10)
    qmp.send_abs(16384, 8192)
    out = vm.expect(r"VTK input \w+ \d+ events", 15)
    vm.wait_prompt()
    events = re.findall(r"VTK ev (\d+) (\d+) (-?\d+)", out)
    if events != [("3", "0", "16384"), ("3", "1", "8192"), ("0", "0", "0")]:
        raise AssertionError("%s %s: tablet events %s" % (arch, mode, events))


def expect(text, regex, what):
    m = re.search(regex, text)
    if not m:
        raise AssertionError("%s: no match for %r in:\n%s" % (what, regex, text[-2000:]))
    return m


def qemu_args(disk, port, modern):
    args = ["-drive", "if=none,id=d0,format=raw,file=" + disk,
            "-device", "virtio-blk-device,drive=d0,bus=virtio-mmio-bus.0",
            "-device", "virtio-rng-device,bus=virtio-mmio-bus.1",
            "-device", "virtio-serial-device,bus=virtio-mmio-bus.2",
            "-device", "virtconsole,chardev=%s" % port.id,
            "-netdev", "user,id=n0", "-device", "virtio-net-device,netdev=n0,bus=virtio-mmio-bus.3",
            "-device", "virtio-gpu-device,bus=virtio-mmio-bus.4",
            "-device", "virtio-keyboard-device,bus=virtio-mmio-bus.5",
            "-device", "virtio-tablet-device,bus=virtio-mmio-bus.6"]
    args += port.qemu_args()
    return args + (["-global", "virtio-mmio.force-legacy=false"] if modern else [])


def boot_and_check(arch, image, tmp, modern):
    mode = "modern" if modern else "legacy"
    disk = os.path.join(tmp, "disk-%s.img" % mode)
    with open(disk, "wb") as fh:
        fh.truncate(DISK_BYTES)
    seed = 0x5eed + int(modern)
    port = rtt.SocketPort(tmp, "con" + mode)
    with rtt.Qemu(arch, image, qemu_args(disk, port, modern)) as vm:
        vm.wait_prompt(20)
        devices = vm.command("list_device")
        for name in ("virtio-blk0", "virtio-rng0", "vport0p0"):
            expect(devices, r"\b%s\b" % name, "%s %s list_device" % (arch, mode))
        expect(vm.command("vtk_par virtio-blk0 4 256", 60), r"VTK par OK threads=4",
               "%s %s: four threads on one disk" % (arch, mode))
        inflight = int(expect(vm.command("vblk_stat"), r"virtio-blk0: .* (\d+) in flight at most",
                              "vblk_stat").group(1))
        if inflight < 2:  # 4 threads x 64 requests: they overlap unless serialised
            raise AssertionError("%s %s: the four threads' requests were never in flight together"
                                 % (arch, mode))
        vm.command("mkfs -t elm virtio-blk0", 30)
        expect(vm.command("mount virtio-blk0 / elm"), "succeed", "mount")
        expect(vm.command("vtk_fill /f.bin %d %d" % (FILE_BYTES, seed), 120), r"VTK fill OK", "fill")
        expect(vm.command("vtk_check /f.bin %d %d" % (FILE_BYTES, seed), 120), r"VTK check OK", "check")
        vm.command("umount /")
        rng = expect(vm.command("vtk_rng virtio-rng0 64"), r"VTK rng OK 64 bytes (\d+) distinct", "rng")
        if int(rng.group(1)) < 16:
            raise AssertionError("%s %s: 64 random bytes with only %s distinct values"
                                 % (arch, mode, rng.group(1)))
        port.connect()
        vm.send_line("vtk_echo vport0p0 5")
        vm.expect(r"VTK echo READY", 10)
        port.send(b"ping!")
        port.expect(r"ping!", 10)
        vm.expect(r"VTK echo OK 5 bytes", 10)
        vm.wait_prompt()
        # The port as the msh console: commands typed through the socket.
        vm.send_line("vtk_console vport0p0")
        vm.expect(r"VTK console OK", 10)
        port.send(b"list_device\r")
        port.expect(r"virtio-rng0", 10)
        port.close()
    qmp_path = os.path.join(tmp, "qmp-%s.sock" % mode)
    args = qemu_args(disk, rtt.SocketPort(tmp, "con3" + mode), modern)
    with rtt.Qemu(arch, image, args + ["-qmp", "unix:%s,server=on,wait=off" % qmp_path]) as vm:
        boot = vm.wait_prompt(20)
        for kind, index in (("keyboard", 0), ("tablet", 1)):
            expect(boot, r"virtio-input%d: %s" % (index, kind), "input kinds at boot")
        with QMP(qmp_path).connect() as qmp:
            check_screen(vm, qmp, tmp, arch, mode)
            check_input(vm, qmp, arch, mode)
            tcp_rate = check_network(vm, qmp, arch, mode)
    # The same image after a restart: nothing lost.
    port = rtt.SocketPort(tmp, "con2" + mode)
    with rtt.Qemu(arch, image, qemu_args(disk, port, modern)) as vm:
        vm.wait_prompt(20)
        vm.command("umount /")  # the aarch64 BSP mounts virtio-blk0 at boot (mnt.c)
        expect(vm.command("mount virtio-blk0 / elm"), "succeed", "mount after restart")
        expect(vm.command("vtk_check /f.bin %d %d" % (FILE_BYTES, seed), 120), r"VTK check OK",
               "check after restart")
        vm.command("umount /")
    host_copy = os.path.join(tmp, "f-%s.bin" % mode)
    subprocess.run(["mcopy", "-n", "-i", disk, "::/f.bin", host_copy], check=True)
    with open(host_copy, "rb") as fh:
        if fh.read() != pattern(FILE_BYTES, seed):
            raise AssertionError("%s %s: the file in the image differs from the pattern" % (arch, mode))
    print("PASS rtthread.%s.%s: devices listed; 4 threads on one disk (%d requests in flight "
          "at most); 1 MiB file written, "
          "read back, after restart and on the host; rng; console echo and msh on the port; "
          "DHCP, link down/up, ping, TCP 16 MiB each way checked on both ends (%.1f MB/s); GPU bars in a "
          "screendump; keys and tablet moves read by an application (boot %.2f s)"
          % (arch, mode, inflight, tcp_rate, vm.boot_seconds))


def check_arch(arch, build_dir):
    out = os.path.join(build_dir, arch)
    folder = os.path.join(out, "virtio-toolkit")
    export(folder)
    defines = kconfig_defines(folder)
    defines.update(network_defines(rtt.DEFAULT_RTT_ROOT))
    start = time.monotonic()
    # aarch64 uniprocessor: with RT_USING_SMP the BSP's demo
    # applications/graphic.c starts at boot, finds virtio-gpu0 and clears
    # width * height * bits_per_pixel bytes of its framebuffer, 8 times its
    # size (with any driver); without SMP it is an msh command left unused.
    image = rtt.build(arch, os.path.join(out, "ours"), defines=defines,
                      undefs=["RT_USING_SMP"] if arch == "aarch64" else (),
                      extra_dirs={"virtio-toolkit": folder, "vtk_app": APP, "vtk_net": NET_APP})
    warnings = [line for line in image.log.splitlines()
                if "warning:" in line and ("virtio-toolkit/" in line or "vtk_app/" in line)]
    if warnings:
        raise AssertionError("compiler warnings in the export or the test app:\n" + "\n".join(warnings))
    print("built rtthread.%s with the export in %.1f s" % (arch, time.monotonic() - start))
    with tempfile.TemporaryDirectory(prefix="rtt-test-") as tmp:
        for modern in (False, True):
            boot_and_check(arch, image, tmp, modern)
    if arch == "aarch64":
        # RT-Thread's own VirtIO drivers and ours in one image.
        image = rtt.build(arch, os.path.join(out, "beside-peer"),
                          extra_dirs={"virtio-toolkit": folder}, defines=defines,
                          keep_peer_virtio=True)
        syms = subprocess.run([rtt.ARCHES[arch].host_prefix + "nm", image.elf], check=True,
                              capture_output=True, text=True).stdout
        for name in ("virtio_interrupt_ack", "rt_virtio_blk_init", "vtk_virtio_blk_init"):
            expect(syms, r"\b%s\b" % name, "symbols of the image with both stacks")
        print("PASS rtthread.aarch64.beside-peer: RT-Thread's VirtIO drivers and ours link together")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build-dir", required=True)
    p.add_argument("--arch", action="append", choices=sorted(rtt.ARCHES))
    args = p.parse_args()
    for tool in ("scons", "mcopy"):
        if shutil.which(tool) is None:
            sys.exit("test_rtthread: %s is missing (run scripts/setup.sh)" % tool)
    for arch in args.arch or sorted(rtt.ARCHES):
        check_arch(arch, os.path.abspath(args.build_dir))


if __name__ == "__main__":
    main()
