"""Weighted polls as Element's SDK sees them: js-sdk's own ``Poll`` model beside the bot's
result. Members click, change their vote and end polls with js-sdk's poll events."""

from __future__ import annotations

import re

import pytest

from bot.app import running
from bot.matrix.member import MemberClient
from tests.e2e.conftest import World
from tests.interop.conftest import JsMember, JsMembers

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]

_HEADS = re.compile(r"(\d+)\. .+: [\d.]+% — weight [\d.]+, (\d+) vote\(s\)")


def head_counts(result: str) -> dict[str, int]:
    """Votes per answer id in the bot's result ("1. pizza: 60% — weight 3, 2 vote(s)")."""
    return {
        found[1]: int(found[2])
        for line in result.splitlines()
        if (found := _HEADS.fullmatch(line)) is not None
    }


async def room_with(world: World, name: str, *members: JsMember, **power: int) -> str:
    """A room a nio member made for the bot and ``members``, who joined; ``power`` levels
    by user id."""
    alice: MemberClient = await world.member("alice")
    room = await alice.create_room(
        name,
        invite=[world.bot_user, *(member.user_id for member in members)],
        power_levels={"users": power} if power else None,
    )
    for member in members:
        await member.join(room)
    return room


async def test_js_sdk_counts_each_answer_as_the_bot_counts_heads(
    world: World, js: JsMembers
) -> None:
    carol, dave, erin = [await js.member(name) for name in ("carol", "dave", "erin")]
    room = await room_with(world, "lunch", carol, dave, erin)
    bot = world.bot_user
    async with running(world.config(rooms=[room])):
        await carol.wait_for(room_id=room, sender=bot, type="m.room.member")
        await carol.say(room, "!poll Lunch? | pizza | soup")
        start = await carol.poll_start(room, "Lunch?", bot)
        await carol.vote(room, start.event_id, ["1"])
        await dave.vote(room, start.event_id, ["2"])
        await dave.vote(room, start.event_id, ["1"])  # Dave changes his mind
        await erin.vote(room, start.event_id, ["2"])
        await carol.say(room, "!poll close p1")
        result = await carol.wait_for(
            sender=bot, thread_root=start.event_id, body_startswith="Result of poll p1"
        )
        poll = await erin.poll_until(room, start.event_id, lambda poll: poll.ended)

    # js-sdk reads the bot's poll as it was asked, and counts as the bot does.
    assert (poll.sender, poll.question, poll.max_selections) == (bot, "Lunch?", 1)
    assert poll.answers == [{"id": "1", "text": "pizza"}, {"id": "2", "text": "soup"}]
    assert poll.counts == head_counts(result.body) == {"1": 2, "2": 1}


async def test_a_poll_asked_for_in_a_thread_is_posted_in_that_thread(
    world: World, js: JsMembers
) -> None:
    carol = await js.member("carol")
    room = await room_with(world, "outing", carol)
    bot = world.bot_user
    async with running(world.config(rooms=[room])):
        await carol.wait_for(room_id=room, sender=bot, type="m.room.member")
        root = await carol.say(room, "Where do we meet on Saturday?")
        asked = await carol.say(room, "!poll Where? | park | hall", thread=root)
        answer = await carol.wait_for(sender=bot, reply_to=asked)
        start = await carol.poll_start(room, "Where?", bot)
        poll = await carol.poll(room, start.event_id)

    assert answer.thread_root == root
    assert start.thread_root == root, "js-sdk sees the poll outside the thread it was asked in"
    assert poll.thread_root == root


async def test_a_moderator_ending_the_poll_in_element_closes_it_for_the_bot(
    world: World, js: JsMembers
) -> None:
    carol, moderator, erin = [await js.member(name) for name in ("carol", "mod", "erin")]
    # Power to redact others' events (50 by default) is what lets js-sdk accept an end
    # event from someone other than the poll's sender.
    room = await room_with(world, "budget", carol, moderator, erin, **{moderator.user_id: 50})
    bot = world.bot_user
    async with running(world.config(rooms=[room])):
        await carol.wait_for(room_id=room, sender=bot, type="m.room.member")
        await carol.say(room, "!poll Budget? | books | tools")
        start = await carol.poll_start(room, "Budget?", bot)
        await carol.vote(room, start.event_id, ["1"])
        await erin.vote(room, start.event_id, ["2"])
        end = await moderator.end_poll(
            room, start.event_id, "The poll has ended. Top answer: books"
        )
        ended = await carol.poll_until(room, start.event_id, lambda poll: poll.ended)
        result = await carol.wait_for(
            sender=bot, thread_root=start.event_id, body_startswith="Result of poll p1"
        )
        await erin.vote(room, start.event_id, ["1"])  # too late: it no longer counts
        asked = await carol.say(room, "!poll results p1")
        results = await carol.wait_for(sender=bot, reply_to=asked)
        final = await carol.poll(room, start.event_id)

    assert ended.end_event == end
    assert final.counts == head_counts(result.body) == {"1": 1, "2": 1}
    assert results.body == result.body
