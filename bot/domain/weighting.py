"""A member's weight in a poll: everyone has a voice, engagement adds to it, bounded.

    weight = min(max_weight, 1 + a·log2(1 + H) + b·log2(1 + H_domain))

H is the member's confirmed contribution hours (one hour for a contribution that names
none), at most ``max_hours_per_week`` in any one week (a week that claims more has its
contributions scaled down alike: a claim of 200 h is not 200 h of voice), each
multiplied by 2^(−age / half_life) so that past work fades rather than counts forever.
With the trust bound (``vouched``, see ``bot.domain.trust``), the hours a moderator
confirmed are set apart: they count in full, and are served first under the weekly
bound, the other hours sharing what is left; the others count no more in all than the
community's trust vouches for (what a ring confirms for itself is vouched for by nobody).
H_domain is the same sum over the poll's domain, less its share of what trust cut.
The logarithm makes the first hours count most: with a = 0.25, 15 decayed hours give a
weight of 2 and 255 give 3.

``explain`` gives one member's weight term by term, for telling them how it was reached;
``weigh_all`` gives a whole community's at once with numpy, for freezing the weights when
a poll opens, at the cost of a few array operations rather than a Python call per
contribution. Both follow the same rule, and agree to float rounding. numpy is imported by
``weigh_all`` when a poll opens, not at start-up (see ``bot.domain.matching``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Vector = npt.NDArray[np.float64]
    Indices = npt.NDArray[np.intp]

DAY_SECONDS = 86_400.0
MINUTES_PER_HOUR = 60.0
UNTIMED_HOURS = 1.0  # what a contribution that names no hours counts for
WEEK = timedelta(days=7)
WEEKS_FROM = datetime(2024, 1, 1, tzinfo=UTC)  # a Monday: weeks run Monday to Monday, UTC


def week_of(moment: datetime) -> int:
    """The number of the week ``moment`` falls in; the store computes the same in SQL."""
    return (moment - WEEKS_FROM) // WEEK


@dataclass(frozen=True)
class WeightRule:
    """The formula's parameters; ``[polls]`` in the config."""

    max_weight: float = 3.0
    half_life_days: float = 180.0
    engagement_factor: float = 0.25  # a
    domain_factor: float = 0.25  # b
    max_hours_per_week: float = 50.0  # credited to one member; a full-time coordinator fits

    def __post_init__(self) -> None:
        # The config validates these too; a rule built in code must not break the bounds.
        if self.max_weight < 1:
            raise ValueError("max_weight below 1 would take away the voice everyone has")
        if not self.half_life_days > 0:
            raise ValueError("half_life_days must be positive")
        if self.engagement_factor < 0 or self.domain_factor < 0:
            raise ValueError("engagement and domain factors cannot take weight away")
        if not self.max_hours_per_week > 0:
            raise ValueError("max_hours_per_week must be positive")

    def decay(self, age_days: float) -> float:
        """What one hour worked ``age_days`` ago still counts for (a future date counts whole)."""
        return math.exp2(-max(0.0, age_days) / self.half_life_days)


@dataclass(frozen=True)
class Worked:
    """One confirmed contribution, as weighting sees it."""

    minutes: int | None  # None: the contribution named no hours, it counts as one
    domain: str
    at: datetime
    in_full: bool = False  # a moderator confirmed it: no trust bound applies

    @property
    def hours(self) -> float:
        return UNTIMED_HOURS if self.minutes is None else self.minutes / MINUTES_PER_HOUR


