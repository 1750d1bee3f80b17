"""Weighted native polls against a real Synapse: members click (send response events as
Element does), type ``!vote``, change and take back their votes; the bot closes on time,
across restarts, and posts the weighted result in the poll's thread."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from nio import UnknownEvent
from nio.api import RelationshipType

from bot import charts
from bot.app import running
from bot.i18n import Catalogue
from bot.matrix.member import MemberClient, Seen
from tests.e2e.conftest import World

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]

START = "org.matrix.msc3381.poll.start"
END = "org.matrix.msc3381.poll.end"
TEXT = "org.matrix.msc1767.text"
WEIGHTS_RULE = (
    "Weights: 1 + 0.25·log₂(1 + H), 3 at most; H = hours of confirmed contributions, "
    "halved every 180 days. Frozen now; !weight explains yours."
)


def localpart(member: MemberClient) -> str:
    """The display name a fresh account has."""
    return member.user_id[1:].split(":")[0]


async def ask(member: MemberClient, room: str, command: str) -> list[str]:
    """The lines of the bot's answer to one command."""
    return (await member.answer_to(await member.say(room, command))).body.splitlines()


async def poll_start(member: MemberClient, room: str, question: str, bot: str) -> Seen:
    """The native poll the bot posted for ``question``, as the member's client saw it."""

    def posted(seen: Seen) -> bool:
        poll = seen.content.get(START) or {}
        return (
            seen.type == START
            and seen.room_id == room
            and seen.sender == bot
            and (poll.get("question") or {}).get(TEXT) == question
        )

    return await member.wait_for(posted)


async def poll_end(member: MemberClient, start: Seen, timeout: float = 15) -> Seen:
    return await member.wait_for(
        lambda seen: seen.type == END and seen.references == start.event_id, timeout
    )


async def thread_result(member: MemberClient, start: Seen, timeout: float = 15) -> Seen:
    return await member.wait_for(
        lambda seen: seen.notice and seen.thread_root == start.event_id, timeout
    )


async def thread_image(member: MemberClient, start: Seen, timeout: float = 15) -> Seen:
    """The result's chart, posted after the text in the poll's thread."""
    return await member.wait_for(
        lambda seen: (
            seen.content.get("msgtype") == "m.image" and seen.thread_root == start.event_id
        ),
        timeout,
    )


async def ends_on_server(member: MemberClient, start: Seen) -> list[str]:
    """Senders of the end events the homeserver holds for the poll (not one client's view)."""
    relations = member.client.room_get_event_relations(
        start.room_id, start.event_id, RelationshipType.reference
    )
    return [
        event.sender
        async for event in relations
        if isinstance(event, UnknownEvent) and event.type == END
    ]


def start_content(question: str, answers: list[str], kind: str, most: int = 1) -> dict[str, object]:
    fallback = "\n".join([question, *(f"{n}. {answer}" for n, answer in enumerate(answers, 1))])
    return {
        TEXT: fallback,
        "body": fallback,
        START: {
            "kind": f"org.matrix.msc3381.poll.{kind}",
            "max_selections": most,
            "question": {TEXT: question},
            "answers": [{"id": str(n), TEXT: answer} for n, answer in enumerate(answers, 1)],
        },
        "m.mentions": {},  # nobody pinged, whatever the question says
    }


def closes_moments(before: datetime, after: datetime, duration: timedelta) -> set[str]:
    """How the bot may write a close time it computed between ``before`` and ``after``."""
    t, zone = Catalogue("en"), ZoneInfo("Europe/Paris")
    return {t.moment(before + duration, zone), t.moment(after + duration, zone)}


def closes_of(line: str) -> str:
    found = re.search(r"Closes: (.+)\.$", line)
    assert found is not None, line
    return found.group(1)


async def joined_room(world: World, name: str, *others: MemberClient) -> tuple[MemberClient, str]:
    owner = await world.member("alice")
    room = await owner.create_room(
        name, invite=[world.bot_user, *(other.user_id for other in others)]
    )
    for other in others:
        await other.join(room)
    return owner, room


