"""What poll weights are computed from: each member's confirmed contributions, and who
confirmed them.

A contribution counts once it has ``required`` witnesses; the ones still waiting add
nothing. When a poll opens, every member's weight is frozen: every confirmation of the
community, with its contribution, is read in one query, as columns (each a JSON array in
a single row: a hundred thousand Row objects for the garbage collector to walk took
three times as long). From those rows come both the contributions that count (the
columns ``bot.domain.weighting.weigh_all`` takes) and the confirmation graph the trust
flows along (``bot.domain.trust``): one pass over the ledger, not two.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from bot.domain.trust import TrustBound, TrustRule, assess, closed_circles
from bot.domain.weighting import (
    WEEK,
    WEEKS_FROM,
    WeightExplanation,
    WeightRule,
    Worked,
    decay_all,
    explain,
    hours_of,
    poll_domain,
    weigh_all,
)
from bot.store.contributions import CONFIRMATIONS
from bot.store.database import Transaction

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from bot.domain.trust import Indices, Vector


@dataclass(frozen=True)
class Trust:
    """Count in full what the moderators (``seeds``) confirmed, and bound the rest of each
    member's hours by what trust from them vouches for."""

    seeds: Sequence[str]
    rule: TrustRule = field(default_factory=TrustRule)


@dataclass(frozen=True)
class _Witnessed:
    """Every counted confirmation, one row each, as columns; members numbered from 0."""

    members: list[str]
    confirmer: Indices
    worker: Indices
    contribution: Indices
    minutes: Vector  # NaN: the contribution named no hours
    in_domain: npt.NDArray[np.bool_]
    age_days: Vector
    week: Indices


async def _witnessed(
    tx: Transaction,
    required: int,
    domain: str | None,
    now: datetime,
    seeds: Sequence[str],
    until: datetime | None = None,
) -> _Witnessed:
    """Which contributions count is told from the rows themselves (their witnesses
    counted), rather than by a second pass grouping the confirmations. ``until``: as they
    stood then, later confirmations unread. The seeds are numbered first."""
    import numpy as np  # here, not at start-up: see ``bot.domain.weighting``

    _check(required)
    columns = await tx.fetch_one(
        """
        SELECT json_group_array(confirmation.confirmer),
               json_group_array(contribution.member),
               json_group_array(contribution.id),
               json_group_array(contribution.minutes),
               json_group_array(contribution.domain IS ?1),
               json_group_array(julianday(?2) - julianday(contribution.created_at)),
               json_group_array(CAST(
                   (julianday(contribution.created_at) - julianday(?3)) / 7 AS INTEGER))
        FROM confirmation
        JOIN contribution ON contribution.id = confirmation.contribution_id
        WHERE contribution.voided_at IS NULL AND confirmation.confirmer IS NOT NULL
          AND (?4 IS NULL OR julianday(confirmation.created_at) <= julianday(?4))
        """,
        (
            poll_domain(domain),
            now.isoformat(),
            WEEKS_FROM.isoformat(),
            None if until is None else until.isoformat(),
        ),
    )
    assert columns is not None  # an aggregate always has its one row
    confirmers, workers, ids, minutes, in_domain, age_days, week = (
        json.loads(column) for column in columns
    )
    contribution = np.array(ids, dtype=np.intp)
    _, which, witnesses = np.unique(contribution, return_inverse=True, return_counts=True)
    counted = witnesses[which.reshape(-1)] >= required
    index = {seed: number for number, seed in enumerate(dict.fromkeys(seeds))}

    def numbered(names: list[str]) -> Indices:
        found = (index.setdefault(name, len(index)) for name in names)
        return np.fromiter(found, dtype=np.intp, count=len(names))[counted]

    confirmer, worker = numbered(confirmers), numbered(workers)
    return _Witnessed(
        members=list(index),
        confirmer=confirmer,
        worker=worker,
        contribution=contribution[counted],
        minutes=np.array(minutes, dtype=np.float64)[counted],  # null becomes NaN
        in_domain=np.array(in_domain, dtype=np.bool_)[counted],
        age_days=np.array(age_days, dtype=np.float64)[counted],
        week=np.array(week, dtype=np.intp)[counted],
    )


def _decayed_hours(rows: _Witnessed, rule: WeightRule) -> Vector:
    return hours_of(rows.minutes) * decay_all(rows.age_days, rule)


def _bound(rows: _Witnessed, rule: WeightRule, trust: Trust) -> TrustBound:
    """What counts in full and what trust vouches for, along the decayed hours."""
    import numpy as np

    seeds = np.arange(len(dict.fromkeys(trust.seeds)), dtype=np.intp)
    hours = _decayed_hours(rows, rule)
    return assess(
        rows.confirmer, rows.worker, rows.contribution, hours, seeds, len(rows.members), trust.rule
    )


@dataclass(frozen=True)
class Unvouched:
    """A member whose confirmed hours go beyond what the community's trust vouches for."""

    member: str
    confirmed_hours: float  # decayed
    vouched_hours: float  # what counts: confirmed by a moderator, or vouched for


