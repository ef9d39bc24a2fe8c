#!/usr/bin/python3
"""Unit tests of harness.py: output parsing and the pass/fail checks
(no QEMU), and the QMP client against a real QEMU.

The QMP tests need qemu-system-riscv64 and the riscv64 self-test firmware;
set VIRTIO_QEMU_FIRMWARE_DIR to the directory holding firmware-riscv64/
(ctest does). Without them those tests are skipped. Exit status 77 means
nothing at all could run.
"""

import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import zlib

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

GOOD_RUN = """\
BOOT board=riscv64-virt slots=8\r
DEVICE slot=2 addr=0x10003000 id=2 transport=modern version=2 vendor=0x554d4551 name="block device"\r
BLK slot=2 capacity=2048 blk_size=512 ro=0 queue_size=16 serial=vblk2\r
DEVICE slot=5 addr=0x10006000 id=2 transport=modern version=2 vendor=0x554d4551 name="block device"\r
BLK slot=5 capacity=4096 blk_size=512 ro=0 queue_size=16 serial=vblk5\r
DEVICE slot=7 addr=0x10008000 id=4 transport=modern version=2 vendor=0x554d4551 name="entropy source"\r
SKIP slot=7 id=4 reason=no-driver\r
RESULT blk0 read-host-data PASS 8 sectors at 32 match the image\r
RESULT blk0 rw-roundtrip PASS 8 sectors\r
RESULT blk0 get-id PASS serial "vblk2"\r
RESULT blk0 inflight PASS 8 writes\r
RESULT blk0 range-check PASS read at sector 2048 -> invalid argument (-5)\r
RESULT blk1 read-host-data PASS 8 sectors at 32 match the image\r
RESULT blk1 rw-roundtrip PASS 8 sectors\r
RESULT blk1 get-id PASS serial "vblk5"\r
RESULT blk1 inflight PASS 8 writes\r
RESULT blk1 range-check PASS read at sector 4096 -> invalid argument (-5)\r
RESULT blk0 independent PASS own data intact\r
RESULT blk1 independent PASS own data intact\r
RESULT blk0 reinit PASS reset + init again\r
RESULT blk1 reinit PASS reset + init again\r
SUMMARY pass=14 fail=0 devices=3 skipped=1 time_us=100\r
"""


# A kind the firmware has no driver for, whatever drivers exist by now:
# an entropy device the harness expects a SKIP line for.
harness.KINDS.setdefault("nodriver", (4, "virtio-rng-device", False))


def good_devices():
    return harness.parse_devices("blk@2,blk@5,nodriver", 8)


