"""Shared by the export tests: a private copy of the project's inputs, the
export CLI run from it as users run it, and helpers to read a tree.

The copy (generator/, templates/, spec/, runtime/) is taken once per test
process, so files other people edit meanwhile cannot change an export
between two steps of a test.
"""
import atexit
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))
_copy = []


def project():
    """The private copy of the project's export inputs."""
    if not _copy:
        tmp = tempfile.mkdtemp(prefix="export-project-")
        atexit.register(shutil.rmtree, tmp, True)
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        for name in ("generator", "templates", "spec", "runtime"):
            shutil.copytree(os.path.join(ROOT, name), os.path.join(tmp, name), ignore=ignore)
        _copy.append(tmp)
        sys.path.insert(0, tmp)
    return _copy[0]


project()  # `import generator` below the import of this module uses the copy


def export(*args, cwd=None):
    """Runs `python3 -m generator export ARGS` in the copy (or cwd);
    returns (exit code, stdout, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "generator", "export", *args],
                          cwd=cwd or project(), capture_output=True, text=True,
                          env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    return proc.returncode, proc.stdout, proc.stderr


def snapshot(root):
    """{relative path: (bytes, mtime_ns)} of every file under root."""
    out = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as fh:
                out[os.path.relpath(path, root)] = (fh.read(), os.stat(path).st_mtime_ns)
    return out


def sources(dest):
    """The C sources an exported sources.txt lists (all sections)."""
    with open(os.path.join(dest, "sources.txt")) as fh:
        return [os.path.join(dest, line.strip()) for line in fh
                if line.strip() and not line.startswith("#")]
