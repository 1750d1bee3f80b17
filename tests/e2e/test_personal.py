"""A member's data against a real Synapse: the file in an encrypted direct room, then forgetting."""

from __future__ import annotations

import json

import pytest

from bot.app import running
from tests.e2e.conftest import World

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]


async def test_mydata_arrives_privately_then_forget_me_leaves_nothing(world: World) -> None:
    alice = await world.member("alice")
    room = await alice.create_room("atelier", invite=[world.bot_user])
    async with running(world.config(rooms=[room], rate_limit={"burst": 20})):
        await alice.wait_membership(room, world.bot_user, "join")
        await alice.answer_to(await alice.say(room, "!offer woodworking 4 : the router"))
        await alice.answer_to(await alice.say(room, "!need bookkeeping"))

        sending = await alice.answer_to(await alice.say(room, "!mydata"))
        direct = await alice.join_invite_from(world.bot_user)
        notice = await alice.wait_for(lambda seen: seen.room_id == direct and seen.notice)
        file = await alice.wait_for(
            lambda seen: seen.room_id == direct and seen.content.get("msgtype") == "m.file"
        )
        data = json.loads(await alice.download(file))

        preview = await alice.answer_to(await alice.say(room, "!forget me"))
        done = await alice.answer_to(await alice.say(room, "!forget me confirm"))
        profile = await alice.answer_to(await alice.say(room, "!profile"))

    localpart = alice.user_id[1:].split(":")[0]
    assert sending.body.startswith("I am sending you everything I keep about you")
    assert direct != room
    assert notice.body.startswith("Here is everything Compagnon keeps about you")
    assert notice.encrypted
    assert file.encrypted
    assert "file" in file.content  # the upload itself is encrypted too
    assert file.body.startswith(f"compagnon-data-{localpart}-")
    assert data["user_id"] == alice.user_id
    assert [(o["ref"], o["skill"], o["details"]) for o in data["offers"]] == [
        ("o1", "woodworking", "the router")
    ]
    assert [n["skill"] for n in data["needs"]] == ["bookkeeping"]
    assert data["direct_room"] is None  # recorded once the room existed, after the snapshot

    assert preview.body.splitlines()[2] == "• offers and needs, withdrawn ones included: 2"
    assert "• our direct room: I redact what I sent you there" in preview.body
    assert done.body.startswith(f"Done, {localpart}: I have forgotten you.")
    assert profile.body.startswith(f"Nothing under your name yet, {localpart}.")
