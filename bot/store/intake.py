"""Events written down before the sync position passes them, and replies owed until sent."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.i18n import Text
from bot.messages import Reply
from bot.store.database import Transaction


@dataclass(frozen=True)
class Received:
    """One event as the Matrix side handed it over: a kind and its plain value as JSON."""

    event_id: str
    kind: str
    payload: str


async def position(tx: Transaction) -> str | None:
    """Where the next sync starts; None before the first one (history is then ignored)."""
    value = await tx.fetch_value("SELECT next_batch FROM sync_position")
    return None if value is None else str(value)


async def receive(
    tx: Transaction, batch: Sequence[Received], at: datetime, next_batch: str
) -> list[Received]:
    """Write down what is new with the position passing it; an event already handled or
    already waiting is left out, so a sync replayed after a crash never makes a command run
    twice."""
    await tx.execute(
        "INSERT INTO sync_position (id, next_batch) VALUES (1, ?) "
        "ON CONFLICT (id) DO UPDATE SET next_batch = excluded.next_batch",
        (next_batch,),
    )
    new = []
    for item in batch:
        changed = await tx.execute(
            "INSERT INTO intake (event_id, kind, payload, received_at) SELECT ?, ?, ?, ? "
            "WHERE NOT EXISTS (SELECT 1 FROM handled_event WHERE event_id = ?) "
            "ON CONFLICT DO NOTHING",
            (item.event_id, item.kind, item.payload, at.isoformat(), item.event_id),
        )
        if changed:
            new.append(item)
    return new


async def waiting(tx: Transaction) -> list[Received]:
    """What a previous run wrote down but did not finish, in the order it came."""
    rows = await tx.fetch_all("SELECT event_id, kind, payload FROM intake ORDER BY seq")
    return [Received(row["event_id"], row["kind"], row["payload"]) for row in rows]


async def settle(tx: Transaction, event_id: str) -> None:
    """The event was acted on: committed with what it changed, it leaves the intake."""
    await tx.execute("DELETE FROM intake WHERE event_id = ?", (event_id,))


@dataclass(frozen=True)
class OwedReply:
    """A reply decided and committed, not yet known to be sent."""

    reply: Reply
    record_of: int | None = None  # the contribution this reply records: reactions confirm


async def owe(tx: Transaction, owed: OwedReply, at: datetime) -> None:
    reply = owed.reply
    await tx.execute(
        "INSERT INTO owed_reply (txn_id, room_id, in_reply_to, thread_root, body, html, "
        "mentions, record_of, owed_since) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        (
            reply.txn_id,
            reply.room_id,
            reply.in_reply_to,
            reply.thread_root,
            reply.text.plain,
            reply.text.html,
            json.dumps(reply.mentions),
            owed.record_of,
            at.isoformat(),
        ),
    )


async def owed(tx: Transaction) -> list[OwedReply]:
    rows = await tx.fetch_all("SELECT * FROM owed_reply ORDER BY owed_since, txn_id")
    return [
        OwedReply(
            Reply(
                room_id=row["room_id"],
                text=Text(row["body"], row["html"]),
                in_reply_to=row["in_reply_to"],
                thread_root=row["thread_root"],
                mentions=tuple(json.loads(row["mentions"])),
                txn_id=row["txn_id"],
            ),
            row["record_of"],
        )
        for row in rows
    ]


async def paid(tx: Transaction, txn_id: str) -> None:
    await tx.execute("DELETE FROM owed_reply WHERE txn_id = ?", (txn_id,))


async def forget_owed_before(tx: Transaction, before: datetime) -> int:
    """A reply that could not be sent for that long (the bot left the room) is given up."""
    return await tx.execute("DELETE FROM owed_reply WHERE owed_since < ?", (before.isoformat(),))
