"""The foundation against a real Synapse: rooms, commands, encryption, moderators, restarts."""

from __future__ import annotations

import asyncio

import pytest
from nio import ProfileGetResponse

from bot.app import running
from tests.e2e.conftest import World, command_line_bot, stop_with_sigterm

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]


async def test_joins_on_an_allowed_invite_and_answers_help(world: World) -> None:
    alice = await world.member("alice")
    async with running(world.config(allowed_inviters=[alice.user_id])):
        room = await alice.create_room("workshop", invite=[world.bot_user])
        await alice.wait_membership(room, world.bot_user, "join")
        sent = await alice.say(room, "!help")
        answer = await alice.answer_to(sent)
    assert answer.sender == world.bot_user
    assert answer.content["msgtype"] == "m.notice"
    assert answer.content["format"] == "org.matrix.custom.html"
    assert answer.body.startswith("What I can do")
    assert answer.html is not None
    assert "<code>!help [command]</code>" in answer.html


async def test_declines_an_invite_from_someone_not_allowed(world: World) -> None:
    mallory = await world.member("mallory")
    async with running(world.config(allowed_inviters=[":elsewhere.example"])):
        room = await mallory.create_room("not yours", invite=[world.bot_user])
        await mallory.wait_membership(room, world.bot_user, "leave")


async def test_a_bad_command_gets_a_hint_in_french(world: World) -> None:
    alice = await world.member("alice")
    room = await alice.create_room("atelier", invite=[world.bot_user])
    async with running(world.config(language="fr", rooms=[room])):
        await alice.wait_membership(room, world.bot_user, "join")
        answer = await alice.answer_to(await alice.say(room, "!aidez"))
    assert "Vouliez-vous dire !aide ?" in answer.body


async def test_answers_inside_the_thread_of_the_command(world: World) -> None:
    alice = await world.member("alice")
    room = await alice.create_room("threads", invite=[world.bot_user])
    async with running(world.config(rooms=[room])):
        await alice.wait_membership(room, world.bot_user, "join")
        root = await alice.say(room, "a question for the group")
        sent = await alice.say(room, "!help help", thread_root=root)
        answer = await alice.answer_to(sent)
    assert answer.thread_root == root


async def test_works_in_an_encrypted_room(world: World) -> None:
    alice = await world.member("alice")
    room = await alice.create_room("secret", invite=[world.bot_user], encrypted=True)
    async with running(world.config(rooms=[room])):
        await alice.wait_membership(room, world.bot_user, "join")
        sent = await alice.say(room, "!help status")
        answer = await alice.answer_to(sent)
    assert answer.encrypted
    assert answer.body.startswith("!status")


async def test_room_v12_creator_of_the_moderation_room_moderates_without_a_level_entry(
    world: World,
) -> None:
    alice = await world.member("alice")
    bob = await world.member("bob")
    chloe = await world.member("chloe")
    room = await alice.create_room(
        "v12",
        invite=[world.bot_user, bob.user_id, chloe.user_id],
        power_levels={"users": {chloe.user_id: 50}},
    )
    await bob.join(room)
    await chloe.join(room)
    state = await alice.client.room_get_state_event(room, "m.room.create")
    assert state.content["room_version"] == "12"
    levels = await alice.client.room_get_state_event(room, "m.room.power_levels")
    assert alice.user_id not in levels.content["users"]
    async with running(world.config(rooms=[room], moderation_room=room)):
        await alice.wait_membership(room, world.bot_user, "join")
        by_creator = await alice.answer_to(await alice.say(room, "!status"))
        by_member = await bob.answer_to(await bob.say(room, "!status"))
        by_promoted = await chloe.answer_to(await chloe.say(room, "!status"))
    assert by_creator.body.startswith("Compagnon")
    assert by_member.body == "Only moderators can use !status."
    assert by_promoted.body.startswith("Compagnon")


