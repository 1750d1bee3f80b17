"""Poll counting: the latest valid response per voter (MSC3381 as Element counts), then weights."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.tally import AnswerTotal, FinalResult, Response, Tally, ballots, tally

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ANSWERS = ("1", "2", "3")
ALICE, BOB, CHLOE, DAVID = "@alice:test", "@bob:test", "@chloe:test", "@david:test"


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def response(
    voter: str,
    answers: Sequence[str] | None,
    minutes: float,
    event_id: str | None = None,
    redacted: bool = False,
) -> Response:
    return Response(
        event_id=event_id or f"${voter[1:3]}{minutes}",
        voter=voter,
        answers=None if answers is None else tuple(answers),
        sent_at=at(minutes),
        redacted=redacted,
    )


# Ballots: worked examples.


def test_each_voters_latest_response_counts() -> None:
    found = ballots(
        [
            response(ALICE, ["1"], 0),
            response(BOB, ["2"], 1),
            response(ALICE, ["3"], 2),
            response(CHLOE, ["2"], 3),
        ],
        ANSWERS,
        1,
    )
    assert found == {ALICE: ("3",), BOB: ("2",), CHLOE: ("2",)}


def test_redacting_the_latest_response_brings_back_the_previous() -> None:
    found = ballots(
        [
            response(ALICE, ["1"], 0),
            response(ALICE, ["2"], 1),
            response(ALICE, ["3"], 2, redacted=True),
            response(BOB, ["1"], 0, redacted=True),
        ],
        ANSWERS,
        1,
    )
    assert found == {ALICE: ("2",)}


@pytest.mark.parametrize(
    "spoiled",
    [None, [], ["4"], ["1", "4"], ["2", "2", "x"]],
    ids=["no answers list", "empty: unvoted", "unknown", "one unknown", "unknown last"],
)
def test_a_spoiled_or_empty_latest_response_leaves_no_vote(spoiled: list[str] | None) -> None:
    found = ballots([response(ALICE, ["1"], 0), response(ALICE, spoiled, 1)], ANSWERS, 2)
    assert found == {}


def test_extra_selections_are_dropped_as_sent_then_repeats_count_once() -> None:
    found = ballots(
        [response(ALICE, ["2", "2", "1", "3"], 0), response(BOB, ["3", "1", "3"], 0)], ANSWERS, 2
    )
    assert found == {ALICE: ("2",), BOB: ("3", "1")}


def test_responses_after_the_close_are_ignored_and_at_the_close_count() -> None:
    responses = [
        response(ALICE, ["1"], 0),
        response(ALICE, ["2"], 10),
        response(BOB, ["3"], 10.01),
        response(CHLOE, ["1"], 9),
        response(CHLOE, [], 11),  # too late to take it back
    ]
    assert ballots(responses, ANSWERS, 1, until=at(10)) == {ALICE: ("2",), CHLOE: ("1",)}


def test_a_timestamp_tie_is_broken_by_event_id_whatever_the_order() -> None:
    first, second = response(ALICE, ["1"], 5, "$a"), response(ALICE, ["2"], 5, "$b")
    assert ballots([first, second], ANSWERS, 1) == {ALICE: ("2",)}
    assert ballots([second, first], ANSWERS, 1) == {ALICE: ("2",)}


def test_a_poll_without_responses_has_no_ballots() -> None:
    assert ballots([], ANSWERS, 1) == {}


# Ballots: properties, against a plain model of the rules.

VOTERS = [ALICE, BOB, CHLOE, DAVID]
CHOICES = st.sampled_from([*ANSWERS, "4"])


@st.composite
def response_lists(draw: st.DrawFn) -> list[Response]:
    count = draw(st.integers(0, 25))
    ids = draw(st.permutations(range(count)))  # event ids unrelated to the order sent
    return [
        Response(
            event_id=f"$e{ids[number]:02d}",
            voter=draw(st.sampled_from(VOTERS)),
            answers=draw(st.none() | st.lists(CHOICES, max_size=4).map(tuple)),
            sent_at=at(draw(st.integers(0, 20))),  # ties happen
            redacted=draw(st.integers(0, 3)) == 0,  # one in four taken back
        )
        for number in range(count)
    ]


def model(
    responses: Sequence[Response],
    answer_ids: Sequence[str],
    max_selections: int,
    until: datetime | None = None,
) -> dict[str, tuple[str, ...]]:
    """The rules as written, voter by voter."""
    result: dict[str, tuple[str, ...]] = {}
    for voter in {each.voter for each in responses}:
        valid = sorted(
            (
                each
                for each in responses
                if each.voter == voter
                and not each.redacted
                and (until is None or each.sent_at <= until)
            ),
            key=lambda each: (each.sent_at, each.event_id),
        )
        if not valid:
            continue
        answers = valid[-1].answers
        if not answers or any(answer not in answer_ids for answer in answers):
            continue
        distinct: list[str] = []
        for answer in answers[:max_selections]:  # as sent, then each answer once
            if answer not in distinct:
                distinct.append(answer)
        result[voter] = tuple(distinct)
    return result


@given(responses=response_lists(), max_selections=st.integers(1, 3))
def test_ballots_follow_the_rules(responses: list[Response], max_selections: int) -> None:
    assert ballots(responses, ANSWERS, max_selections) == model(responses, ANSWERS, max_selections)


@given(responses=response_lists(), max_selections=st.integers(1, 3), rng=st.randoms())
def test_the_order_responses_arrive_in_never_changes_the_ballots(
    responses: list[Response], max_selections: int, rng: random.Random
) -> None:
    shuffled = rng.sample(responses, len(responses))
    assert ballots(shuffled, ANSWERS, max_selections) == ballots(responses, ANSWERS, max_selections)


@given(
    responses=response_lists(),
    voter=st.sampled_from(VOTERS),
    answers=st.lists(st.sampled_from(ANSWERS), min_size=1, max_size=4),
    max_selections=st.integers(1, 3),
)
def test_a_later_response_replaces_the_voters_earlier_ones(
    responses: list[Response], voter: str, answers: list[str], max_selections: int
) -> None:
    before = ballots(responses, ANSWERS, max_selections)
    later = Response("$later", voter, tuple(answers), at(21))
    after = ballots([*responses, later], ANSWERS, max_selections)
    assert after[voter] == tuple(dict.fromkeys(answers[:max_selections]))
    assert {k: v for k, v in after.items() if k != voter} == {
        k: v for k, v in before.items() if k != voter
    }


@given(
    responses=response_lists(),
    voter=st.sampled_from(VOTERS),
    spoiled=st.sampled_from([None, (), ("4",), ("1", "4")]),
)
def test_a_spoiled_latest_response_removes_the_vote(
    responses: list[Response], voter: str, spoiled: tuple[str, ...] | None
) -> None:
    before = ballots(responses, ANSWERS, 2)
    after = ballots([*responses, Response("$spoiled", voter, spoiled, at(21))], ANSWERS, 2)
    assert voter not in after
    assert after == {k: v for k, v in before.items() if k != voter}


@given(responses=response_lists(), voter=st.sampled_from(VOTERS))
def test_redacting_the_latest_response_is_as_if_it_was_never_sent(
    responses: list[Response], voter: str
) -> None:
    standing = [each for each in responses if each.voter == voter and not each.redacted]
    if not standing:
        return
    latest = max(standing, key=lambda each: (each.sent_at, each.event_id))
    redacted = [
        Response(each.event_id, each.voter, each.answers, each.sent_at, True)
        if each is latest
        else each
        for each in responses
    ]
    without = [each for each in responses if each is not latest]
    assert ballots(redacted, ANSWERS, 2) == ballots(without, ANSWERS, 2)


@given(responses=response_lists(), close=st.integers(0, 20))
def test_responses_after_the_close_are_as_if_never_sent(
    responses: list[Response], close: int
) -> None:
    until = at(close)
    before_close = [each for each in responses if each.sent_at <= until]
    assert ballots(responses, ANSWERS, 2, until) == ballots(before_close, ANSWERS, 2)
    assert ballots(responses, ANSWERS, 2, until) == model(responses, ANSWERS, 2, until)


# Tally.


def test_a_weighted_tally_with_several_selections() -> None:
    result = tally(
        {ALICE: ["1"], BOB: ["1", "2"], CHLOE: ["2"], DAVID: ["3"]},
        ANSWERS,
        {ALICE: 3.0, BOB: 2.0, DAVID: 1.5, "@absent:test": 2.5},
    )
    assert result == Tally(
        answers=(
            AnswerTotal("1", voters=2, weight=5.0, share=5.0 / 7.5),
            AnswerTotal("2", voters=2, weight=3.0, share=3.0 / 7.5),
            AnswerTotal("3", voters=1, weight=1.5, share=1.5 / 7.5),
        ),
        voters=4,
        total_weight=7.5,
    )
    assert FinalResult.of(result).leading(by_heads=False) == (0,)
    assert FinalResult.of(result).leading(by_heads=True) == (0, 1)


def test_ties_keep_every_leader() -> None:
    result = tally({ALICE: ["1"], BOB: ["3"]}, ANSWERS, {ALICE: 2.0, BOB: 2.0})
    assert FinalResult.of(result).leading(by_heads=False) == (0, 2)
    assert [each.share for each in result.answers] == [0.5, 0.0, 0.5]


def test_nobody_voted() -> None:
    result = tally({}, ANSWERS, {ALICE: 2.0})
    assert result.voters == 0
    assert result.total_weight == 0.0
    assert FinalResult.of(result).leading(by_heads=False) == ()
    assert all(each.share == 0.0 and each.weight == 0.0 for each in result.answers)


def test_the_default_weight_is_what_a_member_left_out_weighs() -> None:
    result = tally({ALICE: ["1"], BOB: ["2"]}, ANSWERS, {ALICE: 2.0}, default_weight=1.0)
    assert [each.weight for each in result.answers] == [2.0, 1.0, 0.0]
    equal = tally({ALICE: ["1"], BOB: ["2"]}, ANSWERS, {}, default_weight=1.0)
    assert [each.weight for each in equal.answers] == [1.0, 1.0, 0.0]


def test_answers_a_poll_does_not_have_are_not_counted() -> None:
    result = tally({ALICE: ["1", "1", "9"], BOB: ["9"]}, ANSWERS, {})
    assert (result.voters, result.total_weight) == (1, 1.0)
    assert [each.voters for each in result.answers] == [1, 0, 0]


weights = st.dictionaries(
    st.sampled_from(VOTERS), st.floats(1, 3, allow_nan=False, allow_infinity=False)
)
ballot_maps = st.dictionaries(
    st.sampled_from([*VOTERS, "@e:test", "@f:test"]),
    st.lists(st.sampled_from(ANSWERS), min_size=1, max_size=3, unique=True),
)


@given(chosen=ballot_maps, weight_of=weights)
def test_the_total_weight_is_the_sum_of_the_counted_voters_weights(
    chosen: dict[str, list[str]], weight_of: dict[str, float]
) -> None:
    result = tally(chosen, ANSWERS, weight_of)
    counted = [weight_of.get(voter, 1.0) for voter in chosen]
    assert result.voters == len(chosen)
    assert result.total_weight == math.fsum(counted)
    for total in result.answers:
        voters = [voter for voter, answers in chosen.items() if total.answer_id in answers]
        assert total.voters == len(voters)
        assert total.weight == math.fsum(weight_of.get(voter, 1.0) for voter in voters)
        assert total.weight <= result.total_weight
        assert total.share == (total.weight / result.total_weight if chosen else 0.0)
    if chosen and all(len(answers) == 1 for answers in chosen.values()):
        assert math.isclose(sum(each.share for each in result.answers), 1.0)
    best = max((each.weight for each in result.answers), default=0.0)
    kept = FinalResult.of(result)
    assert kept.leading(by_heads=False) == tuple(
        index for index, each in enumerate(result.answers) if chosen and each.weight == best
    )
    assert FinalResult.from_json(kept.to_json()) == kept


@given(chosen=ballot_maps, weight_of=weights, rng=st.randoms())
def test_the_order_of_voters_never_changes_the_tally(
    chosen: dict[str, list[str]], weight_of: dict[str, float], rng: random.Random
) -> None:
    shuffled = dict(rng.sample(list(chosen.items()), len(chosen)))
    assert tally(shuffled, ANSWERS, weight_of) == tally(chosen, ANSWERS, weight_of)


@given(responses=response_lists(), weight_of=weights)
def test_counting_responses_end_to_end_with_equal_weights_is_a_head_count(
    responses: list[Response], weight_of: dict[str, float]
) -> None:
    chosen = ballots(responses, ANSWERS, 3)
    heads = tally(chosen, ANSWERS, {})
    assert heads.total_weight == heads.voters == len(chosen)
    assert [each.weight for each in heads.answers] == [each.voters for each in heads.answers]
    weighed = tally(chosen, ANSWERS, weight_of)
    assert [each.voters for each in weighed.answers] == [each.voters for each in heads.answers]
    assert heads.voters <= weighed.total_weight <= 3 * heads.voters


def test_voters_whose_hours_a_bound_cut_are_counted_when_they_voted() -> None:
    """Bob and Chloé had hours cut; Chloé voted for nothing the poll has, so only Bob counts."""
    result = tally(
        {"alice": ["a"], "bob": ["b"], "chloe": ["zzz"]},
        ["a", "b"],
        {"bob": 1.5},
        bounded={"bob", "chloe", "david"},
    )
    assert result.bounded_voters == 1
    kept = FinalResult.of(result)
    assert FinalResult.from_json(kept.to_json()).bounded_voters == 1
    older = '{"voters": 1, "total_weight": 1.0, "answers": [{"voters": 1, "weight": 1.0}]}'
    assert FinalResult.from_json(older).bounded_voters == 0  # kept before the count was
