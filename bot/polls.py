"""A poll's life beyond one command: posting it, keeping its votes in line with the
homeserver's, ending, counting, closing once and announcing the result.

``PollKeeper`` owns the network side of it, built once (``bot.app``) and handed to the
commands, the intake and the scheduler. What runs inside another's transaction (keeping a
vote, taking in an end, counting, rendering) stays plain functions. Everything is read from
and written to the store: a stop anywhere leaves what the next start needs to finish.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import poll_charts
from bot.clock import Clock
from bot.config import Config
from bot.domain.quorum import Turnout, Verdict, judge
from bot.domain.tally import FinalResult, Tally, ballots, tally
from bot.i18n import Catalogue, Text
from bot.messages import (
    IncomingPollEnd,
    IncomingPollResponse,
    PollHistory,
    Transport,
    transaction_id,
)
from bot.store import members, polls
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
            poll.room_id,
            poll.question,
            poll.answers,
            poll.max_selections,
            not poll.secret,
            txn_id,
            thread_root=poll.thread_root,
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


async def take_end(tx: Transaction, end: IncomingPollEnd) -> Poll | None:
    """A member allowed to (Element's "End poll") ended one of the bot's polls: it closes at
    the end's time. The poll, if the end counts (the bot's poll, here, still open, not ended
    earlier); closing it is the caller's, once this is committed."""
    found = await polls.by_start_event(tx, end.poll_event)
    if found is None or found.room_id != end.room_id:
        return None
    return found if await polls.take_end(tx, found.id, end.event_id, end.sent_at) else None


async def current_tally(tx: Transaction, found: Poll, until: datetime) -> Tally:
    latest = await polls.latest_responses(tx, found.id, until)
    counted = ballots(latest, found.answer_ids, found.max_selections, until)
    if found.equal:
        return tally(counted, found.answer_ids, {}, abstain=found.abstain_id)
    frozen = await polls.frozen_weights(tx, found.id)
    bounded = await polls.bounded_members(tx, found.id)
    return tally(counted, found.answer_ids, frozen, bounded=bounded, abstain=found.abstain_id)


async def describe(
    tx: Transaction,
    t: Catalogue,
    config: Config,
    found: Poll,
    result: FinalResult,
    room_names: Mapping[str, str],
) -> Text:
    """The result as members read it; a proposal's names its standing objections, as the
    room shows them (``room_names``), or as last seen for those who left."""
    if not found.is_proposal:
        return render_result(t, config, found, result)
    kept = await polls.objections(tx, found.id)
    names = {**await members.display_names(tx, list(kept)), **room_names}
    objections = [(names.get(member, member), each.reason) for member, each in kept.items()]
    return render_proposal(t, config, found, result, objections)


def render_proposal(
    t: Catalogue,
    config: Config,
    found: Poll,
    result: FinalResult,
    objections: Sequence[tuple[str, str]],
) -> Text:
    """Consent, objections, abstentions; then "adopted" when the quorum is reached and no
    objection stands (an objection is never outweighed), otherwise what stands in the way.
    ``objections``: name and reason of those standing (at the close) or given (while open)."""
    consent, objecting = result.answer_voters
    lines = [
        t(
            "proposals.result_title" if found.is_open else "proposals.final_title",
            ref=str(found.ref),
            question=found.question,
        ),
        t(
            "proposals.result_counts",
            consent=consent,
            weight=t.number(result.answer_weights[0], 2),
            objections=objecting,
            abstentions=result.abstentions,
        ),
    ]
    verdict = quorum_verdict(found, result)
    if verdict is not None:
        lines += _quorum_lines(t, found, result, verdict)
    if found.amended_by is not None:
        lines.append(t("proposals.amended", next=f"p{found.amended_by}"))
    elif objecting:
        lines.append(t("proposals.objections"))
        lines += [
            t("proposals.objection_line", name=name, reason=reason or t.raw("proposals.no_reason"))
            for name, reason in objections
        ]
    elif found.is_open:
        lines.append(
            t(
                "polls.result_open",
                closes=t.moment(found.closes_at, ZoneInfo(config.digest.timezone)),
            )
        )
    elif result.took_part == 0:
        lines.append(t("proposals.nobody"))
    elif verdict is None or verdict.reached:
        lines.append(t("proposals.adopted"))
    return Text.join(lines)


