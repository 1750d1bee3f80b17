"""Timed work for workshops: the reminder to those signed up, once, before it begins."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.config import Config
from bot.messages import Transport, transaction_id
from bot.store import members, workshops
from bot.store.database import Database


async def remind(
    database: Database, transport: Transport, config: Config, clock: Clock, workshop_id: int
) -> None:
    """Pings those coming (not those waiting) in the announcement's thread. Owed before it
    is sent and sent with the workshop's transaction id: exactly once across stops. One
    that came due while the bot was down and the workshop has begun is dropped: a reminder
    of a time already past helps nobody."""
    async with database.transaction() as tx:
        found = await workshops.get(tx, workshop_id)
        if found is None or not found.is_upcoming or found.reminder_event is not None:
            return
        if found.announce_event is None:
            return
        await workshops.owe_reminder(tx, workshop_id, clock.now())
        coming = (await workshops.signups(tx, found)).coming
        if found.starts_at <= clock.now():
            coming = []
        names = await members.display_names(tx, coming)
    event_id = ""
    if coming:
        t = config.catalogue()
        text = t(
            "workshops.reminder",
            names=", ".join(names.get(member, member) for member in coming),
            ref=str(found.ref),
            skill=found.skill_name,
            when=t.moment(found.starts_at, ZoneInfo(config.digest.timezone)),
            where=found.place or "—",
        )
        event_id = await transport.post(
            found.room_id,
            text,
            transaction_id("workshop-reminder", found.room_id, str(found.id)),
            thread_root=found.announce_event,
            mentions=coming,
        )
    async with database.transaction() as tx:
        await workshops.reminder_sent(tx, workshop_id, event_id)
