"""From a message to a reply: find the command, parse, check, run in one transaction, answer."""

from __future__ import annotations

import difflib
import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from bot import polls as lifecycle
from bot.clock import Clock
from bot.commands.router import (
    Answer,
    Command,
    CommandError,
    Denied,
    EventContext,
    Router,
    Subcommand,
    Term,
    UsageError,
)
from bot.config import Config
from bot.domain.permissions import Standing
from bot.domain.text import clean
from bot.domain.throttle import Throttle, Verdict
from bot.i18n import Catalogue, Text
from bot.messages import (
    IncomingMessage,
    IncomingPollEnd,
    IncomingPollResponse,
    IncomingReaction,
    IncomingRedaction,
    Reply,
    Transport,
    transaction_id,
)
from bot.store import contributions, events, intake, members
from bot.store.database import Database, Transaction, is_write_failure
from bot.store.events import Outcome
from bot.store.intake import OwedReply
from bot.store.polls import Poll

log = logging.getLogger(__name__)


class CommandIndex:
    """Looks commands up by English name or French alias, and suggests the closest."""

    def __init__(self, commands: Iterable[Command]) -> None:
        self.commands: Sequence[Command] = tuple(commands)
        self._by_name: dict[str, Command] = {}
        for command in self.commands:
            for spelling in (command.name, command.alias):
                if spelling in self._by_name:
                    raise ValueError(f"two commands are spelled {spelling!r}")
                self._by_name[spelling] = command

    def find(self, name: str) -> Command | None:
        return self._by_name.get(name.casefold())

    def closest(self, name: str) -> Command | None:
        """The command whose name in either language is nearest to ``name``: a member may
        type in either, and is answered in the community's."""
        matches = difflib.get_close_matches(name.casefold(), self._by_name, n=1, cutoff=0.6)
        return self._by_name[matches[0]] if matches else None


class Agenda(Protocol):
    """What the command side asks of the scheduler."""

    def close_poll_at(self, poll_id: int, when: datetime) -> None: ...

    def remind_at(self, poll_id: int, when: datetime) -> None: ...

    def remind_workshop_at(self, workshop_id: int, when: datetime) -> None: ...


@dataclass(frozen=True)
class Context:
    """Everything a handler may use; ``tx`` commits with the record that the event was handled.

    ``database`` is for an answer's follow-up, which runs after ``tx`` is committed; the
    handler itself must use ``tx`` (a second transaction would wait for it forever).
    """

    message: IncomingMessage
    tx: Transaction
    t: Catalogue
    config: Config
    clock: Clock
    commands: CommandIndex
    started_at: datetime
    standing: Standing  # what the sender may moderate
    transport: Transport
    database: Database
    agenda: Agenda
    poll_keeper: lifecycle.PollKeeper

    @property
    def prefix(self) -> str:
        return self.config.bot.command_prefix

    def typed(self, name: str) -> str:
        """How a member types the command ``name`` here: ``!offre`` in French, ``!offer``."""
        command = self.commands.find(name)
        assert command is not None, name  # only registered commands are named
        return self.prefix + command.spelled(self.t)


@dataclass(frozen=True)
class Answered:
    """A reply committed as owed, and the network work to do once it is out."""

    owed: OwedReply
    follow_up: Callable[[], Awaitable[Text | None]] | None


