"""A real dispatcher and store, with a fake transport and clock: the command layer's harness."""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable

import pytest

from bot.app import ROUTERS
from bot.commands.dispatcher import Dispatcher
from bot.commands.router import Router
from bot.config import BotConfig, Config, ContributionsConfig, MatrixConfig
from bot.i18n.types import Language
from bot.messages import IncomingMessage, IncomingReaction, IncomingRedaction, Reply
from bot.polls import PollKeeper
from bot.store.database import Database
from tests.fakes import FakeAgenda, FakeClock, FakeTransport

ROOM = "!room:test"
ALICE = "@alice:test"
BOB = "@bob:test"
CHLOE = "@chloe:test"
NAMES = {ALICE: "Alice", BOB: "Bob Martin", CHLOE: "Chloé"}


def hidden(text: str) -> set[str]:
    """Controls (line breaks aside: replies have lines) and format characters in ``text``."""
    return {char for char in text if unicodedata.category(char) in ("Cc", "Cf") and char != "\n"}


def make_config(language: Language = "fr", **bot: object) -> Config:
    return Config(
        matrix=MatrixConfig(
            homeserver="http://127.0.0.1:1", user_id="@compagnon:test", password="secret"
        ),
        bot=BotConfig.model_validate({"language": language, **bot}),
    )


class Harness:
    """Types commands as members would and returns what the bot answered."""

    def __init__(
        self, database: Database, config: Config, routers: Iterable[Router] = ROUTERS
    ) -> None:
        self.database = database
        self.config = config
        self.clock = FakeClock()
        self.transport = FakeTransport(self.clock)
        self.agenda = FakeAgenda()
        self.poll_keeper = PollKeeper(config, database, self.transport, self.clock)
        self.dispatcher = Dispatcher(
            routers, database, self.transport, config, self.clock, self.agenda, self.poll_keeper
        )
        self._ids = itertools.count(1)

    def restarted(self, config: Config) -> Harness:
        """The same community after a moderator edited the config and restarted the bot:
        the same database, time and members, and message ids that go on."""
        again = Harness(self.database, config)
        again.clock, again._ids = self.clock, self._ids
        again.transport.clock = self.clock
        again.transport.members = self.transport.members
        again.poll_keeper = PollKeeper(config, self.database, again.transport, self.clock)
        again.dispatcher = Dispatcher(
            ROUTERS,
            self.database,
            again.transport,
            config,
            self.clock,
            again.agenda,
            again.poll_keeper,
        )
        return again

    def message(
        self,
        body: str,
        sender: str = ALICE,
        thread_root: str | None = None,
        mentions: tuple[str, ...] = (),
    ) -> IncomingMessage:
        return IncomingMessage(
            event_id=f"$event{next(self._ids)}",
            room_id=ROOM,
            sender=sender,
            sender_name=sender[1:].split(":")[0].capitalize(),
            body=body,
            sent_at=self.clock.now(),
            thread_root=thread_root,
            mentions=mentions,
        )

    async def react(self, target: str, key: str, sender: str = ALICE) -> str:
        """React to ``target`` as a member would; returns the reaction's event id."""
        event_id = f"$reaction{next(self._ids)}"
        name = sender[1:].split(":")[0].capitalize()
        reaction = IncomingReaction(event_id, ROOM, sender, name, target, key, self.clock.now())
        await self.dispatcher.handle_reaction(reaction)
        return event_id

    async def redact(self, event_id: str, sender: str = ALICE, room: str = ROOM) -> None:
        """Take one of one's events back (for a reaction: un-click it), or try to, in ``room``."""
        redaction = IncomingRedaction(f"$redaction{next(self._ids)}", room, sender, event_id)
        await self.dispatcher.handle_redaction(redaction)

    async def send(self, message: IncomingMessage) -> list[Reply]:
        before = len(self.transport.sent)
        await self.dispatcher.handle(message)
        return self.transport.sent[before:]

    async def say(self, body: str, sender: str = ALICE) -> Reply | None:
        """The one reply to ``body``, or None when the bot stayed silent."""
        replies = await self.send(self.message(body, sender))
        assert len(replies) <= 1, replies
        return replies[0] if replies else None

    async def answer(self, body: str, sender: str = ALICE) -> str:
        reply = await self.say(body, sender)
        assert reply is not None, f"no answer to {body!r}"
        return reply.text.plain


@pytest.fixture
def bot(database: Database) -> Harness:
    return Harness(database, make_config("fr"))


@pytest.fixture
def bot_en(database: Database) -> Harness:
    return Harness(database, make_config("en"))


def community(database: Database, language: Language = "fr", required: int = 1) -> Harness:
    """Alice, Bob Martin and Chloé in the room, no throttling: the ledger tests' setting."""
    config = make_config(language, rate_limit={"burst": 100}).model_copy(
        update={"contributions": ContributionsConfig(confirmations_required=required)}
    )
    bot = Harness(database, config)
    bot.transport.members[ROOM] = dict(NAMES)
    return bot


@pytest.fixture
def fr(database: Database) -> Harness:
    return community(database, "fr")


@pytest.fixture
def en(database: Database) -> Harness:
    return community(database, "en")
