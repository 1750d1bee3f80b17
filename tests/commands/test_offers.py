"""Offers and needs: recording, browsing, withdrawing, in both languages."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.config import Config, MatrixConfig, SkillsConfig
from bot.store.database import Database
from tests.commands.conftest import ALICE, BOB, CHLOE, ROOM, Harness


async def test_an_offer_gets_a_reference_and_its_level(bot_en: Harness) -> None:
    text = await bot_en.answer("!offer woodworking 4 : I can show how to use a router")
    assert text.splitlines()[0] == (
        "Offer o1 recorded: woodworking, level 4 (experienced). Thank you for sharing!"
    )


async def test_default_levels_are_three_for_an_offer_and_one_for_a_need(bot_en: Harness) -> None:
    assert "level 3 (practitioner)" in await bot_en.answer("!offer knitting")
    assert "current level 1 (curious)" in await bot_en.answer("!need welding")


async def test_french_levels_and_aliases(bot: Harness) -> None:
    text = await bot.answer("!offre couture experte : retouches et ourlets")
    assert text.splitlines()[0] == (
        "Offre o1 notée : couture, niveau 5 (expert·e). Merci de partager !"
    )
    assert "niveau actuel 2 (débutant·e)" in await bot.answer("!besoin soudure débutant")


async def test_multi_word_and_quoted_skills(bot_en: Harness) -> None:
    assert "bike repair, level 2" in await bot_en.answer("!offer bike repair 2")
    assert "C++, level 5" in await bot_en.answer('!offer "C++" expert')
    assert "3D printing, level 3" in await bot_en.answer("!offer 3D printing")


async def test_a_need_names_who_can_help_best_first_without_pinging(bot_en: Harness) -> None:
    await bot_en.answer("!offer woodworking 3", BOB)
    await bot_en.answer("!offer woodworking 5", CHLOE)
    reply = await bot_en.say("!need woodworking 1")
    assert reply is not None
    assert "Who can help: Chloe (level 5, o2), Bob (level 3, o1)." in reply.text.plain
    assert reply.mentions == ()


async def test_helpers_ahead_of_the_learner_come_first(bot_en: Harness) -> None:
    await bot_en.answer("!offer pottery 2", BOB)
    await bot_en.answer("!offer pottery 5", CHLOE)
    text = await bot_en.answer("!need pottery 3")
    assert "Chloe (level 5, o2), Bob (level 2, o1)" in text


async def test_a_need_in_an_empty_community_is_answered_kindly(bot_en: Harness) -> None:
    text = await bot_en.answer("!need bookkeeping")
    assert "Nobody offers bookkeeping yet" in text


async def test_an_offer_names_who_is_looking_for_it(bot_en: Harness) -> None:
    await bot_en.answer("!need sewing 1", BOB)
    text = await bot_en.answer("!offer sewing 4")
    assert "Looking to learn it: Bob (level 1, n1)." in text


async def test_a_close_spelling_is_taken_for_the_known_skill_and_said(bot_en: Harness) -> None:
    await bot_en.answer("!offer carpentry 4", BOB)
    text = await bot_en.answer("!need carpentery")
    assert "I took “carpentery” as carpentry." in text
    assert "Bob (level 4, o1)" in text


async def test_config_aliases_map_synonyms(database: Database) -> None:
    config = Config(
        matrix=MatrixConfig(homeserver="http://127.0.0.1:1", user_id="@c:test", password="x"),
        skills=SkillsConfig(aliases={"menuiserie": "woodworking"}),
    )
    bot = Harness(database, config)
    await bot.answer("!offer woodworking 4", BOB)
    text = await bot.answer("!besoin Menuiserie")
    assert "J'ai compris « Menuiserie » comme woodworking." in text
    assert "Bob (niveau 4, o1)" in text


async def test_recording_the_same_skill_again_updates_instead_of_doubling(
    bot_en: Harness,
) -> None:
    await bot_en.answer("!offer woodworking 3 : basics")
    text = await bot_en.answer("!offer Woodworking 4")
    assert text.startswith("You already offered this skill: offer o1 updated (woodworking, level 4")
    listing = await bot_en.answer("!offers")
    assert listing.count("o1") == 1
    assert "basics" in listing


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ("!offer", "Missing: skill."),
        ("!offer woodworking 7", "7 is not a level"),
        ("!offer " + "x" * 70, "The skill's name is too long"),
        ("!need knitting : " + "y" * 600, "The details are too long"),
        ('!offer "woodworking', "A quote is opened but never closed."),
        ("!offer : only details", "Missing: skill."),
    ],
)
async def test_bad_input_is_explained_with_usage(
    bot_en: Harness, command: str, reason: str
) -> None:
    text = await bot_en.answer(command)
    assert text.startswith(reason)
    assert "Usage: !" in text
    assert "Example: !" in text


async def test_browsing_is_newest_first_with_age_and_details(bot_en: Harness) -> None:
    await bot_en.answer("!offer knitting 2 : socks", BOB)
    bot_en.clock.advance(timedelta(days=2))
    await bot_en.answer("!offer welding 4")
    bot_en.clock.advance(timedelta(hours=3))
    lines = (await bot_en.answer("!offers")).splitlines()
    assert lines == [
        "Open offers (page 1):",
        "o2 · Alice · welding · level 4 (experienced) · 3 h ago",
        "o1 · Bob · knitting · level 2 (beginner) · 2 days ago — socks",
    ]


async def test_a_new_offer_is_listed_as_just_recorded_in_french(bot: Harness) -> None:
    await bot.answer("!offre tricot 2 : chaussettes", BOB)
    bot.clock.advance(timedelta(minutes=2, seconds=20))
    await bot.answer("!offre soudure 4")
    assert (await bot.answer("!offres")).splitlines()[1:] == [
        "o2 · Alice · soudure · niveau 4 (expérimenté·e) · à l'instant",
        "o1 · Bob · tricot · niveau 2 (débutant·e) · il y a 2 min — chaussettes",
    ]


async def test_browsing_one_skill(bot_en: Harness) -> None:
    await bot_en.answer("!need knitting", BOB)
    await bot_en.answer("!need welding", CHLOE)
    lines = (await bot_en.answer("!needs Knitting")).splitlines()
    assert lines[0] == "Open needs for knitting (page 1):"
    assert len(lines) == 2


async def test_browsing_pages(bot_en: Harness) -> None:
    for number in range(23):
        await bot_en.answer(f"!offer skill{number:02d}", f"@member{number}:test")
    first = (await bot_en.answer("!offers")).splitlines()
    assert first[0] == "Open offers (page 1):"
    assert first[-1] == "More: !offers --page 2"
    assert len(first) == 12
    third = (await bot_en.answer("!offers --page 3")).splitlines()
    assert third[0] == "Open offers (page 3):"
    assert len(third) == 4
    assert (await bot_en.answer("!offers 2")).startswith("Open offers (page 2):")
    assert await bot_en.answer("!offers 4") == "There is no page 4."


async def test_browsing_an_unknown_skill_or_nothing(bot_en: Harness) -> None:
    assert await bot_en.answer("!offers") == "No open offers yet."
    await bot_en.answer("!offer knitting")
    assert await bot_en.answer("!offers astrophysics") == "I know no skill like “astrophysics” yet."


async def test_withdraw_own_records_only(bot_en: Harness) -> None:
    await bot_en.answer("!offer knitting", BOB)
    assert await bot_en.answer("!withdraw o1") == (
        "o1 belongs to Bob: only they or a moderator can withdraw it."
    )
    assert await bot_en.answer("!withdraw o1", BOB) == "o1 (knitting) is withdrawn."
    assert await bot_en.answer("!withdraw o1", BOB) == "o1 was already withdrawn."
    assert await bot_en.answer("!offers") == "No open offers yet."


async def test_moderators_withdraw_anything(bot_en: Harness) -> None:
    await bot_en.answer("!need knitting", BOB)
    bot_en.transport.levels[(ROOM, ALICE)] = 100
    assert await bot_en.answer("!withdraw n1") == "n1 (knitting) is withdrawn."


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("!withdraw o9", "I cannot find o9."),
        ("!withdraw n1", "I cannot find n1."),  # o1 exists, but it is an offer
    ],
)
async def test_withdraw_missing_records(bot_en: Harness, command: str, answer: str) -> None:
    await bot_en.answer("!offer knitting")
    assert await bot_en.answer(command) == answer


async def test_withdraw_needs_an_offer_or_need_reference(bot_en: Harness) -> None:
    text = await bot_en.answer("!withdraw c1")
    assert text.startswith("c1 is not a valid reference here; it looks like o12 n12.")


async def test_user_text_is_escaped_in_html(bot_en: Harness) -> None:
    reply = await bot_en.say("!offer <b>woodworking</b> : <script>x</script>")
    assert reply is not None
    assert "<b>woodworking</b>" in reply.text.plain
    assert "&lt;b&gt;woodworking&lt;/b&gt;" in reply.text.html
    listing = await bot_en.say("!offers")
    assert listing is not None
    assert "<script>" not in listing.text.html
    assert "&lt;script&gt;" in listing.text.html


async def test_names_come_from_the_latest_display_name(bot_en: Harness) -> None:
    await bot_en.answer("!offer knitting", BOB)
    await bot_en.send(replace(bot_en.message("!help", BOB), sender_name="Robert"))
    assert "Robert" in await bot_en.answer("!offers")
