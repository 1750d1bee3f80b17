"""Workshops and who signed up: the places go to the first to sign up, in order; those
beyond them wait, and move up in the same order when someone leaves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.ledger import Ref, RefKind
from bot.store.database import Row, Transaction, read_time, stored_time


@dataclass(frozen=True)
class Workshop:
    id: int
    room_id: str
    host: str | None  # None once the host asked to be forgotten
    skill_id: int
    skill_name: str
    starts_at: datetime
    minutes: int
    places: int | None  # None: as many as come
    place: str
    details: str
    created_at: datetime
    announce_event: str | None
    cancelled_at: datetime | None
    cancel_reason: str
    done_at: datetime | None
    made: str
    contribution_id: int | None
    remind_at: datetime | None
    reminder_event: str | None

    @property
    def ref(self) -> Ref:
        return Ref(RefKind.WORKSHOP, self.id)

    @property
    def is_upcoming(self) -> bool:
        """Neither cancelled nor done (it may have begun: the host closes the loop after)."""
        return self.cancelled_at is None and self.done_at is None


@dataclass(frozen=True)
class NewWorkshop:
    room_id: str
    host: str
    skill_id: int
    starts_at: datetime
    minutes: int
    places: int | None
    place: str
    details: str
    created_at: datetime
    remind_at: datetime | None


@dataclass(frozen=True)
class Signups:
    """Who is in, in order, and who waits, in order."""

    coming: list[str]
    waiting: list[str]


_SELECT = """
    SELECT workshop.*, skill.name AS skill_name
    FROM workshop JOIN skill ON skill.id = workshop.skill_id
"""


def _workshop(row: Row) -> Workshop:
    return Workshop(
        id=row["id"],
        room_id=row["room_id"],
        host=row["host"],
        skill_id=row["skill_id"],
        skill_name=row["skill_name"],
        starts_at=datetime.fromisoformat(row["starts_at"]),
        minutes=row["minutes"],
        places=row["places"],
        place=row["place"],
        details=row["details"],
        created_at=datetime.fromisoformat(row["created_at"]),
        announce_event=row["announce_event"],
        cancelled_at=read_time(row["cancelled_at"]),
        cancel_reason=row["cancel_reason"],
        done_at=read_time(row["done_at"]),
        made=row["made"],
        contribution_id=row["contribution_id"],
        remind_at=read_time(row["remind_at"]),
        reminder_event=row["reminder_event"],
    )


async def add(tx: Transaction, new: NewWorkshop) -> Workshop:
    number = await tx.insert(
        "INSERT INTO workshop (room_id, host, skill_id, starts_at, minutes, places, place,"
        " details, created_at, remind_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new.room_id,
            new.host,
            new.skill_id,
            stored_time(new.starts_at),
            new.minutes,
            new.places,
            new.place,
            new.details,
            stored_time(new.created_at),
            None if new.remind_at is None else stored_time(new.remind_at),
        ),
    )
    found = await get(tx, number)
    assert found is not None
    return found


async def get(tx: Transaction, workshop_id: int) -> Workshop | None:
    row = await tx.fetch_one(_SELECT + " WHERE workshop.id = ?", (workshop_id,))
    return None if row is None else _workshop(row)


async def by_announcement(tx: Transaction, event_id: str) -> Workshop | None:
    row = await tx.fetch_one(_SELECT + " WHERE workshop.announce_event = ?", (event_id,))
    return None if row is None else _workshop(row)


async def set_announcement(tx: Transaction, workshop_id: int, event_id: str) -> None:
    await tx.execute(
        "UPDATE workshop SET announce_event = ? WHERE id = ? AND announce_event IS NULL",
        (event_id, workshop_id),
    )


async def upcoming(
    tx: Transaction, since: datetime, room_id: str | None = None, until: datetime | None = None
) -> list[Workshop]:
    """Neither cancelled nor done, starting from ``since`` (up to ``until``), soonest first."""
    rows = await tx.fetch_all(
        _SELECT + " WHERE cancelled_at IS NULL AND done_at IS NULL AND starts_at >= ?1"
        " AND (?2 IS NULL OR room_id = ?2) AND (?3 IS NULL OR starts_at < ?3)"
        " ORDER BY starts_at, workshop.id",
        (stored_time(since), room_id, None if until is None else stored_time(until)),
    )
    return [_workshop(row) for row in rows]


async def done_between(tx: Transaction, since: datetime, until: datetime) -> list[Workshop]:
    rows = await tx.fetch_all(
        _SELECT + " WHERE done_at IS NOT NULL AND starts_at >= ? AND starts_at < ?"
        " ORDER BY starts_at, workshop.id",
        (stored_time(since), stored_time(until)),
    )
    return [_workshop(row) for row in rows]


async def signups(tx: Transaction, workshop: Workshop) -> Signups:
    rows = await tx.fetch_all(
        "SELECT member FROM signup WHERE workshop_id = ? ORDER BY signed_at, member",
        (workshop.id,),
    )
    everyone = [row[0] for row in rows]
    places = len(everyone) if workshop.places is None else workshop.places
    return Signups(everyone[:places], everyone[places:])


async def sign_up(
    tx: Transaction, workshop_id: int, member: str, at: datetime, via_event: str | None = None
) -> bool:
    """False if the member had signed up already."""
    changed = await tx.execute(
        "INSERT INTO signup (workshop_id, member, signed_at, via_event) VALUES (?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        (workshop_id, member, stored_time(at), via_event),
    )
    return changed > 0


async def leave(tx: Transaction, workshop: Workshop, member: str) -> list[str] | None:
    """Take the member off; who moved up from the waitlist into the places as a result,
    in order, or None when the member had not signed up."""
    before = await signups(tx, workshop)
    left = await tx.execute(
        "DELETE FROM signup WHERE workshop_id = ? AND member = ?", (workshop.id, member)
    )
    if not left:
        return None
    after = await signups(tx, workshop)
    return [each for each in after.coming if each not in before.coming]


async def signup_by_reaction(tx: Transaction, event_id: str) -> tuple[int, str] | None:
    """The workshop and member a reaction signed up, if it did."""
    row = await tx.fetch_one(
        "SELECT workshop_id, member FROM signup WHERE via_event = ?", (event_id,)
    )
    return None if row is None else (row[0], row[1])


async def cancel(tx: Transaction, workshop_id: int, at: datetime, reason: str) -> bool:
    return (
        await tx.execute(
            "UPDATE workshop SET cancelled_at = ?, cancel_reason = ? WHERE id = ?"
            " AND cancelled_at IS NULL AND done_at IS NULL",
            (stored_time(at), reason, workshop_id),
        )
        > 0
    )


async def finish(
    tx: Transaction,
    workshop_id: int,
    at: datetime,
    made: str,
    attendees: Sequence[str],
    contribution_id: int,
) -> bool:
    """Done once: the attendees marked (signed up or not), the host's contribution kept."""
    changed = await tx.execute(
        "UPDATE workshop SET done_at = ?, made = ?, contribution_id = ? WHERE id = ?"
        " AND cancelled_at IS NULL AND done_at IS NULL",
        (stored_time(at), made, contribution_id, workshop_id),
    )
    if not changed:
        return False
    await tx.executemany(
        "INSERT INTO signup (workshop_id, member, signed_at, attended) VALUES (?, ?, ?, 1)"
        " ON CONFLICT (workshop_id, member) DO UPDATE SET attended = 1",
        ((workshop_id, member, stored_time(at)) for member in attendees),
    )
    return True


