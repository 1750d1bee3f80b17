"""Poll weights read from the ledger: only confirmed work counts, and bulk = one by one."""

from __future__ import annotations

import asyncio
import math
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.weighting import WeightRule, Worked, explain
from bot.store import contributions, polls, weights
from bot.store.database import Database, Transaction

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ROOM = "!room:test"
ALICE, BOB, CHLOE, DAVID = "@alice:test", "@bob:test", "@chloe:test", "@david:test"
NEW_POLL = polls.NewPoll(ROOM, ALICE, "Paint?", ("yes", "no"), 1, False, False, None, T0, T0)
RULE = WeightRule(max_hours_per_week=math.inf)  # max 3, half-life 180 days, a = b = 0.25


async def add(
    tx: Transaction,
    member: str,
    minutes: int | None = 15 * 60,
    domain: str = "habitat",
    at: datetime = T0,
    confirmers: tuple[str, ...] = (ALICE,),
) -> int:
    number = await contributions.add(tx, member, minutes, domain, "fixed the door", ALICE, ROOM, at)
    for confirmer in confirmers:
        await contributions.confirm(tx, number, confirmer, at)
    return number


async def test_only_confirmed_contributions_weigh(database: Database) -> None:
    async with database.transaction() as tx:
        await add(tx, BOB)  # 15 hours, confirmed: log2(16) / 4 = 1
        await add(tx, CHLOE, confirmers=())
        found = (await weights.freeze(tx, 1, None, T0, RULE)).weights
    assert found == {BOB: 2.0}


async def test_a_contribution_counts_once_it_has_the_confirmations_required(
    database: Database,
) -> None:
    async with database.transaction() as tx:
        number = await add(tx, BOB, domain="soin")
        assert (await weights.freeze(tx, 2, "soin", T0, RULE)).weights == {}
        await contributions.confirm(tx, number, DAVID, T0)
        assert (await weights.freeze(tx, 2, "soin", T0, RULE)).weights == {BOB: 3.0}
        explained = await weights.explain_member(tx, BOB, 2, "soin", T0, RULE)
    assert (explained.contributions, explained.hours, explained.engagement) == (1, 15.0, 1.0)
    assert (explained.domain_contributions, explained.domain_hours) == (1, 15.0)
    assert (explained.uncapped, explained.weight, explained.capped) == (3.0, 3.0, False)


async def test_the_polls_domain_adds_only_its_own_hours(database: Database) -> None:
    async with database.transaction() as tx:
        await add(tx, BOB, 15 * 60, "habitat")
        await add(tx, BOB, 240 * 60, "soin")
        await add(tx, CHLOE, None, "")  # a thanks naming neither hours nor domain
        found = (await weights.freeze(tx, 1, "habitat", T0, RULE)).weights
        for_nothing = (await weights.freeze(tx, 1, "", T0, RULE)).weights
        explained = await weights.explain_member(tx, BOB, 1, "habitat", T0, RULE)
    assert found == {BOB: 3.0, CHLOE: 1.25}  # Bob: 1 + 2 + 1, capped; Chloe: 1 + log2(2) / 4
    assert for_nothing == {BOB: 3.0, CHLOE: 1.25}
    assert explained.capped
    assert (explained.hours, explained.domain_hours, explained.domain_term) == (255.0, 15.0, 1.0)


async def test_a_member_without_confirmed_work_weighs_one(database: Database) -> None:
    async with database.transaction() as tx:
        await add(tx, BOB, confirmers=())
        explained = await weights.explain_member(tx, BOB, 1, None, T0, RULE)
        nobody = await weights.explain_member(tx, DAVID, 1, "habitat", T0, RULE)
        assert (await weights.freeze(tx, 1, None, T0, RULE)).weights == {}
    assert (explained.contributions, explained.weight) == (0, 1.0)
    assert (nobody.contributions, nobody.domain, nobody.weight) == (0, "habitat", 1.0)


async def test_work_fades_with_its_age(database: Database) -> None:
    async with database.transaction() as tx:
        await add(tx, BOB, 30 * 60, at=T0 - timedelta(days=180))
        await add(tx, CHLOE, 15 * 60, at=T0 + timedelta(days=3))  # after "now": counts whole
        found = (await weights.freeze(tx, 1, None, T0, RULE)).weights
    assert found[BOB] == 2.0
    assert found[CHLOE] == 2.0


