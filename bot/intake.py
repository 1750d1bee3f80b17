"""The one door between what the Matrix side hears and what the bot does about it.

Each sync's events are written down in one transaction with the sync position that passes
them; each is then handed to the dispatcher, whose transaction takes it off the intake
with what it changed. A crash anywhere leaves either the event waiting here (done at the
next start) or its effect committed with a reply owed (sent at the next start): never
neither, never both. The rooms the bot serves and the direct rooms it shares are kept
behind the same door, so the Matrix side never writes the store itself.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from collections.abc import Coroutine, Sequence
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.commands.dispatcher import Dispatcher
from bot.messages import (
    Incoming,
    IncomingMessage,
    IncomingPollEnd,
    IncomingPollResponse,
    IncomingReaction,
    IncomingRedaction,
    ServedRoom,
)
from bot.store import events, intake
from bot.store.database import Database, is_write_failure
from bot.store.intake import Received

log = logging.getLogger(__name__)

_KINDS: dict[str, type[Incoming]] = {
    "message": IncomingMessage,
    "reaction": IncomingReaction,
    "redaction": IncomingRedaction,
    "poll-response": IncomingPollResponse,
    "poll-end": IncomingPollEnd,
}
_KIND_OF = {cls: kind for kind, cls in _KINDS.items()}


def encode(item: Incoming) -> Received:
    values = {field.name: getattr(item, field.name) for field in dataclasses.fields(item)}
    return Received(item.event_id, _KIND_OF[type(item)], json.dumps(values, default=_iso))


def decode(received: Received) -> Incoming:
    values: dict[str, Any] = json.loads(received.payload)
    for name, value in values.items():
        if isinstance(value, list):
            values[name] = tuple(value)
    if "sent_at" in values:
        values["sent_at"] = datetime.fromisoformat(values["sent_at"])
    return _KINDS[received.kind](**values)


def _iso(value: object) -> str:
    assert isinstance(value, datetime), value
    return value.isoformat()


class Intake:
    """Implements the Matrix side's ``Inbox``; owns the tasks that act on what came in."""

    def __init__(self, database: Database, dispatcher: Dispatcher, clock: Clock) -> None:
        self._database = database
        self._dispatcher = dispatcher
        self._clock = clock
        self._tasks: set[asyncio.Task[None]] = set()
        self._resumed = False

    async def position(self) -> str | None:
        async with self._database.transaction() as tx:
            return await intake.position(tx)

    async def receive(self, batch: Sequence[Incoming], next_batch: str) -> list[asyncio.Task[None]]:
        """Write one sync's events down with its position, then act on the new ones;
        returns their tasks. The dispatcher's transaction also writes what it set aside.

        If nothing can be written (a full disk), the commands are answered that nothing was
        saved, and the sync moves on: a member who retries must not find the first attempt
        done later. The first call first finishes what a previous run left (the rooms are
        known by then).
        """
        started = []
        if not self._resumed:
            self._resumed = True
            started = await self._resume()
        wanted = [item for item in batch if self._wanted(item)]
        try:
            async with self._dispatcher.transaction() as tx:
                new = await intake.receive(
                    tx, [encode(item) for item in wanted], self._clock.now(), next_batch
                )
        except Exception as error:
            if not is_write_failure(error):
                raise
            log.error("could not write to %s: %s", self._database.path, error)
            messages = [item for item in wanted if isinstance(item, IncomingMessage)]
            await self._dispatcher.unsaved(messages)
            return started
        return started + [self._spawn(decode(item)) for item in new]

    async def _resume(self) -> list[asyncio.Task[None]]:
        """Keep what was promised, then act on what was written down but not done, in the
        order it came (ahead of anything newer: transactions take turns in order)."""
        await self._dispatcher.keep_promises()
        async with self._database.transaction() as tx:
            waiting = await intake.waiting(tx)
        if waiting:
            log.info("resuming %d event(s) received before the last stop", len(waiting))
        return [self._spawn(decode(item)) for item in waiting]

    async def stop(self) -> None:
        """Let what is in flight finish (30 s at most), and write down what it sent."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=30)
        try:
            async with self._dispatcher.transaction():
                pass
        except Exception:  # sent again at the next start, made one by its id
            log.exception("could not note the replies sent before stopping")

    def _wanted(self, item: Incoming) -> bool:
        """Chatter is not written down: only commands, reactions, redactions, votes and
        poll ends."""
        return not isinstance(item, IncomingMessage) or self._dispatcher.is_command(item.body)

    def _spawn(self, item: Incoming) -> asyncio.Task[None]:
        task = asyncio.create_task(self._act(item))
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _act(self, item: Incoming) -> Coroutine[Any, Any, None]:
        dispatcher = self._dispatcher
        match item:
            case IncomingMessage():
                return dispatcher.handle(item)
            case IncomingReaction():
                return dispatcher.handle_reaction(item)
            case IncomingRedaction():
                return dispatcher.handle_redaction(item)
            case IncomingPollResponse():
                return dispatcher.handle_poll_response(item)
            case IncomingPollEnd():
                return dispatcher.handle_poll_end(item)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("acting on an event failed", exc_info=task.exception())

    # --- rooms: what the Matrix side keeps in the store ------------------

    async def served_rooms(self) -> dict[str, ServedRoom]:
        async with self._database.transaction() as tx:
            return await events.served_since(tx)

    async def serve(self, room_id: str, invited_by: str) -> datetime:
        """The first join counts; returns when it was."""
        async with self._database.transaction() as tx:
            await events.record_room_joined(tx, room_id, self._clock.now(), invited_by)
            return await events.room_joined_at(tx, room_id) or self._clock.now()

    async def unserve(self, room_id: str) -> None:
        async with self._database.transaction() as tx:
            await events.forget_room(tx, room_id)

    async def direct_room_of(self, member: str) -> str | None:
        async with self._database.transaction() as tx:
            return await events.direct_room_of(tx, member)

    async def remember_direct_room(self, member: str, room_id: str) -> None:
        async with self._database.transaction() as tx:
            await events.remember_direct_room(tx, member, room_id)