async def test_clicked_typed_changed_and_redacted_votes_weigh_as_frozen_until_the_scheduled_close(
    world: World,
) -> None:
    bob = await world.member("bob")
    chloe = await world.member("chloe")
    dan = await world.member("dan")
    alice, room = await joined_room(world, "lunch", bob, chloe, dan)
    bot = world.bot_user
    async with running(world.config(rooms=[room])):
        await alice.wait_membership(room, bot, "join")
        # Alice worked 15 confirmed hours before the poll: 1 + 0.25·log₂(1 + 15) = 2.
        await ask(alice, room, "!contribute 15h habitat : rebuilt the shed")
        assert (await ask(bob, room, "!confirm c1"))[
            -1
        ] == "Confirmed: 1 witness (1 needed); it counts."
        assert await ask(alice, room, "!weight") == [
            f"{localpart(alice)}'s weight: 2, were a poll to open now",
            "• base: 1 (every voice counts)",
            "• engagement: 0.25 × log₂(1 + 15 h) = 1 — 1 confirmed contribution(s), "
            "their hours halved every 180 days",
            "A contribution without hours counts as one hour. "
            "A poll freezes the weights when it opens.",
        ]

        before = datetime.now(UTC)
        opened = await ask(chloe, room, "!poll --closes 20s Lunch? | pizza | soup")
        after = datetime.now(UTC)
        start = await poll_start(alice, room, "Lunch?", bot)
        # The native poll, as Element sends one: disclosed, one answer, numbered ids.
        assert start.content == start_content("Lunch?", ["pizza", "soup"], "disclosed")
        assert re.fullmatch(
            r"Poll p1 is open: “Lunch\?”\. Vote on the poll below, or !vote p1 1\. Closes: .+\.",
            opened[0],
        )
        assert closes_of(opened[0]) in closes_moments(before, after, timedelta(seconds=20))
        assert opened[1:] == [WEIGHTS_RULE]

        # Alice clicks pizza as Element does; Bob clicks pizza in the stable shape, then
        # soup; Chloé types her vote; Dan clicks soup, then pizza.
        await alice.respond_to_poll(room, start.event_id, ["1"])
        await bob.respond_to_poll(room, start.event_id, ["1"], shape="stable")
        await bob.respond_to_poll(room, start.event_id, ["2"])
        assert await ask(chloe, room, "!vote p1 2") == [
            "Vote recorded on p1: 2. soup (weight 1, frozen at the opening). "
            "To change it: !vote p1 …"
        ]
        await dan.respond_to_poll(room, start.event_id, ["2"])
        dan_pizza = await dan.respond_to_poll(room, start.event_id, ["1"])
        still_open = "Closes: " + closes_of(opened[0]) + "."
        assert await ask(dan, room, "!poll results p1") == [
            "Poll p1 — “Lunch?” (still open)",
            "1. pizza: 60% — weight 3, 2 vote(s)",
            "2. soup: 40% — weight 2, 2 vote(s)",
            "Weighted, “pizza” leads; by head count (what Element shows), “pizza” = “soup”.",
            "4 voter(s), total weight 5; each percentage is the share of that weight "
            "which chose the answer.",
            still_open,
        ]

        # Dan takes his pizza back: his soup counts again.
        await dan.redact(room, dan_pizza)
        # Bob's 10 hours, confirmed after the opening, give him 1.86 in polls opened from
        # now on, not in this one.
        await ask(bob, room, "!contribute 10h habitat : painted the door")
        await ask(alice, room, "!confirm c2")
        assert (await ask(bob, room, "!weight"))[0] == (
            f"{localpart(bob)}'s weight: 1.86, were a poll to open now"
        )
        counted = [
            "1. pizza: 40% — weight 2, 1 vote(s)",
            "2. soup: 60% — weight 3, 3 vote(s)",
            "4 voter(s), total weight 5; each percentage is the share of that weight "
            "which chose the answer.",
        ]
        assert await ask(alice, room, "!poll results p1") == [
            "Poll p1 — “Lunch?” (still open)",
            *counted,
            still_open,
        ]

        # Nobody closes it: the scheduler does, at the deadline.
        end = await poll_end(alice, start, timeout=30)
        result = await thread_result(alice, start)
        final = ["Result of poll p1 — “Lunch?”", *counted]
        assert end.sender == bot
        ended = "Poll p1 — “Lunch?” is closed; its weighted result follows in its thread."
        assert end.content == {
            "m.relates_to": {"rel_type": "m.reference", "event_id": start.event_id},
            END: {},
            TEXT: ended,
            "body": ended,
            "m.mentions": {},
        }
        ended_at = datetime.fromtimestamp(end.timestamp / 1000, UTC)
        assert before + timedelta(seconds=20) <= ended_at < after + timedelta(seconds=25)
        assert result.sender == bot
        assert result.replies_to == start.event_id
        assert result.body.splitlines() == final

        # A click after the end changes nothing; neither can a typed vote.
        await bob.respond_to_poll(room, start.event_id, ["1"])
        assert await ask(dan, room, "!poll results p1") == final
        assert await ask(dan, room, "!vote p1 1") == [
            "Poll p1 is closed. Results: !poll results p1"
        ]
    assert len(alice.events_of(END, room)) == 1
    assert [seen.sender for seen in alice.events_of(START, room)] == [bot]


