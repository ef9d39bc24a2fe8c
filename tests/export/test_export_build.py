"""Export tests with compilers: a blk-only export builds on its own with the
riscv64 and arm-none-eabi cross compilers (freestanding, -Werror) and links
with -nostdlib against a stub port, with and without a name prefix; with a
prefix no unprefixed generated name is used anywhere; the make fragment and
the CMake snippet build it; the Kconfig menu parses with kconfiglib and its
output drives the configuration header, down to which transport interface
versions the runtime's probe accepts.

Every tool is required: a missing compiler or kconfiglib fails the test
(run scripts/setup.sh) instead of skipping it.
"""
import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from exportlib import HERE, ROOT, export, project, sources

from generator import cli  # noqa: E402
from generator.export import prefix  # noqa: E402
from generator.render import render  # noqa: E402

WARN = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-ffreestanding"]
TARGETS = {
    "riscv64": ["riscv64-unknown-elf-gcc", "-march=rv64imac", "-mabi=lp64", "-mcmodel=medany"],
    "cortex-m4": ["arm-none-eabi-gcc", "-mcpu=cortex-m4", "-mthumb", "-Os"],
}
LINK = ["-nostdlib", "-Wl,-e,_start", "-lgcc"]
STUB = os.path.join(HERE, "stub_port.c")
# The memory routines a freestanding compiler may call, as the bare-metal ports have them.
MEM = os.path.join(ROOT, "runtime", "port", "baremetal", "mem.c")


def need(tool):
    if shutil.which(tool) is None:
        raise AssertionError(f"{tool} is missing: run scripts/setup.sh")


def blk_queue_default():
    """The blk driver's own default queue size (runtime/include/virtio/drivers/blk.h)."""
    with open(os.path.join(project(), "runtime", "include", "virtio", "drivers", "blk.h")) as fh:
        return int(re.search(r"#define VIRTIO_BLK_QUEUE_SIZE (\d+)", fh.read()).group(1))


def other_queue_size():
    """A queue size that is not the default, so a test sees it arrive."""
    return 4 if blk_queue_default() != 4 else 8


_kconfiglib = []


def kconfiglib_int():
    return load_kconfiglib().INT


