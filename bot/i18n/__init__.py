"""Message catalogues: every sentence the bot says, in French and in English.

Templates are written in a small subset of Matrix HTML. Values are escaped into the
HTML body and inserted raw into the plain-text body, so user text is never markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.i18n import contributions, core, digest, ledger, matching, personal, polls
from bot.i18n.types import Language, Messages

FAMILIES: tuple[Messages, ...] = (
    core.MESSAGES,
    ledger.MESSAGES,
    contributions.MESSAGES,
    personal.MESSAGES,
    matching.MESSAGES,
    polls.MESSAGES,
    digest.MESSAGES,
)
LANGUAGES: tuple[Language, ...] = ("fr", "en")


def _by_language(families: Iterable[Messages]) -> dict[Language, dict[str, str]]:
    """One flat catalogue per language; a key missing a language or defined twice is a bug."""
    catalogues: dict[Language, dict[str, str]] = {language: {} for language in LANGUAGES}
    for family in families:
        for key, texts in family.items():
            if set(texts) != set(LANGUAGES) or key in catalogues["fr"]:
                raise ValueError(f"message {key!r} is defined twice or lacks a language")
            for language in LANGUAGES:
                catalogues[language][key] = texts[language]
    return catalogues


CATALOGUES: Mapping[Language, Mapping[str, str]] = _by_language(FAMILIES)

_BREAKS = re.compile(r"<br\s*/?>|</p>|</li>|</h\d>", re.IGNORECASE)
_ITEM = re.compile(r"<li>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def _plain_template(template: str) -> str:
    """The template's text without markup, keeping line structure."""
    text = _ITEM.sub("• ", _BREAKS.sub("\n", template))
    return html.unescape(_TAG.sub("", text)).strip("\n")


@dataclass(frozen=True)
class Text:
    """A message in both forms Matrix wants: plain text and HTML."""

    plain: str
    html: str

    @classmethod
    def escaped(cls, value: str) -> Text:
        return cls(value, html.escape(value, quote=False))

    @classmethod
    def join(cls, parts: Iterable[Text], separator: str = "\n") -> Text:
        items = list(parts)
        html_separator = "<br>" if separator == "\n" else html.escape(separator)
        return cls(
            separator.join(part.plain for part in items),
            html_separator.join(part.html for part in items),
        )


class Catalogue:
    """Renders messages of one language by key."""

    def __init__(self, language: Language) -> None:
        self.language: Language = language
        self._messages = CATALOGUES[language]

    def __call__(self, key: str, **values: str | int | Text) -> Text:
        template = self._messages[key]
        as_html = {name: _html_value(value) for name, value in values.items()}
        as_plain = {name: _plain_value(value) for name, value in values.items()}
        return Text(_plain_template(template).format(**as_plain), template.format(**as_html))

    def raw(self, key: str) -> str:
        """A bare word from the catalogue (a parameter name, a command alias)."""
        return _plain_template(self._messages[key])

    def has(self, key: str) -> bool:
        return key in self._messages

    def number(self, value: float, digits: int = 1) -> str:
        """A decimal as this language writes it, without trailing zeros: ``2,5`` / ``2.5``."""
        written = f"{value:.{digits}f}"
        if "." in written:
            written = written.rstrip("0").rstrip(".")
        return written.replace(".", ",") if self.language == "fr" else written

    def day(self, day: date, *, with_year: bool = True) -> Text:
        """A calendar day as this language writes it: ``1er décembre 2026``."""
        values: dict[str, str | int | Text] = {
            "day": self.raw("date.first_day") if day.day == 1 else day.day,
            "month": self.raw("date.months").split()[day.month - 1],
        }
        if with_year:
            return self("date.day_year", year=day.year, **values)
        return self("date.day", **values)

    def moment(self, when: datetime, zone: ZoneInfo) -> str:
        """A day and time in the community's time zone: ``mardi 1er décembre 2026, 18:00``."""
        local = when.astimezone(zone)
        return self(
            "date.moment",
            weekday=self.raw("date.weekdays").split()[local.weekday()],
            day=self.day(local.date()),
            time=f"{local:%H:%M}",
        ).plain


def _html_value(value: str | int | Text) -> str:
    if isinstance(value, Text):
        return value.html
    return html.escape(str(value), quote=False)


def _plain_value(value: str | int | Text) -> str:
    return value.plain if isinstance(value, Text) else str(value)
