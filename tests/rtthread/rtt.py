#!/usr/bin/python3
"""Build RT-Thread's QEMU BSPs with Debian's toolchains and boot them.

build(): copies the (read-only) RT-Thread tree into a build folder, drops
extra folders (an export with its own SConscript, the test shim) into the
BSP, appends a configuration overlay to the copy's rtconfig.h, writes
toolchain wrappers (picolibc) and runs scons.

Qemu / run(): start QEMU with the BSP's console on a pipe and drive the msh
shell: a command is sent once the prompt is back, every wait is bounded, and
QEMU is always killed at the end. SocketPort: a chardev on a Unix socket
(e.g. a virtio-serial port), read and written the same way mid-run.

    /usr/bin/python3 tests/rtthread/rtt.py build --arch riscv64 --out build/rtthread-rv
    /usr/bin/python3 tests/rtthread/rtt.py run --arch riscv64 --image build/rtthread-rv \
        --cmd list_device --cmd 'ls /' -- -device virtio-rng-device

Standard library only.
"""

import argparse
import codecs
import ctypes
import dataclasses
import json
import os
import re
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_RTT_ROOT = os.path.normpath(
    os.path.join(REPO, "..", "shared", "third_party", "rt-thread"))
SHIM_DIR = os.path.join(HERE, "shim")
SHIM_NAME = "rtt_test_shim"        # its folder name inside the BSP
TREE_DIR = "rt-thread"             # the copy of the tree inside out_dir
TOOLS_DIR = "toolchain"            # the wrappers inside out_dir
EXTRAS_FILE = "extras.json"        # what build() put into the BSP last time

# Files scons writes into the BSP: never taken from the source tree again.
BUILD_OUTPUTS = {"build", "rtthread.elf", "rtthread.bin", "rtthread.map",
                 "rtthread.asm", "rtt.asm", "cconfig.h", ".sconsign.dblite",
                 "link_stacksize.lds", "rtconfig.h"}


@dataclasses.dataclass(frozen=True)
class Arch:
    bsp: str              # folder under bsp/
    prefix: str           # tool prefix the BSP's rtconfig.py calls
    host_prefix: str      # Debian's tool prefix behind it
    gcc_flags: tuple      # added to every gcc call by the wrapper
    qemu: tuple           # QEMU command, before the image arguments
    image_flag: str       # how QEMU is given the image
    image_name: str       # the file given to QEMU


ARCHES = {
    "riscv64": Arch(
        bsp="qemu-virt64-riscv",
        prefix="riscv64-unknown-elf-",
        host_prefix="riscv64-unknown-elf-",
        gcc_flags=("--specs=picolibc.specs",),
        # M-mode image: the S-mode one hangs after Debian's OpenSBI.
        qemu=("qemu-system-riscv64", "-machine", "virt", "-m", "256M"),
        image_flag="-bios", image_name="rtthread.bin"),
    "aarch64": Arch(
        bsp="qemu-virt64-aarch64",
        prefix="aarch64-none-elf-",
        host_prefix="aarch64-linux-gnu-",
        # Debian's Linux compiler: no PIE, no libgcc helpers that need
        # getauxval() (outline atomics), static link.
        gcc_flags=("--specs=picolibc.specs", "-fno-pie", "-no-pie", "-static",
                   "-mno-outline-atomics"),
        # One CPU: with 4, mkfs hung and console input was lost.
        qemu=("qemu-system-aarch64", "-M", "virt,gic-version=2",
              "-cpu", "cortex-a53", "-smp", "1", "-m", "256M"),
        image_flag="-kernel", image_name="rtthread.elf"),
}

