"""Encrypted rooms as Element reads them: members run js-sdk's Rust crypto (Element's), create
the room encrypted (m.megolm.v1.aes-sha2), send through it, and report each of the bot's
messages as js-sdk decrypted it, with the shield Element would draw beside it.

In Element's "exclude insecure devices" mode (MSC4153, ``OnlySignedDevicesIsolationMode``),
room keys go only to devices their owner cross-signed, and only such devices' messages are
decrypted: a bot whose device is not cross-signed neither reads such a member nor is read.
"""

from __future__ import annotations

import logging

import pytest

from bot.app import running
from tests.e2e.conftest import World
from tests.interop.conftest import JsEvent, JsMember, JsMemberError, JsMembers
from tests.interop.test_polls import head_counts

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]


async def encrypted_room(world: World, creator: JsMember, *members: JsMember) -> str:
    """An encrypted room ``creator`` made, as Element does, for the bot and ``members``."""
    invite = [world.bot_user, *(member.user_id for member in members)]
    room = await creator.create_room("private", invite, encrypted=True)
    for member in members:
        await member.join(room)
    return room


async def test_help_and_a_poll_in_an_encrypted_room_read_by_rust_crypto(
    world: World, js: JsMembers
) -> None:
    carol = await js.member("carol", crypto=True)
    dave = await js.member("dave", crypto=True)
    room = await encrypted_room(world, carol, dave)
    bot = world.bot_user
    async with running(world.config(rooms=[room])):
        await carol.wait_for(room_id=room, sender=bot, type="m.room.member")
        sent = await carol.say(room, "!help")
        answer = await carol.wait_for(sender=bot, reply_to=sent)
        await carol.say(room, "!poll Lunch? | pizza | soup")
        start = await carol.poll_start(room, "Lunch?", bot)
        await carol.vote(room, start.event_id, ["1"])
        await dave.vote(room, start.event_id, ["1"])
        await dave.vote(room, start.event_id, ["2"])  # Dave changes his mind
        await carol.say(room, "!poll close p1")
        result = await carol.wait_for(
            sender=bot, thread_root=start.event_id, body_startswith="Result of poll p1"
        )
        poll = await dave.poll_until(room, start.event_id, lambda poll: poll.ended)

    # Every message of the bot's came encrypted, and js-sdk decrypted it.
    assert (answer.encrypted, start.encrypted, result.encrypted) == (True, True, True)
    assert answer.content["msgtype"] == "m.notice"
    assert answer.body.startswith("What I can do"), answer.body
    assert answer.encryption is not None
    assert answer.encryption.sender_device is not None
    # js-sdk reads the encrypted poll and its encrypted clicks as the bot counts them.
    assert (poll.sender, poll.question, poll.max_selections) == (bot, "Lunch?", 1)
    assert poll.counts == head_counts(result.body) == {"1": 1, "2": 1}


async def test_js_sdk_sees_the_bots_device_cross_signed_by_the_bot(
    world: World, js: JsMembers
) -> None:
    carol = await js.member("carol", crypto=True)
    room = await encrypted_room(world, carol)
    bot = world.bot_user
    async with running(world.config(rooms=[room])):
        await carol.wait_for(room_id=room, sender=bot, type="m.room.member")
        sent = await carol.say(room, "!help")
        answer = await carol.wait_for(sender=bot, reply_to=sent)
        trust = await carol.trust(bot)

    assert answer.encryption is not None
    device = answer.encryption.sender_device  # the one that encrypted the answer
    assert device is not None
    assert device in trust.devices, trust
    assert trust.has_cross_signing_keys, f"the bot has no cross-signing keys: {trust}"
    status = trust.devices[device]
    assert status is not None, trust
    assert status.signed_by_owner, f"js-sdk sees the bot's {device} unsigned by the bot: {trust}"
    assert answer.encryption.shield_reason != "UNSIGNED_DEVICE", answer.encryption


async def test_a_member_excluding_insecure_devices_and_the_bot_read_each_other(
    world: World, js: JsMembers, caplog: pytest.LogCaptureFixture
) -> None:
    # Element's users have cross-signing: it is set up at their first login.
    carol = await js.member("carol", crypto=True, isolation="signed", cross_signing=True)
    room = await encrypted_room(world, carol)
    bot = world.bot_user
    with caplog.at_level(logging.WARNING, logger="bot"):
        async with running(world.config(rooms=[room])):
            await carol.wait_for(room_id=room, sender=bot, type="m.room.member")
            sent = await carol.say(room, "!help")
            answer = await answer_or_why(carol, bot, sent, caplog)

    assert answer.body.startswith("What I can do"), answer.body
    assert answer.encryption is not None
    shield = (answer.encryption.shield_colour, answer.encryption.shield_reason)
    assert shield == ("NONE", None), f"Element shows a {shield} shield on the bot's answer"


async def answer_or_why(
    member: JsMember, bot: str, sent: str, caplog: pytest.LogCaptureFixture
) -> JsEvent:
    """The bot's answer to ``sent`` as ``member`` decrypted it; else a failure saying which
    side could not decrypt the other, and what js-sdk thinks of the bot's devices."""
    try:
        return await member.wait_for(sender=bot, reply_to=sent, timeout=10)
    except JsMemberError as error:
        waited = str(error).splitlines()[0]
        trust = await member.trust(bot)
    unread = [record.getMessage() for record in caplog.records if "cannot decrypt" in record.msg]
    pytest.fail(
        f"no answer {member.user_id} could read.\n"
        f"The bot could not decrypt: {unread or 'nothing'}\n"
        f"js-sdk: {waited}\n"
        f"js-sdk's view of the bot: {trust}"
    )
