"""The message catalogues: the same sentences in both languages, user text never markup."""

from __future__ import annotations

import re
import string
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import CATALOGUES, Catalogue, Text
from bot.i18n.types import Language

LANGUAGES: tuple[Language, ...] = ("fr", "en")
HOSTILE = '<b>&"x"'
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_ALLOWED_TAGS = {"b", "i", "code", "br", "p", "ul", "ol", "li", "em", "strong", "pre", "a", "h4"}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


class _TagChecker(HTMLParser):
    """Collects unbalanced or unexpected tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED_TAGS:
            self.problems.append(f"unexpected <{tag}>")
        if tag != "br":
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"unbalanced </{tag}>")


def test_both_catalogues_have_the_same_keys() -> None:
    assert set(CATALOGUES["fr"]) == set(CATALOGUES["en"])


@pytest.mark.parametrize("key", sorted(CATALOGUES["fr"]))
def test_each_message_has_the_same_placeholders_in_both_languages(key: str) -> None:
    assert placeholders(CATALOGUES["fr"][key]) == placeholders(CATALOGUES["en"][key])


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_renders_without_tags_in_plain_and_balanced_html(
    language: Language,
) -> None:
    catalogue = Catalogue(language)
    for key, template in CATALOGUES[language].items():
        text = catalogue(key, **dict.fromkeys(placeholders(template), HOSTILE))
        assert not _TAG.search(text.plain.replace(HOSTILE, "")), key
        checker = _TagChecker()
        checker.feed(text.html)
        checker.close()
        assert checker.problems == [], key
        assert checker.open == [], key


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_value_is_escaped_in_html_and_raw_in_plain_text(language: Language) -> None:
    text = Catalogue(language)("help.unknown", given=HOSTILE)
    assert HOSTILE in text.plain
    assert "&lt;b&gt;&amp;" in text.html
    assert "<b>&" not in text.html
    assert "<code>&lt;b&gt;&amp;" in text.html


def test_plain_text_drops_tags_and_keeps_line_structure() -> None:
    text = Catalogue("en")("help.detail", usage="!help", summary="lists things")
    assert text.plain == "!help\nlists things"
    assert text.html == "<code>!help</code><br>lists things"


def test_the_title_is_bold_in_html_only() -> None:
    catalogue = Catalogue("en")
    title = catalogue("help.title")
    assert title.plain.startswith("What I can do —")
    assert "<b>" not in title.plain
    assert title.html.startswith("<b>What I can do</b>")


def test_numbers_are_rendered_as_text() -> None:
    text = Catalogue("en")("error.too_long", length=2500, limit=2000)
    assert "2500 characters" in text.plain
    assert "the limit is 2000" in text.html


def test_a_text_value_is_inserted_as_its_own_html() -> None:
    inner = Text("a <tag>", "<i>a &lt;tag&gt;</i>")
    text = Catalogue("en")("help.examples", examples=inner)
    assert text.plain == "Examples: a <tag>"
    assert text.html == "Examples: <i>a &lt;tag&gt;</i>"


def test_text_escaped() -> None:
    text = Text.escaped(HOSTILE)
    assert text.plain == HOSTILE
    assert text.html == '&lt;b&gt;&amp;"x"'


def test_join_with_new_lines_uses_line_breaks_in_html() -> None:
    joined = Text.join([Text("one", "<b>one</b>"), Text("two", "two")])
    assert joined == Text("one\ntwo", "<b>one</b><br>two")


def test_join_escapes_any_other_separator_in_html() -> None:
    joined = Text.join([Text("a", "a"), Text("b", "b")], separator=" & ")
    assert joined.plain == "a & b"
    assert joined.html == "a &amp; b"


def test_join_of_nothing_is_empty_and_accepts_an_iterator() -> None:
    assert Text.join([]) == Text("", "")
    parts = (Text(word, f"<i>{word}</i>") for word in ("x", "y"))
    assert Text.join(parts, ", ") == Text("x, y", "<i>x</i>, <i>y</i>")


@pytest.mark.parametrize("language", LANGUAGES)
def test_raw_and_has(language: Language) -> None:
    catalogue = Catalogue(language)
    assert catalogue.language == language
    assert catalogue.has("help.title")
    assert not catalogue.has("no.such.key")
    assert catalogue.raw("param.command") == CATALOGUES[language]["param.command"]
    assert "<" not in catalogue.raw("help.title")


def test_the_languages_really_differ() -> None:
    assert Catalogue("fr")("help.title") != Catalogue("en")("help.title")


@pytest.mark.parametrize(
    ("delta", "fr", "en"),
    [
        (timedelta(0), "0 s", "0 s"),
        (timedelta(seconds=-5), "0 s", "0 s"),
        (timedelta(seconds=42), "42 s", "42 s"),
        (timedelta(minutes=12, seconds=5), "12 min 5 s", "12 min 5 s"),
        (timedelta(days=2, hours=3, minutes=4, seconds=5), "2 jours 3 h", "2 days 3 h"),
        (timedelta(days=1, minutes=4), "1 jour 4 min", "1 day 4 min"),
        (timedelta(hours=5), "5 h", "5 h"),
        (timedelta(days=15), "15 jours", "15 days"),
        (timedelta(seconds=59.9), "59 s", "59 s"),
    ],
)
def test_a_span_keeps_the_two_largest_units_in_words(delta: timedelta, fr: str, en: str) -> None:
    assert Catalogue("fr").span(delta) == fr
    assert Catalogue("en").span(delta) == en


@pytest.mark.parametrize(
    ("delta", "fr", "en"),
    [
        (timedelta(seconds=0), "à l'instant", "just now"),
        (timedelta(seconds=59), "à l'instant", "just now"),
        (timedelta(minutes=2, seconds=30), "il y a 2 min", "2 min ago"),
        (timedelta(hours=3, minutes=59), "il y a 3 h", "3 h ago"),
        (timedelta(days=1, hours=23), "il y a 1 jour", "1 day ago"),
        (timedelta(days=40), "il y a 40 jours", "40 days ago"),
    ],
)
def test_an_age_reads_naturally(delta: timedelta, fr: str, en: str) -> None:
    assert Catalogue("fr").ago(delta) == fr
    assert Catalogue("en").ago(delta) == en


@pytest.mark.parametrize(
    ("n", "fr", "en"),
    [(0, "0 témoin", "0 witnesses"), (1, "1 témoin", "1 witness"), (2, "2 témoins", "2 witnesses")],
)
def test_a_count_agrees_with_its_noun(n: int, fr: str, en: str) -> None:
    assert Catalogue("fr").count("contributions.witnesses", n) == fr
    assert Catalogue("en").count("contributions.witnesses", n) == en


def test_a_moment_names_the_community_time_zone() -> None:
    when = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)
    paris = ZoneInfo("Europe/Paris")
    assert Catalogue("fr").moment(when, paris) == "jeudi 5 novembre 2026 à 10:00 (Europe/Paris)"
    assert Catalogue("en").moment(when, paris) == "Thursday 5 November 2026 at 10:00 (Europe/Paris)"
