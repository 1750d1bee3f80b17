"""What the digest reads, and the record that makes each room's digest go out exactly once.

Every list is read through an index on its time column, a few rows at most, with a count of
the period's rows beside them; the needs waiting longest come from the open needs' time
index, and the offers that could serve the needs shown from the offers' (skill, level)
index, a few per level. So a digest costs what its period holds, plus a bounded amount,
however long the community's history.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.digest import (
    Candidates,
    ClosedPoll,
    Counted,
    DomainWork,
    MatchNews,
    News,
    OpenPoll,
    Posted,
    Thanks,
)
from bot.domain.ledger import Ref, RefKind
from bot.domain.matching import Offer
from bot.domain.schedule import Period
from bot.domain.tally import FinalResult
from bot.i18n import Text
from bot.store import members
from bot.store.contributions import CONFIRMATIONS
from bot.store.database import Params, Row, Transaction, read_time, stored_time
from bot.store.listings import Kind, ref_of
from bot.store.matches import history_from

# --- the period's news ----------------------------------------------------------------------

NEWCOMERS = """
SELECT display_name FROM member WHERE first_seen >= :start AND first_seen < :end
ORDER BY first_seen DESC, user_id DESC LIMIT :limit
"""
NEWCOMERS_COUNT = "SELECT count(*) FROM member WHERE first_seen >= :start AND first_seen < :end"

_POSTED = """
SELECT listing.id, listing.kind, listing.member, listing.skill_id, listing.level,
       listing.created_at, skill.name AS skill_name,
       coalesce(member.display_name, listing.member) AS member_name,
       EXISTS (SELECT 1 FROM match WHERE match.need_id = listing.id
               AND match.state IN ('asked', 'accepted')) AS matched
FROM listing
JOIN skill ON skill.id = listing.skill_id
LEFT JOIN member ON member.user_id = listing.member
"""
# Offers or needs recorded in the period and still open, the newest first.
POSTED = (
    _POSTED
    + """
WHERE listing.kind = :kind AND listing.withdrawn_at IS NULL
  AND listing.created_at >= :start AND listing.created_at < :end
ORDER BY listing.created_at DESC, listing.id DESC LIMIT :limit
"""
)
POSTED_COUNT = """
SELECT count(*) FROM listing WHERE kind = :kind AND withdrawn_at IS NULL
  AND created_at >= :start AND created_at < :end
"""
# Open needs from before the period without an open match: the oldest first, from the
# open needs' time index, stopping after ``limit``.
WAITING = (
    _POSTED
    + """
WHERE listing.kind = 'need' AND listing.withdrawn_at IS NULL AND listing.created_at < :start
  AND NOT EXISTS (SELECT 1 FROM match WHERE match.need_id = listing.id
                  AND match.state IN ('asked', 'accepted'))
ORDER BY listing.created_at, listing.id LIMIT :limit
"""
)
# Counted up to a bound: all the open needs would grow with the history.
WAITING_COUNT = """
SELECT count(*) FROM (
  SELECT 1 FROM listing
  WHERE kind = 'need' AND withdrawn_at IS NULL AND created_at < :start
    AND NOT EXISTS (SELECT 1 FROM match WHERE match.need_id = listing.id
                    AND match.state IN ('asked', 'accepted'))
  LIMIT :bound
)
"""
WAITING_COUNTED = 100  # beyond this many, the digest says "and over N more"

# One need's candidates at one level: its skill's open offers with places left, the
# longest-standing first, straight from the offers' (skill, level) index.
OFFERS_AT_LEVEL = """
SELECT * FROM (
  SELECT listing.id, listing.member, listing.skill_id, listing.level,
         (SELECT count(*) FROM match WHERE match.offer_id = listing.id
          AND match.state IN ('asked', 'accepted')) AS taken
  FROM listing
  WHERE listing.kind = 'offer' AND listing.withdrawn_at IS NULL AND listing.skill_id = ?
    AND listing.level = ? AND listing.member != ?
    AND (SELECT count(*) FROM match WHERE match.offer_id = listing.id
         AND match.state IN ('asked', 'accepted')) < ?
  ORDER BY listing.created_at, listing.id LIMIT ?
)
"""
# What reciprocity and past pairs read, for the few members involved only.
LISTED_BY = (
    "SELECT member, kind, skill_id FROM listing WHERE withdrawn_at IS NULL AND member IN ({})"
)
PAIRED_BY = (
    "SELECT mentee, mentor, skill_id, state FROM match WHERE mentor IS NOT NULL AND mentee IN ({})"
)

_MATCH = """
SELECT match.id, skill.name AS skill_name,
       CASE WHEN match.mentee IS NOT NULL
            THEN coalesce(mentee.display_name, match.mentee) END AS mentee_name,
       CASE WHEN match.mentor IS NOT NULL
            THEN coalesce(mentor.display_name, match.mentor) END AS mentor_name
