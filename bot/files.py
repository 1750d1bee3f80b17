"""Files that hold members' data or the bot's keys: the bot's user alone should read them."""

from __future__ import annotations

import logging
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
