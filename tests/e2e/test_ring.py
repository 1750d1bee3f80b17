"""A ring of three against a real Synapse: the hours its members invent for each other
weigh nothing in a poll, and a moderator can see and undo them."""

from __future__ import annotations

import pytest

from bot.app import running
from tests.e2e.conftest import World
from tests.e2e.test_polls import ask, joined_room, poll_start

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]


async def test_a_ring_inventing_hours_weighs_what_a_newcomer_weighs(world: World) -> None:
    bob = await world.member("bob")
    ring = [await world.member(f"ring{number}") for number in range(3)]
    alice, room = await joined_room(world, "ring", bob, *ring)
    config = world.config(rooms=[room], moderators=[alice.user_id], rate_limit={"burst": 50})
    async with running(config):
        await alice.wait_membership(room, world.bot_user, "join")
        await ask(bob, room, "!contribute 10h habitat : rebuilt the shed")
        await ask(alice, room, "!confirm c1")  # the moderator saw it
        for index, member in enumerate(ring):
            mate = ring[(index + 1) % 3]
            await ask(member, room, f"!thanks {mate.user_id} 30h habitat : invented")
        weight = await ask(ring[1], room, "!weight")
        await ask(bob, room, "!poll Paint the shed? | yes | no")
        start = await poll_start(bob, room, "Paint the shed?", world.bot_user)
        for member in ring:
            await member.respond_to_poll(room, start.event_id, ["1"])
        await bob.respond_to_poll(room, start.event_id, ["2"])
        results = await ask(bob, room, "!poll close p1")
        final = await bob.wait_for(
            lambda seen: seen.body.startswith("Result of poll p1"), timeout=30
        )
        sending = await ask(alice, room, "!audit")
        direct = await alice.join_invite_from(world.bot_user)
        report = await alice.wait_for(lambda seen: seen.room_id == direct and seen.notice)
        voided = await ask(alice, room, "!void c2 : nobody saw this work")
    assert weight[0].endswith("weight: 1, were a poll to open now")
    assert weight[3] == (
        "  (0 of 30 h count: 0 h confirmed by moderators count in full, the others as far"
        " as the community's trust vouches for them)"
    )
    assert results == ["Closing poll p1; the weighted result follows in its thread."]
    assert final.body.splitlines()[1:3] == [
        "1. yes: 62% — weight 3, 3 vote(s)",  # three accounts, three voices: no more
        "2. no: 38% — weight 1.86, 1 vote(s)",  # Bob's 10 h, vouched for by Alice
    ]
    assert final.body.splitlines()[4].startswith(
        "3 of these voters had fewer hours counted than recorded"
    )
    assert sending == ["I am sending you the audit in our direct room: it names members."]
    assert report.encrypted
    assert direct != room
    circles = report.body.splitlines()
    assert circles[1] == (
        "Circles that confirm only one another, with no witness the community trusts:"
    )
    assert circles[2].endswith(" — 90 h between them")
    assert all(member.user_id[1:].split(":")[0] in circles[2] for member in ring)
    assert voided[0].startswith("c2 is voided: it no longer counts toward any weight")
