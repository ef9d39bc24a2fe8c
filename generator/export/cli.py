"""Command line of `python3 -m generator export`."""
import argparse
import os
import subprocess
import sys

from .. import __version__
from ..errors import SpecErrors
from ..render import make_env, render
from . import glue, prefix, selection, tree

from ..cli import EXIT_DIFFERENT, EXIT_INVALID, EXIT_OK, EXIT_USAGE, Parser

DESCRIPTION = """\
Write a self-contained copy of the generated headers and the runtime for the
chosen devices and transports into DEST, for vendoring into an RTOS tree:
generated/ (headers, name tables), runtime/ (core, transports, drivers, the
port layer header; no ports), Kconfig, virtio.cmake, sources.mk,
sources.txt, a configuration header and the manifest virtio-export.json.

Exporting again into DEST updates it and lists what changed. A file changed
downstream (its hash differs from the manifest) is reported and kept, and
the exit status is 1, unless --force. Files the manifest does not list are
never touched. Options not given are taken from DEST's manifest.

exit status:
  0  DEST matches a fresh export (after writing it, or with --check)
  1  --check: DEST differs (diff printed); export: files changed downstream were kept
  2  invalid spec, unknown device/transport, or (--check) DEST has no
     manifest; nothing written
  3  wrong command line (unknown option, bad prefix); nothing written
"""


def _list(text):
    return [x for x in (t.strip() for t in text.split(",")) if x]


