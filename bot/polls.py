"""A poll's life beyond one command: posting it, keeping its votes in line with the
homeserver's, counting, closing once and announcing the result.

Commands (``bot.commands.polls``) and the scheduler both drive it; it holds no state of its
own, everything is read from and written to the store.
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.config import Config
from bot.domain.tally import FinalResult, Tally, ballots, tally
from bot.i18n import Catalogue, Text
from bot.messages import IncomingPollResponse, Transport, transaction_id
from bot.store import polls
from bot.store.database import Database, Transaction
from bot.store.polls import Poll

log = logging.getLogger(__name__)


async def publish(database: Database, transport: Transport, poll: Poll) -> bool:
    """Post the native poll and note its event; a poll that cannot be posted is dropped.

    The transaction id is the poll's: posting again after a crash between the post and
    its note gives back the first card, never a second one.
    """
    txn_id = transaction_id("poll-start", poll.room_id, str(poll.id), poll.opened_at.isoformat())
    try:
        event_id = await transport.send_poll(
            poll.room_id, poll.question, poll.answers, poll.max_selections, not poll.secret, txn_id
        )
    except Exception:
        log.exception("could not post %s in %s", poll.ref, poll.room_id)
        async with database.transaction() as tx:
            await polls.withdraw_unpublished(tx, poll.id)
        return False
    async with database.transaction() as tx:
        await polls.set_start_event(tx, poll.id, event_id)
    return True


async def keep(tx: Transaction, found: Poll, response: IncomingPollResponse) -> None:
    """A click on a closed poll changes nothing, so nothing of it is kept."""
    if not found.is_open:
        return
    await polls.record_response(
        tx, found.id, response.event_id, response.sender, response.answers, response.sent_at
    )


async def refresh(database: Database, transport: Transport, found: Poll) -> bool:
    """Bring an open poll's responses in line with the homeserver's list: clicks made while
    the bot was away are added, clicks taken back meanwhile (no longer listed) withdrawn.

    False when the list could not be read whole: a partial one would withdraw real votes.
    """
    assert found.start_event is not None
    async with database.transaction() as tx:
        mark = await polls.response_mark(tx)
    history = await transport.poll_history(found.room_id, found.start_event)
    if history is None:
        return False
    async with database.transaction() as tx:
        current = await polls.get(tx, found.id)
        if current is None or not current.is_open:
            return True  # closed meanwhile: its result stands as announced
        for response in history.responses:
            await keep(tx, found, response)
        await polls.withdraw_unlisted_clicks(tx, found.id, sorted(history.listed), mark)
    return True


async def current_tally(tx: Transaction, found: Poll, until: datetime) -> Tally:
    latest = await polls.latest_responses(tx, found.id, until)
    counted = ballots(latest, found.answer_ids, found.max_selections, until)
    if found.equal:
        return tally(counted, found.answer_ids, {})
    frozen = await polls.frozen_weights(tx, found.id)
    bounded = await polls.bounded_members(tx, found.id)
    return tally(counted, found.answer_ids, frozen, bounded=bounded)


def render_result(t: Catalogue, config: Config, found: Poll, result: FinalResult) -> Text:
    """Weighted totals beside the head count, each answer's share; the leaders in bold."""
    leading = result.leading(by_heads=found.equal)
    lines = [
        t(
            "polls.result_title" if found.is_open else "polls.final_title",
            ref=str(found.ref),
            question=found.question,
        )
    ]
    for number, (answer, voters, weighed) in enumerate(
        zip(found.answers, result.answer_voters, result.answer_weights, strict=True), 1
    ):
        share = 100 * weighed / result.total_weight if result.total_weight else 0.0
        key = "polls.result_leader" if number - 1 in leading else "polls.result_line"
        lines.append(
            t(
                key,
                number=number,
                answer=answer,
                share=t.number(share, 0),
                weight=t.number(weighed, 2),
                voters=voters,
            )
        )
    lines.append(
        t(
            "polls.result_equal" if found.equal else "polls.result_totals",
            voters=result.voters,
            weight=t.number(result.total_weight, 2),
        )
    )
    if result.bounded_voters:
        lines.append(t("polls.result_bounded", count=result.bounded_voters))
    if found.is_open:
        lines.append(
            t(
                "polls.result_open",
                closes=t.moment(found.closes_at, ZoneInfo(config.digest.timezone)),
            )
        )
    return Text.join(lines)


async def close_poll(
    database: Database,
    transport: Transport,
    config: Config,
    clock: Clock,
    t: Catalogue,
    poll_id: int,
    *,
    unread_history_ok: bool,
) -> bool:
    """Count every response the homeserver holds, close once, end the native poll, post the
    result; False when the responses could not be read and the close should wait.

    Responses after the deadline do not count, even when the bot closes late (it was down).
    """
    async with database.transaction() as tx:
        found = await polls.get(tx, poll_id)
    if found is None or not found.is_open or found.start_event is None:
        return True
    if not await refresh(database, transport, found):
        if not unread_history_ok:
            return False
        log.warning("closing %s with the responses already seen", found.ref)
    until = min(clock.now(), found.closes_at)
    async with database.transaction() as tx:
        result = FinalResult.of(await current_tally(tx, found, until))
        if not await polls.close(tx, found.id, until, result):
            return True  # closed meanwhile by someone else (the scheduler, a moderator)
        closed = await polls.get(tx, found.id)
    assert closed is not None
    await announce_result(database, transport, config, t, closed)
    return True


async def announce_result(
    database: Database, transport: Transport, config: Config, t: Catalogue, closed: Poll
) -> None:
    """The end event clients need, and the weighted result in the poll's thread; each with
    its own transaction id, so announcing again after a stop makes no second message."""
    assert closed.start_event is not None
    assert closed.result is not None
    text = render_result(t, config, closed, closed.result)
    ids = (closed.room_id, closed.start_event)
    try:
        end_event = await transport.end_poll(
            closed.room_id, closed.start_event, text.plain, transaction_id("poll-end", *ids)
        )
        await transport.post(
            closed.room_id,
            text,
            transaction_id("poll-result", *ids),
            thread_root=closed.start_event,
        )
    except Exception:
        log.exception("could not announce the end of %s in %s", closed.ref, closed.room_id)
        return
    async with database.transaction() as tx:
        await polls.set_end_event(tx, closed.id, end_event)