async def hosted_by(tx: Transaction, member: str) -> list[Workshop]:
    rows = await tx.fetch_all(
        _SELECT + " WHERE host = ? ORDER BY starts_at DESC, workshop.id DESC", (member,)
    )
    return [_workshop(row) for row in rows]


async def attended_by(tx: Transaction, member: str) -> list[Workshop]:
    rows = await tx.fetch_all(
        _SELECT + " JOIN signup ON signup.workshop_id = workshop.id"
        " WHERE signup.member = ? AND signup.attended ORDER BY starts_at DESC",
        (member,),
    )
    return [_workshop(row) for row in rows]


async def signed_up_by(tx: Transaction, member: str, since: datetime) -> list[Workshop]:
    """Upcoming workshops the member signed up for (coming or waiting), soonest first."""
    rows = await tx.fetch_all(
        _SELECT + " JOIN signup ON signup.workshop_id = workshop.id"
        " WHERE signup.member = ? AND cancelled_at IS NULL AND done_at IS NULL"
        " AND starts_at >= ? ORDER BY starts_at",
        (member, stored_time(since)),
    )
    return [_workshop(row) for row in rows]


async def reminders_due(tx: Transaction) -> list[Workshop]:
    rows = await tx.fetch_all(
        _SELECT + " WHERE remind_at IS NOT NULL AND reminder_event IS NULL"
        " AND cancelled_at IS NULL AND done_at IS NULL AND announce_event IS NOT NULL"
        " ORDER BY remind_at"
    )
    return [_workshop(row) for row in rows]


async def owe_reminder(tx: Transaction, workshop_id: int, at: datetime) -> None:
    await tx.execute(
        "UPDATE workshop SET reminded_at = coalesce(reminded_at, ?) WHERE id = ?",
        (stored_time(at), workshop_id),
    )


async def reminder_sent(tx: Transaction, workshop_id: int, event_id: str) -> None:
    await tx.execute("UPDATE workshop SET reminder_event = ? WHERE id = ?", (event_id, workshop_id))


async def forget_member(tx: Transaction, member: str) -> int:
    """Their sign-ups go; the workshops they hosted stay for those who came, without host."""
    await tx.execute("DELETE FROM signup WHERE member = ?", (member,))
    return await tx.execute("UPDATE workshop SET host = NULL WHERE host = ?", (member,))
