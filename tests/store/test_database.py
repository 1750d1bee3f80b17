"""The SQLite file: start-up checks, pragmas, migrations, transactions, and the events
repository."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.errors import StartupError
from bot.store import events
from bot.store.database import (
    Database,
    DatabaseCorrupt,
    DatabaseLost,
    DatabaseNotWritable,
    DatabaseTooNew,
    NoDatabase,
    is_write_failure,
    schema_version,
)
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


# --- start-up checks ------------------------------------------------------------------------


def mode_of(path: Path) -> int:
    return path.stat().st_mode & 0o777


def put(path: Path, content: bytes) -> None:
    """A file already there when the bot starts: copied in, or left by accident."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def content_of(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The common 022, under which files are world-readable unless created otherwise."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.parametrize(
    "refusal", [DatabaseTooNew, NoDatabase, DatabaseNotWritable, DatabaseCorrupt, DatabaseLost]
)
def test_every_refusal_is_a_startup_error(refusal: type[Exception]) -> None:
    assert issubclass(refusal, StartupError)


async def test_the_database_knows_its_path(database: Database, path: Path) -> None:
    assert database.path == path


@pytest.mark.parametrize("under", ["sub", "."])
async def test_a_folder_that_cannot_be_created_is_named(tmp_path: Path, under: str) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    path = blocker / under / "compagnon.sqlite3"  # not a folder, even for root

    with pytest.raises(DatabaseNotWritable) as caught:
        await Database.open(path)
    message = str(caught.value)
    assert f"data folder {path.parent} (" in message
    assert message.endswith("check its owner and permissions")


async def test_a_file_sqlite_cannot_open_is_refused(path: Path) -> None:
    os.makedirs(path, mode=0o700)  # a folder where the file should be

    with pytest.raises(DatabaseNotWritable) as caught:
        await Database.open(path)
    assert str(caught.value) == (
        f"cannot write {path} (unable to open database file): "
        f"check the owner and permissions of the file and of {path.parent}"
    )


async def test_a_file_that_is_not_a_database_is_refused_untouched(path: Path) -> None:
    garbage = b"these are someone's notes, not a database\n" * 100
    put(path, garbage)

    with pytest.raises(DatabaseCorrupt) as caught:
        await Database.open(path)
    assert str(caught.value) == (
        f"{path} is not a database or is damaged (file is not a database): restore it from a backup"
    )
    assert content_of(path) == garbage


async def test_a_damaged_database_is_refused(path: Path) -> None:
    path.parent.mkdir()
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
        connection.executemany("INSERT INTO note (text) VALUES (?)", [("x" * 200,)] * 500)
    connection.close()
    with path.open("r+b") as file:
        file.seek(5 * 4096)
        file.write(b"\xff" * 4096)  # one page of the table overwritten

    with pytest.raises(DatabaseCorrupt) as caught:
        await Database.open(path)
    message = str(caught.value)
    assert message.startswith(f"{path} is damaged (quick_check: ")
    assert message.endswith("): restore it from a backup")
    assert "\n" not in message


@pytest.mark.parametrize(("content", "state"), [(None, "missing"), (b"", "empty")])
async def test_a_database_lost_since_the_last_run_is_refused(
    path: Path, content: bytes | None, state: str
) -> None:
    session = path.parent / "session.json"
    if content is not None:
        put(path, content)

    with pytest.raises(DatabaseLost) as caught:
        await Database.open(path, expected_by=session)
    assert str(caught.value) == (
        f"{path} is {state} but the bot has run before (see {session}): restore the "
        "database from a backup, or remove session.json to start afresh"
    )
    assert content_of(path) == content


async def test_an_expected_database_opens_with_its_data(path: Path) -> None:
    first = await Database.open(path)
    async with first.transaction() as tx:
        await events.record_room_joined(tx, "!room:test", T0)
    await first.close()

    again = await Database.open(path, expected_by=path.parent / "session.json")
    try:
        async with again.transaction() as tx:
            assert await events.served_rooms(tx) == ["!room:test"]
    finally:
        await again.close()


async def test_an_empty_file_is_a_first_start_when_no_run_came_before(path: Path) -> None:
    put(path, b"")
    database = await Database.open(path)
    try:
        assert await version_of(database) == LATEST_VERSION
    finally:
        await database.close()


