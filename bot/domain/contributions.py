"""Rules of the contribution ledger that need no database: domains, confirming reactions,
and who may confirm."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from bot.domain.skills import normalise

NO_DOMAIN = ""  # a thanks that names no domain: it counts overall, in no domain's weight

# What people click to say "I saw it": a check mark or a thumbs up, in any skin tone.
CONFIRMING_KEYS = frozenset(
    {
        "\N{WHITE HEAVY CHECK MARK}",  # ✅
        "\N{HEAVY CHECK MARK}",  # ✔
        "\N{BALLOT BOX WITH CHECK}",  # ☑
        "\N{THUMBS UP SIGN}",  # 👍
    }
)
_VARIATION_SELECTORS = str.maketrans("", "", "\ufe0e\ufe0f")
_SKIN_TONES = frozenset(chr(code) for code in range(0x1F3FB, 0x1F400))


def confirms(key: str) -> bool:
    """Whether a reaction's key means "confirmed": ✅ ✔️ ☑️ 👍, with or without emoji styling."""
    bare = key.strip().translate(_VARIATION_SELECTORS)
    if len(bare) == 2 and bare[0] == "\N{THUMBS UP SIGN}" and bare[1] in _SKIN_TONES:
        return True
    return bare in CONFIRMING_KEYS


def match_domain(typed: str, domains: Iterable[str]) -> str | None:
    """The configured domain a member means, as the config spells it; case and accents aside."""
    wanted = normalise(typed)
    if not wanted:
        return None
    return next((domain for domain in domains if normalise(domain) == wanted), None)


def probation_ends(first_seen: datetime, founded: datetime, days: int) -> datetime:
    """When a member first seen at ``first_seen`` may confirm others' work: ``days`` later,
    since a fresh account is all a sybil costs. Those seen in the community's first
    ``days`` (``founded``: its first member) may from the start: on the bot's first day
    everyone is new to it, and a community must be able to begin."""
    if first_seen <= founded + timedelta(days=days):
        return first_seen
    return first_seen + timedelta(days=days)
