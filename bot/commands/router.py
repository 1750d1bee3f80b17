"""Declarative commands: name, French alias, typed parameters, examples — one declaration.

The usage line, ``!help`` and every argument error are built from the declaration,
the way maubot and discord.py do it, so they can never disagree with the parser.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.config import Config
from bot.domain.skills import normalise
from bot.i18n import LANGUAGES, Catalogue, Text
from bot.i18n.types import Language
from bot.messages import IncomingPollResponse, IncomingReaction, IncomingRedaction, Reply
from bot.store.database import Transaction


@dataclass(frozen=True)
class Term:
    """A catalogue key given as an error value, rendered in the reader's language."""

    key: str


class CommandError(Exception):
    """A failure the member should read: a catalogue key and its values."""

    def __init__(self, key: str, **values: str | int | Text | Term) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


class UsageError(CommandError):
    """The arguments do not fit the command: answered with the usage line and an example."""


class Denied(CommandError):
    """The member may not do this."""


class NotFound(CommandError):
    """The thing the member referred to does not exist (or is not theirs to see)."""


class ArgReader:
    """Reads a command's argument text word by word; double quotes group words."""

    def __init__(self, text: str) -> None:
        self._text = text.strip()

    def word(self) -> str | None:
        text = self._text
        if not text:
            return None
        if text[0] in '"“«':
            closing = {'"': '"', "“": "”", "«": "»"}[text[0]]
            end = text.find(closing, 1)
            if end < 0:
                raise UsageError("error.unclosed_quote")
            self._text = text[end + 1 :].strip()
            return text[1:end].strip()
        head, _, tail = text.partition(" ")
        self._text = tail.strip()
        return head

    def rest(self) -> str:
        text, self._text = self._text, ""
        return text

    def at_end(self) -> bool:
        return not self._text


@dataclass(frozen=True)
class Param:
    """One positional parameter; subclasses say how to read and convert it."""

    name: str
    optional: bool = False

    def read(self, reader: ArgReader) -> Any:
        raw = reader.word()
        if raw is None:
            if self.optional:
                return None
            raise UsageError("error.missing_argument", name=Term(f"param.{self.name}"))
        return self.convert(raw)

    def convert(self, raw: str) -> Any:
        return raw

    def usage(self, t: Catalogue) -> str:
        label = t.raw(f"param.{self.name}")
        return f"[{label}]" if self.optional else f"<{label}>"


@dataclass(frozen=True)
class Word(Param):
    """A single word, or several words in quotes."""


_ON = frozenset({"on", "oui", "yes"})
_OFF = frozenset({"off", "non", "no"})


@dataclass(frozen=True)
class OnOff(Param):
    """``on``/``off`` in either language (``oui``/``non``, ``yes``/``no``), as a bool."""

    def convert(self, raw: str) -> bool:
        word = normalise(raw)
        if word not in _ON | _OFF:
            raise UsageError("error.on_off", given=raw)
        return word in _ON


@dataclass(frozen=True)
class RestOfLine(Param):
    """Everything left on the line, as typed; ``missing`` names a fuller error than the
    generic "<name> is missing" for a command whose whole text is one thing."""

    missing: str | None = None

    def read(self, reader: ArgReader) -> Any:
        text = reader.rest()
        if not text and not self.optional:
            if self.missing is not None:
                raise UsageError(self.missing)
            raise UsageError("error.missing_argument", name=Term(f"param.{self.name}"))
        return text or None


@dataclass(frozen=True)
class Unexpected(RestOfLine):
    """Whatever follows a command that takes nothing but its sub-commands' verbs: the
    handler says which word it did not know. Absent from the usage line."""

    optional: bool = True

    def usage(self, t: Catalogue) -> str:
        return ""


@dataclass(frozen=True)
class Answer:
    """A reply with more to it than text.

    ``mentions`` are pinged; ``record_of`` is the contribution this reply records (members
    confirm it by reacting to the sent reply); ``follow_up`` runs once the reply is out
    (network work that must not hold the database) and may return a further reply, so a
    member learns what happened to that work too.
    """

    text: Text
    mentions: tuple[str, ...] = ()
    record_of: int | None = None
    follow_up: Callable[[], Awaitable[Text | None]] | None = None


Handler = Callable[..., Awaitable[Text | Answer]]


@dataclass(frozen=True)
class Examples:
    """What follows a command's name (or a sub-command's verb) in examples, written in each
    language: help shows a member the examples of their community's language only."""

    fr: tuple[str, ...] = ()
    en: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.fr) != len(self.en):
            raise ValueError(f"the examples differ in number by language: {self}")

    def of(self, language: Language) -> tuple[str, ...]:
        return self.fr if language == "fr" else self.en


def _read(params: tuple[Param, ...], text: str) -> dict[str, Any]:
    """Read the arguments into keyword values for a handler, or raise UsageError."""
    reader = ArgReader(text)
    values = {param.name: param.read(reader) for param in params}
    if not reader.at_end():
        raise UsageError("error.extra_text", extra=reader.rest())
    return values


@dataclass(frozen=True)
class Subcommand:
    """A verb after a command's name (``!poll close p2``) with its own parameters; its word
    is the catalogue's ``label`` in each language, and any of ``also``."""

    name: str
    label: str
    handler: Handler
    params: tuple[Param, ...] = ()
    examples: Examples = Examples()  # what follows the verb
    also: tuple[str, ...] = ()

    @functools.cached_property
    def spellings(self) -> frozenset[str]:
        """Read once: every command typed checks its first word against them."""
        words = [Catalogue(language).raw(self.label) for language in LANGUAGES]
        return frozenset(normalise(word) for word in (*words, *self.also))

    def words(self, t: Catalogue) -> list[str]:
        return [t.raw(self.label), *(param.usage(t) for param in self.params)]


