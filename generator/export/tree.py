"""Writing an export into a folder that may hold an earlier export, and
comparing a folder with a fresh export.

The manifest records the SHA-256 of every file as last written. A file
whose content no longer matches it was changed downstream: it is reported
and left alone (unless forced). Files the manifest does not list are the
downstream project's own and are never touched.
"""
import difflib
import hashlib
import json
import os
import tempfile

MANIFEST = "virtio-export.json"


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def read_manifest(dest):
    path = os.path.join(dest, MANIFEST)
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _read(dest, rel):
    path = os.path.join(dest, *rel.split("/"))
    if not os.path.isfile(path):
        return None
    with open(path, "rb") as fh:
        return fh.read()


def _write(dest, rel, data):
    """Replaces one file atomically (temporary file + rename)."""
    path = os.path.join(dest, *rel.split("/"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".export-", dir=os.path.dirname(path))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _remove(dest, rel):
    path = os.path.join(dest, *rel.split("/"))
    os.unlink(path)
    parent = os.path.dirname(path)
    while os.path.abspath(parent) != os.path.abspath(dest) and not os.listdir(parent):
        os.rmdir(parent)
        parent = os.path.dirname(parent)


def plan(files, dest, manifest, force):
    """[(rel, status, data or None)]: what to do with every file.

    status: added, updated, unchanged, removed, overwritten, restored,
    kept (changed downstream; not overwritten), missing (deleted downstream;
    not restored), orphaned (no longer exported but changed downstream).
    """
    known = (manifest or {}).get("files", {})
    actions = []
    for rel in sorted(files):
        new = files[rel].encode("utf-8")
        disk = _read(dest, rel)
        last = known.get(rel)
        if disk is None:
            if last is None:
                actions.append((rel, "added", new))
            else:
                actions.append((rel, "restored" if force else "missing", new if force else None))
        elif sha256(disk) == sha256(new):
            actions.append((rel, "unchanged", None))
        elif last is not None and sha256(disk) == last:
            actions.append((rel, "updated", new))
        else:
            actions.append((rel, "overwritten" if force else "kept", new if force else None))
    for rel in sorted(set(known) - set(files)):
        disk = _read(dest, rel)
        if disk is None:
            continue
        if sha256(disk) == known[rel] or force:
            actions.append((rel, "removed", None))
        else:
            actions.append((rel, "orphaned", None))
    return actions


CONFLICTS = ("kept", "missing", "orphaned")


def apply(actions, dest, files, manifest_meta, old_manifest):
    """Carries out a plan; returns the manifest written (or kept)."""
    known = (old_manifest or {}).get("files", {})
    hashes = {}
    for rel, status, data in actions:
        if data is not None:
            _write(dest, rel, data)
        if status == "removed":
            _remove(dest, rel)
        elif status in ("kept", "missing"):
            if rel in known:
                hashes[rel] = known[rel]   # still ours; still reported next time
        elif status != "orphaned":
            hashes[rel] = sha256(files[rel].encode("utf-8"))
    changed = any(s not in ("unchanged",) + CONFLICTS for _, s, _ in actions)
    manifest = dict(manifest_meta, files=hashes)
    if old_manifest is None or changed or old_manifest.get("files") != hashes \
            or old_manifest.get("options") != manifest.get("options"):
        _write(dest, MANIFEST, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())
        return manifest
    return old_manifest


def diff(files, dest, manifest):
    """A unified diff from the folder to a fresh export ('' if equal).
    Covers the exported files and the files the manifest lists."""
    known = (manifest or {}).get("files", {})
    label = os.path.basename(os.path.normpath(dest))
    chunks = []
    for rel in sorted(set(files) | set(known)):
        disk = _read(dest, rel)
        old = None if disk is None else disk.decode("utf-8", errors="surrogateescape")
        new = files.get(rel)
        if old == new or (new is None and old is None):
            continue
        chunks.extend(difflib.unified_diff(
            [] if old is None else old.splitlines(keepends=True),
            [] if new is None else new.splitlines(keepends=True),
            fromfile="/dev/null" if old is None else f"a/{label}/{rel}",
            tofile="/dev/null" if new is None else f"b/{label}/{rel}"))
        if chunks and not chunks[-1].endswith("\n"):
            chunks[-1] += "\n\\ No newline at end of file\n"
    return "".join(chunks)
