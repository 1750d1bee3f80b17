"""``compagnon export``: the whole ledger as JSON or CSV, from the command line."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.__main__ import main
from bot.domain.tally import FinalResult
from bot.export import CSV_COLUMNS
from bot.store import contributions, listings, members, personal, polls, skills
from bot.store.database import Database, Transaction
from bot.store.polls import NewPoll

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ROOM = "!room:test"
ALICE, BOB = "@alice:test", "@bob:test"
CONFIG = """
[matrix]
homeserver = "http://127.0.0.1:1"
user_id = "@compagnon:test"
password = "secret"

[database]
path = "data/compagnon.sqlite3"
"""


async def populate(path: Path) -> None:
    """Two members; an offer, a withdrawn need, work confirmed by a witness since forgotten;
    a closed poll and a secret one still open, with votes by all three."""
    database = await Database.open(path)
    try:
        async with database.transaction() as tx:
            await members.seen(tx, ALICE, "Alice", T0)
            await members.seen(tx, BOB, "=Bob", T0 + timedelta(minutes=1))
            wood = await skills.create(tx, "woodworking", "Woodworking")
            await listings.add(tx, "offer", ALICE, wood, 4, "=HYPERLINK(1)", ROOM, T0)
            need = await listings.add(tx, "need", BOB, wood, 1, "", ROOM, T0 + timedelta(hours=2))
            await listings.withdraw(tx, need, T0 + timedelta(days=1))
            work = await contributions.add(
                tx, BOB, 90, "habitat", "door", BOB, ROOM, T0 + timedelta(hours=1)
            )
            await contributions.confirm(tx, work, "@chloe:test", T0 + timedelta(hours=3))
            await contributions.add(tx, ALICE, None, "", "tea", BOB, ROOM, T0 + timedelta(hours=4))
            await populate_polls(tx)
            await personal.forget(tx, "@chloe:test", T0 + timedelta(hours=5))
    finally:
        await database.close()


def new_poll(creator: str, question: str, answers: tuple[str, ...], **options: Any) -> NewPoll:
    settings: dict[str, Any] = {
        "max_selections": 1,
        "secret": False,
        "equal": False,
        "domain": None,
        "opened_at": T0,
        "closes_at": T0 + timedelta(days=7),
        **options,
    }
    return NewPoll(room_id=ROOM, creator=creator, question=question, answers=answers, **settings)


async def populate_polls(tx: Transaction) -> None:
    """Bob's poll, closed, weighted; Alice's, secret and open; Chloé voted in the first."""
    yard = await polls.open_poll(
        tx, new_poll(BOB, "Paint the yard?", ("yes", "no", "later"), domain="habitat"), {BOB: 1.5}
    )
    await polls.set_start_event(tx, yard.id, "$yard")
    votes = ((ALICE, ["1"], 1), (BOB, ["3"], 2), ("@chloe:test", ["1"], 3), (ALICE, ["2"], 4))
    for number, (voter, answers, minutes) in enumerate(votes, 1):
        at = T0 + timedelta(minutes=minutes)
        await polls.record_response(tx, yard.id, f"$vote{number}", voter, answers, at)
    await polls.redact_response(tx, "$vote4")  # Alice took her change back: "yes" counts
    await polls.close(
        tx, yard.id, T0 + timedelta(hours=1), FinalResult(3, 3.5, (2, 0, 1), (2.0, 0.0, 1.5))
    )
    await polls.set_end_event(tx, yard.id, "$yard-end")
    secret = await polls.open_poll(
        tx,
        new_poll(
            ALICE,
            "=Who cooks?",
            ("me", "you"),
            max_selections=2,
            secret=True,
            equal=True,
            opened_at=T0 + timedelta(hours=2),
            closes_at=T0 + timedelta(days=3),
        ),
        {},
    )
    await polls.set_start_event(tx, secret.id, "$secret")
    await polls.record_response(tx, secret.id, "$vote5", BOB, ["2"], T0 + timedelta(hours=3))


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    asyncio.run(populate(tmp_path / "data" / "compagnon.sqlite3"))
    return path


def exported(capsys: pytest.CaptureFixture[str], *arguments: str) -> str:
    assert main(["export", *arguments]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def test_json_holds_the_whole_ledger(config_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document: dict[str, Any] = json.loads(exported(capsys, "--config", str(config_file)))
    assert list(document) == [
        "schema_version",
        "exported_at",
        "members",
        "skills",
        "offers",
        "needs",
        "contributions",
        "polls",
    ]
    assert document["schema_version"] == 1
    assert datetime.fromisoformat(document["exported_at"]).tzinfo is not None
    assert document["members"] == [
        {
            "user_id": ALICE,
            "display_name": "Alice",
            "first_seen": "2026-11-02T09:00:00+00:00",
            "poll_reminders": True,
        },
        {
            "user_id": BOB,
            "display_name": "=Bob",
            "first_seen": "2026-11-02T09:01:00+00:00",
            "poll_reminders": True,
        },
    ]
    assert document["skills"] == [{"id": 1, "key": "woodworking", "name": "Woodworking"}]
    assert [(o["ref"], o["member"], o["level"]) for o in document["offers"]] == [("o1", ALICE, 4)]
    [need] = document["needs"]
    assert (need["ref"], need["withdrawn_at"]) == ("n2", "2026-11-03T09:00:00+00:00")
    door, tea = document["contributions"]
    assert (door["ref"], door["member"], door["minutes"], door["domain"]) == (
        "c1",
        BOB,
        90,
        "habitat",
    )
    assert door["confirmed"] is False  # its witness was forgotten since
    assert door["confirmations"] == [
        {"confirmer": None, "confirmed_at": "2026-11-02T12:00:00+00:00", "via_event": None}
    ]
    assert (tea["ref"], tea["domain"], tea["minutes"], tea["confirmed"]) == (
        "c2",
        None,
        None,
        False,
    )


def test_csv_is_one_table_in_recording_order(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = exported(capsys, "--config", str(config_file), "--format", "csv")
    assert out.startswith("type,ref,member,member_name,skill,level,hours,domain,details,")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(row["type"], row["ref"]) for row in rows] == [
        ("offer", "o1"),
        ("contribution", "c1"),
        ("need", "n2"),
        ("contribution", "c2"),
    ]
    offer, door, need, tea = rows
    assert offer == {
        "type": "offer",
        "ref": "o1",
        "member": ALICE,
        "member_name": "Alice",
        "skill": "Woodworking",
        "level": "4",
        "hours": "",
        "domain": "",
        "details": "'=HYPERLINK(1)",  # what members typed never runs as a formula
        "recorded_by": "",
        "created_at": "2026-11-02T09:00:00+00:00",
        "status": "open",
        "withdrawn_at": "",
        "confirmations": "",
    }
    assert (door["member_name"], door["hours"], door["domain"], door["details"]) == (
        "'=Bob",
        "1.5",
        "habitat",
        "door",
    )
    assert (door["status"], door["confirmations"], door["recorded_by"]) == ("pending", "0", BOB)
    assert (need["status"], need["withdrawn_at"]) == ("withdrawn", "2026-11-03T09:00:00+00:00")
    assert (tea["hours"], tea["status"], tea["confirmations"]) == ("", "pending", "0")


def test_output_goes_to_a_file_when_asked(
    config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "ledger.csv"
    assert (
        exported(capsys, "--config", str(config_file), "--format", "csv", "--output", str(target))
        == ""
    )
    assert target.read_bytes().startswith(b"type,ref,member,member_name,skill,level,hours,")
    assert b"\r\n" in target.read_bytes()
    assert b"\r\r\n" not in target.read_bytes()


def test_an_unwritable_output_is_a_clean_error(
    config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no such folder" / "ledger.json"
    assert main(["export", "--config", str(config_file), "--output", str(target)]) == 1
    assert capsys.readouterr().err.startswith(f"compagnon: cannot write {target}: ")


@pytest.mark.parametrize("content", [None, "[matrix\n", '[matrix]\nhomeserver = "ftp://x"\n'])
def test_a_bad_config_gets_the_same_error_as_check_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None
) -> None:
    path = tmp_path / "config.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main(["check-config", "--config", str(path)]) == 2
    checked = capsys.readouterr()
    assert main(["export", "--config", str(path)]) == 2
    assert capsys.readouterr() == checked
    assert checked.err.startswith(f"{path}: invalid configuration:")


def test_a_missing_database_is_reported_and_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    assert main(["export", "--config", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"compagnon: no database at {tmp_path / 'data' / 'compagnon.sqlite3'}: "
        "check database.path in the config\n"
    )
    assert not (tmp_path / "data").exists()


def test_an_empty_ledger_exports_empty_lists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    asyncio.run(_create_empty(tmp_path / "data" / "compagnon.sqlite3"))
    document = json.loads(exported(capsys, "--config", str(path)))
    assert [document[key] for key in ("members", "skills", "offers", "needs")] == [[], [], [], []]
    assert document["contributions"] == document["polls"] == []
    csv_out = exported(capsys, "--config", str(path), "--format", "csv")
    assert csv_out.splitlines() == [",".join(CSV_COLUMNS)]


async def _create_empty(path: Path) -> None:
    await (await Database.open(path)).close()


def test_json_holds_the_polls_with_their_results_but_never_a_ballot(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = exported(capsys, "--config", str(config_file))
    yard, secret = json.loads(out)["polls"]
    assert yard == {
        "ref": "p1",
        "room_id": ROOM,
        "creator": BOB,
        "question": "Paint the yard?",
        "answers": ["yes", "no", "later"],
        "max_selections": 1,
        "secret": False,
        "equal": False,
        "domain": "habitat",
        "opened_at": "2026-11-02T09:00:00+00:00",
        "closes_at": "2026-11-09T09:00:00+00:00",
        "closed_at": "2026-11-02T10:00:00+00:00",
        "start_event": "$yard",
        "end_event": "$yard-end",
        "responses": 3,  # Chloé, forgotten, is in the result alone
        "respondents": 2,
        "result": {
            "voters": 3,
            "total_weight": 3.5,
            "answers": [
                {"number": 1, "answer": "yes", "voters": 2, "weight": 2.0},
                {"number": 2, "answer": "no", "voters": 0, "weight": 0.0},
                {"number": 3, "answer": "later", "voters": 1, "weight": 1.5},
            ],
        },
    }
    # Still open and secret: how many answered, not what; one member, one vote.
    assert (secret["ref"], secret["creator"], secret["question"]) == ("p2", ALICE, "=Who cooks?")
    assert (secret["secret"], secret["equal"], secret["max_selections"]) == (True, True, 2)
    assert (secret["closed_at"], secret["end_event"], secret["result"]) == (None, None, None)
    assert (secret["responses"], secret["respondents"]) == (1, 1)
    # Who voted what is nobody's business: no response, voter or frozen weight is exported.
    assert "$vote" not in out
    assert "forgotten:" not in out


def test_csv_leaves_polls_to_the_json(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = exported(capsys, "--config", str(config_file), "--format", "csv")
    assert {row["type"] for row in csv.DictReader(io.StringIO(out))} == {
        "offer",
        "need",
        "contribution",
    }


def store_directly(config_file: Path, sql: str, *values: str) -> None:
    """Write as the bot did before it cleaned what members type: old data."""
    with closing(sqlite3.connect(config_file.parent / "data" / "compagnon.sqlite3")) as db, db:
        db.execute(sql, values)


# Clears the screen, retitles the terminal, hides a link, reverses the line, returns the carriage.
OLD_DATA = "\x1b[2J\x1b]0;pwned\x07\x1b]8;;https://evil.example\x1b\\\u202e\x9b31m\r"


def test_csv_cells_carry_no_escape_sequence_and_never_a_formula(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store_directly(config_file, "UPDATE listing SET details = ? WHERE id = 1", OLD_DATA + "=1+1")
    store_directly(config_file, "UPDATE member SET display_name = ?", "\r-2+3")
    store_directly(
        config_file, "UPDATE contribution SET what = ?, domain = ?", "\t@SUM(A1)", "+1\x00"
    )
    out = exported(capsys, "--config", str(config_file), "--format", "csv")
    assert {"\x1b", "\x07", "\x9b", "\u202e", "\x00"}.isdisjoint(out)
    assert "\r" not in out.replace("\r\n", "")
    offer, door, *_ = csv.DictReader(io.StringIO(out))
    assert (offer["details"], offer["member_name"]) == ("'=1+1", "'-2+3")
    assert (door["details"], door["domain"]) == ("'\t@SUM(A1)", "'+1")


def test_json_writes_control_and_invisible_characters_as_escapes(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store_directly(config_file, "UPDATE listing SET details = ? WHERE id = 1", OLD_DATA)
    out = exported(capsys, "--config", str(config_file))
    assert {"\x1b", "\x07", "\x9b", "\u202e", "\r"}.isdisjoint(out)
    assert json.loads(out)["offers"][0]["details"] == OLD_DATA  # the same data, shown safely
