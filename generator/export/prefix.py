"""The optional name prefix (`--prefix RT_`).

Every identifier the generator defines in a public header (macros, include
guards, struct tags, functions) is renamed: upper-case names get the prefix
in upper case (RT_VIRTIO_F_VERSION_1), lower-case ones in lower case
(struct rt_vring_desc, rt_virtio_config_read8). The same renaming is applied
to the exported runtime files, which consume those names, so the exported
tree is consistent by construction and keeps no unprefixed generated name.
The runtime's own API (struct virtio_device, virtqueue_*, virtio_port_*)
keeps its names.

The namespace (`--namespace vtk`) goes further, so that the export links
into one image with another VirtIO stack (an RTOS's own drivers,
OpenAMP's virtqueue): every name the runtime defines is renamed too
(vtk_virtqueue_add, struct vtk_virtio_device, VTK_VIRTIO_OK), with the
generated names, and the headers move under <vtk/virtio/...> so that
another stack's virtio/ folder on the include path cannot shadow them.
"""
import re

_DEFINE = re.compile(r"^\s*#\s*define\s+([A-Za-z_]\w*)", re.M)
_STRUCT = re.compile(r"\bstruct\s+([A-Za-z_]\w*)\s*\{")
# A function declared or defined at the start of a line: `type name(`.
_FUNCTION = re.compile(r"^(?![#\s/*])[A-Za-z_][\w\s\*]*?\b([A-Za-z_]\w*)\s*\(", re.M)

# Comments first (so an apostrophe in a comment is not a char literal),
# then #include lines, string and character literals (all kept as they
# are: file names are not identifiers), then identifiers.
_TOKEN = re.compile(r"""(/\*.*?\*/|//[^\n]*)"""
                    r"""|(^[ \t]*\#[ \t]*include[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')"""
                    r"""|([A-Za-z_]\w*)""", re.S | re.M)
_WORD = re.compile(r"[A-Za-z_]\w*")
# The runtime's names all start with one of these (functions, types,
# macros, enum constants); the namespace renames every such identifier.
_RUNTIME_STEM = re.compile(r"(?i)(virtio|virtqueue|vqp_|vring)")
_INCLUDE_DIR = re.compile(r"^([ \t]*#[ \t]*include[ \t]*<)virtio/", re.M)
# What the function pattern could see at the start of a line but is C's.
_NOT_NAMES = {"_Static_assert", "sizeof", "offsetof", "return", "if", "for", "while", "switch",
              "defined", "__attribute__"}


def defined_names(rendered):
    """Identifiers the generated public headers define."""
    names = set()
    for rel, text in rendered.items():
        if not (rel.startswith("include/") and rel.endswith(".h")):
            continue
        names.update(_DEFINE.findall(text))
        names.update(_STRUCT.findall(text))
        names.update(_FUNCTION.findall(text))
    return names - _NOT_NAMES


def runtime_names(texts):
    """Identifiers in C code (not comments, strings or #include lines) of
    `texts` that have a runtime stem."""
    names = set()
    for text in texts:
        for m in _TOKEN.finditer(text):
            if m.group(3) is not None and _RUNTIME_STEM.match(m.group(3)):
                names.add(m.group(3))
    return names


def namespaced_path(rel, namespace):
    """Where an exported file goes: include roots' virtio/ under NS/."""
    for root in ("runtime/include/", "generated/include/"):
        if namespace and rel.startswith(root + "virtio/"):
            return root + namespace + "/" + rel[len(root):]
    return rel


def namespaced_includes(text, namespace):
    """#include <virtio/x.h> becomes #include <NS/virtio/x.h>."""
    return _INCLUDE_DIR.sub(lambda m: m.group(1) + namespace + "/virtio/", text) if namespace else text


def check_prefix(prefix):
    """An error message for an unusable prefix, else None."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", prefix or "x"):
        return f"prefix '{prefix}' is not a C identifier start (letters, digits, _)"
    return None


def mapping(names, prefix):
    if not prefix:
        return {}
    upper, lower = prefix.upper(), prefix.lower()
    return {n: (upper if n.isupper() or n.upper() == n else lower) + n for n in names}


def apply(text, rename):
    """Renames whole identifiers in C text; string and char literals stay."""
    if not rename:
        return text

    def word(m):
        return rename.get(m.group(0), m.group(0))

    def token(m):
        if m.group(1) is not None:
            return _WORD.sub(word, m.group(1))
        if m.group(2) is not None:
            return m.group(2)
        return word(m)

    return _TOKEN.sub(token, text)