async def test_votes_sent_while_the_bot_is_down_count_and_a_poll_due_meanwhile_closes_once(
    world: World,
) -> None:
    bob = await world.member("bob")
    chloe = await world.member("chloe")
    dan = await world.member("dan")
    alice, room = await joined_room(world, "restarts", bob, chloe, dan)
    bot = world.bot_user
    config = world.config(rooms=[room])
    async with running(config):
        await alice.wait_membership(room, bot, "join")
        await ask(alice, room, "!poll --closes 10m Which day? | tuesday | thursday")
        later = await poll_start(alice, room, "Which day?", bot)
        sent = time.time()
        await ask(alice, room, "!poll --closes 10s Paint it? | yes | no")
        deadline = time.time() + 10  # the bot's close time is between sent + 10 and this
        soon = await poll_start(alice, room, "Paint it?", bot)
        await bob.respond_to_poll(room, soon.event_id, ["1"])

    # While the bot is down: Chloé votes on both polls in time...
    await chloe.respond_to_poll(room, soon.event_id, ["2"])
    await chloe.respond_to_poll(room, later.event_id, ["2"], shape="stable")
    typed = await dan.say(room, "!vote p2 1")
    assert time.time() < sent + 10, "too slow: the votes while down came after the deadline"
    # ...and Bob changes his vote on the short poll after its deadline: the card is still
    # open in Element, which counts it up to the end the bot sends when back, as the bot does.
    await asyncio.sleep(max(0.0, deadline - time.time()) + 0.5)
    await bob.respond_to_poll(room, soon.event_id, ["2"], shape="v2")

    final = [
        "Result of poll p2 — “Paint it?”",
        "1. yes: 33% — weight 1, 1 vote(s)",
        "2. no: 67% — weight 2, 2 vote(s)",
        "3 voter(s), total weight 3; each percentage is the share of that weight "
        "which chose the answer.",
    ]
    async with running(config):
        # Dan's typed vote is answered, and counts: he typed it before the deadline.
        assert (await dan.answer_to(typed)).body.startswith("Vote recorded on p2: 1. yes")
        # The short poll closed at start-up, counting Chloé's and Dan's votes, not Bob's
        # change.
        end = await poll_end(alice, soon)
        assert end.sender == bot
        assert (await thread_result(alice, soon)).body.splitlines() == final
        await thread_image(alice, soon)
        # The long poll is still open, with Chloé's vote.
        results = await ask(bob, room, "!poll results p1")
        assert results[:4] == [
            "Poll p1 — “Which day?” (still open)",
            "1. tuesday: 0% — weight 0, 0 vote(s)",
            "2. thursday: 100% — weight 1, 1 vote(s)",
            "1 voter(s), total weight 1; each percentage is the share of that weight "
            "which chose the answer.",
        ]

    async with running(config):
        assert await ask(chloe, room, "!poll results p2") == final
        assert await ask(bob, room, "!poll results p1") == results

    # Once, across both restarts: one end event, one result in the thread.
    assert await ends_on_server(alice, soon) == [bot]
    assert await ends_on_server(alice, later) == []
    assert len(alice.events_of(END, room)) == 1
    in_thread = [seen for seen in alice.seen if seen.thread_root == soon.event_id]
    assert sorted(seen.content["msgtype"] for seen in in_thread) == ["m.image", "m.notice"]


