"""Polls (``p2``), the weights frozen when they opened, and every response they received."""

from __future__ import annotations

import json
import secrets
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.ledger import Ref, RefKind
from bot.domain.quorum import Quorum
from bot.domain.tally import FinalResult, Response
from bot.store.database import Row, Transaction, read_time, stored_time

_SELECT = """
    SELECT id, room_id, creator, question, answers, max_selections, secret, equal, domain,
           opened_at, closes_at, closed_at, start_event, end_event, result, thread_root,
           abstain, quorum, quorum_weight, members, members_weight, remind_at, reminded_at,
           reminder_event, kind, amends, (SELECT id FROM poll AS later
           WHERE later.amends = poll.id ORDER BY id LIMIT 1) AS amended_by
    FROM poll
"""


@dataclass(frozen=True)
class Poll:
    id: int
    room_id: str
    creator: str | None  # None once the creator asked to be forgotten
    question: str
    answers: tuple[str, ...]
    max_selections: int
    secret: bool  # results hidden until the close
    equal: bool  # one member, one vote
    domain: str | None
    opened_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    start_event: str | None  # the native poll; None until it is posted
    end_event: str | None
    result: FinalResult | None
    thread_root: str | None = None  # asked for in a thread: posted there
    abstain: bool = False  # its last answer is "abstain" (offered with a quorum)
    quorum: Quorum = field(default_factory=Quorum)
    members: int | None = None  # the room's members at the opening, for the quorum
    members_weight: float | None = None  # their total frozen weight
    remind_at: datetime | None = None  # when to remind those who have not voted
    reminded_at: datetime | None = None  # decided: the reminder is owed
    reminder_event: str | None = None  # sent
    kind: str = "poll"  # or "proposal": consent / objection / abstain
    amends: int | None = None  # the proposal this round amends
    amended_by: int | None = None  # the round that amends this one

    @property
    def is_proposal(self) -> bool:
        return self.kind == "proposal"

    @property
    def objection_id(self) -> str | None:
        """A proposal's "I object" answer: the second (consent, objection, abstain)."""
        return "2" if self.is_proposal else None

    @property
    def choices(self) -> tuple[str, ...]:
        """The answers that can win: all but "abstain"."""
        return self.answers[:-1] if self.abstain else self.answers

    @property
    def abstain_id(self) -> str | None:
        """The answer id that abstains: the last, when the poll offers it."""
        return str(len(self.answers)) if self.abstain else None

    @property
    def ref(self) -> Ref:
        return Ref(RefKind.POLL, self.id)

    @property
    def result_thread(self) -> str | None:
        """Where its result goes: the thread it is in, or the one it starts (threads do not
        nest)."""
        return self.thread_root or self.start_event

    @property
    def answer_ids(self) -> tuple[str, ...]:
        """The ids the native poll gives its answers: their numbers, as ``!vote`` takes them."""
        return tuple(str(number) for number in range(1, len(self.answers) + 1))

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


def _poll(row: Row) -> Poll:
    result = row["result"]
    return Poll(
        id=row["id"],
        room_id=row["room_id"],
        creator=row["creator"],
        question=row["question"],
        answers=tuple(json.loads(row["answers"])),
        max_selections=row["max_selections"],
        secret=bool(row["secret"]),
        equal=bool(row["equal"]),
        domain=row["domain"],
        opened_at=datetime.fromisoformat(row["opened_at"]),
        closes_at=datetime.fromisoformat(row["closes_at"]),
        closed_at=read_time(row["closed_at"]),
        start_event=row["start_event"],
        end_event=row["end_event"],
        result=None if result is None else FinalResult.from_json(result),
        thread_root=row["thread_root"],
        abstain=bool(row["abstain"]),
        quorum=Quorum(row["quorum"], row["quorum_weight"]),
        members=row["members"],
        members_weight=row["members_weight"],
        remind_at=read_time(row["remind_at"]),
        reminded_at=read_time(row["reminded_at"]),
        reminder_event=row["reminder_event"],
        kind=row["kind"],
        amends=row["amends"],
        amended_by=row["amended_by"],
    )


@dataclass(frozen=True)
class NewPoll:
    """What a member asked for when opening a poll."""

    room_id: str
    creator: str
    question: str
    answers: tuple[str, ...]
    max_selections: int
    secret: bool
    equal: bool
    domain: str | None
    opened_at: datetime
    closes_at: datetime
    thread_root: str | None = None
    abstain: bool = False
    quorum: Quorum = field(default_factory=Quorum)
    members: int | None = None
    members_weight: float | None = None
    remind_at: datetime | None = None
    kind: str = "poll"
    amends: int | None = None


