"""A workshop against a real Synapse, from its announcement to its record: members sign up
by reacting 🙋 on the card, one lands on the waitlist and is promoted (pinged, as the
homeserver's own ``/notifications`` shows) when a place opens; the reminder comes once
across a restart; after the start, the host closes the loop and the attendees' witness
makes the host's hours count."""

from __future__ import annotations

import asyncio
import math
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app import running
from bot.config import WorkshopsConfig
from bot.i18n import Catalogue
from bot.matrix.member import MemberClient, Seen
from tests.e2e.conftest import World
from tests.e2e.test_decisions import highlighted, thread_on_server
from tests.e2e.test_polls import ask, joined_room, localpart

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]

# Seconds from the bot's start: the reminder comes after a restart, the start after it.
REMIND_AFTER, START_AFTER = 7, 10


def starting_soon(now: datetime, zone: ZoneInfo) -> tuple[datetime, str]:
    """The first whole minute at least ``START_AFTER`` seconds ahead, and how a member types
    it (“today 14:05”, or “tomorrow 00:00” just before midnight) in the community's zone."""
    ahead = now + timedelta(seconds=START_AFTER)
    starts = datetime.fromtimestamp(math.ceil(ahead.timestamp() / 60) * 60, UTC)
    local = starts.astimezone(zone)
    day = "today" if local.date() == now.astimezone(zone).date() else "tomorrow"
    return starts, f"{day} {local:%H:%M}"


def in_thread(member: MemberClient, card: Seen, starts: str) -> list[Seen]:
    return [
        seen
        for seen in member.seen
        if seen.thread_root == card.event_id and seen.body.startswith(starts)
    ]