# What every test build needs on top of the BSP's configuration: elm-FAT on
# DFS (values as in the aarch64 BSP), room for more than one mount.
BASE_DEFINES = {
    "RT_USING_DFS": "",
    "DFS_USING_POSIX": "",          # the msh file commands need it
    "DFS_USING_WORKDIR": "",
    "RT_USING_DFS_DEVFS": "",
    "DFS_FILESYSTEMS_MAX": "4",
    "DFS_FILESYSTEM_TYPES_MAX": "4",
    "RT_USING_DFS_ELMFAT": "",
    "RT_DFS_ELM_CODE_PAGE": "437",
    "RT_DFS_ELM_WORD_ACCESS": "",
    "RT_DFS_ELM_USE_LFN_3": "",
    "RT_DFS_ELM_USE_LFN": "3",
    "RT_DFS_ELM_LFN_UNICODE_0": "",
    "RT_DFS_ELM_LFN_UNICODE": "0",
    "RT_DFS_ELM_MAX_LFN": "255",
    "RT_DFS_ELM_DRIVES": "2",
    "RT_DFS_ELM_MAX_SECTOR_SIZE": "512",
    "RT_DFS_ELM_REENTRANT": "",
    "RT_DFS_ELM_MUTEX_TIMEOUT": "3000",
}
# aarch64 keeps the BSP's RT_USING_SMP (RT_CPUS_NR 4), as users build it:
# it boots and runs the file system on QEMU's single CPU; a uniprocessor
# kernel is undefs=["RT_USING_SMP"].

# The aarch64 BSP's own VirtIO drivers, left out unless keep_peer_virtio:
# they would grab the devices.
PEER_VIRTIO = ["BSP_USING_VIRTIO_BLK", "BSP_USING_VIRTIO_NET",
               "BSP_USING_VIRTIO_CONSOLE", "BSP_USING_VIRTIO_GPU",
               "BSP_USING_VIRTIO_INPUT"]

SHIM_TLS_SIZE = 256               # shim/tls.c's block
TLS_TCB = {"riscv64": 0, "aarch64": 16}  # bytes before the TLS data

PROMPT = re.compile(r"msh [^\r\n>]*>")


class BuildError(RuntimeError):
    pass


class QemuError(RuntimeError):
    pass


@dataclasses.dataclass
class Image:
    arch: str
    elf: str              # rtthread.elf
    bin: str              # rtthread.bin (what QEMU boots on riscv64)
    boot: str             # the file run() gives QEMU
    bsp_dir: str          # the BSP copy the image was built in
    seconds: float        # scons time
    log: str              # scons output
    prepare_seconds: float = 0.0   # copying the tree, overlay, wrappers


# --- configuration -------------------------------------------------------------

def overlay(arch, defines=None, undefs=(), keep_peer_virtio=False):
    """The overlay for arch: (ordered {name: value}, [names to undefine]).
    The caller's defines and undefs win over the defaults."""
    defs = dict(BASE_DEFINES)
    undef = []
    if arch == "aarch64" and not keep_peer_virtio:
        undef += PEER_VIRTIO
    for name, value in (defines or {}).items():
        defs[name] = "" if value is None else str(value)
        undef = [u for u in undef if u != name]
    for name in undefs:
        defs.pop(name, None)
        if name not in undef:
            undef.append(name)
    return defs, undef


def overlay_text(defs, undef):
    lines = ["", "/* test overlay (tests/rtthread/rtt.py) */"]
    for name, value in defs.items():
        # #undef first: no redefinition warning when the BSP has it already.
        lines.append("#undef %s" % name)
        lines.append(("#define %s %s" % (name, value)).rstrip())
    lines += ["#undef %s" % name for name in undef]
    return "\n".join(lines) + "\n"


def apply_overlay(config, text):
    """config (rtconfig.h text) with text inserted before its last #endif."""
    at = config.rfind("#endif")
    if at < 0:
        raise BuildError("rtconfig.h has no closing #endif")
    return config[:at] + text + "\n" + config[at:]


# --- tree copy -----------------------------------------------------------------

def _same(src, dst):
    try:
        a, b = os.stat(src), os.stat(dst)
    except FileNotFoundError:
        return False
    # Exact mtime: a regenerated export may keep a file's size.
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns


def sync_tree(src, dst, skip=(), mirror=False):
    """Copy src into dst, only files that differ (size, mtime), so scons
    sees unchanged sources on a second build. skip: top-level names left
    alone. mirror: also delete what src does not have (below the top)."""
    for root, dirs, files in os.walk(src):
        rel = os.path.relpath(root, src)
        if rel == ".":
            dirs[:] = [d for d in dirs if d not in skip]
            files = [f for f in files if f not in skip]
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        target = os.path.join(dst, rel)
        os.makedirs(target, exist_ok=True)
        for name in files:
            _copy_file(os.path.join(root, name), os.path.join(target, name))
        if mirror:
            for name in set(os.listdir(target)) - set(dirs) - set(files):
                _remove(os.path.join(target, name))


def _copy_file(src, dst):
    if not _same(src, dst):
        shutil.copy2(src, dst)
        os.chmod(dst, 0o644)   # the shared tree has no write bits


def _remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.remove(path)


def _write_if_changed(path, text):
    try:
        with open(path) as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    with open(path, "w") as f:
        f.write(text)


def copy_tree(rtt_root, tree, bsp):
    """The kernel, components, tools and the one BSP, writable."""
    os.makedirs(tree, exist_ok=True)
    for name in sorted(os.listdir(rtt_root)):
        src = os.path.join(rtt_root, name)
        if name == "bsp":
            continue
        if os.path.isdir(src):
            sync_tree(src, os.path.join(tree, name))
        else:
            _copy_file(src, os.path.join(tree, name))
    sync_tree(os.path.join(rtt_root, "bsp", bsp),
              os.path.join(tree, "bsp", bsp), skip=BUILD_OUTPUTS)


def place_extras(bsp_dir, out_dir, extras):
    """Copy each extra folder into the BSP as a subfolder; remove the ones
    a previous build placed and this one does not want."""
    record = os.path.join(out_dir, EXTRAS_FILE)
    try:
        with open(record) as f:
            previous = json.load(f)
    except (FileNotFoundError, ValueError):
        previous = []
    for name in previous:
        if name not in extras:
            _remove(os.path.join(bsp_dir, name))
    for name, path in extras.items():
        if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", name):
            raise BuildError("extra name %r: want a plain folder name" % name)
        if not os.path.isfile(os.path.join(path, "SConscript")):
            raise BuildError("extra folder %s has no SConscript" % path)
        if os.path.exists(os.path.join(bsp_dir, name)) and name not in previous:
            raise BuildError("extra name %r clashes with the BSP's own %s"
                             % (name, name))
        sync_tree(path, os.path.join(bsp_dir, name), mirror=True)
    with open(record, "w") as f:
        json.dump(sorted(extras), f)


# --- toolchain -----------------------------------------------------------------

def write_wrappers(tools_dir, spec):
    """Tools named as the BSP expects them, calling Debian's; gcc gets the
    picolibc specs (and spec.gcc_flags)."""
    os.makedirs(tools_dir, exist_ok=True)
    for tool in ("gcc", "g++", "ar", "objcopy", "objdump", "size", "nm"):
        real = shutil.which(spec.host_prefix + tool)
        if real is None:
            if tool == "g++":
                continue   # only needed for C++ sources
            raise BuildError("%s%s not found (install Debian's cross "
                             "toolchain)" % (spec.host_prefix, tool))
        flags = spec.gcc_flags if tool in ("gcc", "g++") else ()
        text = "#!/bin/sh\nexec %s %s\"$@\"\n" % (
            shlex.quote(real), "".join(shlex.quote(f) + " " for f in flags))
        path = os.path.join(tools_dir, spec.prefix + tool)
        _write_if_changed(path, text)
        os.chmod(path, 0o755)


# --- build ---------------------------------------------------------------------

