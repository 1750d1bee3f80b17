"""Trust from the moderators along confirmations: what a ring vouches for itself is
nothing, and what a moderator confirmed counts in full whatever is added beside it."""

from __future__ import annotations

import math
import random
from typing import TYPE_CHECKING

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.domain.trust import TrustBound, TrustRule, assess, vouched_hours
from bot.domain.weighting import WeightRule, weigh_all

if TYPE_CHECKING:
    from bot.domain.trust import Indices, Vector

RULE = TrustRule()


def vouched(
    edges: list[tuple[int, int, float]], members: int, seeds: tuple[int, ...] = (0,)
) -> list[float]:
    """``edges``: (confirmer, worker, hours)."""
    found = vouched_hours(
        np.array([edge[0] for edge in edges], dtype=np.intp),
        np.array([edge[1] for edge in edges], dtype=np.intp),
        np.array([edge[2] for edge in edges], dtype=np.float64),
        np.array(seeds, dtype=np.intp),
        members,
        RULE,
    )
    return [float(value) for value in found]


def honest_community() -> list[tuple[int, int, float]]:
    """Member 0 moderates; 1–5 work and confirm each other's hours in a circle, and 0
    confirms some of each."""
    edges = [(0, worker, 4.0) for worker in range(1, 6)]
    edges += [(worker, worker % 5 + 1, 6.0) for worker in range(1, 6)]
    return edges


def test_a_closed_ring_is_vouched_for_nothing_whatever_it_claims() -> None:
    ring = [(6, 7, 10_000.0), (7, 6, 10_000.0)]
    found = vouched(honest_community() + ring, 8)
    assert found[6] == found[7] == 0.0
    assert all(value > 0 for value in found[1:6])


def test_one_honest_confirmation_lets_in_about_what_it_carried() -> None:
    """Member 1 confirms 2 h of the ring's first account; the ring then claims thousands."""
    ring = [(1, 6, 2.0), (6, 7, 5_000.0), (7, 6, 5_000.0)]
    found = vouched(honest_community() + ring, 8)
    assert 0 < found[6] + found[7] < 20  # tens of hours at most, not ten thousand


def test_honest_members_are_vouched_for_at_least_what_they_did() -> None:
    edges = honest_community()
    worked = [sum(hours for _, worker, hours in edges if worker == member) for member in range(6)]
    found = vouched(edges, 6)
    assert all(found[member] >= worked[member] for member in range(1, 6))


def test_without_moderators_nobody_is_vouched_for() -> None:
    assert vouched(honest_community(), 6, seeds=()) == [0.0] * 6


def test_the_rule_keeps_its_bounds() -> None:
    with pytest.raises(ValueError, match="damping"):
        TrustRule(damping=1.0)
    with pytest.raises(ValueError, match="slack"):
        TrustRule(slack=0.5)


confirmations = st.lists(
    st.tuples(st.integers(0, 7), st.integers(0, 7), st.floats(0.5, 100)),
    min_size=1,
    max_size=30,
)


@settings(max_examples=100)
@given(edges=confirmations, order=st.randoms(use_true_random=False))
def test_the_order_of_the_confirmations_never_matters(
    edges: list[tuple[int, int, float]], order: random.Random
) -> None:
    shuffled = list(edges)
    order.shuffle(shuffled)
    assert vouched(shuffled, 8) == pytest.approx(vouched(edges, 8), rel=1e-6, abs=1e-9)


@settings(max_examples=100)
@given(inside=confirmations)
def test_a_ring_without_an_honest_link_gains_nothing_over_a_newcomer(
    inside: list[tuple[int, int, float]],
) -> None:
    """Any confirmations among members 8–15, none from the honest side: all zero."""
    ring = [(confirmer + 8, worker + 8, hours) for confirmer, worker, hours in inside]
    found = vouched(honest_community() + ring, 16)
    assert found[8:] == [0.0] * 8


# --- what a moderator confirmed counts in full, whatever is added beside it ----------

# Worker, hours, witnesses, the week it was recorded in, whether it is in the poll's domain.
Work = tuple[int, float, tuple[int, ...], int, bool]
# The weight grows with every credited hour and every hour in the domain; 30 h a week.
RISING = WeightRule(
    max_weight=math.inf, engagement_factor=1.0, domain_factor=1.0, max_hours_per_week=30
)


def columns(work: list[Work]) -> tuple[Indices, Indices, Indices, Vector]:
    """One row per confirmation; a member never witnesses their own work."""
    rows = [
        (witness, worker, number, hours)
        for number, (worker, hours, witnesses, _, _) in enumerate(work)
        for witness in dict.fromkeys(witnesses)
        if witness != worker
    ]
    return (
        np.array([row[0] for row in rows], dtype=np.intp),
        np.array([row[1] for row in rows], dtype=np.intp),
        np.array([row[2] for row in rows], dtype=np.intp),
        np.array([row[3] for row in rows], dtype=np.float64),
    )


def assessed(work: list[Work], members: int) -> TrustBound:
    confirmer, worker, contribution, hours = columns(work)
    return assess(
        confirmer, worker, contribution, hours, np.array([0], dtype=np.intp), members, RULE
    )


