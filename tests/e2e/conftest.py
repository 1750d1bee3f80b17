"""A real Synapse on 127.0.0.1 for the whole session, fresh members and a fresh bot per test.

Nothing here skips: without Synapse installed, the session fixture fails, and so does CI.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.config import BotConfig, Config, DatabaseConfig, DigestConfig, MatrixConfig
from bot.matrix.homeserver import LocalSynapse
from bot.matrix.member import MemberClient

_names = itertools.count(1)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def synapse(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LocalSynapse]:
    server = LocalSynapse(tmp_path_factory.mktemp("synapse"))
    await server.start()
    yield server
    await server.stop()


class LaterClock:
    """The real clock moved forward: the bot comes back after a scheduled run went by."""

    def __init__(self, ahead: timedelta) -> None:
        self._ahead = ahead

    def now(self) -> datetime:
        return datetime.now(UTC) + self._ahead

    def monotonic(self) -> float:
        return time.monotonic()


def digest_due_soon(config: Config) -> Config:
    """A daily digest due two minutes from now: after this start, before a ``LaterClock``."""
    run = datetime.now(UTC) + timedelta(minutes=2)
    schedule = f"{run.minute} {run.hour} * * *"
    return config.model_copy(update={"digest": DigestConfig(schedule=schedule, timezone="UTC")})


@dataclass
class World:
    """Accounts on one homeserver: the bot's and some members', unique to one test."""

    synapse: LocalSynapse
    directory: Path
    bot_user: str = ""
    members: list[MemberClient] = field(default_factory=list)

    async def register_bot(self) -> None:
        localpart = f"compagnon{next(_names)}"
        self.bot_user = await self.synapse.register(localpart, "bot-password")

    async def member(self, name: str) -> MemberClient:
        localpart = f"{name}{next(_names)}"
        user_id = await self.synapse.register(localpart, f"{name}-password")
        member = MemberClient(
            self.synapse.url, user_id, f"{name}-password", self.directory / localpart
        )
        await member.start()
        self.members.append(member)
        return member

    def config(self, **bot: Any) -> Config:
        bot.setdefault("language", "en")
        return Config(
            matrix=MatrixConfig(
                homeserver=self.synapse.url,
                user_id=self.bot_user,
                password="bot-password",
                store_path=self.directory / "bot",
            ),
            bot=BotConfig.model_validate(bot),
            database=DatabaseConfig(path=self.directory / "bot" / "compagnon.sqlite3"),
        )


@pytest_asyncio.fixture(loop_scope="session")
async def world(synapse: LocalSynapse, tmp_path: Path) -> AsyncIterator[World]:
    world = World(synapse, tmp_path)
    await world.register_bot()
    yield world
    for member in world.members:
        await member.close()


@asynccontextmanager
async def command_line_bot(
    world: World, room: str, *options: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """The bot as an operator runs it, ``python -m bot [options] run --config FILE``, in a
    child process serving ``room``; killed at the block's end if it is still running."""
    config = world.directory / "config.toml"
    config.write_text(
        f"""
[matrix]
homeserver = "{world.synapse.url}"
user_id = "{world.bot_user}"
store_path = "bot"
[bot]
language = "en"
rooms = ["{room}"]
""",
        encoding="utf-8",
    )
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "bot", *options, "run", "--config", str(config)),
        env={**os.environ, "COMPAGNON_PASSWORD": "bot-password"},
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def stop_with_sigterm(process: asyncio.subprocess.Process) -> str:
    """SIGTERM, as systemd stops it; what it logged."""
    process.send_signal(signal.SIGTERM)
    _, log = await asyncio.wait_for(process.communicate(), 30)
    return log.decode()
