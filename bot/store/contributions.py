"""Contributions (``c3``) and the confirmations that make them count."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from bot.domain.ledger import Ref, RefKind
from bot.domain.weighting import MINUTES_PER_HOUR, UNTIMED_HOURS
from bot.store.database import Row, Transaction, read_time

UNTIMED_MINUTES = round(UNTIMED_HOURS * MINUTES_PER_HOUR)

# The confirmations that count: a witness who has since been forgotten vouches for nothing
# any more (the record stays, anonymous), or a sybil could confirm, then vanish.
CONFIRMATIONS = """
    (SELECT count(confirmation.confirmer) FROM confirmation
     WHERE confirmation.contribution_id = contribution.id)
"""

_SELECT = f"""
    SELECT contribution.id, contribution.member, contribution.minutes, contribution.domain,
           contribution.what, contribution.recorded_by, contribution.room_id,
           contribution.created_at, contribution.record_event, contribution.voided_at,
           contribution.void_reason,
           coalesce(member.display_name, contribution.member) AS member_name,
           {CONFIRMATIONS} AS confirmations
    FROM contribution
    LEFT JOIN member ON member.user_id = contribution.member
"""


@dataclass(frozen=True)
class Contribution:
    id: int
    member: str
    member_name: str
    minutes: int | None
    domain: str
    what: str
    recorded_by: str | None  # None once the recorder asked to be forgotten
    room_id: str
    created_at: datetime
    record_event: str | None  # the bot's message that recorded it: reactions to it confirm
    confirmations: int
    voided_at: datetime | None = None  # by a moderator: it counts for nothing
    void_reason: str = ""

    def is_confirmed(self, required: int) -> bool:
        """Whether it counts: enough witnesses, and not voided."""
        return self.voided_at is None and self.confirmations >= required

    @property
    def ref(self) -> Ref:
        return Ref(RefKind.CONTRIBUTION, self.id)


@dataclass(frozen=True)
class DomainTotal:
    """One member's time in one domain, split by whether it is confirmed yet."""

    domain: str
    confirmed_minutes: int
    pending_minutes: int
    confirmed: int  # contributions, with or without hours
    pending: int


def _contribution(row: Row) -> Contribution:
    return Contribution(
        id=row["id"],
        member=row["member"],
        member_name=row["member_name"],
        minutes=row["minutes"],
        domain=row["domain"],
        what=row["what"],
        recorded_by=row["recorded_by"],
        room_id=row["room_id"],
        created_at=datetime.fromisoformat(row["created_at"]),
        record_event=row["record_event"],
        confirmations=row["confirmations"],
        voided_at=read_time(row["voided_at"]),
        void_reason=row["void_reason"],
    )


async def add(
    tx: Transaction,
    member: str,
    minutes: int | None,
    domain: str,
    what: str,
    recorded_by: str,
    room_id: str,
    at: datetime,
) -> int:
    return await tx.insert(
        "INSERT INTO contribution (member, minutes, domain, what, recorded_by, room_id, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (member, minutes, domain, what, recorded_by, room_id, at.isoformat()),
    )


async def get(tx: Transaction, contribution_id: int) -> Contribution | None:
    row = await tx.fetch_one(_SELECT + " WHERE contribution.id = ?", (contribution_id,))
    return None if row is None else _contribution(row)


async def by_record_event(tx: Transaction, event_id: str) -> Contribution | None:
    """The contribution a bot message recorded, so a reaction to that message can confirm it."""
    row = await tx.fetch_one(_SELECT + " WHERE contribution.record_event = ?", (event_id,))
    return None if row is None else _contribution(row)


async def set_record_event(tx: Transaction, contribution_id: int, event_id: str) -> None:
    await tx.execute(
        "UPDATE contribution SET record_event = ? WHERE id = ?", (event_id, contribution_id)
    )


