"""``compagnon backup``: a copy of the database that can be restored, made while the bot runs."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

from bot.errors import StartupError
from bot.store.database import existing


class BackupFailed(StartupError):
    """The copy could not be made, or came out damaged; nothing was left at the output."""


def backup(database: Path, output: Path) -> int:
    """Copy ``database`` to ``output`` (mode 0600) with SQLite's online backup API, which
    reads one consistent snapshot however the bot writes meanwhile; the copy must pass
    ``integrity_check`` before it replaces ``output``. Returns the copy's size in bytes."""
    source_uri = existing(database).absolute().as_uri() + "?mode=ro"  # never creates nor migrates
    try:
        descriptor, partial_name = tempfile.mkstemp(  # 0600, beside the output: a rename ends it
            prefix=f".{output.name}.", suffix=".partial", dir=output.parent
        )
    except OSError as error:
        raise BackupFailed(f"cannot write in {output.parent} ({error.strerror})") from error
    os.close(descriptor)
    partial = Path(partial_name)
    try:
        _copy(source_uri, database, partial)
        os.replace(partial, output)
    except OSError as error:
        raise BackupFailed(f"cannot write {output} ({error.strerror})") from error
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return output.stat().st_size


def _copy(source_uri: str, database: Path, partial: Path) -> None:
    try:
        with (
            contextlib.closing(sqlite3.connect(source_uri, uri=True)) as source,
            contextlib.closing(sqlite3.connect(partial)) as copy,
        ):
            source.backup(copy)
            verdict = [row[0] for row in copy.execute("PRAGMA integrity_check")]
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    except sqlite3.Error as error:
        raise BackupFailed(f"cannot back up {database} ({error})") from error
    if verdict != ["ok"]:
        raise BackupFailed(
            f"the copy of {database} fails integrity_check ({' '.join(verdict)[:200]}): "
            "the database itself may be damaged; keep your previous backups"
        )
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
