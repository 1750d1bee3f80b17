"""Mentorship matches, and the open needs and offers the matching reads, shaped for the domain."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.domain.ledger import Ref, RefKind
from bot.domain.matching import History, Need, Offer
from bot.store.database import Row, Transaction

State = Literal["asked", "accepted", "declined", "done", "cancelled"]
OPEN_STATES = ("asked", "accepted")  # these take a place in the offer's capacity


@dataclass(frozen=True)
class Match:
    id: int
    need_id: int | None
    offer_id: int | None
    mentee: str | None
    mentor: str | None
    skill_id: int
    skill_name: str
    state: State
    created_at: datetime
    updated_at: datetime
    room_id: str | None
    feedback: str

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def ref(self) -> Ref:
        return Ref(RefKind.MATCH, self.id)


_SELECT = """
    SELECT match.*, skill.name AS skill_name
    FROM match JOIN skill ON skill.id = match.skill_id
"""


def _match(row: Row) -> Match:
    return Match(
        id=row["id"],
        need_id=row["need_id"],
        offer_id=row["offer_id"],
        mentee=row["mentee"],
        mentor=row["mentor"],
        skill_id=row["skill_id"],
        skill_name=row["skill_name"],
        state=row["state"],
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        room_id=row["room_id"],
        feedback=row["feedback"],
    )


async def create(
    tx: Transaction,
    need_id: int,
    offer_id: int,
    mentee: str,
    mentor: str,
    skill_id: int,
    at: datetime,
) -> int:
    return await tx.insert(
        "INSERT INTO match (need_id, offer_id, mentee, mentor, skill_id, state, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, 'asked', ?, ?)",
        (need_id, offer_id, mentee, mentor, skill_id, at.isoformat(), at.isoformat()),
    )


async def get(tx: Transaction, match_id: int) -> Match | None:
    row = await tx.fetch_one(f"{_SELECT} WHERE match.id = ?", (match_id,))
    return None if row is None else _match(row)


async def open_for_need(tx: Transaction, need_id: int) -> Match | None:
    """The need's open match, with whichever offer: a need asks one mentor at a time."""
    row = await tx.fetch_one(
        f"{_SELECT} WHERE match.need_id = ? AND match.state IN ('asked', 'accepted')", (need_id,)
    )
    return None if row is None else _match(row)


async def places_taken(tx: Transaction, offer_id: int) -> int:
    """How much of the offer's capacity its open matches use."""
    return int(
        await tx.fetch_value(
            "SELECT count(*) FROM match WHERE offer_id = ? AND state IN ('asked', 'accepted')",
            (offer_id,),
        )
    )


async def was_declined(tx: Transaction, mentee: str, mentor: str, skill_id: int) -> bool:
    """Whether this mentor once declined this mentee on this skill: then never again."""
    row = await tx.fetch_one(
        "SELECT 1 FROM match WHERE mentee = ? AND mentor = ? AND skill_id = ? "
        "AND state = 'declined' LIMIT 1",
        (mentee, mentor, skill_id),
    )
    return row is not None


async def set_state(tx: Transaction, match_id: int, state: State, at: datetime) -> None:
    await tx.execute(
        "UPDATE match SET state = ?, updated_at = ? WHERE id = ?", (state, at.isoformat(), match_id)
    )


async def set_room(tx: Transaction, match_id: int, room_id: str) -> None:
    await tx.execute("UPDATE match SET room_id = ? WHERE id = ?", (room_id, match_id))


async def set_feedback(tx: Transaction, match_id: int, feedback: str) -> None:
    await tx.execute("UPDATE match SET feedback = ? WHERE id = ?", (feedback, match_id))


async def of_member(tx: Transaction, member: str, open_only: bool = False) -> list[Match]:
    states = " AND match.state IN ('asked', 'accepted')" if open_only else ""
    rows = await tx.fetch_all(
        f"{_SELECT} WHERE (match.mentee = ? OR match.mentor = ?){states} "
        "ORDER BY match.updated_at DESC",
        (member, member),
    )
    return [_match(row) for row in rows]


async def cancel_open_on_listing(tx: Transaction, listing_id: int, at: datetime) -> int:
    """A withdrawn need or offer ends the matches it was part of."""
    return await tx.execute(
        "UPDATE match SET state = 'cancelled', updated_at = ? "
        "WHERE (need_id = ? OR offer_id = ?) AND state IN ('asked', 'accepted')",
        (at.isoformat(), listing_id, listing_id),
    )


async def forget_member(tx: Transaction, member: str, at: datetime) -> None:
    """Open matches end; the other side keeps its history, with no name on this side."""
    await tx.execute(
        "UPDATE match SET state = 'cancelled', updated_at = ? "
        "WHERE (mentee = ? OR mentor = ?) AND state IN ('asked', 'accepted')",
        (at.isoformat(), member, member),
    )
    await tx.execute("UPDATE match SET mentee = NULL WHERE mentee = ?", (member,))
    await tx.execute("UPDATE match SET mentor = NULL WHERE mentor = ?", (member,))


# --- what the matching domain reads ---------------------------------------------------------


