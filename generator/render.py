"""Turns the model into file contents. Nothing is written here."""
import os
import re
import unicodedata

import jinja2

from .model import BYTE_ORDER_TEXT


# A '/' and a '*' side by side, in either order: '*/' would end the comment
# early and '/*' inside a comment is a -Wcomment warning.
_COMMENT_BREAK = re.compile(r"(?<=/)(?=\*)|(?<=\*)(?=/)")


def _unprintable(ch):
    """Control and format characters (NUL, ESC, bidi overrides...): compilers
    warn about some of them even inside comments, and none shows on a page."""
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs")


def _one_line(text):
    """Text on one line: whitespace runs become one space, unprintable
    characters are written as \\uXXXX."""
    text = " ".join(str(text).split())
    return "".join((f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
                   if _unprintable(ch) else ch for ch in text)


def _comment(text):
    """Text safe inside a C block comment, on one line."""
    return _COMMENT_BREAK.sub(" ", _one_line(text))


def _c_string(text):
    """The body of a C string literal (between the quotes) that holds exactly
    the bytes of text in UTF-8: backslash, quote, control characters and
    everything outside ASCII escaped (octal escapes take at most three
    digits, so a following digit cannot join them), and '??' broken up as
    '?\\?' so no trigraph forms (they are on with -std=c11)."""
    out = []
    prev = ""
    for ch in str(text):
        if ch in _C_ESCAPES:
            out.append(_C_ESCAPES[ch])
        elif ch == "?" and prev == "?":
            out.append("\\?")
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            out.extend(f"\\{byte:03o}" for byte in ch.encode("utf-8", "surrogatepass"))
        prev = ch
    return "".join(out)


_C_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _md(text):
    """Text on one line of Markdown."""
    return _one_line(text)


def _md_cell(text):
    """Text in a Markdown table cell: a '|' would start a new cell."""
    return _md(text).replace("|", "\\|")


def _hex(value, width=0):
    return f"0x{value:0{width}x}"


def _c_value(value, kind, wide=False):
    suffix = "ULL" if wide else ""
    if kind == "mask" or value > 0xFFFF:
        return f"0x{value:x}{suffix}"
    return f"{value}{suffix}"


def _range_mask(spans):
    """A 64-bit mask of the bits in inclusive [first, last] spans (bits past 63 dropped)."""
    mask = 0
    for lo, hi in spans:
        for bit in range(lo, min(hi, 63) + 1):
            mask |= 1 << bit
    return f"0x{mask:016x}ULL"


def _bit_of(mask):
    return mask.bit_length() - 1


READ_FN = {1: "virtio_config_read8", 2: "virtio_config_read16",
           4: "virtio_config_read32", 8: "virtio_config_read64"}
WRITE_FN = {1: "virtio_config_write8", 2: "virtio_config_write16", 4: "virtio_config_write32"}


def config_leaves(struct):
    """The scalar fields of a configuration struct, nested structs flattened.

    Each leaf knows its accessor name, how to compute its offset, its index
    bound when it sits in an array, and how to read and write it.
    """
    leaves = []

    def walk(s, path, designator):
        for f in s.fields:
            if f.is_flexible:
                continue
            name = f"{path}_{f.name}"
            member = f"{designator}.{f.name}" if designator else f.name
            if f.count is not None:
                base = f"offsetof(struct {struct.name}, {member})"
                elem = f"{base} + i * {f.elem_size}u"
                if f.struct is not None:
                    walk_elem(f.struct, name, member, f.count, elem)
                    continue
                leaves.append(_leaf(f, name, elem, f.count, f"{member}[i]"))
            elif f.struct is not None:
                walk(f.struct, name, member)
            else:
                leaves.append(_leaf(f, name, f"offsetof(struct {struct.name}, {member})", None, member))

    def walk_elem(s, path, member, count, elem_expr):
        """The scalars of an array's struct elements (arrays inside arrays
        do not occur in VirtIO configurations)."""
        for f in s.fields:
            if f.count is not None or f.struct is not None:
                continue
            expr = f"{elem_expr} + offsetof(struct {s.name}, {f.name})"
            leaves.append(_leaf(f, f"{path}_{f.name}", expr, count, f"{member}[i].{f.name}"))

    walk(struct, struct.name, "")
    return leaves


def _leaf(f, name, offset_expr, count, member):
    size = f.elem_size
    return {
        "name": name,
        "field": f,
        "c_type": f.c_type,
        "offset": offset_expr,
        "count": count,
        "member": member,
        "read": None if f.byte_order == "be" else READ_FN[size],
        "write": WRITE_FN.get(size) if f.access in ("rw", "w") and f.byte_order != "be" else None,
        "size": size,
        "big_endian": f.byte_order == "be",
        "order": BYTE_ORDER_TEXT[f.byte_order],
        "reserved": f.reserved,
    }


def struct_checks(struct):
    """(expression, expected) pairs a layout test verifies, nested fields included."""
    checks = [(f"sizeof(struct {struct.name})", struct.size)]

    def walk(s, designator, base):
        for f in s.fields:
            member = f"{designator}.{f.name}" if designator else f.name
            checks.append((f"offsetof(struct {struct.name}, {member})", base + f.offset))
            if f.struct is not None and f.count is None:
                walk(f.struct, member, base + f.offset)

    walk(struct, "", 0)
    return checks


def make_env(template_dir):
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["comment"] = _comment
    env.filters["c_string"] = _c_string
    env.filters["md"] = _md
    env.filters["md_cell"] = _md_cell
    env.filters["hex"] = _hex
    env.filters["c_value"] = _c_value
    env.filters["bit_of"] = _bit_of
    env.filters["range_mask"] = _range_mask
    env.globals["config_leaves"] = config_leaves
    env.globals["struct_checks"] = struct_checks
    env.globals["byte_order_text"] = BYTE_ORDER_TEXT
    return env


def render(spec, template_dir):
    """Returns {relative path: text} for every generated file."""
    env = make_env(template_dir)
    out = {}

    def put(path, template, **context):
        text = env.get_template(template).render(spec=spec, **context)
        out[path] = text

    for sf in spec.files:
        put(f"include/virtio/{sf.header}.h", "header.h.j2", f=sf)
    put("include/virtio/spec.h", "spec.h.j2")
    put("include/virtio/config_io.h", "config_io.h.j2")
    put("include/virtio/names.h", "names.h.j2")
    put("src/names.c", "names.c.j2")
    put("tests/layout_test.c", "layout_test.c.j2")
    put("docs/reference.md", "reference.md.j2")
    return {os.path.normpath(k).replace(os.sep, "/"): v for k, v in sorted(out.items())}
