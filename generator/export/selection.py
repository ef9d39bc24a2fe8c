"""What an export contains: the spec subset and the runtime files for the
chosen devices and transports."""
import dataclasses
import glob
import os

# Transport -> its runtime sources (runtime/src) and runtime headers
# (runtime/include/virtio). Its spec files are spec/<transport>.yaml and
# spec/<transport>_*.yaml. Every other runtime file and spec file without a
# device is transport-neutral core.
TRANSPORTS = {
    "mmio": {"sources": ["mmio.c"], "headers": []},
    "pci": {"sources": ["pci.c"], "headers": ["pci.h"]},
}


# Operating systems whose port and device glue (runtime/port/<os>/) an
# export can carry: the build file the OS uses and the defaults that fit
# its Kconfig tool. A glue file named <device>_*.c is built with the device.
OSES = {
    "rtthread": {"build_file": "SConscript", "kconfig_prefix": "PKG_USING_",
                 "config_prefix": "", "kconfig_header": "rtconfig.h"},
}


def port_dir(os_name):
    return "port/" + os_name


def _transport_of(sf):
    stem = os.path.splitext(os.path.basename(sf.path))[0]
    for t in TRANSPORTS:
        if stem == t or stem.startswith(t + "_"):
            return t
    return ""


class SelectionError(Exception):
    """A device or transport the user asked for does not exist."""


def known_devices(spec):
    return [sf.device.name for sf in spec.device_files]


def subset(spec, devices, transports):
    """The spec with only the core files, the chosen devices' files and the
    files they need; register files only for the chosen transports."""
    unknown = sorted(set(devices) - set(known_devices(spec)))
    if unknown:
        raise SelectionError(f"unknown device(s) {', '.join(unknown)}; the spec has "
                             f"{', '.join(sorted(known_devices(spec)))}")
    unknown = sorted(set(transports) - set(TRANSPORTS))
    if unknown:
        raise SelectionError(f"unknown transport(s) {', '.join(unknown)}; known: "
                             f"{', '.join(sorted(TRANSPORTS))}")
    wanted = set()
    for sf in spec.files:
        if sf.device is not None:
            keep = sf.device.name in devices
        else:
            keep = _transport_of(sf) in ("",) + tuple(transports)
        if keep:
            wanted.add(sf.header)
    by_header = {sf.header: sf for sf in spec.files}
    todo = list(wanted)
    while todo:  # headers the kept ones include
        for inc in by_header[todo.pop()].includes:
            if inc not in wanted:
                wanted.add(inc)
                todo.append(inc)
    files = [sf for sf in spec.files if sf.header in wanted]
    return dataclasses.replace(spec, files=files)


@dataclasses.dataclass
class RuntimeFile:
    src: str      # path relative to the project root
    dest: str     # path relative to the export root
    device: str = ""      # device short name for driver files, else ""
    transport: str = ""   # transport for transport sources, else ""

    @property
    def is_source(self):
        return self.dest.endswith(".c")


def runtime_files(root, devices, transports, os_name=""):
    """Runtime headers and sources the chosen devices and transports need,
    and the chosen OS's port and glue (other ports are left out: the
    platform brings its own)."""
    rt = os.path.join(root, "runtime")
    out = []

    def add(path, **kw):
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        out.append(RuntimeFile(rel, rel, **kw))

    for sub, key in (("include/virtio", "headers"), ("src", "sources")):
        owner = {f: t for t, info in TRANSPORTS.items() for f in info[key]}
        patterns = ["*.h"] if key == "headers" else ["*.c", "*.h"]  # src has private headers
        found = [p for pat in patterns for p in glob.glob(os.path.join(rt, *sub.split("/"), pat))]
        for path in sorted(found):
            transport = owner.get(os.path.basename(path), "")
            if transport and transport not in transports:
                continue
            add(path, transport=transport)
    for dev in sorted(devices):
        for sub, pattern in (("include/virtio/drivers", ".h"), ("drivers", ".c")):
            base = os.path.join(rt, *sub.split("/"))
            paths = glob.glob(os.path.join(base, dev + pattern))
            paths += glob.glob(os.path.join(base, f"{dev}_*{pattern}"))
            for path in sorted(paths):
                add(path, device=dev)
    if os_name:
        for path in sorted(glob.glob(os.path.join(rt, "port", os_name, "*.[ch]"))):
            dev = os.path.basename(path).split(".")[0].split("_")[0]
            if dev in devices or not os.path.isfile(os.path.join(rt, "drivers", dev + ".c")):
                out.append(RuntimeFile(os.path.relpath(path, root).replace(os.sep, "/"),
                                       port_dir(os_name) + "/" + os.path.basename(path),
                                       device=dev if dev in devices else ""))
    return out


def drivers_missing(files, devices):
    """Chosen devices without a runtime driver source (definitions only)."""
    have = {f.device for f in files if f.device and f.is_source}
    return sorted(set(devices) - have)
