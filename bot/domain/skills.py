"""Skill names as people type them, reduced to one key so the same skill is found again."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import Enum

from rapidfuzz import fuzz, process

MAX_SKILL_LENGTH = 60
# "carpentery" → "carpentry" scores 95; "cooking" → "booking" 86 would be a mistake: stay above.
FUZZY_CUTOFF = 88.0

_SPACES = re.compile(r"\s+")
# Sentence punctuation and quotes around a word go; "C++" and "C#" keep their signs.
_EDGE = r"""\s.,;:!?'"«»“”‘’()\[\]{}…-"""
_EDGE_PUNCTUATION = re.compile(f"^[{_EDGE}]+|[{_EDGE}]+$")


def normalise(name: str) -> str:
    """Case, accents, surrounding punctuation, spacing and plural ``s`` do not make a new skill."""
    # Casefold between two decompositions: "𝚨" only becomes a capital alpha by NFKD.
    folded = unicodedata.normalize("NFKD", name).casefold()
    decomposed = unicodedata.normalize("NFKD", folded)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = [_EDGE_PUNCTUATION.sub("", word) for word in _SPACES.split(bare)]
    return " ".join(_singular(word) for word in words if word)


def _singular(word: str) -> str:
    stem = word[:-1]
    # An "s" after punctuation ("v1.s") is no plural: dropping it would leave an edge to strip.
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return stem if _EDGE_PUNCTUATION.sub("", stem) == stem else word
    return word


class Found(Enum):
    EXACT = "exact"
    ALIAS = "alias"
    FUZZY = "fuzzy"
    NEW = "new"


@dataclass(frozen=True)
class SkillChoice:
    """Which skill a typed name means: its key, how it was found, and a name to show if new."""

    key: str
    found: Found
    name: str


def choose_skill(typed: str, known: Collection[str], aliases: Mapping[str, str]) -> SkillChoice:
    """Resolve a typed name against known keys: exact, then alias, then a close spelling.

    ``aliases`` maps synonyms to canonical names, as written in the config.
    """
    key = normalise(typed)
    if key in known:
        return SkillChoice(key, Found.EXACT, typed)
    canonical = {normalise(synonym): name for synonym, name in aliases.items()}.get(key)
    if canonical is not None:
        return SkillChoice(normalise(canonical), Found.ALIAS, canonical)
    match = process.extractOne(key, known, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    if match is not None:
        return SkillChoice(match[0], Found.FUZZY, typed)
    return SkillChoice(key, Found.NEW, typed)