FROM match
JOIN skill ON skill.id = match.skill_id
LEFT JOIN member AS mentee ON mentee.user_id = match.mentee
LEFT JOIN member AS mentor ON mentor.user_id = match.mentor
"""
# A match is updated no earlier than it is created, so the index on updated_at limits the
# matches started in the period to those touched since it began.
_STARTED_WHERE = """
WHERE match.updated_at >= :start AND match.created_at >= :start AND match.created_at < :end
  AND match.state IN ('asked', 'accepted', 'done')
"""
STARTED = _MATCH + _STARTED_WHERE + "ORDER BY match.created_at DESC, match.id DESC LIMIT :limit"
STARTED_COUNT = "SELECT count(*) FROM match" + _STARTED_WHERE
_FINISHED_WHERE = """
WHERE match.state = 'done' AND match.updated_at >= :start AND match.updated_at < :end
"""
FINISHED = _MATCH + _FINISHED_WHERE + "ORDER BY match.updated_at DESC, match.id DESC LIMIT :limit"
FINISHED_COUNT = "SELECT count(*) FROM match" + _FINISHED_WHERE

WORK = """
SELECT domain, count(*) AS contributions, coalesce(sum(minutes), 0) AS minutes
FROM contribution WHERE created_at >= :start AND created_at < :end GROUP BY domain
"""
# Work recorded by someone else than its author: a thanks (a forgotten recorder was another).
_THANKS_WHERE = """
WHERE contribution.created_at >= :start AND contribution.created_at < :end
  AND (contribution.recorded_by IS NULL OR contribution.recorded_by != contribution.member)
"""
THANKS = (
    """
SELECT contribution.what, contribution.minutes,
       coalesce(member.display_name, contribution.member) AS member_name,
       CASE WHEN contribution.recorded_by IS NOT NULL
            THEN coalesce(recorder.display_name, contribution.recorded_by) END AS by_name
