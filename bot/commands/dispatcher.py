"""From a message to a reply: find the command, parse, check, run in one transaction, answer."""

from __future__ import annotations

import difflib
import logging
import secrets
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.clock import Clock
from bot.commands.router import (
    Answer,
    Command,
    CommandError,
    Denied,
    EventContext,
    Router,
    Term,
    UsageError,
)
from bot.config import Config
from bot.domain.throttle import Throttle, Verdict
from bot.i18n import Catalogue, Text
from bot.messages import (
    IncomingMessage,
    IncomingPollResponse,
    IncomingReaction,
    IncomingRedaction,
    Reply,
    Transport,
)
from bot.store import events, members
from bot.store.database import Database, Transaction

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

    def closest(self, name: str) -> str | None:
        matches = difflib.get_close_matches(name.casefold(), self._by_name, n=1, cutoff=0.6)
        return matches[0] if matches else None


class Agenda(Protocol):
    """What the command side asks of the scheduler."""

    def close_poll_at(self, poll_id: int, when: datetime) -> None: ...


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
    is_moderator: bool
    transport: Transport
    database: Database
    agenda: Agenda

    @property
    def prefix(self) -> str:
        return self.config.bot.command_prefix

    def typed(self, name: str) -> str:
        """How a member types the command ``name`` here: ``!offre`` in French, ``!offer``."""
        command = self.commands.find(name)
        assert command is not None, name  # only registered commands are named
        return self.prefix + command.spelled(self.t)


