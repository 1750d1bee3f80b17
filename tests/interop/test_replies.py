"""The bot's answers as Element's SDK reads them (a reply to the command, in its thread), and
Element's gestures as the bot reads them: a ✅ reaction, a command sent as a reply."""

from __future__ import annotations

import pytest

from bot.app import running
from tests.e2e.conftest import World
from tests.interop.conftest import JsMembers

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]


async def test_aide_is_answered_as_a_reply_in_the_room_and_in_the_thread(
    world: World, js: JsMembers
) -> None:
    alice = await world.member("alice")
    carol = await js.member("carol")
    room = await alice.create_room("atelier", invite=[world.bot_user, carol.user_id])
    await carol.join(room)
    async with running(world.config(language="fr", rooms=[room])):
        await alice.wait_membership(room, world.bot_user, "join")
        sent = await carol.say(room, "!aide")
        answer = await carol.wait_for(sender=world.bot_user, reply_to=sent)
        root = await carol.say(room, "une question pour le groupe")
        in_thread = await carol.say(room, "!aide aide", thread=root)
        threaded = await carol.wait_for(sender=world.bot_user, reply_to=in_thread)

    assert answer.room_id == room
    assert answer.thread_root is None
    assert answer.content["msgtype"] == "m.notice"
    assert answer.body.startswith("Ce que je sais faire")
    assert threaded.thread_root == root
    assert threaded.body.startswith("!aide")


async def test_a_reaction_and_a_command_sent_as_a_reply_from_js_sdk_are_understood(
    world: World, js: JsMembers
) -> None:
    alice = await world.member("alice")
    dave, erin = await js.member("dave"), await js.member("erin")
    room = await alice.create_room("yard", invite=[world.bot_user, dave.user_id, erin.user_id])
    for member in (dave, erin):
        await member.join(room)
    async with running(world.config(rooms=[room])):
        await alice.wait_membership(room, world.bot_user, "join")
        contributed = await dave.say(room, "!contribute 3h habitat : swept the yard")
        recorded = await erin.wait_for(sender=world.bot_user, reply_to=contributed)
        await erin.react(room, recorded.event_id, "✅")
        # Replying to the record in Element: the command is still the body's first word.
        asked = await erin.say(room, "!confirm c1", reply_to=recorded.event_id)
        answer = await erin.wait_for(sender=world.bot_user, reply_to=asked)

    assert recorded.body.startswith("Contribution c1 recorded: 3h in habitat")
    assert answer.body.startswith("You already confirmed c1"), answer.body
