"""A look-alike on a real Synapse: Mallory takes the name Element shows for Alice beside a
second Alice, ``Alice (@alice:server)``, and is thanked for nothing of Alice's."""

from __future__ import annotations

import sqlite3

import pytest

from bot.app import running
from tests.e2e.conftest import World

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]


async def test_an_impostor_of_alices_name_is_never_thanked_in_her_place(world: World) -> None:
    alice = await world.member("alice")
    bob = await world.member("bob")
    mallory = await world.member("mallory")
    room = await alice.create_room(
        "look-alikes", invite=[world.bot_user, bob.user_id, mallory.user_id]
    )
    await bob.join(room)
    await mallory.join(room)
    config = world.config(rooms=[room])
    impostor = f"Alice ({alice.user_id})"
    async with running(config):
        await bob.wait_membership(room, world.bot_user, "join")
        await alice.set_display_name("Alice")
        await mallory.set_display_name(impostor)
        users = bob.client.rooms[room].users
        await bob.wait_until(
            lambda: (users[alice.user_id].name, users[mallory.user_id].name) == ("Alice", impostor)
        )
        asked = await bob.answer_to(await bob.say(room, "!thanks Alice 1h : lent a ladder"))
        copied = await bob.answer_to(await bob.say(room, f'!thanks "{impostor}" 1h : a rope'))
        await mallory.answer_to(await mallory.say(room, "!offer pottery"))
        listing = await bob.answer_to(await bob.say(room, "!offers"))
    with sqlite3.connect(config.database.path) as connection:
        thanked = connection.execute("SELECT member FROM contribution").fetchall()
    assert thanked == []
    both = f"Alice ({alice.user_id}), {impostor} ({mallory.user_id})"
    assert asked.body.startswith(f"Alice could be {both}.")
    assert copied.body.startswith(f"{impostor} could be {both}.")
    assert f" · {impostor} ({mallory.user_id}) · pottery" in listing.body
