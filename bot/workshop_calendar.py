"""The upcoming workshops as an iCalendar file (RFC 5545), for members' calendar apps.

One event per workshop neither cancelled nor done, starting from now: times in UTC (each app
shows them in its own zone), the text in the community's language. ``compagnon export
--format ics`` writes every room's; ``!workshops ics`` sends a member their room's.

The file is made with ``icalendar``, imported only when a calendar is made: a bot may go
weeks without making one, and need not load it to start.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Config
from bot.domain.text import printable
from bot.i18n import Catalogue
from bot.store import members, workshops
from bot.store.database import Database, Transaction, existing
from bot.store.workshops import Workshop

if TYPE_CHECKING:
    from icalendar import Event


@dataclass(frozen=True)
class Entry:
    """A workshop and its host's name as the member table has it; None once forgotten."""

    workshop: Workshop
    host_name: str | None


async def upcoming_entries(
    tx: Transaction, since: datetime, room_id: str | None = None
) -> list[Entry]:
    """Workshops neither cancelled nor done, starting from ``since`` (in one room, or all)."""
    found = await workshops.upcoming(tx, since, room_id)
    hosts = sorted({each.host for each in found if each.host is not None})
    names = await members.display_names(tx, hosts)
    return [
        Entry(each, None if each.host is None else names.get(each.host, each.host))
        for each in found
    ]


def uid_domain(config: Config) -> str:
    """What follows a workshop's number in its event's UID: the bot's account, so that two
    bots on one homeserver never give two workshops one UID (``compagnon@example.org``)."""
    localpart, _, server = config.matrix.user_id.removeprefix("@").partition(":")
    return f"{localpart}@{server}"


def calendar_file(entries: list[Entry], t: Catalogue, domain: str, at: datetime) -> bytes:
    """The iCalendar file, CRLF line endings and folding as ``icalendar`` writes them;
    ``at`` is every event's DTSTAMP (when this copy was made)."""
    from icalendar import Calendar  # not at start-up: see the module's doc

    calendar = Calendar()
    calendar.add("prodid", f"-//Compagnon//Workshops//{t.language.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = t.raw("workshops.ics_name")
    calendar.add("name", name)  # RFC 7986
    calendar.add("x-wr-calname", name)  # what Apple's and Google's calendars read
    for entry in entries:
        if entry.workshop.is_upcoming:  # a cancelled (or done) one is never in the file
            calendar.add_component(_event(entry, t, domain, at))
    written: bytes = calendar.to_ical()  # untyped in icalendar 7
    return written


def _event(entry: Entry, t: Catalogue, domain: str, at: datetime) -> Event:
    from icalendar import Event

    found = entry.workshop
    starts = found.starts_at.astimezone(UTC)
    event = Event()
    event.add("uid", f"{found.ref}.{domain}")
    event.add("dtstamp", at.astimezone(UTC))
    event.add("created", found.created_at.astimezone(UTC))
    event.add("dtstart", starts)
    event.add("dtend", starts + timedelta(minutes=found.minutes))
    event.add("summary", t("workshops.ics_summary", skill=_line(found.skill_name)).plain)
    if found.place:
        event.add("location", _line(found.place))
    event.add("description", _description(entry, t))
    event.add("status", "CONFIRMED")
    return event


def _description(entry: Entry, t: Catalogue) -> str:
    found = entry.workshop
    lines = []
    if found.details:
        lines.append(printable(found.details).strip())
    if entry.host_name is not None:
        lines.append(t("workshops.ics_host", host=_line(entry.host_name)).plain)
    lines.append(
        t("workshops.ics_places", places=found.places).plain
        if found.places is not None
        else t("workshops.ics_open").plain
    )
    lines.append(t("workshops.ics_ref", ref=str(found.ref)).plain)
    return "\n".join(line for line in lines if line)


def _line(text: str) -> str:
    """Members' text on one line, without escape sequences nor invisible characters."""
    return " ".join(printable(text).split())


def export_calendar(config: Config, at: datetime) -> str:
    """Every room's upcoming workshops, from the configured database (never created)."""
    entries = asyncio.run(_read(existing(config.database.path), at))
    return calendar_file(entries, config.catalogue(), uid_domain(config), at).decode("utf-8")


async def _read(path: Path, at: datetime) -> list[Entry]:
    database = await Database.open(path)
    try:
        async with database.transaction() as tx:
            return await upcoming_entries(tx, at)
    finally:
        await database.close()