async def test_only_its_creator_or_a_moderator_closes_a_poll_and_a_secret_one_hides_results(
    world: World,
) -> None:
    bob = await world.member("bob")
    chloe = await world.member("chloe")
    alice, room = await joined_room(world, "budget", bob, chloe)
    bot = world.bot_user
    async with running(world.config(rooms=[room])):
        await alice.wait_membership(room, bot, "join")
        opened = await ask(bob, room, "!poll --secret --closes 10m Budget? | books | tools | food")
        assert opened[1:] == [WEIGHTS_RULE, "Results are hidden until the close."]
        await ask(bob, room, "!poll --closes 10m Paint it? | yes | no")
        start = await poll_start(chloe, room, "Budget?", bot)
        other = await poll_start(chloe, room, "Paint it?", bot)
        assert start.content == start_content("Budget?", ["books", "tools", "food"], "undisclosed")

        await chloe.respond_to_poll(room, start.event_id, ["3"])
        assert await ask(alice, room, "!vote p1 1") == [  # "books" is never said in public
            "Vote recorded on p1. The poll is secret: I do not repeat your choice "
            "(clicking the poll keeps it out of the room's timeline)."
        ]
        hidden = await ask(chloe, room, "!poll results p1")
        assert len(hidden) == 1
        assert re.fullmatch(
            r"The results of p1 stay hidden until the close, .+ at \d\d:\d\d \(Europe/Paris\)\. "
            r"Voters so far: 2\.",
            hidden[0],
        )

        # Chloé neither opened it nor moderates: refused, and it stays open.
        assert await ask(chloe, room, "!poll close p1") == [
            "Only whoever opened p1, or a moderator, can close it."
        ]
        assert await ask(chloe, room, "!poll results p1") == hidden
        assert await ask(bob, room, "!poll close p1") == [
            "Closing poll p1; the weighted result follows in its thread."
        ]
        final = [
            "Result of poll p1 — “Budget?”",
            "1. books: 50% — weight 1, 1 vote(s)",
            "2. tools: 0% — weight 0, 0 vote(s)",
            "3. food: 50% — weight 1, 1 vote(s)",
            "2 voter(s), total weight 2; each percentage is the share of that weight "
            "which chose the answer.",
        ]
        end = await poll_end(chloe, start)
        assert end.sender == bot
        assert (await thread_result(chloe, start)).body.splitlines() == final
        # Closed, the secret is out; closing again is refused.
        assert await ask(chloe, room, "!poll results p1") == final
        assert await ask(bob, room, "!poll close p1") == [
            "Poll p1 is closed. Results: !poll results p1"
        ]

        # Alice did not open p2, but she created the room (a moderator in room v12).
        await chloe.respond_to_poll(room, other.event_id, ["2"])
        assert await ask(alice, room, "!poll close p2") == [
            "Closing poll p2; the weighted result follows in its thread."
        ]
        other_end = await poll_end(chloe, other)
        assert other_end.sender == bot
        assert (await thread_result(chloe, other)).body.splitlines()[1:3] == [
            "1. yes: 0% — weight 0, 0 vote(s)",
            "2. no: 100% — weight 1, 1 vote(s)",
        ]
    assert len(chloe.events_of(END, room)) == 2