async def open_poll(
    tx: Transaction,
    new: NewPoll,
    weights: Mapping[str, float],
    bounded: Collection[str] = frozenset(),
) -> Poll:
    """Record the poll with its frozen weights (members left out weigh 1), marking the
    members whose hours a bound cut."""
    poll_id = await tx.insert(
        "INSERT INTO poll (room_id, creator, question, answers, max_selections, secret, equal,"
        " domain, opened_at, closes_at, thread_root, abstain, quorum, quorum_weight, members,"
        " members_weight, remind_at, kind, amends)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new.room_id,
            new.creator,
            new.question,
            json.dumps(list(new.answers), ensure_ascii=False),
            new.max_selections,
            new.secret,
            new.equal,
            new.domain,
            stored_time(new.opened_at),
            stored_time(new.closes_at),
            new.thread_root,
            new.abstain,
            new.quorum.heads,
            new.quorum.weight,
            new.members,
            new.members_weight,
            None if new.remind_at is None else stored_time(new.remind_at),
            new.kind,
            new.amends,
        ),
    )
    kept = {member: weight for member, weight in weights.items() if weight != 1.0}
    kept.update((member, weights.get(member, 1.0)) for member in bounded)
    await tx.executemany(
        "INSERT INTO poll_weight (poll_id, member, weight, bounded) VALUES (?, ?, ?, ?)",
        ((poll_id, member, weight, member in bounded) for member, weight in kept.items()),
    )
    poll = await get(tx, poll_id)
    assert poll is not None
    return poll


async def get(tx: Transaction, poll_id: int) -> Poll | None:
    row = await tx.fetch_one(_SELECT + " WHERE id = ?", (poll_id,))
    return None if row is None else _poll(row)


async def by_start_event(tx: Transaction, event_id: str) -> Poll | None:
    row = await tx.fetch_one(_SELECT + " WHERE start_event = ?", (event_id,))
    return None if row is None else _poll(row)


async def still_open(tx: Transaction, room_id: str | None = None) -> list[Poll]:
    """Open polls, the soonest to close first; in one room, or everywhere."""
    where = " WHERE closed_at IS NULL" + ("" if room_id is None else " AND room_id = ?")
    params = () if room_id is None else (room_id,)
    rows = await tx.fetch_all(_SELECT + where + " ORDER BY closes_at, id", params)
    return [_poll(row) for row in rows]


async def unannounced(tx: Transaction) -> list[Poll]:
    """Polls closed and counted whose result was never posted (the bot stopped in between)."""
    rows = await tx.fetch_all(
        _SELECT + " WHERE closed_at IS NOT NULL AND result_event IS NULL"
        " AND start_event IS NOT NULL ORDER BY closed_at"
    )
    return [_poll(row) for row in rows]


async def set_start_event(tx: Transaction, poll_id: int, event_id: str) -> None:
    await tx.execute("UPDATE poll SET start_event = ? WHERE id = ?", (event_id, poll_id))


async def set_end_event(tx: Transaction, poll_id: int, event_id: str) -> None:
    await tx.execute("UPDATE poll SET end_event = ? WHERE id = ?", (event_id, poll_id))


async def take_end(tx: Transaction, poll_id: int, event_id: str, at: datetime) -> bool:
    """An open poll ends with ``event_id``, sent at ``at``: its close time from now on. The
    first end counts, as in clients: an end known already stays unless this one came before
    it (or is the same, its time now read from the homeserver). False if nothing changed."""
    changed = await tx.execute(
        "UPDATE poll SET end_event = ?, closes_at = ? WHERE id = ? AND closed_at IS NULL"
        " AND (end_event IS NULL OR end_event = ? OR closes_at > ?)",
        (event_id, stored_time(at), poll_id, event_id, stored_time(at)),
    )
    return changed == 1


async def set_result_event(tx: Transaction, poll_id: int, event_id: str) -> None:
    await tx.execute("UPDATE poll SET result_event = ? WHERE id = ?", (event_id, poll_id))


async def close(tx: Transaction, poll_id: int, at: datetime, result: FinalResult) -> bool:
    """Close the poll with its final result; False if it was closed already (closing is once).
    The withdrawn clicks of forgotten members, kept by event id while the poll could read
    its clicks again, go: the result is what counts now."""
    changed = await tx.execute(
        "UPDATE poll SET closed_at = ?, result = ? WHERE id = ? AND closed_at IS NULL",
        (stored_time(at), result.to_json(), poll_id),
    )
    await tx.execute(
        f"DELETE FROM poll_response WHERE poll_id = ? AND voter LIKE '{FORGOTTEN}%'", (poll_id,)
    )
    return changed == 1


