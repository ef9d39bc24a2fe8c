#!/usr/bin/python3
"""Unit tests of rtt.py's parts that need neither scons nor QEMU: the
configuration overlay, the tree sync, extra folders, the console reader.

    /usr/bin/python3 tests/rtthread/test_rtt.py
"""

import os
import sys
import tempfile
import time
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtt  # noqa: E402


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def read(path):
    with open(path) as f:
        return f.read()


class Overlay(unittest.TestCase):
    def test_defaults_enable_elmfat_and_drop_peer_drivers_on_aarch64(self):
        defs, undef = rtt.overlay("aarch64")
        self.assertEqual(defs["RT_USING_DFS_ELMFAT"], "")
        self.assertEqual(defs["DFS_FILESYSTEMS_MAX"], "4")
        self.assertEqual(undef, rtt.PEER_VIRTIO)
        self.assertEqual(rtt.overlay("riscv64")[1], [])

    def test_keep_peer_virtio(self):
        self.assertEqual(rtt.overlay("aarch64", keep_peer_virtio=True)[1], [])

    def test_caller_wins(self):
        defs, undef = rtt.overlay("aarch64", defines={"BSP_USING_VIRTIO_BLK": None,
                                                      "RT_DFS_ELM_MAX_SECTOR_SIZE": 4096},
                                  undefs=["RT_USING_DFS_ELMFAT", "RT_USING_SMP"])
        self.assertNotIn("BSP_USING_VIRTIO_BLK", undef)
        self.assertEqual(defs["BSP_USING_VIRTIO_BLK"], "")
        self.assertEqual(defs["RT_DFS_ELM_MAX_SECTOR_SIZE"], "4096")
        self.assertNotIn("RT_USING_DFS_ELMFAT", defs)
        self.assertEqual(undef[-2:], ["RT_USING_DFS_ELMFAT", "RT_USING_SMP"])

    def test_text_goes_before_the_last_endif(self):
        config = "#ifndef A\n#define A\n#ifdef B\n#endif\n#define X 1\n#endif\n"
        text = rtt.overlay_text({"X": "2", "Y": ""}, ["Z"])
        out = rtt.apply_overlay(config, text)
        self.assertTrue(out.endswith("#undef X\n#define X 2\n#undef Y\n#define Y\n"
                                     "#undef Z\n\n#endif\n"))
        self.assertTrue(out.startswith(config[:config.rfind("#endif")]))

    def test_no_endif(self):
        with self.assertRaises(rtt.BuildError):
            rtt.apply_overlay("#define A\n", "")


class Trees(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def test_sync_copies_only_changes(self):
        src, dst = os.path.join(self.dir, "src"), os.path.join(self.dir, "dst")
        write(os.path.join(src, "a", "x.c"), "one")
        rtt.sync_tree(src, dst)
        copied = os.path.join(dst, "a", "x.c")
        self.assertEqual(read(copied), "one")
        stamp = os.stat(copied).st_ino, os.stat(copied).st_mtime_ns
        rtt.sync_tree(src, dst)
        self.assertEqual((os.stat(copied).st_ino, os.stat(copied).st_mtime_ns), stamp)
        time.sleep(0.01)
        write(os.path.join(src, "a", "x.c"), "two")   # same size, new mtime
        rtt.sync_tree(src, dst)
        self.assertEqual(read(copied), "two")

    def test_extras_are_mirrored_and_stale_ones_removed(self):
        bsp, out = os.path.join(self.dir, "bsp"), os.path.join(self.dir, "out")
        os.makedirs(bsp)
        os.makedirs(out)
        ext = os.path.join(self.dir, "ext")
        write(os.path.join(ext, "SConscript"), "")
        write(os.path.join(ext, "old.c"), "")
        rtt.place_extras(bsp, out, {"port": ext})
        self.assertTrue(os.path.isfile(os.path.join(bsp, "port", "old.c")))
        os.remove(os.path.join(ext, "old.c"))
        rtt.place_extras(bsp, out, {"port": ext})
        self.assertEqual(os.listdir(os.path.join(bsp, "port")), ["SConscript"])
        rtt.place_extras(bsp, out, {})
        self.assertFalse(os.path.exists(os.path.join(bsp, "port")))

    def test_extra_needs_sconscript_and_a_free_name(self):
        bsp, out = os.path.join(self.dir, "bsp"), self.dir
        os.makedirs(os.path.join(bsp, "driver"))
        ext = os.path.join(self.dir, "ext")
        os.makedirs(ext)
        with self.assertRaises(rtt.BuildError):
            rtt.place_extras(bsp, out, {"port": ext})
        write(os.path.join(ext, "SConscript"), "")
        with self.assertRaises(rtt.BuildError):
            rtt.place_extras(bsp, out, {"driver": ext})


class ConsoleReader(unittest.TestCase):
    def test_expect_consumes_in_order(self):
        r, w = os.pipe()
        con = rtt.Console("pipe")
        con._rfd, con._wfd = r, w
        try:
            con.send("boot\r\nmsh />ls\r\nfile\r\nmsh />")
            self.assertEqual(con.wait_prompt(1), "boot\r\n")
            self.assertEqual(con.wait_prompt(1), "ls\r\nfile\r\n")
            with self.assertRaises(rtt.QemuError):
                con.wait_prompt(0.1)
        finally:
            os.close(r)
            os.close(w)

    def test_cli_splits_qemu_args(self):
        parsed = []
        real_run = rtt.run
        rtt.run = lambda arch, image, qemu_args, cmds, **kw: parsed.append((qemu_args, cmds))
        try:
            rtt.main(["run", "--arch", "riscv64", "--image", "x.bin", "--cmd", "ls",
                      "--", "-device", "virtio-rng-device"])
        finally:
            rtt.run = real_run
        self.assertEqual(parsed, [(["-device", "virtio-rng-device"], ["ls"])])


if __name__ == "__main__":
    unittest.main()
