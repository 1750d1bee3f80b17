"""The workshops' calendar: an iCalendar file the library reads back, from the store and from
``compagnon export --format ics`` (the database alone, no credential)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from bot.__main__ import main
from bot.i18n import Catalogue
from bot.i18n.types import Language
from bot.store import contributions, members, skills, workshops
from bot.store.database import Database, Transaction
from bot.store.workshops import NewWorkshop
from bot.workshop_calendar import calendar_file, upcoming_entries

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ROOM, OTHER_ROOM = "!room:test", "!other:test"
ALICE, BOB = "@alice:test", "@bob:test"
DOMAIN = "compagnon@test"


async def plan(tx: Transaction, now: datetime) -> None:
    """w1 Alice's woodworking in the room (4 places, the barn); w2 Bob's sewing elsewhere
    (no limit, nowhere said); w3 cancelled; w4 done; w5 begun an hour ago."""
    await members.seen(tx, ALICE, "Alice", now)
    await members.seen(tx, BOB, "Bob Martin", now)
    wood = await skills.create(tx, "woodworking", "menuiserie")
    sewing = await skills.create(tx, "sewing", "couture")

    async def add(
        room: str, host: str, skill: int, starts: timedelta, minutes: int = 120, **more: Any
    ) -> int:
        settings: dict[str, Any] = {"places": None, "place": "", "details": "", **more}
        found = await workshops.add(
            tx,
            NewWorkshop(
                room_id=room,
                host=host,
                skill_id=skill,
                starts_at=now + starts,
                minutes=minutes,
                created_at=now - timedelta(days=1),
                remind_at=None,
                **settings,
            ),
        )
        return found.id

    await add(
        ROOM,
        ALICE,
        wood,
        timedelta(days=5, hours=4),
        places=4,
        place="la grange",
        details="tabouret en chêne, ; et \\ compris",
    )
    await add(OTHER_ROOM, BOB, sewing, timedelta(days=2), minutes=90)
    cancelled = await add(ROOM, ALICE, wood, timedelta(days=3))
    await workshops.cancel(tx, cancelled, now, "la grange est inondée")
    done = await add(ROOM, ALICE, wood, timedelta(days=4))
    work = await contributions.add(tx, ALICE, 120, "", "w4", ALICE, ROOM, now)
    await workshops.finish(tx, done, now, "", [], work)
    await add(ROOM, ALICE, wood, -timedelta(hours=1))


async def written(
    database: Database, language: Language = "fr", room: str | None = None
) -> Calendar:
    async with database.transaction() as tx:
        await plan(tx, NOW)
        entries = await upcoming_entries(tx, NOW, room)
    data = calendar_file(entries, Catalogue(language), DOMAIN, NOW)
    # UTC times, as every calendar app reads them without a VTIMEZONE.
    assert b"DTSTART:20261107T130000Z\r\n" in data
    assert b"DTSTAMP:20261102T090000Z\r\n" in data
    return Calendar.from_ical(data)


def events_of(calendar: Calendar) -> dict[str, Any]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


async def test_every_upcoming_workshop_is_one_event_in_utc(database: Database) -> None:
    calendar = await written(database)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Compagnon//Workshops//FR"
    events = events_of(calendar)
    assert list(events) == ["w2.compagnon@test", "w1.compagnon@test"]  # soonest first
    woodworking = events["w1.compagnon@test"]
    starts = datetime(2026, 11, 7, 13, 0, tzinfo=UTC)
    assert woodworking.decoded("DTSTART") == starts
    assert woodworking.decoded("DTEND") == starts + timedelta(hours=2)
    assert woodworking.decoded("DTSTAMP") == NOW
    assert str(woodworking["SUMMARY"]) == "Atelier : menuiserie"
    assert str(woodworking["LOCATION"]) == "la grange"
    assert str(woodworking["DESCRIPTION"]).splitlines() == [
        "tabouret en chêne, ; et \\ compris",
        "Animé par Alice",
        "4 place(s)",
        "Atelier w1 : inscriptions dans le salon de la communauté",
    ]
    sewing = events["w2.compagnon@test"]
    assert sewing.decoded("DTEND") - sewing.decoded("DTSTART") == timedelta(minutes=90)
    assert "LOCATION" not in sewing
    assert str(sewing["DESCRIPTION"]).splitlines()[:2] == [
        "Animé par Bob Martin",
        "Places : sans limite",
    ]


async def test_in_english(database: Database) -> None:
    calendar = await written(database, "en")
    assert calendar["PRODID"] == "-//Compagnon//Workshops//EN"
    woodworking = events_of(calendar)["w1.compagnon@test"]
    assert str(woodworking["SUMMARY"]) == "Workshop: menuiserie"
    assert "Hosted by Alice" in str(woodworking["DESCRIPTION"])
    assert "Places: no limit" in str(events_of(calendar)["w2.compagnon@test"]["DESCRIPTION"])


async def test_one_rooms_calendar_leaves_the_others_out(database: Database) -> None:
    assert list(events_of(await written(database, room=ROOM))) == ["w1.compagnon@test"]


async def test_the_file_has_crlf_lines_and_a_forgotten_host_is_not_named(
    database: Database,
) -> None:
    async with database.transaction() as tx:
        await plan(tx, NOW)
        await workshops.forget_member(tx, ALICE)
        entries = await upcoming_entries(tx, NOW, ROOM)
    data = calendar_file(entries, Catalogue("fr"), DOMAIN, NOW)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    [event] = Calendar.from_ical(data).walk("VEVENT")
    assert "Animé par" not in str(event["DESCRIPTION"])


async def test_the_uid_stays_the_same_from_one_copy_to_the_next(database: Database) -> None:
    async with database.transaction() as tx:
        await plan(tx, NOW)
        early = await upcoming_entries(tx, NOW, ROOM)
        later = await upcoming_entries(tx, NOW + timedelta(days=1), ROOM)
    first = Calendar.from_ical(calendar_file(early, Catalogue("fr"), DOMAIN, NOW))
    second = Calendar.from_ical(
        calendar_file(later, Catalogue("fr"), DOMAIN, NOW + timedelta(days=1))
    )
    assert list(events_of(first)) == list(events_of(second)) == ["w1.compagnon@test"]


# --- compagnon export --format ics ----------------------------------------------------------

OFFLINE_CONFIG = """
[matrix]
homeserver = "http://127.0.0.1:1"
user_id = "@compagnon:example.org"

