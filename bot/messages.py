"""What crosses the seam between the Matrix side and the command side: plain values only."""

import asyncio
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.i18n import Text


@dataclass(frozen=True)
class IncomingMessage:
    """A text message in a served room, already decrypted, deduplicated and found fresh."""

    event_id: str
    room_id: str
    sender: str
    sender_name: str  # as the room shows it: with the id when it could pass for another's
    body: str
    sent_at: datetime
    thread_root: str | None = None
    mentions: tuple[str, ...] = ()  # members the sender pinged (pills or m.mentions)
    edits: str | None = None  # an edit (m.replace) of this earlier message; body is the new text


@dataclass(frozen=True)
class IncomingReaction:
    """An emoji reaction to an event in a served room."""

    event_id: str
    room_id: str
    sender: str
    sender_name: str
    target: str
    key: str
    sent_at: datetime


@dataclass(frozen=True)
class IncomingRedaction:
    """Someone removed an event (for us: usually a reaction); maybe not theirs, maybe not
    of this room: the dispatcher judges what it may undo."""

    event_id: str
    room_id: str
    sender: str
    redacts: str


@dataclass(frozen=True)
class IncomingPollResponse:
    """A vote clicked on a native poll: the answer ids as sent (None: no answer list)."""

    event_id: str
    room_id: str
    sender: str
    poll_event: str
    answers: tuple[str, ...] | None
    sent_at: datetime


@dataclass(frozen=True)
class IncomingPollEnd:
    """A poll ended by someone clients accept it from (Element's "End poll"): the poll's sender
    or a member with the power to redact others' events. Element counts the responses sent up
    to ``sent_at``, the end's server time."""

    event_id: str
    room_id: str
    sender: str
    poll_event: str
    sent_at: datetime


@dataclass(frozen=True)
class ServedRoom:
    joined_at: datetime  # history from before is never a command
    invited_by: str | None  # "": the config named it; None: joined before inviters were kept


Incoming = (
    IncomingMessage | IncomingReaction | IncomingRedaction | IncomingPollResponse | IncomingPollEnd
)


@dataclass(frozen=True)
class PollHistory:
    """What the homeserver lists as a poll's responses (a redacted one is no longer listed)."""

    responses: tuple[IncomingPollResponse, ...]  # from members of the room
    listed: frozenset[str]  # every response event listed, whoever sent it
    ends: tuple[IncomingPollEnd, ...] = ()  # those clients accept, the bot's own included


@dataclass(frozen=True)
class Reply:
    """A notice answering one message: as a Matrix reply, inside its thread if it had one.

    ``txn_id`` is made from the command, so that sending it again after a crash makes one.
    """

    room_id: str
    text: Text
    in_reply_to: str
    txn_id: str
    thread_root: str | None = None
    mentions: tuple[str, ...] = ()  # members to notify; nobody else is pinged


def transaction_id(purpose: str, *parts: str) -> str:
    """The same id for the same message, so that sending it again after a stop makes one."""
    digest = hashlib.sha256(" ".join(parts).encode()).hexdigest()[:32]
    return f"compagnon-{purpose}-{digest}"


class Transport(Protocol):
    """What the command side needs from Matrix; the Matrix gateway and the test fake provide it."""

    async def send_reply(self, reply: Reply) -> str:
        """Send the reply; returns its event id."""
        ...

    async def power_level(self, room_id: str, user_id: str) -> float:
        """The member's power in the room (an id or an alias); ``inf`` for the creators of
        a v12 room; 0 in a room the bot is not in."""
        ...

    def room_members(self, room_id: str) -> dict[str, str]:
        """Joined members of the room (an id or an alias) and their display names as they
        chose them (their id when none): telling look-alikes apart is ``bot.domain.names``'s
        call."""
        ...

    async def send_file_privately(
        self, user_id: str, filename: str, data: bytes, text: str
    ) -> None:
        """Send a file to one member in a direct room with the bot (made if needed)."""
        ...

    async def send_privately(self, user_id: str, text: Text) -> None:
        """A notice to one member in the direct room with the bot (made if needed)."""
        ...

    async def leave_private_room(self, room_id: str) -> None:
        """Empty the room of what the bot sent there, and leave it; nothing if left already."""
        ...

    async def open_shared_room(self, user_ids: Sequence[str], name: str, text: Text) -> str:
        """Open a new private room with these members, post ``text`` in it; its room id."""
        ...

    async def post(
        self,
        room_id: str,
        text: Text,
        txn_id: str,
        thread_root: str | None = None,
        mentions: Sequence[str] = (),
    ) -> str:
        """A notice of the bot's own, not a reply (a digest, a poll's result in its thread).

        Posting twice with one ``txn_id`` makes one message: the homeserver remembers it.
        """
        ...

    async def post_image(
        self, room_id: str, png: bytes, alt: str, txn_id: str, thread_root: str | None = None
    ) -> str:
        """A PNG of the bot's own (a result's chart), uploaded (encrypted in an encrypted
        room) then posted with ``alt`` as its text; one ``txn_id`` makes one message."""
        ...

    async def send_poll(
        self,
        room_id: str,
        question: str,
        answers: Sequence[str],
        max_selections: int,
        disclosed: bool,
        txn_id: str,
        thread_root: str | None = None,
    ) -> str:
        """Post a native poll whose answer ids are their numbers; its event id."""
        ...

    async def end_poll(self, room_id: str, start_event: str, text: str, txn_id: str) -> str:
        """End the bot's poll; its event id (its server time is read with the poll's history)."""
        ...

    async def poll_history(self, room_id: str, start_event: str) -> PollHistory | None:
        """The poll's responses as the homeserver lists them: what came, or went, while the
        bot was away; and its end events. None when they could not all be read."""
        ...


class Inbox(Protocol):
    """Where the Matrix side hands what it hears, and keeps which rooms it serves."""

    async def position(self) -> str | None:
        """Where the next sync starts, as written down with the last events."""
        ...

    async def receive(self, batch: Sequence[Incoming], next_batch: str) -> list[asyncio.Task[None]]:
        """Write one sync's events down with its position, and start acting on them;
        returns the tasks."""
        ...

    async def served_rooms(self) -> dict[str, ServedRoom]: ...

    async def serve(self, room_id: str, invited_by: str) -> datetime:
        """Note the room as served (the first join counts); since when it is."""
        ...

    async def unserve(self, room_id: str) -> None: ...

    async def direct_room_of(self, member: str) -> str | None: ...

    async def remember_direct_room(self, member: str, room_id: str) -> None: ...
