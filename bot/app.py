"""The composition root: builds the bot's parts, starts them in order, stops them in reverse."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.clock import Clock, SystemClock
from bot.commands import (
    admin,
    contributions,
    digest,
    help,
    matching,
    offers,
    personal,
    polls,
    proposals,
    waiting,
    workshops,
)
from bot.commands.dispatcher import Dispatcher
from bot.config import Config
from bot.intake import Intake
from bot.matrix.gateway import MatrixGateway
from bot.matrix.session import SessionFile
from bot.polls import PollKeeper
from bot.scheduler import Scheduler
from bot.store import events, intake
from bot.store.database import Database

log = logging.getLogger(__name__)

ROUTERS = (
    help.router,
    offers.router,
    matching.router,
    admin.router,
    contributions.router,
    personal.router,
    polls.router,
    proposals.router,
    waiting.router,
    workshops.router,
    digest.router,
)


class Compagnon:
    """One running bot. ``run`` returns after ``stop`` once in-flight work is done."""

    def __init__(self, config: Config, clock: Clock | None = None) -> None:
        self.config = config
        self.clock: Clock = clock or SystemClock()
        self.ready = asyncio.Event()
        self.database: Database | None = None  # while running: for fault-injection tests
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        """Start, serve until ``stop``, stop. A ``stop`` during start-up (an unreachable
        homeserver, a long catch-up) cancels it at once."""
        database = self.database = await Database.open(
            self.config.database.path, expected_by=self._evidence_of_a_past_run()
        )
        try:
            await self._forget_stale(database)
            gateway = MatrixGateway(self.config, self.clock)
            transport = gateway.outbound
            keeper = PollKeeper(self.config, database, transport, self.clock)
            scheduler = Scheduler(self.config, database, transport, self.clock, keeper)
            dispatcher = Dispatcher(
                ROUTERS, database, transport, self.config, self.clock, scheduler, keeper
            )
            intake = Intake(database, dispatcher, self.clock)
            try:
                await keeper.recall()  # before any command can start the same work
                if not await self._unless_stopped(gateway.start(inbox=intake)):
                    return
                log.info("serving %d room(s)", len(gateway.served_rooms))
                sync = asyncio.create_task(gateway.run(), name="sync")
                if await self._unless_stopped(scheduler.start()):
                    self.ready.set()
                    stopping = asyncio.create_task(self._stopping.wait())
                    await asyncio.wait((sync, stopping), return_when=asyncio.FIRST_COMPLETED)
                    stopping.cancel()
                    if sync.done():
                        sync.result()  # a sync loop that died is raised: exit, be restarted
                sync.cancel()
                await asyncio.gather(sync, return_exceptions=True)
            finally:
                await scheduler.stop()
                await intake.stop()
                await gateway.stop()
        finally:
            await database.close()
            log.info("stopped")

    def stop(self) -> None:
        self._stopping.set()

    def _evidence_of_a_past_run(self) -> Path | None:
        """The session file, if the bot has logged in before: then the ledger cannot be new
        (it is opened, and made, before the first login)."""
        sessions = SessionFile(self.config.matrix.store_path)
        return sessions.path if sessions.load(self.config.matrix.user_id) else None

    async def _unless_stopped(self, stage: Coroutine[Any, Any, None]) -> bool:
        """Run a start-up stage; False if ``stop`` came first (the stage is cancelled)."""
        work = asyncio.create_task(stage)
        stopping = asyncio.create_task(self._stopping.wait())
        await asyncio.wait((work, stopping), return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not work.done():
            work.cancel()
            await asyncio.gather(work, return_exceptions=True)
            log.info("stopped during start-up")
            return False
        work.result()
        return True

    async def _forget_stale(self, database: Database) -> None:
        """Ids older than twice the grace period can never come back as commands, and a
        reply owed that long is to a room the bot can no longer answer in."""
        horizon = self.clock.now() - 2 * self.config.bot.offline_grace
        async with database.transaction() as tx:
            await events.forget_handled_before(tx, horizon)
            await intake.forget_owed_before(tx, horizon)


@asynccontextmanager
async def running(config: Config, clock: Clock | None = None) -> AsyncIterator[Compagnon]:
    """A bot running in the background until the block ends; start-up failures are raised."""
    bot = Compagnon(config, clock)
    task = asyncio.create_task(bot.run(), name="compagnon")
    ready = asyncio.create_task(bot.ready.wait())
    try:
        await asyncio.wait((ready, task), return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()
            raise RuntimeError("the bot stopped before it was ready")
        yield bot
    finally:
        ready.cancel()
        bot.stop()
        await asyncio.gather(task, return_exceptions=True)
