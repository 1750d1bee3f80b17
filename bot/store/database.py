"""One SQLite connection, configured for a long-running bot, with serialised transactions."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import StartupError
from bot.files import warn_if_others_can_read
from bot.store.migrations import LATEST_VERSION, MIGRATIONS

log = logging.getLogger(__name__)

Row = aiosqlite.Row
Params = Sequence[Any] | dict[str, Any]


class DatabaseTooNew(StartupError):
    """The file was written by a newer Compagnon; running older code on it could lose data."""


class NoDatabase(StartupError):
    """The configured database file does not exist: a reader (export, preview) has nothing."""


class DatabaseNotWritable(StartupError):
    """The folder or file cannot be created or written: permissions, a full disk, a lock."""


class DatabaseCorrupt(StartupError):
    """Not an SQLite file, or a damaged one: migrating or writing it would make things worse."""


class DatabaseLost(StartupError):
    """Missing or empty although the bot has run before: starting afresh would hide lost data."""


# Primary result codes for writes that failed because of the machine, not the bot's code.
_WRITE_FAILURES = frozenset(
    {
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
        sqlite3.SQLITE_CANTOPEN,
    }
)


def is_write_failure(error: BaseException) -> bool:
    """Whether SQLite could not write because of the disk, permissions or another writer:
    worth telling the member to try later, not a bug to report."""
    return isinstance(error, sqlite3.DatabaseError) and _primary_code(error) in _WRITE_FAILURES


def _primary_code(error: sqlite3.Error) -> int | None:
    """The result code without its extended bits (SQLITE_IOERR_WRITE is SQLITE_IOERR)."""
    code: int | None = getattr(error, "sqlite_errorcode", None)  # absent if Python raised it
    return None if code is None else code & 0xFF


def stored_time(moment: datetime) -> str:
    """Times are stored as UTC ISO text: one offset for all, so text compares as time does
    in SQL (mixed offsets would make the order lie)."""
    return moment.astimezone(UTC).isoformat()


def read_time(value: str | None) -> datetime | None:
    """A stored time, or None for a column not set."""
    return None if value is None else datetime.fromisoformat(value)


def existing(path: Path) -> Path:
    """``path`` if the file is there; for commands that read and must not create one."""
    if not path.exists():
        raise NoDatabase(f"no database at {path}: check database.path in the config")
    return path


class Transaction:
    """The handle a repository receives: everything it does commits or rolls back together."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement that returns no rows; returns the number of rows it changed.
        One trip to the database thread (a trip costs about 0.1 ms): a finished statement's
        cursor needs no closing."""
        cursor = await self._connection.execute(sql, params)
        return cursor.rowcount

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT; returns the new row's id. One trip to the database thread."""
        row = await self._connection.execute_insert(sql, params)
        return int(row[0]) if row is not None and row[0] else 0

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._connection.executemany(sql, rows)

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        """The row of a query that has one at most (by key, an aggregate, LIMIT 1)."""
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """One trip to the database thread (a cursor would take three: run, fetch, close)."""
        return list(await self._connection.execute_fetchall(sql, params))

    async def fetch_value(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]


