"""Cross-checks the generated definitions against Linux's uapi headers.

For every macro, enum constant, struct size and field offset that both the
spec/ model and /usr/include/linux/virtio_*.h (and pci_regs.h) define, the values must be
equal. A C probe compiled against the Linux headers prints Linux's values;
the spec model gives ours. Fails below FLOOR comparisons, so a broken probe
cannot pass by comparing nothing.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from generator.cli import load_spec  # noqa: E402

LINUX = "/usr/include/linux"
FLOOR = 120

# Names both define on purpose with different values, and why. Empty: every
# shared name agrees. Differences in naming (not value) are documented in
# spec/ (e.g. VIRTIO_F_INDIRECT_DESC is the spec's name; Linux's
# VIRTIO_RING_F_INDIRECT_DESC is rendered as an alias and compared).
DELIBERATE = {
}


def our_definitions(spec):
    macros = {}
    for sf in spec.files:
        for feat in sf.features:
            macros[feat.macro] = feat.bit
            for alias in feat.aliases:
                macros[alias] = feat.bit
        for group in sf.constants:
            for v in group.values:
                macros[v.macro] = v.value
        for block in sf.registers:
            for reg in block.regs:
                macros[reg.macro] = reg.offset
    for v in spec.device_ids.values:
        macros[v.macro] = v.value
    layouts = {}
    for struct in spec.structs:
        layouts[struct.name] = (struct.size, {f.name: f.offset for f in struct.fields})
    return macros, layouts


def _strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def _body(text, start):
    """The text between the brace at start and its match."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1:i]
    return ""


def _top_level(body):
    """A struct body with nested braces' contents removed."""
    out, depth = [], 0
    for ch in body:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def linux_declarations():
    """Struct field names and enum constants declared by the Linux headers."""
    structs, enums, headers = {}, set(), []
    paths = sorted(glob.glob(os.path.join(LINUX, "virtio_*.h")))
    paths += [os.path.join(LINUX, "pci_regs.h")]  # the generic PCI names of spec/pci_config.yaml
    for path in paths:
        headers.append(os.path.basename(path))
        text = _strip_comments(open(path).read())
        for m in re.finditer(r"\bstruct\s+(\w+)\s*\{", text):
            body = _top_level(_body(text, m.end() - 1))
            fields = set()
            for decl in body.split(";"):
                names = re.findall(r"(\w+)\s*(?:\[[^\]]*\])?\s*$", decl.strip())
                if names:
                    fields.add(names[-1])
            structs.setdefault(m.group(1), fields)
        for m in re.finditer(r"\benum\s*\w*\s*\{", text):
            for name in re.findall(r"\b([A-Z][A-Z0-9_]+)\s*(?:=[^,]*)?,?", _body(text, m.end() - 1)):
                enums.add(name)
    return headers, structs, enums


def probe_source(headers, macros, layouts, structs, enums):
    lines = ["#include <stddef.h>", "#include <stdio.h>"]
    lines += [f"#include <linux/{h}>" for h in headers]
    lines.append("int main(void)\n{")
    for name in sorted(macros):
        if name in enums:
            lines.append(f'\tprintf("M {name} %lld\\n", (long long)({name}));')
        else:
            lines.append(f"#ifdef {name}")
            lines.append(f'\tprintf("M {name} %lld\\n", (long long)({name}));')
            lines.append("#endif")
    for name in sorted(layouts):
        if name not in structs:
            continue
        lines.append(f'\tprintf("S {name} %zu\\n", sizeof(struct {name}));')
        for field in sorted(layouts[name][1]):
            if field in structs[name]:
                lines.append(f'\tprintf("O {name}.{field} %zu\\n", offsetof(struct {name}, {field}));')
    lines.append("\treturn 0;\n}")
    return "\n".join(lines) + "\n"


def main(argv):
    spec_dir = argv[1] if len(argv) > 1 else os.path.join(ROOT, "spec")
    spec = load_spec(spec_dir)
    macros, layouts = our_definitions(spec)
    headers, structs, enums = linux_declarations()
    if not headers:
        print(f"no {LINUX}/virtio_*.h: install linux-libc-dev (scripts/setup.sh)")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "probe.c")
        exe = os.path.join(tmp, "probe")
        with open(src, "w") as fh:
            fh.write(probe_source(headers, macros, layouts, structs, enums))
        build = subprocess.run(["cc", "-std=gnu11", "-o", exe, src], capture_output=True, text=True)
        if build.returncode != 0:
            print("probe did not compile:\n" + build.stderr)
            return 1
        output = subprocess.run([exe], capture_output=True, text=True, check=True).stdout

    compared = mismatched = 0
    kinds = {"M": 0, "S": 0, "O": 0}
    for line in output.splitlines():
        kind, name, value = line.split()
        value = int(value)
        if kind == "M":
            ours = macros[name]
        elif kind == "S":
            ours = layouts[name][0]
        else:
            struct, field = name.split(".")
            ours = layouts[struct][1][field]
        compared += 1
        kinds[kind] += 1
        if ours != value:
            if name in DELIBERATE:
                print(f"differs on purpose: {name}: ours {ours}, Linux {value}: {DELIBERATE[name]}")
                continue
            mismatched += 1
            print(f"MISMATCH {name}: ours {ours}, Linux {value}")
    only_ours = sorted(m for m in macros if f"M {m} " not in output)
    print(f"compared {compared} definitions with Linux uapi ({len(headers)} headers): "
          f"{kinds['M']} macros, {kinds['S']} struct sizes, {kinds['O']} field offsets")
    print(f"{len(only_ours)} of our macros have no Linux counterpart: {' '.join(only_ours)}")
    if compared < FLOOR:
        print(f"FAIL: only {compared} comparisons, floor is {FLOOR}")
        return 1
    print(f"crosscheck: {compared - mismatched} passed, {mismatched} failed")
    return 1 if mismatched else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
