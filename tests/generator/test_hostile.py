"""Hostile specs: the generator never writes C that does not compile or that
says something the spec did not.

Each case is a small edit of a private copy of spec/. Either the generator
refuses it (exit 2, a file:line message, no traceback, nothing written), or
it renders, and then the rendered C compiles with -Werror and the injected
text did not become code: the identifier it tried to smuggle in is not in
the preprocessed C outside string literals (comments are gone after -E).
"""
import os
import re
import subprocess
import sys
import textwrap
import time
import unittest

from test_generator import Workspace  # a private copy of spec/ to break

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CFLAGS = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic"]
STRING_OR_CHAR = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'')



def small_device(header, more=""):
    """A device file of four lines and then more: a place for hostile text."""
    return (f'title: Small device\nsection: "5.4"\nheader: {header}\n'
            f"device: {{id: RNG, name: {header}}}\n" + textwrap.dedent(more))


def run(*args):
    """The generator CLI as users run it: (exit code, stdout, stderr, seconds)."""
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT,
                          capture_output=True, text=True)
    return proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started


class Hostile(Workspace):
    """Workspace's private spec/, with hostile text written as given."""

    def line_of(self, rel, text):
        with open(os.path.join(self.spec, rel), encoding="utf-8") as fh:
            whole = fh.read()
        self.assertIn(text, whole, f"test setup: {text!r} not in {rel}")
        return whole[:whole.index(text)].count("\n") + 1

    def add_file(self, rel, text):  # as given: no dedent
        path = os.path.join(self.spec, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)

    # --- outcomes ----------------------------------------------------------

    def render(self):
        code, out, err, seconds = run("--spec", self.spec, "--out", self.out, "-q")
        self.assertNotIn("Traceback", err)
        self.assertLess(seconds, 10, "the generator took too long")
        return code, err, seconds

    def assertRefused(self, rel, line, message):
        code, err, seconds = self.render()
        self.assertEqual(code, 2, f"expected exit 2, got {code}\n{err}")
        self.assertIn(f"spec/{rel}:{line}: ", err)
        self.assertIn(message, err)
        located = [l for l in err.splitlines() if l.startswith(f"spec/{rel}:{line}: ")]
        self.assertTrue(any(message in l for l in located), f"{message!r} not at {rel}:{line}:\n{err}")
        self.assertFalse(os.path.exists(self.out), "a refused spec must write nothing")
        return seconds

    def rendered(self, rel):
        with open(os.path.join(self.out, rel), encoding="utf-8") as fh:
            return fh.read()

    def assertCompilesClean(self, *injected):
        """Renders; the C compiles with -Werror, and no injected identifier
        made it into the code (it may only sit in comments and strings)."""
        code, err, _ = self.render()
        self.assertEqual(code, 0, err)
        include = os.path.join(self.out, "include")
        unit = os.path.join(self.tmp, "unit.c")
        with open(unit, "w") as fh:
            fh.write("#include <virtio/spec.h>\n")
        units = [unit, os.path.join(self.out, "src", "names.c"),
                 os.path.join(self.out, "tests", "layout_test.c")]
        proc = subprocess.run(["gcc", *CFLAGS, "-fsyntax-only", "-I", include, *units],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        proc = subprocess.run(["gcc", *CFLAGS, "-E", "-P", "-I", include, *units],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        code_only = STRING_OR_CHAR.sub('""', proc.stdout)
        everything = "".join(self.rendered_tree().values())
        for name in injected:
            self.assertIn(name, everything, f"test setup: {name} never reached the output")
            self.assertNotRegex(code_only, rf"\b{name}\b", f"{name} became C code")

    def rendered_tree(self):
        files = {}
        for folder, _, names in os.walk(self.out):
            for name in names:
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as fh:
                    files[os.path.relpath(path, self.out)] = fh.read()
        return files

    def device_name_bytes(self, macro):
        """What the rendered virtio_device_name() returns, run for real."""
        main = os.path.join(self.tmp, "main.c")
        with open(main, "w") as fh:
            fh.write(textwrap.dedent(f"""\
                #include <stdio.h>
                #include <virtio/spec.h>
                int main(void)
                {{
                	const char *s = virtio_device_name({macro});
                	for (; s && *s; s++)
                		printf("%02x", (unsigned char)*s);
                	return s == NULL;
                }}
                """))
        exe = os.path.join(self.tmp, "main")
        proc = subprocess.run(["gcc", *CFLAGS, "-I", os.path.join(self.out, "include"), main,
                               os.path.join(self.out, "src", "names.c"), "-o", exe],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        proc = subprocess.run([exe], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0)
        return bytes.fromhex(proc.stdout)


class RefusedYaml(Hostile):
    """YAML features the spec does not need, refused before they cost anything."""

    def test_alias_bomb(self):
        levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        for i in range(1, 10):
            prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
            levels.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
        bomb = "\n".join(levels) + "\n"
        self.assertLess(len(bomb), 1024)
        self.add_file("devices/bomb.yaml", small_device("bomb", bomb))
        seconds = self.assertRefused("devices/bomb.yaml", 5, "YAML anchor '&a'")
        self.assertLess(seconds, 5)

    def test_merge_key_alias(self):
        line = self.edit("devices/blk.yaml", "      bit: 0\n", "      bit: &zero 0\n")
        self.edit("devices/blk.yaml", "      bit: 1\n", "      <<: *zero\n      bit: 1\n")
        self.assertRefused("devices/blk.yaml", line, "YAML anchor '&zero'")

    def test_deep_flow_nesting(self):
        self.add_file("devices/deep.yaml", small_device("deep", "doc: " + "[" * 100000 + "]" * 100000 + "\n"))
        self.assertRefused("devices/deep.yaml", 5, "nested deeper than 32 levels")

    def test_deep_block_nesting(self):
        nest = "".join("  " * i + f"k{i}:\n" for i in range(40)) + "  " * 40 + "x: 1\n"
        self.add_file("devices/deepblock.yaml", small_device("deepblock", nest))
        # Level 1 is the file's mapping (line 1), level 2 opens on line 6 with k1:
        # level 33, one too many, opens on line 4 + 33.
        self.assertRefused("devices/deepblock.yaml", 4 + 33, "nested deeper than 32 levels")

    def test_python_object_tag(self):
        line = self.edit("status.yaml", "title:", "title: !!python/object/apply:os.system [\"echo hi\"]\nx:")
        self.assertRefused("status.yaml", line, "YAML tag '!!python/object/apply:os.system' is not allowed")

    def test_local_tag(self):
        line = self.edit("status.yaml", "title:", "include: !include ../../etc/passwd\ntitle:")
        self.assertRefused("status.yaml", line, "YAML tag '!include' is not allowed")

    def test_integer_too_long_to_read(self):
        line = self.edit("devices/blk.yaml", "      bit: 2\n", "      bit: " + "9" * 5000 + "\n")
        self.assertRefused("devices/blk.yaml", line, "cannot read the value '9999")

    def test_second_document(self):
        path = os.path.join(self.spec, "status.yaml")
        with open(path) as fh:
            lines = fh.read().count("\n")
        with open(path, "a") as fh:
            fh.write("---\ntitle: smuggled\n")
        self.assertRefused("status.yaml", lines + 1, "expected exactly one YAML document")

    def test_lone_surrogate_escape(self):
        line = self.edit("devices/blk.yaml", "doc: Number of heads.", 'doc: "heads \\ud800"')
        code, err, _ = self.render()
        self.assertEqual(code, 2, err)
        self.assertRegex(err, rf"spec/devices/blk\.yaml:{line}: malformed YAML")
        self.assertFalse(os.path.exists(self.out))

    def test_not_utf8(self):
        with open(os.path.join(self.spec, "status.yaml"), "ab") as fh:
            fh.write(b"doc: caf\xe9\n")
        self.assertRefused("status.yaml", 1, "not UTF-8 text")


class RefusedNames(Hostile):
    """Names that become C identifiers or macros: C's rules, matched fully."""

    def test_keyword_field_name(self):
        line = self.edit("devices/blk.yaml", "{name: capacity,", "{name: int,")
        self.assertRefused("devices/blk.yaml", line, "is the C keyword 'int'")

    def test_keyword_struct_name(self):
        line = self.edit("ring.yaml", "  - name: vring_desc\n", "  - name: for\n")
        self.assertRefused("ring.yaml", line, "is the C keyword 'for'")

    def test_keyword_group_name(self):
        line = self.edit("devices/blk.yaml", "  - group: blk_status\n", "  - group: switch\n")
        self.assertRefused("devices/blk.yaml", line, "is the C keyword 'switch'")

    def test_keyword_device_name(self):
        line = self.edit("devices/blk.yaml", "name: blk}", "name: static}")
        self.assertRefused("devices/blk.yaml", line, "is the C keyword 'static'")

    def test_keyword_register_block(self):
        line = self.edit("pci.yaml", "block: pci_cap\n", "block: do\n")
        self.assertRefused("pci.yaml", line, "is the C keyword 'do'")

    def test_reserved_underscore_name(self):
        line = self.edit("devices/blk.yaml", "{name: capacity,", "{name: __attribute__,")
        self.assertRefused("devices/blk.yaml", line, "starts with '_'")

    def test_identifier_with_trailing_newline(self):
        line = self.edit("devices/blk.yaml", "{name: capacity,", '{name: "capacity\\n",')
        self.assertRefused("devices/blk.yaml", line, "is not a lower-case C identifier: 'capacity\\n'")

    def test_macro_name_with_trailing_newline(self):
        line = self.edit("devices/blk.yaml", "    - name: FLUSH\n", '    - name: "FLUSH\\n"\n')
        self.assertRefused("devices/blk.yaml", line, "is not an upper-case name: 'FLUSH\\n'")

    def test_directive_in_value_name(self):
        line = self.edit("devices/blk.yaml", "{name: IOERR,", '{name: "IOERR 1\\n#define injected 2\\n#define X",')
        self.assertRefused("devices/blk.yaml", line, "is not an upper-case name")

    def test_section_with_trailing_newline(self):
        line = self.edit("devices/blk.yaml", 'section: "5.2"\n', 'section: "5.2\\n"\n')
        self.assertRefused("devices/blk.yaml", line, "is not a spec section number")

    def test_header_with_trailing_newline(self):
        line = self.edit("devices/blk.yaml", "header: blk\n", 'header: "blk\\n"\n')
        self.assertRefused("devices/blk.yaml", line, "is not a lower-case C file name stem: 'blk\\n'")

    def test_header_path_traversal(self):
        line = self.edit("devices/blk.yaml", "header: blk\n", 'header: "../../../tmp/evil"\n')
        self.assertRefused("devices/blk.yaml", line, "is not a lower-case C file name stem")

    def test_macro_from_c_library(self):
        line = self.edit("devices/blk.yaml", "aliases: [VIRTIO_BLK_F_WCE]", "aliases: [VIRTIO_BLK_F_WCE, UINT32_MAX]")
        self.assertRefused("devices/blk.yaml", line, "UINT32_MAX is reserved")

    def test_macro_of_the_generator(self):
        line = self.edit("devices/blk.yaml", "aliases: [VIRTIO_BLK_F_WCE]", "aliases: [VIRTIO_GEN_PACKED]")
        self.assertRefused("devices/blk.yaml", line, "VIRTIO_GEN_PACKED is reserved")

    def test_runtime_struct_name(self):
        line = self.edit("ring.yaml", "  - name: vring_desc\n", "  - name: virtio_device\n")
        self.assertRefused("ring.yaml", line, "struct virtio_device is reserved")


class RefusedNumbers(Hostile):
    """Numbers bounded by where they land in C, and read as they look."""

    def test_register_version_past_mask(self):
        line = self.edit("mmio.yaml", "    versions: [1, 2]\n", "    versions: [1, 2, 40]\n")
        self.assertRefused("mmio.yaml", line, "version 40 of register block mmio is outside 0..15")

    def test_register_versions_empty(self):
        line = self.edit("mmio.yaml", "        versions: [1, 2]\n", "        versions: []\n")
        self.assertRefused("mmio.yaml", line, "must name at least one version")

    def test_register_versions_without_block_versions(self):
        line = self.edit("pci.yaml", "{name: CAP_VNDR, ", "{name: CAP_VNDR, versions: [1], ")
        self.assertRefused("pci.yaml", line, "has versions but register block pci_cap does not")

    def test_feature_range_past_last_bit(self):
        line = self.edit("features.yaml", "device: [[0, 23], [50, 127]]", "device: [[0, 23], [50, 1000000000000]]")
        self.assertRefused("features.yaml", line, "goes past the last feature bit 127")

    def test_huge_array(self):
        line = self.edit("devices/blk.yaml", 'type: "u8[3]"', 'type: "u8[99999999999999999999]"')
        self.assertRefused("devices/blk.yaml", line, "must have 1..1048576 elements")

    def test_octal_looking_number(self):
        line = self.edit("devices/blk.yaml", "type: virtio32, offset: 8,", "type: virtio32, offset: 010,")
        self.assertRefused("devices/blk.yaml", line, "which YAML reads as the octal number 8")

    def test_base60_number(self):
        line = self.edit("mmio.yaml", "offset: 0x004\n", "offset: 1:30\n")
        self.assertRefused("mmio.yaml", line, "which YAML reads as the base-60 number 90")


class NumbersAtTheirBounds(Hostile):
    def test_every_number_at_its_limit_compiles(self):
        self.edit("device_ids.yaml", "  values:\n",
                  '  values:\n    - {name: EDGE, value: 0xffffffff, label: "edge", section: "5"}\n')
        self.add_file("devices/edge.yaml", textwrap.dedent("""\
            title: Every number at its limit
            section: "5"
            header: edge
            device: {id: EDGE, name: edge}
            features:
              prefix: EDGE_F_
              bits:
                - {name: TOP, bit: 127}
            constants:
              - {group: edge_wide, kind: value, type: u64, prefix: EDGE_W_, section: "5",
                 values: [{name: MAX, value: 0xffffffffffffffff}]}
              - {group: edge_enum, kind: enum, type: u64, prefix: EDGE_E_, section: "5",
                 values: [{name: MAX, value: 0xffffffffffffffff}, {name: ZERO, value: 0}]}
              - {group: edge_enum32, kind: enum, prefix: EDGE_E32_, section: "5",
                 values: [{name: MAX, value: 0xffffffff}]}
              - {group: edge_mask, kind: mask, type: u64, prefix: EDGE_M_, section: "5",
                 values: [{name: TOP, value: 0x8000000000000000}]}
              - {group: edge_bit, kind: bit, prefix: EDGE_B_, section: "5",
                 values: [{name: TOP, value: 63}]}
            registers:
              - block: edge
                prefix: EDGE_R_
                section: "5"
                versions: [0, 15]
                regs:
                  - {name: LAST, offset: 0xfff8, width: 64, access: rw, versions: [15]}
            structs:
              - name: edge_config
                size: 1048576
                config: true
                fields:
                  - {name: bytes, type: "u8[1048576]", offset: 0, access: rw}
            """))
        self.assertCompilesClean()
        names = self.rendered("src/names.c")
        self.assertIn("{ EDGE_R_LAST, (1u << 15), \"LAST\" },", names)
        self.assertIn("#define EDGE_M_TOP 0x8000000000000000ULL", self.rendered("include/virtio/edge.h"))


class RefusedClashes(Hostile):
    """Different spec names that would meet in C."""

    def test_group_named_like_a_builtin_table(self):
        line = self.edit("devices/blk.yaml", "  - group: blk_status\n", "  - group: device\n")
        self.assertRefused("devices/blk.yaml", line, "would be the C function virtio_device_name")

    def test_field_named_like_the_whole_read(self):
        self.edit("devices/blk.yaml", "{name: capacity,", "{name: read,")
        line = self.line_of("devices/blk.yaml", "  - name: virtio_blk_config\n")
        self.assertRefused("devices/blk.yaml", line, "would be the C function virtio_blk_config_read")

    def test_flattened_accessor_clash(self):
        line = self.edit("devices/blk.yaml", "{name: blk_size,", "{name: geometry_heads,")
        self.assertRefused("devices/blk.yaml", line,
                           "would be the C function virtio_blk_config_geometry_heads, which is already "
                           "the accessor of virtio_blk_config.geometry.heads")

    def test_two_register_blocks_one_name(self):
        self.add_file("devices/regs.yaml", small_device("regs", """\
            registers:
              - block: mmio
                prefix: REGS_
                section: "4.2.2"
                regs:
                  - {name: ONE, offset: 0, width: 32, access: r}
            """))
        self.assertRefused("devices/regs.yaml", 6, "would be the C function virtio_mmio_reg_name")

    def test_transport_bit_in_two_files(self):
        self.add_file("zz_extra.yaml", textwrap.dedent("""\
            title: More transport features
            section: "6"
            header: zz_extra
            features:
              prefix: VIRTIO_EXTRA_F_
              bits:
                - {name: TWICE, bit: 28}
            """))
        self.assertRefused("zz_extra.yaml", 7, "both use bit 28")

    def test_two_feature_tables_for_one_device(self):
        self.add_file("devices/zz_blk2.yaml", textwrap.dedent("""\
            title: Second block file
            section: "5.2"
            header: zz_blk2
            device: {id: BLOCK, name: blk2}
            features:
              prefix: VIRTIO_BLK2_F_
              bits:
                - {name: ONE, bit: 0}
            """))
        self.assertRefused("devices/zz_blk2.yaml", 4, "device BLOCK already has feature bits in spec/devices/blk.yaml")

    def test_headers_including_each_other(self):
        self.add_file("devices/cyc_a.yaml", small_device("cyc_a", """\
            structs:
              - name: cyc_a0
                size: 4
                fields:
                  - {name: x, type: le32, offset: 0}
              - name: cyc_a1
                size: 4
                fields:
                  - {name: b, type: struct cyc_b0, offset: 0}
            """))
        self.add_file("devices/cyc_b.yaml", small_device("cyc_b", """\
            structs:
              - name: cyc_b0
                size: 4
                fields:
                  - {name: x, type: le32, offset: 0}
              - name: cyc_b1
                size: 4
                fields:
                  - {name: a, type: struct cyc_a0, offset: 0}
            """))
        self.assertRefused("devices/cyc_a.yaml", 13, "which includes <virtio/cyc_a.h> back")

    def test_struct_ending_in_flexible_array_nested(self):
        self.add_file("devices/flex.yaml", small_device("flex", """\
            structs:
              - name: flex_list
                size: 2
                fields:
                  - {name: n, type: le16, offset: 0}
                  - {name: items, type: "le16[]", offset: 2}
              - name: flex_outer
                size: 4
                fields:
                  - {name: list, type: struct flex_list, offset: 0}
                  - {name: tail, type: le16, offset: 2}
            """))
        self.assertRefused("devices/flex.yaml", 14, "ends in a flexible array")

    def test_config_array_of_structs_with_arrays(self):
        self.add_file("devices/cfg.yaml", small_device("cfg", """\
            structs:
              - name: cfg_entry
                size: 4
                fields:
                  - {name: bytes, type: "u8[4]", offset: 0}
              - name: cfg_config
                size: 8
                config: true
                fields:
                  - {name: entries, type: "struct cfg_entry[2]", offset: 0}
            """))
        self.assertRefused("devices/cfg.yaml", 14, "cannot have configuration accessors")


class EscapedText(Hostile):
    """Free text lands in comments and strings, escaped for each."""

    def test_spec_name_closing_the_comment(self):
        self.edit("mmio.yaml", "spec_name: MagicValue", 'spec_name: "M */ int injected; /*"')
        self.assertCompilesClean("injected")
        self.assertIn("/* M * / int injected; / *: 32-bit r", self.rendered("include/virtio/mmio.h"))

    def test_path_closing_the_comment(self):
        self.add_file("devices/x*/int injected_by_path;.yaml", small_device("evilpath"))
        self.assertCompilesClean("injected_by_path")
        self.assertIn("Generated from spec/devices/x* /int injected_by_path;.yaml by",
                      self.rendered("include/virtio/evilpath.h"))

    def test_label_closing_the_string(self):
        label = 'net"; int injected_by_label; static const char *x = "'
        self.edit("device_ids.yaml", 'label: "network card"', "label: '" + label + "'")
        self.assertCompilesClean("injected_by_label")
        self.assertEqual(self.device_name_bytes("VIRTIO_ID_NET"), label.encode())

    def test_label_with_escapes_trigraphs_and_unicode(self):
        label = 'a\\b "q" ??/ ??= ??\' tab\tnl\nesc\x1b del\x7f caf\u00e9 \U0001f600 \u202e 7?'
        yaml_label = label.encode("unicode_escape").decode("ascii").replace('"', '\\"')
        self.edit("device_ids.yaml", 'label: "block device"', f'label: "{yaml_label}"')
        self.assertCompilesClean()
        self.assertEqual(self.device_name_bytes("VIRTIO_ID_BLOCK"), label.encode())

    def test_nested_comment_opener(self):
        self.edit("devices/blk.yaml", "doc: Number of heads.", 'doc: "Number /* of */ heads /*/."')
        self.assertCompilesClean()
        self.assertIn("Number / * of * / heads / * /.", self.rendered("include/virtio/blk.h"))

    def test_directive_smuggled_through_a_doc(self):
        self.edit("devices/blk.yaml", "doc: Number of heads.",
                  'doc: "heads */\\n#define injected_by_doc 1\\n/*"')
        self.assertCompilesClean("injected_by_doc")

    def test_title_closing_the_comment(self):
        self.edit("devices/blk.yaml", "title: Block device", 'title: "Block */ int injected_by_title; /*"')
        self.assertCompilesClean("injected_by_title")
        self.assertIn("#include <virtio/blk.h> /* Block * / int injected_by_title; / * */",
                      self.rendered("include/virtio/spec.h"))

    def test_group_doc_in_names_header(self):
        self.edit("devices/blk.yaml", "doc: Request completion status,",
                  'doc: "*/ int injected_by_group_doc; /* Request completion status,')
        self.edit("devices/blk.yaml", "written by the device.\n", 'written by the device."\n')
        self.assertCompilesClean("injected_by_group_doc")

    def test_line_splice_and_trigraph_in_comment(self):
        self.edit("devices/blk.yaml", "doc: Number of heads.", 'doc: "ends in a splice ??/"')
        self.edit("devices/blk.yaml", "doc: Sectors per track.", 'doc: "ends in a backslash \\\\"')
        self.assertCompilesClean()

    def test_bidi_override_in_comment(self):
        self.edit("devices/blk.yaml", "doc: Number of heads.", 'doc: "heads \\u202e sdaeh"')
        self.assertCompilesClean()
        self.assertIn("heads \\u202e sdaeh", self.rendered("include/virtio/blk.h"))

    def test_control_characters_in_comment(self):
        self.edit("devices/blk.yaml", "doc: Number of heads.", 'doc: "nul \\0 soh \\x01 esc \\e del \\x7f"')
        self.assertCompilesClean()
        self.assertIn("nul \\u0000 soh \\u0001 esc \\u001b del \\u007f", self.rendered("include/virtio/blk.h"))

    def test_yaml_oddities_stay_text(self):
        """'=', '<<' and an impossible date were tracebacks; they are just text."""
        self.edit("devices/blk.yaml", "doc: Number of heads.", "doc: =")
        self.edit("devices/blk.yaml", "doc: Sectors per track.", "doc: <<")
        self.edit("devices/blk.yaml", "doc: Number of cylinders.", "doc: 2021-02-30")
        self.assertCompilesClean()
        header = self.rendered("include/virtio/blk.h")
        for text in ("/* virtio16 (LE (modern) / guest-native (legacy)): 2021-02-30 */",
                     "/* u8: = */", "/* u8: << */"):
            self.assertIn(text, header)

    def test_type_text_with_newline(self):
        self.edit("devices/blk.yaml", "type: struct virtio_blk_geometry,", 'type: "struct\\n virtio_blk_geometry",')
        self.assertCompilesClean()
        self.assertIn("struct virtio_blk_geometry geometry; /* struct virtio_blk_geometry, with",
                      self.rendered("include/virtio/blk.h"))

    def test_pipe_in_markdown_cell(self):
        self.edit("device_ids.yaml", 'label: "network card"', 'label: "net | card"')
        self.assertCompilesClean()
        self.assertIn("| `VIRTIO_ID_NET` | 1 | net \\| card | 5.1 |", self.rendered("docs/reference.md"))


if __name__ == "__main__":
    unittest.main()