async def confirm(
    tx: Transaction,
    contribution_id: int,
    confirmer: str,
    at: datetime,
    via_event: str | None = None,
) -> bool:
    """Record that ``confirmer`` witnessed it; False if they had already confirmed it."""
    changed = await tx.execute(
        "INSERT INTO confirmation (contribution_id, confirmer, via_event, created_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (contribution_id, confirmer, via_event, at.isoformat()),
    )
    await _answer_review(tx, contribution_id, confirmer, "confirmed", at)
    return changed > 0


async def void(tx: Transaction, contribution_id: int, at: datetime, reason: str) -> bool:
    """False if it was voided already."""
    changed = await tx.execute(
        "UPDATE contribution SET voided_at = ?, void_reason = ? WHERE id = ? AND voided_at IS NULL",
        (at.isoformat(), reason, contribution_id),
    )
    return changed == 1


async def restore(tx: Transaction, contribution_id: int) -> bool:
    """False if it was not voided."""
    changed = await tx.execute(
        "UPDATE contribution SET voided_at = NULL, void_reason = ''"
        " WHERE id = ? AND voided_at IS NOT NULL",
        (contribution_id,),
    )
    return changed == 1


async def large_since(
    tx: Transaction, since: datetime, minutes: int, limit: int
) -> list[Contribution]:
    """Contributions of at least ``minutes`` recorded since then, the largest first."""
    rows = await tx.fetch_all(
        _SELECT + " WHERE contribution.created_at >= ? AND contribution.minutes >= ?"
        " ORDER BY contribution.minutes DESC, contribution.id LIMIT ?",
        (since.isoformat(), minutes, limit),
    )
    return [_contribution(row) for row in rows]


@dataclass(frozen=True)
class DoubtfulWitnesses:
    """A contribution some of whose witnesses a moderator should know about."""

    contribution: Contribution
    forgotten: int  # confirmations by members since forgotten: they count no more
    in_probation: int  # confirmations made while the witness was still in probation


async def doubtful_witnesses(
    tx: Transaction, since: datetime, probation_days: int, limit: int
) -> list[DoubtfulWitnesses]:
    """Contributions confirmed since then by members since forgotten, or by members who
    were in probation when they confirmed (made before the rule, or before
    ``probation_days`` was raised); the most recent first."""
    doubts = await tx.fetch_all(
        """
        SELECT confirmation.contribution_id,
               sum(confirmation.confirmer IS NULL) AS forgotten,
               sum(julianday(witness.first_seen)
                       > (SELECT min(julianday(first_seen)) FROM member) + ?1
                   AND julianday(confirmation.created_at)
                       < julianday(witness.first_seen) + ?1) AS in_probation
        FROM confirmation
        LEFT JOIN member AS witness ON witness.user_id = confirmation.confirmer
        WHERE confirmation.created_at >= ?2
        GROUP BY confirmation.contribution_id
        HAVING forgotten > 0 OR in_probation > 0
        ORDER BY confirmation.contribution_id DESC
        LIMIT ?3
        """,
        (probation_days, since.isoformat(), limit),
    )
    if not doubts:
        return []
    rows = await tx.fetch_all(
        _SELECT + f" WHERE contribution.id IN ({', '.join('?' * len(doubts))})"
        " AND contribution.voided_at IS NULL",
        tuple(row[0] for row in doubts),
    )
    found = {row["id"]: _contribution(row) for row in rows}
    return [DoubtfulWitnesses(found[row[0]], row[1], row[2]) for row in doubts if row[0] in found]


async def minutes_confirmed_by(
    tx: Transaction, confirmer: str, since: datetime, until: datetime
) -> int:
    """The work ``confirmer`` vouched for after ``since``, up to ``until`` (work naming
    no hours counts as weighting counts it)."""
    value = await tx.fetch_value(
        "SELECT coalesce(sum(coalesce(contribution.minutes, ?)), 0) FROM confirmation"
        " JOIN contribution ON contribution.id = confirmation.contribution_id"
        " WHERE confirmation.confirmer = ? AND confirmation.created_at > ?"
        " AND confirmation.created_at <= ?",
        (UNTIMED_MINUTES, confirmer, since.isoformat(), until.isoformat()),
    )
    return int(value)


