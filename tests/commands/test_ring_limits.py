"""Weight a ring cannot buy: a confirming reaction spends the sender's allowance as a command
does, and ``!thanks`` reaches only members of a room the bot serves."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.i18n.types import Language
from bot.messages import IncomingReaction
from bot.store import contributions
from bot.store.database import Database
from tests.commands.conftest import BOB, CHLOE, NAMES, ROOM, Harness, community, make_config

BURST = 3
REFILL = timedelta(seconds=10)  # per_minute 6: one more every 10 s
STRANGER = "@stranger:test"


@pytest.fixture
def ring(database: Database) -> Harness:
    """Alice, Bob Martin and Chloé, each allowed three at once, then one every 10 s."""
    config = make_config("en", rate_limit={"burst": BURST, "per_minute": 6})
    bot = Harness(database, config)
    bot.transport.members[ROOM] = dict(NAMES)
    return bot


async def records(bot: Harness, count: int) -> list[str]:
    """``count`` contributions by Bob, a minute apart so his own allowance never runs out:
    the bot's record messages, which Chloé's reactions confirm."""
    found = []
    for _ in range(count):
        bot.clock.advance(timedelta(minutes=1))
        [reply] = await bot.send(bot.message("!contribute 1h habitat : roof", BOB))
        assert reply.text.plain.startswith("Contribution c"), reply.text.plain
        found.append(f"$reply{len(bot.transport.sent)}")
    return found


async def confirmed(bot: Harness, count: int) -> list[int]:
    """The confirmations of c1 … c``count``, as the bot's next transaction sees them."""
    async with bot.dispatcher.transaction() as tx:
        found = [await contributions.get(tx, number) for number in range(1, count + 1)]
    return [each.confirmations if each is not None else -1 for each in found]


def reaction(bot: Harness, number: int, target: str, sent_at: datetime) -> IncomingReaction:
    """Chloé's ✅ on ``target``, as the homeserver timed it (not when the bot reads it)."""
    return IncomingReaction(f"$check{number}", ROOM, CHLOE, "Chloé", target, "✅", sent_at)


# --- confirming reactions spend the allowance -----------------------------------------


async def test_ten_check_marks_at_once_confirm_only_the_burst(ring: Harness) -> None:
    targets = await records(ring, 10)
    for target in targets:
        await ring.react(target, "✅", sender=CHLOE)
    assert await confirmed(ring, 10) == [1] * BURST + [0] * (10 - BURST)
    assert len(ring.transport.sent) == 10  # the records only: a dropped reaction is silent

    ring.clock.advance(REFILL)
    await ring.react(targets[-1], "✅", sender=CHLOE)
    assert await confirmed(ring, 10) == [1] * BURST + [0] * (9 - BURST) + [1]


async def test_a_burst_read_slowly_is_still_a_burst(ring: Harness) -> None:
    """The homeserver's times count, not the bot's: a slow read does not refill anything."""
    targets = await records(ring, 5)
    sent_at = ring.clock.now()
    for number, target in enumerate(targets):
        ring.clock.advance(REFILL)
        await ring.dispatcher.handle_reaction(reaction(ring, number, target, sent_at))
    assert await confirmed(ring, 5) == [1] * BURST + [0] * (5 - BURST)


async def test_reactions_read_back_after_a_restart_are_not_a_flood(ring: Harness) -> None:
    """Sent 10 s apart while the bot was away, read at once: each came within the allowance."""
    targets = await records(ring, 5)
    first = ring.clock.now()
    ring.clock.advance(timedelta(hours=1))
    for number, target in enumerate(targets):
        sent_at = first + number * REFILL
        await ring.dispatcher.handle_reaction(reaction(ring, number, target, sent_at))
    assert await confirmed(ring, 5) == [1] * 5


async def test_a_reaction_delivered_again_is_dropped_before_it_is_counted(ring: Harness) -> None:
    targets = await records(ring, BURST)
    again = reaction(ring, 0, targets[0], ring.clock.now())
    for _ in range(5):
        await ring.dispatcher.handle_reaction(again)
    for target in targets[1:]:
        await ring.react(target, "✅", sender=CHLOE)
    assert await confirmed(ring, BURST) == [1] * BURST


async def test_reactions_spend_the_allowance_commands_use(ring: Harness) -> None:
    """Only the command gets the polite notice: a reaction has nothing to answer."""
    targets = await records(ring, BURST)
    for target in targets:
        await ring.react(target, "✅", sender=CHLOE)
    notice = await ring.answer("!help", CHLOE)
    assert notice.startswith("You are sending commands faster than I can take them, Chloe.")


async def test_commands_spend_the_allowance_reactions_use(ring: Harness) -> None:
    [target] = await records(ring, 1)
    for _ in range(BURST):
        assert await ring.say("!help", CHLOE) is not None
    await ring.react(target, "✅", sender=CHLOE)
    assert await confirmed(ring, 1) == [0]
    ring.clock.advance(REFILL)
    await ring.react(target, "✅", sender=CHLOE)
    assert await confirmed(ring, 1) == [1]


async def test_reactions_that_confirm_nothing_cost_nothing(ring: Harness) -> None:
    targets = await records(ring, BURST)
    await ring.say("!help", BOB)
    for _ in range(5):
        await ring.react(targets[0], "🎉", sender=CHLOE)
        await ring.react("$reply4", "✅", sender=CHLOE)  # on the help answer
        await ring.react("$event1", "✅", sender=CHLOE)  # on a command
        await ring.react(targets[0], "✅", sender=BOB)  # his own record: moot
    for target in targets:
        await ring.react(target, "✅", sender=CHLOE)
    assert await confirmed(ring, BURST) == [1] * BURST
    assert (await ring.answer("!help", BOB)).startswith("What I can do")


# --- !thanks reaches members of a served room only -------------------------------------

REFUSED = {
    "fr": "@stranger:test n'est dans aucun des salons que je sers : "
    "je ne note de remerciements que pour les membres de la communauté.",
    "en": "@stranger:test is in none of the rooms I serve: "
    "I record thanks for members of the community only.",
}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("mentions", [(), (STRANGER,)], ids=["id", "pill"])
async def test_thanks_to_someone_in_no_served_room_is_refused(
    database: Database, language: Language, mentions: tuple[str, ...]
) -> None:
    bot = community(database, language)
    thanks = "!merci" if language == "fr" else "!thanks"
    body = f"{thanks} {STRANGER} 2h : helped with the accounts"
    [reply] = await bot.send(bot.message(body, mentions=mentions))
    assert reply.text.plain == REFUSED[language]
    assert reply.mentions == ()
    assert await confirmed(bot, 1) == [-1]  # nothing recorded


async def test_who_left_is_thanked_no_more_but_keeps_a_profile(database: Database) -> None:
    en = community(database, "en")
    await en.say("!thanks @chloe:test 1h : tidied the library")
    del en.transport.members[ROOM][CHLOE]
    refusal = await en.answer("!thanks @chloe:test 1h : tidied it again")
    assert refusal.startswith("@chloe:test is in none of the rooms I serve")
    assert "c1 · 1h · tidied the library" in await en.answer("!profile @chloe:test")
