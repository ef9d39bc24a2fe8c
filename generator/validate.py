"""Checks the loaded YAML against the schema (spec/README.md) and builds the model.

Every problem becomes a SpecError at the line that causes it; all problems of
a run are reported together.
"""
import difflib
import re

from .errors import SpecError, SpecErrors
from .loader import Map, Seq, shown, is_number, plain
from .model import (SCALAR_TYPES, Device, Feature, Group, Register, RegisterBlock,
                    Spec, SpecFile, Struct, StructField, Value)
from .render import config_leaves

# Every pattern is applied with fullmatch: '$' would let a trailing newline
# through into the C.
MACRO_RE = re.compile(r"[A-Z][A-Z0-9_]*")
VALUE_NAME_RE = re.compile(r"[A-Z0-9][A-Z0-9_]*")
IDENT_RE = re.compile(r"[a-z_][a-z0-9_]*")
HEADER_RE = re.compile(r"[a-z][a-z0-9_]*")
SECTION_RE = re.compile(r"[0-9]+(\.[0-9]+)*")
TYPE_RE = re.compile(r"(?:struct\s+([a-z_][a-z0-9_]*)|([a-z0-9]+))\s*(?:\[\s*([0-9]*)\s*\])?")
RESERVED_HEADERS = {"spec", "names", "config_io"}
GROUP_KINDS = ("enum", "mask", "bit", "value")

# Names a C compiler will not take as identifiers: C11 and C23 keywords and
# GNU's asm (the names with a leading underscore are refused anyway).
C_KEYWORDS = frozenset("""
    auto break case char const continue default do double else enum extern float for
    goto if inline int long register restrict return short signed sizeof static struct
    switch typedef union unsigned void volatile while
    _Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn
    _Static_assert _Thread_local
    alignas alignof bool constexpr false nullptr static_assert thread_local true
    typeof typeof_unqual asm
""".split())

# Macros the generated files define themselves, or get from <stdint.h>,
# <stddef.h> and <stdio.h>: a spec macro of the same name would redefine one.
RESERVED_MACRO_RE = re.compile(
    r"VIRTIO_GEN_[A-Z0-9_]*|VIRTIO_CONFIG_READ_TRIES|VIRTIO_FEATURES_(?:TRANSPORT|DEVICE)_MASK"
    r"|U?INT(?:8|16|32|64|MAX|PTR|_LEAST(?:8|16|32|64)|_FAST(?:8|16|32|64))_(?:MIN|MAX|C)"
    r"|(?:PTRDIFF|SIG_ATOMIC|WCHAR|WINT)_(?:MIN|MAX)|SIZE_MAX"
    r"|NULL|EOF|BUFSIZ|FILENAME_MAX|FOPEN_MAX|TMP_MAX|SEEK_(?:SET|CUR|END)")

# Functions the generated C defines or declares whatever the spec says, and
# names from the standard headers the generated files include.
RESERVED_FUNCTIONS = {
    "virtio_device_name": "the device name table",
    "virtio_feature_name": "the feature name table",
    "transport_feature_name": "the transport feature name table",
    **{f"virtio_config_{op}": "<virtio/config_io.h>"
       for op in ("read8", "read16", "read32", "read64", "write8", "write16", "write32",
                  "generation")},
}
STD_TYPE_RE = re.compile(
    r"u?int(?:8|16|32|64|max|ptr|_least(?:8|16|32|64)|_fast(?:8|16|32|64))_t"
    r"|size_t|ssize_t|ptrdiff_t|wchar_t|max_align_t|fpos_t|off_t"
    r"|(?:getc|getchar|putc|putchar)_unlocked|open_memstream")
# Structs the C already has: the runtime defines struct virtio_device.
RESERVED_STRUCTS = {"virtio_device"}

# Bounds set by where the numbers land in C.
MAX_FEATURE_BIT = 127           # feature bits of VirtIO 1.2 (feature_ranges too)
MAX_VERSION = 15                # bit of the uint16_t version mask in the register name table
MAX_LAYOUT = 1 << 20            # struct sizes, offsets and array lengths

FILE_KEYS = ({"title", "section", "header"},
             {"doc", "device", "device_ids", "feature_ranges", "features",
              "constants", "structs", "registers"})


class _Skip(Exception):
    """Abandons one entry after its error has been recorded."""


