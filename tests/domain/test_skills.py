"""Skill names: one key per skill, whatever the case, accents, punctuation or plural."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.domain.skills import Found, choose_skill, normalise


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Woodworking", "woodworking"),
        ("  Menuiserie !! ", "menuiserie"),
        ("Électricité", "electricite"),
        ("« Vélos »", "velo"),
        ("bike   repairs", "bike repair"),
        ("C++", "c++"),
        ("C#.", "c#"),
        ("(3D printing)", "3d printing"),
        ("glass", "glass"),
        ("gas", "gas"),
    ],
)
def test_normalise(typed: str, key: str) -> None:
    assert normalise(typed) == key


@settings(max_examples=1000)
@given(st.text(max_size=60))
@example("00.S")  # once "00." then "00": an "s" after punctuation is not a plural
def test_normalising_twice_changes_nothing(text: str) -> None:
    assert normalise(normalise(text)) == normalise(text)


def test_an_exact_key_is_found_as_is() -> None:
    choice = choose_skill("Woodworking!", {"woodworking"}, {})
    assert (choice.key, choice.found) == ("woodworking", Found.EXACT)


def test_an_alias_leads_to_the_canonical_skill() -> None:
    choice = choose_skill("Menuiserie", set(), {"menuiserie": "Woodworking"})
    assert (choice.key, choice.found, choice.name) == ("woodworking", Found.ALIAS, "Woodworking")


def test_a_close_spelling_is_taken_for_the_known_skill() -> None:
    choice = choose_skill("carpentery", {"carpentry", "cooking"}, {})
    assert (choice.key, choice.found) == ("carpentry", Found.FUZZY)


@pytest.mark.parametrize(("typed", "known"), [("cooking", "booking"), ("cook", "book")])
def test_different_words_that_look_alike_stay_apart(typed: str, known: str) -> None:
    choice = choose_skill(typed, {known}, {})
    assert (choice.key, choice.found) == (typed, Found.NEW)