async def detach_from_reaction(tx: Transaction, contribution_id: int, confirmer: str) -> None:
    """A confirmation also typed as a command stays when its reaction is removed."""
    await tx.execute(
        "UPDATE confirmation SET via_event = NULL WHERE contribution_id = ? AND confirmer = ?",
        (contribution_id, confirmer),
    )


async def withdraw_reaction(tx: Transaction, via_event: str) -> bool:
    """Remove the confirmation a reaction made; False if that reaction confirmed nothing."""
    return await tx.execute("DELETE FROM confirmation WHERE via_event = ?", (via_event,)) > 0


async def of_member(tx: Transaction, member: str) -> list[Contribution]:
    """Everything recorded for a member, newest first; ``is_confirmed`` tells which counts."""
    rows = await tx.fetch_all(
        _SELECT + " WHERE contribution.member = ? "
        "ORDER BY contribution.created_at DESC, contribution.id DESC",
        (member,),
    )
    return [_contribution(row) for row in rows]


async def awaiting_witness(
    tx: Transaction,
    member: str,
    rooms: Collection[str],
    required: int,
    since: datetime,
    limit: int,
) -> list[Contribution]:
    """Recent work in these rooms still short of witnesses that ``member`` could confirm:
    not theirs, not confirmed by them, not voided; the oldest first (it waited longest)."""
    if not rooms:
        return []
    rows = await tx.fetch_all(
        _SELECT + f" WHERE contribution.room_id IN ({', '.join('?' * len(rooms))})"
        " AND contribution.member != ? AND contribution.voided_at IS NULL"
        " AND contribution.created_at >= ?"
        f" AND {CONFIRMATIONS} < ?"
        " AND NOT EXISTS (SELECT 1 FROM confirmation WHERE confirmation.contribution_id ="
        " contribution.id AND confirmation.confirmer = ?)"
        " ORDER BY contribution.created_at, contribution.id LIMIT ?",
        (*rooms, member, since.isoformat(), required, member, limit),
    )
    return [_contribution(row) for row in rows]


async def open_disputes_on(tx: Transaction, member: str) -> list[Dispute]:
    """Disputes of a member's own work that no moderator has settled yet."""
    rows = await tx.fetch_all(
        _DISPUTE + " WHERE contribution.member = ? AND dispute.settled_at IS NULL"
        " ORDER BY dispute.raised_at",
        (member,),
    )
    return [_dispute(row) for row in rows]


async def totals_by_domain(tx: Transaction, member: str, required: int) -> list[DomainTotal]:
    """A member's minutes and contributions per domain, confirmed and not, by domain name."""
    rows = await tx.fetch_all(
        f"""
        WITH counted AS (
            SELECT contribution.domain, coalesce(contribution.minutes, 0) AS minutes,
                   {CONFIRMATIONS} >= ? AND contribution.voided_at IS NULL AS confirmed
            FROM contribution WHERE contribution.member = ?
        )
        SELECT domain,
               sum(CASE WHEN confirmed THEN minutes ELSE 0 END) AS confirmed_minutes,
               sum(CASE WHEN confirmed THEN 0 ELSE minutes END) AS pending_minutes,
               sum(confirmed) AS confirmed, sum(NOT confirmed) AS pending
        FROM counted GROUP BY domain ORDER BY domain
        """,
        (required, member),
    )
    return [
        DomainTotal(
            domain=row["domain"],
            confirmed_minutes=row["confirmed_minutes"],
            pending_minutes=row["pending_minutes"],
            confirmed=row["confirmed"],
            pending=row["pending"],
        )
        for row in rows
    ]