async def test_several_polls_open_at_once_in_one_room_each_count_their_own_votes(
    world: World,
) -> None:
    bob = await world.member("bob")
    chloe = await world.member("chloe")
    alice, room = await joined_room(world, "several", bob, chloe)
    elsewhere = await bob.create_room("elsewhere", invite=[world.bot_user, alice.user_id])
    await alice.join(elsewhere)
    bot = world.bot_user
    async with running(world.config(rooms=[room, elsewhere])):
        await alice.wait_membership(room, bot, "join")
        await bob.wait_membership(elsewhere, bot, "join")
        await ask(alice, room, "!poll --closes 10m Colour? | red | blue")
        multi = await ask(bob, room, "!poll --multi --closes 10m Days? | mon | tue | wed")
        assert multi[-1] == "Up to 3 answers each."
        equal = await ask(chloe, room, "!poll --equal --closes 10m Host? | ana | ben")
        assert equal[1] == "One member, one vote (--equal)."
        colour = await poll_start(alice, room, "Colour?", bot)
        days = await poll_start(alice, room, "Days?", bot)
        host = await poll_start(alice, room, "Host?", bot)
        assert days.content == start_content("Days?", ["mon", "tue", "wed"], "disclosed", 3)

        # Interleaved clicks, each on its own poll.
        await alice.respond_to_poll(room, colour.event_id, ["2"])
        await alice.respond_to_poll(room, days.event_id, ["1", "3"])
        await alice.respond_to_poll(room, host.event_id, ["1"])
        await bob.respond_to_poll(room, colour.event_id, ["1", "2"])  # one allowed: red
        await bob.respond_to_poll(room, days.event_id, ["2"], shape="v2")
        await bob.respond_to_poll(room, host.event_id, ["2"], shape="stable")
        await chloe.respond_to_poll(room, days.event_id, ["1", "4"])  # no answer 4: spoiled
        assert (await ask(chloe, room, "!poll results p2"))[1:5] == [
            "1. mon: 50% — weight 1, 1 vote(s)",
            "2. tue: 50% — weight 1, 1 vote(s)",
            "3. wed: 50% — weight 1, 1 vote(s)",
            "2 voter(s), total weight 2; each percentage is the share of that weight "
            "which chose the answer.",
        ]
        await ask(chloe, room, "!vote p2 1,3")
        await ask(chloe, room, "!vote p3 2")

        assert (await ask(alice, room, "!poll results p1"))[:4] == [
            "Poll p1 — “Colour?” (still open)",
            "1. red: 50% — weight 1, 1 vote(s)",
            "2. blue: 50% — weight 1, 1 vote(s)",
            "2 voter(s), total weight 2; each percentage is the share of that weight "
            "which chose the answer.",
        ]
        assert (await ask(alice, room, "!poll results p2"))[:5] == [
            "Poll p2 — “Days?” (still open)",
            "1. mon: 67% — weight 2, 2 vote(s)",
            "2. tue: 33% — weight 1, 1 vote(s)",
            "3. wed: 67% — weight 2, 2 vote(s)",
            "3 voter(s), total weight 3; each percentage is the share of that weight "
            "which chose the answer.",
        ]
        assert (await ask(alice, room, "!poll results p3"))[:4] == [
            "Poll p3 — “Host?” (still open)",
            "1. ana: 33% — weight 1, 1 vote(s)",
            "2. ben: 67% — weight 2, 2 vote(s)",
            "3 voter(s); one member, one vote.",
        ]

        # Another room, its own poll: votes stay where their poll lives.
        await ask(bob, elsewhere, "!poll --closes 10m Colour? | green | grey")
        there = await poll_start(bob, elsewhere, "Colour?", bot)
        assert await ask(bob, elsewhere, "!vote p1 1") == [
            "Poll p1 lives in another room: vote there."
        ]
        await bob.respond_to_poll(elsewhere, there.event_id, ["2"])
        assert (await ask(alice, elsewhere, "!poll results p4"))[1:4] == [
            "1. green: 0% — weight 0, 0 vote(s)",
            "2. grey: 100% — weight 1, 1 vote(s)",
            "1 voter(s), total weight 1; each percentage is the share of that weight "
            "which chose the answer.",
        ]
        assert (await ask(chloe, room, "!poll results p1"))[1:3] == [
            "1. red: 50% — weight 1, 1 vote(s)",
            "2. blue: 50% — weight 1, 1 vote(s)",
        ]
    assert alice.events_of(END) == []