class _FileChecker:
    def __init__(self, path):
        self.path = path
        self.errors = []
        self.groups = []  # constant groups of this file, for the duplicate-name check

    def error(self, line, message):
        self.errors.append(SpecError(self.path, line, message))

    def skip(self, line, message):
        self.error(line, message)
        return _Skip()

    # --- shape -----------------------------------------------------------

    def mapping(self, value, line, where, required, optional=()):
        if not isinstance(value, Map):
            raise self.skip(line, f"{where} must be a mapping")
        allowed = set(required) | set(optional)
        for key in value:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                if " " in key:
                    hint = " (a comma or colon in unquoted text? put the text in quotes)"
                self.error(value.key_lines[key], f"unknown key '{key}' in {where}{hint}")
        missing = [k for k in sorted(required) if k not in value]
        for key in missing:
            self.error(value.line, f"missing key '{key}' in {where}")
        if missing:
            raise _Skip()
        return value

    def items(self, value, line, where):
        if not isinstance(value, Seq):
            raise self.skip(line, f"{where} must be a list")
        return list(zip(value.item_lines, value))

    def line_of(self, mapping, key):
        return mapping.key_lines.get(key, mapping.line)

    def text(self, mapping, key, where, default=None, pattern=None, what=None):
        if key not in mapping:
            return default
        value = mapping[key]
        line = self.line_of(mapping, key)
        if is_number(value):
            value = value.text
        if not isinstance(value, str):
            raise self.skip(line, f"'{key}' of {where} must be text")
        if pattern is not None and not pattern.fullmatch(value):
            raise self.skip(line, f"'{key}' of {where} is not {what}: '{shown(value)}'")
        return value

    def ident(self, mapping, key, where):
        """A name that becomes (part of) a C identifier: not a keyword, not reserved."""
        value = self.text(mapping, key, where, pattern=IDENT_RE, what="a lower-case C identifier")
        line = self.line_of(mapping, key)
        if value in C_KEYWORDS:
            raise self.skip(line, f"'{key}' of {where} is the C keyword '{value}'")
        if value.startswith("_"):
            raise self.skip(line, f"'{key}' of {where} starts with '_': "
                                  f"such C names are reserved for the compiler and C library")
        return value

    def section(self, mapping, where, default=None):
        value = self.text(mapping, "section", where, default, SECTION_RE,
                          "a spec section number such as \"5.2.4\"")
        return value

    def integer(self, mapping, key, where, minimum=0, maximum=None):
        value = mapping[key]
        line = self.line_of(mapping, key)
        if not is_number(value) or not isinstance(plain(value), int):
            raise self.skip(line, f"'{key}' of {where} must be an integer")
        self.number_form(value, line, f"'{key}' of {where}")
        value = plain(value)
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"{minimum}..{maximum}" if maximum is not None else f">= {minimum}"
            raise self.skip(line, f"'{key}' of {where} is {value}, outside {bound}")
        return value

    def number_form(self, number, line, what):
        """Refuses YAML 1.1 integer spellings that do not read as they look."""
        text = number.text.lstrip("+-")
        if ":" in text:
            raise self.skip(line, f"{what} is written '{number.text}', which YAML reads as the "
                                  f"base-60 number {number.value}: write it in decimal or 0x hex")
        if re.fullmatch(r"0[0-9_]+", text):
            raise self.skip(line, f"{what} is written '{number.text}', which YAML reads as the "
                                  f"octal number {number.value}: write {number.value} or {number.value:#x}")

    def boolean(self, mapping, key, where):
        if key not in mapping:
            return False
        if not isinstance(mapping[key], bool):
            raise self.skip(self.line_of(mapping, key), f"'{key}' of {where} must be true or false")
        return mapping[key]


def _guard(checker, fn, *args):
    """Runs one entry's check; a _Skip only abandons that entry."""
    try:
        return fn(*args)
    except _Skip:
        return None


