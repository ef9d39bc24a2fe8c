"""Loads YAML keeping the line of every mapping, key and item.

PyYAML's plain loaders drop positions and silently let a duplicate key win;
users need both reported, so documents are composed into nodes and turned
into Python values here.
"""
import yaml

from .errors import SpecError


# libyaml's parser when PyYAML has it (several times faster), else the
# pure-Python one; both give the same nodes and marks.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Map(dict):
    """A mapping that remembers its own line and the line of each key."""

    def __init__(self, *args):
        super().__init__(*args)
        self.line = 0
        self.key_lines = {}


class Seq(list):
    """A sequence that remembers its own line and the line of each item."""

    def __init__(self, *args):
        super().__init__(*args)
        self.line = 0
        self.item_lines = [0] * len(self)


def _line(node):
    return node.start_mark.line + 1


def load(path, text):
    try:
        nodes = list(yaml.compose_all(text, Loader=_COMPOSER))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise SpecError(path, line, f"malformed YAML: {problem}") from None
    if len(nodes) != 1 or nodes[0] is None:
        raise SpecError(path, 1, "expected exactly one YAML document")
    constructor = yaml.SafeLoader("")
    return _convert(path, nodes[0], constructor)


def _convert(path, node, constructor):
    if isinstance(node, yaml.MappingNode):
        out = Map()
        out.line = _line(node)
        out.key_lines = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise SpecError(path, _line(key_node), "mapping keys must be plain words")
            key = key_node.value
            if key in out:
                raise SpecError(path, _line(key_node),
                                f"duplicate key '{key}' (first at line {out.key_lines[key]})")
            out.key_lines[key] = _line(key_node)
            out[key] = _convert(path, value_node, constructor)
        return out
    if isinstance(node, yaml.SequenceNode):
        out = Seq()
        out.line = _line(node)
        out.item_lines = []
        for item in node.value:
            out.item_lines.append(_line(item))
            out.append(_convert(path, item, constructor))
        return out
    value = constructor.construct_object(node, deep=True)
    if isinstance(value, (float, int)) and not isinstance(value, bool) and not node.style:
        # Keep the source text too: sections like 5.10 must stay text.
        return _Number(value, node.value)
    return value


class _Number:
    """A number as YAML resolved it, plus the text it was written as."""

    __slots__ = ("value", "text")

    def __init__(self, value, text):
        self.value = value
        self.text = text

    def __repr__(self):
        return self.text


def plain(value):
    """The Python value of a loaded scalar (numbers unwrapped)."""
    return value.value if isinstance(value, _Number) else value


def is_number(value):
    return isinstance(value, _Number)