FROM contribution
LEFT JOIN member ON member.user_id = contribution.member
LEFT JOIN member AS recorder ON recorder.user_id = contribution.recorded_by
"""
    + _THANKS_WHERE
    + "ORDER BY contribution.created_at DESC, contribution.id DESC LIMIT :limit"
)
THANKS_COUNT = "SELECT count(*) FROM contribution" + _THANKS_WHERE

CLOSED_POLLS = """
SELECT id, question, answers, equal, result FROM poll
WHERE closed_at >= :start AND closed_at < :end ORDER BY closed_at DESC, id DESC LIMIT :limit
"""
CLOSED_POLLS_COUNT = "SELECT count(*) FROM poll WHERE closed_at >= :start AND closed_at < :end"
# Still open: the soonest deadline first.
OPEN_POLLS = """
SELECT id, question, closes_at FROM poll WHERE closed_at IS NULL AND opened_at < :end
ORDER BY closes_at, id LIMIT :limit
"""
OPEN_POLLS_COUNT = "SELECT count(*) FROM poll WHERE closed_at IS NULL AND opened_at < :end"


async def news(
    tx: Transaction, period: Period, *, limit: int, capacity: int, per_level: int
) -> News:
    """Everything a digest of ``period`` says, ``limit`` items per list at most.

    ``capacity`` is each offer's number of places; ``per_level`` how many offers of each
    level above a shown need are weighed for it.
    """
    span = {"start": stored_time(period.start), "end": stored_time(period.end), "limit": limit}
    offers = await _posted(tx, "offer", span)
    needs = await _posted(tx, "need", span)
    waiting_total = await _count(tx, WAITING_COUNT, {**span, "bound": WAITING_COUNTED + 1})
    waiting = Counted(
        tuple(_poster(row) for row in await tx.fetch_all(WAITING, span)),
        min(waiting_total, WAITING_COUNTED),
        exact=waiting_total <= WAITING_COUNTED,
    )
    open_needs = [need for need in (*waiting.items, *needs.items) if not need.matched]
    return News(
        period=period,
        newcomers=Counted(
            tuple(row["display_name"] for row in await tx.fetch_all(NEWCOMERS, span)),
            await _count(tx, NEWCOMERS_COUNT, span),
        ),
        offers=offers,
        needs=needs,
        waiting=waiting,
        candidates=await candidates(tx, open_needs, capacity, per_level),
        started=await _matches(tx, STARTED, STARTED_COUNT, span),
        finished=await _matches(tx, FINISHED, FINISHED_COUNT, span),
        work=tuple(
            DomainWork(row["domain"], row["contributions"], row["minutes"])
            for row in await tx.fetch_all(WORK, span)
        ),
        thanks=Counted(
            tuple(
                Thanks(row["by_name"], row["member_name"], row["what"], row["minutes"])
                for row in await tx.fetch_all(THANKS, span)
            ),
            await _count(tx, THANKS_COUNT, span),
        ),
        closed_polls=Counted(
            tuple(_closed_poll(row) for row in await tx.fetch_all(CLOSED_POLLS, span)),
            await _count(tx, CLOSED_POLLS_COUNT, span),
        ),
        open_polls=Counted(
            tuple(
                OpenPoll(
                    Ref(RefKind.POLL, row["id"]),
                    row["question"],
                    datetime.fromisoformat(row["closes_at"]),
                )
                for row in await tx.fetch_all(OPEN_POLLS, span)
            ),
            await _count(tx, OPEN_POLLS_COUNT, span),
        ),
    )


# The chart after the digest: confirmed minutes by domain in each of the weeks before :end,
# from the contributions' time index, a few weeks' rows. Week 0 is [:end - 7 days, :end), in
# whole seconds (a digest's period ends on one).
WEEKLY_HOURS = f"""
SELECT (CAST(strftime('%s', :end) AS INTEGER) - CAST(strftime('%s', created_at) AS INTEGER) - 1)
         / 604800 AS week,
       domain, sum(minutes) AS minutes
FROM contribution
WHERE created_at >= :start AND created_at < :end AND minutes IS NOT NULL
  AND voided_at IS NULL AND {CONFIRMATIONS} >= :required
