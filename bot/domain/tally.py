"""Counting a native poll's responses as Element counts them (MSC3381), then by weight.

Every response event is kept, so the rules can be applied at any time: a voter's latest
response on or before the close counts, by server timestamp (ties broken by event id, so
that the order events arrive in never changes the result); a redacted response is as if
never sent, so the one before it counts again. The latest response is spoiled, and the
voter has no vote, when it has no answers list, an empty one (which is how a member takes
their vote back) or names an answer the poll does not have. Answers beyond the poll's
``max_selections`` are dropped, as sent (the MSC cuts before anything else), then a repeated
answer counts once.

A voter's whole weight goes to each answer they chose: with several selections, an answer's
weight says how much of the room supports it, not a share of a budget.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Response:
    """One poll response event, as received."""

    event_id: str
    voter: str
    answers: tuple[str, ...] | None  # None: malformed, the event had no answers list
    sent_at: datetime  # the server's timestamp, the one the close is compared with
    redacted: bool = False


def ballots(
    responses: Iterable[Response],
    answer_ids: Sequence[str],
    max_selections: int,
    until: datetime | None = None,
) -> dict[str, tuple[str, ...]]:
    """Each voter with a valid vote → the answer ids they chose, in their order.

    ``until``: the close; responses sent after it are ignored (those sent at it count).
    """
    latest: dict[str, Response] = {}
    for response in responses:
        if response.redacted or (until is not None and response.sent_at > until):
            continue
        current = latest.get(response.voter)
        if current is None or (response.sent_at, response.event_id) > (
            current.sent_at,
            current.event_id,
        ):
            latest[response.voter] = response
    known = frozenset(answer_ids)
    chosen: dict[str, tuple[str, ...]] = {}
    for voter, response in latest.items():
        selection = _selection(response.answers, known, max_selections)
        if selection:
            chosen[voter] = selection
    return chosen


def _selection(
    answers: tuple[str, ...] | None, known: frozenset[str], max_selections: int
) -> tuple[str, ...]:
    """The answers a response counts for; empty when it is spoiled or takes the vote back."""
    if not answers or not all(isinstance(each, str) and each in known for each in answers):
        return ()
    return tuple(dict.fromkeys(answers[:max_selections]))


@dataclass(frozen=True)
class AnswerTotal:
    answer_id: str
    voters: int
    weight: float
    share: float  # of the total weight of everyone who voted; 0.0 when nobody did


@dataclass(frozen=True)
class Tally:
    answers: tuple[AnswerTotal, ...]  # in the poll's order
    voters: int
    total_weight: float  # of the voters, each counted once however many answers they chose
    bounded_voters: int = 0  # voters who had fewer hours counted than they recorded
    abstentions: int = 0  # took part, for the quorum, and chose no answer
    abstention_weight: float = 0.0


def tally(
    ballots: Mapping[str, Sequence[str]],
    answer_ids: Sequence[str],
    weight_of: Mapping[str, float],
    default_weight: float = 1.0,
    bounded: Collection[str] = frozenset(),
    abstain: str | None = None,
) -> Tally:
    """Head count and weight of each answer; voters missing from ``weight_of`` weigh the
    default. ``bounded``: the members whose hours a bound cut, as their weights were frozen.
    ``abstain``: the answer id that says "I abstain": a ballot with it is an abstention,
    counted apart (it takes part, toward a quorum, and supports no answer).

    Ballots from ``ballots`` are clean; any other mapping is read the same way: an unknown
    answer is not counted, a repeated one counts once, a voter with no known answer is not
    a voter. Sums are exact to rounding (``math.fsum``), so the order of the voters never
    changes a result, nor two equal answers' tie.
    """
    answer_ids = [answer for answer in answer_ids if answer != abstain]
    shares: dict[str, list[float]] = {answer: [] for answer in answer_ids}
    counted: list[float] = []
    abstaining: list[float] = []
    bounded_voters = 0
    for voter, chosen in ballots.items():
        weight = weight_of.get(voter, default_weight)
        if abstain is not None and abstain in chosen:
            abstaining.append(weight)
            continue
        kept = [answer for answer in dict.fromkeys(chosen) if answer in shares]
        if not kept:
            continue
        counted.append(weight)
        bounded_voters += voter in bounded
        for answer in kept:
            shares[answer].append(weight)
    total = math.fsum(counted)
    totals = []
    for answer in dict.fromkeys(answer_ids):
        weight = math.fsum(shares[answer])
        totals.append(
            AnswerTotal(
                answer_id=answer,
                voters=len(shares[answer]),
                weight=weight,
                share=weight / total if total > 0 else 0.0,
            )
        )
    return Tally(
        answers=tuple(totals),
        voters=len(counted),
        total_weight=total,
        bounded_voters=bounded_voters,
        abstentions=len(abstaining),
        abstention_weight=math.fsum(abstaining),
    )


@dataclass(frozen=True)
class FinalResult:
    """The count kept when a poll closes: what every later reader shows, never counted again."""

    voters: int
    total_weight: float
    answer_voters: tuple[int, ...]
    answer_weights: tuple[float, ...]
    bounded_voters: int = 0
    abstentions: int = 0
    abstention_weight: float = 0.0

    @classmethod
    def of(cls, tally: Tally) -> FinalResult:
        return cls(
            tally.voters,
            tally.total_weight,
            tuple(each.voters for each in tally.answers),
            tuple(each.weight for each in tally.answers),
            tally.bounded_voters,
            tally.abstentions,
            tally.abstention_weight,
        )

    @property
    def took_part(self) -> int:
        """Voters and abstainers: the head count a quorum asks for."""
        return self.voters + self.abstentions

    @property
    def weight_taking_part(self) -> float:
        return self.total_weight + self.abstention_weight

    def leading(self, *, by_heads: bool) -> tuple[int, ...]:
        """Positions of the answers with the greatest weight (head count for one member, one
        vote), ties all kept; none when nobody voted."""
        scores = self.answer_voters if by_heads else self.answer_weights
        best = max(scores, default=0)
        return tuple(index for index, score in enumerate(scores) if score == best and score > 0)

    def to_json(self) -> str:
        answers = [
            {"voters": voters, "weight": weight}
            for voters, weight in zip(self.answer_voters, self.answer_weights, strict=True)
        ]
        return json.dumps(
            {
                "voters": self.voters,
                "total_weight": self.total_weight,
                "answers": answers,
                "bounded_voters": self.bounded_voters,
                "abstentions": self.abstentions,
                "abstention_weight": self.abstention_weight,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> FinalResult:
        data = json.loads(text)
        return cls(
            data["voters"],
            data["total_weight"],
            tuple(each["voters"] for each in data["answers"]),
            tuple(each["weight"] for each in data["answers"]),
            # Results kept before these were counted have none.
            data.get("bounded_voters", 0),
            data.get("abstentions", 0),
            data.get("abstention_weight", 0.0),
        )
