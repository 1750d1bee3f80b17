"""What crosses the seam between the Matrix side and the command side: plain values only."""

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
    sender_name: str
    body: str
    sent_at: datetime
    thread_root: str | None = None
    mentions: tuple[str, ...] = ()  # members the sender pinged (pills or m.mentions)


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
    """Someone removed one of their events (for us: usually a reaction)."""

    event_id: str
    room_id: str
    sender: str
    redacts: str


@dataclass(frozen=True)
class Reply:
    """A notice answering one message: as a Matrix reply, inside its thread if it had one."""

    room_id: str
    text: Text
    in_reply_to: str
    thread_root: str | None = None
    mentions: tuple[str, ...] = ()  # members to notify; nobody else is pinged


class Transport(Protocol):
    """What the command side needs from Matrix; the Matrix gateway and the test fake provide it."""

    async def send_reply(self, reply: Reply) -> str:
        """Send the reply; returns its event id."""
        ...

    async def power_level(self, room_id: str, user_id: str) -> float:
        """The member's power in the room; ``inf`` for the creators of a v12 room."""
        ...

    def room_members(self, room_id: str) -> dict[str, str]:
        """Joined members of the room and their display names."""
        ...

    async def send_file_privately(
        self, user_id: str, filename: str, data: bytes, text: str
    ) -> None:
        """Send a file to one member in a direct room with the bot (made if needed)."""
        ...

    async def open_shared_room(self, user_ids: Sequence[str], name: str, text: Text) -> str:
        """Open a new private room with these members, post ``text`` in it; its room id."""
        ...


class Inbox(Protocol):
    """What the Matrix side hands its events to: the dispatcher."""

    async def handle(self, message: IncomingMessage) -> None: ...

    async def handle_reaction(self, reaction: IncomingReaction) -> None: ...

    async def handle_redaction(self, redaction: IncomingRedaction) -> None: ...
