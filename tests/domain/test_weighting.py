"""Poll weights: the worked examples of PRODUCT.md, the bounds, and bulk = one by one."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.weighting import (
    DAY_SECONDS,
    WeightRule,
    Worked,
    explain,
    week_of,
    weigh_all,
)

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
# The formula's own tests: max 3, half-life 180 days, a = b = 0.25; the weekly bound is
# tested on its own.
RULE = WeightRule(max_hours_per_week=math.inf)
ENGAGEMENT_ONLY = WeightRule(
    max_weight=10, engagement_factor=0.25, domain_factor=0, max_hours_per_week=math.inf
)


def hours(count: float, domain: str = "habitat", days_ago: float = 0) -> Worked:
    return Worked(round(count * 60), domain, NOW - timedelta(days=days_ago))


def test_fifteen_decayed_hours_weigh_two_and_two_hundred_fifty_five_weigh_three() -> None:
    assert explain([hours(15)], None, NOW, ENGAGEMENT_ONLY).weight == 2.0
    assert explain([hours(255)], None, NOW, ENGAGEMENT_ONLY).weight == 3.0
    assert explain([hours(10), hours(5)], None, NOW, ENGAGEMENT_ONLY).weight == 2.0


def test_everyone_starts_at_one() -> None:
    nothing = explain([], "habitat", NOW, RULE)
    assert (nothing.contributions, nothing.hours, nothing.weight) == (0, 0.0, 1.0)
    assert (nothing.engagement, nothing.domain_term, nothing.capped) == (0.0, 0.0, False)


def test_one_half_life_halves_the_hours() -> None:
    found = explain([hours(30, days_ago=180)], None, NOW, ENGAGEMENT_ONLY)
    assert found.hours == 15.0
    assert found.weight == 2.0
    two_half_lives = explain([hours(60, days_ago=360)], None, NOW, ENGAGEMENT_ONLY)
    assert two_half_lives.hours == 15.0


def test_a_contribution_without_hours_counts_as_one_hour() -> None:
    untimed = [Worked(None, "soin", NOW) for _ in range(15)]
    found = explain(untimed, None, NOW, ENGAGEMENT_ONLY)
    assert (found.contributions, found.hours, found.weight) == (15, 15.0, 2.0)
    assert explain([Worked(90, "soin", NOW)], None, NOW, RULE).hours == 1.5


def test_the_domain_term_counts_only_the_polls_domain_and_the_cap_bites() -> None:
    worked = [hours(15, "habitat"), hours(240, "soin"), Worked(None, "", NOW)]
    found = explain(worked, "habitat", NOW, RULE)
    assert (found.contributions, found.hours) == (3, 256.0)
    assert (found.domain, found.domain_contributions, found.domain_hours) == ("habitat", 1, 15.0)
    assert found.engagement == pytest.approx(0.25 * math.log2(257))
    assert found.domain_term == 1.0
    assert found.uncapped == pytest.approx(1 + 0.25 * math.log2(257) + 1)
    assert found.weight == 3.0
    assert found.capped


def test_without_a_domain_there_is_no_domain_term() -> None:
    for domain in (None, ""):  # "" is untold thanks' no-domain, never a poll's
        found = explain([hours(15, ""), hours(15, "habitat")], domain, NOW, RULE)
        assert (found.domain, found.domain_contributions, found.domain_hours) == (None, 0, 0.0)
        assert found.domain_term == 0.0
        assert found.weight == pytest.approx(1 + 0.25 * math.log2(31))


def test_work_dated_after_now_counts_whole_not_more() -> None:
    future = explain([hours(15, days_ago=-30)], None, NOW, ENGAGEMENT_ONLY)
    assert future.hours == 15.0


def test_ages_are_measured_across_time_zones() -> None:
    paris = timezone(timedelta(hours=1))
    worked = [Worked(30 * 60, "soin", (NOW - timedelta(days=180)).astimezone(paris))]
    assert explain(worked, None, NOW, ENGAGEMENT_ONLY).hours == 15.0


def test_a_week_claiming_more_than_the_bound_is_scaled_down_alike() -> None:
    """Two accounts thanking each other 200 h twice: 50 h a week, not 400 h."""
    rule = WeightRule(max_hours_per_week=50)
    monday = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    claims = [
        Worked(200 * 60, "habitat", monday),
        Worked(200 * 60, "soin", monday + timedelta(days=2)),
        Worked(10 * 60, "habitat", monday + timedelta(days=7)),  # the next week: whole
    ]
    explained = explain(claims, "habitat", monday + timedelta(days=7), rule)
    decayed = [rule.decay(7), rule.decay(5), 1.0]
    assert explained.recorded_hours == pytest.approx(200 * decayed[0] + 200 * decayed[1] + 10)
    assert explained.hours == pytest.approx(25 * decayed[0] + 25 * decayed[1] + 10)
    assert explained.domain_hours == pytest.approx(25 * decayed[0] + 10)


def test_weeks_start_on_monday_in_utc() -> None:
    sunday_night = datetime(2026, 11, 1, 23, 59, tzinfo=UTC)
    assert week_of(sunday_night + timedelta(minutes=1)) == week_of(sunday_night) + 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"max_weight": 0.5}, "voice"),
        ({"half_life_days": 0}, "half_life_days"),
        ({"engagement_factor": -0.1}, "cannot take weight away"),
        ({"domain_factor": -1}, "cannot take weight away"),
    ],
)
def test_a_rule_that_would_break_the_bounds_is_refused(
    fields: dict[str, float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        WeightRule(**fields)


DOMAINS = ["habitat", "soin", ""]

rules = st.builds(
    WeightRule,
    max_weight=st.floats(1, 10),
    half_life_days=st.floats(1, 1000),
    engagement_factor=st.floats(0, 2),
    domain_factor=st.floats(0, 2),
    max_hours_per_week=st.floats(1, 200),
)
worked_lists = st.lists(
    st.builds(
        Worked,
        minutes=st.none() | st.integers(1, 100_000),
        domain=st.sampled_from(DOMAINS),
        at=st.floats(-30, 3000).map(lambda days: NOW - timedelta(days=days)),
    ),
    max_size=30,
)
poll_domains = st.sampled_from([None, *DOMAINS])


@given(worked=worked_lists, domain=poll_domains, rule=rules)
def test_a_weight_is_always_between_one_and_the_maximum(
    worked: list[Worked], domain: str | None, rule: WeightRule
) -> None:
    found = explain(worked, domain, NOW, rule)
    assert 1.0 <= found.weight <= rule.max_weight
    assert found.weight == min(rule.max_weight, found.uncapped)
    assert found.capped == (found.uncapped > rule.max_weight)
    assert 0.0 <= found.domain_hours <= found.hours * (1 + 1e-12)
    assert found.hours <= found.recorded_hours * (1 + 1e-12)
    assert found.domain_contributions <= found.contributions == len(worked)


@given(worked=worked_lists, rule=rules)
def test_no_week_credits_more_than_its_bound(worked: list[Worked], rule: WeightRule) -> None:
    """Each week's hours, counted without decay, come to at most the bound."""
    timeless = replace(rule, half_life_days=1e300)
    for week in {week_of(each.at) for each in worked}:
        those = [each for each in worked if week_of(each.at) == week]
        credited = explain(those, None, NOW, timeless).hours
        assert credited <= rule.max_hours_per_week * (1 + 1e-9)


