"""Pings as Element's SDK and the homeserver see them, on the server's default push rules
(untouched): the member a ``!thanks`` names is notified with a highlight, no one else is.

Only a mention is at stake for the others: on the default rules every ``m.text`` in a group
room gives each member a plain notification (``.m.rule.message``: no highlight, no sound),
while an ``m.notice`` gives nobody any, a mention included (``.m.rule.suppress_notices``).
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.app import running
from tests.e2e.conftest import World
from tests.interop.conftest import JsMembers

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]


def highlights(actions: list[Any]) -> bool:
    """``set_tweak: highlight`` without a value means true."""
    return any(
        isinstance(action, dict)
        and action.get("set_tweak") == "highlight"
        and action.get("value", True)
        for action in actions
    )


async def test_thanks_notifies_the_member_it_names_and_no_one_else(
    world: World, js: JsMembers
) -> None:
    carol, dave, erin = [await js.member(name) for name in ("carol", "dave", "erin")]
    alice = await world.member("alice")
    room = await alice.create_room(
        "ledger", invite=[world.bot_user, carol.user_id, dave.user_id, erin.user_id]
    )
    for member in (carol, dave, erin):
        await member.join(room)
    bot = world.bot_user
    name = dave.user_id[1:].split(":")[0]  # a fresh account's display name
    pill = f'<a href="https://matrix.to/#/{dave.user_id}">{name}</a>'
    async with running(world.config(rooms=[room])):
        await carol.wait_for(room_id=room, sender=bot, type="m.room.member")
        # As Element sends a pill picked from the composer's autocomplete.
        thanks = await carol.say(
            room,
            f"!thanks {name} 2h habitat : fixed the boiler",
            html=f"!thanks {pill} 2h habitat : fixed the boiler",
            mentions=[dave.user_id],
        )
        for_dave = await dave.wait_for(sender=bot, reply_to=thanks)
        for_erin = await erin.wait_for(sender=bot, reply_to=thanks)
        dave_notified = await dave.notifications()
        erin_notified = await erin.notifications()

    assert for_dave.content["m.mentions"] == {"user_ids": [dave.user_id]}
    by_server = {n["event"]["event_id"]: n["actions"] for n in dave_notified}
    assert for_dave.event_id in by_server, (
        f"the homeserver did not notify the pinged member; js-sdk's rule: {for_dave.push.rule}"
    )
    assert highlights(by_server[for_dave.event_id])
    assert for_dave.push.notify, f"js-sdk's rule: {for_dave.push.rule}"
    assert for_dave.push.highlight, f"js-sdk's rule: {for_dave.push.rule}"
    assert not any(
        highlights(n["actions"])
        for n in erin_notified
        if n["event"]["event_id"] == for_erin.event_id
    )
    assert not for_erin.push.highlight, f"js-sdk's rule: {for_erin.push.rule}"