def build(arch, out_dir, extra_dirs=None, defines=None, undefs=(),
          rtt_root=DEFAULT_RTT_ROOT, jobs=2, keep_peer_virtio=False,
          shim=True, verbose=False, after_copy=None):
    """Build arch's BSP in out_dir; returns an Image. extra_dirs: {name:
    folder with a SConscript} placed into the BSP; defines {NAME: value or
    ''} and undefs [NAME] go into the rtconfig.h overlay; after_copy(tree)
    runs on the tree copy after every sync, before scons (a patch made
    between two builds would be undone by the next sync)."""
    spec = ARCHES[arch]
    out_dir = os.path.abspath(out_dir)
    tree = os.path.join(out_dir, TREE_DIR)
    bsp_dir = os.path.join(tree, "bsp", spec.bsp)
    tools_dir = os.path.join(out_dir, TOOLS_DIR)
    if not os.path.isdir(os.path.join(rtt_root, "bsp", spec.bsp)):
        raise BuildError("no RT-Thread tree with bsp/%s at %s" % (spec.bsp, rtt_root))

    start = time.monotonic()
    copy_tree(rtt_root, tree, spec.bsp)
    if after_copy is not None:
        after_copy(tree)
    extras = dict(extra_dirs or {})
    if shim:
        extras[SHIM_NAME] = SHIM_DIR
    place_extras(bsp_dir, out_dir, {k: os.path.abspath(v) for k, v in extras.items()})
    with open(os.path.join(rtt_root, "bsp", spec.bsp, "rtconfig.h")) as f:
        config = f.read()
    defs, undef = overlay(arch, defines, undefs, keep_peer_virtio)
    _write_if_changed(os.path.join(bsp_dir, "rtconfig.h"),
                      apply_overlay(config, overlay_text(defs, undef)))
    write_wrappers(tools_dir, spec)
    prepared = time.monotonic() - start

    seconds, log = _scons(bsp_dir, tree, tools_dir, jobs, verbose)
    elf = os.path.join(bsp_dir, "rtthread.elf")
    binary = os.path.join(bsp_dir, "rtthread.bin")
    for path in (elf, binary):
        if not os.path.isfile(path):
            raise BuildError("scons succeeded but %s is missing\n%s" % (path, log[-3000:]))
    if shim:
        check_tls(arch, elf)
    return Image(arch, elf, binary, os.path.join(bsp_dir, spec.image_name),
                 bsp_dir, seconds, log, prepared)


def check_tls(arch, elf):
    """The shim's shared TLS block is zeroed and SHIM_TLS_SIZE bytes: fail
    the build if the linked libc needs more or initialised TLS data."""
    out = subprocess.run([ARCHES[arch].host_prefix + "readelf", "-lW", elf],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    for line in out.splitlines():
        fields = line.split()
        if fields[:1] == ["TLS"]:
            filesz, memsz = int(fields[4], 16), int(fields[5], 16)
            if filesz or memsz + TLS_TCB[arch] > SHIM_TLS_SIZE:
                raise BuildError(
                    "%s: TLS segment FileSiz %d MemSiz %d does not fit the "
                    "shim's zeroed %d-byte block (shim/tls.c)"
                    % (elf, filesz, memsz, SHIM_TLS_SIZE))


def _scons(bsp_dir, tree, tools_dir, jobs, verbose):
    env = dict(os.environ)
    env.update(RTT_ROOT=tree, RTT_EXEC_PATH=tools_dir, RTT_CC="gcc",
               PYTHONDONTWRITEBYTECODE="1",
               # DefineGroup() dedups file lists through set(): a fixed
               # seed keeps their order, so an unchanged build does not relink
               PYTHONHASHSEED="0",
               PATH=tools_dir + os.pathsep + env.get("PATH", ""))
    cmd = ["scons", "-j%d" % jobs] + (["--verbose"] if verbose else [])
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=bsp_dir, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, errors="replace")
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        errors = [l for l in proc.stdout.splitlines()
                  if "error" in l.lower() or "undefined reference" in l]
        raise BuildError("scons failed (exit %d) in %s\n%s\n--- last output ---\n%s"
                         % (proc.returncode, bsp_dir, "\n".join(errors[:40]),
                            proc.stdout[-4000:]))
    return seconds, proc.stdout