async def bring_forward(tx: Transaction, poll_id: int, to: datetime) -> None:
    """An early close (``!poll close``) is a deadline of now: what closes due polls at
    start-up finishes it if the bot stops before it is done."""
    await tx.execute(
        "UPDATE poll SET closes_at = ? WHERE id = ? AND closed_at IS NULL AND closes_at > ?",
        (stored_time(to), poll_id, stored_time(to)),
    )


async def withdraw_unpublished(tx: Transaction, poll_id: int) -> None:
    """A poll whose native event could not be posted never existed for the room."""
    await tx.execute("DELETE FROM poll WHERE id = ? AND start_event IS NULL", (poll_id,))


async def frozen_weights(tx: Transaction, poll_id: int) -> dict[str, float]:
    rows = await tx.fetch_all(
        "SELECT member, weight FROM poll_weight WHERE poll_id = ?", (poll_id,)
    )
    return {row["member"]: row["weight"] for row in rows}


async def bounded_members(tx: Transaction, poll_id: int) -> set[str]:
    """Whose hours a bound cut when the poll froze the weights."""
    rows = await tx.fetch_all(
        "SELECT member FROM poll_weight WHERE poll_id = ? AND bounded", (poll_id,)
    )
    return {row[0] for row in rows}


async def frozen_weight(tx: Transaction, poll_id: int, member: str) -> float:
    weight = await tx.fetch_value(
        "SELECT weight FROM poll_weight WHERE poll_id = ? AND member = ?", (poll_id, member)
    )
    return 1.0 if weight is None else float(weight)


async def record_response(
    tx: Transaction,
    poll_id: int,
    event_id: str,
    voter: str,
    answers: Sequence[str] | None,
    sent_at: datetime,
    *,
    typed: bool = False,
) -> bool:
    """Keep one response event; False if it was known (a sync and a catch-up both saw it).

    ``typed``: a ``!vote`` command, not a click; the homeserver lists only clicks as the
    poll's responses.
    """
    changed = await tx.execute(
        "INSERT OR IGNORE INTO poll_response (event_id, poll_id, voter, answers, sent_at, typed)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            event_id,
            poll_id,
            voter,
            None if answers is None else json.dumps(list(answers)),
            stored_time(sent_at),
            typed,
        ),
    )
    return changed == 1


async def redact_response(tx: Transaction, event_id: str) -> bool:
    """The voter took that response back, and their previous one counts again — while the
    poll is open: a closed poll's result is the one announced."""
    changed = await tx.execute(
        "UPDATE poll_response SET redacted = 1 WHERE event_id = ? AND redacted = 0"
        " AND poll_id IN (SELECT id FROM poll WHERE closed_at IS NULL)",
        (event_id,),
    )
    return changed == 1


async def response_mark(tx: Transaction) -> int:
    """Where the kept responses end now: those kept later have a greater row id."""
    return int(await tx.fetch_value("SELECT coalesce(max(rowid), 0) FROM poll_response"))


async def withdraw_unlisted_clicks(
    tx: Transaction, poll_id: int, listed: Sequence[str], mark: int
) -> int:
    """Clicks the homeserver no longer lists were redacted, maybe while the bot was away.

    Only clicks kept before the list was asked for (``mark``): one that came by sync while
    it was being read is simply not in it yet.
    """
    return await tx.execute(
        "UPDATE poll_response SET redacted = 1 WHERE poll_id = ? AND typed = 0 AND redacted = 0"
        " AND rowid <= ? AND event_id NOT IN (SELECT value FROM json_each(?))",
        (poll_id, mark, json.dumps(list(listed))),
    )


async def responses(tx: Transaction, poll_id: int) -> list[Response]:
    """Every response the poll received, redacted and late ones included."""
    rows = await tx.fetch_all(
        "SELECT event_id, voter, answers, sent_at, redacted FROM poll_response WHERE poll_id = ?",
        (poll_id,),
    )
    return [_response(row) for row in rows]


async def latest_responses(tx: Transaction, poll_id: int, until: datetime) -> list[Response]:
    """Each voter's latest standing response up to ``until``: all that counting needs.

    The same choice ``tally.ballots`` makes, done by SQLite so that a poll whose members
    changed their minds often is read once per voter, not once per click.
    """
    rows = await tx.fetch_all(
        """
        SELECT event_id, voter, answers, sent_at, redacted FROM (
            SELECT *, row_number() OVER (
                PARTITION BY voter ORDER BY sent_at DESC, event_id DESC
            ) AS recency
            FROM poll_response
            WHERE poll_id = ? AND redacted = 0 AND sent_at <= ?
        ) WHERE recency = 1
        """,
        (poll_id, stored_time(until)),
    )
    return [_response(row) for row in rows]


