"""Whose hours the community vouches for.

Work a moderator confirmed counts in full: the community chose its moderators. No trust
bound applies to it, and under the weekly bound it comes before the member's other hours
(``bot.domain.weighting``). So work recorded for other members, and claims on their own
record no moderator confirmed, never lower the weight of a member every piece of whose
work a moderator confirmed. Only moderators: were long-standing members trusted in full
too, one account a moderator vouched for could credit a whole ring in full, 40 h a week
each.

The rest of a member's hours count only as far as trust flows to them from the
moderators along the confirmations: a share of the community's trust, which more work
elsewhere can move. That trust is a personalised PageRank over the confirmation graph:
the moderators hold it at the start; each member passes ``damping`` of theirs on to the
members whose work they confirmed, in proportion to the hours; the rest returns to the
moderators. Solved as one sparse linear system, ``(I − d·Pᵀ) t = (1 − d)·s``, by SciPy's
GMRES, so the order in which the work was recorded never matters.

A member's trust becomes hours at the community's own rate: the hours its typical
witness confirmed, per unit of the trust that witness holds. A ring that confirms only
itself receives nothing from the moderators and so is vouched for nothing, whatever it
claims; one honest confirmation lets in only what that confirmation carried, passed
around the ring with ``damping`` lost at each step. ``slack`` keeps honest members whose
witnesses hold little trust from being cut short.

SciPy is imported when weights are frozen or explained, not at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Vector = npt.NDArray[np.float64]
    Indices = npt.NDArray[np.intp]
    Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class TrustRule:
    damping: float = 0.5  # the share of a member's trust passed on along their confirmations
    slack: float = 2.0  # credited hours may reach this many times the trust-vouched hours

    def __post_init__(self) -> None:
        if not 0 < self.damping < 1:
            raise ValueError("damping must be between 0 and 1, both excluded")
        if self.slack < 1:
            raise ValueError("a slack below 1 would cut short even the best-vouched member")


@dataclass(frozen=True)
class TrustBound:
    """What trust makes of a community's confirmations: which hours count in full, and how
    far the others count."""

    vouched: Vector  # per member: the hours trust vouches for, beyond those counted in full
    in_full: Mask  # per confirmation: a moderator witnessed its contribution


def assess(
    confirmer: Indices,
    worker: Indices,
    contribution: Indices,
    hours: Vector,
    seeds: Indices,
    members: int,
    rule: TrustRule,
) -> TrustBound:
    """What trust vouches for, and which contributions count in full.

    Row i of the columns is one confirmation: ``confirmer[i]`` confirmed contribution
    ``contribution[i]`` (a non-negative id), worth ``hours[i]``, of ``worker[i]``; members
    are numbered in ``range(members)``. ``seeds`` are the moderators, where trust starts.
    """
    import numpy as np

    moderator = np.zeros(members, dtype=np.bool_)
    moderator[seeds] = True
    # Contributions by their ids, not sorted: a sort of the rows would cost more than this.
    witnessed = np.zeros(int(contribution.max()) + 1 if len(contribution) else 0, np.bool_)
    witnessed[contribution[moderator[confirmer]]] = True
    return TrustBound(
        vouched=vouched_hours(confirmer, worker, hours, seeds, members, rule),
        in_full=witnessed[contribution],
    )


def vouched_hours(
    confirmer: Indices,
    worker: Indices,
    hours: Vector,
    seeds: Indices,
    members: int,
    rule: TrustRule,
) -> Vector:
    """Per member (``range(members)``), the hours the community's trust vouches for.

    Row i of the columns is one confirmation: ``confirmer[i]`` vouched for ``hours[i]`` of
    ``worker[i]``'s work. ``seeds`` are where trust starts (the moderators); without any,
    nobody is vouched for and the caller should not bound.
    """
    import numpy as np
    import scipy.sparse as sparse
    from scipy.sparse.linalg import gmres

    if members == 0 or len(seeds) == 0:
        return np.zeros(members)
    flows = sparse.csr_array(
        (hours, (confirmer, worker)), shape=(members, members)
    )  # repeated pairs add up
    given: Vector = np.asarray(flows.sum(axis=1), dtype=np.float64).ravel()
    share = np.divide(1.0, given, out=np.zeros(members), where=given > 0)
    passed = sparse.diags_array(share) @ flows  # each row sums to 1, or is empty
    start = np.zeros(members)
    start[seeds] = 1.0 / len(seeds)
    system = sparse.identity(members, format="csr") - rule.damping * passed.T.tocsr()
    # Iterative: a direct factorisation fills in and takes seconds at 10,000 members; with
    # damping below 1 the system is diagonally dominant and converges in a few steps.
    solved, failed = gmres(system, (1 - rule.damping) * start, rtol=1e-10, atol=0.0)
    if failed:
        raise ArithmeticError(f"trust did not converge ({failed})")
    trust: Vector = np.maximum(solved, 0.0)
    trusted = (given > 0) & (trust > 0)
    if not trusted.any():
        return np.zeros(members)
    # The community's own exchange rate, hours confirmed per unit of trust held, as its
    # typical witness has it: a median, which a ring's invented hours cannot move.
    hours_per_trust = float(np.median(given[trusted] / trust[trusted]))
    vouched: Vector = rule.slack * trust * hours_per_trust / rule.damping
    return vouched


def closed_circles(
    confirmer: Indices, worker: Indices, hours: Vector, vouched: Vector, members: int
) -> list[tuple[list[int], float]]:
    """Members who confirm one another's work, each reachable from each, and none of them
    vouched for by the community: each circle's members and the hours inside it, the
    largest first. (Strongly connected components, by SciPy.)"""
    import numpy as np
    import scipy.sparse as sparse
    from scipy.sparse.csgraph import connected_components

    graph = sparse.csr_array((hours, (confirmer, worker)), shape=(members, members))
    _, component = connected_components(graph, directed=True, connection="strong")
    circles = []
    for label in np.unique(component):
        inside = np.flatnonzero(component == label)
        if len(inside) < 2 or vouched[inside].max() > 0:
            continue
        within = np.isin(confirmer, inside) & np.isin(worker, inside)
        circles.append(([int(member) for member in inside], float(hours[within].sum())))
    return sorted(circles, key=lambda circle: -circle[1])
