"""The durable intake with the real dispatcher and store: what a crash between any two steps
leaves is finished at the next start, once; a full disk is said, never silent."""

from __future__ import annotations

import itertools
from datetime import timedelta

from bot.app import ROUTERS
from bot.commands.dispatcher import Dispatcher
from bot.intake import Intake, decode, encode
from bot.messages import (
    Incoming,
    IncomingPollResponse,
    IncomingReaction,
    IncomingRedaction,
)
from bot.store import intake, listings
from bot.store.database import Database
from tests.commands.conftest import ALICE, BOB, ROOM, Harness, make_config


async def offers_of(bot: Harness, member: str) -> int:
    async with bot.database.transaction() as tx:
        return sum(each.kind == "offer" for each in await listings.of_member(tx, member))


_positions = itertools.count(1)


async def settle(door: Intake, batch: list[Incoming]) -> None:
    """Hand one sync's events over and wait until they are acted on."""
    for task in await door.receive(batch, f"s{next(_positions)}"):
        await task


def restarted(bot: Harness) -> Intake:
    """What the next start builds: a new dispatcher (empty throttle) on the same files."""
    dispatcher = Dispatcher(
        ROUTERS, bot.database, bot.transport, bot.config, bot.clock, bot.agenda, bot.poll_keeper
    )
    return Intake(bot.database, dispatcher, bot.clock)


def test_every_kind_of_event_is_written_down_and_read_back_as_it_was(bot: Harness) -> None:
    at = bot.clock.now()
    items: list[Incoming] = [
        bot.message("!offre vélo : « répare »", thread_root="$root", mentions=(BOB,)),
        IncomingReaction("$r", ROOM, BOB, "Bob", "$target", "✅", at),
        IncomingRedaction("$x", ROOM, BOB, "$r"),
        IncomingPollResponse("$v", ROOM, BOB, "$poll", ("1", "3"), at),
        IncomingPollResponse("$w", ROOM, BOB, "$poll", None, at),
    ]
    assert [decode(encode(item)) for item in items] == items


async def test_a_crash_after_the_sync_is_written_down_is_finished_at_the_next_start(
    database: Database,
) -> None:
    bot = Harness(database, make_config("en", rate_limit={"burst": 100}))
    commands = [bot.message(f"!offer skill{n}") for n in range(5)]
    async with database.transaction() as tx:  # receive() committed, then the process died
        await intake.receive(tx, [encode(each) for each in commands], bot.clock.now(), "s0")
    assert bot.transport.sent == []
    await settle(restarted(bot), [])
    assert await offers_of(bot, ALICE) == 5
    assert sorted(reply.in_reply_to for reply in bot.transport.sent) == sorted(
        each.event_id for each in commands
    )
    async with database.transaction() as tx:
        assert await intake.waiting(tx) == []


async def test_a_reply_owed_when_the_bot_died_is_sent_once_at_the_next_start(
    database: Database,
) -> None:
    bot = Harness(database, make_config("en"))
    sent_before_the_crash = await bot.answer("!offer pottery")
    async with database.transaction() as tx:  # as if the note "sent" never committed
        await intake.owe(
            tx,
            intake.OwedReply(bot.transport.sent[0]),
            bot.clock.now(),
        )
    await settle(restarted(bot), [])
    await settle(restarted(bot), [])
    assert [reply.text.plain for reply in bot.transport.sent] == [sent_before_the_crash]
    assert await offers_of(bot, ALICE) == 1


async def test_a_sync_read_again_after_a_crash_acts_on_nothing_twice(bot: Harness) -> None:
    door = restarted(bot)
    batch: list[Incoming] = [bot.message("!offer welding"), bot.message("!need knitting")]
    await settle(door, batch)
    await settle(door, batch)
    await settle(restarted(bot), batch)
    assert len(bot.transport.sent) == 2
    assert await offers_of(bot, ALICE) == 1


async def test_chatter_is_not_written_down(bot: Harness) -> None:
    door = restarted(bot)
    assert await door.receive([bot.message("hello all"), bot.message("!!!")], "s1") == []
    async with bot.database.transaction() as tx:
        assert await intake.waiting(tx) == []


async def test_commands_read_back_after_an_outage_are_not_taken_for_a_flood(
    database: Database,
) -> None:
    """Ten commands typed a minute apart while the bot was down, read back in one go."""
    bot = Harness(database, make_config("en"))  # the default limits: a burst of 5
    typed = []
    for n in range(10):
        typed.append(bot.message(f"!offer skill{n}"))
        bot.clock.advance(timedelta(minutes=1))
    await settle(restarted(bot), list(typed))
    assert await offers_of(bot, ALICE) == 10
    assert not [reply for reply in bot.transport.sent if "too fast" in reply.text.plain.lower()]


async def test_a_live_flood_is_still_a_flood(database: Database) -> None:
    bot = Harness(database, make_config("en"))
    await settle(restarted(bot), [bot.message(f"!offer skill{n}") for n in range(10)])
    assert await offers_of(bot, ALICE) == 5
    assert len(bot.transport.sent) == 6  # five answers and one polite notice


async def test_a_full_disk_is_said_and_the_command_never_comes_back_to_double(
    database: Database,
) -> None:
    bot = Harness(database, make_config("en"))
    door = restarted(bot)
    await settle(door, [bot.message("!offer baking")])  # the file has grown to its size
    async with database.transaction() as tx:
        pages = int(await tx.fetch_value("PRAGMA page_count"))
        await tx.execute(f"PRAGMA max_page_count = {pages}")
    full = bot.message("!contribute 3h habitat : " + "painted the big shed door " * 12)
    await settle(door, [full])
    answer = bot.transport.sent[-1]
    assert answer.in_reply_to == full.event_id
    assert "nothing was saved" in answer.text.plain
    async with database.transaction() as tx:
        await tx.execute("PRAGMA max_page_count = 1073741823")
    retried = bot.message("!offer bread")
    await settle(door, [retried])
    assert bot.transport.sent[-1].in_reply_to == retried.event_id
    await settle(restarted(bot), [full])  # a replay of the refused command: nothing
    assert bot.transport.sent[-1].in_reply_to == retried.event_id
    async with database.transaction() as tx:
        assert await tx.fetch_value("SELECT count(*) FROM contribution") == 0
        assert await intake.waiting(tx) == []


async def test_a_sent_reply_is_noted_with_the_next_sync_not_a_transaction_of_its_own(
    bot: Harness,
) -> None:
    door = restarted(bot)
    await settle(door, [bot.message("!offer welding")])
    async with bot.database.transaction() as tx:  # sent, not yet noted: a crash resends it
        assert len(await intake.owed(tx)) == 1
    await settle(door, [])  # the sync the reply itself wakes
    async with bot.database.transaction() as tx:
        assert await intake.owed(tx) == []
        assert await intake.position(tx) is not None
