"""``!polls`` and ``!me``: what is open here, and what waits for me, with what to type."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.store import events
from bot.store.database import Database
from tests.commands.conftest import ALICE, BOB, CHLOE, ROOM, Harness, community
from tests.commands.test_polls import click


@pytest.fixture
async def en(database: Database) -> Harness:
    bot = community(database, "en")
    async with database.transaction() as tx:
        await events.record_room_joined(tx, ROOM, bot.clock.now())
    return bot


async def test_open_polls_say_when_they_close_the_quorum_and_whether_i_voted(
    en: Harness,
) -> None:
    await en.answer("!poll --closes 3d --quorum 50% Paint it? | yes | no")
    await en.answer("!poll --closes 5d Which day? | sat | sun")
    await click(en, 1, ("1",), ALICE, 10)
    assert (await en.answer("!polls")).splitlines() == [
        "Open polls here",
        "p1 “Paint it?”, closes Thursday 5 November 2026 at 10:00 (Europe/Paris) — you voted — "
        "quorum: 1 of 2 needed",
        "p2 “Which day?”, closes Saturday 7 November 2026 at 10:00 (Europe/Paris) — "
        "you have not voted: !vote p2 1",
    ]
    en.clock.advance(timedelta(days=6))
    await en.answer("!poll close p1")
    await en.answer("!poll close p2")
    assert await en.answer("!polls") == "No open poll in this room."


async def test_me_gathers_what_waits_for_me_with_the_commands(en: Harness) -> None:
    await en.answer("!poll Paint it? | yes | no", BOB)
    await en.answer("!contribute 3h habitat : the roof", BOB)
    await en.answer("!contribute 2h habitat : the gate", ALICE)
    await en.answer("!contest c2 : it was a team effort", CHLOE)
    assert (await en.answer("!me", ALICE)).splitlines() == [
        "Waiting for you, Alice",
        "• poll p1 “Paint it?”: !vote p1 1",
        "• c1 of Bob awaits a witness (the roof): !confirm c1 if you saw it",
        "• c2, your contribution, is disputed (it was a team effort): a moderator will settle it",
    ]
    await click(en, 1, ("1",), ALICE, 10)
    await en.answer("!confirm c1", ALICE)
    assert "poll p1" not in await en.answer("!me", ALICE)


async def test_nothing_waiting_says_so_in_french(database: Database) -> None:
    bot = community(database, "fr")
    assert await bot.answer("!moi", CHLOE) == "Rien ne vous attend, Chloe."
