"""Consent proposals: a proposal passes unless someone objects with a reason; an objection
is never outweighed; the author may amend, which opens a new round."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.store import polls
from bot.store.database import Database
from tests.commands.conftest import ALICE, BOB, CHLOE, Harness, community
from tests.commands.test_polls import click


@pytest.fixture
def en(database: Database) -> Harness:
    return community(database, "en")


async def outcome(bot: Harness, number: int = 1) -> list[str]:
    bot.clock.advance(timedelta(minutes=1))
    await bot.answer(f"!poll close p{number}")
    return bot.transport.posted[-1].text.plain.splitlines()


async def test_a_proposal_is_a_native_poll_of_consent_objection_and_abstention(
    en: Harness,
) -> None:
    reply = await en.answer("!proposal We repaint the workshop in March", ALICE)
    assert reply.startswith(
        "Proposal p1 is open: “We repaint the workshop in March”. It passes unless someone "
        "objects with a reason: consent, abstain, or object with !object p1 : …."
    )
    [card] = en.transport.polls
    assert card.answers == ("I consent", "I object", "Abstain")
    assert card.max_selections == 1


async def test_without_objection_it_is_adopted(en: Harness) -> None:
    await en.answer("!proposal We repaint the workshop in March", ALICE)
    await click(en, 1, ("1",), BOB, 10)
    await click(en, 1, ("3",), CHLOE, 20)
    assert (await outcome(en))[1:] == [
        "Consent: 1 (weight 1); objections: 0; abstentions: 1.",
        "Adopted: no objection stands.",
    ]


async def test_one_reasoned_objection_outweighs_any_consent(en: Harness) -> None:
    """Bob weighs more than Chloé; her objection still stands in the way."""
    await en.answer("!contribute 40h habitat : the roof", BOB)
    await en.answer("!confirm c1", ALICE)
    await en.answer("!proposal We repaint the workshop in March", ALICE)
    await click(en, 1, ("1",), BOB, 10)
    await click(en, 1, ("1",), ALICE, 15)
    objected = await en.say("!object p1 : the paint budget is not voted yet", CHLOE)
    assert objected is not None
    assert objected.text.plain == (
        "Objection to p1 recorded: the paint budget is not voted yet. It stands until you "
        "vote otherwise."
    )
    [listed] = en.transport.posted  # the reason, in the proposal's thread, with the name
    assert listed.text.plain == "Objection from Chloe to p1: the paint budget is not voted yet"
    assert listed.thread_root == en.transport.polls[0].event_id
    assert (await outcome(en))[1:] == [
        "Consent: 2 (weight 3.34); objections: 1; abstentions: 0.",
        "Objections to address:",
        "• Chloé: the paint budget is not voted yet",  # as the room shows her
    ]


async def test_a_click_on_objection_asks_for_the_reason_and_pings(en: Harness) -> None:
    await en.answer("!proposal We repaint the workshop in March", ALICE)
    await click(en, 1, ("2",), BOB, 10)
    [asked] = en.transport.sent[-1:]
    assert asked.text.plain == "You object to p1: what is the reason? !object p1 : …"
    assert asked.mentions == (BOB,)
    assert asked.thread_root == en.transport.polls[0].event_id
    lines = await outcome(en)
    assert lines[-2:] == ["Objections to address:", "• Bob Martin: (no reason given yet)"]


async def test_an_objection_taken_back_no_longer_stands(en: Harness) -> None:
    await en.answer("!proposal We repaint the workshop in March", ALICE)
    await en.answer("!object p1 : not now", BOB)
    en.clock.advance(timedelta(seconds=5))
    await en.answer("!vote p1 1", BOB)
    assert (await outcome(en))[-1] == "Adopted: no objection stands."
    async with en.database.transaction() as tx:
        assert await polls.objections(tx, 1) == {}


async def test_the_author_amends_into_a_new_round_and_the_old_one_says_so(en: Harness) -> None:
    await en.answer("!proposal --quorum 50% We repaint the workshop in March", ALICE)
    await en.answer("!object p1 : March is too cold", BOB)
    assert (await en.answer("!proposal amend p1 : We repaint it in April", BOB)) == (
        "Only whoever put p1 forward can amend it."
    )
    en.clock.advance(timedelta(minutes=1))
    reply = await en.answer("!proposal amend p1 : We repaint it in April", ALICE)
    assert reply.splitlines()[-1] == "A new round: it amends p1, which closes now."
    old = en.transport.posted[-1].text.plain.splitlines()
    assert old[0] == "Outcome of proposal p1 — “We repaint the workshop in March”"
    assert old[-1] == "Amended: the next round is p2."
    async with en.database.transaction() as tx:
        new = await polls.get(tx, 2)
    assert new is not None
    assert (new.amends, new.quorum.heads, new.is_open) == (1, 0.5, True)
    await click(en, 2, ("1",), ALICE, 10)
    await click(en, 2, ("1",), BOB, 20)
    lines = await outcome(en, 2)
    assert lines[-2:] == ["Quorum reached.", "Adopted: no objection stands."]


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("!object p1", "An objection needs its reason"),
        ("!object p1 :   ", "An objection needs its reason"),
        ("!object p9 : no", "I find no proposal p9 in this room."),
        ("!proposal", "Write the proposal after the command"),
    ],
)
async def test_bad_proposals_and_objections_are_explained(
    en: Harness, text: str, start: str
) -> None:
    await en.answer("!proposal We repaint the workshop in March", ALICE)
    assert (await en.answer(text, BOB)).startswith(start)


async def test_in_french(database: Database) -> None:
    bot = community(database, "fr")
    assert (await bot.answer("!proposition On repeint l'atelier en mars")).startswith(
        "Proposition p1 ouverte"
    )
    assert bot.transport.polls[0].answers == ("Je consens", "J'objecte", "Je m'abstiens")
    assert (await bot.answer("!objecter p1 : trop froid", BOB)).startswith(
        "Objection à p1 notée : trop froid."
    )


async def test_a_proposal_may_start_with_the_word_amend(en: Harness) -> None:
    reply = await en.answer("!proposal Amend the statutes: article 3 goes", ALICE)
    assert reply.startswith("Proposal p1 is open: “Amend the statutes: article 3 goes”.")
    assert (await en.answer("!proposal amend p1", ALICE)).startswith(
        "Write the proposal after the command"
    )


async def test_my_objections_are_in_mydata_and_forgotten_with_me(en: Harness) -> None:
    await en.answer("!proposal We repaint the workshop in March", ALICE)
    await en.answer("!object p1 : March is too cold", BOB)
    preview = await en.answer("!forget me", BOB)
    assert "• objections you raised, with their reasons: 1" in preview
    await en.answer("!forget me confirm", BOB)
    async with en.database.transaction() as tx:
        assert await polls.objections(tx, 1) == {}
