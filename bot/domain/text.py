"""Text hygiene, both ways: what members type is cleaned once, before any command reads it;
what was stored (perhaps before that cleaning existed) is made safe to print or export.

Invisible characters would make ``wood\u200bworking`` a second skill beside
``woodworking``, and a right-to-left override would turn a listing line around; controls
and escape sequences steer the terminal that shows them.
"""

from __future__ import annotations

import re
import unicodedata

# Controls (NUL, ESC, C1…), format characters (bidi marks, overrides and isolates,
# zero-width space and joiners, word joiner, BOM, soft hyphen…) and lone surrogates.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs"})
# ECMA-48 sequences a terminal acts on: CSI (colours, cursor moves, erasing), the strings
# (window titles, hyperlinks) up to their terminator, and the other escapes. Whole, so
# that their parameters do not stay behind as litter.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -/]*[0-~]",
    re.DOTALL,
)
_LAYOUT = frozenset("\n\t")


def is_invisible(char: str) -> bool:
    """A control, format or surrogate code point: nothing a reader should see as text."""
    return unicodedata.category(char) in _INVISIBLE


def clean(typed: str) -> str:
    """What a member typed, as the bot keeps it: NFKC, each line break, tab or other space a
    plain space, every other invisible character removed.

    Removed rather than refused: pasted text often carries a stray zero-width space that
    nobody could see to take out. An emoji sequence loses its joiner (woman, ZWJ, laptop: 👩💻),
    a subdivision flag its tags: a small price for one spelling per skill.
    """
    # Normalised after the removal: a letter and its accent, once nothing is between, compose.
    return unicodedata.normalize("NFKC", "".join(map(_kept, typed)))


def _kept(char: str) -> str:
    if char.isspace():
        return " "
    return "" if is_invisible(char) else char


def printable(stored: str) -> str:
    """Stored text as a terminal or a spreadsheet may show it: escape sequences and invisible
    characters removed, line breaks and tabs kept for the layout; otherwise as stored."""
    text = _ESCAPE_SEQUENCE.sub("", stored)
    return "".join(char for char in text if char in _LAYOUT or not is_invisible(char))
