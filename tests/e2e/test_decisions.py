"""Decisions that reach everyone, against a real Synapse: a poll with a quorum and one
reminder, which pings those who have not voted (as the homeserver's own ``/notifications``
shows, on the default push rules) exactly once across a restart, and closes without a
decision when too few took part; a consent proposal objected to, amended and adopted."""

from __future__ import annotations

import time
from typing import Any

import pytest
from nio import RoomMessageNotice, RoomMessageText
from nio.api import RelationshipType

from bot.app import running
from bot.matrix.member import MemberClient, Seen
from tests.e2e.conftest import World
from tests.e2e.test_polls import ask, joined_room, localpart, poll_end, poll_start, thread_result

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]

REMIND_BEFORE, CLOSES_AFTER = 15, 25  # seconds: the reminder comes 10 s after the opening


def highlighted(notifications: list[dict[str, Any]], event_id: str) -> bool | None:
    """Whether the homeserver notified the member of ``event_id`` with a highlight (a ping);
    None when it did not notify them of it at all."""
    for notification in notifications:
        if notification["event"]["event_id"] == event_id:
            return any(
                isinstance(action, dict)
                and action.get("set_tweak") == "highlight"
                and action.get("value", True)
                for action in notification["actions"]
            )
    return None


async def reminders_pinging(member: MemberClient, bot: str) -> int:
    """How many of the bot's reminders the homeserver notified the member of with a ping."""
    return sum(
        1
        for notification in await member.notifications()
        if notification["event"]["sender"] == bot
        and notification["event"]["content"].get("body", "").startswith("Reminder:")
        and highlighted([notification], notification["event"]["event_id"])
    )


async def in_thread(member: MemberClient, start: Seen, starts: str, timeout: float = 15) -> Seen:
    """The bot's message in the poll's thread whose text starts with ``starts``."""
    return await member.wait_for(
        lambda seen: seen.thread_root == start.event_id and seen.body.startswith(starts), timeout
    )


async def thread_on_server(member: MemberClient, start: Seen) -> list[str]:
    """The texts of the messages the homeserver holds in the poll's thread, oldest first."""
    relations = member.client.room_get_event_relations(
        start.room_id, start.event_id, RelationshipType.thread
    )
    texts = [
        event.body
        async for event in relations
        if isinstance(event, RoomMessageText | RoomMessageNotice)
    ]
    return texts[::-1]


async def test_a_quorum_poll_reminds_those_who_have_not_voted_once_and_decides_nothing(
    world: World,
) -> None:
    others = [await world.member(name) for name in ("bob", "chloe", "dan", "erin", "fay", "gus")]
    hal = await world.member("hal")
    alice, room = await joined_room(world, "quorum", *others, hal)
    bob, chloe, dan = others[:3]
    voters, waiting = [alice, bob, chloe], [*others[2:], hal]
    bot = world.bot_user
    config = world.config(rooms=[room])
    async with running(config):
        await alice.wait_membership(room, bot, "join")
        opened_at = time.monotonic()
        opened = await ask(
            bob,
            room,
            f"!poll --quorum 60% --remind {REMIND_BEFORE}s --closes {CLOSES_AFTER}s "
            "Paint the workshop? | yes | no",
        )
        assert opened[0].startswith("Poll p1 is open: “Paint the workshop?”.")
        start = await poll_start(alice, room, "Paint the workshop?", bot)
        assert [
            answer["org.matrix.msc1767.text"]
            for answer in start.content["org.matrix.msc3381.poll.start"]["answers"]
        ] == ["yes", "no", "Abstain"]
        await alice.respond_to_poll(room, start.event_id, ["1"])
        await bob.respond_to_poll(room, start.event_id, ["2"])
        await chloe.respond_to_poll(room, start.event_id, ["3"])  # abstaining is voting
        so_far = await ask(dan, room, "!poll results p1")
        assert so_far[-3:-1] == [
            "Quorum: 3 of 8 members took part; 5 needed.",
            "Quorum not reached yet.",
        ]

        reminder = await in_thread(dan, start, "Reminder:", timeout=CLOSES_AFTER)
        assert time.monotonic() - opened_at >= CLOSES_AFTER - REMIND_BEFORE - 1
        pinged = sorted(waiting, key=lambda member: member.user_id)
        assert reminder.sender == bot
        assert reminder.content["msgtype"] == "m.text"  # a notice would ping nobody
        assert reminder.content["m.mentions"] == {"user_ids": [m.user_id for m in pinged]}
        assert reminder.body.startswith(
            f"Reminder: {', '.join(localpart(m) for m in pinged)}, poll p1 “Paint the workshop?” "
            "awaits your vote (or your abstention) until "
        )
        for member in waiting:
            notified = highlighted(await member.notifications(), reminder.event_id)
            assert notified is True, f"{member.user_id} was not pinged: {notified}"
        # Not the voters: on the default push rules every m.text in a group room notifies each
        # member quietly (.m.rule.message), as any member's message would; no highlight.
        for member in voters:
            notified = highlighted(await member.notifications(), reminder.event_id)
            assert notified is False, f"{member.user_id} voted, yet was pinged: {notified}"

    async with running(config):  # a restart between the reminder and the close
        assert time.monotonic() - opened_at < CLOSES_AFTER, "too slow: restarted after the close"
        end = await poll_end(alice, start, timeout=CLOSES_AFTER)
        result = await thread_result(alice, start)
        thread = await thread_on_server(alice, start)
    assert end.sender == bot
    lines = result.body.splitlines()
    assert "Abstentions: 1 (weight 1), counted for the quorum, for no answer." in lines
    assert lines[-2:] == [
        "Quorum: 3 of 8 members took part; 5 needed.",
        "No decision: the quorum was not reached.",
    ]
    assert [text.split()[0] for text in thread] == ["Reminder:", "Result"]
    assert [seen.event_id for seen in alice.seen if seen.body.startswith("Reminder:")] == [
        reminder.event_id
    ]
    # Across the restart, one ping each for the five, none for the voters.
    pings = {member.user_id: await reminders_pinging(member, bot) for member in voters + waiting}
    assert pings == {member.user_id: int(member in waiting) for member in voters + waiting}