class Validator:
    def __init__(self):
        self.checkers = []
        self.macros = {}        # macro -> (path, line)
        self.struct_defs = {}   # name -> (checker, raw mapping, line, header)
        self.structs = {}       # name -> Struct, once resolved
        self.resolving = set()
        self.transport_macros = set()
        self.transport_bits = {}  # bit -> (macro, path, line), across transport files

    # --- entry point -----------------------------------------------------

    def run(self, documents):
        """documents: list of (relative path, loaded mapping)."""
        files = []
        raw = []
        for path, doc in documents:
            checker = _FileChecker(path)
            self.checkers.append(checker)
            sf = _guard(checker, self.file_header, checker, doc)
            if sf is not None:
                files.append(sf)
                raw.append((checker, doc, sf))

        headers = {}
        for checker, doc, sf in raw:
            if sf.header in headers:
                checker.error(checker.line_of(doc, "header"),
                              f"header '{sf.header}' is already used by {headers[sf.header]}")
            headers[sf.header] = sf.path

        device_ids, ranges = self.tables(raw)
        for checker, doc, sf in raw:
            if "device" in doc:
                sf.device = _guard(checker, self.device, checker, doc, device_ids)
        for checker, doc, sf in raw:
            for line, entry in _guard(checker, checker.items, doc.get("structs", Seq()),
                                      checker.line_of(doc, "structs"), "structs") or []:
                _guard(checker, self.declare_struct, checker, entry, line, sf)
        for checker, doc, sf in raw:
            if "features" in doc:
                _guard(checker, self.features, checker, doc, sf, ranges)
            for line, entry in _guard(checker, checker.items, doc.get("constants", Seq()),
                                      checker.line_of(doc, "constants"), "constants") or []:
                group = _guard(checker, self.group, checker, entry, line)
                if group is not None:
                    sf.constants.append(group)
            for line, entry in _guard(checker, checker.items, doc.get("registers", Seq()),
                                      checker.line_of(doc, "registers"), "registers") or []:
                block = _guard(checker, self.register_block, checker, entry, line)
                if block is not None:
                    sf.registers.append(block)
        for checker, doc, sf in raw:
            for name in [n for n, d in self.struct_defs.items() if d[0] is checker]:
                struct = _guard(checker, self.resolve_struct, name, checker, None)
                if struct is not None:
                    sf.structs.append(struct)
            sf.includes = sorted({s.header for st in sf.structs for f in st.fields
                                  if f.struct is not None and f.struct.header != sf.header
                                  for s in [f.struct]})
        self.include_cycles(raw)
        self.c_names(raw)

        errors = [e for c in self.checkers for e in c.errors]
        if errors:
            raise SpecErrors(errors)
        if device_ids is None or ranges is None:
            raise SpecErrors([SpecError("spec", 1, "no file defines device_ids and feature_ranges")])
        return Spec(files=files, device_ids=device_ids[0],
                    transport_ranges=ranges[0], device_ranges=ranges[1], ranges_section=ranges[2])

    # --- what the C as a whole needs ------------------------------------

    def include_cycles(self, raw):
        """Headers that include each other cannot both see the other's structs."""
        includes = {sf.header: set(sf.includes) for _, _, sf in raw}

        def reaches(start, goal):
            seen, todo = set(), [start]
            while todo:
                header = todo.pop()
                if header == goal:
                    return True
                if header not in seen:
                    seen.add(header)
                    todo.extend(includes.get(header, ()))
            return False

        for c, _, sf in raw:
            for st in sf.structs:
                for f in st.fields:
                    other = f.struct.header if f.struct is not None else sf.header
                    if other != sf.header and reaches(other, sf.header):
                        c.error(f.line, f"struct {st.name}.{f.name} makes <virtio/{sf.header}.h> include "
                                        f"<virtio/{other}.h>, which includes <virtio/{sf.header}.h> back: "
                                        f"move one of the structs so the headers do not include each other")

    def c_names(self, raw):
        """Every function the generated C defines is defined once.

        Names are built from spec names (virtio_<group>_name,
        <struct>_<field> accessors, ...), so two different spec names can
        still meet in C; each clash is reported where the later one is
        defined.
        """
        owners = {name: (None, 0, what) for name, what in RESERVED_FUNCTIONS.items()}
        device_ids = {}

        def claim(c, line, name, what):
            if STD_TYPE_RE.fullmatch(name):
                c.error(line, f"{what} would be the C function {name}, a name of the C library")
                return
            if name in owners:
                path, first, other = owners[name]
                where = f" ({path}:{first})" if path else ""
                c.error(line, f"{what} would be the C function {name}, which is already {other}{where}")
                return
            owners[name] = (c.path, line, what)

        for c, _, sf in raw:
            if sf.device is not None and sf.features:
                d = sf.device
                claim(c, d.line, f"{d.name}_feature_name", f"the feature names of device {d.name}")
                if d.id_macro in device_ids:
                    path, first = device_ids[d.id_macro]
                    c.error(d.line, f"device {d.id_name} already has feature bits in {path} "
                                    f"(device at line {first}): one file per device type")
                device_ids.setdefault(d.id_macro, (c.path, d.line))
            for g in sf.constants:
                if g.kind != "value":
                    claim(c, g.line, f"virtio_{g.group}_name", f"the name table of group {g.group}")
            for b in sf.registers:
                claim(c, b.line, f"virtio_{b.block}_reg_name", f"the name table of register block {b.block}")
            for st in sf.config_structs:
                lines = {f.name: f.line for f in st.fields}
                for leaf in config_leaves(st):
                    if leaf["reserved"]:
                        continue
                    top = leaf["member"].split(".")[0].split("[")[0]
                    what = f"the accessor of {st.name}.{leaf['member'].replace('[i]', '[]')}"
                    claim(c, lines[top], leaf["name"], what)
                    if leaf["write"]:
                        claim(c, lines[top], st.name + "_set_" + leaf["name"][len(st.name) + 1:],
                              "the setter" + what[len("the accessor"):])
                claim(c, st.line, f"{st.name}_read", f"the whole-configuration read of struct {st.name}")

    # --- files -----------------------------------------------------------

    def file_header(self, c, doc):
        c.mapping(doc, getattr(doc, "line", 1), "the file", *FILE_KEYS)
        title = c.text(doc, "title", "the file")
        header = c.text(doc, "header", "the file", pattern=HEADER_RE,
                        what="a lower-case C file name stem")
        if header in RESERVED_HEADERS:
            raise c.skip(c.line_of(doc, "header"), f"header '{header}' is reserved for the generator")
        return SpecFile(path=c.path, title=title, section=c.section(doc, "the file"),
                        header=header, doc=c.text(doc, "doc", "the file", ""))

    def claim(self, c, macro, line):
        """Registers a macro name; every generated macro is unique project-wide."""
        if not MACRO_RE.fullmatch(macro):
            c.error(line, f"'{shown(macro)}' is not an upper-case C macro name")
            return
        if RESERVED_MACRO_RE.fullmatch(macro):
            c.error(line, f"{macro} is reserved: the generated headers or the C headers they "
                          f"include define it")
            return
        if macro in self.macros:
            path, first = self.macros[macro]
            c.error(line, f"duplicate name {macro} (first defined at {path}:{first})")
            return
        self.macros[macro] = (c.path, line)

    def tables(self, raw):
        device_ids = ranges = None
        for c, doc, sf in raw:
            if "device_ids" in doc:
                if device_ids is not None:
                    c.error(c.line_of(doc, "device_ids"),
                            f"device_ids is already defined in {device_ids[1]}")
                    continue
                group = _guard(c, self.id_table, c, doc["device_ids"], c.line_of(doc, "device_ids"))
                if group is not None:
                    device_ids = (group, c.path)
                    sf.device_ids = group
            if "feature_ranges" in doc:
                if ranges is not None:
                    c.error(c.line_of(doc, "feature_ranges"),
                            f"feature_ranges is already defined in {ranges[3]}")
                    continue
                got = _guard(c, self.feature_ranges, c, doc["feature_ranges"],
                             c.line_of(doc, "feature_ranges"))
                if got is not None:
                    ranges = got + (c.path,)
                    sf.feature_ranges = {"transport": got[0], "device": got[1], "section": got[2]}
        return device_ids, ranges

    def id_table(self, c, m, line):
        c.mapping(m, line, "device_ids", {"prefix", "section", "values"}, {"doc"})
        group = self.group_values(c, m, "device_ids", "enum", c.text(m, "prefix", "device_ids"),
                                  c.section(m, "device_ids"), need_label=True)
        return group

    def feature_ranges(self, c, m, line):
        c.mapping(m, line, "feature_ranges", {"section", "transport", "device"})
        out = []
        for key in ("transport", "device"):
            spans = []
            for item_line, span in c.items(m[key], c.line_of(m, key), f"feature_ranges.{key}"):
                if (not isinstance(span, Seq) or len(span) != 2
                        or not all(is_number(v) and isinstance(plain(v), int) for v in span)
                        or plain(span[0]) > plain(span[1]) or plain(span[0]) < 0):
                    raise c.skip(item_line, f"feature_ranges.{key} items must be [first, last] bit numbers")
                for v in span:
                    c.number_form(v, item_line, f"feature_ranges.{key} bit")
                if plain(span[1]) > MAX_FEATURE_BIT:
                    raise c.skip(item_line, f"feature_ranges.{key} item [{plain(span[0])}, {plain(span[1])}] "
                                            f"goes past the last feature bit {MAX_FEATURE_BIT}")
                spans.append((plain(span[0]), plain(span[1])))
            out.append(spans)
        for t in out[0]:
            for d in out[1]:
                if t[0] <= d[1] and d[0] <= t[1]:
                    c.error(c.line_of(m, "device"), f"device range {list(d)} overlaps transport range {list(t)}")
        return out[0], out[1], c.section(m, "feature_ranges")

    def device(self, c, doc, device_ids):
        m = c.mapping(doc["device"], c.line_of(doc, "device"), "device", {"id", "name"})
        id_name = c.text(m, "id", "device", pattern=MACRO_RE, what="a device id name")
        name = c.ident(m, "name", "device")
        if device_ids is None:
            raise c.skip(c.line_of(m, "id"), "no device_ids table to look the id up in")
        for v in device_ids[0].values:
            if v.name == id_name:
                return Device(id_name=id_name, id_macro=v.macro, id_value=v.value, name=name,
                              line=c.line_of(doc, "device"))
        raise c.skip(c.line_of(m, "id"), f"unknown device id '{id_name}' (not in {device_ids[1]})")

    # --- features --------------------------------------------------------

    def features(self, c, doc, sf, ranges):
        where = "features"
        m = c.mapping(doc["features"], c.line_of(doc, "features"), where, {"prefix", "bits"}, {"section"})
        sf.feature_prefix = c.text(m, "prefix", where, pattern=MACRO_RE, what="a macro prefix")
        sf.feature_section = c.section(m, where, sf.section)
        is_device = "device" in doc
        allowed = None
        if ranges is not None:
            allowed = ranges[1] if is_device else ranges[0]
        kind = "device" if is_device else "transport"
        bits_seen = {}
        names_seen = set()
        for line, b in c.items(m["bits"], c.line_of(m, "bits"), "features.bits"):
            try:
                b = c.mapping(b, line, "a feature", {"name", "bit"},
                              {"section", "doc", "legacy", "aliases"})
                name = c.text(b, "name", "a feature", pattern=MACRO_RE, what="an upper-case name")
                bit = c.integer(b, "bit", f"feature {name}", 0, 127)
                if allowed is not None and not any(lo <= bit <= hi for lo, hi in allowed):
                    spans = ", ".join(f"{lo}..{hi}" for lo, hi in allowed)
                    c.error(c.line_of(b, "bit"),
                            f"feature {name} uses bit {bit}, outside the {kind} feature range ({spans})")
                if bit in bits_seen:
                    c.error(c.line_of(b, "bit"),
                            f"features {bits_seen[bit]} and {name} both use bit {bit}")
                bits_seen.setdefault(bit, name)
                if name in names_seen:
                    c.error(line, f"duplicate feature name {name}")
                names_seen.add(name)
                macro = sf.feature_prefix + name
                self.claim(c, macro, line)
                aliases = []
                for aline, alias in c.items(b.get("aliases", Seq()), c.line_of(b, "aliases"), "aliases"):
                    if not isinstance(alias, str):
                        c.error(aline, "aliases must be macro names")
                        continue
                    self.claim(c, alias, aline)
                    aliases.append(alias)
                if not is_device:
                    self.transport_macros.add(macro)
                    if bit in self.transport_bits and self.transport_bits[bit][1] != c.path:
                        other, opath, oline = self.transport_bits[bit]
                        c.error(c.line_of(b, "bit"), f"transport features {other} ({opath}:{oline}) "
                                                     f"and {macro} both use bit {bit}")
                    self.transport_bits.setdefault(bit, (macro, c.path, c.line_of(b, "bit")))
                sf.features.append(Feature(name=name, macro=macro, bit=bit,
                                           section=c.section(b, f"feature {name}", sf.feature_section),
                                           doc=c.text(b, "doc", f"feature {name}", ""),
                                           legacy=c.boolean(b, "legacy", f"feature {name}"),
                                           aliases=aliases))
            except _Skip:
                continue
        sf.features.sort(key=lambda f: f.bit)

    # --- constants -------------------------------------------------------

    def group(self, c, m, line):
        c.mapping(m, line, "a constants group", {"group", "kind", "prefix", "values"},
                  {"section", "doc", "type"})
        name = c.ident(m, "group", "a constants group")
        kind = c.text(m, "kind", f"group {name}")
        if kind not in GROUP_KINDS:
            raise c.skip(c.line_of(m, "kind"), f"kind of group {name} must be one of {', '.join(GROUP_KINDS)}")
        prefix = c.text(m, "prefix", f"group {name}")
        if prefix and not MACRO_RE.fullmatch(prefix):
            raise c.skip(c.line_of(m, "prefix"), f"prefix of group {name} is not a macro prefix")
        wide = False
        if "type" in m:
            t = c.text(m, "type", f"group {name}")
            if t not in ("u32", "u64"):
                raise c.skip(c.line_of(m, "type"), f"type of group {name} must be u32 or u64")
            wide = t == "u64"
        for other in self.all_groups():
            if other.group == name:
                raise c.skip(line, f"duplicate group name {name}")
        group = self.group_values(c, m, f"group {name}", kind, prefix,
                                  c.section(m, f"group {name}", None), wide=wide)
        group.group = name
        group.line = line
        group.doc = c.text(m, "doc", f"group {name}", "")
        return group

    def all_groups(self):
        return [g for c in self.checkers for g in c.groups]

    def group_values(self, c, m, where, kind, prefix, section, need_label=False, wide=False):
        if section is None:
            raise c.skip(m.line, f"missing key 'section' in {where}")
        values = []
        seen_values = {}
        limit = (1 << 64) - 1 if wide else (1 << 32) - 1
        optional = {"section", "doc", "label"} if not need_label else {"section", "doc"}
        required = {"name", "value", "label"} if need_label else {"name", "value"}
        for line, v in c.items(m["values"], c.line_of(m, "values"), f"values of {where}"):
            try:
                v = c.mapping(v, line, f"a value of {where}", required, optional)
                name = c.text(v, "name", f"a value of {where}", pattern=VALUE_NAME_RE,
                              what="an upper-case name")
                value = c.integer(v, "value", f"{prefix}{name}", 0, limit)
                macro = prefix + name
                if kind == "mask" and (value == 0 or value & (value - 1)):
                    c.error(c.line_of(v, "value"), f"{macro} = {value:#x} is not a single-bit mask")
                if kind == "bit" and value > 63:
                    c.error(c.line_of(v, "value"), f"{macro} = {value} is not a bit number (0..63)")
                if kind != "value" and value in seen_values:
                    c.error(c.line_of(v, "value"),
                            f"{macro} has the value {value}, already used by {seen_values[value]}")
                seen_values.setdefault(value, macro)
                self.claim(c, macro, line)
                values.append(Value(name=name, macro=macro, value=value,
                                    section=c.section(v, macro, section),
                                    doc=c.text(v, "doc", macro, ""),
                                    label=c.text(v, "label", macro, "")))
            except _Skip:
                continue
        group = Group(group="", kind=kind, prefix=prefix, section=section,
                      doc=c.text(m, "doc", where, ""), values=values, wide=wide)
        c.groups.append(group)
        return group

    # --- registers -------------------------------------------------------

    def register_block(self, c, m, line):
        c.mapping(m, line, "a register block", {"block", "prefix", "section", "regs"}, {"doc", "versions"})
        name = c.ident(m, "block", "a register block")
        where = f"register block {name}"
        prefix = c.text(m, "prefix", where, pattern=MACRO_RE, what="a macro prefix")
        section = c.section(m, where)
        versions = self.versions(c, m, where, None)
        regs = []
        for rline, r in c.items(m["regs"], c.line_of(m, "regs"), f"regs of {where}"):
            try:
                r = c.mapping(r, rline, "a register", {"name", "offset", "width", "access"},
                              {"spec_name", "versions", "section", "doc"})
                rname = c.text(r, "name", "a register", pattern=MACRO_RE, what="an upper-case name")
                macro = prefix + rname
                offset = c.integer(r, "offset", macro, 0, 0xFFFF)
                width = c.integer(r, "width", macro, 8, 64)
                if width not in (8, 16, 32, 64):
                    raise c.skip(c.line_of(r, "width"), f"width of {macro} must be 8, 16, 32 or 64")
                if offset % (width // 8):
                    c.error(c.line_of(r, "offset"), f"{macro} at {offset:#x} is not aligned to its width {width}")
                access = c.text(r, "access", macro)
                if access not in ("r", "w", "rw"):
                    raise c.skip(c.line_of(r, "access"), f"access of {macro} must be r, w or rw")
                rversions = self.versions(c, r, macro, versions)
                if versions is None and rversions is not None:
                    c.error(c.line_of(r, "versions"),
                            f"{macro} has versions but register block {name} does not")
                if versions is not None:
                    for v in rversions:
                        if v not in versions:
                            c.error(c.line_of(r, "versions"), f"{macro}: version {v} is not one of the block's {versions}")
                for other in regs:
                    common = set(other.versions) & set(rversions) if versions else {0}
                    if common and offset < other.offset + other.width // 8 and other.offset < offset + width // 8:
                        c.error(rline, f"{macro} overlaps {other.macro}")
                self.claim(c, macro, rline)
                regs.append(Register(name=rname, macro=macro, spec_name=c.text(r, "spec_name", macro, ""),
                                     offset=offset, width=width, access=access, versions=rversions or [],
                                     section=c.section(r, macro, section), doc=c.text(r, "doc", macro, "")))
            except _Skip:
                continue
        regs.sort(key=lambda r: r.offset)
        return RegisterBlock(block=name, prefix=prefix, section=section, doc=c.text(m, "doc", where, ""),
                             versions=versions or [], regs=regs, line=line)

    def versions(self, c, m, where, default):
        if "versions" not in m:
            return default
        out = []
        items = c.items(m["versions"], c.line_of(m, "versions"), f"versions of {where}")
        if not items:
            raise c.skip(c.line_of(m, "versions"), f"versions of {where} must name at least one version")
        for line, v in items:
            if not is_number(v) or not isinstance(plain(v), int) or plain(v) < 0:
                raise c.skip(line, f"versions of {where} must be integers")
            c.number_form(v, line, f"a version of {where}")
            if plain(v) > MAX_VERSION:
                raise c.skip(line, f"version {plain(v)} of {where} is outside 0..{MAX_VERSION}")
            if plain(v) in out:
                raise c.skip(line, f"version {plain(v)} of {where} is listed twice")
            out.append(plain(v))
        return out

    # --- structs ---------------------------------------------------------

    def declare_struct(self, c, m, line, sf):
        c.mapping(m, line, "a struct", {"name", "size", "fields"}, {"section", "doc", "config"})
        name = c.ident(m, "name", "a struct")
        if name in RESERVED_STRUCTS:
            raise c.skip(c.line_of(m, "name"), f"struct {name} is reserved: the runtime defines it")
        if name in self.struct_defs:
            other = self.struct_defs[name]
            raise c.skip(line, f"duplicate struct {name} (first at {other[0].path}:{other[2]})")
        self.struct_defs[name] = (c, m, line, sf)

    def resolve_struct(self, name, c_ref, line_ref):
        if name in self.structs:
            return self.structs[name]
        if name not in self.struct_defs:
            raise c_ref.skip(line_ref, f"unknown type 'struct {name}'")
        c, m, line, sf = self.struct_defs[name]
        if name in self.resolving:
            raise c_ref.skip(line_ref, f"struct {name} contains itself")
        self.resolving.add(name)
        try:
            struct = self.build_struct(c, m, line, sf, name)
        finally:
            self.resolving.discard(name)
        self.structs[name] = struct
        return struct

    def build_struct(self, c, m, line, sf, name):
        where = f"struct {name}"
        size = c.integer(m, "size", where, 1, MAX_LAYOUT)
        fields = []
        end = 0
        names = set()
        items = c.items(m["fields"], c.line_of(m, "fields"), f"fields of {where}")
        if not items:
            raise c.skip(m.line, f"{where} has no fields")
        failed = False
        for index, (fline, f) in enumerate(items):
            try:
                field = self.build_field(c, f, fline, sf, where)
            except _Skip:
                failed = True
                continue
            if field.name in names:
                c.error(fline, f"duplicate field {field.name} in {where}")
            names.add(field.name)
            if field.is_flexible and index != len(items) - 1:
                c.error(fline, f"flexible array {field.name} must be the last field of {where}")
            if field.offset % field.align:
                c.error(fline, f"{where}.{field.name} at offset {field.offset} is misaligned "
                               f"(its type needs {field.align}-byte alignment)")
            if failed:
                pass  # where the field that failed ended is unknown: no gap or overlap check
            elif field.offset < end:
                c.error(fline, f"{where}.{field.name} at offset {field.offset} overlaps the previous "
                               f"field, which ends at {end}")
            elif field.offset > end:
                c.error(fline, f"gap of {field.offset - end} bytes before {where}.{field.name} "
                               f"(offset {end}..{field.offset - 1}): declare it as a reserved field")
            end = max(end, field.offset + field.size)
            fields.append(field)
        if failed:
            raise _Skip()
        if end != size:
            c.error(c.line_of(m, "size"), f"{where} declares size {size} but its fields end at {end}")
        align = max(f.align for f in fields)
        config = c.boolean(m, "config", where)
        if config:
            for field in fields:
                if field.struct is not None and field.count and any(
                        g.count is not None or g.struct is not None for g in field.struct.fields):
                    c.error(field.line, f"{where}.{field.name}: an array of struct {field.struct.name}, "
                                        f"which holds arrays or structs, cannot have configuration accessors")
        return Struct(name=name, section=c.section(m, where, sf.section), doc=c.text(m, "doc", where, ""),
                      size=size, align=align, config=config, fields=fields,
                      header=sf.header, line=line)

    def build_field(self, c, f, line, sf, where):
        c.mapping(f, line, f"a field of {where}", {"name", "type", "offset"},
                  {"doc", "feature", "reserved", "access"})
        name = c.ident(f, "name", f"a field of {where}")
        fwhere = f"{where}.{name}"
        type_text = c.text(f, "type", fwhere)
        match = TYPE_RE.fullmatch(type_text.strip())
        if not match:
            raise c.skip(c.line_of(f, "type"), f"unknown type '{type_text}' of {fwhere}")
        struct_name, scalar, count = match.groups()
        nested = None
        if struct_name:
            nested = self.resolve_struct(struct_name, c, c.line_of(f, "type"))
            if nested.fields[-1].is_flexible:
                raise c.skip(c.line_of(f, "type"), f"struct {struct_name} ends in a flexible array: "
                                                   f"C does not allow it as a field of {where}")
            c_type, elem, align, order = f"struct {struct_name}", nested.size, nested.align, "struct"
            base = f"struct {struct_name}"
        else:
            if scalar not in SCALAR_TYPES:
                close = difflib.get_close_matches(scalar, sorted(SCALAR_TYPES), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise c.skip(c.line_of(f, "type"), f"unknown type '{scalar}' of {fwhere}{hint}")
            c_type, elem, order = SCALAR_TYPES[scalar]
            align = elem
            base = scalar
        if count is None:
            n = None
        elif count == "":
            n = 0
        else:
            n = int(count) if len(count) <= 8 else MAX_LAYOUT + 1
            if n == 0:
                raise c.skip(c.line_of(f, "type"), f"array {fwhere} has no elements")
            if n > MAX_LAYOUT or count[0] == "0":
                raise c.skip(c.line_of(f, "type"), f"array {fwhere} must have 1..{MAX_LAYOUT} elements, "
                                                   f"written without leading zeros")
        offset = c.integer(f, "offset", fwhere, 0, MAX_LAYOUT)
        feature = None
        if "feature" in f:
            feature = self.feature_ref(c, f, sf, fwhere)
        access = c.text(f, "access", fwhere, "r")
        if access not in ("r", "rw", "w"):
            raise c.skip(c.line_of(f, "access"), f"access of {fwhere} must be r, rw or w")
        size = 0 if n == 0 else elem * (n or 1)
        return StructField(name=name, type=type_text, base=base, count=n, offset=offset, size=size,
                           elem_size=elem, align=align, c_type=c_type, byte_order=order,
                           doc=c.text(f, "doc", fwhere, ""), feature=feature,
                           reserved=c.boolean(f, "reserved", fwhere), access=access, struct=nested,
                           line=line)

    def feature_ref(self, c, f, sf, where):
        """A field's guard: a feature of its own file, or a transport feature by macro."""
        ref = c.text(f, "feature", where)
        for feat in sf.features:
            if ref in (feat.name, feat.macro):
                return feat.macro
        if ref in self.transport_macros:
            return ref
        known = sorted({n for feat in sf.features for n in (feat.name, feat.macro)} |
                       set(self.transport_macros))
        close = difflib.get_close_matches(ref, known, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise c.skip(c.line_of(f, "feature"), f"{where} refers to undefined feature '{ref}'{hint}")