async def test_a_forgotten_witness_and_a_forgotten_member_count_for_nothing(
    database: Database,
) -> None:
    """A sybil that confirms, then runs !forget me, takes its confirmations with it."""
    async with database.transaction() as tx:
        await add(tx, BOB, confirmers=(CHLOE,))
        await add(tx, BOB, confirmers=(CHLOE, ALICE))
        await add(tx, CHLOE, confirmers=(BOB,))
        await contributions.forget_member(tx, CHLOE)
        found = (await weights.freeze(tx, 1, None, T0, RULE)).weights
        explained = await weights.explain_member(tx, BOB, 1, None, T0, RULE)
    assert found == {BOB: 2.0}  # the contribution Alice witnessed too, alone
    assert explained.contributions == 1


async def test_ages_read_from_sqlite_agree_with_pythons_across_time_zones(
    database: Database,
) -> None:
    paris = timezone(timedelta(hours=1))
    moments = [
        (T0 - timedelta(days=37, seconds=12_345, microseconds=678_901)).astimezone(paris),
        T0 - timedelta(days=400, microseconds=1),
    ]
    async with database.transaction() as tx:
        for moment in moments:
            await add(tx, BOB, 100, at=moment)
        found = (await weights.freeze(tx, 1, None, T0, RULE)).weights
        explained = await weights.explain_member(tx, BOB, 1, None, T0, RULE)
    expected = explain([Worked(100, "habitat", moment) for moment in moments], None, T0, RULE)
    assert explained == expected
    assert math.isclose(found[BOB], expected.weight, rel_tol=1e-9)


async def test_the_weekly_bound_is_the_same_in_bulk_and_explained(database: Database) -> None:
    """Two claims of 200 h in one week, one of 10 h the next: 50 + 10 credited."""
    bounded = WeightRule(max_hours_per_week=50, half_life_days=1e300, max_weight=10)
    monday = datetime(2026, 11, 2, tzinfo=UTC)
    async with database.transaction() as tx:
        claims = (
            (200, monday),
            (200, monday + timedelta(days=6, hours=23)),  # Sunday night, the same week
            (10, monday + timedelta(days=7)),
        )
        for hours, at in claims:
            await add(tx, BOB, hours * 60, at=at)
        found = (await weights.freeze(tx, 1, None, monday + timedelta(days=8), bounded)).weights
        explained = await weights.explain_member(
            tx, BOB, 1, None, monday + timedelta(days=8), bounded
        )
    assert (explained.recorded_hours, explained.hours) == (410.0, 60.0)
    assert math.isclose(found[BOB], explained.weight, rel_tol=1e-9)


async def test_trust_bounds_the_same_hours_in_bulk_and_explained(database: Database) -> None:
    """David moderates: what he confirmed counts; Alice and Bob vouch only for each other."""
    trust = weights.Trust([DAVID])
    async with database.transaction() as tx:
        await add(tx, CHLOE, 20 * 60, confirmers=(DAVID,))
        await add(tx, ALICE, 200 * 60, confirmers=(BOB,))
        await add(tx, BOB, 200 * 60, confirmers=(ALICE,))
        found = (await weights.freeze(tx, 1, None, T0, RULE, trust)).weights
        explained = {
            member: await weights.explain_member(tx, member, 1, None, T0, RULE, trust)
            for member in (ALICE, BOB, CHLOE)
        }
    assert set(found) == {CHLOE}  # the ring weighs 1: absent
    assert math.isclose(found[CHLOE], explained[CHLOE].weight, rel_tol=1e-9)
    assert (explained[ALICE].weekly_hours, explained[ALICE].hours) == (200.0, 0.0)
    assert explained[ALICE].bounded_by_trust


async def test_what_a_moderator_confirmed_counts_in_full_in_bulk_and_explained(
    database: Database,
) -> None:
    """David moderates and confirmed 40 h of Bob's work; in the same week Chloé thanked Bob
    for 200 h more, and Bob thanked Alice for 200 h. Bob's 40 h count whole, first under
    the weekly bound of 50; the rest share what is left; bulk and explained agree."""
    rule = WeightRule(max_hours_per_week=50)
    trust = weights.Trust([DAVID])
    async with database.transaction() as tx:
        await add(tx, BOB, 40 * 60, confirmers=(DAVID,))
        await add(tx, BOB, 200 * 60, confirmers=(CHLOE,))
        await add(tx, ALICE, 200 * 60, confirmers=(BOB,))
        found = (await weights.freeze(tx, 1, "habitat", T0, rule, trust)).weights
        explained = {
            member: await weights.explain_member(tx, member, 1, "habitat", T0, rule, trust)
            for member in (ALICE, BOB)
        }
    assert (explained[BOB].weekly_hours, explained[BOB].in_full_hours) == (50.0, 40.0)
    assert explained[BOB].hours >= 40.0
    assert (explained[ALICE].weekly_hours, explained[ALICE].in_full_hours) == (50.0, 0.0)
    for member in (ALICE, BOB):
        assert math.isclose(found[member], explained[member].weight, rel_tol=1e-9)


