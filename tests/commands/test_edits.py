"""Members fix typos by editing: a command that failed is run as corrected, one that was
done is not run again, and its first edit says so."""

from __future__ import annotations

from dataclasses import replace

from bot.store import listings
from bot.store.database import Database
from tests.commands.conftest import ALICE, Harness, make_config


async def edit(bot: Harness, original: str, body: str) -> list[str]:
    """Send an edit of the message ``original``; the bot's replies, as plain text."""
    message = replace(bot.message(body, ALICE), edits=original)
    return [reply.text.plain for reply in await bot.send(message)]


async def open_offers(bot: Harness) -> int:
    async with bot.database.transaction() as tx:
        return len(await listings.of_member(tx, ALICE, open_only=True))


async def test_a_misspelt_command_runs_once_corrected(database: Database) -> None:
    bot = Harness(database, make_config("en"))
    typo = bot.message("!ofer woodworking 3 : the router", ALICE)
    [refused] = [reply.text.plain for reply in await bot.send(typo)]
    assert refused.startswith("!ofer is not a command I know.")
    [recorded] = await edit(bot, typo.event_id, "!offer woodworking 3 : the router")
    assert recorded.startswith("Offer o1 recorded")
    assert await open_offers(bot) == 1
    # Edited again, now that it was done: not run a second time, and said once.
    [hint] = await edit(bot, typo.event_id, "!offer woodworking 4 : the router")
    assert hint == (
        "I do not run an edited command again: its first version was already done. "
        "To change what it did, send a new command."
    )
    assert await edit(bot, typo.event_id, "!offer woodworking 5 : the router") == []
    assert await open_offers(bot) == 1


async def test_a_command_that_was_done_is_not_run_again_when_edited(database: Database) -> None:
    bot = Harness(database, make_config("fr"))
    done = bot.message("!offre menuiserie 3 : la défonceuse", ALICE)
    await bot.send(done)
    [hint] = await edit(bot, done.event_id, "!offre menuiserie 4 : la défonceuse")
    assert hint.startswith("Je ne rejoue pas une commande modifiée")
    assert await open_offers(bot) == 1


async def test_the_reply_to_an_edit_quotes_the_message_members_see(database: Database) -> None:
    bot = Harness(database, make_config("en"))
    typo = bot.message("!ofer woodworking 3 : the router", ALICE)
    await bot.send(typo)
    message = replace(bot.message("!offer woodworking 3 : x", ALICE), edits=typo.event_id)
    [reply] = await bot.send(message)
    assert reply.in_reply_to == typo.event_id
