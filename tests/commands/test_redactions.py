"""Who may undo a ✅ confirmation or a clicked vote by redacting the event that made it.

Chloé confirmed Bob's c1 with a ✅ and clicked "yes" on p1, both in ROOM. A redaction
naming either event undoes it only when sent in ROOM, by Chloé or by a moderator of ROOM.
The homeserver cannot be relied on for it: Synapse refuses a redaction naming an event of
another room (and withholds one it cannot check), but other servers judge by their own
rules, and a room may let members below the bot's moderators redact.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.messages import IncomingPollResponse, IncomingReaction
from bot.store import contributions, polls
from bot.store.database import Database
from tests.commands.conftest import ALICE, BOB, CHLOE, ROOM, Harness, community
from tests.commands.test_contributions import last_reply_id

ELSEWHERE = "!alices-own-room:test"


@dataclass(frozen=True)
class Redacter:
    name: str
    sender: str
    room: str
    levels: dict[tuple[str, str], float]
    undoes: bool


REDACTERS = [
    Redacter("the sender herself", CHLOE, ROOM, {}, undoes=True),
    Redacter("a moderator of the room", ALICE, ROOM, {(ROOM, ALICE): 50}, undoes=True),
    Redacter("a member just below moderators", ALICE, ROOM, {(ROOM, ALICE): 49}, undoes=False),
    Redacter(
        "the admin of another room", ALICE, ELSEWHERE, {(ELSEWHERE, ALICE): 100}, undoes=False
    ),
    Redacter(
        "a moderator of the room, from another room",
        ALICE,
        ELSEWHERE,
        {(ROOM, ALICE): 50, (ELSEWHERE, ALICE): 100},
        undoes=False,
    ),
    Redacter("the sender herself, from another room", CHLOE, ELSEWHERE, {}, undoes=False),
]


async def confirmed_and_voted(database: Database) -> tuple[Harness, str, str]:
    """Chloé's ✅ on c1 and her click on p1: the bot and the two events' ids."""
    bot = community(database, "en")
    await bot.answer("!contribute 2h habitat : roof", BOB)
    chloes_check = await bot.react(last_reply_id(bot), "✅", sender=CHLOE)
    await bot.answer("!poll Paint the yard? | yes | no", BOB)
    click = IncomingPollResponse(
        "$chloes-click", ROOM, CHLOE, bot.transport.polls[0].event_id, ("1",), bot.clock.now()
    )
    await bot.dispatcher.handle_poll_response(click)
    return bot, chloes_check, click.event_id


async def standing(bot: Harness) -> tuple[bool, bool]:
    """Whether c1 is still confirmed, and whether Chloé's click still counts."""
    async with bot.database.transaction() as tx:
        found = await contributions.get(tx, 1)
        [response] = await polls.responses(tx, 1)
    assert found is not None
    return found.confirmations == 1, not response.redacted


async def test_both_records_stand_until_redacted(database: Database) -> None:
    bot, _, _ = await confirmed_and_voted(database)
    assert await standing(bot) == (True, True)


@pytest.mark.parametrize("redacter", REDACTERS, ids=lambda redacter: redacter.name)
async def test_a_redaction_against_each_redacter(database: Database, redacter: Redacter) -> None:
    bot, check, click = await confirmed_and_voted(database)
    bot.transport.levels.update(redacter.levels)
    await bot.redact(check, sender=redacter.sender, room=redacter.room)
    await bot.redact(click, sender=redacter.sender, room=redacter.room)
    assert await standing(bot) == (not redacter.undoes, not redacter.undoes)


async def test_a_check_from_another_room_confirms_nothing(database: Database) -> None:
    """A confirmation belongs to its contribution's room, where taking it back is judged."""
    bot = community(database, "en")
    await bot.answer("!contribute 2h habitat : roof", BOB)
    record = last_reply_id(bot)
    check = IncomingReaction("$check", ELSEWHERE, CHLOE, "Chloé", record, "✅", bot.clock.now())
    await bot.dispatcher.handle_reaction(check)
    async with bot.database.transaction() as tx:
        found = await contributions.get(tx, 1)
    assert found is not None
    assert found.confirmations == 0