async def test_a_poll_freezes_who_had_hours_cut_and_by_either_bound(database: Database) -> None:
    """Alice and Bob vouch for each other (trust cuts them to nothing: they weigh 1, and are
    kept); Chloé claimed 80 h in one week (the weekly bound); David's 2 h stand whole."""
    rule = WeightRule(max_hours_per_week=50)
    async with database.transaction() as tx:
        await add(tx, CHLOE, 80 * 60, confirmers=(DAVID,))
        await add(tx, DAVID, 2 * 60, confirmers=(CHLOE,))
        await add(tx, ALICE, 20 * 60, confirmers=(BOB,))
        await add(tx, BOB, 20 * 60, confirmers=(ALICE,))
        frozen = await weights.freeze(tx, 1, None, T0, rule, weights.Trust([DAVID]))
        poll = await polls.open_poll(tx, NEW_POLL, frozen.weights, frozen.bounded)
        kept = await polls.bounded_members(tx, poll.id)
        stored = await polls.frozen_weights(tx, poll.id)
    assert frozen.bounded == {ALICE, BOB, CHLOE}
    assert kept == {ALICE, BOB, CHLOE}
    assert stored[ALICE] == stored[BOB] == 1.0


# Properties on random ledgers.

MEMBERS = [f"@m{number}:test" for number in range(6)]
WITNESSES = [f"@w{number}:test" for number in range(3)]
DOMAINS = ["habitat", "soin", ""]

records = st.lists(
    st.tuples(
        st.sampled_from(MEMBERS),
        st.none() | st.integers(1, 6000),  # minutes
        st.sampled_from(DOMAINS),
        st.integers(-5, 900),  # age in days
        st.integers(0, 3),  # confirmations
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ledger=records,
    required=st.integers(1, 2),
    domain=st.sampled_from([None, "habitat", "soin"]),
    newcomer=st.sampled_from(MEMBERS),
)
def test_weights_count_confirmed_work_only_and_agree_with_explain(
    ledger: list[tuple[str, int | None, str, int, int]],
    required: int,
    domain: str | None,
    newcomer: str,
) -> None:
    asyncio.run(_check_ledger(ledger, required, domain, newcomer))


async def _check_ledger(
    ledger: list[tuple[str, int | None, str, int, int]],
    required: int,
    domain: str | None,
    newcomer: str,
) -> None:
    database = await Database.open(":memory:")
    try:
        async with database.transaction() as tx:
            for member, minutes, field, age, confirmed in ledger:
                at = T0 - timedelta(days=age)
                await add(tx, member, minutes, field, at, tuple(WITNESSES[:confirmed]))
            found = (await weights.freeze(tx, required, domain, T0, RULE)).weights

            # Bulk = one by one = the pure rule over the confirmed contributions.
            for member in MEMBERS:
                counted = [
                    Worked(minutes, field, T0 - timedelta(days=age))
                    for whose, minutes, field, age, confirmed in ledger
                    if whose == member and confirmed >= required
                ]
                expected = explain(counted, domain, T0, RULE)
                explained = await weights.explain_member(tx, member, required, domain, T0, RULE)
                assert explained == expected
                assert math.isclose(found.get(member, 1.0), expected.weight, rel_tol=1e-9)
                assert 1.0 <= found.get(member, 1.0) <= RULE.max_weight

            # Work recorded later, not yet confirmed enough, moves nobody's weight...
            number = await add(
                tx, newcomer, 120, domain or "soin", T0, tuple(WITNESSES[: required - 1])
            )
            assert (await weights.freeze(tx, required, domain, T0, RULE)).weights == found

            # ...until it is confirmed: then its member's weight grows (unless capped).
            await contributions.confirm(tx, number, WITNESSES[required - 1], T0)
            after = (await weights.freeze(tx, required, domain, T0, RULE)).weights
            before = found.get(newcomer, 1.0)
            if before < RULE.max_weight:
                assert after[newcomer] > before
            else:
                assert after[newcomer] == before
            assert {k: v for k, v in after.items() if k != newcomer} == {
                k: v for k, v in found.items() if k != newcomer
            }
    finally:
        await database.close()