# --- what went wrong once: a closed result, a vote taken back while away, a start-up race ---


async def test_a_vote_taken_back_after_the_close_leaves_the_result_as_announced(
    world: World,
) -> None:
    bob = await world.member("bob")
    alice, room = await joined_room(world, "after the end", bob)
    bot = world.bot_user
    async with running(world.config(rooms=[room])):
        await alice.wait_membership(room, bot, "join")
        await ask(bob, room, "!poll --closes 10m Picnic? | yes | no")
        start = await poll_start(alice, room, "Picnic?", bot)
        vote = await alice.respond_to_poll(room, start.event_id, ["1"])
        await bob.respond_to_poll(room, start.event_id, ["2"])
        await ask(bob, room, "!poll close p1")
        announced = (await thread_result(alice, start)).body.splitlines()
        assert announced[1:3] == [
            "1. yes: 50% — weight 1, 1 vote(s)",
            "2. no: 50% — weight 1, 1 vote(s)",
        ]
        await alice.redact(room, vote)
        assert await ask(bob, room, "!poll results p1") == announced


async def test_a_vote_taken_back_while_the_bot_is_down_in_a_busy_room_falls_back(
    world: World,
) -> None:
    bob = await world.member("bob")
    alice, room = await joined_room(world, "busy", bob)
    bot = world.bot_user
    config = world.config(rooms=[room])
    async with running(config):
        await alice.wait_membership(room, bot, "join")
        await ask(alice, room, "!poll --closes 10m Swap day? | saturday | sunday")
        start = await poll_start(alice, room, "Swap day?", bot)
        await bob.respond_to_poll(room, start.event_id, ["1"])
        sunday = await bob.respond_to_poll(room, start.event_id, ["2"])
        assert (await ask(alice, room, "!poll results p1"))[2] == (
            "2. sunday: 100% — weight 1, 1 vote(s)"
        )
    await bob.redact(room, sunday)
    for number in range(120):  # more than the bot's sync timeline holds
        await alice.say(room, f"chatter {number}")
    async with running(config):
        assert (await ask(alice, room, "!poll results p1"))[1:3] == [
            "1. saturday: 100% — weight 1, 1 vote(s)",
            "2. sunday: 0% — weight 0, 0 vote(s)",
        ]


async def test_polls_opened_and_closed_while_the_bot_is_down_are_posted_and_ended_once(
    world: World,
) -> None:
    bob = await world.member("bob")
    alice, room = await joined_room(world, "backlog", bob)
    bot = world.bot_user
    config = world.config(rooms=[room], rate_limit={"burst": 20})
    polls = 12
    async with running(config):
        await alice.wait_membership(room, bot, "join")
    for number in range(polls):
        await alice.say(room, f"!poll --closes 10m Q{number}? | a | b")
    async with running(config):
        for number in range(polls):
            await poll_start(bob, room, f"Q{number}?", bot)
        await ask(bob, room, "!help help")
    for number in range(polls):
        await alice.say(room, f"!poll close p{number + 1}")
    async with running(config):
        await bob.wait_until(lambda: len(bob.events_of(END, room)) >= polls, timeout=30)
        await ask(bob, room, "!help help")
    starts = Counter(seen.content[START]["question"][TEXT] for seen in bob.events_of(START, room))
    ends = Counter(seen.references for seen in bob.events_of(END, room))
    posted_twice = [question for question, posted in starts.items() if posted > 1]
    assert (posted_twice, sorted(ends.values())) == ([], [1] * polls)


