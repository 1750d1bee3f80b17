"""The weekly digest in a real room: a run missed while the bot was down goes out once, late."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.app import running
from bot.config import DigestConfig
from bot.matrix.member import MemberClient, Seen
from tests.e2e.conftest import LaterClock, World, digest_due_soon

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]


async def ask(member: MemberClient, room: str, command: str) -> list[str]:
    return (await member.answer_to(await member.say(room, command))).body.splitlines()


def localpart(member: MemberClient) -> str:
    """The display name a fresh account has."""
    return member.user_id[1:].split(":")[0]


def digests(member: MemberClient, bot: str) -> list[Seen]:
    return [
        seen
        for seen in member.seen
        if seen.sender == bot and seen.body.startswith("Community digest")
    ]


def charts(member: MemberClient, bot: str) -> list[Seen]:
    return [
        seen
        for seen in member.seen
        if seen.sender == bot and seen.content.get("msgtype") == "m.image"
    ]


async def test_a_digest_missed_while_down_appears_once_late(world: World) -> None:
    alice = await world.member("alice")
    bob = await world.member("bob")
    room = await alice.create_room("digest", invite=[world.bot_user, bob.user_id])
    await bob.join(room)
    config = digest_due_soon(world.config(rooms=[room]))
    async with running(config):
        await alice.wait_membership(room, world.bot_user, "join")
        await ask(alice, room, "!offer pottery 4 : wheel and <glazes>")
        await ask(bob, room, "!contribute 3h habitat : fixed the gate")
        await ask(alice, room, "!confirm c1")

    later = LaterClock(timedelta(minutes=30))  # back 28 minutes after the run
    for _ in range(2):  # coming back, then a restart: the digest goes out once
        async with running(config, later):
            await alice.wait_for(lambda seen: bool(digests(alice, world.bot_user)))
            await alice.wait_for(lambda seen: bool(charts(alice, world.bot_user)))
            await ask(bob, room, "!help help")  # the bot has done its start-up work

    [digest] = digests(alice, world.bot_user)
    [chart] = charts(alice, world.bot_user)  # and its chart of the weeks' confirmed hours
    assert chart.body.endswith("the last 8 weeks: habitat 3 h.")
    assert chart.thread_root is None
    lines = [line for line in digest.body.splitlines() if line]
    assert lines[1].startswith("This digest is late: it was due on ")
    assert lines[2:5] == ["Welcome", f"• {localpart(bob)}", f"• {localpart(alice)}"]
    assert "New offers" in lines
    assert f"{localpart(alice)} offers pottery (level 4) — o1" in digest.body
    assert "Work for the group: 3h in 1 contribution(s)" in digest.body
    assert digest.notice
    assert digest.replies_to is None
    assert "&lt;glazes&gt;" not in (digest.html or "")  # details are not in the digest
    assert "<h4>Community digest" in (digest.html or "")


async def test_the_scheduled_run_posts_the_digest_on_time(world: World) -> None:
    """The live path: APScheduler wakes the bot at the next minute (at most a minute's wait)."""
    alice = await world.member("alice")
    room = await alice.create_room("every minute", invite=[world.bot_user])
    config = world.config(rooms=[room]).model_copy(
        update={"digest": DigestConfig(schedule="* * * * *", timezone="Europe/Paris")}
    )
    async with running(config):
        await alice.wait_membership(room, world.bot_user, "join")
        await ask(alice, room, "!offer bread baking 3")
        seen = await alice.wait_for(lambda seen: seen in digests(alice, world.bot_user), 75)
    assert "This digest is late" not in seen.body
    assert f"{localpart(alice)} offers bread baking (level 3) — o1" in seen.body
