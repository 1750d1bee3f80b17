"""A mentorship match between two real members: suggested, asked, accepted, met, done."""

from __future__ import annotations

import pytest

from bot.app import running
from bot.matrix.member import MemberClient, Seen
from tests.e2e.conftest import World

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]


def localpart(member: MemberClient) -> str:
    """The display name a fresh account has."""
    return member.user_id[1:].split(":")[0]


async def test_from_need_and_offer_to_a_shared_room_and_a_transmission(world: World) -> None:
    alice = await world.member("alice")
    bob = await world.member("bob")
    room = await alice.create_room("atelier", invite=[world.bot_user, bob.user_id])
    await bob.join(room)
    async with running(world.config(rooms=[room])):
        await alice.wait_membership(room, world.bot_user, "join")
        await bob.answer_to(await bob.say(room, "!offer woodworking 4 : on Saturdays"))
        await alice.answer_to(await alice.say(room, "!need woodworking 1 : a kitchen shelf"))
        suggested = await alice.answer_to(await alice.say(room, "!match"))
        asked = await alice.answer_to(await alice.say(room, "!match ask o1"))
        accepted = await bob.answer_to(await bob.say(room, "!match accept m1"))

        shared = await alice.join_invite_from(world.bot_user)
        assert await bob.join_invite_from(world.bot_user) == shared

        def introduction(seen: Seen) -> bool:
            return seen.room_id == shared and seen.sender == world.bot_user

        intro = await alice.wait_for(introduction)
        assert (await bob.wait_for(introduction)).body == intro.body
        done = await alice.answer_to(await alice.say(room, "!match done m1 : very patient"))

    alice_name, bob_name = localpart(alice), localpart(bob)
    assert suggested.body.splitlines() == [
        "Your need n2 (woodworking, level 1):",
        f"• {bob_name} (o1, level 4) is 3 steps ahead in woodworking → !match ask o1",
    ]
    assert suggested.content["m.mentions"] == {}
    assert asked.body.startswith(f"{bob_name}, {alice_name} would like to learn woodworking")
    assert asked.content["m.mentions"] == {"user_ids": [bob.user_id]}
    assert accepted.body.startswith(f"{bob_name} agrees to mentor {alice_name} in woodworking")
    assert shared != room
    assert intro.encrypted
    assert intro.body.splitlines()[1:3] == [
        f"{alice_name} is at level 1 (curious) — a kitchen shelf",
        f"{bob_name} practises it at level 4 (experienced) — on Saturdays",
    ]
    assert done.body.splitlines() == [
        f"Match m1 is done: {bob_name} mentored {alice_name} in woodworking. Thank you both!",
        "Feedback: very patient",
        "Contribution c1 recorded: in transmission — mentoring in woodworking (match m1)",
        "Confirmed: 1 witness (1 needed); it counts.",
    ]
    assert done.content["m.mentions"] == {"user_ids": [bob.user_id]}