class ParseAndCheck(unittest.TestCase):
    def check(self, text, status=0, timed_out=False, devices=None, mode="modern"):
        devices = devices if devices is not None else good_devices()
        return harness.check_run(devices, mode, harness.parse_output(text),
                                 status, timed_out, check_images=False)

    def test_slot_assignment_mimics_qemu(self):
        devs = harness.parse_devices("blk,rng@7,net", 8)
        self.assertEqual([d.slot for d in devs], [6, 7, 5])
        self.assertEqual(devs[0].blk_index, 0)
        with self.assertRaises(ValueError):
            harness.parse_devices("blk@1,rng@1", 8)
        with self.assertRaises(ValueError):
            harness.parse_devices("floppy", 8)
        with self.assertRaises(ValueError):
            harness.parse_devices(",".join(["rng"] * 9), 8)

    def test_pci_devices(self):
        devs = harness.parse_devices("blk,rng-tpci@3,net-pci", 8)
        self.assertEqual([(d.kind, d.pci, d.transitional, d.slot) for d in devs],
                         [("blk", None, False, 7), ("rng", 3, True, 124),
                          ("net", 1, False, 108)])
        for bad in ("gpu-tpci", "rng-pci@0", "rng-pci@32", "rng-pci@2,net-pci@2"):
            with self.assertRaises(ValueError):
                harness.parse_devices(bad, 8)
        args = harness.device_args(devs[1:2], tempfile.gettempdir())
        self.assertIn("virtio-rng-pci,bus=pcie.0,addr=0x3,disable-legacy=off", args)
        line = ('DEVICE slot=124 addr=0x30018000 id=4 transport=pci pci=00:03.0 '
                'pci_id=0x1005 iface=transitional revision=0 vendor=0x00001af4 '
                'name="entropy source"\n')

        def pci_reasons(text):
            text = "BOOT board=x\n" + text + "SUMMARY pass=0 fail=0\n"
            return [r for r in self.check(text, devices=devs[1:2]) if "on PCI" in r]
        self.assertEqual(pci_reasons(line), [])
        for wrong in (("iface=transitional", "iface=modern"), ("pci=00:03.0", "pci=00:04.0"),
                      ("transport=pci", "transport=modern")):
            self.assertTrue(pci_reasons(line.replace(*wrong)), wrong)
        # A legacy-only function must be refused at probe, never driven.
        legacy = harness.parse_devices("rng-lpci@5", 8)
        self.assertIn("disable-modern=on", harness.device_args(legacy, tempfile.gettempdir())[1])
        skip = 'SKIP slot=140 id=? pci=00:05.0 reason=probe:-3(x) detail="legacy-only"\n'
        driven = line.replace("slot=124", "slot=140")

        def legacy_reasons(text):
            text = "BOOT board=x\n" + text + "SUMMARY pass=0 fail=0\n"
            return [r for r in self.check(text, devices=legacy) if "legacy-only" in r]
        self.assertEqual(legacy_reasons(skip), [])
        self.assertTrue(legacy_reasons(driven))
        self.assertTrue(legacy_reasons(""))
        with self.assertRaises(ValueError):
            harness.parse_devices("gpu-lpci", 8)
        # Behind root ports: buses numbered in the order of the ports.
        bridged = harness.parse_devices("rng-bpci@7,blk-bpci@3,net-pci", 8)
        self.assertEqual([(d.pci, d.pci_bus, d.slot) for d in bridged],
                         [(7, 2, 612), (3, 1, 356), (1, 0, 108)])
        args = harness.device_args(bridged[:1], tempfile.gettempdir())
        self.assertIn("pcie-root-port,id=rp7,bus=pcie.0,addr=0x7,chassis=7", args)
        self.assertIn("virtio-rng-pci,bus=rp7,addr=0x0,disable-legacy=on", args)
        ok = ('DEVICE slot=612 addr=0x0 id=4 transport=pci pci=02:00.0 pci_id=0x1044 '
              'iface=modern name="entropy source"\n')
        text = "BOOT board=x\n%sSUMMARY pass=0 fail=0\n"
        self.assertFalse([r for r in self.check(text % ok, devices=bridged[:1]) if "on PCI" in r])
        self.assertTrue([r for r in self.check(text % ok.replace("02:00.0", "00:07.0"),
                                               devices=bridged[:1]) if "on PCI" in r])

    def test_good_run_passes(self):
        self.assertEqual(self.check(GOOD_RUN), [])

    def test_no_devices_passes(self):
        text = "BOOT board=x\nSUMMARY pass=0 fail=0 devices=0 skipped=0\n"
        self.assertEqual(self.check(text, devices=[]), [])

    def test_fail_line_fails(self):
        text = GOOD_RUN.replace("RESULT blk1 rw-roundtrip PASS", "RESULT blk1 rw-roundtrip FAIL")
        text = text.replace("pass=14 fail=0", "pass=13 fail=1")
        reasons = self.check(text, status=1)
        self.assertTrue(any(r.startswith("FAIL line: RESULT blk1 rw-roundtrip") for r in reasons))
        self.assertIn("exit status 1 (expected 0)", reasons)

    def test_missing_result_fails(self):
        text = GOOD_RUN.replace("RESULT blk1 independent PASS own data intact\r\n", "")
        reasons = self.check(text)
        self.assertIn("missing expected result: RESULT blk1 independent PASS", reasons)

    def test_blk_serial_offered_features_and_second_boot(self):
        text = GOOD_RUN.replace("serial=vblk5", "serial=-")
        self.assertIn("slot 5: serial=- through GET_ID, expected vblk5", self.check(text))
        # discard/write-zeroes are required when the device offers them
        text = GOOD_RUN.replace(
            "BLK slot=2", "FEATURES slot=2 offered=0x6000 DISCARD WRITE_ZEROES\nBLK slot=2")
        reasons = self.check(text)
        self.assertIn("missing expected result: RESULT blk0 discard PASS", reasons)
        self.assertIn("missing expected result: RESULT blk0 write-zeroes PASS", reasons)
        # a second boot must show that the first boot's data is there
        parsed = harness.parse_output(GOOD_RUN)
        reasons = harness.check_run(good_devices(), "modern", parsed, 0, False,
                                    check_images=False, boot=2)
        self.assertIn("missing expected result: RESULT blk1 persist PASS", reasons)

    def test_rate_limited_rng_must_show_short_completions(self):
        devs = harness.parse_devices("rngslow@7", 8)
        text = ("DEVICE slot=7 id=4 transport=modern\n"
                "RESULT rng0 entropy PASS x\nRESULT rng0 lengths PASS x\n"
                "RNG slot=7 requests=20 short=%d empty=0\n"
                "SUMMARY pass=2 fail=0\n")
        self.assertEqual(self.check(text % 3, devices=devs), [])
        self.assertTrue(any("no short completion" in r
                            for r in self.check(text % 0, devices=devs)))

    def test_summary_must_agree(self):
        text = GOOD_RUN.replace("pass=14", "pass=15")
        self.assertTrue(any("disagrees" in r for r in self.check(text)))
        text = GOOD_RUN.replace("SUMMARY", "SUMMARX")
        self.assertIn("missing SUMMARY line", self.check(text))

    def test_timeout_crash_signal(self):
        self.assertTrue(any(r.startswith("timeout") for r in
                            self.check(GOOD_RUN, status=-9, timed_out=True)))
        self.assertTrue(any(r.startswith("crash: QEMU killed by signal 11") for r in
                            self.check(GOOD_RUN, status=-11)))
        text = GOOD_RUN + "CRASH trap mcause=0x2\n"
        self.assertTrue(any(r.startswith("crash: CRASH") for r in self.check(text, status=99)))

    def test_wrong_device_mode_and_skip(self):
        self.assertTrue(any("transport modern, expected legacy" in r
                            for r in self.check(GOOD_RUN, mode="legacy")))
        text = GOOD_RUN.replace("SKIP slot=7 id=4 reason=no-driver\r\n", "")
        self.assertTrue(any("no SKIP line" in r for r in self.check(text)))
        text = GOOD_RUN.replace("DEVICE slot=7", "DEVICE slot=6")
        reasons = self.check(text)
        self.assertTrue(any("unexpected device in slot 6" in r for r in reasons))
        self.assertTrue(any("missing DEVICE line for nodriver in slot 7" in r for r in reasons))
        devs = harness.parse_devices("tablet@7", 8)
        text = ('DEVICE slot=7 id=18 transport=modern\n'
                'INPUT slot=7 name="QEMU Virtio Tablet" kind=tablet serial="tablet-7"'
                ' bustype=0x0006 vendor=0x0627 product=0x0003\n'
                'RESULT input0 config PASS\nRESULT input0 abs-info PASS\n'
                'SUMMARY pass=2 fail=0\n')
        self.assertEqual(self.check(text, devices=devs), [])
        bad = text.replace("Tablet", "Mouse")
        self.assertTrue(any("is not a tablet" in r for r in self.check(bad, devices=devs)))
        bad = text.replace("kind=tablet", "kind=mouse")
        self.assertTrue(any("took the tablet for a mouse" in r
                            for r in self.check(bad, devices=devs)))
        bad = text.replace("tablet-7", "tablet-6")
        self.assertTrue(any("input serial" in r for r in self.check(bad, devices=devs)))
        bad = text.replace("product=0x0003", "product=0x0300")
        self.assertTrue(any("devids" in r for r in self.check(bad, devices=devs)))
        text = GOOD_RUN.replace("capacity=4096", "capacity=4095")
        self.assertTrue(any("capacity 4095" in r for r in self.check(text)))

    def test_injected_events_must_be_reported_exactly(self):
        devs = harness.parse_devices("keyboard@6,tablet@7", 8)
        script = harness.interact.input_script({"keyboard", "tablet"})
        sent = [e for _, want in script for e in want]
        lines = ["EVENT input%d %s type=%d code=%d value=%d"
                 % (0 if k == "keyboard" else 1, k, t, c, v) for k, t, c, v in sent]
        parsed = harness.parse_output("\n".join(lines))
        inter = {"errors": [], "events": sent, "screens": []}
        self.assertEqual(harness.check_interaction(devs, parsed, inter), [])
        for bad in (lines[:-1], lines[:3] + lines[4:], [lines[1], lines[0]] + lines[2:],
                    [lines[0].replace("code=30", "code=31")] + lines[1:],
                    [lines[0].replace("input0", "input1")] + lines[1:]):
            parsed = harness.parse_output("\n".join(bad))
            self.assertNotEqual(harness.check_interaction(devs, parsed, inter), [], bad[:2])
        inter["events"] = None
        self.assertTrue(any("no READY" in r for r in harness.check_interaction(devs, parsed, inter)))

    def test_screen_pattern_check_and_png(self):
        w, h = 37, 11  # sizes that do not divide evenly into the blocks
        rows = harness.interact.pattern_rows(w)
        pixels = b"".join(rows[y * 2 // h] for y in range(h))
        check = harness.interact.check_pattern
        self.assertEqual(check(w, h, 255, pixels, w, h), [])
        self.assertTrue(check(w, h, 255, pixels, w + 1, h))       # wrong size
        for at in (0, (w * h // 2) * 3 + 1, len(pixels) - 1):     # one wrong byte
            bad = bytearray(pixels)
            bad[at] ^= 0x80
            self.assertTrue(check(w, h, 255, bytes(bad), w, h), at)
        tmp = tempfile.mkdtemp()
        try:
            png = os.path.join(tmp, "s.png")
            harness.interact.write_png(png, w, h, pixels)
            with open(png, "rb") as f:
                data = f.read()
            self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n")
            idat = data.index(b"IDAT")
            size = int.from_bytes(data[idat - 4:idat], "big")
            raw = zlib.decompress(data[idat + 4:idat + 4 + size])
            self.assertEqual(raw, b"".join(b"\x00" + pixels[y * w * 3:(y + 1) * w * 3]
                                           for y in range(h)))
        finally:
            shutil.rmtree(tmp)

    def test_read_only_image_must_stay_unchanged(self):
        tmp = tempfile.mkdtemp()
        try:
            devs = harness.parse_devices("blkro@1", 8)
            harness.device_args(devs, tmp)
            parsed = harness.parse_output("")
            self.assertEqual(harness.check_images_content(devs, parsed), [])
            with open(devs[0].image, "r+b") as f:
                f.seek(512)
                f.write(b"x")
            self.assertIn("image of read-only slot 1 was modified",
                          harness.check_images_content(devs, parsed))
        finally:
            shutil.rmtree(tmp)

    def test_image_check(self):
        tmp = tempfile.mkdtemp()
        try:
            devs = harness.parse_devices("blk@3", 8)
            harness.device_args(devs, tmp)
            seed = 0x5eed0003
            text = "PATTERN blk0 slot=3 sector=16 count=2 seed=0x%08x\n" % seed
            parsed = harness.parse_output(text)
            self.assertTrue(harness.check_images_content(devs, parsed))  # still zero
            with open(devs[0].image, "r+b") as f:
                f.seek(16 * 512)
                f.write(harness.pattern_sector(seed, 16) + harness.pattern_sector(seed, 17))
            self.assertEqual(harness.check_images_content(devs, parsed), [])
        finally:
            shutil.rmtree(tmp)

    def test_expect_failure_logic(self):
        self.assertEqual(harness.verdict(["timeout: x"], "^timeout"), 0)
        self.assertEqual(harness.verdict([], "^timeout"), 1)
        self.assertEqual(harness.verdict(["exit status 1"], "^timeout"), 1)
        self.assertEqual(harness.verdict([], None), 0)
        self.assertEqual(harness.verdict(["x"], None), 1)


def firmware_path(name="selftest"):
    base = os.environ.get("VIRTIO_QEMU_FIRMWARE_DIR", "")
    path = os.path.join(base, "firmware-riscv64", name + ".elf")
    return path if os.path.isfile(path) else None


@unittest.skipUnless(shutil.which("qemu-system-riscv64") and firmware_path()
                     and firmware_path("selftest-inject-hang"),
                     "needs qemu-system-riscv64 and the riscv64 firmware")
class QMPWithRealQEMU(unittest.TestCase):
    """Starts QEMU paused (-S) with a QMP socket and drives it."""

    def start(self, firmware):
        self.tmp = tempfile.mkdtemp(prefix="virtio-qmp-")
        self.sock = os.path.join(self.tmp, "qmp.sock")
        devices = harness.parse_devices("gpu@0,keyboard@1,tablet@2", 8)
        cmd = harness.qemu_command("riscv64", firmware, "modern", devices, self.tmp,
                                   extra=["-S", "-qmp", "unix:%s,server=on,wait=off" % self.sock])
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, start_new_session=True)

    def tearDown(self):
        if self.proc.poll() is None:
            harness.kill_group(self.proc)
        self.proc.communicate(timeout=10)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def wait_exit(self, seconds=20):
        deadline = time.monotonic() + seconds
        while self.proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        out, _ = self.proc.communicate(timeout=10)
        return out.decode(errors="replace")

    def read_until(self, marker, seconds=20):
        """Serial output up to and including `marker` (bytes)."""
        fd = self.proc.stdout.fileno()
        data = b""
        deadline = time.monotonic() + seconds
        while marker not in data:
            left = deadline - time.monotonic()
            if left <= 0:
                self.fail("no %r on the serial console: %r" % (marker, data))
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    self.fail("QEMU closed its output before %r: %r" % (marker, data))
                data += chunk
        return data

    def test_status_screendump_and_run(self):
        self.start(firmware_path())
        with harness.QMP(self.sock).connect() as qmp:
            self.assertIn("version", qmp.greeting["QMP"])
            status = qmp.query_status()
            self.assertFalse(status["running"])
            self.assertEqual(status["status"], "prelaunch")
            # Unknown commands come back as errors, not as silence.
            with self.assertRaises(harness.QMPError):
                qmp.execute("no-such-command")
            # screendump of the never-initialised GPU: a PPM of QEMU's
            # "Guest has not initialized the display" screen.
            ppm = os.path.join(self.tmp, "screen.ppm")
            qmp.screendump(ppm)
            w, h, maxval, pixels = harness.read_ppm(ppm)
            self.assertGreater(w, 0)
            self.assertGreater(h, 0)
            self.assertEqual(maxval, 255)
            self.assertEqual(len(pixels), w * h * 3)
            self.assertGreater(len(set(pixels)), 1)  # some text, not blank
            # Let the guest run: it reports and QEMU exits by itself,
            # possibly before QMP's answer to "cont" goes out.
            try:
                qmp.execute("cont")
            except harness.QMPError:
                pass
            out = self.wait_exit()
        self.assertEqual(self.proc.returncode, 0, out)
        parsed = harness.parse_output(out)
        self.assertEqual(parsed["summary"]["fail"], 0)
        self.assertEqual(sorted(parsed["devices"]), [0, 1, 2])

    def test_input_events_and_quit(self):
        # This firmware stays alive after its scan, so the VM is running.
        self.start(firmware_path("selftest-inject-hang"))
        with harness.QMP(self.sock).connect() as qmp:
            qmp.execute("cont")
            self.assertTrue(qmp.query_status()["running"])
            seen = self.read_until(b"INJECT hang")
            # input-send-event needs a running VM; without "device" the
            # events reach the virtio keyboard and tablet.
            self.assertEqual(qmp.send_key("a", down=True), {})
            self.assertEqual(qmp.send_key("a", down=False), {})
            self.assertEqual(qmp.send_abs(100, 200), {})
            qmp.quit()
            self.wait_exit()
        self.assertIn(b"INJECT hang", seen)


if __name__ == "__main__":
    prog = unittest.main(exit=False)
    r = prog.result
    if r.testsRun == len(r.skipped):
        sys.exit(77)
    sys.exit(0 if r.wasSuccessful() else 1)