def render_result(t: Catalogue, config: Config, found: Poll, result: FinalResult) -> Text:
    """Weighted totals beside the head count, each answer's share; the leaders in bold. When
    the head count leads elsewhere, both are said: Element marks that one on its card."""
    verdict = quorum_verdict(found, result)
    undecided = verdict is not None and not verdict.reached
    leading = () if undecided else result.leading(by_heads=found.equal)
    lines = [
        t(
            "polls.result_title" if found.is_open else "polls.final_title",
            ref=str(found.ref),
            question=found.question,
        )
    ]
    for number, (answer, voters, weighed) in enumerate(
        zip(found.choices, result.answer_voters, result.answer_weights, strict=True), 1
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
    if found.abstain:
        lines.append(
            t(
                "polls.result_abstentions",
                count=result.abstentions,
                weight=t.number(result.abstention_weight, 2),
            )
        )
    by_heads = result.leading(by_heads=True)
    if not undecided and not found.equal and by_heads != leading:
        lines.append(
            t(
                "polls.result_two_leaders",
                weighted=_named(t, found, leading),
                heads=_named(t, found, by_heads),
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
    if verdict is not None:
        lines += _quorum_lines(t, found, result, verdict)
    if found.is_open:
        lines.append(
            t(
                "polls.result_open",
                closes=t.moment(found.closes_at, ZoneInfo(config.digest.timezone)),
            )
        )
    return Text.join(lines)


def quorum_verdict(found: Poll, result: FinalResult) -> Verdict | None:
    """Whether the poll's quorum is reached by ``result``; None when it asks for none."""
    if not found.quorum.asked or found.members is None:
        return None
    turnout = Turnout(
        members=found.members,
        members_weight=found.members_weight or float(found.members),
        took_part=result.took_part,
        weight_taking_part=result.weight_taking_part,
    )
    return judge(found.quorum, turnout)


def _quorum_lines(t: Catalogue, found: Poll, result: FinalResult, verdict: Verdict) -> list[Text]:
    assert found.members is not None
    lines = []
    if verdict.heads_needed is not None:
        lines.append(
            t(
                "polls.quorum_heads",
                took=result.took_part,
                members=found.members,
                needed=verdict.heads_needed,
            )
        )
    if verdict.weight_needed is not None:
        lines.append(
            t(
                "polls.quorum_weight",
                took=t.number(result.weight_taking_part, 2),
                total=t.number(found.members_weight or 0.0, 2),
                needed=t.number(verdict.weight_needed, 2),
            )
        )
    if verdict.reached:
        lines.append(t("polls.quorum_reached"))
    else:
        lines.append(t("polls.quorum_not_yet" if found.is_open else "polls.quorum_missed"))
    return lines


def _named(t: Catalogue, found: Poll, positions: tuple[int, ...]) -> Text:
    """Answers by position, quoted; tied ones joined with "=" ."""
    return Text.join([t("polls.quoted", answer=found.answers[each]) for each in positions], " = ")


class PollKeeper:
    """Posts, refreshes, ends, closes and announces polls; built once, shared by the commands
    (``!poll close``), the intake (an end from Element) and the scheduler (deadlines, start-up).

    A poll closes at its end event's server time, counting every response sent up to it,
    which is what Element counts: ending first, then counting, is what makes the two agree.
    """

    def __init__(self, config: Config, database: Database, transport: Transport, clock: Clock):
        self._config = config
        self._database = database
        self._transport = transport
        self._clock = clock
        self._t = config.catalogue()
        self._unposted: list[Poll] = []
        self._unannounced: list[Poll] = []

    async def remind(self, poll_id: int) -> None:
        """One message in the poll's thread that pings the room's members who have not voted
        (abstaining is voting) and have not declined reminders; never @room. Owed before it
        is sent, with the poll's transaction id: exactly once across stops."""
        async with self._database.transaction() as tx:
            found = await polls.get(tx, poll_id)
            if found is None or not found.is_open or found.reminder_event is not None:
                return
            if found.start_event is None:
                return
            await polls.owe_reminder(tx, poll_id, self._clock.now())
            latest = await polls.latest_responses(tx, poll_id, found.closes_at)
            voted = ballots(latest, found.answer_ids, found.max_selections).keys()
            declined = await members.declining_reminders(tx)
        names = self._transport.room_members(found.room_id)
        waiting = sorted(set(names) - voted - declined - {self._config.matrix.user_id})
        event_id = ""
        if waiting:
            text = self._t(
                "polls.reminder",
                names=", ".join(names[member] for member in waiting),
                ref=str(found.ref),
                question=found.question,
                closes=self._t.moment(found.closes_at, ZoneInfo(self._config.digest.timezone)),
            )
            event_id = await self._transport.post(
                found.room_id,
                text,
                transaction_id("poll-reminder", found.room_id, found.start_event),
                thread_root=found.result_thread,
                mentions=waiting,
            )
        async with self._database.transaction() as tx:
            await polls.reminder_sent(tx, poll_id, event_id)

    async def recall(self) -> None:
        """Note what the previous run left half done, before any new command can start work
        of the same kind (a poll posted or announced twice would confuse every client)."""
        async with self._database.transaction() as tx:
            self._unposted = [poll for poll in await polls.still_open(tx) if not poll.start_event]
            self._unannounced = await polls.unannounced(tx)

    async def finish_recalled(self) -> None:
        """Post the polls the bot promised but had not posted; announce the results a stop
        kept from being posted."""
        for poll in self._unposted:
            await publish(self._database, self._transport, poll)
        for poll in self._unannounced:
            await self.announce(poll)
        self._unposted, self._unannounced = [], []

    async def refresh(self, found: Poll) -> bool:
        """Bring an open poll in line with the homeserver; False when its list could not be
        read whole."""
        return await self._take_in(found) is not None

    async def _take_in(self, found: Poll) -> PollHistory | None:
        """Clicks made while the bot was away are added, clicks taken back meanwhile (no
        longer listed) withdrawn, and the first end clients accept taken in: a member's sent
        while the bot was away, or the bot's own, with its server time.

        None when the list could not be read whole: a partial one would withdraw real votes.
        """
        assert found.start_event is not None
        async with self._database.transaction() as tx:
            mark = await polls.response_mark(tx)
        history = await self._transport.poll_history(found.room_id, found.start_event)
        if history is None:
            return None
        async with self._database.transaction() as tx:
            current = await polls.get(tx, found.id)
            if current is None or not current.is_open:
                return history  # closed meanwhile: its result stands as announced
            for response in history.responses:
                await keep(tx, current, response)
            await polls.withdraw_unlisted_clicks(tx, found.id, sorted(history.listed), mark)
            if history.ends:
                first = min(history.ends, key=lambda end: (end.sent_at, end.event_id))
                await polls.take_end(tx, found.id, first.event_id, first.sent_at)
        return history

    async def close(self, poll_id: int, *, unread_history_ok: bool) -> bool:
        """End the poll unless a member allowed to has, then close it once at the end's time
        with every response sent up to it, and post the result. False when the responses
        could not be read and the close should wait (``unread_history_ok``: close on those
        already seen)."""
        found = await self._open(poll_id)
        if found is None:
            return True
        history = await self._take_in(found)  # a member may have ended it while the bot was away
        if history is None and not unread_history_ok:
            return False
        found = await self._open(poll_id)
        if found is None:
            return True
        if found.end_event is None:
            await self._end(found)
            history = await self._take_in(found)  # every response up to the end is listed now
            if history is None and not unread_history_ok:
                return False
        if history is None:
            log.warning("closing %s with the responses already seen", found.ref)
        async with self._database.transaction() as tx:
            current = await polls.get(tx, poll_id)
            if current is None or not current.is_open:
                return True  # closed meanwhile (the scheduler, a moderator, a member's end)
            until = current.closes_at  # the end's time, from the homeserver once it was read
            result = FinalResult.of(await current_tally(tx, current, until))
            if current.objection_id is not None:
                latest = await polls.latest_responses(tx, poll_id, until)
                counted = ballots(latest, current.answer_ids, current.max_selections, until)
                standing = [voter for voter, chosen in counted.items() if chosen == ("2",)]
                await polls.settle_objections(tx, poll_id, standing, until)
            await polls.close(tx, poll_id, until, result)
            closed = await polls.get(tx, poll_id)
        assert closed is not None
        await self.announce(closed)
        return True

    async def _open(self, poll_id: int) -> Poll | None:
        """The poll, if it is posted and still open."""
        async with self._database.transaction() as tx:
            found = await polls.get(tx, poll_id)
        if found is None or not found.is_open or found.start_event is None:
            return None
        return found

    async def _end(self, found: Poll) -> None:
        """Send the bot's end and take it in, at the time it was sent until the homeserver's
        is read (a moment later)."""
        sent_at = self._clock.now()
        end_event = await self._send_end(found)
        async with self._database.transaction() as tx:
            await polls.take_end(tx, found.id, end_event, sent_at)

    async def _send_end(self, found: Poll) -> str:
        """The end event, with a transaction id made from the poll: one however often sent."""
        assert found.start_event is not None
        text = self._t("polls.ended", ref=str(found.ref), question=found.question)
        ids = (found.room_id, found.start_event)
        return await self._transport.end_poll(*ids, text.plain, transaction_id("poll-end", *ids))

    async def announce(self, closed: Poll) -> None:
        """The weighted result in the poll's thread, with a transaction id made from the poll:
        announcing again after a stop makes no second message. A poll an older Compagnon
        closed without ending (it ended after counting) is ended first."""
        assert closed.start_event is not None
        assert closed.result is not None
        async with self._database.transaction() as tx:
            names = self._transport.room_members(closed.room_id)
            text = await describe(tx, self._t, self._config, closed, closed.result, names)
        ids = (closed.room_id, closed.start_event)
        try:
            if closed.end_event is None:
                end_event = await self._send_end(closed)
                async with self._database.transaction() as tx:
                    await polls.set_end_event(tx, closed.id, end_event)
            result_event = await self._transport.post(
                closed.room_id,
                text,
                transaction_id("poll-result", *ids),
                thread_root=closed.result_thread,
            )
        except Exception:
            log.exception("could not announce the end of %s in %s", closed.ref, closed.room_id)
            return
        # Before the note: a stop in between posts both again, and the homeserver keeps one.
        await poll_charts.post(
            self._transport, self._t, closed, quorum_verdict(closed, closed.result)
        )
        async with self._database.transaction() as tx:
            await polls.set_result_event(tx, closed.id, result_event)