[bot]
language = "{language}"

[database]
path = "{database}"
"""


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("COMPAGNON_PASSWORD", "COMPAGNON_ACCESS_TOKEN", "CREDENTIALS_DIRECTORY"):
        monkeypatch.delenv(variable, raising=False)


def community(tmp_path: Path, language: Language = "en") -> Path:
    """A config without any credential, and a database planned from the real now: the
    command reads the system's clock."""
    database_path = tmp_path / "data" / "compagnon.sqlite3"

    async def create() -> None:
        database = await Database.open(database_path)
        try:
            async with database.transaction() as tx:
                await plan(tx, datetime.now(UTC).replace(microsecond=0))
        finally:
            await database.close()

    database_path.parent.mkdir()
    asyncio.run(create())
    config = tmp_path / "offline.toml"
    config.write_text(
        OFFLINE_CONFIG.format(language=language, database=database_path), encoding="utf-8"
    )
    return config


@pytest.mark.usefixtures("no_credentials")
def test_export_writes_every_rooms_calendar_without_credentials(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = community(tmp_path)
    target = tmp_path / "workshops.ics"
    arguments = ["export", "--config", str(config), "--format", "ics", "--output", str(target)]
    assert main(arguments) == 0
    assert capsys.readouterr() == ("", "")
    data = target.read_bytes()
    assert b"\r\n" in data
    assert b"\r\r\n" not in data
    events = events_of(Calendar.from_ical(data))
    # Cancelled (w3), done (w4) and begun (w5) are left out; both rooms are in.
    assert sorted(events) == ["w1.compagnon@example.org", "w2.compagnon@example.org"]
    assert str(events["w1.compagnon@example.org"]["SUMMARY"]) == "Workshop: menuiserie"


@pytest.mark.usefixtures("no_credentials")
def test_export_writes_the_calendar_to_stdout_in_french(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = community(tmp_path, "fr")
    assert main(["export", "--config", str(config), "--format", "ics"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    events = events_of(Calendar.from_ical(captured.out))
    assert str(events["w2.compagnon@example.org"]["SUMMARY"]) == "Atelier : couture"
