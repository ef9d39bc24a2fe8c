"""Generator tests: a valid spec renders; each kind of invalid spec is
reported at its file and line with exit 2; rendering is deterministic and
all-or-nothing; --check reports every kind of difference."""
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest
from unittest import mock

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from generator import cli, output  # noqa: E402

SPEC = os.path.join(ROOT, "spec")


def run(*args):
    """Runs the generator CLI as users do; returns (exit code, stdout, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT,
                          capture_output=True, text=True)
    return proc.returncode, proc.stdout, proc.stderr


class Workspace(unittest.TestCase):
    """A private copy of spec/ to break, and an output folder."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="gen-test-")
        self.spec = os.path.join(self.tmp, "spec")
        shutil.copytree(SPEC, self.spec, ignore=shutil.ignore_patterns("*.md"))
        self.out = os.path.join(self.tmp, "generated")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def edit(self, rel, old, new):
        path = os.path.join(self.spec, rel)
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        self.assertIn(old, text, f"test setup: {old!r} not in {rel}")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text.replace(old, new, 1))
        return text[:text.index(old)].count("\n") + 1  # the line of the edit

    def add_file(self, rel, text):
        path = os.path.join(self.spec, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fh:
            fh.write(textwrap.dedent(text))

    def render(self):
        return run("--spec", self.spec, "--out", self.out)

    def assertInvalid(self, rel, line, message):
        code, out, err = self.render()
        self.assertEqual(code, 2, f"expected exit 2, got {code}\n{out}{err}")
        self.assertIn(f"spec/{rel}:{line}: ", err)
        self.assertIn(message, err)
        self.assertFalse(os.path.exists(self.out), "an invalid spec must write nothing")


class ValidSpec(Workspace):
    def test_renders_expected_files(self):
        code, out, err = self.render()
        self.assertEqual(code, 0, err)
        for rel in ("include/virtio/spec.h", "include/virtio/blk.h", "include/virtio/mmio.h",
                    "include/virtio/ring.h", "include/virtio/config_io.h",
                    "include/virtio/names.h", "src/names.c", "tests/layout_test.c",
                    "docs/reference.md"):
            self.assertTrue(os.path.isfile(os.path.join(self.out, rel)), rel)

    def test_deterministic(self):
        self.assertEqual(self.render()[0], 0)
        first = output.read_tree(self.out)
        self.assertEqual(self.render()[0], 0)
        self.assertEqual(first, output.read_tree(self.out))
        for rel, text in first.items():
            self.assertNotRegex(text, r"20\d\d-\d\d-\d\d", f"{rel} holds a date")

    def test_repo_generated_is_fresh(self):
        code, out, err = run("--check")
        self.assertEqual(code, 0, out + err)

    def test_help(self):
        code, out, _ = run("--help")
        self.assertEqual(code, 0)
        for word in ("--check", "--out", "exit status", "generator export --dest"):
            self.assertIn(word, out)

    def test_usage_error_exits_3(self):
        code, _, err = run("--chek")
        self.assertEqual(code, 3)
        self.assertIn("unrecognized arguments: --chek", err)

    def test_runs_from_any_folder(self):
        """scripts/generator: from another folder, and --check says up to date."""
        with tempfile.TemporaryDirectory() as elsewhere:
            proc = subprocess.run([os.path.join(ROOT, "scripts", "generator"), "--check"],
                                  cwd=elsewhere, capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("up to date", proc.stdout)

    def test_adding_a_device_is_one_file(self):
        self.add_file("devices/demo.yaml", """\
            title: Entropy device (test)
            section: "5.4"
            header: demo
            device: {id: RNG, name: demo}
            features:
              prefix: DEMO_F_
              bits:
                - {name: FAST, bit: 3, doc: Test bit.}
            structs:
              - name: demo_config
                size: 8
                config: true
                fields:
                  - {name: rate, type: le32, offset: 0, access: rw}
                  - {name: mac, type: "u8[4]", offset: 4}
            """)
        code, out, err = self.render()
        self.assertEqual(code, 0, err)
        header = output.read_tree(self.out)["include/virtio/demo.h"]
        self.assertIn("#define DEMO_F_FAST 3", header)
        self.assertIn("demo_config_set_rate", header)
        self.assertIn("uint8_t demo_config_mac(struct virtio_device *dev, uint32_t i)", header)
        self.assertIn("#include <virtio/demo.h>", output.read_tree(self.out)["include/virtio/spec.h"])
        names = output.read_tree(self.out)["src/names.c"]
        self.assertIn('return "FAST";', names)


class InvalidSpec(Workspace):
    def test_malformed_yaml(self):
        line = self.edit("status.yaml", "title:", "title: [unclosed\n")
        code, _, err = self.render()
        self.assertEqual(code, 2)
        self.assertRegex(err, r"spec/status\.yaml:\d+: malformed YAML")

    def test_unknown_key_typo(self):
        line = self.edit("devices/blk.yaml", "    doc: ", "    dco: ")
        self.assertInvalid("devices/blk.yaml", line, "unknown key 'dco'")

    def test_missing_key(self):
        line = self.edit("status.yaml", "header: status\n", "")
        self.assertInvalid("status.yaml", 1, "missing key 'header'")

    def test_duplicate_key(self):
        line = self.edit("status.yaml", "title:", "title: one\ntitle:")
        self.assertInvalid("status.yaml", line + 1, "duplicate key 'title'")

    def test_duplicate_name(self):
        line = self.edit("devices/blk.yaml", "name: SEG_MAX", "name: SIZE_MAX")
        code, _, err = self.render()
        self.assertEqual(code, 2)
        self.assertIn("duplicate", err)
        self.assertIn("VIRTIO_BLK_F_SIZE_MAX", err)

    def test_two_features_on_one_bit(self):
        line = self.edit("devices/blk.yaml", "      bit: 2\n", "      bit: 1\n")
        self.assertInvalid("devices/blk.yaml", line, "both use bit 1")

    def test_device_feature_outside_device_range(self):
        line = self.edit("devices/blk.yaml", "      bit: 2\n", "      bit: 30\n")
        self.assertInvalid("devices/blk.yaml", line, "outside the device feature range")

    def test_transport_feature_outside_transport_range(self):
        line = self.edit("features.yaml", "      bit: 32\n", "      bit: 3\n")
        self.assertInvalid("features.yaml", line, "outside the transport feature range")

    def test_overlapping_fields(self):
        line = self.edit("devices/blk.yaml", "name: seg_max, type: virtio32, offset: 12",
                         "name: seg_max, type: virtio32, offset: 8")
        code, _, err = self.render()
        self.assertEqual(code, 2)
        self.assertIn(f"spec/devices/blk.yaml:{line}: ", err)
        self.assertIn("overlaps", err)

    def test_misaligned_field(self):
        line = self.edit("devices/blk.yaml", "name: blk_size, type: virtio32, offset: 20",
                         "name: blk_size, type: virtio32, offset: 22")
        self.assertInvalid("devices/blk.yaml", line, "misaligned")

    def test_gap_between_fields(self):
        line = self.edit("ring.yaml", "name: next, type: virtio16, offset: 14",
                         "name: next, type: virtio16, offset: 16")
        code, _, err = self.render()
        self.assertEqual(code, 2)
        self.assertIn("gap of 2 bytes", err)

    def test_size_does_not_add_up(self):
        line = self.edit("devices/blk.yaml", "size: 72", "size: 76")
        self.assertInvalid("devices/blk.yaml", line, "declares size 76 but its fields end at 72")

    def test_unknown_type(self):
        line = self.edit("devices/blk.yaml", "type: virtio64, offset: 0", "type: virtio46, offset: 0")
        self.assertInvalid("devices/blk.yaml", line, "unknown type 'virtio46'")
        _, _, err = self.render()
        self.assertNotIn("gap of", err)  # no consequential error after the first
        self.assertIn("1 problem(s)", err)

    def test_unknown_struct_type(self):
        line = self.edit("devices/blk.yaml", "type: struct virtio_blk_geometry",
                         "type: struct virtio_blk_geometri")
        self.assertInvalid("devices/blk.yaml", line, "unknown type 'struct virtio_blk_geometri'")

    def test_undefined_feature_reference(self):
        line = self.edit("devices/blk.yaml", "feature: SEG_MAX", "feature: SEG_MAXX")
        self.assertInvalid("devices/blk.yaml", line,
                           "undefined feature 'SEG_MAXX' (did you mean 'SEG_MAX'?)")

    def test_unknown_device_id(self):
        line = self.edit("devices/blk.yaml", "id: BLOCK", "id: BLOCKS")
        self.assertInvalid("devices/blk.yaml", line, "unknown device id 'BLOCKS'")

    def test_mask_must_be_single_bit(self):
        line = self.edit("status.yaml", "value: 0x80", "value: 0x81")
        self.assertInvalid("status.yaml", line, "not a single-bit mask")

    def test_misaligned_register(self):
        line = self.edit("mmio.yaml", "offset: 0x004", "offset: 0x006")
        self.assertInvalid("mmio.yaml", line, "not aligned")

    def test_all_problems_reported_together(self):
        self.edit("devices/blk.yaml", "    doc: ", "    dco: ")
        self.edit("status.yaml", "value: 0x80", "value: 0x81")
        code, _, err = self.render()
        self.assertEqual(code, 2)
        self.assertIn("blk.yaml", err)
        self.assertIn("status.yaml", err)


class Atomicity(Workspace):
    def test_failed_write_leaves_previous_render(self):
        self.assertEqual(self.render()[0], 0)
        before = output.read_tree(self.out)
        self.edit("devices/blk.yaml", "      bit: 2\n", "      bit: 3\n")   # a valid change
        real_open = open
        calls = []

        def failing_open(path, *args, **kwargs):
            if "w" in (args[0] if args else kwargs.get("mode", "r")):
                calls.append(path)
                if len(calls) == 5:
                    raise OSError(28, "No space left on device")
            return real_open(path, *args, **kwargs)

        with mock.patch("builtins.open", failing_open):
            with self.assertRaises(OSError):
                cli.main(["--spec", self.spec, "--out", self.out, "-q"])
        self.assertEqual(before, output.read_tree(self.out), "generated/ changed after a failed write")
        leftovers = [n for n in os.listdir(self.tmp) if n.startswith(".")]
        self.assertEqual(leftovers, [], "temporary folders left behind")

    def test_invalid_spec_leaves_previous_render(self):
        self.assertEqual(self.render()[0], 0)
        before = output.read_tree(self.out)
        self.edit("status.yaml", "value: 0x80", "value: 0x81")
        self.assertEqual(self.render()[0], 2)
        self.assertEqual(before, output.read_tree(self.out))

    def test_stale_files_are_removed(self):
        self.assertEqual(self.render()[0], 0)
        stale = os.path.join(self.out, "include", "virtio", "old.h")
        with open(stale, "w") as fh:
            fh.write("/* from an older render */\n")
        self.assertEqual(self.render()[0], 0)
        self.assertFalse(os.path.exists(stale))


class Check(Workspace):
    def setUp(self):
        super().setUp()
        self.assertEqual(self.render()[0], 0)

    def check(self):
        return run("--check", "--spec", self.spec, "--out", self.out)

    def test_clean(self):
        self.assertEqual(self.check()[0], 0)

    def test_edited_file(self):
        path = os.path.join(self.out, "include", "virtio", "blk.h")
        with open(path, "a") as fh:
            fh.write("/* hand edit */\n")
        code, out, _ = self.check()
        self.assertEqual(code, 1)
        self.assertIn("--- a/generated/include/virtio/blk.h", out)
        self.assertIn("-/* hand edit */", out)

    def test_added_file(self):
        with open(os.path.join(self.out, "extra.h"), "w") as fh:
            fh.write("x\n")
        code, out, _ = self.check()
        self.assertEqual(code, 1)
        self.assertIn("a/generated/extra.h", out)
        self.assertIn("+++ /dev/null", out)

    def test_removed_file(self):
        os.remove(os.path.join(self.out, "src", "names.c"))
        code, out, _ = self.check()
        self.assertEqual(code, 1)
        self.assertIn("--- /dev/null", out)
        self.assertIn("b/generated/src/names.c", out)

    def test_spec_change_is_seen(self):
        self.edit("devices/blk.yaml", "      bit: 2\n", "      bit: 3\n")
        code, out, _ = self.check()
        self.assertEqual(code, 1)
        self.assertIn("+#define VIRTIO_BLK_F_SEG_MAX 3", out)

    def test_invalid_spec_exits_2(self):
        self.edit("status.yaml", "value: 0x80", "value: 0x81")
        self.assertEqual(self.check()[0], 2)


class LinuxCrosscheck(Workspace):
    def test_detects_a_wrong_value(self):
        script = os.path.join(ROOT, "tests", "generator", "linux_crosscheck.py")
        ok = subprocess.run([sys.executable, script, self.spec], capture_output=True, text=True)
        self.assertEqual(ok.returncode, 0, ok.stdout)
        self.edit("devices/blk.yaml", "{name: FLUSH, value: 4", "{name: FLUSH, value: 6")
        bad = subprocess.run([sys.executable, script, self.spec], capture_output=True, text=True)
        self.assertEqual(bad.returncode, 1)
        self.assertIn("MISMATCH VIRTIO_BLK_T_FLUSH: ours 6, Linux 4", bad.stdout)


if __name__ == "__main__":
    unittest.main()