class Dispatcher:
    def __init__(
        self,
        routers: Iterable[Router],
        database: Database,
        transport: Transport,
        config: Config,
        clock: Clock,
        agenda: Agenda,
    ) -> None:
        routers = tuple(routers)
        self.index = CommandIndex(command for router in routers for command in router.commands)
        self._reaction_handlers = [h for router in routers for h in router.reaction_handlers]
        self._redaction_handlers = [h for router in routers for h in router.redaction_handlers]
        self._poll_handlers = [h for router in routers for h in router.poll_response_handlers]
        self._agenda = agenda
        self._database = database
        self._transport = transport
        self._config = config
        self._clock = clock
        self._t = Catalogue(config.bot.language)
        self._throttle = Throttle(config.bot.rate_limit.burst, config.bot.rate_limit.per_minute)
        self._started_at = clock.now()

    async def handle(self, message: IncomingMessage) -> None:
        """Answer one message if it is a command; never raises for anything a member typed."""
        prefix = self._config.bot.command_prefix
        if not message.body.startswith(prefix):
            return
        name, _, arguments = message.body[len(prefix) :].partition(" ")
        name, _, more = name.partition("\n")
        arguments = f"{more} {arguments}" if more else arguments
        if not name or not name[0].isalpha():
            return  # "!!!" or "! hello": punctuation, not a command
        verdict = self._throttle.check(message.sender, self._clock.monotonic())
        if verdict is Verdict.SILENT:
            return
        if verdict is Verdict.WARN:
            seconds = self._throttle.wait_seconds(message.sender)
            await self._answer(
                message, self._t("error.throttled", name=message.sender_name, seconds=seconds)
            )
            return
        ref = secrets.token_hex(3)
        try:
            answer = await self._run(message, name, arguments)
        except Exception:
            log.exception(
                "ref %s: command failed: %r in %s", ref, message.body[:200], message.room_id
            )
            answer = Answer(self._t("error.internal", ref=ref))
            await self._mark_handled(message)
        if answer is not None:
            await self._deliver(message, answer)

    async def handle_reaction(self, reaction: IncomingReaction) -> None:
        """Reactions act silently (a ✅ confirms a contribution); each is applied once."""

        async def run(context: EventContext) -> None:
            for handler in self._reaction_handlers:
                await handler(context, reaction)

        await self._apply(reaction.event_id, reaction.room_id, run, once=True)

    async def handle_redaction(self, redaction: IncomingRedaction) -> None:
        async def run(context: EventContext) -> None:
            for handler in self._redaction_handlers:
                await handler(context, redaction)

        await self._apply(redaction.event_id, redaction.room_id, run, once=True)

    async def handle_poll_response(self, response: IncomingPollResponse) -> None:
        """Votes are kept by event id, so one seen again (history at start-up) is not claimed."""

        async def run(context: EventContext) -> None:
            for handler in self._poll_handlers:
                await handler(context, response)

        await self._apply(response.event_id, response.room_id, run, once=False)

    async def _apply(
        self,
        event_id: str,
        room_id: str,
        run: Callable[[EventContext], Awaitable[None]],
        *,
        once: bool,
    ) -> None:
        try:
            async with self._database.transaction() as tx:
                if not once or await events.claim(tx, event_id, room_id, self._clock.now()):
                    await run(EventContext(tx, self._config, self._clock))
        except Exception:
            log.exception("could not apply %s in %s", event_id, room_id)

    async def _deliver(self, message: IncomingMessage, answer: Answer) -> None:
        event_id = await self._answer(message, answer.text, answer.mentions)
        try:
            if answer.remember is not None and event_id:
                async with self._database.transaction() as tx:
                    await answer.remember(tx, event_id)
            if answer.follow_up is not None:
                more = await answer.follow_up()
                if more is not None:
                    await self._answer(message, more)
        except Exception:
            log.exception("after answering %s in %s", message.event_id, message.room_id)

    async def _run(self, message: IncomingMessage, name: str, arguments: str) -> Answer | None:
        """The command's reply, or None when the event was already handled."""
        limit = self._config.bot.max_command_length
        if len(message.body) > limit:
            return await self._refuse(
                message, self._t("error.too_long", length=len(message.body), limit=limit)
            )
        command = self.index.find(name)
        if command is None:
            return await self._refuse(message, self._unknown(name))
        prefix = self._config.bot.command_prefix
        try:
            values = command.parse(arguments)
            moderator = await self._is_moderator(message)
            if command.moderator_only and not moderator:
                raise Denied("error.denied_moderators", command=prefix + command.spelled(self._t))
            async with self._database.transaction() as tx:
                if not await events.claim(tx, message.event_id, message.room_id, self._clock.now()):
                    return None
                context = Context(
                    message,
                    tx,
                    self._t,
                    self._config,
                    self._clock,
                    self.index,
                    self._started_at,
                    moderator,
                    self._transport,
                    self._database,
                    self._agenda,
                )
                await members.seen(tx, message.sender, message.sender_name, self._clock.now())
                result = await command.handler(context, **values)
            return result if isinstance(result, Answer) else Answer(result)
        except CommandError as error:
            # The transaction rolled back: a refused command changes nothing.
            return await self._refuse(message, self._explain(command, error))

    async def _refuse(self, message: IncomingMessage, text: Text) -> Answer | None:
        """An answer that changed nothing: still recorded, so a restart does not repeat it."""
        return Answer(text) if await self._mark_handled(message) else None

    async def _mark_handled(self, message: IncomingMessage) -> bool:
        """Record the event; False if it had been handled already."""
        async with self._database.transaction() as tx:
            return await events.claim(tx, message.event_id, message.room_id, self._clock.now())

    def _unknown(self, name: str) -> Text:
        lines = [self._t("error.unknown_command", given=self._config.bot.command_prefix + name)]
        suggestion = self.index.closest(name)
        if suggestion is not None:
            lines.append(
                self._t(
                    "error.did_you_mean", suggestion=self._config.bot.command_prefix + suggestion
                )
            )
        help_command = self.index.find("help")
        if help_command is not None:
            lines.append(
                self._t(
                    "error.see_help",
                    help=help_command.usage(self._t, self._config.bot.command_prefix).split()[0],
                )
            )
        return Text.join(lines)

    def _explain(self, command: Command, error: CommandError) -> Text:
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
            usage=command.usage(self._t, prefix),
            example=command.example_lines(self._t, prefix)[0],
        )

    async def _is_moderator(self, message: IncomingMessage) -> bool:
        listed = self._config.bot.moderators
        if message.sender in listed:
            return True
        level = await self._transport.power_level(message.room_id, message.sender)
        return level >= self._config.bot.moderator_power_level

    async def _answer(
        self, message: IncomingMessage, text: Text, mentions: tuple[str, ...] = ()
    ) -> str:
        return await self._transport.send_reply(
            Reply(message.room_id, text, message.event_id, message.thread_root, mentions)
        )