async def test_ignores_history_from_before_its_first_start(world: World) -> None:
    alice = await world.member("alice")
    room = await alice.create_room("history", invite=[world.bot_user])
    old = await alice.say(room, "!help")
    async with running(world.config(rooms=[room])):
        await alice.wait_membership(room, world.bot_user, "join")
        new = await alice.say(room, "!help")
        await alice.answer_to(new)
    assert not [seen for seen in alice.seen if seen.replies_to == old]


async def test_after_a_restart_answers_what_was_sent_while_down_exactly_once(
    world: World,
) -> None:
    alice = await world.member("alice")
    room = await alice.create_room("restarts", invite=[world.bot_user])
    config = world.config(rooms=[room])
    async with running(config):
        await alice.wait_membership(room, world.bot_user, "join")
        await alice.answer_to(await alice.say(room, "!help"))
    while_down = await alice.say(room, "!help status")
    async with running(config):
        await alice.answer_to(while_down)
        after = await alice.say(room, "!help")
        await alice.answer_to(after)
    async with running(config):
        last = await alice.say(room, "!help help")
        await alice.answer_to(last)
    answers = [seen for seen in alice.seen if seen.replies_to == while_down]
    assert len(answers) == 1


async def test_survives_a_homeserver_restart(world: World) -> None:
    alice = await world.member("alice")
    room = await alice.create_room("resilience", invite=[world.bot_user])
    async with running(world.config(rooms=[room])):
        await alice.wait_membership(room, world.bot_user, "join")
        await alice.answer_to(await alice.say(room, "!help"))
        await world.synapse.restart()
        await asyncio.sleep(1)  # let both sides notice the new server
        sent = await alice.say(room, "!help help")
        answer = await alice.answer_to(sent, timeout=60)
    assert answer.body.startswith("!help")


async def test_the_command_line_bot_stops_cleanly_on_sigterm(world: World) -> None:
    alice = await world.member("alice")
    room = await alice.create_room("cli", invite=[world.bot_user])
    async with command_line_bot(world, room) as process:
        await alice.wait_membership(room, world.bot_user, "join", timeout=30)
        await alice.answer_to(await alice.say(room, "!help"))
        log = await stop_with_sigterm(process)
    assert process.returncode == 0
    assert "bot.app: stopped" in log
    assert "Traceback" not in log
    assert (world.directory / "data" / "compagnon.sqlite3").exists()


async def test_a_command_buried_under_a_busy_room_while_down_is_still_answered(
    world: World,
) -> None:
    alice = await world.member("alice")
    room = await alice.create_room("busy", invite=[world.bot_user])
    config = world.config(rooms=[room])
    async with running(config):
        await alice.wait_membership(room, world.bot_user, "join")
    buried = await alice.say(room, "!help")
    for number in range(120):  # more than one sync's timeline holds
        await alice.say(room, f"chatter {number}")
    async with running(config):
        await alice.answer_to(buried, timeout=30)


async def test_a_command_older_than_the_offline_grace_is_not_answered(world: World) -> None:
    alice = await world.member("alice")
    room = await alice.create_room("grace", invite=[world.bot_user])
    config = world.config(rooms=[room], offline_grace="1s")
    async with running(config):
        await alice.wait_membership(room, world.bot_user, "join")
    stale = await alice.say(room, "!help")
    await asyncio.sleep(2)  # the command ages past the grace period while the bot is down
    async with running(config):
        fresh = await alice.say(room, "!help help")
        await alice.answer_to(fresh)
    assert not [seen for seen in alice.seen if seen.replies_to == stale]


async def test_members_see_the_bots_name_and_picture_set_once(world: World) -> None:
    alice = await world.member("alice")
    config = world.config()
    config = config.model_copy(
        update={"matrix": config.matrix.model_copy(update={"display_name": "Compagnon du Fablab"})}
    )
    async with running(config):
        first = await alice.client.get_profile(world.bot_user)
    async with running(config):
        again = await alice.client.get_profile(world.bot_user)
    assert isinstance(first, ProfileGetResponse)
    assert isinstance(again, ProfileGetResponse)
    assert first.displayname == "Compagnon du Fablab"
    assert first.avatar_url.startswith("mxc://")
    assert again.avatar_url == first.avatar_url  # not uploaded anew at each start