class Dispatcher:
    def __init__(
        self,
        routers: Iterable[Router],
        database: Database,
        transport: Transport,
        config: Config,
        clock: Clock,
        agenda: Agenda,
        poll_keeper: lifecycle.PollKeeper,
    ) -> None:
        routers = tuple(routers)
        self.index = CommandIndex(command for router in routers for command in router.commands)
        self._reaction_handlers = [h for router in routers for h in router.reaction_handlers]
        self._redaction_handlers = [h for router in routers for h in router.redaction_handlers]
        self._poll_handlers = [h for router in routers for h in router.poll_response_handlers]
        self._agenda = agenda
        self._poll_keeper = poll_keeper
        self._database = database
        self._transport = transport
        self._config = config
        self._clock = clock
        self._t = config.catalogue()
        self._throttle = Throttle(config.bot.rate_limit.burst, config.bot.rate_limit.per_minute)
        self._started_at = clock.now()
        self._abandoned: dict[str, str] = {}  # event id → room: claim at the next write
        self._sent: dict[str, tuple[OwedReply, str]] = {}  # txn id → reply, its event id

    def is_command(self, body: str) -> bool:
        """Whether a message is for the bot: the prefix, then a letter ("!!!" is not)."""
        prefix = self._config.bot.command_prefix
        return body.startswith(prefix) and body[len(prefix) : len(prefix) + 1].isalpha()

    async def handle(self, message: IncomingMessage) -> None:
        """Answer one message if it is a command; never raises for anything a member typed.

        The reply is owed from the transaction that decided it until the homeserver takes
        it, and sent with a transaction id made from the command: a crash in between makes
        it go out at the next start, once.
        """
        if not self.is_command(message.body):
            return
        # The one place for what members type: no command, reply or record sees it raw (and a
        # line break after the command's name is a space like any other).
        message = replace(message, body=clean(message.body))
        prefix = self._config.bot.command_prefix
        name, _, arguments = message.body[len(prefix) :].partition(" ")
        # The member's own send times, not the bot's clock: commands read back after a
        # restart are spaced as they were typed, so a catch-up is not taken for a flood.
        verdict = self._throttle.check(message.sender, message.sent_at.timestamp())
        if verdict is not Verdict.ALLOW:
            text = None
            if verdict is Verdict.WARN:
                seconds = self._throttle.wait_seconds(message.sender)
                text = self._t("error.throttled", name=message.sender_name, seconds=seconds)
            answer = await self._settle(message, text)
        elif message.edits is not None:
            answer = await self._answer_edit(message, name, arguments)
        else:
            answer = await self._answer_command(message, name, arguments)
        if answer is not None:
            await self._deliver(message, answer)

    async def _answer_command(
        self, message: IncomingMessage, name: str, arguments: str
    ) -> Answered | None:
        ref = secrets.token_hex(3)
        try:
            return await self._run(message, name, arguments)
        except Exception as error:
            if is_write_failure(error):
                log.error("ref %s: could not write to %s: %s", ref, self._database.path, error)
                return await self._settle(message, self._t("error.unsaved"))
            # The command's name, never what the member wrote: logs hold no member text.
            log.exception("ref %s: %r failed in %s", ref, name[:40], message.room_id)
            return await self._settle(message, self._t("error.internal", ref=ref))

    async def _answer_edit(
        self, message: IncomingMessage, name: str, arguments: str
    ) -> Answered | None:
        """Members fix typos by editing: a command that failed is run as corrected; one that
        was done is not run again (its effects stand, and a second run could double them),
        and the first edit of it says so."""
        assert message.edits is not None
        async with self._database.transaction() as tx:
            before = await events.outcome(tx, message.edits)
        if before is Outcome.FAILED:
            return await self._answer_command(message, name, arguments)
        hint = None if before is Outcome.HINTED else self._t("error.edit_not_run")
        return await self._settle(message, hint, Outcome.HINTED)

    async def _claim(self, tx: Transaction, message: IncomingMessage, outcome: Outcome) -> bool:
        """Claim the command, noting how it went; an edit's outcome is its original's."""
        now = self._clock.now()
        if message.edits is None:
            return await events.claim(tx, message.event_id, message.room_id, now, outcome)
        if not await events.claim(tx, message.event_id, message.room_id, now):
            return False
        await events.set_outcome(tx, message.edits, outcome)
        return True

    async def keep_promises(self) -> None:
        """At start-up, what a previous run decided but could not finish: the replies it
        owed, and the direct rooms of the members it forgot."""
        async with self._database.transaction() as tx:
            owed = await intake.owed(tx)
        for reply in owed:
            await self._pay(reply)
        await leave_forgotten_rooms(self._database, self._transport)

    async def unsaved(self, messages: Sequence[IncomingMessage]) -> None:
        """The intake could not write these down: say so, and that nothing was saved."""
        for message in messages:
            if self.is_command(message.body):
                owed = self._owed(message, Answer(self._t("error.unsaved")))
                await self._transport.send_reply(owed.reply)

    async def handle_reaction(self, reaction: IncomingReaction) -> None:
        """Reactions act silently (a ✅ confirms a contribution); each is applied once."""

        async def run(context: EventContext) -> None:
            for handler in self._reaction_handlers:
                await handler(context, reaction)

        await self._apply(reaction.event_id, reaction.room_id, run, once=True)

    async def handle_redaction(self, redaction: IncomingRedaction) -> None:
        """Undoes a record only when redacted in its own room, by the sender of the event it
        was made from or by a moderator of that room: the handlers match by event id alone,
        and a homeserver may deliver a redaction naming an event of another room."""
        moderator = await self._moderates(redaction.room_id, redaction.sender)

        async def run(context: EventContext) -> None:
            sender = await events.recorded_sender(context.tx, redaction.redacts, redaction.room_id)
            if sender is None or (sender != redaction.sender and not moderator):
                return
            for handler in self._redaction_handlers:
                await handler(context, redaction)

        await self._apply(redaction.event_id, redaction.room_id, run, once=True)

    async def handle_poll_response(self, response: IncomingPollResponse) -> None:
        """Votes are kept by event id, so one seen again (history at start-up) is not claimed."""

        async def run(context: EventContext) -> None:
            for handler in self._poll_handlers:
                await handler(context, response)

        await self._apply(response.event_id, response.room_id, run, once=False)

    async def handle_poll_end(self, end: IncomingPollEnd) -> None:
        """A member allowed to ended one of the bot's polls (Element's "End poll"): the end
        is taken in with its intake, once; then the poll closes at its time, its result
        posted. A stop in between leaves the poll due: the next start closes it."""
        ended: list[Poll] = []

        async def run(context: EventContext) -> None:
            found = await lifecycle.take_end(context.tx, end)
            if found is not None:
                ended.append(found)

        await self._apply(end.event_id, end.room_id, run, once=True)
        for found in ended:
            await self._poll_keeper.close(found.id, unread_history_ok=True)

    async def _apply(
        self,
        event_id: str,
        room_id: str,
        run: Callable[[EventContext], Awaitable[None]],
        *,
        once: bool,
    ) -> None:
        owed: list[OwedReply] = []
        try:
            async with self.transaction() as tx:
                if once:
                    fresh = await events.claim(tx, event_id, room_id, self._clock.now())
                else:
                    await intake.settle(tx, event_id)
                    fresh = True

                async def owe(reply: Reply) -> None:
                    promise = OwedReply(reply, None)
                    await intake.owe(tx, promise, self._clock.now())
                    owed.append(promise)

                if fresh:
                    context = EventContext(tx, self._config, self._clock, self._take_allowance, owe)
                    await run(context)
        except Exception as error:
            if is_write_failure(error):
                log.error("could not write to %s: %s", self._database.path, error)
            else:
                log.exception("could not apply %s in %s", event_id, room_id)
            self._abandoned[event_id] = room_id
            return
        for promise in owed:  # committed with the event: a stop before this sends it at start
            await self._pay(promise)

    def _take_allowance(self, member: str, sent_at: datetime) -> bool:
        """The allowance commands use, for an event that acts like one: a ✅ that confirms
        buys weight as ``!confirm`` does. Taken after the event is claimed, so a replay is
        never counted."""
        return self._throttle.take(member, sent_at.timestamp())

    async def _deliver(self, message: IncomingMessage, answer: Answered) -> None:
        await self._pay(answer.owed)
        if answer.follow_up is None:
            return
        try:
            more = await answer.follow_up()
            if more is not None:
                txn_id = transaction_id("follow-up", message.event_id)
                follow_up = replace(answer.owed.reply, text=more, txn_id=txn_id, mentions=())
                await self._transport.send_reply(follow_up)
        except Exception:
            log.exception("after answering %s in %s", message.event_id, message.room_id)

    async def _pay(self, owed: OwedReply) -> None:
        """Send an owed reply. That it went out is written with the next transaction (the
        next sync's, a moment later, at the latest); a crash before that sends it again at
        the next start, with the same transaction id, which the homeserver makes one."""
        event_id = await self._transport.send_reply(owed.reply)
        if event_id:  # else still owed, tried again at the next start
            self._sent[owed.reply.txn_id] = (owed, event_id)

    async def _run(self, message: IncomingMessage, name: str, arguments: str) -> Answered | None:
        """The command's reply, owed in its transaction; None when it was handled already."""
        limit = self._config.bot.max_command_length
        if len(message.body) > limit:
            return await self._settle(
                message, self._t("error.too_long", length=len(message.body), limit=limit)
            )
        command = self.index.find(name)
        if command is None:
            return await self._settle(message, self._unknown(name))
        prefix = self._config.bot.command_prefix
        sub, _ = command.choose(arguments)
        try:
            handler, values = command.parse(arguments)
            standing = await self._standing(message)
            if command.moderator_only and not standing.community:
                raise Denied("error.denied_moderators", command=prefix + command.spelled(self._t))
            async with self.transaction() as tx:
                if not await self._claim(tx, message, Outcome.DONE):
                    return None
                context = Context(
                    message,
                    tx,
                    self._t,
                    self._config,
                    self._clock,
                    self.index,
                    self._started_at,
                    standing,
                    self._transport,
                    self._database,
                    self._agenda,
                    self._poll_keeper,
                )
                await members.seen(tx, message.sender, message.sender_name, self._clock.now())
                result = await handler(context, **values)
                answer = result if isinstance(result, Answer) else Answer(result)
                owed = self._owed(message, answer)
                await intake.owe(tx, owed, self._clock.now())
            return Answered(owed, answer.follow_up)
        except CommandError as error:
            # The transaction rolled back: a refused command changes nothing.
            return await self._settle(message, self._explain(command, error, sub))

    async def _settle(
        self, message: IncomingMessage, text: Text | None, outcome: Outcome = Outcome.FAILED
    ) -> Answered | None:
        """Claim a command that changes nothing, owing ``text`` if any; None when it had
        been handled already (or there is nothing to say).

        If even that cannot be written (a full disk), the reply still goes out and the
        command is claimed with the next transaction that works: a member told
        "nothing was saved" retries, and the first attempt must not come back to double it.
        """
        owed = None if text is None else self._owed(message, Answer(text))
        try:
            async with self.transaction() as tx:
                if not await self._claim(tx, message, outcome):
                    return None
                if owed is not None:
                    await intake.owe(tx, owed, self._clock.now())
        except Exception as error:
            if not is_write_failure(error):
                raise
            log.error("could not write to %s: %s", self._database.path, error)
            self._abandoned[message.event_id] = message.room_id
        return None if owed is None else Answered(owed, None)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """A store transaction that first writes what was set aside: the replies sent since
        the last one (a transaction of their own would cost each command a third), and
        commands a failed write left unclaimed. Kept until a transaction commits them;
        writing them twice changes nothing."""
        sent, abandoned = dict(self._sent), dict(self._abandoned)
        async with self._database.transaction() as tx:
            for owed, event_id in sent.values():
                await intake.paid(tx, owed.reply.txn_id)
                if owed.record_of is not None:
                    await contributions.set_record_event(tx, owed.record_of, event_id)
            for event_id, room_id in abandoned.items():
                await events.claim(tx, event_id, room_id, self._clock.now())
            yield tx
        for txn_id in sent:
            self._sent.pop(txn_id, None)
        for event_id in abandoned:
            self._abandoned.pop(event_id, None)

    def _owed(self, message: IncomingMessage, answer: Answer) -> OwedReply:
        reply = Reply(
            room_id=message.room_id,
            text=answer.text,
            in_reply_to=message.edits or message.event_id,  # an edit's event is hidden
            txn_id=transaction_id("reply", message.event_id),
            thread_root=message.thread_root,
            mentions=answer.mentions,
        )
        return OwedReply(reply, answer.record_of)

    def _unknown(self, name: str) -> Text:
        prefix = self._config.bot.command_prefix
        lines = [self._t("error.unknown_command", given=prefix + name)]
        suggestion = self.index.closest(name)
        if suggestion is not None:
            spelled = prefix + suggestion.spelled(self._t)
            lines.append(self._t("error.did_you_mean", suggestion=spelled))
        help_command = self.index.find("help")
        if help_command is not None:
            lines.append(self._t("error.see_help", help=prefix + help_command.spelled(self._t)))
        return Text.join(lines)

    def _explain(
        self, command: Command, error: CommandError, sub: Subcommand | None = None
    ) -> Text:
        values = {
            name: self._t(value.key) if isinstance(value, Term) else value
            for name, value in error.values.items()
        }
        reason = self._t(error.key, **values)
        if not isinstance(error, UsageError):
            return reason
        prefix = self._config.bot.command_prefix
        return self._t(
            "error.bad_arguments",
            reason=reason,
            usage=command.usage(self._t, prefix, sub),
            example=command.example_lines(self._t, prefix, sub)[0],
        )

    async def _standing(self, message: IncomingMessage) -> Standing:
        """The configured list and the moderation room make community moderators; power in
        the room of the command reaches that room's records only."""
        bot = self._config.bot
        community = message.sender in bot.moderators or bool(
            bot.moderation_room and await self._moderates(bot.moderation_room, message.sender)
        )
        here = await self._moderates(message.room_id, message.sender)
        return Standing(community, message.room_id if here else None)

    async def _moderates(self, room_id: str, user_id: str) -> bool:
        return await moderates(self._config, self._transport, room_id, user_id)


async def moderates(config: Config, transport: Transport, room_id: str, user_id: str) -> bool:
    """Whether ``user_id`` has the configured moderators' power in ``room_id``."""
    return await transport.power_level(room_id, user_id) >= config.bot.moderator_power_level


async def community_moderators(config: Config, transport: Transport) -> list[str]:
    """Everyone with community standing: the listed moderators, and those with the
    moderators' power in the moderation room (as ``Dispatcher._standing`` judges one)."""
    found = list(config.bot.moderators)
    room = config.bot.moderation_room
    if room:
        found += [
            member
            for member in transport.room_members(room)
            if await moderates(config, transport, room, member)
        ]
    return found


async def leave_forgotten_rooms(database: Database, transport: Transport) -> None:
    """Empty and leave the direct rooms of forgotten members; one the homeserver refuses
    now stays noted, and is tried again at the next start."""
    async with database.transaction() as tx:
        rooms = await events.rooms_to_leave(tx)
    for room_id in rooms:
        try:
            await transport.leave_private_room(room_id)
        except Exception:
            log.exception("could not leave %s; trying again at the next start", room_id)
            continue
        async with database.transaction() as tx:
            await events.left(tx, room_id)
