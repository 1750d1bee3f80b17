"""The ledger against a real Synapse: a thanks by pill, a contribution, a ✅ and its removal."""

from __future__ import annotations

import pytest

from bot.app import running
from bot.config import ContributionsConfig
from bot.matrix.member import MemberClient
from tests.e2e.conftest import World

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]


def localpart(member: MemberClient) -> str:
    """The display name a fresh account has."""
    return member.user_id[1:].split(":")[0]


async def test_thanks_by_pill_then_a_reaction_confirms_and_its_removal_withdraws(
    world: World,
) -> None:
    alice = await world.member("alice")
    bob = await world.member("bob")
    chloe = await world.member("chloe")
    await bob.client.set_displayname("Bob Builder")  # two words: only the pill says who
    room = await alice.create_room("ledger", invite=[world.bot_user, bob.user_id, chloe.user_id])
    await bob.join(room)
    await chloe.join(room)
    config = world.config(rooms=[room]).model_copy(
        update={"contributions": ContributionsConfig(confirmations_required=2)}
    )
    pill = f'<a href="https://matrix.to/#/{bob.user_id}">Bob Builder</a>'
    async with running(config):
        await alice.wait_membership(room, world.bot_user, "join")
        thanks = await alice.say(
            room,
            "!thanks Bob Builder : fixed the door",
            html=f"!thanks {pill} : fixed the door",
            mentions=[bob.user_id],
        )
        thanked = await alice.answer_to(thanks)

        contribution = await bob.say(room, "!contribute 2h habitat : painted the <workshop>")
        recorded = await bob.answer_to(contribution)
        reaction = await chloe.react(room, recorded.event_id, "✅")
        by_alice = await alice.answer_to(await alice.say(room, "!confirm c2"))

        await chloe.redact(room, reaction)
        by_chloe = await chloe.answer_to(await chloe.say(room, "!confirm c2"))
        await _seen_by(alice, by_chloe.event_id)

    # Reactions are silent: the bot answered the four commands and nothing else.
    assert len([seen for seen in alice.seen if seen.sender == world.bot_user]) == 4

    assert thanked.body.splitlines() == [
        f"{localpart(alice)} thanks Bob Builder! Contribution c1 recorded: fixed the door",
        "To be confirmed: 1 witness (2 needed); 1 more and it counts.",
        "A witness confirms it with !confirm c1, or by reacting ✅ or 👍 to this message.",
    ]
    assert thanked.content["m.mentions"] == {"user_ids": [bob.user_id]}
    assert thanked.content["msgtype"] == "m.text"  # a mention in a notice never notifies

    assert recorded.body.splitlines()[:2] == [
        "Contribution c2 recorded: 2h in habitat — painted the <workshop>",
        "To be confirmed: 0 witnesses (2 needed); 2 more and it counts.",
    ]
    assert recorded.html is not None
    assert "painted the &lt;workshop&gt;" in recorded.html
    assert recorded.content["m.mentions"] == {}
    assert recorded.content["msgtype"] == "m.notice"  # pings nobody: stays quiet

    # Chloé's ✅ was the first confirmation: Alice's makes two.
    assert by_alice.body.splitlines() == [
        f"Thank you {localpart(alice)}! You confirm c2: Bob Builder, "
        "2h in habitat — painted the <workshop>",
        "Confirmed: 2 witnesses (2 needed); it counts.",
    ]
    # Her ✅ taken back, Chloé's typed confirmation is new, not "already confirmed".
    assert by_chloe.body.splitlines() == [
        f"Thank you {localpart(chloe)}! You confirm c2: Bob Builder, "
        "2h in habitat — painted the <workshop>",
        "Confirmed: 2 witnesses (2 needed); it counts.",
    ]


async def _seen_by(member: MemberClient, event_id: str) -> None:
    await member.wait_for(lambda seen: seen.event_id == event_id)