async def every(tx: Transaction) -> list[Contribution]:
    """The whole ledger, in the order it was recorded."""
    rows = await tx.fetch_all(_SELECT + " ORDER BY contribution.id")
    return [_contribution(row) for row in rows]


async def recorded_for_others(tx: Transaction, recorder: str) -> list[Contribution]:
    """The work a member recorded for someone else (their thanks), newest first."""
    rows = await tx.fetch_all(
        _SELECT + " WHERE contribution.recorded_by = ? AND contribution.member != ? "
        "ORDER BY contribution.created_at DESC, contribution.id DESC",
        (recorder, recorder),
    )
    return [_contribution(row) for row in rows]


@dataclass(frozen=True)
class Confirmation:
    """One witness of one contribution."""

    contribution_id: int
    member: str  # whose work it is
    confirmer: str | None  # None once the witness asked to be forgotten: it still counts
    via_event: str | None  # the reaction that made it, while taking it back withdraws it
    created_at: datetime


async def confirmations(
    tx: Transaction,
    *,
    given_by: str | None = None,
    contribution_ids: Collection[int] | None = None,
) -> list[Confirmation]:
    """Confirmations, by contribution then time: all, or those one member gave, or on some work."""
    conditions: list[str] = []
    params: list[object] = []
    if given_by is not None:
        conditions.append("confirmation.confirmer = ?")
        params.append(given_by)
    if contribution_ids is not None:
        if not contribution_ids:
            return []
        conditions.append(
            f"confirmation.contribution_id IN ({','.join('?' * len(contribution_ids))})"
        )
        params.extend(contribution_ids)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    rows = await tx.fetch_all(
        "SELECT confirmation.contribution_id, contribution.member, confirmation.confirmer, "
        "confirmation.via_event, confirmation.created_at FROM confirmation "
        f"JOIN contribution ON contribution.id = confirmation.contribution_id {where} "
        "ORDER BY confirmation.contribution_id, confirmation.created_at, confirmation.id",
        params,
    )
    return [
        Confirmation(
            contribution_id=row["contribution_id"],
            member=row["member"],
            confirmer=row["confirmer"],
            via_event=row["via_event"],
            created_at=datetime.fromisoformat(row["created_at"]),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Forgotten:
    """What forgetting a member did to the ledger."""

    deleted: int  # contributions they made, with the confirmations on them
    unattributed: int  # contributions they recorded for others: kept, recorder unknown
    anonymised: int  # confirmations they gave: kept, witness unknown, no longer counted


async def forget_member(tx: Transaction, member: str) -> Forgotten:
    """Delete a member's own work and the disputes they raised (their words); keep, without
    their name, what others' work relies on."""
    await tx.execute("DELETE FROM dispute WHERE raised_by = ?", (member,))
    await tx.execute("DELETE FROM review WHERE reviewer = ?", (member,))
    anonymised = await tx.execute(
        "UPDATE confirmation SET confirmer = NULL, via_event = NULL WHERE confirmer = ?",
        (member,),
    )
    deleted = await tx.execute("DELETE FROM contribution WHERE member = ?", (member,))
    unattributed = await tx.execute(
        "UPDATE contribution SET recorded_by = NULL WHERE recorded_by = ?", (member,)
    )
    return Forgotten(deleted, unattributed, anonymised)


@dataclass(frozen=True)
class Dispute:
    """A member contests a contribution, with a reason, until a moderator settles it."""

    contribution_id: int
    member: str  # whose work it is
    raised_by: str
    reason: str
    raised_at: datetime
    settled_at: datetime | None
    upheld: bool | None  # None while open

    @property
    def ref(self) -> Ref:
        return Ref(RefKind.CONTRIBUTION, self.contribution_id)


_DISPUTE = """
    SELECT dispute.contribution_id, contribution.member, dispute.raised_by, dispute.reason,
           dispute.raised_at, dispute.settled_at, dispute.upheld
    FROM dispute JOIN contribution ON contribution.id = dispute.contribution_id
"""


def _dispute(row: Row) -> Dispute:
    return Dispute(
        contribution_id=row["contribution_id"],
        member=row["member"],
        raised_by=row["raised_by"],
        reason=row["reason"],
        raised_at=datetime.fromisoformat(row["raised_at"]),
        settled_at=read_time(row["settled_at"]),
        upheld=None if row["upheld"] is None else bool(row["upheld"]),
    )


async def contest(
    tx: Transaction, contribution_id: int, member: str, reason: str, at: datetime
) -> bool:
    """False if the member already has an open dispute on it."""
    changed = await tx.execute(
        "INSERT INTO dispute (contribution_id, raised_by, reason, raised_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        (contribution_id, member, reason, at.isoformat()),
    )
    await _answer_review(tx, contribution_id, member, "contested", at)
    return changed > 0


async def settle(tx: Transaction, contribution_id: int, upheld: bool, at: datetime) -> int:
    """Settle every open dispute on it; how many there were."""
    return await tx.execute(
        "UPDATE dispute SET settled_at = ?, upheld = ? WHERE contribution_id = ?"
        " AND settled_at IS NULL",
        (at.isoformat(), upheld, contribution_id),
    )


async def open_disputes(tx: Transaction, limit: int) -> list[Dispute]:
    """The oldest open disputes first: they have waited longest."""
    rows = await tx.fetch_all(
        _DISPUTE + " WHERE dispute.settled_at IS NULL ORDER BY dispute.raised_at LIMIT ?",
        (limit,),
    )
    return [_dispute(row) for row in rows]


async def disputes_raised_by(tx: Transaction, member: str) -> list[Dispute]:
    rows = await tx.fetch_all(
        _DISPUTE + " WHERE dispute.raised_by = ? ORDER BY dispute.raised_at DESC", (member,)
    )
    return [_dispute(row) for row in rows]


@dataclass(frozen=True)
class Review:
    """A member with no part in a contribution, asked at random whether it happened."""

    contribution_id: int
    reviewer: str
    asked_at: datetime
    answered_at: datetime | None
    verdict: str | None  # "confirmed" or "contested"; None while unanswered

    @property
    def ref(self) -> Ref:
        return Ref(RefKind.CONTRIBUTION, self.contribution_id)


async def ask_review(tx: Transaction, contribution_id: int, reviewer: str, at: datetime) -> None:
    await tx.execute(
        "INSERT INTO review (contribution_id, reviewer, asked_at) VALUES (?, ?, ?)",
        (contribution_id, reviewer, at.isoformat()),
    )


async def _answer_review(
    tx: Transaction, contribution_id: int, member: str, verdict: str, at: datetime
) -> None:
    """The reviewer's first confirmation or dispute of the work is their answer."""
    await tx.execute(
        "UPDATE review SET answered_at = ?, verdict = ? WHERE contribution_id = ?"
        " AND reviewer = ? AND answered_at IS NULL",
        (at.isoformat(), verdict, contribution_id, member),
    )


def _review(row: Row) -> Review:
    return Review(
        row["contribution_id"],
        row["reviewer"],
        datetime.fromisoformat(row["asked_at"]),
        read_time(row["answered_at"]),
        row["verdict"],
    )


async def reviews(
    tx: Transaction, *, reviewer: str | None = None, since: datetime | None = None
) -> list[Review]:
    """Reviews asked of one member, or since a moment; the newest first."""
    rows = await tx.fetch_all(
        "SELECT contribution_id, reviewer, asked_at, answered_at, verdict FROM review"
        " WHERE (?1 IS NULL OR reviewer = ?1) AND (?2 IS NULL OR asked_at >= ?2)"
        " ORDER BY asked_at DESC, contribution_id DESC",
        (reviewer, None if since is None else since.isoformat()),
    )
    return [_review(row) for row in rows]
