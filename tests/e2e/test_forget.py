"""``!forget me`` against a real Synapse: after it, nothing in the database or the export
names the member or holds what she wrote, across a digest sent before, a finished match, a
poll closed before and one whose close reads her click again, and a restart."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from nio import RoomGetEventResponse

from bot.app import running
from bot.export import export
from bot.matrix.member import MemberClient
from tests.e2e.conftest import LaterClock, World, digest_due_soon

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]


async def ask(member: MemberClient, room: str, command: str) -> str:
    return (await member.answer_to(await member.say(room, command))).body


def every_text(database: Path) -> str:
    """Every value of every column of every table, as text, one per line."""
    with sqlite3.connect(database) as connection:
        tables = [
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return "\n".join(
            str(value)
            for table in tables
            for row in connection.execute(f'SELECT * FROM "{table}"')
            for value in row
        )


async def test_nothing_of_a_forgotten_member_stays_in_the_database_or_the_export(
    world: World,
) -> None:
    zoe = await world.member("zoe")
    bob = await world.member("bob")
    await zoe.client.set_displayname("Zoé Quillfeather")
    room = await bob.create_room("forget", invite=[world.bot_user, zoe.user_id])
    await zoe.join(room)
    config = digest_due_soon(
        world.config(rooms=[room], moderators=[bob.user_id], rate_limit={"burst": 50})
    )
    async with running(config):
        await zoe.wait_membership(room, world.bot_user, "join")
        await ask(zoe, room, "!offer glassblowingword 4 : my furnace in the barn")
        await ask(zoe, room, "!need weldingword 1 : sparkword")
        await ask(bob, room, "!offer weldingword 3")
        await ask(bob, room, f"!thanks {zoe.user_id} 2h habitat : tilingword")
        assert "m" in await ask(zoe, room, "!match ask o3")
        await ask(bob, room, "!match accept m1")
        await zoe.join_invite_from(world.bot_user)  # the pair's room, before the direct one
        await ask(zoe, room, "!match done m1 : feedbackword")
        await ask(bob, room, "!poll Which day? | mon | tue")
        closed = await zoe.wait_for(lambda seen: seen.type.endswith("poll.start"))
        clicks = [await zoe.respond_to_poll(room, closed.event_id, ["1"])]
        assert "mon" in await ask(bob, room, "!poll results p1")
        await ask(bob, room, "!poll close p1")
        await ask(bob, room, "!poll Which colour? | red | blue")
        opened = await zoe.wait_for(
            lambda seen: seen.type.endswith("poll.start") and seen.event_id != closed.event_id
        )
        clicks.append(await zoe.respond_to_poll(room, opened.event_id, ["2"]))
        assert "blue" in await ask(bob, room, "!poll results p2")
        await ask(zoe, room, "!mydata")
        direct = await zoe.join_invite_from(world.bot_user)
        file = await zoe.wait_for(
            lambda seen: seen.room_id == direct and seen.content.get("msgtype") == "m.file"
        )

    later = LaterClock(timedelta(minutes=30))  # back after the digest run: it goes out late
    async with running(config, later):
        digest = await zoe.wait_for(lambda seen: seen.body.startswith("Community digest"))
        assert "Quillfeather" in digest.body
        await ask(zoe, room, "!forget me")
        await ask(zoe, room, "!forget me confirm")
        await zoe.wait_membership(direct, world.bot_user, "leave", timeout=30)
        await ask(bob, room, "!poll close p2")  # reads the clicks again, hers among them
    async with running(config, later):  # a restart
        after = await ask(bob, room, "!poll results p2")
        before_forget = await ask(bob, room, "!poll results p1")
    assert "2. blue: 0% — weight 0, 0 vote(s)" in after  # her withdrawn click stays out
    assert "1. mon: 100% — weight 1.4, 1 vote(s)" in before_forget  # counted, anonymously

    redacted = await zoe.client.room_get_event(direct, file.event_id)
    assert isinstance(redacted, RoomGetEventResponse)
    assert "url" not in redacted.event.source["content"]
    assert "file" not in redacted.event.source["content"]
    stored = every_text(config.database.path)
    exported = "".join(  # the export runs its own event loop, as the command line does
        [await asyncio.to_thread(export, config, fmt, later.now()) for fmt in ("json", "csv")]
    )
    localpart = zoe.user_id[1:].split(":")[0]
    for trace in (
        localpart,
        "Quillfeather",
        "glassblowingword",
        "furnace",
        "sparkword",
        "tilingword",
        "feedbackword",
        *clicks,  # event ids that lead back to her
    ):
        assert trace not in stored, trace
        assert trace not in exported, trace
    assert "weldingword" in stored  # bob's offer, and the finished match on his side