@dataclass(frozen=True)
class Command:
    name: str
    alias: str
    handler: Handler
    params: tuple[Param, ...] = ()
    examples: Examples = Examples()
    moderator_only: bool = False
    subcommands: list[Subcommand] = field(default_factory=list)
    # Text that is always the command's own arguments, never a verb and its arguments
    # (a poll has | between its answers, so "Close the shed? | yes | no" is a question).
    literal: Callable[[str], bool] | None = None
    own_form: bool = True  # False: only its sub-commands do something (``!digest preview``)

    def spelled(self, t: Catalogue) -> str:
        """The command's name in the community's language."""
        return self.alias if t.language == "fr" else self.name

    def usage(self, t: Catalogue, prefix: str, sub: Subcommand | None = None) -> str:
        """One form's usage (``sub``, or the command's own); without ``sub``, every form's."""
        head = prefix + self.spelled(t)
        if sub is not None:
            return " ".join([head, *sub.words(t)])
        own = [" ".join([head, *filter(None, (param.usage(t) for param in self.params))])]
        subs = [" ".join([head, *each.words(t)]) for each in self.subcommands]
        return " · ".join((own if self.own_form else []) + subs)

    def example_lines(self, t: Catalogue, prefix: str, sub: Subcommand | None = None) -> list[str]:
        head = prefix + self.spelled(t)
        own = self.examples.of(t.language) if sub is None else ()
        lines = [f"{head} {example}".rstrip() for example in own]
        for each in self.subcommands if sub is None else [sub]:
            verb = f"{head} {t.raw(each.label)}"
            lines += [f"{verb} {example}".rstrip() for example in each.examples.of(t.language)]
        return lines or [head]

    def summary(self, t: Catalogue) -> Text:
        return t(f"cmd.{self.name}.summary")

    def choose(self, text: str) -> tuple[Subcommand | None, str]:
        """The form typed: a sub-command and what follows its word, or the command's own."""
        first, _, rest = text.strip().partition(" ")
        if self.literal is not None and self.literal(text):
            return None, text
        key = normalise(first)
        for sub in self.subcommands:
            if key in sub.spellings:
                return sub, rest
        return None, text

    def parse(self, text: str) -> tuple[Handler, dict[str, Any]]:
        """The handler of the form typed, and its keyword values; or UsageError."""
        sub, arguments = self.choose(text)
        if sub is not None:
            return sub.handler, _read(sub.params, arguments)
        return self.handler, _read(self.params, arguments)


ReactionHandler = Callable[["EventContext", IncomingReaction], Awaitable[None]]
RedactionHandler = Callable[["EventContext", IncomingRedaction], Awaitable[None]]
PollResponseHandler = Callable[["EventContext", IncomingPollResponse], Awaitable[None]]


@dataclass(frozen=True)
class EventContext:
    """What a reaction or redaction handler may use; it runs in one transaction.

    ``take_allowance(member, sent_at)`` spends one from the allowance the member's commands
    use, at the homeserver's time of their event; False when none is left. ``owe(reply)``
    promises a message, in the transaction: it is sent once the transaction commits.
    """

    tx: Transaction
    config: Config
    clock: Clock
    take_allowance: Callable[[str, datetime], bool]
    owe: Callable[[Reply], Awaitable[None]]


@dataclass
class Router:
    """The commands of one family, declared with the ``command`` decorator, and its listeners."""

    commands: list[Command] = field(default_factory=list)
    reaction_handlers: list[ReactionHandler] = field(default_factory=list)
    redaction_handlers: list[RedactionHandler] = field(default_factory=list)
    poll_response_handlers: list[PollResponseHandler] = field(default_factory=list)

    def on_reaction(self, handler: ReactionHandler) -> ReactionHandler:
        self.reaction_handlers.append(handler)
        return handler

    def on_redaction(self, handler: RedactionHandler) -> RedactionHandler:
        self.redaction_handlers.append(handler)
        return handler

    def on_poll_response(self, handler: PollResponseHandler) -> PollResponseHandler:
        self.poll_response_handlers.append(handler)
        return handler

    def command(
        self,
        name: str,
        *,
        alias: str,
        params: tuple[Param, ...] = (),
        examples: Examples = Examples(),
        moderator_only: bool = False,
        literal: Callable[[str], bool] | None = None,
        own_form: bool = True,
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.commands.append(
                Command(
                    name,
                    alias,
                    handler,
                    params,
                    examples,
                    moderator_only,
                    literal=literal,
                    own_form=own_form,
                )
            )
            return handler

        return register

    def subcommand(
        self,
        command: str,
        name: str,
        *,
        label: str,
        params: tuple[Param, ...] = (),
        examples: Examples = Examples(),
        also: tuple[str, ...] = (),
    ) -> Callable[[Handler], Handler]:
        """A verb of ``command``, declared after it in the same router."""

        def register(handler: Handler) -> Handler:
            owner = next(each for each in self.commands if each.name == command)
            owner.subcommands.append(Subcommand(name, label, handler, params, examples, also))
            return handler

        return register
