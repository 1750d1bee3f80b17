"""Fakes for the fast layers: a settable clock and a transport that records what it sends."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.i18n import Text
from bot.messages import IncomingPollEnd, IncomingPollResponse, PollHistory, Reply

BOT = "@compagnon:test"  # the bot's account, as the commands' config names it


class FakeClock:
    def __init__(self, start: datetime = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)) -> None:
        self._now = start
        self._monotonic = 1000.0

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._monotonic

    def advance(self, delta: timedelta) -> None:
        self._now += delta
        self._monotonic += delta.total_seconds()


@dataclass(frozen=True)
class PrivateFile:
    user_id: str
    filename: str
    data: bytes
    text: str


@dataclass(frozen=True)
class PostedPoll:
    event_id: str
    room_id: str
    question: str
    answers: tuple[str, ...]
    max_selections: int
    disclosed: bool
    thread_root: str | None = None


@dataclass(frozen=True)
class Notice:
    """A notice of the bot's own: a digest, or a poll's result in its thread."""

    room_id: str
    text: Text
    thread_root: str | None
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class PostedImage:
    """An image of the bot's own: a poll's chart in its thread, the digest's."""

    event_id: str
    room_id: str
    png: bytes
    alt: str
    thread_root: str | None


@dataclass(frozen=True)
class EndedPoll:
    event_id: str
    room_id: str
    start_event: str
    text: str


@dataclass(frozen=True)
class SharedRoom:
    room_id: str
    user_ids: tuple[str, ...]
    name: str
    text: Text


class FakeTransport:
    """Records every reply, notice, image, private file and shared room; levels and members are
    set by the test.

    ``refuse_rooms`` makes opening or leaving a room fail, as an unreachable homeserver would.
    ``clock`` is the homeserver's: it stamps the poll ends the bot sends.
    """

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock
        self.sent: list[Reply] = []
        self.files: list[PrivateFile] = []
        self.rooms: list[SharedRoom] = []
        self.refuse_rooms = False
        self.left: list[str] = []  # private rooms emptied and left
        self.private: list[tuple[str, Text]] = []  # notices sent to one member alone
        self.levels: dict[tuple[str, str], float] = {}
        self.members: dict[str, dict[str, str]] = {}
        self.polls: list[PostedPoll] = []
        self.ended: list[EndedPoll] = []
        self.posted: list[Notice] = []
        self.images: list[PostedImage] = []
        self.refuse_images = False  # as a homeserver refusing an upload
        self.history: dict[str, list[IncomingPollResponse]] = {}  # by poll event
        self.poll_ends: dict[str, list[IncomingPollEnd]] = {}  # by poll event, as listed
        self.history_unreadable = False
        self.while_reading_history: Callable[[], Awaitable[None]] | None = None
        self.refuse_polls = False
        self.refuse_posts: set[str] = set()  # rooms where the bot may not post
        self._transactions: dict[str, str] = {}
        self._replies: dict[str, str] = {}
        self._ids = itertools.count(1)

    async def send_reply(self, reply: Reply) -> str:
        """Replies are ``$reply<n>``, n counting from 1; one transaction id makes one."""
        if reply.txn_id not in self._replies:
            self.sent.append(reply)
            self._replies[reply.txn_id] = f"$reply{len(self.sent)}"
        return self._replies[reply.txn_id]

    async def power_level(self, room_id: str, user_id: str) -> float:
        return self.levels.get((room_id, user_id), 0.0)

    def room_members(self, room_id: str) -> dict[str, str]:
        return dict(self.members.get(room_id, {}))

    async def send_file_privately(
        self, user_id: str, filename: str, data: bytes, text: str
    ) -> None:
        self.files.append(PrivateFile(user_id, filename, data, text))

    async def send_privately(self, user_id: str, text: Text) -> None:
        if self.refuse_rooms:
            raise ConnectionError("the homeserver is unreachable")
        self.private.append((user_id, text))

    async def leave_private_room(self, room_id: str) -> None:
        if self.refuse_rooms:
            raise ConnectionError("the homeserver is unreachable")
        self.left.append(room_id)

    async def open_shared_room(self, user_ids: Sequence[str], name: str, text: Text) -> str:
        if self.refuse_rooms:
            raise ConnectionError("the homeserver is unreachable")
        room = SharedRoom(f"!shared{len(self.rooms) + 1}:test", tuple(user_ids), name, text)
        self.rooms.append(room)
        return room.room_id

    async def post(
        self,
        room_id: str,
        text: Text,
        txn_id: str,
        thread_root: str | None = None,
        mentions: Sequence[str] = (),
    ) -> str:
        if room_id in self.refuse_posts:
            raise PermissionError(f"the bot may not post in {room_id}")
        return self._once(
            txn_id,
            lambda id_: self.posted.append(Notice(room_id, text, thread_root, tuple(mentions))),
        )

    async def post_image(
        self, room_id: str, png: bytes, alt: str, txn_id: str, thread_root: str | None = None
    ) -> str:
        if self.refuse_images:
            raise ConnectionError("the upload was refused")
        return self._once(
            txn_id,
            lambda event_id: self.images.append(
                PostedImage(event_id, room_id, png, alt, thread_root)
            ),
        )

    def _once(self, txn_id: str, record: Callable[[str], None]) -> str:
        """As a homeserver does: a transaction id seen before gives the same event again."""
        if txn_id not in self._transactions:
            self._transactions[txn_id] = f"$sent{next(self._ids)}"
            record(self._transactions[txn_id])
        return self._transactions[txn_id]

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
        if self.refuse_polls:
            raise ConnectionError("the homeserver is unreachable")
        return self._once(
            txn_id,
            lambda event_id: self.polls.append(
                PostedPoll(
                    event_id,
                    room_id,
                    question,
                    tuple(answers),
                    max_selections,
                    disclosed,
                    thread_root,
                )
            ),
        )

    async def end_poll(self, room_id: str, start_event: str, text: str, txn_id: str) -> str:
        def record(event_id: str) -> None:
            assert self.clock is not None, "a transport that ends polls needs the server's clock"
            self.ended.append(EndedPoll(event_id, room_id, start_event, text))
            end = IncomingPollEnd(event_id, room_id, BOT, start_event, self.clock.now())
            self.poll_ends.setdefault(start_event, []).append(end)

        return self._once(txn_id, record)

    async def poll_history(self, room_id: str, start_event: str) -> PollHistory | None:
        if self.history_unreadable:
            return None
        found = tuple(self.history.get(start_event, []))  # the list as it was when asked for
        ends = tuple(self.poll_ends.get(start_event, []))
        if self.while_reading_history is not None:
            await self.while_reading_history()
        return PollHistory(found, frozenset(each.event_id for each in found), ends)


class FakeAgenda:
    """Notes when each poll should close; tests close them by calling the closing code."""

    def __init__(self) -> None:
        self.closings: dict[int, datetime] = {}
        self.reminders: dict[int, datetime] = {}
        self.workshop_reminders: dict[int, datetime] = {}

    def close_poll_at(self, poll_id: int, when: datetime) -> None:
        self.closings[poll_id] = when

    def remind_at(self, poll_id: int, when: datetime) -> None:
        self.reminders[poll_id] = when

    def remind_workshop_at(self, workshop_id: int, when: datetime) -> None:
        self.workshop_reminders[workshop_id] = when
