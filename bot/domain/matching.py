"""Mentorship matches: who could learn from whom, how good a pair is, and the best overall set.

A need of member L at level l and an offer of member M at level m on the same skill can be
paired when m > l. The score prefers, in this order of weight: a near-peer gap (1 or 2
levels), reciprocity (L offers a skill M needs), a mentee who has waited longer, a mentor
with capacity left, a pair not seen before on that skill. Declined pairs never come back.

Scores are computed for a whole skill at once with numpy, so that a community of thousands
costs a few array operations per skill rather than millions of Python calls. numpy and
scipy are imported by the functions that compute, not here: together they are ~40 MiB
and ~0.2 s that a bot answering ``!help`` would carry from start-up for nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from scipy.sparse import csr_matrix

    Matrix = npt.NDArray[np.float64]

# How well a gap of k levels fits: 1 or 2 is "halfway between the novice and the expert".
_GAP_FIT = (0.0, 1.0, 1.0, 0.5, 0.25)
# Each need weighs at most this many candidate offers in the community-wide assignment.
CANDIDATES_PER_NEED = 12


@dataclass(frozen=True)
class Need:
    id: int
    member: str
    skill_id: int
    level: int
    created_at: datetime


@dataclass(frozen=True)
class Offer:
    id: int
    member: str
    skill_id: int
    level: int
    capacity_left: int


@dataclass(frozen=True)
class Weights:
    """How much each preference counts; ``[matching]`` in the config."""

    gap: float = 8.0
    reciprocity: float = 4.0
    waiting: float = 2.0
    capacity: float = 1.0
    novelty: float = 1.0
    waiting_days_full: float = 60.0  # a need this old earns the whole waiting bonus
    mentor_capacity: int = 2


@dataclass(frozen=True)
class History:
    """What the community knows about members beyond one skill."""

    offered: Mapping[str, frozenset[int]]  # member → skills they offer (open)
    needed: Mapping[str, frozenset[int]]  # member → skills they need (open)
    declined: frozenset[tuple[str, str, int]] = frozenset()  # (mentee, mentor, skill)
    paired_before: frozenset[tuple[str, str, int]] = frozenset()

    def reciprocal(self, mentee: str, mentor: str) -> bool:
        """The mentee offers something the mentor needs: cross-fertilisation."""
        return bool(self.taught_back(mentee, mentor))

    def taught_back(self, mentee: str, mentor: str) -> frozenset[int]:
        """The skills the mentee offers and the mentor needs, for saying which one."""
        return self.offered.get(mentee, frozenset()) & self.needed.get(mentor, frozenset())


@dataclass(frozen=True)
class Pair:
    """A suggested pair and the facts behind its score, for a one-line explanation."""

    need: Need
    offer: Offer
    score: float
    reciprocal: bool
    paired_before: bool

    @property
    def gap(self) -> int:
        return self.offer.level - self.need.level


def score_matrix(
    needs: Sequence[Need],
    offers: Sequence[Offer],
    history: History,
    weights: Weights,
    now: datetime,
) -> Matrix:
    """Scores of every need (rows) with every offer (columns) of ONE skill; -inf: never."""
    import numpy as np

    gap_fit = np.array(_GAP_FIT)
    need_level = np.array([need.level for need in needs], dtype=np.int64)[:, None]
    offer_level = np.array([offer.level for offer in offers], dtype=np.int64)[None, :]
    gap = offer_level - need_level
    waited = np.array([_days(now, need.created_at) for need in needs])[:, None]
    capacity = np.array([offer.capacity_left for offer in offers], dtype=np.float64)[None, :]
    scores: Matrix = (
        weights.gap * gap_fit[np.clip(gap, 0, len(_GAP_FIT) - 1)]
        + weights.gap * 0.1 * (gap >= len(_GAP_FIT))
        + weights.waiting * np.minimum(1.0, waited / weights.waiting_days_full)
        + weights.capacity * capacity / max(1, weights.mentor_capacity)
        + weights.novelty
    )
    scores += weights.reciprocity * _reciprocity(needs, offers, history)
    rows = _positions(need.member for need in needs)
    columns = _positions(offer.member for offer in offers)
    skill = needs[0].skill_id if needs else None
    for mentee, mentor, on_skill in history.paired_before:
        if on_skill == skill and mentee in rows and mentor in columns:
            scores[np.ix_(rows[mentee], columns[mentor])] -= weights.novelty
    for mentee, mentor, on_skill in history.declined:
        if on_skill == skill and mentee in rows and mentor in columns:
            scores[np.ix_(rows[mentee], columns[mentor])] = -np.inf
    for member in rows.keys() & columns.keys():
        scores[np.ix_(rows[member], columns[member])] = -np.inf
    scores[(gap <= 0) | (capacity <= 0)] = -np.inf
    return scores


def best_for_need(
    need: Need,
    offers: Sequence[Offer],
    history: History,
    weights: Weights,
    now: datetime,
    limit: int,
) -> list[Pair]:
    """The best mentors for one need, best first."""
    import numpy as np

    same_skill = [offer for offer in offers if offer.skill_id == need.skill_id]
    if not same_skill:
        return []
    scores = score_matrix([need], same_skill, history, weights, now)[0]
    order = sorted(
        (column for column in range(len(same_skill)) if np.isfinite(scores[column])),
        key=lambda column: (-scores[column], same_skill[column].id),
    )
    return [
        _pair(need, same_skill[column], float(scores[column]), history) for column in order[:limit]
    ]


def best_for_offer(
    offer: Offer,
    needs: Sequence[Need],
    history: History,
    weights: Weights,
    now: datetime,
    limit: int,
) -> list[Pair]:
    """The mentees an offer could help most, best first."""
    import numpy as np

    same_skill = [need for need in needs if need.skill_id == offer.skill_id]
    if not same_skill:
        return []
    scores = score_matrix(same_skill, [offer], history, weights, now)[:, 0]
    order = sorted(
        (row for row in range(len(same_skill)) if np.isfinite(scores[row])),
        key=lambda row: (-scores[row], same_skill[row].id),
    )
    return [_pair(same_skill[row], offer, float(scores[row]), history) for row in order[:limit]]


def assign(
    needs: Iterable[Need],
    offers: Iterable[Offer],
    history: History,
    weights: Weights,
    now: datetime,
) -> list[Pair]:
    """The set of pairs with the greatest total score, each offer within its capacity.

    Needs and offers meet only on the same skill, so the problem splits into one small
    assignment per skill. Each is solved exactly by scipy's sparse assignment over every
    need's ``CANDIDATES_PER_NEED`` best offers: exact whenever no need has more candidates
    than that, and close to it otherwise, at a cost that grows with the community, not its
    square.
    """
    needs_by_skill: dict[int, list[Need]] = defaultdict(list)
    offers_by_skill: dict[int, list[Offer]] = defaultdict(list)
    for need in needs:
        needs_by_skill[need.skill_id].append(need)
    for offer in offers:
        if offer.capacity_left > 0:
            offers_by_skill[offer.skill_id].append(offer)
    pairs: list[Pair] = []
    for skill, skill_needs in needs_by_skill.items():
        if offers_by_skill[skill]:
            pairs += _assign_skill(skill_needs, offers_by_skill[skill], history, weights, now)
    return sorted(pairs, key=lambda pair: (pair.need.skill_id, pair.need.id))


def _assign_skill(
    needs: Sequence[Need],
    offers: Sequence[Offer],
    history: History,
    weights: Weights,
    now: datetime,
) -> list[Pair]:
    import numpy as np
    from scipy.sparse import csr_matrix

    rows, columns, values = _candidates(needs, offers, history, weights, now)
    # Columns: one per unit of each offer's capacity, then one "stays unmatched" per need.
    capacity = np.array([offer.capacity_left for offer in offers], dtype=np.int64)
    first_slot = np.concatenate(([0], np.cumsum(capacity)))
    slots = int(first_slot[-1])
    per_pair = capacity[columns]
    offset = np.arange(per_pair.sum()) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
    graph = csr_matrix(
        (
            np.concatenate((np.repeat(values, per_pair), np.full(len(needs), _UNMATCHED))),
            (
                np.concatenate((np.repeat(rows, per_pair), np.arange(len(needs)))),
                np.concatenate(
                    (
                        np.repeat(first_slot[columns], per_pair) + offset,
                        slots + np.arange(len(needs)),
                    )
                ),
            ),
        ),
        shape=(len(needs), slots + len(needs)),
    )
    owner = np.repeat(np.arange(len(offers)), capacity)
    matched_rows, matched_columns = _solve(graph)
    return [
        _pair(needs[row], offers[owner[column]], float(graph[row, column]), history)
        for row, column in zip(matched_rows, matched_columns, strict=True)
        if column < slots
    ]


def _candidates(
    needs: Sequence[Need],
    offers: Sequence[Offer],
    history: History,
    weights: Weights,
    now: datetime,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], Matrix]:
    """Each need's best offers as (need row, offer column, score), scored a block at a time
    so a popular skill never holds a whole needs × offers matrix."""
    import numpy as np

    keep = min(CANDIDATES_PER_NEED, len(offers))
    found: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], Matrix]] = []
    for start in range(0, len(needs), _BLOCK):
        scores = score_matrix(needs[start : start + _BLOCK], offers, history, weights, now)
        best = np.argpartition(-scores, keep - 1, axis=1)[:, :keep]
        values = np.take_along_axis(scores, best, axis=1)
        finite = np.isfinite(values)
        block_rows = np.broadcast_to(np.arange(start, start + len(scores))[:, None], best.shape)
        found.append((block_rows[finite], best[finite], values[finite]))
    return (
        np.concatenate([rows for rows, _, _ in found]),
        np.concatenate([columns for _, columns, _ in found]),
        np.concatenate([values for _, _, values in found]),
    )


_BLOCK = 256  # needs scored at once

# Worth next to nothing, but stored: a sparse matrix drops explicit zeros.
_UNMATCHED = 1e-9


def _solve(graph: csr_matrix) -> tuple[list[int], list[int]]:
    """Rows and columns of the maximum-weight matching that covers every row."""
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    rows, columns = min_weight_full_bipartite_matching(graph, maximize=True)
    return [int(row) for row in rows], [int(column) for column in columns]


def _pair(need: Need, offer: Offer, value: float, history: History) -> Pair:
    return Pair(
        need,
        offer,
        value,
        history.reciprocal(need.member, offer.member),
        (need.member, offer.member, need.skill_id) in history.paired_before,
    )


def _reciprocity(needs: Sequence[Need], offers: Sequence[Offer], history: History) -> Matrix:
    """1 where the mentee offers a skill the mentor needs: one sparse product, not a loop."""
    import numpy as np

    mentees = sorted({need.member for need in needs})
    mentors = sorted({offer.member for offer in offers})
    skills = {
        skill: index
        for index, skill in enumerate(
            sorted(
                set().union(*(history.offered.get(member, ()) for member in mentees))
                & set().union(*(history.needed.get(member, ()) for member in mentors))
            )
        )
    }
    if not skills:
        return np.zeros((len(needs), len(offers)))
    offered = _incidence(mentees, history.offered, skills)
    needed = _incidence(mentors, history.needed, skills)
    shared = (offered @ needed.T).toarray() > 0
    mentee_index = {member: index for index, member in enumerate(mentees)}
    mentor_index = {member: index for index, member in enumerate(mentors)}
    row_of = [mentee_index[need.member] for need in needs]
    column_of = [mentor_index[offer.member] for offer in offers]
    result: Matrix = shared[np.ix_(row_of, column_of)].astype(np.float64)
    return result


def _incidence(
    members: Sequence[str], skills_of: Mapping[str, frozenset[int]], columns: Mapping[int, int]
) -> csr_matrix:
    """A members × skills 0/1 matrix of the skills each member has in ``skills_of``."""
    import numpy as np
    from scipy.sparse import csr_matrix

    rows: list[int] = []
    cols: list[int] = []
    for row, member in enumerate(members):
        for skill in skills_of.get(member, ()):
            if skill in columns:
                rows.append(row)
                cols.append(columns[skill])
    return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(members), len(columns)))


def _positions(members: Iterable[str]) -> dict[str, list[int]]:
    positions: dict[str, list[int]] = defaultdict(list)
    for index, member in enumerate(members):
        positions[member].append(index)
    return positions


def _days(now: datetime, then: datetime) -> float:
    return max(0.0, (now - then).total_seconds() / 86400)
