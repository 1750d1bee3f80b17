"""Who counts as a moderator in a room, from its state."""

import math
import re
from collections.abc import Collection

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
