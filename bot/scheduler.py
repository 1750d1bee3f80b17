"""The one owner of timed work: polls closing at their deadline, and the weekly digest.

APScheduler 3 wakes the bot at the right moments; what is due is always read from the
database, so work missed while the bot was down is done once at start-up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import ParamSpec
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from bot.clock import Clock
from bot.config import Config
from bot.digest import compose, post_chart
from bot.domain.schedule import due
from bot.i18n import Text
from bot.messages import Transport, transaction_id
from bot.polls import PollKeeper
from bot.store import digest, events, polls, workshops
from bot.store.database import Database
from bot.workshops import remind as remind_workshop

log = logging.getLogger(__name__)
P = ParamSpec("P")
WAIT_FOR_VOTES = timedelta(hours=1)  # how long a close waits for an unreadable vote list
RETRY_CLOSE_AFTER = timedelta(minutes=2)


class Scheduler:
    """Implements the command side's ``Agenda``; ``start`` once the Matrix side is ready.
    Polls are the keeper's: the scheduler says when."""

    def __init__(
        self,
        config: Config,
        database: Database,
        transport: Transport,
        clock: Clock,
        poll_keeper: PollKeeper,
    ) -> None:
        self._config = config
        self._database = database
        self._transport = transport
        self._clock = clock
        self._polls = poll_keeper
        self._jobs = AsyncIOScheduler(timezone=ZoneInfo(config.digest.timezone))
        self._digest_schedule = config.digest.trigger()
        self._running: set[asyncio.Task[object]] = set()

    async def start(self) -> None:
        """Catch up on what came due while the bot was down, then wake at each deadline."""
        await self.catch_up_polls()
        async with self._database.transaction() as tx:
            still_open = await polls.still_open(tx)
        for poll in still_open:
            if poll.start_event is not None:
                self.close_poll_at(poll.id, poll.closes_at)
        async with self._database.transaction() as tx:
            to_remind = await polls.reminders_due(tx)
        for poll in to_remind:
            assert poll.remind_at is not None
            self.remind_at(poll.id, poll.remind_at)  # one owed since a stop: now
        async with self._database.transaction() as tx:
            workshops_to_remind = await workshops.reminders_due(tx)
        for workshop in workshops_to_remind:
            assert workshop.remind_at is not None
            self.remind_workshop_at(workshop.id, workshop.remind_at)
        await self.send_digests()  # a run missed while the bot was down goes out now, late
        self._jobs.add_job(
            self._tracked("sending the digest", self.send_digests),
            self._digest_schedule,
            id="digest",
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=None,
        )
        self._jobs.start()

    async def stop(self) -> None:
        """No new job starts; those running finish (30 s at most), then the scheduler goes."""
        if not self._jobs.running:
            return
        self._jobs.pause()
        if self._running:
            await asyncio.wait(set(self._running), timeout=30)
        self._jobs.shutdown(wait=False)

    async def send_digests(self) -> None:
        """Each digest room gets the digest it is owed, once; one failing room stops no other.

        A digest claimed but not known to be sent (the bot stopped in between) is sent again
        with the same transaction id: the homeserver makes one message of the two. Polls past
        their deadline are closed first, so that none is told open past it.
        """
        await self.close_overdue_polls()
        async with self._database.transaction() as tx:
            cut_short = await digest.unsent(tx)
        for unsent in cut_short:
            try:
                await self._post_digest(unsent.room_id, unsent.period_end, unsent.text)
            except Exception:
                log.exception("could not send the digest to %s", unsent.room_id)
        for room_id in await self._digest_rooms():
            try:
                await self._send_digest(room_id)
            except Exception:
                log.exception("could not send the digest to %s", room_id)

    async def _digest_rooms(self) -> list[str]:
        async with self._database.transaction() as tx:
            served = await events.served_rooms(tx)
        if not self._config.digest.rooms:
            return served
        for room_id in set(self._config.digest.rooms) - set(served):
            log.warning("digest room %s is not a room the bot serves: no digest there", room_id)
        return [room_id for room_id in self._config.digest.rooms if room_id in served]

    async def _send_digest(self, room_id: str) -> None:
        """Recorded before it is sent, so a restart never sends it twice; released if the
        room refuses it, so the next run tries again."""
        now = self._clock.now()
        async with self._database.transaction() as tx:
            since = await events.room_joined_at(tx, room_id) or now  # served: never None
            owed = due(self._digest_schedule, await digest.last_sent(tx, room_id), now, since)
            if owed is None or not await digest.claim(tx, room_id, owed.period.end, now, owed.late):
                return
            text = await compose(tx, self._config, owed.period, late=owed.late)
            await digest.set_text(tx, room_id, owed.period.end, text)
        await self._post_digest(room_id, owed.period.end, text)
        log.info("digest sent to %s%s", room_id, " (late)" if owed.late else "")

    async def _post_digest(self, room_id: str, period_end: datetime, text: Text) -> None:
        """Send a claimed digest, then its chart; a room that refuses the digest gives the claim
        back for next time."""
        txn_id = transaction_id("digest", room_id, period_end.isoformat())
        try:
            event_id = await self._transport.post(room_id, text, txn_id)
        except Exception:
            async with self._database.transaction() as tx:
                await digest.release(tx, room_id, period_end)
            raise
        # Before the note: a stop in between sends both again, and the homeserver keeps one.
        await post_chart(self._database, self._transport, self._config, room_id, period_end, txn_id)
        async with self._database.transaction() as tx:
            await digest.set_event(tx, room_id, period_end, event_id)

    def close_poll_at(self, poll_id: int, when: datetime) -> None:
        self._once_at(when, f"close p{poll_id}", self.close_poll, poll_id)

    def remind_at(self, poll_id: int, when: datetime) -> None:
        self._once_at(when, f"remind p{poll_id}", self._polls.remind, poll_id)

    def remind_workshop_at(self, workshop_id: int, when: datetime) -> None:
        self._once_at(when, f"remind w{workshop_id}", self.remind_workshop, workshop_id)

    async def remind_workshop(self, workshop_id: int) -> None:
        await remind_workshop(
            self._database, self._transport, self._config, self._clock, workshop_id
        )

    def _once_at(
        self, when: datetime, name: str, job: Callable[[int], Awaitable[None]], number: int
    ) -> None:
        """One job per name: scheduling it again moves it. Late is better than never: it
        runs whenever it can, however late."""
        self._jobs.add_job(
            self._tracked(name, job),
            DateTrigger(run_date=when),
            args=(number,),
            name=name,
            id=name.replace(" ", "-"),
            replace_existing=True,
            misfire_grace_time=None,
        )

    async def close_poll(self, poll_id: int) -> None:
        """At its deadline; if the homeserver cannot list the votes, a while later, and after
        ``WAIT_FOR_VOTES`` with the votes already seen rather than never."""
        async with self._database.transaction() as tx:
            found = await polls.get(tx, poll_id)
        if found is None:
            return
        now = self._clock.now()
        closed = await self._polls.close(
            poll_id, unread_history_ok=now - found.closes_at >= WAIT_FOR_VOTES
        )
        if not closed:
            log.warning("the votes of %s could not be read; closing it later", found.ref)
            self.close_poll_at(poll_id, now + RETRY_CLOSE_AFTER)

    async def close_overdue_polls(self) -> None:
        """Polls past their deadline or ended; before a digest is composed, so that it tells
        them as closed."""
        async with self._database.transaction() as tx:
            still_open = await polls.still_open(tx)
        now = self._clock.now()
        for poll in still_open:
            if poll.start_event is not None and poll.closes_at <= now:
                try:
                    await self.close_poll(poll.id)
                except Exception:  # one poll's trouble must not stop the others
                    log.exception("could not close %s in %s", poll.ref, poll.room_id)

    async def catch_up_polls(self) -> None:
        """Finish what a stop left half done, bring the open polls' votes up to date (with
        an end a member sent while the bot was away), then close those due."""
        await self._polls.finish_recalled()
        async with self._database.transaction() as tx:
            still_open = await polls.still_open(tx)
        now = self._clock.now()
        for poll in still_open:
            if poll.start_event is None or poll.closes_at <= now:
                continue  # a command is posting it right now; closing reads it anyway
            try:
                await self._polls.refresh(poll)
            except Exception:  # one poll's trouble must not keep the bot from starting
                log.exception("could not catch up on %s in %s", poll.ref, poll.room_id)
        await self.close_overdue_polls()

    def _tracked(
        self, what: str, job: Callable[P, Awaitable[None]]
    ) -> Callable[P, Awaitable[None]]:
        """A job whose failure is logged with what it was doing, and that ``stop`` lets
        finish (APScheduler would cancel it halfway, say between an end event and its note)."""

        async def run(*args: P.args, **kwargs: P.kwargs) -> None:
            task = asyncio.current_task()
            assert task is not None
            self._running.add(task)
            try:
                await job(*args, **kwargs)
            except Exception:
                log.exception("scheduled work failed: %s", what)
            finally:
                self._running.discard(task)

        return run