GROUP BY week, domain
"""


async def weekly_hours(
    tx: Transaction, end: datetime, weeks: int, required: int
) -> dict[str, tuple[int, ...]]:
    """Each domain's confirmed minutes in each of the ``weeks`` weeks before ``end``, the
    oldest first; domains without any are left out. ``required``: confirmations that make a
    contribution count."""
    params = {
        "start": stored_time(end - timedelta(weeks=weeks)),
        "end": stored_time(end),
        "required": required,
    }
    minutes: dict[str, list[int]] = {}
    for row in await tx.fetch_all(WEEKLY_HOURS, params):
        minutes.setdefault(row["domain"], [0] * weeks)[weeks - 1 - row["week"]] = row["minutes"]
    return {domain: tuple(each) for domain, each in minutes.items() if any(each)}


async def candidates(
    tx: Transaction, needs: Sequence[Posted], capacity: int, per_level: int
) -> Candidates:
    """For each need, ``per_level`` open offers with places left at each level above it, in
    one query; and the listings and past pairs of the people involved, for the score."""
    arms: list[str] = []
    params: list[object] = []
    for need in needs:
        for level in range(need.level + 1, 6):
            arms.append(OFFERS_AT_LEVEL)
            params += [need.skill_id, level, need.member, capacity, per_level]
    rows = await tx.fetch_all(" UNION ALL ".join(arms), params) if arms else []
    offers = {
        row["id"]: Offer(
            row["id"], row["member"], row["skill_id"], row["level"], capacity - row["taken"]
        )
        for row in rows
    }
    mentees = sorted({need.member for need in needs})
    people = sorted({*mentees, *(offer.member for offer in offers.values())})
    listed = await tx.fetch_all(LISTED_BY.format(_marks(people)), people) if people else []
    paired = await tx.fetch_all(PAIRED_BY.format(_marks(mentees)), mentees) if mentees else []
    return Candidates(
        offers=tuple(offers.values()),
        history=history_from(
            ((row["member"], row["kind"], row["skill_id"]) for row in listed), paired
        ),
        names=await members.display_names(tx, sorted({o.member for o in offers.values()})),
    )


async def _posted(tx: Transaction, kind: Kind, span: dict[str, object]) -> Counted[Posted]:
    wanted = {**span, "kind": kind}
    return Counted(
        tuple(_poster(row) for row in await tx.fetch_all(POSTED, wanted)),
        await _count(tx, POSTED_COUNT, wanted),
    )


def _poster(row: Row) -> Posted:
    return Posted(
        ref=ref_of(row["kind"], row["id"]),
        member=row["member"],
        name=row["member_name"],
        skill_id=row["skill_id"],
        skill=row["skill_name"],
        level=row["level"],
        created_at=datetime.fromisoformat(row["created_at"]),
        matched=bool(row["matched"]),
    )


async def _matches(
    tx: Transaction, sql: str, count_sql: str, span: dict[str, object]
) -> Counted[MatchNews]:
    return Counted(
        tuple(
            MatchNews(
                Ref(RefKind.MATCH, row["id"]),
                row["mentee_name"],
                row["mentor_name"],
                row["skill_name"],
            )
            for row in await tx.fetch_all(sql, span)
        ),
        await _count(tx, count_sql, span),
    )


def _closed_poll(row: Row) -> ClosedPoll:
    """``result`` is the tally written at the close: voters, total weight, and per answer."""
    result = row["result"]
    return ClosedPoll(
        ref=Ref(RefKind.POLL, row["id"]),
        question=row["question"],
        answers=tuple(json.loads(row["answers"])),
        equal=bool(row["equal"]),
        result=None if result is None else FinalResult.from_json(result),
    )


async def _count(tx: Transaction, sql: str, params: Params) -> int:
    return int(await tx.fetch_value(sql, params))


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


# --- exactly once ---------------------------------------------------------------------------


async def claim(
    tx: Transaction, room_id: str, period_end: datetime, at: datetime, late: bool
) -> bool:
    """Take the room's digest for the period ending at ``period_end``; False if it was
    already taken, by this run or any earlier one."""
    changed = await tx.execute(
        "INSERT OR IGNORE INTO digest_sent (room_id, period_end, sent_at, late) "
        "VALUES (?, ?, ?, ?)",
        (room_id, stored_time(period_end), stored_time(at), int(late)),
    )
    return changed > 0


async def set_text(tx: Transaction, room_id: str, period_end: datetime, text: Text) -> None:
    """Keep what the claimed digest says, so it can be sent again as it was."""
    await tx.execute(
        "UPDATE digest_sent SET body = ?, html = ? WHERE room_id = ? AND period_end = ?",
        (text.plain, text.html, room_id, stored_time(period_end)),
    )


@dataclass(frozen=True)
class Unsent:
    """A digest claimed and written, whose sending was cut short."""

    room_id: str
    period_end: datetime
    text: Text


async def unsent(tx: Transaction) -> list[Unsent]:
    rows = await tx.fetch_all(
        "SELECT room_id, period_end, body, html FROM digest_sent"
        " WHERE event_id IS NULL AND body IS NOT NULL ORDER BY period_end"
    )
    return [
        Unsent(
            row["room_id"],
            datetime.fromisoformat(row["period_end"]),
            Text(row["body"], row["html"]),
        )
        for row in rows
    ]


async def set_event(tx: Transaction, room_id: str, period_end: datetime, event_id: str) -> None:
    """Remember the message the digest went out as; its text, kept only to finish a send cut
    short, goes (it names members, who may ask to be forgotten)."""
    await tx.execute(
        "UPDATE digest_sent SET event_id = ?, body = NULL, html = NULL"
        " WHERE room_id = ? AND period_end = ?",
        (event_id, room_id, stored_time(period_end)),
    )


async def release(tx: Transaction, room_id: str, period_end: datetime) -> None:
    """Give back a claim whose digest could not be sent, so a later run sends it."""
    await tx.execute(
        "DELETE FROM digest_sent WHERE room_id = ? AND period_end = ?",
        (room_id, stored_time(period_end)),
    )


async def last_sent(tx: Transaction, room_id: str) -> datetime | None:
    """The end of the latest period the room was sent (or is being sent) a digest for."""
    value = await tx.fetch_value(
        "SELECT max(period_end) FROM digest_sent WHERE room_id = ?", (room_id,)
    )
    return read_time(value)
