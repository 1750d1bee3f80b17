"""One SQLite connection, configured for a long-running bot, with serialised transactions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.store.migrations import LATEST_VERSION, MIGRATIONS

Row = aiosqlite.Row
Params = Sequence[Any] | dict[str, Any]


class DatabaseTooNew(Exception):
    """The file was written by a newer Compagnon; running older code on it could lose data."""


class NoDatabase(Exception):
    """The configured database file does not exist: a reader (export, preview) has nothing."""


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
        """Run one statement; returns the number of rows it changed."""
        cursor = await self._connection.execute(sql, params)
        await cursor.close()
        return cursor.rowcount

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT; returns the new row's id."""
        cursor = await self._connection.execute(sql, params)
        await cursor.close()
        return cursor.lastrowid or 0

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._connection.executemany(sql, rows)

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        async with self._connection.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        async with self._connection.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def fetch_value(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]


class Database:
    """The bot's SQLite file: WAL, foreign keys, a busy timeout, and one writer at a time.

    aiosqlite runs a single connection on its own thread; concurrent command tasks
    would interleave their statements, so transactions take turns behind a lock.
    """

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        connection = await aiosqlite.connect(str(path), isolation_level=None)
        connection.row_factory = aiosqlite.Row
        for pragma in (
            "PRAGMA journal_mode = WAL",
            "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 5000",
            "PRAGMA synchronous = NORMAL",
        ):
            await connection.execute(pragma)
        database = cls(connection)
        try:
            await database.migrate()
        except BaseException:
            await connection.close()
            raise
        return database

    async def close(self) -> None:
        await self._connection.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        async with self._lock:
            await self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(self._connection)
            except BaseException:
                await self._connection.execute("ROLLBACK")
                raise
            await self._connection.execute("COMMIT")

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


async def schema_version(tx: Transaction) -> int:
    return int(await tx.fetch_value("SELECT coalesce(max(version), 0) FROM schema_version"))


def _statements(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit on its own)."""
    return [part.strip() for part in script.split(";") if part.strip()]
