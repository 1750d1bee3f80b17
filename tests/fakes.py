"""Fakes for the fast layers: a settable clock and a transport that records replies."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

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


class FakeTransport:
    """Records every reply and private file; power levels and members are set by the test."""

    def __init__(self) -> None:
        self.sent: list[Reply] = []
        self.files: list[PrivateFile] = []
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
