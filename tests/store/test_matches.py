"""The matches repository: the history one member's suggestions read is enough for them."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.matching import History, Weights, best_for_need, best_for_offer
from bot.store import listings, matches, skills
from bot.store.database import Database, Transaction
from bot.store.listings import Kind
from bot.store.matches import State

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ROOM = "!room:test"
ALICE, BOB, CHLOE, DAVID = "@alice:test", "@bob:test", "@chloe:test", "@david:test"


async def listing(tx: Transaction, kind: Kind, member: str, skill: int, level: int) -> int:
    return await listings.add(tx, kind, member, skill, level, "", ROOM, T0)


async def pair(tx: Transaction, need: int, offer: int, state: State) -> None:
    found = await listings.get(tx, need), await listings.get(tx, offer)
    assert found[0] is not None
    assert found[1] is not None
    number = await matches.create(
        tx, need, offer, found[0].member, found[1].member, found[0].skill_id, T0
    )
    await matches.set_state(tx, number, state, T0)


async def test_history_around_a_member_scores_their_pairs_as_the_whole_history(
    database: Database,
) -> None:
    async with database.transaction() as tx:
        wood, books, sewing, cooking = [
            await skills.create(tx, name, name) for name in ("wood", "books", "sewing", "cook")
        ]
        alice_needs_wood = await listing(tx, "need", ALICE, wood, 1)
        alice_offers_books = await listing(tx, "offer", ALICE, books, 4)
        await listing(tx, "offer", ALICE, cooking, 3)
        bob_offers_wood = await listing(tx, "offer", BOB, wood, 3)
        bob_needs_books = await listing(tx, "need", BOB, books, 1)
        chloe_offers_wood = await listing(tx, "offer", CHLOE, wood, 2)  # she was declined
        await listing(tx, "need", CHLOE, cooking, 1)
        david_needs_books = await listing(tx, "need", DAVID, books, 2)
        david_offers_wood = await listing(tx, "offer", DAVID, wood, 5)
        david_offers_sewing = await listing(tx, "offer", DAVID, sewing, 4)
        bob_needs_sewing = await listing(tx, "need", BOB, sewing, 1)
        await pair(tx, alice_needs_wood, chloe_offers_wood, "declined")
        await pair(tx, david_needs_books, alice_offers_books, "done")
        await pair(tx, bob_needs_sewing, david_offers_sewing, "declined")  # not Alice's
        whole = await matches.history(tx)
        [alice_need] = await matches.open_needs(tx, {wood})
        [alice_offer] = await matches.open_offers(tx, 2, {books})
        offers = await matches.open_offers(tx, 2, {wood})
        needs = await matches.open_needs(tx, {books, cooking})
        around = await matches.history_around(tx, ALICE, offers, needs, {books, cooking})

    def suggested(history: History) -> set[tuple[int, int, float, bool, bool]]:
        pairs = [
            *best_for_need(alice_need, offers, history, Weights(), T0, 10),
            *best_for_offer(alice_offer, needs, history, Weights(), T0, 10),
        ]
        return {(p.need.id, p.offer.id, p.score, p.reciprocal, p.paired_before) for p in pairs}

    assert suggested(around) == suggested(whole)
    assert {
        (need, offer, reciprocal, before)
        for need, offer, _, reciprocal, before in suggested(around)
    } == {
        (alice_needs_wood, bob_offers_wood, True, False),
        (alice_needs_wood, david_offers_wood, True, False),
        (bob_needs_books, alice_offers_books, True, False),
        (david_needs_books, alice_offers_books, True, True),
    }
    assert (BOB, DAVID, sewing) not in around.declined  # not Alice's: not read
