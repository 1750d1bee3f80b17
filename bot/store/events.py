"""Which events the bot has already acted on, and since when it serves each room."""

from datetime import datetime
from enum import StrEnum

from bot.messages import ServedRoom
from bot.store import intake
from bot.store.database import Transaction, read_time


async def is_handled(tx: Transaction, event_id: str) -> bool:
    return (
        await tx.fetch_one("SELECT 1 FROM handled_event WHERE event_id = ?", (event_id,))
        is not None
    )


class Outcome(StrEnum):
    """How a command went, for what an edit of it does."""

    DONE = "done"
    FAILED = "failed"  # refused or misunderstood: it changed nothing
    HINTED = "hinted"  # done, and its edit was told edits are not run again


async def claim(
    tx: Transaction, event_id: str, room_id: str, at: datetime, outcome: Outcome | None = None
) -> bool:
    """Record the event as handled, and off the intake; False if it already was. Rolled back
    with its transaction."""
    await intake.settle(tx, event_id)
    changed = await tx.execute(
        "INSERT INTO handled_event (event_id, room_id, handled_at, outcome) VALUES (?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        (event_id, room_id, at.isoformat(), outcome),
    )
    return changed > 0


async def outcome(tx: Transaction, event_id: str) -> Outcome | None:
    """How the command went; None when the bot has no trace of it (never a command, or
    handled too long ago). Handled before outcomes were kept: done."""
    row = await tx.fetch_one("SELECT outcome FROM handled_event WHERE event_id = ?", (event_id,))
    if row is None:
        return None
    return Outcome(row[0] or Outcome.DONE)


async def set_outcome(tx: Transaction, event_id: str, outcome: Outcome) -> None:
    await tx.execute("UPDATE handled_event SET outcome = ? WHERE event_id = ?", (outcome, event_id))


async def recorded_sender(tx: Transaction, event_id: str, room_id: str) -> str | None:
    """Who sent ``event_id``, if the bot keeps a record made from it in ``room_id`` that its
    redaction undoes (a ✅ confirmation, a vote, a 🙋 sign-up); None if it keeps none there."""
    sender = await tx.fetch_value(
        "SELECT confirmer FROM confirmation"
        " JOIN contribution ON contribution.id = confirmation.contribution_id"
        " WHERE confirmation.via_event = ?1 AND contribution.room_id = ?2"
        " UNION ALL SELECT voter FROM poll_response JOIN poll ON poll.id = poll_response.poll_id"
        " WHERE poll_response.event_id = ?1 AND poll.room_id = ?2"
        " UNION ALL SELECT member FROM signup JOIN workshop ON workshop.id = signup.workshop_id"
        " WHERE signup.via_event = ?1 AND workshop.room_id = ?2",
        (event_id, room_id),
    )
    return None if sender is None else str(sender)


async def count_handled_since(tx: Transaction, since: datetime) -> int:
    return int(
        await tx.fetch_value(
            "SELECT count(*) FROM handled_event WHERE handled_at >= ?", (since.isoformat(),)
        )
    )


async def forget_handled_before(tx: Transaction, before: datetime) -> int:
    """Old ids can go: events older than the offline grace are never answered anyway."""
    return await tx.execute("DELETE FROM handled_event WHERE handled_at < ?", (before.isoformat(),))


async def room_joined_at(tx: Transaction, room_id: str) -> datetime | None:
    value = await tx.fetch_value("SELECT joined_at FROM served_room WHERE room_id = ?", (room_id,))
    return read_time(value)


async def record_room_joined(
    tx: Transaction, room_id: str, at: datetime, invited_by: str = ""
) -> None:
    """The first join counts: history from before it is never treated as commands.
    ``invited_by`` is "" for a room joined because the config names it."""
    await tx.execute(
        "INSERT INTO served_room (room_id, joined_at, invited_by) VALUES (?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        (room_id, at.isoformat(), invited_by),
    )


async def forget_room(tx: Transaction, room_id: str) -> None:
    await tx.execute("DELETE FROM served_room WHERE room_id = ?", (room_id,))


async def count_rooms(tx: Transaction) -> int:
    return int(await tx.fetch_value("SELECT count(*) FROM served_room"))


async def served_since(tx: Transaction) -> dict[str, ServedRoom]:
    """Each room served, since when (history before that is never a command), and who
    brought the bot in."""
    rows = await tx.fetch_all("SELECT room_id, joined_at, invited_by FROM served_room")
    return {row[0]: ServedRoom(datetime.fromisoformat(row[1]), row[2]) for row in rows}


async def served_rooms(tx: Transaction) -> list[str]:
    return [row[0] for row in await tx.fetch_all("SELECT room_id FROM served_room")]


async def direct_room_of(tx: Transaction, member: str) -> str | None:
    value = await tx.fetch_value("SELECT room_id FROM direct_room WHERE member = ?", (member,))
    return None if value is None else str(value)


async def remember_direct_room(tx: Transaction, member: str, room_id: str) -> None:
    await tx.execute(
        "INSERT INTO direct_room (member, room_id) VALUES (?, ?) "
        "ON CONFLICT (member) DO UPDATE SET room_id = excluded.room_id",
        (member, room_id),
    )


async def forget_direct_room(tx: Transaction, member: str) -> bool:
    """Forget whose room the bot shares with the member, keeping the room itself to leave
    (and empty of what the bot sent there) once this transaction is in; False if none."""
    await tx.execute(
        "INSERT OR IGNORE INTO room_to_leave (room_id) "
        "SELECT room_id FROM direct_room WHERE member = ?",
        (member,),
    )
    return await tx.execute("DELETE FROM direct_room WHERE member = ?", (member,)) > 0


async def rooms_to_leave(tx: Transaction) -> list[str]:
    return [row[0] for row in await tx.fetch_all("SELECT room_id FROM room_to_leave")]


async def left(tx: Transaction, room_id: str) -> None:
    await tx.execute("DELETE FROM room_to_leave WHERE room_id = ?", (room_id,))


async def forget_inviter(tx: Transaction, member: str) -> None:
    """A room the member brought the bot into stays served, as one from before inviters
    were noted: the room is the community's, and her id must go."""
    await tx.execute("UPDATE served_room SET invited_by = NULL WHERE invited_by = ?", (member,))
