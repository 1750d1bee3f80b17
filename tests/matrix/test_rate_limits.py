"""The gateway against a homeserver that answers 429: it waits as told, and gives up politely."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.config import Config, DatabaseConfig, MatrixConfig
from bot.i18n import Text
from bot.matrix.gateway import MatrixGateway
from bot.messages import Reply
from tests.fakes import FakeClock


class LimitedHomeserver:
    """Refuses the first ``refusals`` sends with M_LIMIT_EXCEEDED, then accepts."""

    def __init__(self, refusals: int, retry_after_ms: int = 1500) -> None:
        self.refusals = refusals
        self.retry_after_ms = retry_after_ms
        self.requests = 0

    async def send(self, _: web.Request) -> web.Response:
        self.requests += 1
        if self.requests <= self.refusals:
            return web.json_response(
                {
                    "errcode": "M_LIMIT_EXCEEDED",
                    "error": "Too Many Requests",  # what Synapse sends
                    "retry_after_ms": self.retry_after_ms,
                },
                status=429,
            )
        return web.json_response({"event_id": "$sent"})


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Records the waits nio asks for instead of sleeping through them."""
    asked: list[float] = []

    async def no_sleep(seconds: float) -> None:
        if seconds > 0:  # sleep(0) is only a yield to the event loop
            asked.append(seconds)

    monkeypatch.setattr("nio.client.async_client.asyncio.sleep", no_sleep)
    return asked


async def _gateway(homeserver: LimitedHomeserver, tmp_path: Path) -> AsyncIterator[MatrixGateway]:
    app = web.Application()
    app.router.add_put(r"/_matrix/client/v3/rooms/{room}/send/{type}/{txn}", homeserver.send)
    async with TestServer(app, host="127.0.0.1") as server:
        config = Config(
            matrix=MatrixConfig(
                homeserver=str(server.make_url("")).rstrip("/"),
                user_id="@compagnon:test",
                password="x",
                store_path=tmp_path / "store",
            ),
            database=DatabaseConfig(path=tmp_path / "db.sqlite3"),
        )
        gateway = MatrixGateway(config, FakeClock())
        gateway.client.access_token = "token"
        try:
            yield gateway
        finally:
            await gateway.stop()


REPLY = Reply("!room:test", Text("hi", "hi"), "$command", "compagnon-reply-1")


async def test_a_429_is_waited_out_for_its_retry_after(tmp_path: Path, sleeps: list[float]) -> None:
    homeserver = LimitedHomeserver(refusals=2)
    async for gateway in _gateway(homeserver, tmp_path):
        assert await gateway.outbound.send_reply(REPLY) == "$sent"
    assert homeserver.requests == 3
    assert sleeps == [1.5, 1.5]


async def test_a_homeserver_that_keeps_refusing_is_not_hammered(
    tmp_path: Path, sleeps: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    homeserver = LimitedHomeserver(refusals=1000)
    async for gateway in _gateway(homeserver, tmp_path):
        assert await gateway.outbound.send_reply(REPLY) == ""
    assert homeserver.requests == 11
    assert sleeps == [1.5] * 10
    assert "could not answer in !room:test" in caplog.text
