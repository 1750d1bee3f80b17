"""Whose hours the community vouches for.

Work confirmed by a trusted member counts in full, whatever anyone else does. The
moderators are trusted, and so is whoever has ``trusted_hours`` of work confirmed by
trusted members, among them two at least or a moderator (the community chose them; one
other member alone cannot make a friend trusted): the set grows from the moderators, and
more confirmations only ever add to it. So honest work confirmed by
trusted members never lowers what counts for a member whose own work trusted members
confirmed.

The rest of a member's hours, confirmed by members not (yet) trusted, count only as far
as trust flows to them from the moderators along the confirmations.

That trust is a personalised PageRank over the confirmation graph: the moderators hold it at
the start; each member passes ``damping`` of theirs on to the members whose work they
confirmed, in proportion to the hours; the rest returns to the moderators. Solved as one
sparse linear system, ``(I − d·Pᵀ) t = (1 − d)·s``, by SciPy's GMRES, so the order in
which the work was recorded never matters.

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
    trusted_hours: float = 10.0  # of work confirmed by trusted members, to become trusted

    def __post_init__(self) -> None:
        if not 0 < self.damping < 1:
            raise ValueError("damping must be between 0 and 1, both excluded")
        if self.slack < 1:
            raise ValueError("a slack below 1 would cut short even the best-vouched member")
        if not self.trusted_hours > 0:
            raise ValueError("becoming trusted takes some hours confirmed by trusted members")


@dataclass(frozen=True)
class TrustBound:
    """What trust makes of a community's confirmations: which hours count in full, and how
    far the others count."""

    trusted: Mask  # per member: the community trusts them in full
    vouched: Vector  # per member: the hours trust vouches for, beyond those counted in full
    in_full: Mask  # per confirmation: its contribution has a trusted witness


def assess(
    confirmer: Indices,
    worker: Indices,
    contribution: Indices,
    hours: Vector,
    seeds: Indices,
    members: int,
    rule: TrustRule,
) -> TrustBound:
    """Who is trusted, what trust vouches for, and which contributions count in full.

    Row i of the columns is one confirmation: ``confirmer[i]`` confirmed contribution
    ``contribution[i]`` (a non-negative id), worth ``hours[i]``, of ``worker[i]``; members
    are numbered in ``range(members)``. ``seeds`` are where trust starts (the moderators).
    """
    import numpy as np

    # Contributions by their ids, not sorted: a sort of the rows costs more than all the rest.
    ids = int(contribution.max()) + 1 if len(contribution) else 0
    row = np.arange(len(contribution))
    last = np.full(ids, -1, dtype=np.intp)
    last[contribution] = row
    once = last[contribution] == row  # one row of each contribution
    trusted = _trusted(confirmer, worker, contribution, ids, once, hours, seeds, members, rule)
    witnessed = np.zeros(ids, dtype=np.bool_)
    witnessed[contribution[trusted[confirmer]]] = True
    return TrustBound(
        trusted=trusted,
        vouched=vouched_hours(confirmer, worker, hours, seeds, members, rule),
        in_full=witnessed[contribution],
    )


def _trusted(
    confirmer: Indices,
    worker: Indices,
    contribution: Indices,
    ids: int,
    once: Mask,
    hours: Vector,
    seeds: Indices,
    members: int,
    rule: TrustRule,
) -> Mask:
    """The seeds, then, round after round, whoever has ``rule.trusted_hours`` of work
    confirmed by trusted members, two distinct ones at least or a seed. Each round only
    adds members, so more confirmations never take trust away, and the order of the rows
    never matters. Contribution ids are below ``ids``; ``once`` marks one row of each."""
    import numpy as np

    trusted = np.zeros(members, dtype=np.bool_)
    trusted[seeds] = True
    by_seed = np.zeros(members, dtype=np.bool_)
    by_seed[worker[trusted[confirmer]]] = True
    while True:
        by_trusted = trusted[confirmer]
        seen_by_trusted = np.zeros(ids, dtype=np.bool_)
        seen_by_trusted[contribution[by_trusted]] = True
        counted = once & seen_by_trusted[contribution]
        confirmed = np.bincount(worker[counted], weights=hours[counted], minlength=members)
        # Two distinct trusted witnesses: the lowest and the highest of them differ.
        lowest = np.full(members, members)
        np.minimum.at(lowest, worker[by_trusted], confirmer[by_trusted])
        highest = np.full(members, -1)
        np.maximum.at(highest, worker[by_trusted], confirmer[by_trusted])
        witnessed = by_seed | ((highest >= 0) & (lowest != highest))
        joining = ~trusted & (confirmed >= rule.trusted_hours) & witnessed
        if not joining.any():
            return trusted
        trusted |= joining


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
