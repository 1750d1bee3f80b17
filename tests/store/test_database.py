"""The SQLite file: pragmas, migrations, transactions, and the events repository."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store import events
from bot.store.database import Database, DatabaseTooNew, schema_version
from bot.store.migrations import LATEST_VERSION, MIGRATIONS

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "compagnon.sqlite3"


@pytest.fixture
async def database(path: Path) -> AsyncIterator[Database]:
    opened = await Database.open(path)
    try:
        yield opened
    finally:
        await opened.close()


async def version_of(database: Database) -> int:
    async with database.transaction() as tx:
        return await schema_version(tx)


def schema_of(path: Path) -> set[tuple[str, str, str]]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
    connection.close()
    return {(kind, name, " ".join(sql.split())) for kind, name, sql in rows}


def set_version_by_hand(path: Path, version: int) -> None:
    """An older (or newer) file, as that version of Compagnon would have left it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        for script in MIGRATIONS[:version]:
            connection.executescript(script)
        connection.execute("DELETE FROM schema_version")
        connection.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
    connection.close()


async def test_an_empty_file_is_migrated_to_the_latest_version(
    database: Database, path: Path
) -> None:
    assert {"handled_event", "served_room", "schema_version"} <= {
        name for kind, name, _ in schema_of(path) if kind == "table"
    }
    assert await version_of(database) == LATEST_VERSION
    async with database.transaction() as tx:
        assert await tx.fetch_value("SELECT count(*) FROM schema_version") == 1
        assert await tx.fetch_value("SELECT count(*) FROM handled_event") == 0
        assert await tx.fetch_value("SELECT count(*) FROM served_room") == 0


async def test_the_connection_is_configured_for_a_long_running_bot(database: Database) -> None:
    async with database.transaction() as tx:
        assert str(await tx.fetch_value("PRAGMA journal_mode")).lower() == "wal"
        assert await tx.fetch_value("PRAGMA foreign_keys") == 1
        assert await tx.fetch_value("PRAGMA busy_timeout") == 5000


async def test_reopening_changes_nothing(path: Path) -> None:
    first = await Database.open(path)
    async with first.transaction() as tx:
        await events.claim(tx, "$kept", "!room:test", T0)
    await first.close()
    schema = schema_of(path)

    second = await Database.open(path)
    try:
        assert await version_of(second) == LATEST_VERSION
        async with second.transaction() as tx:
            assert await tx.fetch_value("SELECT count(*) FROM schema_version") == 1
            assert await events.is_handled(tx, "$kept")
    finally:
        await second.close()
    assert schema_of(path) == schema


async def test_a_newer_database_is_refused(path: Path) -> None:
    set_version_by_hand(path, LATEST_VERSION)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE schema_version SET version = ?", (LATEST_VERSION + 1,))
    connection.close()

    with pytest.raises(DatabaseTooNew, match="upgrade") as caught:
        await Database.open(path)
    assert str(LATEST_VERSION + 1) in str(caught.value)
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version FROM schema_version").fetchall() == [
            (LATEST_VERSION + 1,)
        ]
    connection.close()


@pytest.mark.parametrize("version", range(LATEST_VERSION))
async def test_every_older_version_is_brought_to_the_latest(
    version: int, path: Path, tmp_path: Path
) -> None:
    fresh_path = tmp_path / "fresh.sqlite3"
    fresh = await Database.open(fresh_path)
    await fresh.close()

    set_version_by_hand(path, version)
    upgraded = await Database.open(path)
    try:
        assert await version_of(upgraded) == LATEST_VERSION
        async with upgraded.transaction() as tx:
            assert await tx.fetch_value("SELECT count(*) FROM schema_version") == 1
    finally:
        await upgraded.close()
    assert schema_of(path) == schema_of(fresh_path)


async def test_a_failing_transaction_rolls_back(database: Database) -> None:
    async def join_then_fail() -> None:
        async with database.transaction() as tx:
            await events.record_room_joined(tx, "!room:test", T0)
            await events.claim(tx, "$event", "!room:test", T0)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await join_then_fail()

    async with database.transaction() as tx:
        assert await events.count_rooms(tx) == 0
        assert not await events.is_handled(tx, "$event")


async def test_a_failing_statement_rolls_back_the_whole_transaction(database: Database) -> None:
    async with database.transaction() as tx:
        await events.claim(tx, "$first", "!room:test", T0)

    async def join_then_handle_again() -> None:
        async with database.transaction() as tx:
            await events.record_room_joined(tx, "!room:test", T0)
            await tx.execute(
                "INSERT INTO handled_event (event_id, room_id, handled_at) VALUES (?, ?, ?)",
                ("$first", "!room:test", T0.isoformat()),
            )

    with pytest.raises(sqlite3.IntegrityError):
        await join_then_handle_again()

    async with database.transaction() as tx:
        assert await events.count_rooms(tx) == 0
        assert await events.is_handled(tx, "$first")


