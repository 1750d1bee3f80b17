"""Which reactions confirm a contribution, and which configured domain a member means."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.contributions import CONFIRMING_KEYS, confirms, match_domain

DOMAINS = ["habitat", "transmission", "soin", "animation", "Éducation populaire"]
SKIN_TONES = ["\U0001f3fb", "\U0001f3fc", "\U0001f3fd", "\U0001f3fe", "\U0001f3ff"]


@pytest.mark.parametrize(
    "key",
    [
        "✅",
        "✔",
        "✔️",  # with the emoji variation selector, as Element sends it
        "✔︎",  # with the text variation selector
        "☑",
        "☑️",
        "👍",
        "👍️",
        *(f"👍{tone}" for tone in SKIN_TONES),
        " ✅ ",
    ],
)
def test_check_marks_and_thumbs_up_confirm(key: str) -> None:
    assert confirms(key)


@pytest.mark.parametrize(
    "key",
    [
        "",
        "👎",
        "❌",
        "🎉",
        "❤️",
        "+1",
        "ok",
        "✅✅",
        "👍👍",
        "✅🏽",
        "👍🏽🏽",
        "🏽",
        "\ufe0f",
        "👍x",
    ],
)
def test_other_reactions_do_not(key: str) -> None:
    assert not confirms(key)


@given(
    mark=st.sampled_from(sorted(CONFIRMING_KEYS) + [f"👍{tone}" for tone in SKIN_TONES]),
    selector=st.sampled_from(["", "\ufe0f", "\ufe0e"]),
    padding=st.sampled_from(["", " ", "\n"]),
)
def test_emoji_styling_and_spacing_do_not_change_a_confirming_mark(
    mark: str, selector: str, padding: str
) -> None:
    assert confirms(f"{padding}{mark}{selector}{padding}")


@given(st.text(max_size=6).filter(lambda key: not any(mark in key for mark in "✅✔☑👍")))
def test_nothing_without_a_check_or_a_thumb_confirms(key: str) -> None:
    assert not confirms(key)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("habitat", "habitat"),
        ("HABITAT", "habitat"),
        ("Soins", "soin"),  # plural s
        ("soin.", "soin"),  # trailing punctuation
        ("education populaire", "Éducation populaire"),  # accents, as the config spells it
        ("  Éducation   Populaire ", "Éducation populaire"),
    ],
)
def test_a_domain_is_found_whatever_its_case_and_accents(typed: str, expected: str) -> None:
    assert match_domain(typed, DOMAINS) == expected


@pytest.mark.parametrize("typed", ["cuisine", "habita", "", "   ", "...", "habitat soin"])
def test_an_unknown_or_empty_domain_is_none(typed: str) -> None:
    assert match_domain(typed, DOMAINS) is None


def test_an_empty_configured_domain_is_never_matched() -> None:
    assert match_domain("!", ["", "habitat"]) is None