def _sent_answers(row: Row) -> tuple[str, ...] | None:
    """A response's answer ids as sent; None when its event carried no answer list."""
    answers = row["answers"]
    return None if answers is None else tuple(json.loads(answers))


def _response(row: Row) -> Response:
    return Response(
        event_id=row["event_id"],
        voter=row["voter"],
        answers=_sent_answers(row),
        sent_at=datetime.fromisoformat(row["sent_at"]),
        redacted=bool(row["redacted"]),
    )


@dataclass(frozen=True)
class ForgottenVotes:
    kept: int  # closed polls whose announced result still counts the vote, anonymously
    withdrawn: int  # open polls where the vote is gone (the member may vote again)


_OPEN = "SELECT id FROM poll WHERE closed_at IS NULL"
FORGOTTEN = "forgotten:"  # the pseudonyms' prefix


async def forget_member(tx: Transaction, member: str) -> ForgottenVotes:
    """A closed poll keeps the member's vote only inside its announced result, an anonymous
    count: her responses and weights there go. In a poll still open the vote is withdrawn
    (a stranger now, she could vote a second time); each click stays, emptied and taken
    back, under a pseudonym nobody can trace back, by its event id, until the close: the
    clicks stay on the homeserver, and reading them again must not bring hers back."""
    counts = await tx.fetch_one(
        f"SELECT count(DISTINCT CASE WHEN poll_id NOT IN ({_OPEN}) THEN poll_id END) AS kept,"
        f" count(DISTINCT CASE WHEN poll_id IN ({_OPEN}) THEN poll_id END) AS withdrawn"
        " FROM poll_response WHERE voter = ?",
        (member,),
    )
    assert counts is not None
    await tx.execute(
        f"DELETE FROM poll_response WHERE voter = ? AND poll_id NOT IN ({_OPEN})", (member,)
    )
    await tx.execute("DELETE FROM poll_weight WHERE member = ?", (member,))
    await tx.execute("DELETE FROM objection WHERE member = ?", (member,))
    await tx.execute(
        "UPDATE poll_response SET voter = ?, answers = NULL, redacted = 1 WHERE voter = ?",
        (f"{FORGOTTEN}{secrets.token_hex(8)}", member),
    )
    await tx.execute("UPDATE poll SET creator = NULL WHERE creator = ?", (member,))
    return ForgottenVotes(counts["kept"], counts["withdrawn"])


# --- a member's part, and the community's whole, for !mydata, !forget me and the export --


@dataclass(frozen=True)
class SentResponse:
    """One response a member sent to a poll, as it is kept."""

    poll_id: int
    event_id: str
    answers: tuple[str, ...] | None  # the answer ids as sent; None: the event had no list
    sent_at: datetime
    redacted: bool
    poll_open: bool

    @property
    def poll_ref(self) -> Ref:
        return Ref(RefKind.POLL, self.poll_id)


@dataclass(frozen=True)
class ResponseCount:
    """How many answered a poll; the tally alone says which responses count."""

    responses: int  # response events kept, taken back and late ones included
    respondents: int  # members (or the pseudonyms of forgotten ones, until the close) who sent any


async def opened_by(tx: Transaction, creator: str) -> list[Poll]:
    """The polls a member opened, newest first; forgotten creators have none."""
    rows = await tx.fetch_all(
        _SELECT + " WHERE creator = ? ORDER BY opened_at DESC, id DESC", (creator,)
    )
    return [_poll(row) for row in rows]


async def responses_of(tx: Transaction, voter: str) -> list[SentResponse]:
    """Every response a member sent, to any poll, newest first."""
    rows = await tx.fetch_all(
        "SELECT poll_id, event_id, poll_response.answers, sent_at, redacted,"
        " poll.closed_at IS NULL AS poll_open"
        " FROM poll_response JOIN poll ON poll.id = poll_id"
        " WHERE voter = ? ORDER BY sent_at DESC, event_id DESC",
        (voter,),
    )
    return [
        SentResponse(
            poll_id=row["poll_id"],
            event_id=row["event_id"],
            answers=_sent_answers(row),
            sent_at=datetime.fromisoformat(row["sent_at"]),
            redacted=bool(row["redacted"]),
            poll_open=bool(row["poll_open"]),
        )
        for row in rows
    ]


