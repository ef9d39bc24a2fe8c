"""Export tests without compilers: what an export holds, re-export
idempotence, downstream changes reported and kept, --check, removals,
options remembered by the manifest, invalid requests, the name prefix."""
import hashlib
import json
import os
import re
import shutil
import tempfile
import unittest

from exportlib import ROOT, export, project, snapshot

from generator import cli  # noqa: E402  (exportlib puts its copy on sys.path)
from generator.export import glue, prefix  # noqa: E402
from generator.render import render  # noqa: E402

BLK = ["--devices", "blk", "--transports", "mmio"]


class Tree(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="export-test-")
        self.dest = os.path.join(self.tmp, "vendor", "virtio")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def path(self, rel):
        return os.path.join(self.dest, *rel.split("/"))

    def read(self, rel):
        with open(self.path(rel)) as fh:
            return fh.read()

    def append(self, rel, text):
        with open(self.path(rel), "a") as fh:
            fh.write(text)

    def export_ok(self, *args):
        code, out, err = export("--dest", self.dest, *args)
        self.assertEqual(code, 0, out + err)
        return out

    def spec_copy(self):
        spec = os.path.join(self.tmp, "spec")
        shutil.copytree(os.path.join(project(), "spec"), spec, ignore=shutil.ignore_patterns("*.md"))
        return spec


class Contents(Tree):
    def test_blk_only(self):
        self.export_ok(*BLK)
        files = set(snapshot(self.dest))
        for rel in ("generated/include/virtio/spec.h", "generated/include/virtio/blk.h",
                    "generated/include/virtio/mmio.h", "generated/include/virtio/ring.h",
                    "generated/src/names.c", "generated/include/virtio_export_config.h",
                    "runtime/include/virtio/port.h", "runtime/include/virtio/virtio.h",
                    "runtime/src/mmio.c", "runtime/drivers/blk.c",
                    "runtime/include/virtio/drivers/blk.h", "Kconfig", "virtio.cmake",
                    "sources.mk", "sources.txt", "virtio-export.json", "VENDORED.md"):
            self.assertIn(rel, files)
        others = [f for f in files
                  if re.search(r"(net|console|input|gpu|rng|pci)[^/]*\.[ch]$", f)
                  or "/port/" in f]
        self.assertEqual(others, [], "only blk, mmio and no ports")
        spec_h = self.read("generated/include/virtio/spec.h")
        self.assertIn("<virtio/blk.h>", spec_h)
        self.assertNotIn("<virtio/net.h>", spec_h)

    def test_manifest(self):
        code, out, err = export("--dest", self.dest, *BLK, cwd=ROOT)  # from the git checkout
        self.assertEqual(code, 0, out + err)
        manifest = json.loads(self.read("virtio-export.json"))
        if os.path.isdir(os.path.join(ROOT, ".git")):
            self.assertRegex(manifest["revision"], r"^[0-9a-f]{40}(\+dirty)?$")
        else:  # a source tree without git (an unpacked tarball)
            self.assertEqual(manifest["revision"], "unknown")
        self.assertTrue(manifest["version"])
        self.assertEqual(manifest["options"]["devices"], ["blk"])
        self.assertEqual(manifest["options"]["transports"], ["mmio"])
        on_disk = {rel for rel in snapshot(self.dest) if rel != "virtio-export.json"}
        self.assertEqual(set(manifest["files"]), on_disk)
        for rel, digest in manifest["files"].items():
            with open(self.path(rel), "rb") as fh:
                self.assertEqual(hashlib.sha256(fh.read()).hexdigest(), digest, rel)

    def test_every_device_gets_a_kconfig_symbol(self):
        self.export_ok("--kconfig-prefix", "RT_USING_")
        kconfig = self.read("Kconfig")
        spec = cli.load_spec(os.path.join(project(), "spec"))
        names = [sf.device.name for sf in spec.device_files]
        self.assertIn("blk", names)
        for name in names:
            self.assertIn(f"\nconfig RT_USING_VIRTIO_{name.upper()}\n", kconfig)
        for mode in ("AUTO", "MODERN", "LEGACY"):
            self.assertIn(f"\nconfig RT_USING_VIRTIO_TRANSPORT_{mode}\n", kconfig)
        self.assertIn("config RT_USING_VIRTIO_BLK_QUEUE_SIZE", kconfig)