async def test_an_encrypted_room_polls_and_counts_votes_sent_while_the_bot_was_down(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Everything is encrypted: the poll, the clicks, and the clicks read back at start-up."""
    alice = await world.member("alice")
    bob = await world.member("bob")
    chloe = await world.member("chloe")
    members = [bob.user_id, chloe.user_id]
    room = await alice.create_room("private", invite=[world.bot_user, *members], encrypted=True)
    await bob.join(room)
    await chloe.join(room)
    bot = world.bot_user
    config = world.config(rooms=[room])
    async with running(config):
        await alice.wait_membership(room, bot, "join")
        await ask(alice, room, "!poll --closes 10m Garden or kitchen? | garden | kitchen")
        start = await poll_start(bob, room, "Garden or kitchen?", bot)
        assert start.encrypted
        await bob.respond_to_poll(room, start.event_id, ["1"])
    await chloe.respond_to_poll(room, start.event_id, ["2"])  # while the bot is down
    await alice.respond_to_poll(room, start.event_id, ["2"])
    for number in range(110):  # buried: only the poll's relations still lead to them
        await bob.say(room, f"chatter {number}")
    with caplog.at_level(logging.WARNING):
        async with running(config):
            await ask(alice, room, "!poll close p1")
            result = await thread_result(bob, start)
    assert "could not read all the responses" not in caplog.text
    assert "with the responses already seen" not in caplog.text
    assert result.encrypted
    assert result.body.splitlines()[1:4] == [
        "1. garden: 33% — weight 1, 1 vote(s)",
        "2. kitchen: 67% — weight 2, 2 vote(s)",
        "3 voter(s), total weight 3; each percentage is the share of that weight "
        "which chose the answer.",
    ]


async def test_the_result_chart_follows_the_text_in_the_polls_thread_encrypted_too(
    world: World,
) -> None:
    alice = await world.member("alice")
    bob = await world.member("bob")
    room = await alice.create_room("charted", invite=[world.bot_user, bob.user_id], encrypted=True)
    await bob.join(room)
    async with running(world.config(rooms=[room])):
        await alice.wait_membership(room, world.bot_user, "join")
        await ask(alice, room, "!poll --closes 10m Garden or kitchen? | garden | kitchen")
        start = await poll_start(bob, room, "Garden or kitchen?", world.bot_user)
        await bob.respond_to_poll(room, start.event_id, ["1"])
        await ask(alice, room, "!poll close p1")
        text = await thread_result(bob, start)
        image = await thread_image(bob, start)
        png = await bob.download(image)
    assert image.encrypted
    assert "url" not in image.content  # the keys to the upload travel in the event only
    assert image.timestamp >= text.timestamp
    assert image.body == (
        "Chart of the result of poll p1 “Garden or kitchen?”: "
        "1. garden: 100% (1 vote(s)), 2. kitchen: 0% (0 vote(s))."
    )
    info = image.content["info"]
    assert (info["mimetype"], info["size"]) == ("image/png", len(png))
    assert charts.png_size(png) == (info["w"], info["h"])


# --- ended in Element; votes clicked while the bot closes -----------------------------------


def element_end(start: Seen) -> dict[str, object]:
    """What Element's "End poll" sends."""
    return {
        "m.relates_to": {"rel_type": "m.reference", "event_id": start.event_id},
        END: {},
        TEXT: "Ended poll",
        "body": "Ended poll",
    }


async def test_a_poll_ended_in_element_by_the_rooms_creator_closes_at_that_end(
    world: World,
) -> None:
    """Alice created the room (room v12: unlimited power, no power-levels entry), so
    Element offers her "End poll" on the bot's card; Bob, without power, may not end it."""
    bob = await world.member("bob")
    chloe = await world.member("chloe")
    alice, room = await joined_room(world, "ended in element", bob, chloe)
    bot = world.bot_user
    async with running(world.config(rooms=[room])):
        await alice.wait_membership(room, bot, "join")
        await ask(bob, room, "!poll --closes 10m Picnic? | yes | no")
        start = await poll_start(alice, room, "Picnic?", bot)
        await bob.respond_to_poll(room, start.event_id, ["1"])
        await chloe.respond_to_poll(room, start.event_id, ["2"])
        await bob.send(room, END, element_end(start))  # ignored, as Element ignores it
        assert (await ask(chloe, room, "!poll results p1"))[0] == (
            "Poll p1 — “Picnic?” (still open)"
        )
        await alice.send(room, END, element_end(start))
        result = await thread_result(chloe, start)
        await chloe.respond_to_poll(room, start.event_id, ["1"])  # after the end: not counted
        final = [
            "Result of poll p1 — “Picnic?”",
            "1. yes: 50% — weight 1, 1 vote(s)",
            "2. no: 50% — weight 1, 1 vote(s)",
            "2 voter(s), total weight 2; each percentage is the share of that weight "
            "which chose the answer.",
        ]
        assert result.sender == bot
        assert result.body.splitlines() == final
        assert await ask(bob, room, "!poll results p1") == final
    assert sorted(await ends_on_server(alice, start)) == sorted([bob.user_id, alice.user_id])


async def test_a_member_voting_throughout_the_close_is_counted_as_element_counts(
    world: World,
) -> None:
    """Bob keeps clicking while Alice's ``!poll close`` is answered: the bot's head count
    is the one matrix-js-sdk's Poll gives from the homeserver's relations, each voter's
    latest response sent up to the end event's server time."""
    bob = await world.member("bob")
    chloe = await world.member("chloe")
    alice, room = await joined_room(world, "busy close", bob, chloe)
    bot = world.bot_user
    async with running(world.config(rooms=[room], rate_limit={"burst": 100})):
        await alice.wait_membership(room, bot, "join")
        await ask(alice, room, "!poll --closes 10m Now? | yes | no")
        start = await poll_start(bob, room, "Now?", bot)
        await chloe.respond_to_poll(room, start.event_id, ["2"])
        ended = asyncio.Event()

        async def click_on() -> None:
            answer = 0
            while not ended.is_set():
                answer = 1 - answer
                await bob.respond_to_poll(room, start.event_id, [str(answer + 1)])

        clicking = asyncio.create_task(click_on())
        await asyncio.sleep(0.3)
        await alice.say(room, "!poll close p1")
        end = await poll_end(alice, start)
        await asyncio.sleep(0.5)  # a few more clicks after the end
        ended.set()
        await clicking
        result = await thread_result(alice, start)
    latest: dict[str, tuple[int, str]] = {}
    relations = alice.client.room_get_event_relations(
        room, start.event_id, RelationshipType.reference
    )
    async for event in relations:
        if not isinstance(event, UnknownEvent) or event.type != START.replace("start", "response"):
            continue
        if event.server_timestamp > end.timestamp:
            continue
        answers = event.source["content"][START.replace("start", "response")]["answers"]
        mine = (event.server_timestamp, answers[0])
        if event.sender not in latest or mine[0] >= latest[event.sender][0]:
            latest[event.sender] = mine
    heads = Counter(answer for _, answer in latest.values())
    assert result.body.splitlines()[1:3] == [
        f"1. yes: {round(100 * heads['1'] / 2)}% — weight {heads['1']}, {heads['1']} vote(s)",
        f"2. no: {round(100 * heads['2'] / 2)}% — weight {heads['2']}, {heads['2']} vote(s)",
    ]
