"""What crosses the seam between the Matrix side and the command side: plain values only."""

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


@dataclass(frozen=True)
class Reply:
    """A notice answering one message: as a Matrix reply, inside its thread if it had one."""

    room_id: str
    text: Text
    in_reply_to: str
    thread_root: str | None = None


class Transport(Protocol):
    """What the command side needs from Matrix; the Matrix gateway and the test fake provide it."""

    async def send_reply(self, reply: Reply) -> str:
        """Send the reply; returns its event id."""
        ...

    async def power_level(self, room_id: str, user_id: str) -> float:
        """The member's power in the room; ``inf`` for the creators of a v12 room."""
        ...
