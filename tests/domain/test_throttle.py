"""Per-member token buckets, driven with explicit times: no real clock, no sleeping."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.throttle import Throttle, Verdict

ALICE = "@alice:test"
BOB = "@bob:test"


def test_a_burst_is_allowed_at_once() -> None:
    throttle = Throttle(burst=5, per_minute=6)
    assert [throttle.check(ALICE, now=0.0) for _ in range(5)] == [Verdict.ALLOW] * 5


def test_beyond_the_burst_the_first_refusal_warns_then_the_others_are_silent() -> None:
    throttle = Throttle(burst=3, per_minute=6)
    for _ in range(3):
        assert throttle.check(ALICE, now=0.0) is Verdict.ALLOW
    assert throttle.check(ALICE, now=0.0) is Verdict.WARN
    assert throttle.check(ALICE, now=0.5) is Verdict.SILENT
    assert throttle.check(ALICE, now=1.0) is Verdict.SILENT


def test_the_allowance_refills_over_time() -> None:
    throttle = Throttle(burst=2, per_minute=6)  # one command every 10 s
    throttle.check(ALICE, now=0.0)
    throttle.check(ALICE, now=0.0)
    assert throttle.check(ALICE, now=9.0) is Verdict.WARN
    assert throttle.check(ALICE, now=10.0) is Verdict.ALLOW
    assert throttle.check(ALICE, now=10.0) is Verdict.WARN


def test_a_refill_earns_a_new_warning_after_the_next_flood() -> None:
    throttle = Throttle(burst=1, per_minute=60)  # one command a second
    assert throttle.check(ALICE, now=0.0) is Verdict.ALLOW
    assert throttle.check(ALICE, now=0.0) is Verdict.WARN
    assert throttle.check(ALICE, now=0.0) is Verdict.SILENT
    assert throttle.check(ALICE, now=1.0) is Verdict.ALLOW
    assert throttle.check(ALICE, now=1.0) is Verdict.WARN


def test_the_bucket_never_holds_more_than_the_burst() -> None:
    throttle = Throttle(burst=2, per_minute=60)
    throttle.check(ALICE, now=0.0)
    verdicts = [throttle.check(ALICE, now=3600.0) for _ in range(3)]
    assert verdicts == [Verdict.ALLOW, Verdict.ALLOW, Verdict.WARN]


def test_one_members_flood_does_not_slow_another() -> None:
    throttle = Throttle(burst=2, per_minute=1)
    for _ in range(50):
        throttle.check(ALICE, now=0.0)
    assert throttle.check(ALICE, now=0.0) is Verdict.SILENT
    assert throttle.check(BOB, now=0.0) is Verdict.ALLOW
    assert throttle.check(BOB, now=0.0) is Verdict.ALLOW
    assert throttle.wait_seconds(BOB) > 0
    assert throttle.check(BOB, now=0.0) is Verdict.WARN


def test_take_shares_the_allowance_but_keeps_the_notice_for_check() -> None:
    throttle = Throttle(burst=2, per_minute=6)  # one more every 10 s
    assert [throttle.take(ALICE, now=0.0) for _ in range(4)] == [True, True, False, False]
    assert throttle.check(ALICE, now=0.0) is Verdict.WARN
    assert throttle.take(ALICE, now=10.0) is True
    assert throttle.check(ALICE, now=10.0) is Verdict.WARN  # warned again after an allowed one


def test_wait_seconds_is_zero_for_members_who_may_send() -> None:
    throttle = Throttle(burst=2, per_minute=6)
    assert throttle.wait_seconds(ALICE) == 0
    throttle.check(ALICE, now=0.0)
    assert throttle.wait_seconds(ALICE) == 0


def test_wait_seconds_is_the_time_until_the_next_token() -> None:
    throttle = Throttle(burst=2, per_minute=6)  # one command every 10 s
    throttle.check(ALICE, now=0.0)
    throttle.check(ALICE, now=0.0)
    assert throttle.check(ALICE, now=0.0) is Verdict.WARN
    assert throttle.wait_seconds(ALICE) == 10
    assert throttle.check(ALICE, now=4.0) is Verdict.SILENT
    assert throttle.wait_seconds(ALICE) == 6


def test_wait_seconds_is_never_zero_while_refused() -> None:
    throttle = Throttle(burst=1, per_minute=6)  # one command every 10 s
    throttle.check(ALICE, now=0.0)
    assert throttle.check(ALICE, now=9.99) is Verdict.WARN
    assert throttle.wait_seconds(ALICE) == 1


class _EagerPruning(Throttle):
    _PRUNE_ABOVE = 2


class _NoPruning(Throttle):
    _PRUNE_ABOVE = 10**9


def test_pruning_forgets_refilled_members_only() -> None:
    throttle = _EagerPruning(burst=1, per_minute=60)  # full again after 1 s
    for key in ("@a:test", "@b:test", "@c:test"):
        throttle.check(key, now=0.0)
    assert throttle.check("@recent:test", now=0.8) is Verdict.ALLOW
    throttle.check("@new:test", now=1.5)
    assert set(throttle._buckets) == {"@recent:test", "@new:test"}
    assert throttle.check("@recent:test", now=1.5) is Verdict.WARN
    assert throttle.check("@a:test", now=1.5) is Verdict.ALLOW


def test_the_default_pruning_threshold_keeps_behaviour() -> None:
    throttle = Throttle(burst=1, per_minute=60)  # full again after 1 s
    for number in range(Throttle._PRUNE_ABOVE + 1):
        throttle.check(f"@old{number}:test", now=0.0)
    assert throttle.check(ALICE, now=9.5) is Verdict.ALLOW
    assert set(throttle._buckets) == {ALICE}
    assert throttle.check(ALICE, now=9.5) is Verdict.WARN
    assert throttle.check("@old0:test", now=9.5) is Verdict.ALLOW


_KEYS = st.sampled_from(["@a:test", "@b:test", "@c:test", "@d:test"])
_STEPS = st.lists(
    st.tuples(st.floats(min_value=0, max_value=3, allow_nan=False), _KEYS),
    max_size=200,
)


def _timeline(steps: list[tuple[float, str]]) -> list[tuple[float, str]]:
    now = 0.0
    timeline = []
    for gap, key in steps:
        now += gap
        timeline.append((now, key))
    return timeline


@given(
    burst=st.integers(min_value=1, max_value=4),
    per_minute=st.floats(min_value=0.5, max_value=120, allow_nan=False),
    steps=_STEPS,
)
def test_pruning_never_changes_a_verdict(
    burst: int, per_minute: float, steps: list[tuple[float, str]]
) -> None:
    """Times are in units of the time one token takes to come back."""
    eager = _EagerPruning(burst, per_minute)
    never = _NoPruning(burst, per_minute)
    for tokens, key in _timeline(steps):
        now = tokens * 60 / per_minute
        assert eager.check(key, now) is never.check(key, now)
        assert eager.wait_seconds(key) == never.wait_seconds(key)


@given(
    burst=st.integers(min_value=1, max_value=10),
    per_minute=st.floats(min_value=0.5, max_value=120, allow_nan=False),
    gaps=st.lists(st.floats(min_value=0, max_value=20, allow_nan=False), max_size=150),
)
def test_allowed_commands_in_any_window_never_exceed_burst_plus_refill(
    burst: int, per_minute: float, gaps: list[float]
) -> None:
    throttle = Throttle(burst, per_minute)
    rate = per_minute / 60
    now = 0.0
    allowed: list[float] = []
    for gap in gaps:
        now += gap
        if throttle.check(ALICE, now) is Verdict.ALLOW:
            allowed.append(now)
    for first, start in enumerate(allowed):
        for last in range(first, len(allowed)):
            window = allowed[last] - start
            count = last - first + 1
            assert count <= burst + rate * window + 1e-9


@given(
    burst=st.integers(min_value=1, max_value=10),
    per_minute=st.floats(min_value=0.5, max_value=120, allow_nan=False),
    gaps=st.lists(st.floats(min_value=0, max_value=20, allow_nan=False), max_size=100),
)
def test_the_announced_wait_is_neither_too_short_nor_too_long(
    burst: int, per_minute: float, gaps: list[float]
) -> None:
    throttle = Throttle(burst, per_minute)
    now = 0.0
    for gap in gaps:
        now += gap
        throttle.check(ALICE, now)
    wait = throttle.wait_seconds(ALICE)
    assert wait >= 0
    if wait == 0:
        assert throttle.check(ALICE, now) is Verdict.ALLOW
        return
    if wait >= 2:
        assert throttle.check(ALICE, now + wait - 1) is not Verdict.ALLOW
    assert throttle.check(ALICE, now + wait + 1) is Verdict.ALLOW


@pytest.mark.parametrize("burst", [1, 3])
def test_a_steady_pace_at_the_rate_is_always_allowed(burst: int) -> None:
    throttle = Throttle(burst=burst, per_minute=6)
    assert all(throttle.check(ALICE, now=10.0 * n) is Verdict.ALLOW for n in range(100))