def weights(work: list[Work], members: int) -> list[float]:
    """Every member's weight with member 0 moderating, as a poll would freeze it."""
    confirmer, worker, contribution, hours = columns(work)
    found = assess(
        confirmer, worker, contribution, hours, np.array([0], dtype=np.intp), members, RULE
    )
    _, first = np.unique(contribution, return_index=True)
    counted = contribution[first]
    weighed = weigh_all(
        worker[first],
        hours[first] * 60,
        np.array([work[number][4] for number in counted.tolist()], dtype=np.bool_),
        np.zeros(len(first)),
        np.array([work[number][3] for number in counted.tolist()], dtype=np.intp),
        members,
        RISING,
        found.vouched,
        found.in_full[first],
    )
    return [float(weight) for weight in weighed.weights]


def test_work_a_moderator_confirmed_counts_in_full_beyond_the_trust_bound() -> None:
    """The moderator confirmed 4 h of 3's work; 3 and 2 confirmed half an hour of 1's and
    the moderator 3 h of 2's. Trust alone, shared along those confirmations, would vouch
    for less than 3's 4 h; all 4 count."""
    work: list[Work] = [(3, 4.0, (0,), 0, False), (1, 0.5, (2, 3), 0, False)]
    work.append((2, 3.0, (0,), 0, False))
    found = assessed(work, 4)
    assert found.vouched[3] < 4
    assert found.in_full[columns(work)[1] == 3].all()
    assert weights(work, 4)[3] == 1 + math.log2(1 + 4)


def test_a_large_claim_in_the_same_week_leaves_what_a_moderator_confirmed_whole() -> None:
    """8 h the moderator confirmed, in the poll's domain; then a friend thanks the same
    member for 200 h that week, in another domain. The 8 h still count, in the domain too;
    the 200 h share the 22 h left under the weekly bound, as far as trust vouches."""
    confirmed: list[Work] = [(1, 8.0, (0,), 0, True), (2, 1.0, (0,), 0, False)]
    before = weights(confirmed, 3)[1]
    after = weights([*confirmed, (1, 200.0, (2,), 0, False)], 3)[1]
    assert before == 1 + 2 * math.log2(1 + 8)
    assert after >= before


def test_a_member_a_moderator_vouched_for_cannot_credit_a_friend_in_full() -> None:
    """Member 6 has 10 h the moderator confirmed, then thanks member 7 for 40 h: only the
    moderator's own confirmations count in full, so 7 gets what trust vouches for, not 40."""
    honest: list[Work] = [(worker, 4.0, (0,), 0, False) for worker in range(1, 6)]
    honest += [(worker % 5 + 1, 6.0, (worker,), 1, False) for worker in range(1, 6)]
    vouched_for = [*honest, (6, 10.0, (0,), 0, False)]
    friend = weights([*vouched_for, (7, 40.0, (6,), 2, False)], 8)[7]
    in_full = 1 + math.log2(1 + min(40, RISING.max_hours_per_week))
    assert 1 < friend < in_full


MEMBERS = 8
witness = st.one_of(st.just(0), st.integers(0, MEMBERS - 1))  # the moderator, often
work_done = st.tuples(
    st.integers(1, MEMBERS - 1),
    st.sampled_from((0.5, 1.0, 2.0, 4.0, 8.0, 20.0)),
    st.lists(witness, min_size=1, max_size=2).map(tuple),
    st.integers(0, 2),
    st.booleans(),
)
community = st.lists(work_done, min_size=1, max_size=24)


def confirmed_by_moderators(work: list[Work]) -> set[int]:
    """Members with counted work, every piece of it witnessed by the moderator."""
    theirs: dict[int, bool] = {}
    for worker, _, witnesses, _, _ in work:
        if set(witnesses) - {worker}:  # counted: someone else witnessed it
            theirs[worker] = theirs.get(worker, True) and 0 in witnesses
    return {member for member, every_piece in theirs.items() if every_piece}


@settings(max_examples=300)
@given(work=community, more=work_done)
def test_nothing_added_beside_lowers_a_member_whose_work_moderators_confirmed(
    work: list[Work], more: Work
) -> None:
    """Whoever's every piece of work a moderator confirmed keeps every hour of it, in the
    domain too and under the weekly bound, when work comes in for anyone else (honest work
    a moderator confirmed, or a ring's claims), or for them with no moderator's witness."""
    owner, _, witnesses, _, _ = more
    others = confirmed_by_moderators(work) - ({owner} if 0 in witnesses else set())
    assume(others)
    before = weights(work, MEMBERS)
    after = weights([*work, more], MEMBERS)
    assert all(after[member] >= before[member] for member in others)
    assert all(before[member] > 1 for member in others)  # they had hours to lose


@settings(max_examples=100)
@given(inside=confirmations)
def test_a_ring_without_an_honest_link_weighs_nothing_more(
    inside: list[tuple[int, int, float]],
) -> None:
    """Any work among members 8–15 witnessed only by them, beside an honest community."""
    honest: list[Work] = [(worker, 4.0, (0,), 0, False) for worker in range(1, 6)]
    honest += [(worker % 5 + 1, 6.0, (worker,), 1, False) for worker in range(1, 6)]
    ring: list[Work] = [
        (worker + 8, hours, (confirmer + 8,), 0, True) for confirmer, worker, hours in inside
    ]
    assert weights(honest + ring, 16)[8:] == [1.0] * 8
