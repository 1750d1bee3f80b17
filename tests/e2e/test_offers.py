"""Offers and needs between real members on a real homeserver."""

from __future__ import annotations

import pytest

from bot.app import running
from tests.e2e.conftest import World

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]


async def test_an_offer_then_a_need_names_the_helper_without_pinging(world: World) -> None:
    alice = await world.member("alice")
    bob = await world.member("bob")
    room = await alice.create_room("atelier", invite=[world.bot_user, bob.user_id])
    await bob.join(room)
    async with running(world.config(language="fr", rooms=[room])):
        await alice.wait_membership(room, world.bot_user, "join")
        offer = await bob.answer_to(await bob.say(room, "!offre menuiserie 4 : chantiers"))
        need = await alice.answer_to(await alice.say(room, "!besoin Menuiseries 1"))
        listing = await alice.answer_to(await alice.say(room, "!offres"))
    assert offer.body.startswith("Offre o1 notée : menuiserie, niveau 4")
    bob_name = bob.user_id[1:].split(":")[0]
    assert f"Peuvent vous aider : {bob_name} (niveau 4, o1)." in need.body
    assert need.content["m.mentions"] == {}
    assert "o1 · " in listing.body
    assert "chantiers" in listing.body


async def test_a_misspelt_command_fixed_by_an_edit_runs_once(world: World) -> None:
    alice = await world.member("alice")
    room = await alice.create_room("edits", invite=[world.bot_user])
    async with running(world.config(rooms=[room], rate_limit={"burst": 20})):
        await alice.wait_membership(room, world.bot_user, "join")
        typo = await alice.say(room, "!ofer woodworking 3 : the router")
        refused = await alice.answer_to(typo)
        await alice.edit(room, typo, "!offer woodworking 3 : the router")
        recorded = await alice.wait_for(
            lambda seen: seen.replies_to == typo and seen.body.startswith("Offer o1")
        )
        await alice.edit(room, typo, "!offer woodworking 4 : the router")
        hint = await alice.wait_for(
            lambda seen: seen.replies_to == typo and seen.body.startswith("I do not run")
        )
        profile = await alice.answer_to(await alice.say(room, "!profile"))
    assert refused.body.startswith("!ofer is not a command I know.")
    assert recorded.sender == hint.sender == world.bot_user
    assert profile.body.count("woodworking") == 1  # the second edit did not run
