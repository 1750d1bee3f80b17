"""Attacks by a member against a real Synapse: power in a room of her own, and a bot kept
in a room after the right to bring it there was taken back."""

from __future__ import annotations

import json
import sqlite3

import pytest

from bot.app import running
from tests.e2e.conftest import World, command_line_bot, stop_with_sigterm

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]


async def test_the_admin_of_a_room_of_her_own_moderates_nothing_of_the_community(
    world: World,
) -> None:
    """Mallory may invite the bot, so she makes a room, brings it in, and is admin there."""
    alice = await world.member("alice")
    mallory = await world.member("mallory")
    community = await alice.create_room("community", invite=[world.bot_user, mallory.user_id])
    await mallory.join(community)
    config = world.config(rooms=[community], allowed_inviters=[mallory.user_id])
    async with running(config):
        await alice.wait_membership(community, world.bot_user, "join")
        await alice.answer_to(await alice.say(community, "!offer pottery"))
        await alice.answer_to(await alice.say(community, "!poll Paint the yard? | yes | no"))
        own = await mallory.create_room("mine", invite=[world.bot_user])
        await mallory.wait_membership(own, world.bot_user, "join")
        withdraw = await mallory.answer_to(await mallory.say(own, "!withdraw o1"))
        close = await mallory.answer_to(await mallory.say(own, "!poll close p1"))
        status = await mallory.answer_to(await mallory.say(own, "!status"))
        preview = await mallory.answer_to(await mallory.say(own, "!digest preview"))
    assert "only they or a moderator can withdraw it" in withdraw.body
    assert close.body == "Only whoever opened p1, or a moderator, can close it."
    assert status.body == "Only moderators can use !status."
    assert preview.body.startswith("Only moderators")
    with sqlite3.connect(config.database.path) as connection:
        offer = connection.execute("SELECT withdrawn_at FROM listing WHERE id = 1").fetchone()
        poll = connection.execute("SELECT closed_at FROM poll WHERE id = 1").fetchone()
    assert offer == (None,)
    assert poll == (None,)


async def test_the_bot_leaves_a_room_whose_inviter_may_no_longer_invite_it(
    world: World,
) -> None:
    mallory = await world.member("mallory")
    own = await mallory.create_room("mine", invite=[world.bot_user])
    async with running(world.config(allowed_inviters=[mallory.user_id])):
        await mallory.wait_membership(own, world.bot_user, "join")
        await mallory.answer_to(await mallory.say(own, "!help"))
    async with running(world.config(allowed_inviters=[])):  # her right is taken back
        await mallory.wait_membership(own, world.bot_user, "leave", timeout=30)
    goodbye = [
        seen for seen in mallory.seen if seen.sender == world.bot_user and "leaving" in seen.body
    ]
    assert len(goodbye) == 1


async def test_nothing_the_bot_sends_pings_a_room_whatever_a_member_wrote(world: World) -> None:
    """``!poll @room …``: the card, its end and its result carry empty intentional
    mentions, which clients honour over the text (Element's @room rule included)."""
    alice = await world.member("alice")
    room = await alice.create_room("pings", invite=[world.bot_user])
    async with running(world.config(rooms=[room])):
        await alice.wait_membership(room, world.bot_user, "join")
        await alice.answer_to(await alice.say(room, "!poll @room are you there? | yes | no"))
        card = await alice.wait_for(lambda seen: seen.type == "org.matrix.msc3381.poll.start")
        await alice.answer_to(await alice.say(room, "!poll close p1"))
        end = await alice.wait_for(lambda seen: seen.type == "org.matrix.msc3381.poll.end")
    assert "@room" in card.content["org.matrix.msc1767.text"]
    assert card.content["m.mentions"] == {}
    assert end.content["m.mentions"] == {}


async def test_the_log_holds_no_password_token_or_member_text_even_verbose(world: World) -> None:
    alice = await world.member("alice")
    room = await alice.create_room("logs", invite=[world.bot_user])
    secret = "zanzibar-marquetry"
    async with command_line_bot(world, room, "-v") as process:
        await alice.wait_membership(room, world.bot_user, "join", timeout=30)
        await alice.answer_to(await alice.say(room, f"!offer {secret} : my grandmother's way"))
        await alice.answer_to(await alice.say(room, f"!contribute 2h nowhere : {secret}"))
        text = await stop_with_sigterm(process)
    session = json.loads((world.directory / "bot" / "session.json").read_text(encoding="utf-8"))
    assert "logged in as" in text  # the log was read, and it is the verbose one
    for leak in (session["access_token"], "bot-password", secret, "grandmother"):
        assert leak not in text, leak


async def test_a_redaction_of_alices_check_by_someone_else_takes_nothing_back(
    world: World,
) -> None:
    """Mallory, admin of a room of her own, names Alice's ✅ from there: Synapse refuses it
    (and withholds from clients a cross-room redaction that another server lets in), so
    the bot's room check is for other homeservers, tested in tests/commands. In the
    community, which lets anyone redact anything, Synapse takes Mallory's redaction: only the
    bot keeps Alice's confirmation."""
    alice = await world.member("alice")
    bob = await world.member("bob")
    mallory = await world.member("mallory")
    invite = [world.bot_user, bob.user_id, mallory.user_id]
    community = await alice.create_room("community", invite=invite, power_levels={"redact": 0})
    await bob.join(community)
    await mallory.join(community)
    config = world.config(rooms=[community], allowed_inviters=[mallory.user_id])
    async with running(config):
        await alice.wait_membership(community, world.bot_user, "join")
        recorded = await bob.answer_to(await bob.say(community, "!contribute 2h habitat : roof"))
        check = await alice.react(community, recorded.event_id, "✅")
        own = await mallory.create_room("mine", invite=[world.bot_user])
        await mallory.wait_membership(own, world.bot_user, "join")
        with pytest.raises(RuntimeError, match="Cannot redact event from a different room"):
            await mallory.redact(own, check)
        redaction = await mallory.redact(community, check)
        await mallory.answer_to(await mallory.say(community, "!help"))  # after the redaction
    with sqlite3.connect(config.database.path) as connection:
        heard = connection.execute(
            "SELECT room_id FROM handled_event WHERE event_id = ?", (redaction,)
        ).fetchone()
        confirmations = connection.execute(
            "SELECT confirmer FROM confirmation WHERE via_event = ?", (check,)
        ).fetchall()
    assert heard == (community,)  # the bot did act on it
    assert confirmations == [(alice.user_id,)]
