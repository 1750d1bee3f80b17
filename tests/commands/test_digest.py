"""``!digest preview`` (``!bilan aperçu``): moderators only, the period since the last
scheduled run, and nothing recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.app import ROUTERS
from bot.commands import digest
from bot.i18n.types import Language
from bot.store import digest as sent
from bot.store import listings, skills
from bot.store.database import Database
from tests.commands.conftest import ALICE, BOB, ROOM, Harness, make_config

MODERATOR = "@mod:test"
# The harness's clock starts on Monday 2 November 2026 at 10:00 in Paris; the digest runs on
# Mondays at 09:00 there, so the preview covers the last hour.
WITH_DIGEST = ROUTERS if digest.router in ROUTERS else (*ROUTERS, digest.router)


def harness(database: Database, language: Language) -> Harness:
    config = make_config(language, rate_limit={"burst": 100}, moderators=[MODERATOR])
    return Harness(database, config, WITH_DIGEST)


@pytest.fixture
def en(database: Database) -> Harness:
    return harness(database, "en")


@pytest.fixture
def fr(database: Database) -> Harness:
    return harness(database, "fr")


async def nothing_recorded(bot: Harness) -> None:
    async with bot.database.transaction() as tx:
        assert await sent.last_sent(tx, ROOM) is None
        assert await tx.fetch_value("SELECT count(*) FROM digest_sent") == 0


async def test_only_moderators_preview_the_digest(en: Harness) -> None:
    answer = await en.answer("!digest preview", ALICE)
    assert "moderators" in answer
    assert "Community digest" not in answer


async def test_the_preview_covers_the_time_since_the_last_run_and_records_nothing(
    en: Harness,
) -> None:
    async with en.database.transaction() as tx:
        wood = await skills.create(tx, "woodworking", "Woodworking")
        before = en.clock.now() - timedelta(hours=1, seconds=1)  # 08:59:59 in Paris
        await listings.add(tx, "offer", ALICE, wood, 4, "", ROOM, before)
    await en.answer("!offer pottery 3", BOB)
    en.clock.advance(timedelta(minutes=1))
    lines = (await en.answer("!digest preview", MODERATOR)).splitlines()
    assert lines[0] == "Community digest, 2 November 2026"
    assert "• Bob offers pottery (level 3) — o2" in lines
    assert not [line for line in lines if "woodworking" in line]
    assert "Welcome" in lines  # Bob and the moderator spoke to the bot for the first time
    assert lines[-1] == (
        "Preview: nothing is recorded. The next digest goes out on Monday 9 November 2026 "
        "at 09:00 (Europe/Paris)."
    )
    await nothing_recorded(en)


async def test_a_quiet_period_says_so(en: Harness) -> None:
    en.clock.advance(timedelta(days=7))  # past the next run: the moderator is no newcomer
    await en.answer("!digest preview", MODERATOR)
    en.clock.advance(timedelta(days=7))
    lines = (await en.answer("!digest preview", MODERATOR)).splitlines()
    assert "A quiet period: nothing new to report." in lines


@pytest.mark.parametrize(
    "typed", ["!bilan aperçu", "!bilan apercu", "!digest preview", "!BILAN Aperçu"]
)
async def test_french_words_and_english_ones_are_understood(fr: Harness, typed: str) -> None:
    lines = (await fr.answer(typed, MODERATOR)).splitlines()
    assert lines[0] == "Bilan de la communauté, 2 novembre 2026"
    assert lines[-1] == (
        "Aperçu : rien n'est enregistré. "
        "Le prochain bilan partira le lundi 9 novembre 2026 à 09:00 (Europe/Paris)."
    )
    await nothing_recorded(fr)


async def test_an_unknown_word_gets_the_usage(fr: Harness) -> None:
    answer = await fr.answer("!bilan envoyer", MODERATOR)
    assert "Je ne sais pas faire envoyer avec le bilan." in answer
    assert "!bilan aperçu" in answer
    assert "!bilan" in await fr.answer("!bilan", MODERATOR)


async def test_help_shows_it_for_moderators(en: Harness) -> None:
    answer = await en.answer("!help digest")
    assert "!digest preview" in answer
    assert "(moderators only)" in answer


async def test_the_digest_command_alone_or_misspelt_shows_its_one_form(en: Harness) -> None:
    assert (await en.answer("!digest", MODERATOR)).splitlines() == [
        "What to do with the digest? To see it now:",
        "Usage: !digest preview",
        "Example: !digest preview",
    ]
    assert (await en.answer("!digest publish", MODERATOR)).startswith(
        "I do not know how to publish the digest."
    )
