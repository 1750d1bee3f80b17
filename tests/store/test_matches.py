"""The matches repository: the history one member's suggestions read is enough for them."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.matching import (
    History,
    Need,
    Offer,
    Pair,
    Weights,
    best_for_need,
    best_for_offer,
)
from bot.store import listings, matches, skills
from bot.store.database import Database, Transaction
from bot.store.listings import Kind
from bot.store.matches import State

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=1)
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


def suggestions(
    member: str,
    mine: Sequence[tuple[int, str, int, int]],
    offers: list[Offer],
    needs: list[Need],
    history: History,
    limit: int,
) -> list[tuple[int, int, float, bool, bool]]:
    """What !match would show for ``mine`` ((id, kind, skill, level) of the member's listings)."""
    pairs: list[Pair] = []
    for number, kind, skill, level in mine:
        if kind == "need":
            wanted = Need(number, member, skill, level, T0)
            pairs += best_for_need(wanted, offers, history, Weights(), NOW, limit)
        else:
            offered = Offer(number, member, skill, level, 2)
            pairs += best_for_offer(offered, needs, history, Weights(), NOW, limit)
    return [(p.need.id, p.offer.id, p.score, p.reciprocal, p.paired_before) for p in pairs]


async def test_a_members_candidates_give_the_suggestions_the_whole_community_gives(
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
        mine = [
            (alice_needs_wood, "need", wood, 1),
            (alice_offers_books, "offer", books, 4),
        ]
        around = await matches.candidates_around(
            tx, ALICE, [(k, s, lv) for _, k, s, lv in mine], 2, 10, NOW - timedelta(days=60)
        )
        whole = await matches.history(tx)
        offers = await matches.open_offers(tx, 2, {wood})
        needs = await matches.open_needs(tx, {books})
    assert suggestions(ALICE, mine, around.offers, around.needs, around.history, 10) == (
        suggestions(ALICE, mine, offers, needs, whole, 10)
    )
    assert {
        (need, offer, reciprocal, before)
        for need, offer, _, reciprocal, before in suggestions(
            ALICE, mine, around.offers, around.needs, around.history, 10
        )
    } == {
        (alice_needs_wood, bob_offers_wood, True, False),
        (alice_needs_wood, david_offers_wood, True, False),
        (bob_needs_books, alice_offers_books, True, False),
        (david_needs_books, alice_offers_books, True, True),
    }
    assert (BOB, DAVID, sewing) not in around.history.declined  # not Alice's: not read


MEMBERS = [f"@m{number}:test" for number in range(16)]
STATES: list[State] = ["declined", "done", "asked"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_candidates_give_the_same_suggestions_on_random_communities(data: st.DataObject) -> None:
    records = data.draw(
        st.lists(
            st.tuples(
                st.sampled_from(["offer", "need"]),
                st.sampled_from(MEMBERS),
                st.integers(0, 1),  # skill
                st.integers(1, 5),  # level
                st.integers(0, 120),  # age in days
            ),
            min_size=10,
            max_size=60,
        )
    )
    pairs = data.draw(
        st.lists(
            st.tuples(
                st.integers(0, 39),
                st.integers(0, 39),
                st.sampled_from(STATES),
            ),
            max_size=8,
        )
    )
    limit = data.draw(st.integers(1, 2))
    asyncio.run(_compare(records, pairs, limit))


async def _compare(
    records: list[tuple[str, str, int, int, int]],
    pairs: list[tuple[int, int, State]],
    limit: int,
) -> None:
    database = await Database.open(":memory:")
    try:
        async with database.transaction() as tx:
            skill_ids = [await skills.create(tx, f"s{n}", f"s{n}") for n in range(3)]
            ids: list[int] = []
            seen: set[tuple[str, str, int]] = set()
            for kind, member, skill, level, age in records:
                if (kind, member, skill) in seen:
                    continue  # one open record per member, kind and skill, as the bot keeps
                seen.add((kind, member, skill))
                at = NOW - timedelta(days=age)
                ids.append(
                    await listings.add(
                        tx,
                        "offer" if kind == "offer" else "need",
                        member,
                        skill_ids[skill],
                        level,
                        "",
                        ROOM,
                        at,
                    )
                )
            made: set[tuple[int, int]] = set()
            for need_index, offer_index, state in pairs:
                if not ids:
                    break
                need = await listings.get(tx, ids[need_index % len(ids)])
                offer = await listings.get(tx, ids[offer_index % len(ids)])
                assert need is not None
                assert offer is not None
                if (
                    need.kind == "need"
                    and offer.kind == "offer"
                    and need.skill_id == offer.skill_id
                    and need.member != offer.member
                    and (need.id, offer.id) not in made
                ):
                    made.add((need.id, offer.id))
                    number = await matches.create(
                        tx, need.id, offer.id, need.member, offer.member, need.skill_id, NOW
                    )
                    await matches.set_state(tx, number, state, NOW)
            whole = await matches.history(tx)
            for member in MEMBERS:
                mine_listings = await listings.of_member(tx, member)
                mine = [(each.id, each.kind, each.skill_id, each.level) for each in mine_listings]
                around = await matches.candidates_around(
                    tx,
                    member,
                    [(k, s, lv) for _, k, s, lv in mine],
                    2,
                    limit,
                    NOW - timedelta(days=60),
                )
                offers = await matches.open_offers(tx, 2, {s for _, k, s, _ in mine if k == "need"})
                needs = await matches.open_needs(tx, {s for _, k, s, _ in mine if k == "offer"})
                assert suggestions(
                    member, mine, around.offers, around.needs, around.history, limit
                ) == suggestions(member, mine, offers, needs, whole, limit)
    finally:
        await database.close()