async def weights_frozen_for(tx: Transaction, member: str) -> dict[int, float]:
    """Poll id → the weight frozen for the member when it opened (polls where it was 1: absent)."""
    rows = await tx.fetch_all(
        "SELECT poll_id, weight FROM poll_weight WHERE member = ? ORDER BY poll_id", (member,)
    )
    return {row["poll_id"]: row["weight"] for row in rows}


async def every(tx: Transaction) -> list[Poll]:
    """Every poll kept, open and closed, in the order they were opened."""
    rows = await tx.fetch_all(_SELECT + " ORDER BY id")
    return [_poll(row) for row in rows]


async def response_counts(
    tx: Transaction, poll_ids: Sequence[int] | None = None
) -> dict[int, ResponseCount]:
    """Poll id → its responses and respondents, for some polls or all; unanswered polls absent."""
    where, params = "", list(poll_ids or ())
    if poll_ids is not None:
        if not poll_ids:
            return {}
        where = f" WHERE poll_id IN ({','.join('?' * len(poll_ids))})"
    rows = await tx.fetch_all(
        "SELECT poll_id, count(*) AS responses, count(DISTINCT voter) AS respondents"
        f" FROM poll_response{where} GROUP BY poll_id",
        params,
    )
    return {row["poll_id"]: ResponseCount(row["responses"], row["respondents"]) for row in rows}


async def reminders_due(tx: Transaction) -> list[Poll]:
    """Open polls whose reminder is still to send: at its time, or owed since a stop."""
    rows = await tx.fetch_all(
        _SELECT + " WHERE remind_at IS NOT NULL AND reminder_event IS NULL"
        " AND closed_at IS NULL AND start_event IS NOT NULL ORDER BY remind_at, id"
    )
    return [_poll(row) for row in rows]


async def owe_reminder(tx: Transaction, poll_id: int, at: datetime) -> None:
    """The reminder is decided: from now on a stop does not lose it (nor send it twice: it
    goes out with the poll's transaction id)."""
    await tx.execute(
        "UPDATE poll SET reminded_at = coalesce(reminded_at, ?) WHERE id = ?",
        (stored_time(at), poll_id),
    )


async def reminder_sent(tx: Transaction, poll_id: int, event_id: str) -> None:
    """``event_id`` is "" when there was nobody to remind."""
    await tx.execute("UPDATE poll SET reminder_event = ? WHERE id = ?", (event_id, poll_id))


@dataclass(frozen=True)
class Objection:
    member: str
    reason: str
    raised_at: datetime
    poll_id: int = 0

    @property
    def poll_ref(self) -> Ref:
        return Ref(RefKind.POLL, self.poll_id)


async def object_to(tx: Transaction, poll_id: int, member: str, reason: str, at: datetime) -> None:
    """A member's reason for objecting; a new one replaces the last."""
    await tx.execute(
        "INSERT INTO objection (poll_id, member, reason, raised_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (poll_id, member) DO UPDATE SET reason = excluded.reason,"
        " raised_at = excluded.raised_at",
        (poll_id, member, reason, stored_time(at)),
    )


async def objections(tx: Transaction, poll_id: int) -> dict[str, Objection]:
    """Each objector's reason, by member."""
    rows = await tx.fetch_all(
        "SELECT member, reason, raised_at FROM objection WHERE poll_id = ? ORDER BY raised_at",
        (poll_id,),
    )
    return {row[0]: Objection(row[0], row[1], datetime.fromisoformat(row[2])) for row in rows}


async def settle_objections(
    tx: Transaction, poll_id: int, standing: Sequence[str], at: datetime
) -> None:
    """At the close: the objections that stand are kept (with no reason when none was
    given), those taken back go, since the votes themselves go at the close."""
    await tx.execute(
        f"DELETE FROM objection WHERE poll_id = ? AND member NOT IN"
        f" ({', '.join('?' * len(standing))})",
        (poll_id, *standing),
    )
    await tx.executemany(
        "INSERT INTO objection (poll_id, member, reason, raised_at) VALUES (?, ?, '', ?)"
        " ON CONFLICT DO NOTHING",
        ((poll_id, member, stored_time(at)) for member in standing),
    )


async def objections_by(tx: Transaction, member: str) -> list[Objection]:
    """The objections a member raised, with their reasons; the newest first."""
    rows = await tx.fetch_all(
        "SELECT member, reason, raised_at, poll_id FROM objection WHERE member = ?"
        " ORDER BY raised_at DESC",
        (member,),
    )
    return [Objection(row[0], row[1], datetime.fromisoformat(row[2]), row[3]) for row in rows]