@dataclass(frozen=True)
class WeightExplanation:
    """The numbers behind one member's weight, for explaining it term by term."""

    contributions: int  # confirmed, all domains
    recorded_hours: float  # their hours, decayed, before any bound
    weekly_hours: float  # after the weekly bound
    in_full_hours: float  # of those, confirmed by a moderator: they count in full
    vouched_hours: float | None  # what trust vouches for of the others; None: no bound
    hours: float  # H: their hours credited (bounded per week, then by trust), decayed
    domain: str | None  # the poll's; None when it has none
    domain_contributions: int
    domain_hours: float  # H_domain, decayed
    engagement: float  # a·log2(1 + H)
    domain_term: float  # b·log2(1 + H_domain)
    uncapped: float  # 1 + engagement + domain_term
    weight: float  # min(max_weight, uncapped)

    @property
    def bounded_weekly(self) -> bool:
        """Some week claimed more than the weekly bound: fewer hours count than were recorded."""
        return self.weekly_hours < self.recorded_hours * (1 - 1e-9)

    @property
    def bounded_by_trust(self) -> bool:
        """Trust vouches for fewer than the hours no moderator confirmed: fewer count."""
        return self.hours < self.weekly_hours * (1 - 1e-9)

    @property
    def capped(self) -> bool:
        """The member reached ``max_weight``: more work would not add to it."""
        return self.weight < self.uncapped


def _weekly_share(claimed: float, in_full: float, counted_in_full: bool, rule: WeightRule) -> float:
    """What share of a week's claimed hours count under the weekly bound. Hours counted in
    full come first: claims no moderator confirmed, in the same week, never scale them."""
    if claimed <= 0:
        return 1.0
    room = rule.max_hours_per_week if counted_in_full else rule.max_hours_per_week - in_full
    return min(1.0, max(0.0, room) / claimed)


def poll_domain(domain: str | None) -> str | None:
    """The domain a poll weighs, if any: "" is the no-domain of untold thanks, never a poll's."""
    return domain or None


def explain(
    worked: Iterable[Worked],
    domain: str | None,
    now: datetime,
    rule: WeightRule,
    vouched: float | None = None,
) -> WeightExplanation:
    """One member's weight at ``now`` from their confirmed contributions, term by term;
    ``vouched`` bounds the hours no moderator confirmed (see
    ``bot.domain.trust``), None: no such bound."""
    domain = poll_domain(domain)
    worked = list(worked)
    if vouched is None:  # no trust bound: nothing set apart, a week's hours scaled alike
        worked = [replace(each, in_full=False) for each in worked]
    by_week: dict[tuple[int, bool], list[float]] = {}
    for each in worked:
        by_week.setdefault((week_of(each.at), each.in_full), []).append(each.hours)
    claimed = {key: math.fsum(hours) for key, hours in by_week.items()}
    bound = {
        (week, in_full): _weekly_share(
            claimed[week, in_full], claimed.get((week, True), 0.0), in_full, rule
        )
        for week, in_full in claimed
    }
    recorded: list[float] = []
    everywhere: list[float] = []
    in_full: list[float] = []
    in_domain: list[float] = []
    in_domain_in_full: list[float] = []
    for each in worked:
        decayed = each.hours * rule.decay((now - each.at).total_seconds() / DAY_SECONDS)
        recorded.append(decayed)
        credited = decayed * bound[week_of(each.at), each.in_full]
        everywhere.append(credited)
        if each.in_full:
            in_full.append(credited)
        if domain is not None and each.domain == domain:
            (in_domain_in_full if each.in_full else in_domain).append(credited)
    # Exact sums: the order the contributions come in never changes the last digit.
    weekly, full = math.fsum(everywhere), math.fsum(in_full)
    domain_full, domain_other = math.fsum(in_domain_in_full), math.fsum(in_domain)
    hours, domain_hours = weekly, domain_full + domain_other
    if vouched is not None:
        others = weekly - full
        kept = min(others, vouched)
        hours = full + kept
        domain_hours = domain_full + (domain_other * kept / others if others > 0 else 0.0)
    engagement = rule.engagement_factor * math.log2(1 + hours)
    domain_term = rule.domain_factor * math.log2(1 + domain_hours)
    uncapped = 1 + engagement + domain_term
    return WeightExplanation(
        contributions=len(everywhere),
        recorded_hours=math.fsum(recorded),
        weekly_hours=weekly,
        in_full_hours=full,
        vouched_hours=vouched,
        hours=hours,
        domain=domain,
        domain_contributions=len(in_domain) + len(in_domain_in_full),
        domain_hours=domain_hours,
        engagement=engagement,
        domain_term=domain_term,
        uncapped=uncapped,
        weight=min(rule.max_weight, uncapped),
    )


