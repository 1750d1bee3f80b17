"""Fakes for the fast layers: a settable clock and a transport that records replies."""

from __future__ import annotations

import itertools
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


class FakeTransport:
    """Records every reply; power levels are whatever the test sets."""

    def __init__(self) -> None:
        self.sent: list[Reply] = []
        self.levels: dict[tuple[str, str], float] = {}
        self._ids = itertools.count(1)

    async def send_reply(self, reply: Reply) -> str:
        self.sent.append(reply)
        return f"$reply{next(self._ids)}"

    async def power_level(self, room_id: str, user_id: str) -> float:
        return self.levels.get((room_id, user_id), 0.0)