async def test_a_proposal_objected_to_is_amended_into_a_round_that_is_adopted(
    world: World,
) -> None:
    bob = await world.member("bob")
    chloe = await world.member("chloe")
    alice, room = await joined_room(world, "consent", bob, chloe)
    bot = world.bot_user
    async with running(world.config(rooms=[room])):
        await alice.wait_membership(room, bot, "join")
        opened = await ask(alice, room, "!proposal We repaint the workshop in March")
        assert opened[0].startswith(
            "Proposal p1 is open: “We repaint the workshop in March”. It passes unless someone "
            "objects with a reason: consent, abstain, or object with !object p1 : …."
        )
        first = await poll_start(bob, room, "We repaint the workshop in March", bot)
        await chloe.respond_to_poll(room, first.event_id, ["1"])

        # Bob clicks "I object": the bot asks him why, in the proposal's thread, pinging him.
        click = await bob.respond_to_poll(room, first.event_id, ["2"])
        asked = await in_thread(bob, first, "You object to p1")
        assert asked.sender == bot
        assert asked.body == "You object to p1: what is the reason? !object p1 : …"
        assert asked.content["m.mentions"] == {"user_ids": [bob.user_id]}
        assert highlighted(await bob.notifications(), asked.event_id) is True
        assert not highlighted(await chloe.notifications(), asked.event_id)
        assert click != asked.event_id

        # He gives it, in the room: it is listed in the thread with his name.
        assert await ask(bob, room, "!object p1 : March is too cold to paint") == [
            "Objection to p1 recorded: March is too cold to paint. It stands until you vote "
            "otherwise."
        ]
        listed = await in_thread(chloe, first, "Objection from")
        assert listed.body == f"Objection from {localpart(bob)} to p1: March is too cold to paint"

        # Alice amends: the old round closes, saying where the next one is.
        amended = await ask(alice, room, "!proposal amend p1 : We repaint the workshop in April")
        assert amended[0].startswith("Proposal p2 is open: “We repaint the workshop in April”.")
        assert amended[-1] == "A new round: it amends p1, which closes now."
        old = (await in_thread(chloe, first, "Outcome of proposal p1")).body.splitlines()
        assert old[0] == "Outcome of proposal p1 — “We repaint the workshop in March”"
        assert old[-1] == "Amended: the next round is p2."
        await poll_end(chloe, first)

        # In the new round everyone consents; Alice closes it: adopted.
        second = await poll_start(bob, room, "We repaint the workshop in April", bot)
        for member in (alice, bob, chloe):
            await member.respond_to_poll(room, second.event_id, ["1"])
        assert (await ask(alice, room, "!poll results p2"))[1] == (
            "Consent: 3 (weight 3); objections: 0; abstentions: 0."
        )
        assert await ask(alice, room, "!poll close p2") == [
            "Closing poll p2; the weighted result follows in its thread."
        ]
        outcome = (await thread_result(bob, second)).body.splitlines()
    assert outcome == [
        "Outcome of proposal p2 — “We repaint the workshop in April”",
        "Consent: 3 (weight 3); objections: 0; abstentions: 0.",
        "Adopted: no objection stands.",
    ]
