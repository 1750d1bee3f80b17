"""Files that hold members' data or the bot's keys: the bot's user alone should read them."""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)


def warn_if_others_can_read(path: Path) -> None:
    """An older file, or one copied in, may have kept the umask's group and world bits;
    the owner may want them (a backup group, say), so they are pointed out, not changed."""
    mode = path.stat().st_mode & 0o777
    if mode & 0o044:
        log.warning(
            "%s can be read by other users (mode %o): chmod 600 it to keep members' data private",
            path,
            mode,
        )


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` atomically with ``text``, readable by its owner alone: a crash never
    leaves half a file, and the store's folder holds nothing others may read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(text, encoding="utf-8")
    os.chmod(partial, 0o600)
    partial.replace(path)