def image_sizes(image):
    """{'text': n, 'data': n, 'bss': n} of the ELF, from size(1)."""
    spec = ARCHES[image.arch]
    out = subprocess.run([spec.host_prefix + "size", image.elf], check=True,
                         stdout=subprocess.PIPE, text=True).stdout.splitlines()
    text, data, bss = (int(v) for v in out[1].split()[:3])
    return {"text": text, "data": data, "bss": bss,
            "bin": os.path.getsize(image.bin)}


# --- QEMU ----------------------------------------------------------------------

def qemu_command(arch, image, extra_args=()):
    """QEMU's argv for image (a path, or an Image): the console on stdio,
    no monitor (no escape character in the byte stream), -nodefaults (the
    default NIC on aarch64 needs efi-virtio.rom, which is not installed)."""
    spec = ARCHES[arch]
    path = image.boot if isinstance(image, Image) else image
    return list(spec.qemu) + [spec.image_flag, path, "-nodefaults", "-display", "none",
                              "-serial", "stdio", "-monitor", "none"] + list(extra_args)


def _die_with_parent():
    """In QEMU's child before exec: SIGKILL when the harness dies (a CI
    timeout), since QEMU does not exit at the end of its input."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Console:
    """Text from the guest on a file descriptor, with bounded waits.

    transcript holds everything read; expect() consumes it in order, so a
    pattern is only matched in output that arrived after the previous match.
    Every wait takes a timeout (seconds) and raises QemuError with the tail
    of the transcript when it runs out or the stream ends."""

    def __init__(self, name, log=None):
        self.name = name
        self.log = log                  # file object: output copied to it
        self.transcript = ""
        self._pos = 0                   # transcript before this is consumed
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._rfd = self._wfd = None

    def _closed(self):
        """The stream ended (hook: Qemu reaps the process)."""

    def _read(self, timeout):
        """Append what arrives within timeout; False once the stream ended."""
        if self._rfd is None:
            return False
        ready, _, _ = select.select([self._rfd], [], [], max(timeout, 0))
        if not ready:
            return True
        try:
            data = os.read(self._rfd, 65536)
        except (BlockingIOError, InterruptedError):
            return True
        except ConnectionResetError:
            data = b""
        if not data:
            self._closed()
            return False
        text = self._decoder.decode(data)
        self.transcript += text
        if self.log:
            self.log.write(text)
            self.log.flush()
        return True

    def expect(self, pattern, timeout):
        """Wait for pattern (regex text or compiled) in the output not yet
        consumed; consume through the match and return the text before it."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        while True:
            match = regex.search(self.transcript, self._pos)
            if match:
                before = self.transcript[self._pos:match.start()]
                self._pos = match.end()
                return before
            left = deadline - time.monotonic()
            if left <= 0:
                raise QemuError("%s: timeout (%.0f s) waiting for %r\n%s"
                                % (self.name, timeout, regex.pattern, self.tail()))
            if not self._read(min(left, 0.5)):
                raise QemuError("%s: stream ended waiting for %r\n%s"
                                % (self.name, regex.pattern, self.tail()))

    def drain(self, seconds=0.0):
        """Read whatever arrives for seconds, without waiting for anything."""
        deadline = time.monotonic() + seconds
        while self._read(max(deadline - time.monotonic(), 0)):
            if time.monotonic() >= deadline:
                break
        return self.transcript[self._pos:]

    def send(self, data):
        """Write raw bytes (or text)."""
        if isinstance(data, str):
            data = data.encode()
        try:
            while data:
                data = data[os.write(self._wfd, data):]
        except (BrokenPipeError, ConnectionResetError, TypeError):
            raise QemuError("%s: cannot send, stream closed\n%s" % (self.name, self.tail()))

    def send_line(self, line, chunk=16, echo_timeout=2.0):
        """Type line and Enter ('\\r'). In chunks, each after the echo of
        the previous one: the console's receive ring holds only 64 bytes."""
        for i in range(0, len(line), chunk):
            part = line[i:i + chunk]
            self.send(part)
            try:
                self.expect(re.escape(part), echo_timeout)
            except QemuError:
                pass   # echo disturbed by other output: carry on
        self.send("\r")

    def wait_prompt(self, timeout=10):
        """Wait for the msh prompt; return what came before it."""
        return self.expect(PROMPT, timeout)

    def command(self, line, timeout=10):
        """Run one msh command: type it, wait for the prompt, return what it
        printed (its echo stripped)."""
        self.send_line(line)
        out = self.wait_prompt(timeout)
        return out.split("\n", 1)[1] if "\n" in out else ""

    def tail(self, n=3000):
        return "--- %s (last %d chars) ---\n%s" % (self.name, n, self.transcript[-n:])


