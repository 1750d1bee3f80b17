"""Who may act on others' records: every moderating command against every standing.

Bob's offer, poll and Chloé's match with him were all made in ROOM. Alice tries each
command as a plain member, as a moderator of ROOM (typing there), as the admin of a room
of her own (typing there), as a community moderator (listed, or by power in the moderation
room), and once demoted. Power in one room never reaches another.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from bot.store import listings, matches, polls
from bot.store.database import Database
from tests.commands.conftest import ALICE, BOB, CHLOE, NAMES, ROOM, Harness, make_config

ELSEWHERE = "!alices-own-room:test"
MODERATION = "!moderation:test"


NOTHING = (False, False, False, False, False)
EVERYTHING = (True, True, True, True, True)


@dataclass(frozen=True)
class Role:
    name: str
    typed_in: str
    levels: dict[tuple[str, str], float]
    # what Alice may do: withdraw o1, close p1, cancel m1, !status, !digest preview
    allowed: tuple[bool, bool, bool, bool, bool]
    listed: bool = False


ROLES = [
    Role("member", ROOM, {}, NOTHING),
    Role("moderator of this room", ROOM, {(ROOM, ALICE): 50}, (True, True, False, False, False)),
    Role("admin of her own room", ELSEWHERE, {(ELSEWHERE, ALICE): 100}, NOTHING),
    Role("listed moderator", ELSEWHERE, {}, EVERYTHING, listed=True),
    Role("moderator of the moderation room", ELSEWHERE, {(MODERATION, ALICE): 50}, EVERYTHING),
    Role("demoted", ELSEWHERE, {(MODERATION, ALICE): 0, (ELSEWHERE, ALICE): 100}, NOTHING),
]


async def made_in_room(database: Database, role: Role) -> Harness:
    config = make_config(
        "en",
        rate_limit={"burst": 100},
        moderation_room=MODERATION,
        moderators=[ALICE] if role.listed else [],
    )
    bot = Harness(database, config)
    bot.transport.members[ROOM] = dict(NAMES)
    await bot.answer("!offer welding 4", BOB)
    await bot.answer("!poll Paint the yard? | yes | no", BOB)
    await bot.answer("!need welding 1", CHLOE)
    await bot.answer("!match ask o1", CHLOE)
    bot.transport.levels.update(role.levels)
    return bot


async def alice_types(bot: Harness, role: Role, body: str) -> str:
    message = replace(bot.message(body, ALICE), room_id=role.typed_in)
    [reply] = await bot.send(message)
    return reply.text.plain


async def withdrew(bot: Harness) -> bool:
    async with bot.database.transaction() as tx:
        offer = await listings.get(tx, 1)
    assert offer is not None
    return not offer.is_open


async def closed(bot: Harness) -> bool:
    async with bot.database.transaction() as tx:
        poll = await polls.get(tx, 1)
    assert poll is not None
    return not poll.is_open


async def cancelled(bot: Harness) -> bool:
    async with bot.database.transaction() as tx:
        match = await matches.get(tx, 1)
    assert match is not None
    return match.state == "cancelled"


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.name)
async def test_each_moderating_command_against_each_standing(
    database: Database, role: Role
) -> None:
    bot = await made_in_room(database, role)
    await alice_types(bot, role, "!match cancel m1")
    did_cancel = await cancelled(bot)  # read now: withdrawing o1 would end it too
    await alice_types(bot, role, "!poll close p1")
    await alice_types(bot, role, "!withdraw o1")
    status = await alice_types(bot, role, "!status")
    preview = await alice_types(bot, role, "!digest preview")
    assert (
        await withdrew(bot),
        await closed(bot),
        did_cancel,
        status.startswith("Compagnon"),
        not preview.startswith("Only moderators"),
    ) == role.allowed
