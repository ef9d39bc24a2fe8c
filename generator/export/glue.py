"""The configuration model of an export (Kconfig symbols, CMake options,
C macros) and the rendering of the glue files from templates/export/."""
import dataclasses
import re

# `#ifndef NAME` / `#define NAME 123u /* why */`: a build-time limit (the
# comment may also sit on the #ifndef line).
_TUNABLE = re.compile(r"^#ifndef[ \t]+([A-Z_][A-Z0-9_]*)[ \t]*(?:/\*[ \t]*(.*?)[ \t]*\*/)?[ \t]*\n"
                      r"#define[ \t]+\1[ \t]+(\d+)(u?)[ \t]*(?:/\*[ \t]*(.*?)[ \t]*\*/)?[ \t]*$", re.M)

DEVICE_TITLES = {
    "blk": "Block device (virtio-blk)",
    "net": "Network device (virtio-net)",
    "console": "Console (virtio-console)",
    "gpu": "GPU (virtio-gpu, 2D)",
    "input": "Input device (virtio-input)",
    "rng": "Entropy source (virtio-rng)",
}


@dataclasses.dataclass
class Tunable:
    macro: str       # the runtime's macro, e.g. VIRTIO_BLK_QUEUE_SIZE
    default: int
    unsigned: bool   # the runtime's default has a u suffix
    doc: str
    symbol: str = ""  # Kconfig symbol / CMake cache variable
    c_name: str = ""  # the C macro Kconfig writes for the symbol
    switch: str = ""  # a build switch's title (a Kconfig bool), else ""

    @property
    def prompt(self):
        """The doc's first sentence as a Kconfig prompt, else the macro."""
        first = self.doc.split(". ")[0].rstrip(".").replace('"', "'")
        if first == self.macro or len(first) > 70:
            return self.macro
        return first[0].upper() + first[1:]

    @property
    def is_queue_size(self):
        return self.macro.endswith("_QUEUE_SIZE")


@dataclasses.dataclass
class DeviceOption:
    name: str        # blk
    title: str
    symbol: str      # <K>VIRTIO_BLK
    c_name: str
    has_driver: bool
    sources: list
    tunables: list


@dataclasses.dataclass
class Config:
    kconfig_prefix: str
    config_prefix: str
    enable: str             # <K>VIRTIO
    enable_c: str
    modes: list             # [(symbol, c_name, title, legacy, modern)]
    default_mode: str
    transports: list        # [(name, symbol, c_name, sources)]
    devices: list
    limits: list            # core tunables
    core_sources: list
    generated_sources: list
    include_dirs: list
    config_header: str


# Set from the transport interface choice, not offered as numbers.
FROM_CHOICE = {"VIRTIO_ACCEPT_LEGACY", "VIRTIO_ACCEPT_MODERN"}
# Build switches (1 builds the part, 0 leaves it out): booleans in Kconfig.
SWITCHES = {
    "VIRTIO_PACKED_RING": "Packed virtqueues",
    "VIRTIO_INDIRECT_DESC": "Indirect descriptors",
    "VIRTIO_INTERRUPTS": "Interrupt-driven operation (the port implements the interrupt functions)",
}


# A comment block that ends on the line before a tunable's #ifndef.
_COMMENT_BEFORE = re.compile(r"/\*((?:(?!\*/).)*)\*/[ \t]*\n\Z", re.S)


def _comment_before(text, at):
    m = _COMMENT_BEFORE.search(text, 0, at)
    if not m:
        return ""
    return " ".join(line.strip().lstrip("*").strip() for line in m.group(1).splitlines()).strip()


def tunables(text):
    out = []
    for m in _TUNABLE.finditer(text):
        macro, doc1, value, u, doc2 = m.groups()
        if macro not in FROM_CHOICE:
            doc = doc2 or doc1 or _comment_before(text, m.start()) or macro
            out.append(Tunable(macro, int(value), bool(u), doc, switch=SWITCHES.get(macro, "")))
    return out


def build_config(files, devices, transports, kconfig_prefix, config_prefix, config_header,
                 generated_sources, include_dirs, cname=lambda n: n):
    """files: the runtime files, texts before renaming; cname(name): a
    runtime macro's name in the export (after --namespace)."""
    k, m = kconfig_prefix, config_prefix

    def sym(name):
        return k + name, m + k + name

    def tuned(t):
        t.symbol, t.c_name = sym(t.macro)
        t.macro = cname(t.macro)
        return t

    enable, enable_c = sym("VIRTIO")
    modes = []
    for key, title, legacy, modern in (("AUTO", "Auto-detect: legacy and modern devices", 1, 1),
                                       ("MODERN", "Modern only (VirtIO 1.x, virtio-mmio version 2)", 0, 1),
                                       ("LEGACY", "Legacy only (virtio-mmio version 1)", 1, 0)):
        modes.append(sym("VIRTIO_TRANSPORT_" + key) + (title, legacy, modern, key.lower()))
    core_sources, limits, by_dev, transport_sources = [], [], {}, {}
    for f in files:
        text = f["text"]
        if f["device"]:
            by_dev.setdefault(f["device"], {"sources": [], "tunables": []})
            entry = by_dev[f["device"]]
            if f["dest"].endswith(".c"):
                entry["sources"].append(f["dest"])
            entry["tunables"].extend(tuned(t) for t in tunables(text))
        elif f["transport"]:
            transport_sources.setdefault(f["transport"], [])
            if f["dest"].endswith(".c"):
                transport_sources[f["transport"]].append(f["dest"])
            else:
                limits.extend(tuned(t) for t in tunables(text))
        elif f["dest"].endswith(".c"):
            core_sources.append(f["dest"])
        elif f["dest"].endswith(".h"):
            limits.extend(tuned(t) for t in tunables(text))
    device_opts = []
    for dev in sorted(devices):
        entry = by_dev.get(dev, {"sources": [], "tunables": []})
        symbol, c_name = sym("VIRTIO_" + dev.upper())
        device_opts.append(DeviceOption(dev, DEVICE_TITLES.get(dev, f"virtio-{dev}"), symbol, c_name,
                                        bool(entry["sources"]), entry["sources"], entry["tunables"]))
    transport_opts = [(t,) + sym("VIRTIO_" + t.upper()) + (transport_sources.get(t, []),)
                      for t in sorted(transports)]
    return Config(k, m, enable, enable_c, modes, "AUTO", transport_opts, device_opts, limits,
                  core_sources, generated_sources, include_dirs, config_header)


def render_glue(env, config, meta):
    """{export path: text} of the Kconfig menu, build glue and config header."""
    out = {}
    for path, template in (("Kconfig", "export/Kconfig.j2"),
                           ("virtio.cmake", "export/virtio.cmake.j2"),
                           ("sources.mk", "export/sources.mk.j2"),
                           ("sources.txt", "export/sources.txt.j2"),
                           (config.config_header, "export/config.h.j2"),
                           ("VENDORED.md", "export/VENDORED.md.j2")):
        out[path] = env.get_template(template).render(c=config, meta=meta)
    if meta.get("build_file"):
        template = "export/" + meta["build_file"] + ".j2"
        out[meta["build_file"]] = env.get_template(template).render(c=config, meta=meta)
    return out