def load_kconfiglib():
    """Debian's python3-kconfiglib (one pure-Python file), also when this
    interpreter is not the Debian python3 it was installed for."""
    try:
        import kconfiglib
        return kconfiglib
    except ImportError:
        pass
    if _kconfiglib:
        return _kconfiglib[0]
    proc = subprocess.run(["/usr/bin/python3", "-c", "import kconfiglib; print(kconfiglib.__file__)"],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise AssertionError("python3-kconfiglib is missing: run scripts/setup.sh")
    spec = importlib.util.spec_from_file_location("kconfiglib", proc.stdout.strip())
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    _kconfiglib.append(module)
    return module


class Build(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="export-build-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def export(self, name, *args):
        dest = os.path.join(self.tmp, name)
        code, out, err = export("--dest", dest, "--devices", "blk", "--transports", "mmio", *args)
        self.assertEqual(code, 0, out + err)
        return dest

    def includes(self, dest):
        return ["-I", os.path.join(dest, "runtime", "include"),
                "-I", os.path.join(dest, "generated", "include"),
                "-include", os.path.join(dest, "generated", "include", "virtio_export_config.h")]

    def cc(self, cmd):
        proc = subprocess.run(cmd, cwd=self.tmp, capture_output=True, text=True)
        return proc.returncode, proc.stdout + proc.stderr

    def link(self, target, dest, extra=()):
        need(TARGETS[target][0])
        elf = os.path.join(self.tmp, f"{os.path.basename(dest)}-{target}.elf")
        code, text = self.cc(TARGETS[target] + WARN + self.includes(dest) + list(extra)
                             + sources(dest) + [STUB, MEM] + LINK + ["-o", elf])
        self.assertEqual(code, 0, f"{target}:\n{text}")
        nm = TARGETS[target][0].replace("gcc", "nm")
        undefined = subprocess.run([nm, "-u", elf], capture_output=True, text=True,
                                   check=True).stdout.split()
        self.assertEqual(undefined, [], f"{target}: undefined symbols")
        return elf

    def poison(self):
        """A header defining every unprefixed generated name as a stray token:
        any use of one in a file compiled after it is an error."""
        spec = cli.load_spec(os.path.join(project(), "spec"))
        names = sorted(prefix.defined_names(render(spec, os.path.join(project(), "templates"))))
        path = os.path.join(self.tmp, "poison.h")
        with open(path, "w") as fh:
            fh.write("/* An RTOS's own VirtIO names, here made unusable. */\n")
            fh.writelines(f"#define {n} @\n" for n in names)
        return ["-include", path], len(names)


class CrossBuild(Build):
    def test_blk_only_links_on_each_target(self):
        dest = self.export("plain")
        for target in TARGETS:
            with self.subTest(target=target):
                self.link(target, dest)

    def test_everything_links_on_each_target(self):
        """All devices and transports: every driver is self-contained too."""
        code, out, err = export("--dest", os.path.join(self.tmp, "all"))
        self.assertEqual(code, 0, out + err)
        dest = os.path.join(self.tmp, "all")
        self.assertTrue(any(p.endswith("runtime/drivers/blk.c") for p in sources(dest)))
        for target in TARGETS:
            with self.subTest(target=target):
                self.link(target, dest)

    def test_prefixed_links_beside_foreign_names(self):
        blk = self.export("prefixed", "--prefix", "RT_")
        every = os.path.join(self.tmp, "prefixed-all")
        code, out, err = export("--dest", every, "--prefix", "RT_")
        self.assertEqual(code, 0, out + err)
        poison, count = self.poison()
        self.assertGreater(count, 100)
        for dest in (blk, every):
            for target in TARGETS:
                with self.subTest(target=target, export=os.path.basename(dest)):
                    self.link(target, dest, poison)

    def test_poison_catches_unprefixed_names(self):
        """The check above can fail: the same poison breaks an unprefixed export."""
        dest = self.export("plain")
        poison, _ = self.poison()
        need("riscv64-unknown-elf-gcc")
        code, text = self.cc(TARGETS["riscv64"] + WARN + self.includes(dest) + poison
                             + ["-c", os.path.join(dest, "runtime", "src", "mmio.c"),
                                "-o", os.devnull])
        self.assertNotEqual(code, 0)
        self.assertIn("stray '@'", text)


class Namespace(Build):
    def test_polling_only_port_links(self):
        """VIRTIO_INTERRUPTS=0: the stub port without virtio_port_irq_*."""
        dest = self.export("polling")
        for target in TARGETS:
            with self.subTest(target=target):
                self.link(target, dest, ["-DVIRTIO_INTERRUPTS=0"])

    def test_every_symbol_in_the_namespace(self):
        """With --namespace vtk every global symbol of every object is vtk_*,
        and the objects link (ld -r) with another stack's definitions of the
        names the runtime would otherwise clash on (RT-Thread's own VirtIO
        component, OpenAMP's virtqueue)."""
        need("riscv64-unknown-elf-gcc")
        code, out, err = export("--dest", os.path.join(self.tmp, "ns"), "--namespace", "vtk",
                                "--transports", "mmio")
        self.assertEqual(code, 0, out + err)
        dest = os.path.join(self.tmp, "ns")
        self.assertTrue(os.path.isfile(os.path.join(dest, "runtime", "include", "vtk", "virtio", "virtio.h")))
        foreign = os.path.join(self.tmp, "foreign.c")
        with open(foreign, "w") as fh:
            fh.write("struct virtqueue { int n; };\nstruct virtio_device { int id; };\n"
                     "int virtio_interrupt_ack(struct virtio_device *d) { return d->id; }\n"
                     "int virtqueue_add(struct virtqueue *vq) { return vq->n; }\n"
                     "void virtqueue_enable_cb(struct virtqueue *vq) { vq->n = 0; }\n"
                     "int virtio_blk_init(void) { return 0; }\n")
        objs = []
        for src in sources(dest) + [foreign]:
            obj = os.path.join(self.tmp, f"{len(objs)}.o")
            code, text = self.cc(TARGETS["riscv64"] + WARN + self.includes(dest) + ["-c", src, "-o", obj])
            self.assertEqual(code, 0, text)
            objs.append(obj)
        nm = subprocess.run(["riscv64-unknown-elf-nm", "-g", "--defined-only"] + objs[:-1],
                            capture_output=True, text=True, check=True).stdout
        names = [line.split()[-1] for line in nm.splitlines() if len(line.split()) == 3]
        self.assertGreater(len(names), 50)
        self.assertEqual([n for n in names if not n.startswith("vtk_")], [])
        code, text = self.cc(["riscv64-unknown-elf-ld", "-r", "-o", os.path.join(self.tmp, "all.o")] + objs)
        self.assertEqual(code, 0, text)


class Glue(Build):
    def test_make_fragment(self):
        need("make")
        dest = self.export("plain")
        makefile = os.path.join(self.tmp, "Makefile")
        with open(makefile, "w") as fh:
            fh.write(f"VIRTIO_DIR := {dest}\n"
                     "-include kconfig.mk\n"
                     "include $(VIRTIO_DIR)/sources.mk\n"
                     f"CC := {' '.join(TARGETS['riscv64'])}\n"
                     f"CFLAGS := {' '.join(WARN)} $(VIRTIO_CFLAGS)\n"
                     f"app.elf: $(VIRTIO_SRCS) stub_port.c {MEM}\n"
                     f"\t$(CC) $(CFLAGS) $^ {' '.join(LINK)} -o $@\n"
                     "print:\n\t@echo $(VIRTIO_SRCS)\n")
        shutil.copy(STUB, self.tmp)
        proc = subprocess.run(["make", "-s", "app.elf"], cwd=self.tmp, capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        # A Kconfig .config with the blk driver off drops its source.
        with open(os.path.join(self.tmp, "kconfig.mk"), "w") as fh:
            fh.write("CONFIG_VIRTIO=y\nCONFIG_VIRTIO_MMIO=y\n# CONFIG_VIRTIO_BLK is not set\n")
        listed = subprocess.run(["make", "-s", "print"], cwd=self.tmp, capture_output=True,
                                text=True, check=True).stdout
        self.assertIn("runtime/src/mmio.c", listed)
        self.assertNotIn("drivers/blk.c", listed)

    def test_cmake_snippet(self):
        need("cmake")
        dest = self.export("plain")
        project = os.path.join(self.tmp, "app")
        os.makedirs(project)
        with open(os.path.join(project, "check.c"), "w") as fh:
            fh.write("#include <virtio/drivers/blk.h>\n"
                     f"_Static_assert(VIRTIO_BLK_QUEUE_SIZE == {other_queue_size()}u, \"queue size from CMake\");\n"
                     "_Static_assert(VIRTIO_ACCEPT_LEGACY == 1 && VIRTIO_ACCEPT_MODERN == 0,"
                     " \"legacy only\");\n"
                     "#ifndef CONFIG_VIRTIO_BLK\n#error blk option\n#endif\n")
        with open(os.path.join(project, "CMakeLists.txt"), "w") as fh:
            fh.write("cmake_minimum_required(VERSION 3.20)\nproject(app C)\n"
                     f"include({dest}/virtio.cmake)\n"
                     f"add_executable(app {STUB} {MEM} check.c)\n"
                     "target_compile_options(app PRIVATE -Wall -Wextra -Werror)\n"
                     "target_compile_options(virtio_vendored PRIVATE -Wall -Wextra -Werror)\n"
                     "target_link_libraries(app PRIVATE virtio_vendored)\n")
        build = os.path.join(self.tmp, "build")
        need("riscv64-unknown-elf-gcc")
        for cmd in (["cmake", "-S", project, "-B", build,
                     f"-DCMAKE_TOOLCHAIN_FILE={ROOT}/cmake/toolchains/riscv64-elf.cmake",
                     f"-DVIRTIO_BLK_QUEUE_SIZE={other_queue_size()}", "-DVIRTIO_TRANSPORT=legacy"],
                    ["cmake", "--build", build]):
            proc = subprocess.run(cmd, capture_output=True, text=True)
            self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertTrue(os.path.exists(os.path.join(build, "app")))


class Kconfig(Build):
    def kconf(self, dest, config_prefix="CONFIG_"):
        kconfiglib = load_kconfiglib()
        os.environ["CONFIG_"] = config_prefix  # kconfiglib reads it at load time
        try:
            k = kconfiglib.Kconfig(os.path.join(dest, "Kconfig"), warn_to_stderr=False)
        finally:
            del os.environ["CONFIG_"]
        self.assertEqual(k.warnings, [])
        return k

    def compile_with(self, dest, autoconf, checks):
        path = os.path.join(self.tmp, "check.c")
        with open(path, "w") as fh:
            fh.write("#include <virtio/drivers/blk.h>\n" + checks)
        need("riscv64-unknown-elf-gcc")
        code, text = self.cc(TARGETS["riscv64"] + WARN + [f'-DVIRTIO_KCONFIG_HEADER="{autoconf}"']
                             + self.includes(dest) + ["-c", path, "-o", os.devnull])
        self.assertEqual(code, 0, text)

    def test_parses_with_defaults(self):
        dest = self.export("plain")
        k = self.kconf(dest)
        syms = k.syms
        for name in ("VIRTIO", "VIRTIO_MMIO", "VIRTIO_BLK"):
            self.assertEqual(syms[name].str_value, "y", name)
        self.assertEqual(syms["VIRTIO_BLK_QUEUE_SIZE"].str_value, str(blk_queue_default()))
        choice = syms["VIRTIO_TRANSPORT_AUTO"].choice
        self.assertEqual(choice.selection.name, "VIRTIO_TRANSPORT_AUTO")
        self.assertEqual({s.name for s in choice.syms},
                         {"VIRTIO_TRANSPORT_AUTO", "VIRTIO_TRANSPORT_MODERN", "VIRTIO_TRANSPORT_LEGACY"})
        self.assertNotIn("VIRTIO_NET", syms, "only exported devices")
        # Out of range values are refused.
        k.warnings.clear()
        syms["VIRTIO_BLK_QUEUE_SIZE"].set_value("40000")
        self.assertEqual(syms["VIRTIO_BLK_QUEUE_SIZE"].str_value, str(blk_queue_default()))
        self.assertTrue(any("40000" in w for w in k.warnings), k.warnings)

    def test_full_menu_parses(self):
        dest = os.path.join(self.tmp, "all")
        code, out, err = export("--dest", dest, "--kconfig-prefix", "RT_USING_")
        self.assertEqual(code, 0, out + err)
        k = self.kconf(dest)  # no warnings, checked there
        spec = cli.load_spec(os.path.join(project(), "spec"))
        for sf in spec.device_files:
            self.assertEqual(k.syms[f"RT_USING_VIRTIO_{sf.device.name.upper()}"].str_value, "y")
        ints = [sym for sym in k.unique_defined_syms if sym.orig_type == kconfiglib_int()]
        self.assertGreater(len(ints), len(spec.device_files))
        for sym in ints:  # every default lies inside the symbol's range
            low, high = (int(b.str_value) for b in sym.ranges[0][:2])
            self.assertTrue(low <= int(sym.str_value) <= high, sym.name)

    def test_linux_style_output_drives_the_header(self):
        dest = self.export("plain")
        k = self.kconf(dest)
        k.syms["VIRTIO_BLK_QUEUE_SIZE"].set_value(str(other_queue_size()))
        k.syms["VIRTIO_TRANSPORT_MODERN"].set_value(2)
        autoconf = os.path.join(self.tmp, "autoconf.h")
        k.write_autoconf(autoconf)
        self.compile_with(dest, autoconf,
                          f"_Static_assert(VIRTIO_BLK_QUEUE_SIZE == {other_queue_size()}u, \"from Kconfig\");\n"
                          "_Static_assert(!VIRTIO_ACCEPT_LEGACY && VIRTIO_ACCEPT_MODERN, \"modern\");\n"
                          "#if !defined(CONFIG_VIRTIO_BLK) || defined(CONFIG_VIRTIO_TRANSPORT_AUTO)\n"
                          "#error choices\n#endif\n")

    def test_transport_choice_takes_effect(self):
        """Kconfig choice -> configuration header -> what the runtime probes."""
        dest = self.export("plain")
        need("gcc")
        results = {}
        for choice in ("AUTO", "MODERN", "LEGACY"):
            k = self.kconf(dest)
            k.syms[f"VIRTIO_TRANSPORT_{choice}"].set_value(2)
            autoconf = os.path.join(self.tmp, f"autoconf-{choice}.h")
            k.write_autoconf(autoconf)
            exe = os.path.join(self.tmp, f"probe-{choice}")
            code, text = self.cc(["gcc"] + WARN[:-1] + ["-DSTUB_HOSTED", f'-DVIRTIO_KCONFIG_HEADER="{autoconf}"']
                                 + self.includes(dest) + sources(dest)
                                 + [STUB, os.path.join(HERE, "probe_check.c"), "-o", exe])
            self.assertEqual(code, 0, text)
            results[choice] = subprocess.run([exe], capture_output=True, text=True,
                                             check=True).stdout.strip()
        ok, refused = 0, -3  # VIRTIO_OK, VIRTIO_EVERSION
        self.assertEqual(results, {"AUTO": f"legacy {ok} modern {ok}",
                                   "MODERN": f"legacy {refused} modern {ok}",
                                   "LEGACY": f"legacy {ok} modern {refused}"})

    def test_rtthread_style_prefixes(self):
        dest = self.export("rt", "--prefix", "RT_", "--kconfig-prefix", "RT_USING_",
                           "--config-prefix", "")
        k = self.kconf(dest, config_prefix="")
        self.assertIn("RT_USING_VIRTIO_BLK", k.syms)
        k.syms["RT_USING_VIRTIO_BLK"].set_value(0)
        k.syms["RT_USING_VIRTIO_TRANSPORT_LEGACY"].set_value(2)
        rtconfig = os.path.join(self.tmp, "rtconfig.h")
        k.write_autoconf(rtconfig)
        with open(rtconfig) as fh:
            text = fh.read()
        self.assertIn("#define RT_USING_VIRTIO 1", text)
        self.assertNotIn("#define CONFIG_", text)
        self.compile_with(dest, rtconfig,
                          "#if defined(RT_USING_VIRTIO_BLK) || !defined(RT_USING_VIRTIO)\n"
                          "#error blk is off\n#endif\n"
                          "_Static_assert(VIRTIO_ACCEPT_LEGACY && !VIRTIO_ACCEPT_MODERN, \"legacy\");\n"
                          f"_Static_assert(VIRTIO_BLK_QUEUE_SIZE == {blk_queue_default()}u, \"default\");\n"
                          "_Static_assert(RT_VIRTIO_F_VERSION_1 == 32, \"prefixed\");\n")


if __name__ == "__main__":
    unittest.main()
