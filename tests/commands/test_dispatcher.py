"""The dispatcher's promises: one answer per command, never a crash, never twice."""

from __future__ import annotations

import logging
import math
import re
from datetime import timedelta

import pytest

from bot.commands.dispatcher import Context
from bot.commands.router import NotFound, RestOfLine, Router
from bot.i18n import Text
from bot.store import events
from bot.store.database import Database
from tests.commands.conftest import ALICE, BOB, ROOM, Harness, make_config


async def test_help_lists_every_command_with_its_usage(bot: Harness) -> None:
    text = await bot.answer("!aide")
    assert "!aide [commande]" in text
    assert "!etat" in text
    assert "réservé aux modérateur·ices" in text


async def test_english_and_french_names_both_work_and_answers_follow_the_language(
    bot_en: Harness,
) -> None:
    english = await bot_en.answer("!help")
    french_alias = await bot_en.answer("!aide")
    assert english == french_alias
    assert "!help [command]" in english


async def test_help_for_one_command_shows_usage_and_examples(bot_en: Harness) -> None:
    text = await bot_en.answer("!help status")
    assert text.splitlines()[0] == "!status"
    assert "Examples: !status" in text
    assert "(moderators only)" in text


async def test_help_for_an_unknown_command_says_so(bot_en: Harness) -> None:
    assert await bot_en.answer("!help frobnicate") == "I know no command named frobnicate."


async def test_unknown_command_suggests_the_closest(bot: Harness) -> None:
    text = await bot.answer("!aidez")
    assert "!aidez n'est pas une commande que je connais." in text
    assert "Vouliez-vous dire !aide ?" in text


@pytest.mark.parametrize(
    ("typed", "french", "english"),
    [
        ("profle", "!profil", "!profile"),  # nearer the English name
        ("projet", "!objecter", "!object"),  # nearer an English name than any French one
        ("sondag", "!sondage", "!poll"),  # a French name typed in an English room
        ("oblier", "!oublie", "!forget"),
    ],
)
async def test_the_closest_command_is_named_in_the_room_language(
    bot: Harness, typed: str, french: str, english: str
) -> None:
    """Both languages' names are searched; the answer names the command as the room's
    language does."""
    assert f"Vouliez-vous dire {french} ?" in await bot.answer(f"!{typed}")
    en = bot.restarted(make_config("en"))
    assert f"Did you mean {english}?" in await en.answer(f"!{typed}")


async def test_help_shows_the_examples_of_the_room_language(bot: Harness) -> None:
    assert (await bot.answer("!aide oublie")).splitlines()[-1] == (
        "Exemples : !oublie moi · !oublie moi confirmer"
    )
    assert (
        (await bot.answer("!aide binome"))
        .splitlines()[-1]
        .endswith(
            "!binome fini m5 : clair et patient, merci ! · !binome fini m5 --clore · "
            "!binome annuler m5"
        )
    )
    bot_en = bot.restarted(make_config("en"))
    assert (await bot_en.answer("!help forget")).splitlines()[-1] == (
        "Examples: !forget me · !forget me confirm"
    )


async def test_unknown_command_without_a_close_one_points_to_help(bot_en: Harness) -> None:
    text = await bot_en.answer("!xyzzy")
    assert "Did you mean" not in text
    assert "Type !help for the list of commands." in text


async def test_bad_arguments_give_reason_usage_and_example(bot_en: Harness) -> None:
    text = await bot_en.answer("!help status now")
    assert text.splitlines() == [
        "I did not understand now at the end.",
        "Usage: !help [command]",
        "Example: !help",
    ]


async def test_an_unclosed_quote_is_explained(bot_en: Harness) -> None:
    assert "A quote is opened but never closed." in await bot_en.answer('!help "status')


@pytest.mark.parametrize("body", ["hello", "!", "!!!", "! help", "!?", "", "help"])
async def test_messages_that_are_not_commands_get_silence(bot: Harness, body: str) -> None:
    assert await bot.say(body) is None


async def test_a_reply_answers_the_command_inside_its_thread(bot: Harness) -> None:
    message = bot.message("!aide", thread_root="$root")
    [reply] = await bot.send(message)
    assert reply.in_reply_to == message.event_id
    assert reply.thread_root == "$root"
    assert reply.room_id == ROOM


async def test_the_same_event_is_answered_once(bot: Harness) -> None:
    message = bot.message("!aide")
    assert len(await bot.send(message)) == 1
    assert await bot.send(message) == []
    async with bot.database.transaction() as tx:
        assert await events.is_handled(tx, message.event_id)


async def test_a_refused_command_is_not_answered_twice_either(bot: Harness) -> None:
    message = bot.message("!inconnue")
    assert len(await bot.send(message)) == 1
    assert await bot.send(message) == []


