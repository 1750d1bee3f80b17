"""Text hygiene: what members type is cleaned once; what is printed or exported is made safe."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.text import clean, printable

INVISIBLE = [
    "\x00",
    "\x1b",
    "\x7f",
    "\x9b",  # C1 CSI: a terminal may take it for ESC [
    "\u00ad",
    "\u061c",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    *(chr(code) for code in range(0x202A, 0x202F)),
    "\u2060",
    *(chr(code) for code in range(0x2066, 0x206A)),
    "\ufeff",
    "\ud800",  # a lone surrogate, as JSON may carry one
]
# Every code point, surrogates included, and the invisible ones often.
ANY_TEXT = st.text(st.one_of(st.characters(exclude_categories=()), st.sampled_from(INVISIBLE)))


def hidden(text: str) -> set[str]:
    """The characters that should not be there: controls, format characters, surrogates."""
    return {char for char in text if unicodedata.category(char) in ("Cc", "Cf", "Cs")}


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("wood\u200bworking", "woodworking"),
        ("\u202eevil\u202c", "evil"),
        ("\u2067skill\u2069 \u200e3", "skill 3"),
        ("soft\u00adhyphen", "softhyphen"),
        ("a\x00b\x1b[2Jc", "ab[2Jc"),  # the ESC goes: what is left is harmless text
        ("ＷＯＯＤ ﬁle", "WOOD file"),
        ("Zoe\u0308", "Zoë"),
        ("two\nlines\tand\r\na tab", "two lines and  a tab"),
        ("\ufeffbom", "bom"),
        ("👩\u200d💻", "👩💻"),  # an emoji sequence loses its joiner
    ],
)
def test_clean(typed: str, kept: str) -> None:
    assert clean(typed) == kept


@settings(max_examples=500)
@given(ANY_TEXT)
def test_cleaned_text_has_nothing_hidden_is_nfkc_and_stays_as_it_is(text: str) -> None:
    cleaned = clean(text)
    assert not hidden(cleaned)
    assert all(char == " " or not char.isspace() for char in cleaned)
    assert unicodedata.normalize("NFKC", cleaned) == cleaned
    assert clean(cleaned) == cleaned


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("\x1b[2J\x1b[1;1H\x1b[31mred\x1b[0m", "red"),
        ("\x9b31mred", "red"),
        ("\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"),
        ("\x1b]0;new title\x07text", "text"),
        ("\x1bcreset", "reset"),
        ("over\rwrite", "overwrite"),
        ("back\bspace\x00", "backspace"),
        ("\u202eevil", "evil"),
        ("lines\nstay\ttabbed", "lines\nstay\ttabbed"),
        ("ﬁne as stored", "ﬁne as stored"),  # no normalising: it shows what was kept
    ],
)
def test_printable(stored: str, shown: str) -> None:
    assert printable(stored) == shown


@settings(max_examples=500)
@given(ANY_TEXT)
def test_printable_text_keeps_only_line_breaks_and_tabs_and_stays_as_it_is(text: str) -> None:
    shown = printable(text)
    assert hidden(shown) <= {"\n", "\t"}
    assert printable(shown) == shown
