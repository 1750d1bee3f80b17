"""The composition root: builds the bot's parts, starts them in order, stops them in reverse."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.clock import Clock, SystemClock
from bot.commands import admin, contributions, digest, help, matching, offers, personal, polls
from bot.commands.dispatcher import Dispatcher
from bot.config import Config
from bot.matrix.gateway import MatrixGateway
from bot.scheduler import Scheduler
from bot.store import events
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
    digest.router,
)


class Compagnon:
    """One running bot. ``run`` returns after ``stop`` once in-flight work is done."""

    def __init__(self, config: Config, clock: Clock | None = None) -> None:
        self.config = config
        self.clock: Clock = clock or SystemClock()
        self.ready = asyncio.Event()
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        database = await Database.open(self.config.database.path)
        try:
            await self._forget_stale_events(database)
            gateway = MatrixGateway(self.config, database, self.clock)
            scheduler = Scheduler(self.config, database, gateway, self.clock)
            dispatcher = Dispatcher(ROUTERS, database, gateway, self.config, self.clock, scheduler)
            try:
                await scheduler.recall()
                await gateway.start(inbox=dispatcher)
                log.info("serving %d room(s)", len(gateway.served_rooms))
                sync = asyncio.create_task(gateway.run(), name="sync")
                await scheduler.start()
                self.ready.set()
                await self._stopping.wait()
                sync.cancel()
                await asyncio.gather(sync, return_exceptions=True)
            finally:
                await scheduler.stop()
                await gateway.stop()
        finally:
            await database.close()
            log.info("stopped")

    def stop(self) -> None:
        self._stopping.set()

    async def _forget_stale_events(self, database: Database) -> None:
        """Ids older than twice the grace period can never come back as commands."""
        horizon = self.clock.now() - 2 * self.config.bot.offline_grace
        async with database.transaction() as tx:
            await events.forget_handled_before(tx, horizon)


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
