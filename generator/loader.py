"""Loads YAML keeping the line of every mapping, key and item.

PyYAML's plain loaders drop positions and silently let a duplicate key win;
users need both reported, so documents are built here from the parser's
events. Building from events (not from composed nodes) also lets hostile
input be refused before it costs anything: anchors and aliases (an alias
"bomb" of a few hundred bytes expands to gigabytes), explicit tags (which
select constructors the spec never needs) and nesting deeper than
MAX_DEPTH are each reported at their line, and every scalar that PyYAML
cannot turn into a value becomes a file:line error, never a traceback.
"""
import yaml

from .errors import SpecError


# libyaml's parser when PyYAML has it (several times faster), else the
# pure-Python one; both give the same events and marks.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Deeper than any spec file needs (they use at most 6 levels).
MAX_DEPTH = 32

_TAG = "tag:yaml.org,2002:"
# Implicitly resolved plain scalars kept as what YAML says they are; any
# other implicit type (timestamps, '<<' merge keys, '=') stays text.
_VALUE_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null")}


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


_NOTHING = object()


def _line(event):
    return event.start_mark.line + 1


def shown(text, limit=40):
    """A scalar as a short, printable quotation for an error message."""
    shown = text.encode("unicode_escape", "backslashreplace").decode("ascii")
    return shown if len(shown) <= limit else shown[:limit] + "..."


def load(path, text):
    try:
        return _build(path, yaml.parse(text, Loader=_COMPOSER))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise SpecError(path, line, f"malformed YAML: {problem}") from None
    except RecursionError:  # not reached with MAX_DEPTH; a last resort
        raise SpecError(path, 1, "malformed YAML: nested too deeply") from None


def _build(path, events):
    constructor = yaml.SafeLoader("")
    root = _NOTHING
    documents = 0
    # Each open collection: [container, key event awaiting its value or None]
    stack = []

    def add(value, event):
        nonlocal root
        if not stack:
            root = value
            return
        top = stack[-1]
        container = top[0]
        if isinstance(container, Seq):
            container.item_lines.append(_line(event))
            container.append(value)
        elif top[1] is None:
            if not isinstance(event, yaml.ScalarEvent):
                raise SpecError(path, _line(event), "mapping keys must be plain words")
            key = event.value
            if key in container:
                raise SpecError(path, _line(event),
                                f"duplicate key '{shown(key)}' (first at line {container.key_lines[key]})")
            container.key_lines[key] = _line(event)
            top[1] = key
        else:
            container[top[1]] = value
            top[1] = None

    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise SpecError(path, _line(event), "expected exactly one YAML document")
            continue
        if isinstance(event, yaml.AliasEvent):
            raise SpecError(path, _line(event),
                            f"YAML alias '*{shown(event.anchor)}': aliases and anchors are not allowed "
                            "in the spec (write the value out)")
        if not isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent,
                                  yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            continue
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
            continue
        if event.anchor is not None:
            raise SpecError(path, _line(event),
                            f"YAML anchor '&{shown(event.anchor)}': anchors and aliases are not allowed "
                            "in the spec (write the value out)")
        if event.tag is not None and not (isinstance(event, yaml.ScalarEvent) and event.tag == "!"):
            tag = event.tag.replace(_TAG, "!!", 1) if event.tag.startswith(_TAG) else event.tag
            raise SpecError(path, _line(event), f"YAML tag '{shown(tag)}' is not allowed in the spec")
        if isinstance(event, yaml.ScalarEvent):
            if stack and isinstance(stack[-1][0], Map) and stack[-1][1] is None:
                add(None, event)   # a key
            else:
                add(_scalar(path, event, constructor), event)
            continue
        if len(stack) >= MAX_DEPTH:
            raise SpecError(path, _line(event), f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(event, yaml.MappingStartEvent):
            container = Map()
        else:
            container = Seq()
            container.item_lines = []
        container.line = _line(event)
        add(container, event)
        stack.append([container, None])
    if documents != 1 or root is _NOTHING:
        raise SpecError(path, 1, "expected exactly one YAML document")
    return root


def _scalar(path, event, constructor):
    if event.tag == "!":
        tag = _TAG + "str"
    else:
        tag = constructor.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag not in _VALUE_TAGS:
            tag = _TAG + "str"
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        value = constructor.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        reason = str(exc).split(";")[0]   # Python's advice on int limits is not the user's
        raise SpecError(path, _line(event),
                        f"cannot read the value '{shown(event.value)}': {reason}") from None
    finally:
        constructor.constructed_objects.clear()
    if isinstance(value, str):
        bad = next((ch for ch in value if 0xD800 <= ord(ch) <= 0xDFFF), None)
        if bad is not None:
            raise SpecError(path, _line(event),
                            f"text holds an unpaired surrogate U+{ord(bad):04X}, which is not Unicode text")
    if isinstance(value, (float, int)) and not isinstance(value, bool) and not event.style:
        # Keep the source text too: sections like 5.10 must stay text.
        return _Number(value, event.value)
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