@pytest.mark.usefixtures("usual_umask")
async def test_a_new_database_is_private_with_its_wal_and_shm(
    path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = await Database.open(path)
    try:
        async with database.transaction() as tx:
            await events.record_room_joined(tx, "!room:test", T0)
        assert mode_of(path.parent) == 0o700
        for suffix in ("", "-wal", "-shm"):
            assert mode_of(path.with_name(path.name + suffix)) == 0o600, suffix
    finally:
        await database.close()

    with caplog.at_level(logging.WARNING):
        await (await Database.open(path)).close()
    assert caplog.records == []


@pytest.mark.usefixtures("usual_umask")
async def test_an_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    await (await Database.open(shared / "compagnon.sqlite3")).close()
    assert mode_of(shared) == 0o755


async def test_a_database_others_can_read_is_warned_about(
    path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    await (await Database.open(path)).close()
    os.chmod(path, 0o640)

    with caplog.at_level(logging.WARNING):
        await (await Database.open(path)).close()
    assert [record.getMessage() for record in caplog.records] == [
        f"{path} can be read by other users (mode 640): chmod 600 it to keep members' data private"
    ]


# --- write failures -------------------------------------------------------------------------


def raised_by(action: Callable[[], object]) -> BaseException:
    with pytest.raises(sqlite3.Error) as caught:
        action()
    return caught.value


async def test_a_full_disk_fails_the_write_and_leaves_the_database_usable(
    database: Database,
) -> None:
    big_room = "!" + "x" * 100_000 + ":test"
    async with database.transaction() as tx:
        pages = int(await tx.fetch_value("PRAGMA page_count"))
        await tx.execute(f"PRAGMA max_page_count = {pages}")  # SQLITE_FULL for real, past it

    async def join_the_big_room() -> None:
        async with database.transaction() as tx:
            await events.record_room_joined(tx, "!small:test", T0)
            await events.record_room_joined(tx, big_room, T0)

    with pytest.raises(sqlite3.OperationalError, match="full") as caught:
        await join_the_big_room()
    assert is_write_failure(caught.value)

    async with database.transaction() as tx:
        assert await events.count_rooms(tx) == 0
        await tx.execute(f"PRAGMA max_page_count = {pages * 1000}")
    await join_the_big_room()
    async with database.transaction() as tx:
        assert await events.count_rooms(tx) == 2


async def test_a_failed_commit_is_rolled_back(database: Database) -> None:
    async with database.transaction() as tx:
        await tx.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        await tx.execute(
            "CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) "
            "DEFERRABLE INITIALLY DEFERRED)"
        )

    async def join_with_an_orphan() -> None:
        async with database.transaction() as tx:
            await events.record_room_joined(tx, "!room:test", T0)
            await tx.execute("INSERT INTO child (parent_id) VALUES (1)")  # refused at COMMIT

    with pytest.raises(sqlite3.IntegrityError) as caught:
        await join_with_an_orphan()
    assert not is_write_failure(caught.value)

    async with database.transaction() as tx:
        assert await events.count_rooms(tx) == 0
        await events.record_room_joined(tx, "!room:test", T0)
    async with database.transaction() as tx:
        assert await events.count_rooms(tx) == 1


async def test_write_failures_are_told_from_bugs(database: Database, path: Path) -> None:
    read_only = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    holder = sqlite3.connect(path, isolation_level=None)
    impatient = sqlite3.connect(path, timeout=0, isolation_level=None)
    closed = sqlite3.connect(path)
    closed.close()
    try:
        holder.execute("BEGIN IMMEDIATE")
        write_failures = [
            raised_by(lambda: read_only.execute("DELETE FROM served_room")),
            raised_by(lambda: impatient.execute("BEGIN IMMEDIATE")),
            raised_by(lambda: sqlite3.connect(path.parent / "absent" / "x.sqlite3")),
        ]
        holder.execute("ROLLBACK")
        bugs = [
            raised_by(lambda: holder.execute("SELECT * FROM no_such_table")),
            raised_by(lambda: closed.execute("SELECT 1")),  # raised by Python: no result code
        ]
    finally:
        for connection in (read_only, holder, impatient):
            connection.close()

    assert [str(error) for error in write_failures] == [
        "attempt to write a readonly database",
        "database is locked",
        "unable to open database file",
    ]
    assert all(is_write_failure(error) for error in write_failures)
    assert not any(is_write_failure(error) for error in bugs)
    assert not is_write_failure(RuntimeError("database or disk is full"))
