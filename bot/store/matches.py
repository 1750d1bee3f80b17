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
    """Open matches end; the other side keeps its history, with no name on this side and
    no feedback (written by either side, it is about this one)."""
    await tx.execute(
        "UPDATE match SET state = 'cancelled', updated_at = ? "
        "WHERE (mentee = ? OR mentor = ?) AND state IN ('asked', 'accepted')",
        (at.isoformat(), member, member),
    )
    await tx.execute(
        "UPDATE match SET feedback = '' WHERE mentee = ? OR mentor = ?", (member, member)
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


async def history(tx: Transaction) -> History:
    """The whole community's skills offered and needed, and its past or declined pairs:
    what the community-wide assignment reads."""
    listed = [
        (row["member"], row["kind"], row["skill_id"])
        for row in await tx.fetch_all(
            "SELECT member, kind, skill_id FROM listing WHERE withdrawn_at IS NULL"
        )
    ]
    paired = await tx.fetch_all(
        "SELECT mentee, mentor, skill_id, state FROM match "
        "WHERE mentee IS NOT NULL AND mentor IS NOT NULL"
    )
    return history_from(listed, paired)


@dataclass(frozen=True)
class Candidates:
    """What one member's suggestions need: the few records that can reach the top, and a
    history holding exactly what their scores read."""

    offers: list[Offer]
    needs: list[Need]
    history: History


async def candidates_around(
    tx: Transaction,
    member: str,
    mine: Sequence[tuple[str, int, int]],
    capacity: int,
    limit: int,
    saturated_before: datetime,
) -> Candidates:
    """The records that can appear among ``limit`` suggestions for each of ``mine``
    ((kind, skill, level) of the member's open needs and offers).

    Within a class of candidates — same level, same places left (offers), same
    reciprocity — scores differ only by a need's wait (older first, alike once the wait is
    ``saturated_before``) and by the member's own past or declined pairs. So ``limit`` plus
    that many per class, in the order the score breaks ties, hold every suggestion the whole
    skill would give, and a popular skill costs as little to read as a rare one.
    """
    offered = {skill for kind, skill, _ in mine if kind == "offer"}
    needed = {skill for kind, skill, _ in mine if kind == "need"}
    paired = await tx.fetch_all(
        "SELECT mentee, mentor, skill_id, state FROM match WHERE mentee = ? AND mentor IS NOT NULL "
        "UNION ALL SELECT mentee, mentor, skill_id, state FROM match "
        "WHERE mentor = ? AND mentee IS NOT NULL",
        (member, member),
    )
    per_class = limit + len(paired)
    offers: list[Offer] = []
    needs: list[Need] = []
    listed: list[tuple[str, str, int]] = [(member, kind, skill) for kind, skill, _ in mine]
    for kind, skill, level in mine:
        if kind == "need":
            for row in await tx.fetch_all(
                _OFFER_CANDIDATES.format(taught=_in(offered)),
                [*offered, skill, level, member, capacity, per_class],
            ):
                offers.append(
                    Offer(row["id"], row["member"], skill, row["level"], capacity - row["taken"])
                )
                listed += [(row["member"], "need", int(s)) for s in _ids(row["taught"])]
        else:
            for row in await tx.fetch_all(
                _NEED_CANDIDATES.format(taught=_in(needed)),
                [saturated_before.isoformat(), *needed, skill, level, member, per_class],
            ):
                needs.append(
                    Need(
                        row["id"],
                        row["member"],
                        skill,
                        row["level"],
                        datetime.fromisoformat(row["created_at"]),
                    )
                )
                listed += [(row["member"], "offer", int(s)) for s in _ids(row["taught"])]
    return Candidates(offers, needs, history_from(listed, paired))


# Open offers of one skill above a level, not the member's, with places left; the skills of
# the member's offers their owner needs ("taught"); the first few of each class.
_OFFER_CANDIDATES = """
SELECT id, member, level, taken, taught FROM (
  SELECT *, row_number() OVER (PARTITION BY level, taken, taught IS NULL ORDER BY id) AS rank
  FROM (
    SELECT listing.id, listing.member, listing.level,
      (SELECT count(*) FROM match WHERE match.offer_id = listing.id
        AND match.state IN ('asked', 'accepted')) AS taken,
      (SELECT group_concat(other.skill_id) FROM listing AS other
        WHERE other.member = listing.member AND other.kind = 'need'
        AND other.withdrawn_at IS NULL AND other.skill_id IN ({taught})) AS taught
    FROM listing
    WHERE listing.kind = 'offer' AND listing.withdrawn_at IS NULL AND listing.skill_id = ?
      AND listing.level > ? AND listing.member != ?
  ) WHERE taken < ?
) WHERE rank <= ?
"""

# Open needs of one skill below a level, not the member's, without an open match; the
# skills the member needs that their owner offers ("taught"); the longest waiting first.
_NEED_CANDIDATES = """
SELECT id, member, level, created_at, taught FROM (
  SELECT *, row_number() OVER (
    PARTITION BY level, taught IS NULL ORDER BY max(created_at, ?) , id) AS rank
  FROM (
    SELECT listing.id, listing.member, listing.level, listing.created_at,
      (SELECT group_concat(other.skill_id) FROM listing AS other
        WHERE other.member = listing.member AND other.kind = 'offer'
        AND other.withdrawn_at IS NULL AND other.skill_id IN ({taught})) AS taught
    FROM listing
    WHERE listing.kind = 'need' AND listing.withdrawn_at IS NULL AND listing.skill_id = ?
      AND listing.level < ? AND listing.member != ?
      AND NOT EXISTS (SELECT 1 FROM match WHERE match.need_id = listing.id
        AND match.state IN ('asked', 'accepted'))
  )
) WHERE rank <= ?
"""


def _in(values: Collection[int]) -> str:
    return ",".join("?" * len(values)) or "NULL"


def _ids(joined: str | None) -> list[str]:
    return joined.split(",") if joined else []


def history_from(listed: Iterable[tuple[str, str, int]], paired: Sequence[Row]) -> History:
    """A History from open listings (member, kind, skill) and match rows (mentee, mentor,
    skill_id, state)."""
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