class Reexport(Tree):
    def test_twice_is_idempotent(self):
        self.export_ok(*BLK)
        before = snapshot(self.dest)
        out = self.export_ok(*BLK)
        self.assertIn("up to date", out)
        self.assertNotRegex(out, r"(added|updated|removed)\s")
        self.assertEqual(before, snapshot(self.dest), "nothing rewritten, manifest included")

    def test_downstream_change_reported_not_overwritten(self):
        self.export_ok(*BLK)
        self.append("runtime/src/mmio.c", "/* local fix */\n")
        for _ in range(2):  # and still reported the next time
            code, out, err = export("--dest", self.dest, *BLK)
            self.assertEqual(code, 1, out + err)
            self.assertRegex(out, r"kept\s+runtime/src/mmio\.c")
            self.assertIn("/* local fix */", self.read("runtime/src/mmio.c"))
        out = self.export_ok(*BLK, "--force")
        self.assertRegex(out, r"overwritten\s+runtime/src/mmio\.c")
        self.assertNotIn("/* local fix */", self.read("runtime/src/mmio.c"))
        self.assertIn("up to date", self.export_ok(*BLK))

    def test_upstream_change_updates(self):
        self.export_ok(*BLK)
        spec = self.spec_copy()
        path = os.path.join(spec, "devices", "blk.yaml")
        with open(path) as fh:
            text = fh.read()
        with open(path, "w") as fh:
            fh.write(text.replace("title: ", "title: Renamed ", 1))
        code, out, err = export("--dest", self.dest, "--spec", spec)
        self.assertEqual(code, 0, out + err)
        self.assertRegex(out, r"updated\s+generated/include/virtio/blk\.h")
        self.assertIn("Renamed", self.read("generated/include/virtio/blk.h"))
        self.assertNotIn("runtime/", out, "runtime files did not change")

    def test_deleted_downstream(self):
        self.export_ok(*BLK)
        os.unlink(self.path("runtime/src/config.c"))
        code, out, _ = export("--dest", self.dest)
        self.assertEqual(code, 1)
        self.assertRegex(out, r"missing\s+runtime/src/config\.c")
        self.assertFalse(os.path.exists(self.path("runtime/src/config.c")))
        out = self.export_ok("--force")
        self.assertRegex(out, r"restored\s+runtime/src/config\.c")
        self.assertTrue(os.path.exists(self.path("runtime/src/config.c")))

    def test_device_dropped_removes_its_files(self):
        spec = cli.load_spec(os.path.join(project(), "spec"))
        second = [sf.device.name for sf in spec.device_files if sf.device.name != "blk"]
        if not second:
            self.fail("test needs a second device in spec/devices")
        other = second[0]
        self.export_ok("--devices", f"blk,{other}", "--transports", "mmio")
        header = f"generated/include/virtio/{[sf.header for sf in spec.device_files if sf.device.name == other][0]}.h"
        self.assertTrue(os.path.exists(self.path(header)))
        out = self.export_ok(*BLK)
        self.assertRegex(out, r"removed\s+" + re.escape(header))
        self.assertFalse(os.path.exists(self.path(header)))

    def test_dropped_but_changed_is_left(self):
        self.export_ok("--devices", "blk", "--transports", "mmio,pci")
        rel = "runtime/src/pci.c"
        if not os.path.exists(self.path(rel)):
            self.fail("test needs runtime/src/pci.c")
        self.append(rel, "/* ours now */\n")
        code, out, _ = export("--dest", self.dest, *BLK)
        self.assertEqual(code, 1)
        self.assertRegex(out, r"orphaned\s+runtime/src/pci\.c")
        self.assertTrue(os.path.exists(self.path(rel)))

    def test_downstream_own_files_untouched(self):
        self.export_ok(*BLK)
        own = self.path("SConscript")
        with open(own, "w") as fh:
            fh.write("# the RTOS's own build file\n")
        out = self.export_ok(*BLK)
        self.assertNotIn("SConscript", out)
        self.assertTrue(os.path.exists(own))
        code, out, _ = export("--check", "--dest", self.dest)
        self.assertEqual(code, 0, out)

    def test_options_come_from_the_manifest(self):
        self.export_ok(*BLK, "--prefix", "RT_", "--kconfig-prefix", "RT_USING_",
                       "--config-prefix", "")
        self.assertIn("up to date", self.export_ok())
        self.assertIn("struct rt_vring_desc", self.read("generated/include/virtio/ring.h"))


class Check(Tree):
    def test_clean_tree_passes(self):
        self.export_ok(*BLK, "--prefix", "RT_")
        code, out, err = export("--check", "--dest", self.dest)
        self.assertEqual(code, 0, out + err)
        self.assertIn("matches", out)

    def test_downstream_drift(self):
        self.export_ok(*BLK)
        self.append("generated/include/virtio/blk.h", "#define LOCAL 1\n")
        code, out, _ = export("--check", "--dest", self.dest)
        self.assertEqual(code, 1)
        self.assertIn("a/virtio/generated/include/virtio/blk.h", out)
        self.assertIn("-#define LOCAL 1", out)

    def test_spec_drift(self):
        self.export_ok(*BLK)
        spec = self.spec_copy()
        path = os.path.join(spec, "devices", "blk.yaml")
        with open(path) as fh:
            text = fh.read()
        with open(path, "w") as fh:
            fh.write(text.replace("title: ", "title: Renamed ", 1))
        code, out, _ = export("--check", "--dest", self.dest, "--spec", spec)
        self.assertEqual(code, 1)
        self.assertIn("+ * Renamed", out)

    def test_missing_file(self):
        self.export_ok(*BLK)
        os.unlink(self.path("Kconfig"))
        code, out, _ = export("--check", "--dest", self.dest)
        self.assertEqual(code, 1)
        self.assertIn("+++ b/virtio/Kconfig", out)

    def test_not_an_export(self):
        os.makedirs(self.dest)
        code, _, err = export("--check", "--dest", self.dest)
        self.assertEqual(code, 2)
        self.assertIn("not an export", err)

    def test_check_writes_nothing(self):
        code, _, _ = export("--check", "--dest", self.dest, *BLK)
        self.assertEqual(code, 1)
        self.assertFalse(os.path.exists(self.dest))


