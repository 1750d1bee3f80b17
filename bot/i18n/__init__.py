"""Message catalogues: every sentence the bot says, in French and in English.

Templates are written in a small subset of Matrix HTML. Values are escaped into the
HTML body and inserted raw into the plain-text body, so user text is never markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import contributions, core, digest, ledger, matching, personal, polls, workshops
from bot.i18n.types import Language, Messages

FAMILIES: tuple[Messages, ...] = (
    core.MESSAGES,
    ledger.MESSAGES,
    contributions.MESSAGES,
    personal.MESSAGES,
    matching.MESSAGES,
    polls.MESSAGES,
    digest.MESSAGES,
    workshops.MESSAGES,
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
    """Renders messages of one language by key; ``domains`` are the community's labels of
    its contribution domains in that language (a domain without one goes by its name)."""

    def __init__(self, language: Language, domains: Mapping[str, str] | None = None) -> None:
        self.language: Language = language
        self._messages = CATALOGUES[language]
        self._domains = dict(domains or {})

    def domain(self, name: str) -> str:
        """A contribution domain as members of this language read it."""
        return self._domains.get(name, name)

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
        """A day and time in the community's time zone, which it names: ``mardi 1er décembre
        2026 à 18:00 (Europe/Paris)``."""
        local = when.astimezone(zone)
        return self(
            "date.moment",
            weekday=self.raw("date.weekdays").split()[local.weekday()],
            day=self.day(local.date()),
            time=f"{local:%H:%M}",
            zone=zone.key,
        ).plain

    def count(self, key: str, n: int) -> str:
        """A number and its noun, agreeing: ``1 témoin``, ``2 témoins``; ``0 témoin`` in
        French, ``0 witnesses`` in English. The message is ``singular|plural``."""
        singular, plural = self.raw(key).split("|")
        one = n <= 1 if self.language == "fr" else n == 1
        return (singular if one else plural).format(n=n)

    def span(self, delta: timedelta) -> str:
        """A length of time in its two largest units, as people say it: ``2 jours 3 h``."""
        seconds = max(0, int(delta.total_seconds()))
        parts: list[str] = []
        for key, size in _SPAN_UNITS:
            amount, seconds = divmod(seconds, size)
            if amount or (size == 1 and not parts):
                parts.append(self.count(key, amount))
        return " ".join(parts[:2])

    def ago(self, delta: timedelta) -> str:
        """How long ago, in its largest unit: ``à l'instant``, ``il y a 2 min``, ``il y a 3
        jours``."""
        seconds = int(delta.total_seconds())
        if seconds < 60:
            return self.raw("date.just_now")
        key, size = next((key, size) for key, size in _SPAN_UNITS if seconds >= size)
        return self("date.ago", span=self.count(key, seconds // size)).plain


# The units of a length of time, largest first: their message and how many seconds.
_SPAN_UNITS = (
    ("date.days", 86400),
    ("date.hours", 3600),
    ("date.minutes", 60),
    ("date.seconds", 1),
)


def _html_value(value: str | int | Text) -> str:
    if isinstance(value, Text):
        return value.html
    return html.escape(str(value), quote=False)


def _plain_value(value: str | int | Text) -> str:
    return value.plain if isinstance(value, Text) else str(value)