def parse(argv, spec_dir, template_dir):
    p = Parser(prog="python3 -m generator export", description=DESCRIPTION,
               formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dest", metavar="DIR", required=True, help="export folder")
    p.add_argument("--devices", metavar="LIST", type=_list,
                   help="comma-separated device names (blk,net,...) or 'all' (default: all)")
    p.add_argument("--transports", metavar="LIST", type=_list,
                   help=f"comma-separated transports ({', '.join(selection.TRANSPORTS)}; default: all)")
    p.add_argument("--prefix", metavar="P",
                   help="prefix for every generated identifier: RT_ gives RT_VIRTIO_F_VERSION_1, "
                        "struct rt_vring_desc (default: none)")
    p.add_argument("--namespace", metavar="NS",
                   help="rename every name of the export, runtime included (vtk: vtk_virtqueue_add, "
                        "struct vtk_virtio_device, VTK_VIRTIO_F_VERSION_1) and put the headers "
                        "under <NS/virtio/...>, to link beside another VirtIO stack (not with --prefix)")
    p.add_argument("--os", metavar="OS", choices=sorted(selection.OSES),
                   help="also export the port and device glue of OS with its build file "
                        f"({', '.join(sorted(selection.OSES))}; default: none)")
    p.add_argument("--kconfig-prefix", metavar="P",
                   help="prefix of the Kconfig symbols, e.g. RT_USING_ (default: none)")
    p.add_argument("--config-prefix", metavar="P",
                   help="what the Kconfig tool puts before a symbol in C: CONFIG_ (default; "
                        "Linux-style autoconf.h, Zephyr) or '' (RT-Thread's rtconfig.h)")
    p.add_argument("--check", action="store_true",
                   help="write nothing; compare DEST with a fresh export")
    p.add_argument("--force", action="store_true",
                   help="also overwrite (or restore) files changed downstream")
    p.add_argument("--spec", metavar="DIR", default=spec_dir,
                   help="spec folder (default: spec/ of the project)")
    p.add_argument("--templates", metavar="DIR", default=template_dir, help=argparse.SUPPRESS)
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    return p.parse_args(argv)


def options(args, manifest, spec):
    """The export's choices: command line, else manifest, else defaults."""
    recorded = (manifest or {}).get("options", {})

    def pick(name, default):
        value = getattr(args, name)
        return value if value is not None else recorded.get(name, default)

    opts = {
        "devices": pick("devices", ["all"]),
        "transports": pick("transports", sorted(selection.TRANSPORTS)),
        "prefix": pick("prefix", ""),
        "namespace": pick("namespace", ""),
        "os": pick("os", ""),
    }
    os_defaults = selection.OSES.get(opts["os"], {})
    opts["kconfig_prefix"] = pick("kconfig_prefix", os_defaults.get("kconfig_prefix", ""))
    opts["config_prefix"] = pick("config_prefix", os_defaults.get("config_prefix", "CONFIG_"))
    if opts["devices"] == ["all"]:
        opts["devices"] = selection.known_devices(spec)
    opts["devices"] = sorted(set(opts["devices"]))
    opts["transports"] = sorted(set(opts["transports"]))
    return opts


def revision(root):
    """The source git revision, '+dirty' when exported inputs have local changes."""
    try:
        head = subprocess.run(["git", "-C", root, "rev-parse", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--", "spec",
                                "templates", "generator", "runtime"], capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def build(spec, opts, root, template_dir):
    """({export path: text} of every exported file, [notes for the user])."""
    full = render(spec, template_dir)
    ns = opts["namespace"]
    names = prefix.defined_names(full)
    chosen = selection.runtime_files(root, opts["devices"], opts["transports"], opts["os"])
    sources = {}
    for f in chosen:
        with open(os.path.join(root, f.src), encoding="utf-8") as fh:
            sources[f.dest] = fh.read()
    if ns:
        names |= prefix.runtime_names(sources.values())
    rename = prefix.mapping(names, ns + "_" if ns else opts["prefix"])

    def cname(name):
        """A runtime macro's name in the export."""
        return rename.get(name, ns.upper() + "_" + name if ns else name)

    def convert(rel, text):
        return (prefix.namespaced_path(rel, ns),
                prefix.namespaced_includes(prefix.apply(text, rename), ns))

    part = render(selection.subset(spec, opts["devices"], opts["transports"]), template_dir)
    files = dict(convert("generated/" + rel, text) for rel, text in part.items()
                 if rel.startswith(("include/", "src/")))
    runtime = []
    for f in chosen:
        dest, text = convert(f.dest, sources[f.dest])
        files[dest] = text
        runtime.append({"dest": dest, "text": sources[f.dest], "device": f.device,
                        "transport": f.transport})

    include_dirs = ["runtime/include", "generated/include"]
    os_info = selection.OSES.get(opts["os"], {})
    config = glue.build_config(
        runtime, opts["devices"], opts["transports"], opts["kconfig_prefix"], opts["config_prefix"],
        config_header="generated/include/virtio_export_config.h",
        generated_sources=sorted(r for r in files if r.startswith("generated/src/")),
        include_dirs=include_dirs, cname=cname)
    env = make_env(template_dir)
    env.filters["kconfig_text"] = lambda s: " ".join(str(s).replace('"', "'").replace("\\", "/").split())
    meta = {
        "options": opts,
        "guard": (ns.upper() + "_" if ns else opts["prefix"].upper()) + "VIRTIO_EXPORT_CONFIG_H",
        "cname": cname,
        "kconfig_header": os_info.get("kconfig_header", ""),
        "build_file": os_info.get("build_file", ""),
        "header_dir": ns + "/virtio" if ns else "virtio",
        "target": "virtio_vendored",
        "mode_var": opts["kconfig_prefix"] + "VIRTIO_TRANSPORT",
    }
    files.update(glue.render_glue(env, config, meta))

    notes = [f"no runtime driver for '{dev}' yet; its definitions are exported"
             for dev in selection.drivers_missing(chosen, opts["devices"])]
    headers = {}
    for rel in files:
        for inc in include_dirs:
            if rel.startswith(inc + "/"):
                headers.setdefault(rel[len(inc) + 1:], []).append(inc)
    notes += [f"<{h}> is in both {' and '.join(dirs)}: {dirs[0]} wins (as in the project)"
              for h, dirs in sorted(headers.items()) if len(dirs) > 1]
    return files, notes


def main(argv, root, load_spec, spec_dir, template_dir):
    args = parse(argv, spec_dir, template_dir)
    template_dir = args.templates
    dest = os.path.abspath(args.dest)
    try:
        manifest = tree.read_manifest(dest)
    except (OSError, ValueError) as exc:
        print(f"export: unreadable manifest in {dest}: {exc}", file=sys.stderr)
        return EXIT_INVALID
    try:
        spec = load_spec(args.spec)
    except SpecErrors as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        print(f"export: {len(exc.errors)} problem(s) in the spec; nothing written", file=sys.stderr)
        return EXIT_INVALID
    if args.check and manifest is None and args.devices is None:
        print(f"export: {dest} has no {tree.MANIFEST}: not an export (give --devices to "
              "compare with a fresh export anyway)", file=sys.stderr)
        return EXIT_INVALID
    opts = options(args, manifest, spec)
    problem = prefix.check_prefix(opts["prefix"])
    if problem is None and opts["namespace"] and opts["prefix"]:
        problem = "--namespace renames every name already: leave out --prefix"
    for name in ("namespace", "kconfig_prefix", "config_prefix"):
        if problem is None and opts[name] and prefix.check_prefix(opts[name]):
            problem = f"--{name.replace('_', '-')} '{opts[name]}' is not a C identifier start"
    if problem is None and not opts["devices"]:
        problem = "no devices chosen"
    if problem is None and not opts["transports"]:
        problem = "no transports chosen"
    if problem:
        print(f"export: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        files, notes = build(spec, opts, root, template_dir)
    except selection.SelectionError as exc:
        print(f"export: {exc}", file=sys.stderr)
        return EXIT_INVALID

    if args.check:
        text = tree.diff(files, dest, manifest)
        if text:
            sys.stdout.write(text)
            print(f"export: {dest} differs from a fresh export; re-export to update it",
                  file=sys.stderr)
            return EXIT_DIFFERENT
        if not args.quiet:
            print(f"export: {dest} matches a fresh export ({len(files)} files)")
        return EXIT_OK

    actions = tree.plan(files, dest, manifest, args.force)
    meta = {"tool": "virtio-toolkit generator export", "version": __version__,
            "revision": revision(root), "options": opts}
    os.makedirs(dest, exist_ok=True)
    tree.apply(actions, dest, files, meta, manifest)
    counts = {}
    for rel, status, _ in actions:
        counts[status] = counts.get(status, 0) + 1
        if status != "unchanged" and not (args.quiet and status not in tree.CONFLICTS):
            note = {"kept": "changed downstream, not overwritten (--force to replace)",
                    "missing": "deleted downstream, not restored (--force to restore)",
                    "orphaned": "no longer exported, changed downstream: left in place"}.get(status, "")
            print(f"  {status:<11} {rel}{'  ' + note if note else ''}")
    for note in notes:
        print(f"export: note: {note}")
    conflicts = sum(counts.get(s, 0) for s in tree.CONFLICTS)
    if not args.quiet:
        if set(counts) <= {"unchanged"}:
            print(f"export: {dest} is up to date ({len(files)} files)")
        else:
            summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
            print(f"export: {dest}: {summary}")
    if conflicts:
        print(f"export: {conflicts} file(s) changed downstream were left as they are",
              file=sys.stderr)
        return EXIT_DIFFERENT
    return EXIT_OK
