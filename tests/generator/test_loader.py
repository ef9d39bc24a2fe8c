"""The loader uses libyaml's parser when PyYAML has it: it must give exactly
what the pure-Python parser gives, values, source text and lines, and the
same render."""
import glob
import os
import sys
import unittest
from unittest import mock

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from generator import cli, loader  # noqa: E402
from generator.render import render  # noqa: E402


def dump(value):
    """Every value, number text and line of a loaded document, comparable."""
    if isinstance(value, loader.Map):
        return ("map", value.line, sorted(value.key_lines.items()),
                [(k, dump(v)) for k, v in value.items()])
    if isinstance(value, loader.Seq):
        return ("seq", value.line, list(value.item_lines), [dump(v) for v in value])
    if loader.is_number(value):
        return ("number", value.value, value.text)
    return ("plain", value)


class Loader(unittest.TestCase):
    def test_libyaml_is_used_when_present(self):
        self.assertIs(loader._COMPOSER, getattr(yaml, "CSafeLoader", yaml.SafeLoader))

    def test_same_documents_either_way(self):
        paths = sorted(glob.glob(os.path.join(ROOT, "spec", "**", "*.yaml"), recursive=True))
        self.assertTrue(paths)
        for path in paths:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            fast = dump(loader.load(path, text))
            with mock.patch.object(loader, "_COMPOSER", yaml.SafeLoader):
                slow = dump(loader.load(path, text))
            self.assertEqual(fast, slow, path)

    def test_same_render_either_way(self):
        spec_dir = os.path.join(ROOT, "spec")
        templates = os.path.join(ROOT, "templates")
        fast = render(cli.load_spec(spec_dir), templates)
        with mock.patch.object(loader, "_COMPOSER", yaml.SafeLoader):
            slow = render(cli.load_spec(spec_dir), templates)
        self.assertEqual(fast, slow)

    def test_quoted_numbers_stay_text(self):
        doc = loader.load("x.yaml", 'a: "5.10"\nb: 5.10\nc: 0x10\n')
        self.assertEqual(doc["a"], "5.10")
        self.assertTrue(loader.is_number(doc["b"]))
        self.assertEqual(doc["b"].text, "5.10")
        self.assertEqual(loader.plain(doc["c"]), 16)


if __name__ == "__main__":
    unittest.main()