async def open_needs(tx: Transaction, skill_ids: Collection[int] | None = None) -> list[Need]:
    """Open needs without an open match yet, for some skills or all."""
    rows = await tx.fetch_all(
        "SELECT id, member, skill_id, level, created_at FROM listing "
        "WHERE kind = 'need' AND withdrawn_at IS NULL"
        + _skill_filter(skill_ids)
        + " AND NOT EXISTS (SELECT 1 FROM match WHERE match.need_id = listing.id "
        "AND match.state IN ('asked', 'accepted'))",
        list(skill_ids or ()),
    )
    return [
        Need(
            row["id"],
            row["member"],
            row["skill_id"],
            row["level"],
            datetime.fromisoformat(row["created_at"]),
        )
        for row in rows
    ]


async def open_offers(
    tx: Transaction, capacity: int, skill_ids: Collection[int] | None = None
) -> list[Offer]:
    """Open offers with the places they have left (capacity minus open matches)."""
    rows = await tx.fetch_all(
        "SELECT listing.id, listing.member, listing.skill_id, listing.level, "
        "(SELECT count(*) FROM match WHERE match.offer_id = listing.id "
        " AND match.state IN ('asked', 'accepted')) AS taken "
        "FROM listing WHERE kind = 'offer' AND withdrawn_at IS NULL" + _skill_filter(skill_ids),
        list(skill_ids or ()),
    )
    return [
        Offer(
            row["id"], row["member"], row["skill_id"], row["level"], max(0, capacity - row["taken"])
        )
        for row in rows
    ]


async def history(tx: Transaction, members: Collection[str] | None = None) -> History:
    """Skills offered and needed, and past or declined pairs, for some members or everyone."""
    where, params = _member_filter("member", members)
    listed = [
        (row["member"], row["kind"], row["skill_id"])
        for row in await tx.fetch_all(
            f"SELECT member, kind, skill_id FROM listing WHERE withdrawn_at IS NULL{where}", params
        )
    ]
    match_where, match_params = _member_filter("mentee", members)
    paired = await tx.fetch_all(
        "SELECT mentee, mentor, skill_id, state FROM match "
        f"WHERE mentee IS NOT NULL AND mentor IS NOT NULL{match_where}",
        match_params,
    )
    return _history(listed, paired)


async def history_around(
    tx: Transaction,
    member: str,
    offers: Sequence[Offer],
    needs: Sequence[Need],
    offered: Collection[int],
) -> History:
    """What one member's suggestions read, from the candidates already loaded for them.

    Reciprocity always has this member on one side: a mentor who needs a skill they offer,
    a mentee who offers a skill they need. ``offers`` (every open offer on the skills they
    need) and ``needs`` (the unmatched open needs on the skills they offer, ``offered``)
    already hold the others' side; only the needs already in a match, the member's own
    records and their own pairs remain to be read — not thousands of rows a second time.
    """
    listed = [(offer.member, "offer", offer.skill_id) for offer in offers]
    listed += [(need.member, "need", need.skill_id) for need in needs]
    listed += [
        (row["member"], row["kind"], row["skill_id"])
        for row in await tx.fetch_all(
            "SELECT member, kind, skill_id FROM listing "
            "WHERE withdrawn_at IS NULL AND kind = 'need'"
            + _skill_filter(offered)
            + " AND EXISTS (SELECT 1 FROM match WHERE match.need_id = listing.id "
            "AND match.state IN ('asked', 'accepted')) "
            "UNION ALL SELECT member, kind, skill_id FROM listing "
            "WHERE withdrawn_at IS NULL AND member = ?",
            [*offered, member],
        )
    ]
    paired = await tx.fetch_all(
        "SELECT mentee, mentor, skill_id, state FROM match WHERE mentee = ? AND mentor IS NOT NULL "
        "UNION ALL SELECT mentee, mentor, skill_id, state FROM match "
        "WHERE mentor = ? AND mentee IS NOT NULL",
        (member, member),
    )
    return _history(listed, paired)


def _history(listed: Iterable[tuple[str, str, int]], paired: Sequence[Row]) -> History:
    offered: dict[str, set[int]] = defaultdict(set)
    needed: dict[str, set[int]] = defaultdict(set)
    for member, kind, skill in listed:
        (offered if kind == "offer" else needed)[member].add(skill)
    declined: set[tuple[str, str, int]] = set()
    before: set[tuple[str, str, int]] = set()
    for row in paired:
        triple = (row["mentee"], row["mentor"], row["skill_id"])
        if row["state"] == "declined":
            declined.add(triple)
        elif row["state"] in ("accepted", "done"):
            before.add(triple)
    return History(
        offered={member: frozenset(skills) for member, skills in offered.items()},
        needed={member: frozenset(skills) for member, skills in needed.items()},
        declined=frozenset(declined),
        paired_before=frozenset(before),
    )


def _skill_filter(skill_ids: Collection[int] | None) -> str:
    if skill_ids is None:
        return ""
    return f" AND skill_id IN ({','.join('?' * len(skill_ids))})" if skill_ids else " AND 0"


def _member_filter(column: str, members: Collection[str] | None) -> tuple[str, Sequence[str]]:
    if members is None:
        return "", ()
    if not members:
        return " AND 0", ()
    return f" AND {column} IN ({','.join('?' * len(members))})", list(members)
