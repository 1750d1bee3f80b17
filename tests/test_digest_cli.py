"""``compagnon digest --preview``: the digest so far, in plain text, from the command line."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import bot.__main__
from bot.__main__ import main
from bot.store import contributions, listings, members, skills
from bot.store.database import Database
from tests.fakes import FakeClock

NOW = datetime(2026, 11, 4, 12, 0, tzinfo=UTC)  # Wednesday; the last run was Monday 08:00 UTC
ROOM = "!room:test"
CONFIG = """
[matrix]
homeserver = "http://127.0.0.1:1"
user_id = "@compagnon:test"
password = "secret"

[bot]
language = "en"

[database]
path = "data/compagnon.sqlite3"
"""


async def populate(path: Path) -> None:
    database = await Database.open(path)
    try:
        async with database.transaction() as tx:
            await members.seen(tx, "@alice:test", "Alice <3", NOW - timedelta(days=20))
            await members.seen(tx, "@bob:test", "Bob", NOW - timedelta(days=1))
            wood = await skills.create(tx, "woodworking", "Woodworking")
            await listings.add(
                tx, "offer", "@alice:test", wood, 4, "", ROOM, NOW - timedelta(days=9)
            )
            await listings.add(tx, "need", "@bob:test", wood, 1, "", ROOM, NOW - timedelta(days=1))
            await contributions.add(
                tx,
                "@alice:test",
                120,
                "habitat",
                "door",
                "@bob:test",
                ROOM,
                NOW - timedelta(hours=5),
            )
    finally:
        await database.close()


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    asyncio.run(populate(tmp_path / "data" / "compagnon.sqlite3"))
    monkeypatch.setattr(bot.__main__, "SystemClock", lambda: FakeClock(NOW))
    return path


def test_the_preview_prints_the_digest_so_far(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["digest", "--config", str(config_file), "--preview"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.splitlines() == [
        "Community digest, 2 November to 4 November 2026",
        "",
        "Welcome",
        "• Bob",
        "",
        "New needs",
        "• Bob wants to learn Woodworking (level 1) — n2",
        "",
        "Suggested pairs",
        "• Alice <3 could mentor Bob in Woodworking (o1 → n2)",
        "",
        "Work for the group: 2h in 1 contribution(s)",
        "• habitat: 2h in 1 contribution(s)",
        "",
        "Thanks given",
        "• Bob thanks Alice <3: door (2h)",
        "",
        "Preview: nothing is recorded. "
        "The next digest goes out on Monday 9 November 2026 at 09:00 (Europe/Paris).",
    ]


def test_preview_is_required(config_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["digest", "--config", str(config_file)])
    assert "--preview" in capsys.readouterr().err


def test_a_missing_database_is_an_error_not_a_new_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    assert main(["digest", "--config", str(path), "--preview"]) == 1
    assert "no database at" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()


def test_stored_escape_sequences_never_reach_the_terminal(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # As stored before the bot cleaned what members type: clear the screen, retitle the
    # terminal, reverse the line, go back to its start.
    with closing(sqlite3.connect(config_file.parent / "data" / "compagnon.sqlite3")) as db, db:
        db.execute(
            "UPDATE member SET display_name = ? WHERE user_id = ?",
            ("\x1b[2J\x1b]0;pwned\x07Bob\u202e", "@bob:test"),
        )
        db.execute("UPDATE contribution SET what = ?", ("do\x9b31mor\r\x00",))
    assert main(["digest", "--config", str(config_file), "--preview"]) == 0
    out = capsys.readouterr().out
    assert {"\x1b", "\x07", "\x9b", "\u202e", "\r", "\x00"}.isdisjoint(out)
    assert "• Bob thanks Alice <3: door (2h)" in out.splitlines()
