"""Durations as people type them: ``90m``, ``24h``, ``7d``, ``1h30``."""

import re
from datetime import timedelta

_UNITS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "j": 86400, "w": 604800}
_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*(min|[smhdjw])", re.IGNORECASE)
_WHOLE = re.compile(r"(?:\d+(?:[.,]\d+)?\s*(?:min|[smhdjw])\s*)+(?:\d+)?", re.IGNORECASE)


def parse_duration(text: str) -> timedelta:
    """Parse ``30s``, ``90m``, ``24h``, ``7d`` (``j`` in French), ``2w`` or ``1h30``.

    A trailing bare number after hours counts as minutes (``1h30``), the way people write it.
    Raises ValueError naming the accepted forms.
    """
    cleaned = text.strip()
    if not cleaned or not _WHOLE.fullmatch(cleaned):
        raise ValueError(f"{text!r} is not a duration; write it like 90m, 24h, 7d or 1h30")
    seconds = 0.0
    last_unit = ""
    end = 0
    for match in _PART.finditer(cleaned):
        amount, unit = match.groups()
        last_unit = unit.lower()
        seconds += float(amount.replace(",", ".")) * _UNITS[last_unit]
        end = match.end()
    tail = cleaned[end:].strip()
    if tail:
        if last_unit != "h":
            raise ValueError(f"{text!r}: a bare number may only follow hours, as in 1h30")
        seconds += int(tail) * 60
    if seconds <= 0:
        raise ValueError(f"{text!r} must be longer than zero")
    return timedelta(seconds=seconds)


def format_duration(delta: timedelta) -> str:
    """The shortest exact spelling that ``parse_duration`` reads back."""
    seconds = int(delta.total_seconds())
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
