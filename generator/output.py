"""Writes a render all-or-nothing, and compares a render with what is on disk."""
import difflib
import os
import shutil
import tempfile


def read_tree(root):
    """{relative path: text} of every file under root ({} when it is missing)."""
    files = {}
    if not os.path.isdir(root):
        return files
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            with open(path, encoding="utf-8", errors="surrogateescape") as fh:
                files[rel] = fh.read()
    return files


def diff(rendered, root, label):
    """A unified diff from what is under root to the fresh render ('' if equal)."""
    current = read_tree(root)
    chunks = []
    for rel in sorted(set(current) | set(rendered)):
        old = current.get(rel)
        new = rendered.get(rel)
        if old == new:
            continue
        chunks.extend(difflib.unified_diff(
            [] if old is None else old.splitlines(keepends=True),
            [] if new is None else new.splitlines(keepends=True),
            fromfile="/dev/null" if old is None else f"a/{label}/{rel}",
            tofile="/dev/null" if new is None else f"b/{label}/{rel}"))
        if chunks and not chunks[-1].endswith("\n"):
            chunks[-1] += "\n\\ No newline at end of file\n"
    return "".join(chunks)


def write_tree(rendered, root):
    """Replaces root with exactly the rendered files.

    Everything is written into a sibling temporary folder first, which then
    takes root's place by rename; a failure before that leaves root as it
    was, so generated/ is never half-written or a mix of two renders.
    """
    root = os.path.abspath(root)
    parent = os.path.dirname(root)
    os.makedirs(parent, exist_ok=True)
    stage = tempfile.mkdtemp(prefix=".render-", dir=parent)
    old = None
    try:
        for rel, text in rendered.items():
            path = os.path.join(stage, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        if os.path.exists(root):
            old = tempfile.mkdtemp(prefix=".previous-", dir=parent)
            os.rmdir(old)
            os.rename(root, old)
        os.rename(stage, root)
        stage = None
    except BaseException:
        if old is not None and not os.path.exists(root):
            os.rename(old, root)
            old = None
        raise
    finally:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
