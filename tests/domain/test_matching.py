"""Matching: never a declined pair, never over capacity, never a mentor not ahead, optimal."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.matching import History, Need, Offer, Pair, Weights, assign, best_for_need

NOW = datetime(2026, 11, 29, tzinfo=UTC)
MEMBERS = ["@a:x", "@b:x", "@c:x", "@d:x", "@e:x"]
WEIGHTS = Weights()


@st.composite
def communities(draw: st.DrawFn) -> tuple[list[Need], list[Offer], History]:
    skills = draw(st.sampled_from([[1], [1, 2]]))
    needs = [
        Need(
            index,
            draw(st.sampled_from(MEMBERS)),
            draw(st.sampled_from(skills)),
            draw(st.integers(1, 4)),
            NOW - timedelta(days=draw(st.integers(0, 90))),
        )
        for index in range(draw(st.integers(0, 5)))
    ]
    offers = [
        Offer(
            100 + index,
            draw(st.sampled_from(MEMBERS)),
            draw(st.sampled_from(skills)),
            draw(st.integers(2, 5)),
            draw(st.integers(0, 2)),
        )
        for index in range(draw(st.integers(0, 4)))
    ]
    triples = st.tuples(st.sampled_from(MEMBERS), st.sampled_from(MEMBERS), st.sampled_from(skills))
    skill_sets = st.frozensets(st.sampled_from(skills))
    history = History(
        offered={member: draw(skill_sets) for member in MEMBERS},
        needed={member: draw(skill_sets) for member in MEMBERS},
        declined=draw(st.frozensets(triples, max_size=4)),
        paired_before=draw(st.frozensets(triples, max_size=4)),
    )
    return needs, offers, history


def _allowed(pair: Pair, history: History) -> bool:
    return (
        pair.offer.level > pair.need.level
        and pair.offer.skill_id == pair.need.skill_id
        and pair.offer.member != pair.need.member
        and (pair.need.member, pair.offer.member, pair.need.skill_id) not in history.declined
    )


def _brute_force(needs: list[Need], offers: list[Offer], history: History) -> float:
    """The best total over every way to give each need one offer or none."""
    options: list[list[Pair | None]] = []
    for need in needs:
        choices: list[Pair | None] = [None]
        choices += best_for_need(need, offers, history, WEIGHTS, NOW, limit=100)
        options.append(choices)
    best = 0.0
    for combination in itertools.product(*options):
        chosen = [pair for pair in combination if pair is not None]
        used = Counter(pair.offer.id for pair in chosen)
        if all(used[offer.id] <= offer.capacity_left for offer in offers):
            best = max(best, sum(pair.score for pair in chosen))
    return best


@settings(max_examples=300, deadline=None)
@given(communities())
def test_the_assignment_is_allowed_within_capacity_and_optimal(
    community: tuple[list[Need], list[Offer], History],
) -> None:
    needs, offers, history = community
    pairs = assign(needs, offers, history, WEIGHTS, NOW)
    assert all(_allowed(pair, history) for pair in pairs)
    used = Counter(pair.offer.id for pair in pairs)
    assert all(used[offer.id] <= offer.capacity_left for offer in offers)
    assert len({pair.need.id for pair in pairs}) == len(pairs)
    total = sum(pair.score for pair in pairs)
    assert abs(total - _brute_force(needs, offers, history)) < 1e-6


@given(communities())
def test_suggestions_are_allowed_and_best_first(
    community: tuple[list[Need], list[Offer], History],
) -> None:
    needs, offers, history = community
    for need in needs:
        pairs = best_for_need(need, offers, history, WEIGHTS, NOW, limit=10)
        assert all(_allowed(pair, history) for pair in pairs)
        assert all(pair.offer.capacity_left > 0 for pair in pairs)
        assert [pair.score for pair in pairs] == sorted((p.score for p in pairs), reverse=True)


def _need(level: int, member: str = "@a:x", days: int = 0) -> Need:
    return Need(1, member, 1, level, NOW - timedelta(days=days))


def _offer(number: int, level: int, member: str, capacity: int = 2) -> Offer:
    return Offer(number, member, 1, level, capacity)


EMPTY = History(offered={}, needed={})


def test_a_near_peer_beats_a_distant_expert() -> None:
    pairs = best_for_need(
        _need(1), [_offer(1, 5, "@e:x"), _offer(2, 2, "@b:x")], EMPTY, WEIGHTS, NOW, 2
    )
    assert [pair.offer.id for pair in pairs] == [2, 1]


def test_reciprocity_beats_waiting_and_capacity() -> None:
    history = History(offered={"@a:x": frozenset({9})}, needed={"@c:x": frozenset({9})})
    pairs = best_for_need(
        _need(1), [_offer(1, 2, "@b:x", 2), _offer(2, 2, "@c:x", 1)], history, WEIGHTS, NOW, 2
    )
    assert [pair.offer.id for pair in pairs] == [2, 1]
    assert pairs[0].reciprocal


def test_a_pair_seen_before_on_the_skill_comes_after_a_new_one() -> None:
    history = History(offered={}, needed={}, paired_before=frozenset({("@a:x", "@b:x", 1)}))
    pairs = best_for_need(
        _need(1), [_offer(1, 2, "@b:x"), _offer(2, 2, "@c:x")], history, WEIGHTS, NOW, 2
    )
    assert [pair.offer.id for pair in pairs] == [2, 1]
    assert pairs[1].paired_before


def test_declined_own_full_and_not_ahead_are_never_suggested() -> None:
    history = History(offered={}, needed={}, declined=frozenset({("@a:x", "@b:x", 1)}))
    offers = [
        _offer(1, 4, "@b:x"),  # declined
        _offer(2, 4, "@a:x"),  # the learner's own offer
        _offer(3, 4, "@c:x", capacity=0),  # full
        _offer(4, 2, "@d:x"),  # not ahead of a level-2 learner
    ]
    assert best_for_need(_need(2), offers, history, WEIGHTS, NOW, 10) == []


def test_the_assignment_shares_a_mentor_by_capacity_and_prefers_the_longest_wait() -> None:
    needs = [
        Need(1, "@a:x", 1, 1, NOW - timedelta(days=1)),
        Need(2, "@b:x", 1, 1, NOW - timedelta(days=50)),
    ]
    pairs = assign(needs, [_offer(10, 2, "@c:x", capacity=1)], EMPTY, WEIGHTS, NOW)
    assert [(pair.need.id, pair.offer.id) for pair in pairs] == [(2, 10)]


def test_a_need_gives_way_when_another_has_no_other_mentor() -> None:
    needs = [Need(1, "@a:x", 1, 1, NOW), Need(2, "@b:x", 1, 1, NOW)]
    offers = [_offer(10, 2, "@c:x", capacity=1), _offer(11, 4, "@d:x", capacity=1)]
    pairs = assign(needs, offers, EMPTY, WEIGHTS, NOW)
    assert len(pairs) == 2
    assert abs(sum(pair.score for pair in pairs) - _brute_force(needs, offers, EMPTY)) < 1e-6