async def test_user_text_is_escaped_in_html_and_kept_in_plain_text(bot_en: Harness) -> None:
    reply = await bot_en.say("!x<b>bold</b>&amp;")
    assert reply is not None
    assert "!x<b>bold</b>&amp;" in reply.text.plain
    assert "<b>bold" not in reply.text.html
    assert "!x&lt;b&gt;bold&lt;/b&gt;&amp;amp;" in reply.text.html


async def test_status_is_for_moderators_only(bot_en: Harness) -> None:
    assert await bot_en.answer("!status", BOB) == "Only moderators can use !status."


MODERATION = "!moderation:test"


@pytest.mark.parametrize("level", [50, 100, math.inf])
async def test_status_answers_moderators_of_the_moderation_room(
    database: Database, level: float
) -> None:
    bot = Harness(database, make_config("en", moderation_room=MODERATION))
    bot.transport.levels[(MODERATION, ALICE)] = level
    text = await bot.answer("!status")
    assert re.search(r"serving \d+ room\(s\) · database schema v\d+", text)


async def test_below_the_moderator_level_is_not_enough(database: Database) -> None:
    bot = Harness(database, make_config("en", moderation_room=MODERATION))
    bot.transport.levels[(MODERATION, ALICE)] = 49
    assert await bot.answer("!status") == "Only moderators can use !status."


async def test_power_in_the_room_of_the_command_is_not_community_standing(
    database: Database,
) -> None:
    """A member who is admin of a room of her own, with the bot in it, is no moderator of
    the community: !status reads every room."""
    bot = Harness(database, make_config("en", moderation_room=MODERATION))
    bot.transport.levels[(ROOM, ALICE)] = 100
    assert await bot.answer("!status") == "Only moderators can use !status."


async def test_listed_moderators_need_no_power_level(database: Database) -> None:
    bot = Harness(database, make_config("en", moderators=[BOB]))
    assert "Compagnon" in await bot.answer("!status", BOB)


async def test_status_counts_rooms_and_answered_commands(database: Database) -> None:
    bot_en = Harness(database, make_config("en", moderators=[ALICE]))
    async with bot_en.database.transaction() as tx:
        await events.record_room_joined(tx, ROOM, bot_en.clock.now())
    await bot_en.answer("!help")
    bot_en.clock.advance(timedelta(hours=2))
    text = await bot_en.answer("!status")
    assert "Up for 2 h ·" in text
    assert "serving 1 room(s)" in text
    assert "2 command(s) answered in the last 24 h" in text  # !help, and this !status


async def test_an_oversized_message_is_refused_with_the_limit(bot_en: Harness) -> None:
    text = await bot_en.answer("!help " + "x" * 3000)
    assert "too long for a command (3006 characters; the limit is 2000)" in text


async def test_a_flood_gets_one_polite_notice_while_others_are_answered(bot_en: Harness) -> None:
    for _ in range(5):
        assert await bot_en.say("!help") is not None
    notice = await bot_en.answer("!help")
    assert notice.startswith("You are sending commands faster than I can take them, Alice.")
    assert await bot_en.say("!help") is None
    assert await bot_en.say("!help", BOB) is not None
    bot_en.clock.advance(timedelta(seconds=3))
    assert await bot_en.say("!help") is not None


def _failing_router() -> Router:
    router = Router()

    @router.command("explode", alias="exploser")
    async def explode(ctx: Context) -> Text:
        await events.record_room_joined(ctx.tx, "!written:test", ctx.clock.now())
        raise RuntimeError("boom")

    @router.command("missing", alias="manquant", params=(RestOfLine("command"),))
    async def missing(ctx: Context, command: str) -> Text:
        await events.record_room_joined(ctx.tx, "!written:test", ctx.clock.now())
        raise NotFound("help.unknown", given=command)

    return router


async def test_an_unexpected_error_answers_a_reference_found_in_the_log(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    bot = Harness(database, make_config("en"), [_failing_router()])
    message = bot.message("!explode")
    with caplog.at_level(logging.ERROR):
        [reply] = await bot.send(message)
    match = re.fullmatch(
        r"Something went wrong on my side \(ref ([0-9a-f]{6})\)\. .*", reply.text.plain
    )
    assert match is not None
    assert f"ref {match.group(1)}" in caplog.text
    assert "RuntimeError: boom" in caplog.text
    assert await bot.send(message) == []  # recorded: a restart will not try again
    async with database.transaction() as tx:
        assert await events.room_joined_at(tx, "!written:test") is None  # rolled back


async def test_a_refusal_inside_a_handler_rolls_its_changes_back(database: Database) -> None:
    bot = Harness(database, make_config("en"), [_failing_router()])
    assert await bot.answer("!missing thing") == "I know no command named thing."
    async with database.transaction() as tx:
        assert await events.room_joined_at(tx, "!written:test") is None
