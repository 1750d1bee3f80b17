"""Fakes for the fast layers: a settable clock and a transport that records replies."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.i18n import Text
from bot.messages import Reply


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
class SharedRoom:
    room_id: str
    user_ids: tuple[str, ...]
    name: str
    text: Text


class FakeTransport:
    """Records every reply, private file and shared room; levels and members are set by the test.

    ``refuse_rooms`` makes opening a room fail, as an unreachable homeserver would.
    """

    def __init__(self) -> None:
        self.sent: list[Reply] = []
        self.files: list[PrivateFile] = []
        self.rooms: list[SharedRoom] = []
        self.refuse_rooms = False
        self.levels: dict[tuple[str, str], float] = {}
        self.members: dict[str, dict[str, str]] = {}
        self._ids = itertools.count(1)

    async def send_reply(self, reply: Reply) -> str:
        self.sent.append(reply)
        return f"$reply{next(self._ids)}"

    async def power_level(self, room_id: str, user_id: str) -> float:
        return self.levels.get((room_id, user_id), 0.0)

    def room_members(self, room_id: str) -> dict[str, str]:
        return dict(self.members.get(room_id, {}))

    async def send_file_privately(
        self, user_id: str, filename: str, data: bytes, text: str
    ) -> None:
        self.files.append(PrivateFile(user_id, filename, data, text))

    async def open_shared_room(self, user_ids: Sequence[str], name: str, text: Text) -> str:
        if self.refuse_rooms:
            raise ConnectionError("the homeserver is unreachable")
        room = SharedRoom(f"!shared{len(self.rooms) + 1}:test", tuple(user_ids), name, text)
        self.rooms.append(room)
        return room.room_id
