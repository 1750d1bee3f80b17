"""Whether enough of the room took part for a poll to decide: a share of its members (head
count), or of their total weight, as they stood when the poll opened. Abstaining is taking
part; not voting is not."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Quorum:
    """What a poll asks for: shares between 0 and 1 (excluded, included); None, no such rule."""

    heads: float | None = None  # of the room's members
    weight: float | None = None  # of the members' total frozen weight

    def __post_init__(self) -> None:
        for share in (self.heads, self.weight):
            if share is not None and not 0 < share <= 1:
                raise ValueError(f"a quorum is a share above 0 and at most 1, not {share}")

    @property
    def asked(self) -> bool:
        return self.heads is not None or self.weight is not None


@dataclass(frozen=True)
class Turnout:
    """Who could take part (at the opening) and who did (voters and abstainers)."""

    members: int
    members_weight: float
    took_part: int
    weight_taking_part: float


@dataclass(frozen=True)
class Verdict:
    reached: bool
    heads_needed: int | None  # None: no head-count rule
    weight_needed: float | None  # None: no weight rule


def judge(quorum: Quorum, turnout: Turnout) -> Verdict:
    """Every rule asked must be met. The head count needed is rounded up: half of 7 is 4."""
    heads_needed = weight_needed = None
    reached = True
    if quorum.heads is not None:
        heads_needed = math.ceil(quorum.heads * turnout.members - 1e-9)
        reached &= turnout.took_part >= heads_needed
    if quorum.weight is not None:
        weight_needed = quorum.weight * turnout.members_weight
        reached &= turnout.weight_taking_part >= weight_needed - 1e-9
    return Verdict(reached, heads_needed, weight_needed)
