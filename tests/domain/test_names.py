"""Telling members apart by name: the id beside a name that could pass for another's, and no
guessing whom a typed name means."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.names import Named, likeness, named, shown_name, with_id

ALICE, MALLORY, BOB = "@alice:test", "@mallory:test", "@bob:test"


@pytest.mark.parametrize(
    "impostor",
    [
        "Alice",  # the same name
        "alice",  # case
        "ＡＬＩＣＥ",  # full-width letters
        "Alicé",  # an accent
        "Al\u200bice",  # a zero-width space
        "Al ice",
        "Аlice",  # a Cyrillic А
        "A1ice",
        "Alice (@alice:test)",  # the disambiguated name Element shows for Alice
    ],
)
def test_a_name_like_another_members_shows_both_ids(impostor: str) -> None:
    room = {ALICE: "Alice", MALLORY: impostor, BOB: "Bob"}

    assert shown_name(ALICE, "Alice", room) == "Alice (@alice:test)"
    assert shown_name(MALLORY, impostor, room) == f"{impostor} (@mallory:test)"
    assert shown_name(BOB, "Bob", room) == "Bob"


@pytest.mark.parametrize(
    "name",
    [
        "Alice (@alice:test)",
        "alice@test:1",
        "Alice (＠alice：test)",  # full-width @ and colon read the same
        "\u202eecilA",  # a right-to-left override
        "...",  # nothing to read
        "\u200b",
    ],
)
def test_a_name_that_holds_an_id_or_hides_itself_shows_the_id_even_alone(name: str) -> None:
    assert shown_name(MALLORY, name, {MALLORY: name}) == f"{name} (@mallory:test)"


@pytest.mark.parametrize("name", ["Alice", "Chloé", "Bob Martin", "李雷", "Sam 🚲"])
def test_a_unique_plain_name_is_shown_as_it_is(name: str) -> None:
    room = {ALICE: name, BOB: "Bob", MALLORY: "Mallory"}

    assert shown_name(ALICE, name, room) == name


def test_a_member_without_a_name_is_shown_by_id() -> None:
    assert shown_name(ALICE, ALICE, {ALICE: ALICE, BOB: ALICE}) == ALICE


def test_a_name_last_seen_is_told_apart_from_the_room() -> None:
    """Someone who left is shown by the name last seen, against those here now."""
    assert shown_name(ALICE, "Alice", {MALLORY: "alice"}) == "Alice (@alice:test)"


@given(
    st.dictionaries(
        st.sampled_from([ALICE, MALLORY, BOB, "@x:y"]),
        st.text(max_size=12) | st.sampled_from(["Alice", "alice", "Alice (@alice:test)"]),
        min_size=1,
    )
)
def test_showing_a_name_twice_changes_nothing_and_keeps_everyone_apart(
    room: dict[str, str],
) -> None:
    shown = {user_id: shown_name(user_id, name, room) for user_id, name in room.items()}

    assert shown == {user_id: shown_name(user_id, name, room) for user_id, name in shown.items()}
    for user_id, name in shown.items():
        for other_id, other in shown.items():
            if other_id != user_id and likeness(name) == likeness(other):
                assert name.endswith(f"({user_id})") or name == user_id


@pytest.mark.parametrize("typed", ["Alice", "alice", " ALICE ", "ａｌｉｃｅ", "@alice"])
def test_a_name_of_one_member_and_like_no_other_means_that_member(typed: str) -> None:
    assert named(typed, {ALICE: "Alice", BOB: "Bob Martin"}) == Named(ALICE)


def test_the_local_part_of_an_id_names_its_member() -> None:
    assert named("bob", {ALICE: "Alice", BOB: "Bob Martin"}) == Named(BOB)


@pytest.mark.parametrize(
    "room",
    [
        {ALICE: "Alice", MALLORY: "Alice (@alice:test)"},
        {ALICE: "Alice", MALLORY: "Аlice"},
        {ALICE: "Alice", MALLORY: "alice"},
        {"@ally:test": "Alice", MALLORY: "Alice"},
    ],
)
def test_a_name_that_could_mean_two_members_is_not_guessed(room: dict[str, str]) -> None:
    assert named("Alice", room) == Named(None, tuple(sorted(room)))


@pytest.mark.parametrize("impostor", ["Alice (@alice:test)", "Alicé", "Al\u200bice"])
def test_a_name_only_like_a_members_is_not_guessed(impostor: str) -> None:
    assert named("Alice", {MALLORY: impostor, BOB: "Bob"}) == Named(None, (MALLORY,))


def test_a_name_of_nobody_here_names_nobody() -> None:
    assert named("Zoé", {ALICE: "Alice", BOB: "Bob"}) == Named(None)


def test_punctuation_alone_looks_like_nothing() -> None:
    assert named("...", {ALICE: "...", BOB: "!!"}) == Named(ALICE)


def test_with_id() -> None:
    assert with_id("Alice", ALICE) == "Alice (@alice:test)"
    assert with_id(ALICE, ALICE) == ALICE
