"""Who may witness: a fresh account cannot vouch (founders excepted), and an old one vouches
for so many hours a week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.config import ContributionsConfig
from bot.domain.contributions import probation_ends
from bot.i18n.types import Language
from bot.store import contributions
from bot.store.database import Database
from tests.commands.conftest import ALICE, BOB, NAMES, ROOM, Harness, make_config

SYBIL = "@sybil:test"


def community_of(database: Database, language: Language = "en", days: int = 30) -> Harness:
    config = make_config(language, rate_limit={"burst": 100}).model_copy(
        update={"contributions": ContributionsConfig(probation_days=days)}
    )
    bot = Harness(database, config)
    bot.transport.members[ROOM] = {**NAMES, SYBIL: "Sybil"}
    return bot


async def founded_then_joined(bot: Harness) -> None:
    """Alice and Bob found the community; forty days on, Bob records c1 and a sybil joins."""
    await bot.answer("!help", ALICE)
    await bot.answer("!help", BOB)
    bot.clock.advance(timedelta(days=40))
    await bot.answer("!contribute 3h habitat : fixed the gate", BOB)


async def confirmations_of(bot: Harness, number: int) -> int:
    async with bot.database.transaction() as tx:
        found = await contributions.get(tx, number)
    assert found is not None
    return found.confirmations


async def test_a_newcomer_cannot_confirm_until_the_probation_ends(database: Database) -> None:
    bot = community_of(database)
    await founded_then_joined(bot)
    assert await bot.answer("!confirm c1", SYBIL) == (
        "You arrived recently: you can confirm others' work from Monday 11 January 2027 at "
        "10:00 (Europe/Paris). Until then, other members can confirm c1."
    )
    await bot.react("$reply3", "✅", sender=SYBIL)  # the record message
    assert await confirmations_of(bot, 1) == 0
    bot.clock.advance(timedelta(days=30))
    assert (await bot.answer("!confirm c1", SYBIL)).startswith("Thank you Sybil! You confirm c1")
    assert await confirmations_of(bot, 1) == 1


async def test_a_newcomers_thanks_is_recorded_without_counting_as_a_witness(
    database: Database,
) -> None:
    bot = community_of(database)
    await founded_then_joined(bot)
    reply = await bot.answer(f"!thanks {BOB} 200h habitat : everything", SYBIL)
    assert reply.splitlines()[-1] == (
        "You arrived recently: your thanks is recorded but does not count as a confirmation "
        "yet; it will from Monday 11 January 2027 at 10:00 (Europe/Paris)."
    )
    assert await confirmations_of(bot, 2) == 0
    await bot.answer("!confirm c2", ALICE)  # a founder who saw it can still vouch
    assert await confirmations_of(bot, 2) == 1


async def test_the_founders_confirm_from_the_first_day(database: Database) -> None:
    bot = community_of(database)
    await bot.answer("!contribute 2h habitat : painted", ALICE)
    bot.clock.advance(timedelta(days=29))  # Bob is first seen within the first 30 days
    assert (await bot.answer("!confirm c1", BOB)).startswith("Thank you Bob! You confirm c1")


async def test_forgetting_oneself_starts_the_probation_again(database: Database) -> None:
    bot = community_of(database)
    await founded_then_joined(bot)
    bot.clock.advance(timedelta(days=31))
    await bot.answer("!help", SYBIL)
    await bot.answer("!forget me", SYBIL)
    await bot.answer("!forget me confirm", SYBIL)
    assert (await bot.answer("!confirm c1", SYBIL)).startswith("You arrived recently")


async def test_in_french_and_with_no_probation(database: Database) -> None:
    bot = community_of(database, "fr")
    await founded_then_joined(bot)
    assert (await bot.answer("!confirmer c1", SYBIL)).startswith(
        "Vous êtes arrivé·e depuis peu : vous pourrez confirmer le travail des autres à partir "
        "du lundi 11 janvier 2027 à 10:00 (Europe/Paris)"
    )


async def test_a_probation_of_zero_days_lets_anyone_confirm(database: Database) -> None:
    bot = community_of(database, days=0)
    await founded_then_joined(bot)
    assert (await bot.answer("!confirm c1", SYBIL)).startswith("Thank you Sybil! You confirm c1")


def test_probation_ends_for_founders_and_newcomers() -> None:
    founded = datetime(2026, 1, 1, tzinfo=UTC)
    early, late = founded + timedelta(days=30), founded + timedelta(days=31)
    assert probation_ends(early, founded, 30) == early  # a founder: at once
    assert probation_ends(late, founded, 30) == late + timedelta(days=30)
    assert probation_ends(late, founded, 0) == late


async def test_a_witness_vouches_for_forty_hours_a_week_at_most(database: Database) -> None:
    bot = community_of(database)
    for hours in (30, 20, 5, 5):
        await bot.answer(f"!contribute {hours}h habitat : work", BOB)
    await bot.answer("!confirm c1", ALICE)
    await bot.answer("!confirm c2", ALICE)  # crosses the line: it still counts
    assert await bot.answer("!confirm c3", ALICE) == (
        "You have confirmed 50h of others' work in the last 7 days: one member may confirm "
        "at most 40h a week. Other members can confirm c3."
    )
    await bot.react("$reply4", "✅", sender=ALICE)  # c4's record message
    assert [await confirmations_of(bot, n) for n in (1, 2, 3, 4)] == [1, 1, 0, 0]
    bot.clock.advance(timedelta(days=7))
    assert (await bot.answer("!confirm c3", ALICE)).startswith("Thank you Alice! You confirm c3")
