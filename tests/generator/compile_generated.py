"""Compiles every generated header alone, and the generated sources, with the
host compilers (-pedantic) and freestanding with the cross compilers.

Every compiler listed is required: a missing one fails the test (run
scripts/setup.sh), so a machine without them cannot pass by skipping.
"""
import concurrent.futures
import glob
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INCLUDE = os.path.join(ROOT, "generated", "include")
WARN = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic"]
FREESTANDING = ["-ffreestanding", "-nostdlib"]

COMPILERS = {
    "host gcc": ["gcc"],
    "host clang": ["clang"],
    "riscv64": ["riscv64-unknown-elf-gcc", "-march=rv64imac_zicsr", "-mabi=lp64",
                "-mcmodel=medany"] + FREESTANDING,
    "aarch64": ["aarch64-linux-gnu-gcc", "-mgeneral-regs-only", "-mstrict-align"] + FREESTANDING,
    "cortex-m4": ["arm-none-eabi-gcc", "-mcpu=cortex-m4", "-mthumb", "-Os"] + FREESTANDING,
}


def units(workdir):
    """One translation unit per header (included alone), plus each generated source."""
    out = []
    for header in sorted(glob.glob(os.path.join(INCLUDE, "virtio", "*.h"))):
        name = os.path.basename(header)
        path = os.path.join(workdir, f"only_{name[:-2]}.c")
        with open(path, "w") as fh:
            fh.write(f"#include <virtio/{name}>\n")
        out.append((f"<virtio/{name}>", path))
    for source in sorted(glob.glob(os.path.join(ROOT, "generated", "src", "*.c"))):
        out.append((os.path.relpath(source, ROOT), source))
    return out


def compile_one(compiler, unit, workdir):
    label, path = unit
    cmd = compiler + WARN + ["-I", INCLUDE, "-c", path, "-o", os.devnull]
    result = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True)
    return label, result.returncode, result.stderr


def main():
    missing = [name for name, cmd in COMPILERS.items() if shutil.which(cmd[0]) is None]
    if missing:
        print("missing compilers: " + ", ".join(f"{n} ({COMPILERS[n][0]})" for n in missing)
              + "; run scripts/setup.sh")
        return 1
    failures = 0
    total = 0
    with tempfile.TemporaryDirectory() as workdir:
        jobs = []
        sources = units(workdir)
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            for name, compiler in COMPILERS.items():
                for unit in sources:
                    jobs.append((name, pool.submit(compile_one, compiler, unit, workdir)))
            for name, job in jobs:
                label, rc, err = job.result()
                total += 1
                if rc != 0:
                    failures += 1
                    print(f"FAIL {name}: {label}\n{err}")
    print(f"standalone compile: {total - failures} passed, {failures} failed "
          f"({len(COMPILERS)} compilers)")
    return 1 if failures or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