def hours_of(minutes: Vector) -> Vector:
    """Contributions' hours from their minutes (NaN: named none, ``UNTIMED_HOURS``)."""
    import numpy as np

    hours: Vector = np.where(np.isnan(minutes), UNTIMED_HOURS, minutes / MINUTES_PER_HOUR)
    return hours


def decay_all(age_days: Vector, rule: WeightRule) -> Vector:
    """``WeightRule.decay`` of each age at once (a future date counts whole)."""
    import numpy as np

    factors: Vector = np.exp2(-np.maximum(age_days, 0.0) / rule.half_life_days)
    return factors


@dataclass(frozen=True)
class Weighed:
    """A whole community's weights, and who had fewer hours counted than recorded."""

    weights: Vector
    bounded: npt.NDArray[np.bool_]  # by the weekly bound or by trust


def weigh_all(
    member_index: Indices,
    minutes: Vector,
    in_domain: npt.NDArray[np.bool_],
    age_days: Vector,
    week: Indices,
    members: int,
    rule: WeightRule,
    vouched: Vector | None = None,
    in_full: npt.NDArray[np.bool_] | None = None,
) -> Weighed:
    """Every member's weight at once, from their confirmed contributions as columns.

    Row i of the columns is one contribution: ``member_index[i]`` in ``range(members)`` is
    whose it is, ``minutes[i]`` its minutes (NaN: it named none), ``in_domain[i]`` whether
    it is in the poll's domain, ``age_days[i]`` how long ago it was recorded, ``week[i]``
    the ``week_of`` its recording, ``in_full[i]`` whether a moderator confirmed it.
    The result's entry m is member m's weight: 1 for a member without contributions.
    ``vouched[m]`` bounds member m's other hours, as in ``explain``.
    """
    import numpy as np

    hours = hours_of(minutes)
    full = np.zeros(len(hours), dtype=np.bool_)  # without the trust bound, nothing set apart
    if in_full is not None and vouched is not None:
        full = in_full
    _, member_week = np.unique(np.stack((member_index, week)), axis=1, return_inverse=True)
    member_week = member_week.reshape(-1)  # numpy 2.0 and 2.1 differ in its shape
    # The weekly bound, hours counted in full first (as ``_weekly_share``).
    claimed_full = np.bincount(member_week, weights=hours * full)[member_week]
    claimed_other = np.bincount(member_week, weights=hours * ~full)[member_week]
    cap = rule.max_hours_per_week
    room = np.where(full, cap, np.maximum(cap - claimed_full, 0.0))
    claimed = np.where(full, claimed_full, claimed_other)
    share = np.minimum(1.0, np.divide(room, claimed, out=np.ones(len(hours)), where=claimed > 0))
    fading = hours * decay_all(age_days, rule)
    decayed = fading * share
    recorded = np.bincount(member_index, weights=fading, minlength=members)
    engaged = np.bincount(member_index, weights=decayed, minlength=members)
    in_domain_hours = np.bincount(
        member_index, weights=np.where(in_domain, decayed, 0.0), minlength=members
    )
    if vouched is not None:
        counted_full = np.bincount(member_index, weights=decayed * full, minlength=members)
        domain_full = np.bincount(
            member_index, weights=np.where(in_domain & full, decayed, 0.0), minlength=members
        )
        others = engaged - counted_full
        kept = np.minimum(others, vouched)
        kept_share = np.divide(kept, others, out=np.zeros(members), where=others > 0)
        in_domain_hours = domain_full + (in_domain_hours - domain_full) * kept_share
        engaged = counted_full + kept
    uncapped = (
        1
        + rule.engagement_factor * np.log2(1 + engaged)
        + rule.domain_factor * np.log2(1 + in_domain_hours)
    )
    return Weighed(
        weights=np.minimum(rule.max_weight, uncapped),
        bounded=engaged < recorded * (1 - 1e-9),  # as ``WeightExplanation`` tells it
    )
