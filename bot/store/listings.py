"""Offers and needs: one table, told apart by ``kind``, referred to as ``o12`` or ``n7``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.domain.ledger import Ref, RefKind
from bot.store.database import Row, Transaction

Kind = Literal["offer", "need"]

_SELECT = """
    SELECT listing.id, listing.kind, listing.member, listing.level, listing.details,
           listing.room_id, listing.created_at, listing.withdrawn_at,
           skill.id AS skill_id, skill.name AS skill_name,
           coalesce(member.display_name, listing.member) AS member_name
    FROM listing
    JOIN skill ON skill.id = listing.skill_id
    LEFT JOIN member ON member.user_id = listing.member
"""


@dataclass(frozen=True)
class Listing:
    id: int
    kind: Kind
    member: str
    member_name: str
    skill_id: int
    skill_name: str
    level: int
    details: str
    room_id: str
    created_at: datetime
    withdrawn_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.withdrawn_at is None

    @property
    def ref(self) -> Ref:
        return ref_of(self.kind, self.id)


def ref_of(kind: Kind, number: int) -> Ref:
    """``o12`` for offer 12, ``n12`` for need 12."""
    return Ref(RefKind.OFFER if kind == "offer" else RefKind.NEED, number)


def _listing(row: Row) -> Listing:
    return Listing(
        id=row["id"],
        kind=row["kind"],
        member=row["member"],
        member_name=row["member_name"],
        skill_id=row["skill_id"],
        skill_name=row["skill_name"],
        level=row["level"],
        details=row["details"],
        room_id=row["room_id"],
        created_at=datetime.fromisoformat(row["created_at"]),
        withdrawn_at=(datetime.fromisoformat(row["withdrawn_at"]) if row["withdrawn_at"] else None),
    )


async def add(
    tx: Transaction,
    kind: Kind,
    member: str,
    skill_id: int,
    level: int,
    details: str,
    room_id: str,
    at: datetime,
) -> int:
    return await tx.insert(
        "INSERT INTO listing (kind, member, skill_id, level, details, room_id, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (kind, member, skill_id, level, details, room_id, at.isoformat()),
    )


async def get(tx: Transaction, listing_id: int) -> Listing | None:
    row = await tx.fetch_one(_SELECT + " WHERE listing.id = ?", (listing_id,))
    return None if row is None else _listing(row)


async def open_listings(
    tx: Transaction, kind: Kind, skill_id: int | None, limit: int, offset: int = 0
) -> list[Listing]:
    """Open offers or needs, newest first, for one skill or all."""
    where = "listing.kind = ? AND listing.withdrawn_at IS NULL"
    params: list[object] = [kind]
    if skill_id is not None:
        where += " AND listing.skill_id = ?"
        params.append(skill_id)
    rows = await tx.fetch_all(
        f"{_SELECT} WHERE {where} ORDER BY listing.created_at DESC, listing.id DESC "
        "LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return [_listing(row) for row in rows]


async def best_offers(tx: Transaction, skill_id: int, excluding: str, limit: int) -> list[Listing]:
    """Who offers this skill, most experienced first, longest-standing offer first among equals."""
    rows = await tx.fetch_all(
        f"{_SELECT} WHERE listing.kind = 'offer' AND listing.withdrawn_at IS NULL "
        "AND listing.skill_id = ? AND listing.member != ? "
        "ORDER BY listing.level DESC, listing.created_at ASC LIMIT ?",
        (skill_id, excluding, limit),
    )
    return [_listing(row) for row in rows]


async def of_member(tx: Transaction, member: str, open_only: bool = True) -> list[Listing]:
    condition = " AND listing.withdrawn_at IS NULL" if open_only else ""
    rows = await tx.fetch_all(
        f"{_SELECT} WHERE listing.member = ?{condition} "
        "ORDER BY listing.created_at DESC, listing.id DESC",
        (member,),
    )
    return [_listing(row) for row in rows]


async def every(tx: Transaction) -> list[Listing]:
    """Every offer and need ever recorded, withdrawn ones too, in the order they came."""
    rows = await tx.fetch_all(f"{_SELECT} ORDER BY listing.id")
    return [_listing(row) for row in rows]


async def find_open_duplicate(
    tx: Transaction, kind: Kind, member: str, skill_id: int
) -> Listing | None:
    row = await tx.fetch_one(
        f"{_SELECT} WHERE listing.kind = ? AND listing.member = ? AND listing.skill_id = ? "
        "AND listing.withdrawn_at IS NULL",
        (kind, member, skill_id),
    )
    return None if row is None else _listing(row)


async def update(tx: Transaction, listing_id: int, level: int, details: str) -> None:
    await tx.execute(
        "UPDATE listing SET level = ?, details = ? WHERE id = ?", (level, details, listing_id)
    )


async def withdraw(tx: Transaction, listing_id: int, at: datetime) -> None:
    await tx.execute(
        "UPDATE listing SET withdrawn_at = ? WHERE id = ? AND withdrawn_at IS NULL",
        (at.isoformat(), listing_id),
    )


async def forget_member(tx: Transaction, member: str) -> int:
    return await tx.execute("DELETE FROM listing WHERE member = ?", (member,))