class Invalid(Tree):
    def assertRefused(self, *args, message, status=2):
        code, out, err = export("--dest", self.dest, *args)
        self.assertEqual(code, status, out + err)
        self.assertIn(message, err)
        self.assertFalse(os.path.exists(self.dest), "nothing written")

    def test_unknown_device(self):
        self.assertRefused("--devices", "blk,floppy", message="unknown device(s) floppy")

    def test_unknown_transport(self):
        self.assertRefused("--devices", "blk", "--transports", "ccw", message="unknown transport")

    def test_bad_prefix(self):
        self.assertRefused("--devices", "blk", "--prefix", "9x", message="prefix", status=3)

    def test_namespace_and_prefix(self):
        self.assertRefused("--devices", "blk", "--prefix", "RT_", "--namespace", "vtk",
                           message="leave out --prefix", status=3)

    def test_unknown_option(self):
        self.assertRefused("--devices", "blk", "--colour", message="unrecognized arguments",
                           status=3)

    def test_invalid_spec(self):
        spec = self.spec_copy()
        with open(os.path.join(spec, "devices", "broken.yaml"), "w") as fh:
            fh.write("title: [\n")
        self.assertRefused("--spec", spec, message="malformed YAML")


class Prefix(Tree):
    """Every generated identifier is renamed everywhere in the export."""

    def test_no_unprefixed_generated_name_left(self):
        self.export_ok("--prefix", "RT_")
        spec = cli.load_spec(os.path.join(project(), "spec"))
        names = prefix.defined_names(render(spec, os.path.join(project(), "templates")))
        self.assertIn("VIRTIO_F_VERSION_1", names)
        self.assertIn("vring_desc", names)
        self.assertIn("virtio_config_read8", names)
        word = re.compile(r"\b[A-Za-z_]\w*\b")
        strings = re.compile(r'"(?:\\.|[^"\\\n])*"')
        left = []
        for rel in snapshot(self.dest):
            if rel.endswith((".c", ".h")):
                code = strings.sub('""', self.read(rel))
                left += [f"{rel}: {w}" for w in set(word.findall(code)) if w in names]
        self.assertEqual(left, [])

    def test_case_follows_the_name(self):
        self.export_ok(*BLK, "--prefix", "Rt_")
        ring = self.read("generated/include/virtio/ring.h")
        self.assertIn("struct rt_vring_desc {", ring)
        self.assertIn("#define RT_VRING_DESC_F_NEXT ", ring)
        self.assertIn("#ifndef RT_VIRTIO_GEN_RING_H", ring)
        names = self.read("generated/include/virtio/names.h")
        self.assertIn("const char *rt_virtio_device_name(uint32_t device_id);", names)

    def test_literals_and_includes_untouched(self):
        rename = {"VIRTIO_X": "RT_VIRTIO_X", "blk": "rt_blk"}
        self.assertEqual(prefix.apply('f(VIRTIO_X, "VIRTIO_X", \'"\'); /* VIRTIO_X\'s */', rename),
                         'f(RT_VIRTIO_X, "VIRTIO_X", \'"\'); /* RT_VIRTIO_X\'s */')
        self.assertEqual(prefix.apply('#include <virtio/blk.h>\n # include "blk.h"\nint blk;', rename),
                         '#include <virtio/blk.h>\n # include "blk.h"\nint rt_blk;')


class Tunables(unittest.TestCase):
    """Build-time limits of the runtime headers become Kconfig ints."""

    def test_forms(self):
        found = glue.tunables("#ifndef A_B /* on the ifndef line */\n#define A_B 12u\n#endif\n"
                              "#ifndef C_D\n#define C_D 3 /* after the value */\n#endif\n"
                              "#ifndef E\n#define E OTHER_MACRO\n#endif\n"
                              "#ifndef VIRTIO_ACCEPT_LEGACY\n#define VIRTIO_ACCEPT_LEGACY 1\n#endif\n")
        self.assertEqual([(t.macro, t.default, t.unsigned, t.doc) for t in found],
                         [("A_B", 12, True, "on the ifndef line"), ("C_D", 3, False, "after the value")])


if __name__ == "__main__":
    unittest.main()
