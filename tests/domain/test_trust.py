"""Trust from the moderators along confirmations: what a ring vouches for itself is nothing."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.trust import TrustRule, vouched_hours

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