async def test_a_workshop_fills_up_reminds_once_across_a_restart_and_counts_when_done(
    world: World,
) -> None:
    bob = await world.member("bob")
    chloe = await world.member("chloe")
    dan = await world.member("dan")
    alice, room = await joined_room(world, "fablab", bob, chloe, dan)
    host, bot = localpart(alice), world.bot_user
    t = Catalogue("en")

    config = world.config(rooms=[room])
    zone = ZoneInfo(config.digest.timezone)
    began = datetime.now(UTC)
    starts_at, typed_when = starting_soon(began, zone)
    remind_at = began + timedelta(seconds=REMIND_AFTER)
    config = config.model_copy(
        update={"workshops": WorkshopsConfig(reminder=starts_at - remind_at)}
    )
    moment = t.moment(starts_at, zone)

    async with running(config):
        await alice.wait_membership(room, bot, "join")
        await ask(dan, room, "!need woodworking 1")
        announced = await ask(
            alice,
            room,
            f'!workshop {typed_when} woodworking --places 2 --where "the barn" : a stool each',
        )
        assert announced == [
            "Workshop w1 is announced below. Sign up by reacting 🙋 to the announcement, "
            "or with !join w1.",
            "Your offer o2 of woodworking is recorded on the way (level 3; !offer sets it).",
        ]
        card = await alice.wait_for(
            lambda seen: seen.sender == bot and seen.body.startswith("Workshop w1:")
        )
        assert card.body.splitlines() == [
            f"Workshop w1: woodworking, with {host} — {moment}, 2h",
            "Where: the barn",
            "a stool each",
            "2 place(s); beyond them, a waitlist.",
            "React 🙋 to sign up (take it back to leave).",
            f"For those who need it, such as: {localpart(dan)}.",
        ]

        # Three click 🙋 under the card, in this order: two places, Dan waits. The host's
        # own 🙋 signs nobody up.
        await alice.react(room, card.event_id, "🙋")
        bobs = await bob.react(room, card.event_id, "🙋")
        await chloe.react(room, card.event_id, "🙋")
        await dan.react(room, card.event_id, "🙋")
        listed = f"w1 woodworking — {moment} — "
        assert await ask(alice, room, "!workshops") == [
            "Upcoming workshops",
            listed + "0 place(s) left, 1 waiting",
        ]

        # Bob takes his 🙋 back: Dan moves up, told in the card's thread with a ping.
        await bob.redact(room, bobs)
        promoted = await dan.wait_for(
            lambda seen: seen.thread_root == card.event_id and seen.sender == bot
        )
        assert promoted.body == f"A place opened in w1: {localpart(dan)}, you are in."
        assert promoted.replies_to == card.event_id
        assert promoted.content["msgtype"] == "m.text"  # a notice would ping nobody
        assert promoted.content["m.mentions"] == {"user_ids": [dan.user_id]}
        assert highlighted(await dan.notifications(), promoted.event_id) is True
        assert not highlighted(await chloe.notifications(), promoted.event_id)
        assert await ask(chloe, room, "!workshops") == [
            "Upcoming workshops",
            listed + "0 place(s) left, 0 waiting",
        ]
        assert await ask(bob, room, "!leave w1") == ["You are not signed up for w1."]
    stopped = datetime.now(UTC)
    assert in_thread(alice, card, "Reminder:") == []
    assert stopped < remind_at - timedelta(seconds=1), "too slow: stopped after the reminder"

    async with running(config):  # back before the reminder is due
        reminder = await alice.wait_for(
            lambda seen: seen.thread_root == card.event_id and seen.body.startswith("Reminder:"),
            timeout=REMIND_AFTER + 10,
        )
        assert reminder.sender == bot
        sent_at = datetime.fromtimestamp(reminder.timestamp / 1000, UTC)
        assert remind_at - timedelta(seconds=1) <= sent_at < starts_at
        assert reminder.body == (
            f"Reminder: {localpart(chloe)}, {localpart(dan)}, workshop w1 (woodworking) takes "
            f"place on {moment} — the barn."
        )
        assert reminder.content["msgtype"] == "m.text"
        assert reminder.content["m.mentions"] == {"user_ids": [chloe.user_id, dan.user_id]}
        for member in (chloe, dan):
            assert highlighted(await member.notifications(), reminder.event_id) is True
        assert not highlighted(await bob.notifications(), reminder.event_id)
        assert await ask(alice, room, "!workshop done w1") == ["w1 has not taken place yet."]

    # Again after the reminder, past the start: the host closes the loop, the sign-up list
    # as it stands being who came.
    async with running(config):
        await asyncio.sleep((starts_at - datetime.now(UTC)).total_seconds() + 0.5)
        assert await ask(dan, room, "!join w1") == [
            "w1 takes no more sign-ups: it has begun, is done or was cancelled."
        ]
        assert await ask(alice, room, "!workshop done w1 : a stool each") == [
            "w1 is done, thank you! Your 2h are recorded as c1, confirmed by 2 of the 2 who came.",
            f"{localpart(dan)}, woodworking level 1 → 2? !need woodworking 2 updates it.",
        ]
        profile = await ask(alice, room, "!profile")
        weight = await ask(alice, room, "!weight")
        attended = await ask(dan, room, "!profile")
        already = await ask(chloe, room, "!confirm c1")
        assert await ask(alice, room, "!workshop done w1") == ["w1 is already done or cancelled."]
        thread = await thread_on_server(alice, card)

    day = t.day(starts_at.astimezone(zone).date(), with_year=False).plain
    # The records: the host's hours count (confirmed by the two who came), the workshop is
    # on both profiles, and the vote weight grew: 1 + 0.25·log₂(1 + 2) = 1.4.
    assert profile == [
        f"Profile: {host}",
        "Offers: o2 woodworking, level 3 (practitioner)",  # made by the announcement
        "Contributions: 1 (confirmed: 1 · pending: 0)",
        "• c1 · 2h · transmission · Workshop w1: woodworking — a stool each · confirmed",
        "Hours by domain: transmission 2h",
        f"Workshops hosted: w1 woodworking ({day}); attended: —",
        "Vote weight: 1.4 (!weight explains it)",
    ]
    assert weight[:3] == [
        f"{host}'s weight: 1.4, were a poll to open now",
        "• base: 1 (every voice counts)",
        "• engagement: 0.25 × log₂(1 + 2 h) = 0.4 — 1 confirmed contribution(s), their hours "
        "halved every 180 days",
    ]
    assert f"Workshops hosted: —; attended: w1 woodworking ({day})" in attended
    assert already == [
        f"You already confirmed c1, {localpart(chloe)}.",
        "Confirmed: 2 witnesses (1 needed); it counts.",
    ]
    # Exactly one reminder in the card's thread, across both restarts; the promotion before.
    assert thread == [promoted.body, reminder.body]
    assert len(in_thread(alice, card, "Reminder:")) == 1
