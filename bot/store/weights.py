"""What poll weights are computed from: each member's confirmed contributions.

A contribution counts once it has ``required`` confirmations; the ones still waiting for
witnesses add nothing. When a poll opens, every member's weight is frozen: the whole
community's confirmed contributions are read in one query, as the columns
``bot.domain.weighting.weigh_all`` takes, each a JSON array in a single row. A hundred
thousand rows would be as many Row objects for the garbage collector to walk, again and
again while they pile up: reading them as rows took three times as long and grew faster
than the ledger.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from bot.domain.trust import TrustRule, vouched_hours
from bot.domain.weighting import (
    WEEKS_FROM,
    WeightExplanation,
    WeightRule,
    Worked,
    explain,
    poll_domain,
    weigh_all,
)
from bot.store.contributions import CONFIRMATIONS
from bot.store.database import Transaction

if TYPE_CHECKING:
    from bot.domain.trust import Indices

UNTIMED_MINUTES = 60  # what work naming no hours counts for, as in ``bot.domain.weighting``

# The contributions with enough witnesses (forgotten ones count for nothing), found by one
# pass over confirmation's (contribution_id, confirmer) index rather than a count each.
_CONFIRMED = """
    SELECT contribution_id FROM confirmation GROUP BY contribution_id
    HAVING count(confirmer) >= ?
"""


async def vouched(
    tx: Transaction,
    required: int,
    now: datetime,
    rule: WeightRule,
    trust: TrustRule,
    seeds: Sequence[str],
) -> dict[str, float]:
    """Per member in the confirmation graph, the hours the community's trust vouches for,
    from ``seeds`` (the moderators) along every counted confirmation, hours decayed."""
    import numpy as np

    # Every witness of every contribution, counted ones or not: which count is told here,
    # from the rows themselves, rather than by a second pass grouping the confirmations.
    columns = await tx.fetch_one(
        f"""
        SELECT json_group_array(confirmation.confirmer),
               json_group_array(contribution.id),
               json_group_array(contribution.member),
               json_group_array(coalesce(contribution.minutes, {UNTIMED_MINUTES})),
               json_group_array(julianday(?) - julianday(contribution.created_at))
        FROM confirmation
        JOIN contribution ON contribution.id = confirmation.contribution_id
        WHERE contribution.voided_at IS NULL AND confirmation.confirmer IS NOT NULL
        """,
        (now.isoformat(),),
    )
    assert columns is not None
    confirmers, ids, workers, minutes, age_days = (json.loads(column) for column in columns)
    contribution = np.array(ids, dtype=np.intp)
    _, which, witnesses = np.unique(contribution, return_inverse=True, return_counts=True)
    counted = witnesses[which.reshape(-1)] >= required
    index = {seed: number for number, seed in enumerate(dict.fromkeys(seeds))}

    def numbered(names: list[str]) -> Indices:
        found = (index.setdefault(name, len(index)) for name in names)
        return np.fromiter(found, dtype=np.intp, count=len(names))[counted]

    confirmer, worker = numbered(confirmers), numbered(workers)
    decay = np.exp2(-np.maximum(np.array(age_days, dtype=np.float64), 0) / rule.half_life_days)
    hours = (np.array(minutes, dtype=np.float64) / 60 * decay)[counted]
    seeds_at = np.arange(len(dict.fromkeys(seeds)), dtype=np.intp)
    found = vouched_hours(confirmer, worker, hours, seeds_at, len(index), trust)
    return dict(zip(index, found.tolist(), strict=True))


async def community_weights(
    tx: Transaction,
    required: int,
    domain: str | None,
    now: datetime,
    rule: WeightRule,
    bounds: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """Every member's weight at ``now``; those who weigh exactly 1 are left out (absent = 1).

    ``required``: the confirmations a contribution needs to count, at least 1 (the config's
    bound; contributions without any confirmation are not even read). ``bounds``: the hours
    each member may be credited at most (``vouched``), a member absent from it none.
    """
    import numpy as np  # here, not at start-up: see ``bot.domain.weighting``

    _check(required)
    columns = await tx.fetch_one(
        f"""
        SELECT json_group_array(contribution.member),
               json_group_array(contribution.minutes),
               json_group_array(contribution.domain IS ?),
               json_group_array(julianday(?) - julianday(contribution.created_at)),
               json_group_array(CAST(
                   (julianday(contribution.created_at) - julianday(?)) / 7 AS INTEGER))
        FROM ({_CONFIRMED}) AS confirmed
        JOIN contribution ON contribution.id = confirmed.contribution_id
        WHERE contribution.voided_at IS NULL
        """,
        (poll_domain(domain), now.isoformat(), WEEKS_FROM.isoformat(), required),
    )
    assert columns is not None  # an aggregate always has its one row
    whose, minutes, in_domain, age_days, week = (json.loads(column) for column in columns)
    index: dict[str, int] = {}
    member_index = np.fromiter(
        (index.setdefault(member, len(index)) for member in whose), dtype=np.intp, count=len(whose)
    )
    weights = weigh_all(
        member_index,
        np.array(minutes, dtype=np.float64),  # null (no hours named) becomes NaN
        np.array(in_domain, dtype=np.bool_),
        np.array(age_days, dtype=np.float64),
        np.array(week, dtype=np.intp),
        len(index),
        rule,
        None if bounds is None else np.array([bounds.get(member, 0.0) for member in index]),
    )
    return {
        member: weight
        for member, weight in zip(index, weights.tolist(), strict=True)
        if weight != 1.0
    }


async def explain_member(
    tx: Transaction,
    member: str,
    required: int,
    domain: str | None,
    now: datetime,
    rule: WeightRule,
    bounds: Mapping[str, float] | None = None,
) -> WeightExplanation:
    """One member's weight at ``now``, term by term, from their confirmed contributions."""
    _check(required)
    rows = await tx.fetch_all(
        f"""
        SELECT contribution.minutes, contribution.domain, contribution.created_at
        FROM contribution
        WHERE contribution.member = ? AND contribution.voided_at IS NULL
          AND {CONFIRMATIONS} >= ?
        """,
        (member, required),
    )
    worked = [Worked(row[0], row[1], datetime.fromisoformat(row[2])) for row in rows]
    return explain(worked, domain, now, rule, None if bounds is None else bounds.get(member, 0.0))


def _check(required: int) -> None:
    if required < 1:
        raise ValueError(f"a contribution needs at least one confirmation to count, not {required}")
