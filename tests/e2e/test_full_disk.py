"""A full disk against a real Synapse: every command is answered, none silently dropped,
none done twice, and the bot recovers by itself once space returns.

SQLite is made to run out of room for real (``max_page_count`` on the bot's connection
makes every write that grows the file fail with SQLITE_FULL), portable where mounting a
small tmpfs is not allowed.
"""

from __future__ import annotations

import sqlite3

import pytest

from bot.app import running
from bot.store.database import Database
from tests.e2e.conftest import World

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]

UNSAVED = "nothing was saved"


async def cap_growth(database: Database, pages: int | None) -> None:
    """Cap the file at its current size plus ``pages`` (None lifts the cap)."""
    async with database.transaction() as tx:
        if pages is None:
            await tx.execute("PRAGMA max_page_count = 1073741823")
        else:
            size = int(await tx.fetch_value("PRAGMA page_count"))
            await tx.execute(f"PRAGMA max_page_count = {size + pages}")


async def test_a_full_disk_is_answered_and_the_bot_recovers_when_space_returns(
    world: World,
) -> None:
    alice = await world.member("alice")
    room = await alice.create_room("full", invite=[world.bot_user])
    config = world.config(rooms=[room], rate_limit={"burst": 100})
    details = "a long description of the work, " * 12  # each record needs a new page
    async with running(config) as bot:
        await alice.wait_membership(room, world.bot_user, "join")
        await alice.answer_to(await alice.say(room, "!offer welding"))
        assert bot.database is not None
        await cap_growth(bot.database, 0)
        refused = [
            await alice.say(room, f"!contribute {hours}h habitat : {details}")
            for hours in range(1, 6)
        ]
        answers = [await alice.answer_to(sent, timeout=30) for sent in refused]
        assert all(UNSAVED in answer.body for answer in answers), [a.body for a in answers]
        await cap_growth(bot.database, None)
        retried = await alice.say(room, f"!contribute 7h habitat : {details}")
        assert "Contribution c1 recorded" in (await alice.answer_to(retried, timeout=30)).body
    async with running(config):  # a restart brings nothing refused back
        last = await alice.say(room, "!help")
        await alice.answer_to(last, timeout=30)
    for sent in [*refused, retried]:
        assert len([seen for seen in alice.seen if seen.replies_to == sent]) == 1
    with sqlite3.connect(config.database.path) as connection:
        hours = connection.execute("SELECT minutes FROM contribution").fetchall()
        waiting = connection.execute("SELECT count(*) FROM intake").fetchone()
    assert hours == [(7 * 60,)]
    assert waiting == (0,)
