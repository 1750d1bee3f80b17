"""!void and !restore: a moderator takes invented or doubled work out of the weights."""

from __future__ import annotations

from bot.i18n.types import Language
from bot.store.database import Database
from tests.commands.conftest import ALICE, BOB, CHLOE, NAMES, ROOM, Harness, make_config


def moderated_by_chloe(database: Database, language: Language = "en") -> Harness:
    bot = Harness(database, make_config(language, rate_limit={"burst": 100}, moderators=[CHLOE]))
    bot.transport.members[ROOM] = dict(NAMES)
    return bot


async def test_a_voided_contribution_counts_for_nothing_until_restored(
    database: Database,
) -> None:
    bot = moderated_by_chloe(database)
    await bot.answer(f"!thanks {BOB} 40h habitat : invented", ALICE)
    assert (await bot.answer("!weight Bob Martin")).startswith("Bob Martin's weight: 2.34")
    assert await bot.answer("!void c1 : nobody saw this work", CHLOE) == (
        "c1 is voided: it no longer counts toward any weight (40h in habitat — invented). "
        "To undo: !restore c1"
    )
    assert (await bot.answer("!weight Bob Martin")).startswith("Bob Martin's weight: 1,")
    profile = await bot.answer("!profile", BOB)
    assert "c1 · 40h · habitat · invented · voided (nobody saw this work)" in profile
    assert await bot.answer("!void c1", CHLOE) == "c1 is voided already."
    assert (await bot.answer("!restore c1", CHLOE)).startswith("c1 is restored")
    assert (await bot.answer("!weight Bob Martin")).startswith("Bob Martin's weight: 2.34")
    assert (
        await bot.answer("!restore c1", CHLOE) == "c1 is not voided: there is nothing to restore."
    )


async def test_only_moderators_void_and_restore(database: Database) -> None:
    bot = moderated_by_chloe(database)
    await bot.answer(f"!thanks {BOB} 4h habitat : real", ALICE)
    refused = (
        "Only moderators (of the community, or of the room where c1 was recorded) can void "
        "or restore a contribution."
    )
    assert await bot.answer("!void c1", BOB) == refused
    assert await bot.answer("!restore c1", ALICE) == refused
    assert (await bot.answer("!void c9", CHLOE)).startswith("I find no contribution c9.")


async def test_in_french(database: Database) -> None:
    bot = moderated_by_chloe(database, "fr")
    await bot.answer(f"!merci {BOB} 4h habitat : réel", ALICE)
    assert (await bot.answer("!invalider c1 : en double", CHLOE)).startswith(
        "c1 est invalidée : elle ne compte plus dans aucun poids"
    )
    assert (await bot.answer("!retablir c1", CHLOE)).startswith("c1 est rétablie")
