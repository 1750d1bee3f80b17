"""Members as the bot has seen them: the name to show without pinging, and since when."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.store.database import Row, Transaction, read_time


@dataclass(frozen=True)
class Member:
    user_id: str
    display_name: str
    first_seen: datetime
    reminders: bool = True  # False: declined poll reminders


def _member(row: Row) -> Member:
    return Member(
        row["user_id"],
        row["display_name"],
        datetime.fromisoformat(row["first_seen"]),
        bool(row["reminders"]),
    )


async def seen(tx: Transaction, user_id: str, display_name: str, at: datetime) -> None:
    """Remember the member's current display name; the first sighting stays."""
    await tx.execute(
        "INSERT INTO member (user_id, display_name, first_seen) VALUES (?, ?, ?) "
        "ON CONFLICT (user_id) DO UPDATE SET display_name = excluded.display_name "
        "WHERE display_name != excluded.display_name",
        (user_id, display_name, at.isoformat()),
    )


async def display_names(tx: Transaction, user_ids: list[str]) -> dict[str, str]:
    """Known names for these members; unknown ones are left out."""
    if not user_ids:
        return {}
    marks = ",".join("?" * len(user_ids))
    rows = await tx.fetch_all(
        f"SELECT user_id, display_name FROM member WHERE user_id IN ({marks})", user_ids
    )
    return {row["user_id"]: row["display_name"] for row in rows}


async def forget(tx: Transaction, user_id: str) -> None:
    await tx.execute("DELETE FROM member WHERE user_id = ?", (user_id,))


async def get(tx: Transaction, user_id: str) -> Member | None:
    row = await tx.fetch_one(
        "SELECT user_id, display_name, first_seen, reminders FROM member WHERE user_id = ?",
        (user_id,),
    )
    return None if row is None else _member(row)


async def every(tx: Transaction) -> list[Member]:
    """All members, in the order they first spoke to the bot."""
    rows = await tx.fetch_all(
        "SELECT user_id, display_name, first_seen, reminders FROM member"
        " ORDER BY first_seen, user_id"
    )
    return [_member(row) for row in rows]


async def seniority(tx: Transaction, user_id: str) -> tuple[datetime | None, datetime | None]:
    """When the member was first seen (None: never), and the community's first member."""
    row = await tx.fetch_one(
        "SELECT (SELECT first_seen FROM member WHERE user_id = ?),"
        " (SELECT min(first_seen) FROM member)",
        (user_id,),
    )
    assert row is not None
    first, founded = row[0], row[1]
    return (
        read_time(first),
        read_time(founded),
    )


async def set_reminders(tx: Transaction, user_id: str, wanted: bool) -> None:
    await tx.execute("UPDATE member SET reminders = ? WHERE user_id = ?", (wanted, user_id))


async def declining_reminders(tx: Transaction) -> set[str]:
    rows = await tx.fetch_all("SELECT user_id FROM member WHERE NOT reminders")
    return {row[0] for row in rows}


async def set_workshop_pings(tx: Transaction, member: str, wanted: bool) -> None:
    await tx.execute("UPDATE member SET workshop_pings = ? WHERE user_id = ?", (wanted, member))


async def wanting_workshop_pings(tx: Transaction, user_ids: Sequence[str]) -> set[str]:
    """Those of ``user_ids`` who asked to be pinged about workshops meeting their needs."""
    if not user_ids:
        return set()
    rows = await tx.fetch_all(
        f"SELECT user_id FROM member WHERE workshop_pings"
        f" AND user_id IN ({', '.join('?' * len(user_ids))})",
        tuple(user_ids),
    )
    return {row[0] for row in rows}