@dataclass(frozen=True)
class Audit:
    """What moderators look at: circles that vouch only for themselves, and hours that
    count for less than recorded, the largest first."""

    circles: list[tuple[list[str], float]]  # members, and the hours they confirmed inside
    unvouched: list[Unvouched]
    gains: list[tuple[str, float, float]]  # member, weight a week ago, weight now


async def audit(
    tx: Transaction, required: int, now: datetime, rule: WeightRule, trust: Trust
) -> Audit:
    import numpy as np

    rows = await _witnessed(tx, required, None, now, trust.seeds)
    found = _bound(rows, rule, trust)
    hours = _decayed_hours(rows, rule)
    members = len(rows.members)
    _, first = np.unique(rows.contribution, return_index=True)
    confirmed = np.bincount(rows.worker[first], weights=hours[first], minlength=members)
    full = np.bincount(
        rows.worker[first], weights=hours[first] * found.in_full[first], minlength=members
    )
    counted = full + np.minimum(confirmed - full, found.vouched)
    circles = closed_circles(rows.confirmer, rows.worker, hours, found.vouched, members)
    short = np.flatnonzero(counted < confirmed * (1 - 1e-9))
    now_weights = _weights(rows, rule, found).weights  # the rows and trust already at hand
    before = (await freeze(tx, required, None, now - WEEK, rule, trust, as_it_stood=True)).weights
    gained = [
        (member, before.get(member, 1.0), weight)
        for member, weight in now_weights.items()
        if weight > before.get(member, 1.0)
    ]
    return Audit(
        circles=[([rows.members[i] for i in members], inside) for members, inside in circles],
        unvouched=sorted(
            (Unvouched(rows.members[i], float(confirmed[i]), float(counted[i])) for i in short),
            key=lambda each: each.vouched_hours - each.confirmed_hours,
        ),
        gains=sorted(gained, key=lambda each: each[1] - each[2]),
    )


@dataclass(frozen=True)
class Frozen:
    """The weights a poll freezes: those who weigh exactly 1 left out (absent = 1); and the
    members who had fewer hours counted than recorded (the weekly bound, trust)."""

    weights: dict[str, float]
    bounded: frozenset[str]


async def freeze(
    tx: Transaction,
    required: int,
    domain: str | None,
    now: datetime,
    rule: WeightRule,
    trust: Trust | None = None,
    *,
    as_it_stood: bool = False,
) -> Frozen:
    """Every member's weight at ``now``.

    ``required``: the witnesses a contribution needs to count, at least 1 (the config's
    bound). ``trust``: bound the hours by it; None, no such bound. ``as_it_stood``: with
    only the confirmations made by ``now`` (a past moment), not the whole ledger's.
    """
    seeds = trust.seeds if trust else ()
    rows = await _witnessed(tx, required, domain, now, seeds, now if as_it_stood else None)
    return _weights(rows, rule, None if trust is None else _bound(rows, rule, trust))


def _weights(rows: _Witnessed, rule: WeightRule, found: TrustBound | None) -> Frozen:
    """The weights from the witnessed rows, one per contribution."""
    import numpy as np

    _, first = np.unique(rows.contribution, return_index=True)
    weighed = weigh_all(
        rows.worker[first],
        rows.minutes[first],
        rows.in_domain[first],
        rows.age_days[first],
        rows.week[first],
        len(rows.members),
        rule,
        None if found is None else found.vouched,
        None if found is None else found.in_full[first],
    )
    return Frozen(
        weights={
            member: weight
            for member, weight in zip(rows.members, weighed.weights.tolist(), strict=True)
            if weight != 1.0
        },
        bounded=frozenset(rows.members[i] for i in np.flatnonzero(weighed.bounded)),
    )


async def explain_member(
    tx: Transaction,
    member: str,
    required: int,
    domain: str | None,
    now: datetime,
    rule: WeightRule,
    trust: Trust | None = None,
) -> WeightExplanation:
    """One member's weight at ``now``, term by term, from their confirmed contributions;
    with ``trust``, the whole community's confirmations are read to tell what it vouches
    for them."""
    _check(required)
    rows = await tx.fetch_all(
        f"""
        SELECT contribution.id, contribution.minutes, contribution.domain,
               contribution.created_at
        FROM contribution
        WHERE contribution.member = ? AND contribution.voided_at IS NULL
          AND {CONFIRMATIONS} >= ?
        """,
        (member, required),
    )
    vouched, in_full = None, set[int]()
    if trust is not None:
        witnessed = await _witnessed(tx, required, None, now, trust.seeds)
        found = _bound(witnessed, rule, trust)
        vouched = 0.0
        if member in witnessed.members:
            index = witnessed.members.index(member)
            vouched = float(found.vouched[index])
            theirs = found.in_full & (witnessed.worker == index)
            in_full = set(witnessed.contribution[theirs].tolist())
    worked = [
        Worked(row[1], row[2], datetime.fromisoformat(row[3]), in_full=row[0] in in_full)
        for row in rows
    ]
    return explain(worked, domain, now, rule, vouched)


def _check(required: int) -> None:
    if required < 1:
        raise ValueError(f"a contribution needs at least one confirmation to count, not {required}")
