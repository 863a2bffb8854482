"""Write: put rendered files in place, touching only what changed.

Everything is rendered in memory first, so a failure never leaves half a site.
A file whose content is unchanged is not rewritten (its modification time stays,
so a live preview does not rebuild), and files the generator no longer produces
are removed from the areas it owns.
"""

from __future__ import annotations

import os
import posixpath
import tempfile
from pathlib import Path


def write_atomic(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def sync(root: Path, files: dict[str, str], owned: tuple[str, ...]) -> list[str]:
    """Make the owned part of ``root`` hold exactly ``files``; return the paths written or removed.

    ``owned`` names the top-level files and folders under ``root`` that are the
    generator's; writing anywhere else is refused.
    """
    for rel in files:
        # normpath first: "pages/../../x" names its first folder but lands outside root
        if posixpath.isabs(rel) or posixpath.normpath(rel).split("/")[0] not in owned:
            raise ValueError(f"{rel} is outside the generated area")
    changed = []
    for rel in sorted(files):
        target = root / rel
        content = files[rel].encode("utf-8")
        if target.is_file() and target.read_bytes() == content:
            continue
        write_atomic(target, content)
        changed.append(rel)
    for top in owned:
        base = root / top
        stale = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in stale:
            rel = path.relative_to(root).as_posix()
            if rel not in files:
                path.unlink()
                changed.append(rel)
    return changed