class Qemu(Console):
    """A QEMU running an RT-Thread image, its console (UART) on pipes.

        with Qemu("riscv64", image, extra_args) as vm:
            vm.wait_prompt()
            print(vm.command("list_device"))
            ...                       # talk to sockets etc. between commands
        vm.transcript                 # everything the console printed
    """

    def __init__(self, arch, image, extra_args=(), log=None):
        super().__init__("console", log)
        self.argv = qemu_command(arch, image, extra_args)
        self.proc = None
        self.boot_seconds = None        # spawn to first prompt
        self._start = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()

    def start(self):
        self._start = time.monotonic()
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     preexec_fn=_die_with_parent)
        self._rfd, self._wfd = self.proc.stdout.fileno(), self.proc.stdin.fileno()
        os.set_blocking(self._rfd, False)

    def _closed(self):
        self.proc.wait()
        self.name = "console (QEMU exited, status %s)" % self.proc.returncode

    def close(self):
        """Kill QEMU (the only way it stops: it does not exit at the end of
        input) and keep what it printed last."""
        if self.proc is None or self._rfd is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        while self._read(0):
            pass
        self.proc.stdin.close()
        self.proc.stdout.close()
        self._rfd = self._wfd = None

    def wait_prompt(self, timeout=10):
        """Wait for the msh prompt; the first one also sets boot_seconds."""
        before = super().wait_prompt(timeout)
        if self.boot_seconds is None:
            self.boot_seconds = time.monotonic() - self._start
        return before


