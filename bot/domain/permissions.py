"""Who counts as a moderator, of what: power in a room reaches that room's records only."""

import math
import re
from collections.abc import Collection
from dataclasses import dataclass

_NUMBERED = re.compile(r"^\d+$")


def creators_are_privileged(room_version: str) -> bool:
    """Room version 12 and later give creators unlimited power, outside the power levels."""
    if _NUMBERED.match(room_version):
        return int(room_version) >= 12
    return room_version == "org.matrix.hydra.11"


def effective_power(
    user_id: str,
    room_version: str,
    creators: Collection[str],
    listed_level: int,
) -> float:
    """The member's power: ``inf`` for a privileged creator, else their power-levels entry."""
    if creators_are_privileged(room_version) and user_id in creators:
        return math.inf
    return float(listed_level)


@dataclass(frozen=True)
class Standing:
    """What a member may moderate. ``community``: anything, anywhere (listed in the config,
    or that power in the moderation room). ``room``: the room whose own records they may
    act on (that power there), None if none; it never reaches another room."""

    community: bool = False
    room: str | None = None

    def may_moderate(self, made_in: str) -> bool:
        """Whether they may act on someone else's record made in the room ``made_in``."""
        return self.community or self.room == made_in
