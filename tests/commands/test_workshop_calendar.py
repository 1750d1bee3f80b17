"""``!workshops ics`` (``!ateliers ics``): the room's upcoming workshops as a calendar file,
sent to the member privately, as ``!mydata`` sends its file."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from bot.store import workshops
from bot.store.workshops import NewWorkshop
from tests.commands.conftest import ALICE, BOB, Harness

SATURDAY_2PM = datetime(2026, 11, 7, 13, 0, tzinfo=UTC)  # 14:00 in Paris


async def planned(bot: Harness, number: int) -> NewWorkshop:
    """Workshop ``number`` as it was planned, to plan it again."""
    async with bot.database.transaction() as tx:
        found = await workshops.get(tx, number)
    assert found is not None
    assert found.host is not None
    return NewWorkshop(
        room_id=found.room_id,
        host=found.host,
        skill_id=found.skill_id,
        starts_at=found.starts_at,
        minutes=found.minutes,
        places=found.places,
        place=found.place,
        details=found.details,
        created_at=found.created_at,
        remind_at=None,
    )


async def test_the_calendar_is_sent_privately_with_the_rooms_upcoming_workshops(
    fr: Harness,
) -> None:
    await fr.answer(
        '!atelier samedi 14h menuiserie --places 2 --lieu "la grange" : tabouret', ALICE
    )
    await fr.answer("!atelier dimanche 10h couture", BOB)
    await fr.answer("!atelier annuler w2", BOB)
    elsewhere = replace(await planned(fr, 1), room_id="!other:test")
    async with fr.database.transaction() as tx:
        await workshops.add(tx, elsewhere)  # w3, in another room
    reply = await fr.say("!ateliers ics", BOB)
    assert reply is not None
    assert reply.text.plain == (
        "Je vous envoie le calendrier en message privé, Bob : "
        "le fichier compagnon-workshops-2026-11-02.ics."
    )
    [sent] = fr.transport.files
    assert (sent.user_id, sent.filename) == (BOB, "compagnon-workshops-2026-11-02.ics")
    assert sent.text.startswith("Les ateliers à venir du salon, au format iCalendar")
    [event] = Calendar.from_ical(sent.data).walk("VEVENT")  # w2 cancelled, w3 elsewhere
    assert str(event["UID"]) == "w1.compagnon@test"
    assert str(event["SUMMARY"]) == "Atelier : menuiserie"
    assert str(event["LOCATION"]) == "la grange"
    assert event.decoded("DTSTART") == SATURDAY_2PM
    assert event.decoded("DTEND") == SATURDAY_2PM + timedelta(hours=2)
    assert str(event["DESCRIPTION"]).splitlines()[:3] == [
        "tabouret",
        "Animé par Alice",
        "2 place(s)",
    ]


async def test_in_english_with_its_other_spellings(en: Harness) -> None:
    await en.answer("!workshop sat 2pm woodworking", ALICE)
    for typed in ("!workshops ics", "!workshops calendar", "!ateliers ICS"):
        assert (await en.answer(typed, BOB)).startswith("I am sending you the calendar privately")
    assert len(en.transport.files) == 3
    [event] = Calendar.from_ical(en.transport.files[0].data).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Workshop: woodworking"
    assert "Hosted by Alice" in str(event["DESCRIPTION"])


async def test_no_upcoming_workshop_sends_no_file(fr: Harness) -> None:
    assert await fr.answer("!ateliers ics") == "Aucun atelier à venir dans ce salon."
    assert fr.transport.files == []


async def test_the_list_itself_is_unchanged(fr: Harness) -> None:
    await fr.answer("!atelier samedi 14h menuiserie", ALICE)
    assert (await fr.answer("!ateliers")).splitlines()[1].startswith("w1 menuiserie — samedi")
    assert fr.transport.files == []


async def test_help_shows_the_sub_command(fr: Harness) -> None:
    assert "!ateliers ics" in await fr.answer("!aide ateliers")


async def test_when_the_file_cannot_be_sent_the_member_is_told(
    en: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def refuse(user_id: str, filename: str, data: bytes, text: str) -> None:
        raise TimeoutError("the homeserver is away")

    await en.answer("!workshop sat 2pm woodworking", ALICE)
    monkeypatch.setattr(en.transport, "send_file_privately", refuse)
    with caplog.at_level(logging.ERROR):
        replies = await en.send(en.message("!workshops ics", BOB))
    assert len(replies) == 2
    assert replies[0].text.plain.startswith("I am sending you the calendar privately")
    failure = replies[1].text.plain
    assert failure.startswith("I could not send you the calendar privately (ref ")
    assert replies[1].in_reply_to == replies[0].in_reply_to
    ref = failure.split("(ref ")[1].split(")")[0]
    assert any(ref in record.getMessage() for record in caplog.records)