@given(worked=worked_lists, more=worked_lists, domain=poll_domains, rule=rules)
def test_more_work_never_weighs_less_below_the_weekly_bound(
    worked: list[Worked], more: list[Worked], domain: str | None, rule: WeightRule
) -> None:
    """Above it, a week's hours are shared out: more in one domain can leave less in
    another's, by design."""
    rule = replace(rule, max_hours_per_week=math.inf)
    before = explain(worked, domain, NOW, rule).weight
    assert explain(worked + more, domain, NOW, rule).weight >= before * (1 - 1e-12)


@settings(max_examples=200)
@given(
    community=st.lists(worked_lists, min_size=1, max_size=8),
    domain=poll_domains,
    rule=rules,
)
def test_the_bulk_path_gives_each_member_what_explain_gives(
    community: list[list[Worked]], domain: str | None, rule: WeightRule
) -> None:
    rows = [(member, each) for member, worked in enumerate(community) for each in worked]
    weighed = weigh_all(
        np.array([member for member, _ in rows], dtype=np.intp),
        np.array([each.minutes for _, each in rows], dtype=np.float64),
        np.array([bool(domain) and each.domain == domain for _, each in rows], dtype=np.bool_),
        np.array([(NOW - each.at).total_seconds() / DAY_SECONDS for _, each in rows]),
        np.array([week_of(each.at) for _, each in rows], dtype=np.intp),
        len(community),
        rule,
    )
    assert weighed.weights.shape == (len(community),)
    for member, worked in enumerate(community):
        expected = explain(worked, domain, NOW, rule)
        assert math.isclose(float(weighed.weights[member]), expected.weight, rel_tol=1e-12)
        assert bool(weighed.bounded[member]) == expected.bounded_weekly


def test_the_bulk_path_gives_one_to_members_without_contributions() -> None:
    weighed = weigh_all(
        np.array([2, 2], dtype=np.intp),
        np.array([14 * 60, np.nan]),  # 14 hours, and one for the contribution without
        np.array([True, False]),
        np.array([0.0, 0.0]),
        np.array([0, 0], dtype=np.intp),
        4,
        WeightRule(max_weight=10),
    )
    assert weighed.weights.tolist() == [1.0, 1.0, pytest.approx(2 + 0.25 * math.log2(15)), 1.0]
    assert not weighed.bounded.any()


@given(worked=worked_lists, domain=poll_domains, rule=rules, rng=st.randoms())
def test_the_order_of_the_contributions_never_changes_the_explanation(
    worked: list[Worked], domain: str | None, rule: WeightRule, rng: random.Random
) -> None:
    shuffled = rng.sample(worked, len(worked))
    assert explain(shuffled, domain, NOW, rule) == explain(worked, domain, NOW, rule)
