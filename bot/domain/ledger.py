"""What members type about the ledger: levels, hours, references to records."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from bot.domain.durations import parse_duration
from bot.domain.skills import normalise

MIN_LEVEL, MAX_LEVEL = 1, 5
MAX_MINUTES = 200 * 60  # more than 200 hours in one record is a typo, not a contribution
MAX_DETAILS_LENGTH = 500

# Level words in both languages, feminine forms too, keyed as normalise() spells them.
LEVEL_WORDS: dict[str, int] = {
    normalise(word): level
    for level, words in {
        1: ("curious", "curieux", "curieuse", "novice"),
        2: ("beginner", "debutant", "debutante"),
        3: ("practitioner", "praticien", "praticienne", "pratiquant", "pratiquante"),
        4: ("experienced", "experimente", "experimentee", "confirme", "confirmee"),
        5: ("expert", "experte"),
    }.items()
    for word in words
}


class LevelError(ValueError):
    """A level that is neither 1–5 nor a level word."""


def parse_level(token: str) -> int | None:
    """The level a token names, None if it is not a level at all; a bad number raises."""
    if token.isdigit():
        level = int(token)
        if not MIN_LEVEL <= level <= MAX_LEVEL:
            raise LevelError(token)
        return level
    return LEVEL_WORDS.get(normalise(token))


class HoursError(ValueError):
    """Hours that cannot be read, or not a plausible amount."""


_HOURS = re.compile(r"^\d+(?:[.,]\d+)?\s*(?:h(?:\d{1,2})?|min|m)(?:\s*\d+\s*(?:min|m))?$", re.I)


def parse_hours(token: str) -> int:
    """``3h``, ``1h30``, ``1.5h``, ``90min``, ``45m`` → whole minutes."""
    if not _HOURS.match(token.strip()):
        raise HoursError(token)
    try:
        minutes = round(parse_duration(token).total_seconds() / 60)
    except ValueError:
        raise HoursError(token) from None
    if not 0 < minutes <= MAX_MINUTES:
        raise HoursError(token)
    return minutes


def looks_like_hours(token: str) -> bool:
    return bool(_HOURS.match(token.strip()))


def format_minutes(minutes: int) -> str:
    """The reading people use: ``3h``, ``1h30``, ``45min``."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}min"
    return f"{hours}h{rest:02d}" if rest else f"{hours}h"


class RefKind(Enum):
    OFFER = "o"
    NEED = "n"
    CONTRIBUTION = "c"
    MATCH = "m"
    POLL = "p"
    WORKSHOP = "w"


@dataclass(frozen=True)
class Ref:
    """A short typed reference such as ``o12`` (offer 12)."""

    kind: RefKind
    number: int

    def __str__(self) -> str:
        return f"{self.kind.value}{self.number}"


_REF = re.compile(r"^#?([oncmpw])(\d{1,9})$", re.I)


def parse_ref(token: str) -> Ref | None:
    match = _REF.match(token.strip())
    if match is None:
        return None
    return Ref(RefKind(match.group(1).lower()), int(match.group(2)))
