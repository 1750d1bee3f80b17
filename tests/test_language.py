"""One language at a time: no sentence the bot says, no usage line and no example in help
carries a word of the other language.

Each language's words are the words of its own catalogue; a word is foreign to a text
when the other catalogue uses it and this one does not (a catalogue entry is judged
against the rest of its catalogue, so a word slipped into one entry does not vouch for
itself). Words both languages write alike, names and technical words are allowed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import pytest

from bot.app import ROUTERS
from bot.commands.router import Command
from bot.i18n import CATALOGUES, Catalogue
from bot.i18n.types import Language

LANGUAGES: tuple[Language, ...] = ("fr", "en")
# Letters only, not touching a digit (``m5``, ``2h``: references and amounts).
_WORD = re.compile(r"(?<![\w])[^\W\d_]+(?:['’-][^\W\d_]+)*(?![\w])")
_USER_ID = re.compile(r"@\S+")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_TAG = re.compile(r"<[^>]+>")
_CODE = re.compile(r"<code>.*?</code>")

# Written alike in both languages, yet used by one catalogue only (or by one entry of the
# other); and technical words.
ALLOWED = frozenset(
    {
        "action", "base", "chose", "client", "configuration", "description", "element",
        "engagement", "es", "icalendar", "ics", "invitation", "min", "multi", "options",
        "version", "voter",
    }
)  # fmt: skip


def _words(text: str) -> list[str]:
    """The words of a text, lower case, but user ids, options' dashes and single letters;
    contractions split (``l'atelier``: atelier)."""
    text = _USER_ID.sub(" ", text.casefold()).replace("--", " ")
    return [
        part for word in _WORD.findall(text) for part in re.split(r"['’]", word) if len(part) > 1
    ]


def _template_words(template: str) -> list[str]:
    """A template's own words: neither its placeholders nor what it quotes as code."""
    return _words(_TAG.sub(" ", _CODE.sub(" ", _PLACEHOLDER.sub(" ", template))))


# The commonest words of each language, whether its catalogue uses them today or not.
COMMON: dict[Language, str] = {
    "fr": """le la les un une des du au aux et ou mais donc car ni je tu il elle nous vous ils
    elles mon ma mes ton ta tes notre nos votre vos leur leurs ce cette ces est sont était
    avec pour dans sur sous par pas ne qui que quoi quand comment où très plus moins aussi
    merci oui non fait faire été avoir être""",
    "en": """the an and or but so nor he she we you they my your our their his her its this
    that these those is are was were be been have has had with for into onto by not no yes
    who what when how where very more less also of to from thank thanks please did do does""",
}


def _vocabulary(language: Language) -> Counter[str]:
    """How many entries of the catalogue use each word; the commonest words count once more."""
    return Counter(
        word
        for template in CATALOGUES[language].values()
        for word in set(_template_words(template))
    ) + Counter(COMMON[language].split())


VOCABULARY = {language: _vocabulary(language) for language in LANGUAGES}


def foreign(words: Iterable[str], language: Language, own: Counter[str] | None = None) -> list[str]:
    """The words of the other language among ``words``: used by the other catalogue, not by
    this one (``own``: this one's counts, less the entry judged)."""
    mine = VOCABULARY[language] if own is None else own
    other = VOCABULARY["en" if language == "fr" else "fr"]
    return [word for word in words if other[word] and not mine[word] and word not in ALLOWED]


def catalogue_entries() -> list[tuple[Language, str]]:
    return [(language, key) for language in LANGUAGES for key in sorted(CATALOGUES[language])]


@pytest.mark.parametrize(("language", "key"), catalogue_entries())
def test_a_catalogue_entry_speaks_its_own_language(language: Language, key: str) -> None:
    words = set(_template_words(CATALOGUES[language][key]))
    rest = VOCABULARY[language] - Counter(words)
    assert foreign(sorted(words), language, rest) == [], CATALOGUES[language][key]


def _commands() -> list[Command]:
    return [command for router in ROUTERS for command in router.commands]


def help_lines(language: Language) -> list[str]:
    """Everything help and the argument errors show of every command: each form's usage
    and every example, of the command and of each sub-command."""
    t = Catalogue(language)
    lines: list[str] = []
    for command in _commands():
        lines.append(command.usage(t, "!"))
        lines += command.example_lines(t, "!")
        for sub in command.subcommands:
            lines.append(command.usage(t, "!", sub))
            lines += command.example_lines(t, "!", sub)
    return lines


@pytest.mark.parametrize("language", LANGUAGES)
def test_usage_and_examples_speak_the_community_language(language: Language) -> None:
    mixed = {
        line: found for line in help_lines(language) if (found := foreign(_words(line), language))
    }
    assert mixed == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_command_and_sub_command_has_examples_in_both_languages(
    language: Language,
) -> None:
    for command in _commands():
        if command.params and command.own_form:
            assert command.examples.of(language), command.name
        for sub in command.subcommands:
            assert sub.examples.of(language), (command.name, sub.name)


# --- the test must see the defects it guards against -------------------------------------


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("fr", "!oublie me confirm"),
        ("fr", "!binome fini m5 : clear and patient, thank you!"),
        ("fr", "!offre woodworking 4 : I can show how to use a router"),
        ("fr", "!sondage --domain habitat --closes 3d Paint the yard? | yes | no | later"),
        ("en", "!forget moi confirmer"),
        ("en", "!thanks @lou 1h : a relu nos statuts"),
    ],
)
def test_a_mixed_example_is_caught(language: Language, line: str) -> None:
    assert foreign(_words(line), language)


@pytest.mark.parametrize(
    ("language", "template"),
    [
        ("fr", "Vote enregistré sur {ref} : it counts."),
        ("en", "Confirmed: {witnesses} ({required} requis)."),
    ],
)
def test_a_mixed_entry_is_caught(language: Language, template: str) -> None:
    words = _template_words(template)
    assert foreign(words, language)


def test_words_in_code_and_placeholders_are_not_judged() -> None:
    assert _template_words("Tapez <code>!help offer</code> pour {count} <b>offres</b>") == [
        "tapez",
        "pour",
        "offres",
    ]