class Database:
    """The bot's SQLite file: WAL, foreign keys, a busy timeout, and one writer at a time.

    aiosqlite runs a single connection on its own thread; concurrent command tasks
    would interleave their statements, so transactions take turns behind a lock.
    """

    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        self._connection = connection
        self._lock = asyncio.Lock()
        self.path = path  # for log lines

    @classmethod
    async def open(cls, path: Path | str, *, expected_by: Path | None = None) -> Database:
        """Create, check and migrate the file; any reason it cannot be used is a StartupError.

        ``expected_by`` is the file showing the bot has run before (session.json with a sync
        position): then a missing or empty database means lost data, not a first start.
        """
        file = Path(path)
        on_disk = str(path) != ":memory:"
        try:
            if on_disk:
                _prepare(file, expected_by)
                # When it cannot open a file, aiosqlite leaves a thread behind that prints a
                # traceback once the event loop has closed: fail here, synchronously, instead.
                sqlite3.connect(file).close()
            database = await cls._connect(file)
        except sqlite3.Error as error:
            explained = _explain(error, file)
            if explained is None:
                raise
            raise explained from error
        if on_disk:
            warn_if_others_can_read(file)
        return database

    @classmethod
    async def _connect(cls, path: Path) -> Database:
        connection = await aiosqlite.connect(str(path), isolation_level=None)
        database = cls(connection, path)
        try:
            connection.row_factory = aiosqlite.Row
            for pragma in (
                "PRAGMA journal_mode = WAL",
                "PRAGMA foreign_keys = ON",
                "PRAGMA busy_timeout = 5000",
                "PRAGMA synchronous = NORMAL",
            ):
                await connection.execute(pragma)
            await database._check_integrity()
            await database.migrate()
        except BaseException:
            await connection.close()
            raise
        return database

    async def _check_integrity(self) -> None:
        """Refuse a damaged file before migrations or new writes build on it."""
        async with self._connection.execute("PRAGMA quick_check(1)") as cursor:
            verdict = await cursor.fetchone()
        if verdict is None or verdict[0] != "ok":
            problem = "no answer" if verdict is None else " ".join(verdict[0].split())
            raise DatabaseCorrupt(
                f"{self.path} is damaged (quick_check: {problem}): restore it from a backup"
            )

    async def close(self) -> None:
        await self._connection.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        async with self._lock:
            try:
                # Inside the try: a task cancelled while its BEGIN is queued (the sync loop,
                # at a stop) still has it run on aiosqlite's thread, and must roll it back.
                await self._connection.execute("BEGIN IMMEDIATE")
                yield Transaction(self._connection)
                await self._connection.execute("COMMIT")
            except BaseException:
                await self._roll_back()
                raise

    async def _roll_back(self) -> None:
        """End the transaction, so the next one can begin, even after a failed COMMIT or
        BEGIN; SQLite may have rolled back already (it does on SQLITE_FULL)."""
        try:
            await self._connection.execute("ROLLBACK")
        except sqlite3.OperationalError:
            if self._connection.in_transaction:
                raise

    async def migrate(self) -> None:
        """Bring an empty or older file to the latest schema, one committed step at a time."""
        async with self.transaction() as tx:
            await tx.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            version = await schema_version(tx)
        if version > LATEST_VERSION:
            raise DatabaseTooNew(
                f"the database is at schema version {version}, but this Compagnon only knows "
                f"up to {LATEST_VERSION}: upgrade Compagnon, or restore a backup"
            )
        for number in range(version + 1, LATEST_VERSION + 1):
            async with self.transaction() as tx:
                for statement in _statements(MIGRATIONS[number - 1]):
                    await tx.execute(statement)
                await tx.execute("DELETE FROM schema_version")
                await tx.execute("INSERT INTO schema_version (version) VALUES (?)", (number,))


def _prepare(path: Path, expected_by: Path | None) -> None:
    """Check the file before SQLite opens it, and create it private if it is new."""
    try:
        status = path.stat() if path.exists() else None
        if expected_by is not None and (status is None or status.st_size == 0):
            state = "missing" if status is None else "empty"
            raise DatabaseLost(
                f"{path} is {state} but the bot has run before (see {expected_by}): restore "
                f"the database from a backup, or remove {expected_by.name} to start afresh"
            )
        if status is None:
            _create_private(path)
    except OSError as error:
        raise DatabaseNotWritable(
            f"cannot create or write the data folder {path.parent} ({error.strerror}): "
            "check its owner and permissions"
        ) from error


def _create_private(path: Path) -> None:
    """A new folder 0700 and an empty file 0600, whatever the umask; SQLite then gives the
    -wal and -shm files the database file's mode."""
    try:
        path.parent.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        pass  # an existing folder is the owner's choice: left as it is
    else:
        path.parent.chmod(0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
    finally:
        os.close(descriptor)


def _explain(error: sqlite3.Error, path: Path) -> StartupError | None:
    """The start-up error a failure to open means, or None for a bug (say, in a migration)."""
    code = _primary_code(error)
    if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        return DatabaseCorrupt(
            f"{path} is not a database or is damaged ({error}): restore it from a backup"
        )
    if code == sqlite3.SQLITE_FULL:
        advice = "free some disk space"
    elif code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        advice = "is another Compagnon using it?"
    elif is_write_failure(error):
        advice = f"check the owner and permissions of the file and of {path.parent}"
    else:
        return None
    return DatabaseNotWritable(f"cannot write {path} ({error}): {advice}")


async def schema_version(tx: Transaction) -> int:
    return int(await tx.fetch_value("SELECT coalesce(max(version), 0) FROM schema_version"))


def _statements(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit on its own)."""
    return [part.strip() for part in script.split(";") if part.strip()]