async def test_a_committed_transaction_is_visible_to_another_connection(
    database: Database, path: Path
) -> None:
    async with database.transaction() as tx:
        await events.record_room_joined(tx, "!room:test", T0)
    other = await Database.open(path)
    try:
        async with other.transaction() as tx:
            assert await events.served_rooms(tx) == ["!room:test"]
    finally:
        await other.close()


async def test_insert_returns_the_row_id_and_execute_the_row_count(
    database: Database,
) -> None:
    async with database.transaction() as tx:
        first = await tx.insert(
            "INSERT INTO served_room (room_id, joined_at) VALUES (?, ?)", ("!a:test", "x")
        )
        second = await tx.insert(
            "INSERT INTO served_room (room_id, joined_at) VALUES (?, ?)", ("!b:test", "x")
        )
        assert second == first + 1
        assert await tx.execute("UPDATE served_room SET joined_at = 'y'") == 2
        assert await tx.execute("UPDATE served_room SET joined_at = 'z' WHERE 0") == 0
        assert await tx.fetch_one("SELECT * FROM served_room WHERE room_id = '!none'") is None
        assert await tx.fetch_value("SELECT joined_at FROM served_room WHERE 0") is None


async def test_handled_events(database: Database) -> None:
    async with database.transaction() as tx:
        assert not await events.is_handled(tx, "$a")
        assert await events.claim(tx, "$a", "!room:test", T0)
        assert await events.is_handled(tx, "$a")
        assert not await events.claim(tx, "$a", "!room:test", T0)
        assert not await events.is_handled(tx, "$b")


async def test_forgetting_handled_events_keeps_the_recent_ones(database: Database) -> None:
    async with database.transaction() as tx:
        await events.claim(tx, "$old", "!room:test", T0)
        await events.claim(tx, "$edge", "!room:test", T0 + timedelta(hours=1))
        await events.claim(tx, "$recent", "!room:test", T0 + timedelta(hours=1, microseconds=1))
        await events.claim(tx, "$new", "!room:test", T0 + timedelta(days=3))

        forgotten = await events.forget_handled_before(tx, T0 + timedelta(hours=1))

        assert forgotten == 1
        assert not await events.is_handled(tx, "$old")
        for kept in ("$edge", "$recent", "$new"):
            assert await events.is_handled(tx, kept)
        assert await events.count_handled_since(tx, T0 + timedelta(hours=1)) == 3
        assert await events.count_handled_since(tx, T0 + timedelta(days=1)) == 1


async def test_forgetting_orders_times_with_and_without_microseconds(database: Database) -> None:
    async with database.transaction() as tx:
        await events.claim(tx, "$half", "!room:test", T0 + timedelta(microseconds=500000))
        await events.claim(tx, "$whole", "!room:test", T0 + timedelta(seconds=1))

        assert await events.forget_handled_before(tx, T0) == 0
        assert await events.forget_handled_before(tx, T0 + timedelta(seconds=1)) == 1
        assert not await events.is_handled(tx, "$half")
        assert await events.is_handled(tx, "$whole")


async def test_the_first_join_of_a_room_counts(database: Database) -> None:
    async with database.transaction() as tx:
        assert await events.room_joined_at(tx, "!room:test") is None
        await events.record_room_joined(tx, "!room:test", T0)
        await events.record_room_joined(tx, "!room:test", T0 + timedelta(days=1))
        assert await events.room_joined_at(tx, "!room:test") == T0
        assert await events.count_rooms(tx) == 1


async def test_a_forgotten_room_is_joined_afresh(database: Database) -> None:
    async with database.transaction() as tx:
        await events.record_room_joined(tx, "!room:test", T0)
        await events.record_room_joined(tx, "!other:test", T0)
        await events.forget_room(tx, "!room:test")
        assert await events.room_joined_at(tx, "!room:test") is None
        assert await events.served_rooms(tx) == ["!other:test"]

        later = T0 + timedelta(days=2)
        await events.record_room_joined(tx, "!room:test", later)
        assert await events.room_joined_at(tx, "!room:test") == later


async def test_served_rooms_and_their_count(database: Database) -> None:
    rooms = ["!a:test", "!b:test", "!c:test"]
    async with database.transaction() as tx:
        assert await events.served_rooms(tx) == []
        assert await events.count_rooms(tx) == 0
        for room in rooms:
            await events.record_room_joined(tx, room, T0)
        await events.forget_room(tx, "!never-joined:test")
        assert sorted(await events.served_rooms(tx)) == rooms
        assert await events.count_rooms(tx) == 3