class SocketPort(Console):
    """A QEMU chardev on a Unix socket (QEMU listens), e.g. behind a
    virtserialport, read and written like the console:

        port = SocketPort(tmp_dir, "vs0")
        extra = port.qemu_args() + ["-device", "virtio-serial-device",
                                    "-device", "virtserialport,chardev=vs0"]
        with Qemu(arch, image, extra) as vm:
            vm.wait_prompt()
            port.connect()
            port.send(b"ping\\r"); port.expect("pong", 5)
        port.close()
    """

    def __init__(self, folder, chardev_id, log=None):
        super().__init__("chardev " + chardev_id, log)
        self.id = chardev_id
        self.path = os.path.join(folder, chardev_id + ".sock")
        self.sock = None

    def qemu_args(self):
        return ["-chardev", "socket,id=%s,path=%s,server=on,wait=off"
                % (self.id, self.path)]

    def connect(self, timeout=5):
        """Connect once QEMU has created the socket."""
        deadline = time.monotonic() + timeout
        while True:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(self.path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                sock.close()
                if time.monotonic() > deadline:
                    raise QemuError("%s: no QEMU listening at %s" % (self.name, self.path))
                time.sleep(0.05)
        sock.setblocking(False)
        self.sock = sock
        self._rfd = self._wfd = sock.fileno()
        return self

    def close(self):
        if self.sock:
            self.sock.close()
        self.sock = self._rfd = self._wfd = None


def run(arch, image, qemu_args_extra=(), commands=(), timeout=60,
        boot_timeout=10, command_timeout=10, log=None):
    """Boot image, wait for the prompt, run commands in order, kill QEMU,
    return the whole transcript. A command is a msh line (str) or a
    callable taking the Qemu object (to interact mid-run). Raises QemuError
    (the transcript in its message) on a timeout or when QEMU dies."""
    deadline = time.monotonic() + timeout
    with Qemu(arch, image, qemu_args_extra, log=log) as vm:
        vm.wait_prompt(min(boot_timeout, timeout))
        for cmd in commands:
            left = deadline - time.monotonic()
            if left <= 0:
                raise QemuError("run timeout (%.0f s)\n%s" % (timeout, vm.tail()))
            if callable(cmd):
                cmd(vm)
            else:
                vm.command(cmd, min(command_timeout, left))
    return vm.transcript


# --- command line --------------------------------------------------------------

def image_path(arch, out_dir):
    """The file QEMU boots for a build in out_dir."""
    spec = ARCHES[arch]
    return os.path.join(os.path.abspath(out_dir), TREE_DIR, "bsp", spec.bsp,
                        spec.image_name)


def _name_value(text):
    name, _, value = text.partition("=")
    return name, value


def _parser():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="action", required=True)
    b = sub.add_parser("build", help="build a BSP into --out")
    b.add_argument("--arch", required=True, choices=sorted(ARCHES))
    b.add_argument("--out", required=True, help="build folder")
    b.add_argument("--extra", action="append", default=[], metavar="NAME=PATH",
                   help="folder with a SConscript, copied into the BSP as NAME")
    b.add_argument("--define", action="append", default=[], metavar="NAME[=VALUE]")
    b.add_argument("--undef", action="append", default=[], metavar="NAME")
    b.add_argument("--keep-peer-virtio", action="store_true",
                   help="aarch64: keep the BSP's own VirtIO drivers")
    b.add_argument("--no-shim", action="store_true", help="leave shim/ out")
    b.add_argument("--rtt-root", default=DEFAULT_RTT_ROOT)
    b.add_argument("--jobs", "-j", type=int, default=2)
    b.add_argument("--verbose", "-v", action="store_true", help="scons --verbose")
    r = sub.add_parser("run", help="boot an image and run msh commands; "
                       "QEMU arguments go after --")
    r.add_argument("--arch", required=True, choices=sorted(ARCHES))
    r.add_argument("--image", required=True,
                   help="rtthread.bin/.elf, or the build folder")
    r.add_argument("--cmd", action="append", default=[], help="msh command")
    r.add_argument("--timeout", type=float, default=60)
    return p


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    qemu_args = []
    if "--" in argv:   # QEMU's own options look like ours: split them off
        at = argv.index("--")
        argv, qemu_args = argv[:at], argv[at + 1:]
    args = _parser().parse_args(argv)
    try:
        if args.action == "build":
            image = build(args.arch, args.out,
                          extra_dirs=dict(_name_value(e) for e in args.extra),
                          defines=dict(_name_value(d) for d in args.define),
                          undefs=args.undef, rtt_root=args.rtt_root, jobs=args.jobs,
                          keep_peer_virtio=args.keep_peer_virtio,
                          shim=not args.no_shim, verbose=args.verbose)
            print(image.log if args.verbose else "", end="")
            print(json.dumps({"elf": image.elf, "bin": image.bin, "boot": image.boot,
                              "seconds": round(image.seconds, 2),
                              "size": image_sizes(image)}, indent=1))
        else:
            image = args.image
            if os.path.isdir(image):
                image = image_path(args.arch, image)
            run(args.arch, image, qemu_args, args.cmd, timeout=args.timeout,
                log=sys.stdout)
            print()
    except (BuildError, QemuError) as e:
        print("\nerror: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
