"""Telling members apart by name: how each one is shown, and whom a typed name means.

Anyone may take any display name, ``Alice (@alice:server)`` included. So, as Element does,
a name is shown with the member's Matrix id beside it when it could pass for someone
else's, and a typed name that could mean several members, or only looks like a member's
name, is never guessed at.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

# Element's test for a name posing as an id: an "@", then a ":" somewhere after it.
_ID_SHAPED = re.compile(r"@.+:.", re.DOTALL)
_ID_TOKEN = re.compile(r"@\S*:\S*")
_DIRECTION_MARKS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Characters drawn like a Latin letter in common fonts, once case is folded: digits and a
# bar, then Cyrillic, then Greek letters, over the letter each one passes for.
_LOOKALIKES = str.maketrans(
    "01|авекмнорстухіјѕԁһӏԛԝαβεζηικμνορτυχ",
    "ollabekmhopctyxijsdhlqwabeznikuvoptux",
)


def with_id(name: str, user_id: str) -> str:
    """``Alice (@alice:server)``: a name with the id that tells it apart."""
    return user_id if name == user_id else f"{name} ({user_id})"


@lru_cache(maxsize=1 << 16)  # a large room's names, each worked out once
def likeness(name: str) -> str:
    """What a name looks like, whatever its case, width, accents, hidden characters,
    spacing, punctuation, look-alike letters and any id inside it: equal for names a
    reader could take one for the other."""
    text = _ID_TOKEN.sub("", unicodedata.normalize("NFKC", name)).casefold()
    text = unicodedata.normalize("NFKD", text).translate(_LOOKALIKES)
    return "".join(char for char in text if unicodedata.category(char)[0] not in "CMPZ")


@lru_cache(maxsize=1 << 16)
def _exact(name: str) -> str:
    """A name as compared exactly: case and width aside (NFKC, casefold), spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


class Lookalikes:
    """A room's names (ids to names) by likeness, counted once for all the names shown in
    one answer: checking each against every member would cost a large room's size each."""

    def __init__(self, room: Mapping[str, str]) -> None:
        self._room = room
        self._counts = Counter(map(likeness, room.values()))

    def shown(self, user_id: str, name: str) -> str:
        """``name``, with the id beside it when it could pass for someone else's: it looks
        like another name in the room, holds an id or a direction mark, or shows nothing.
        Showing a name twice changes nothing: an id already at its end stays alone."""
        if name == user_id or (
            name.endswith(f" ({user_id})") and _DIRECTION_MARKS.isdisjoint(name)
        ):
            return name
        looks = likeness(name)
        own = self._room.get(user_id)
        others = self._counts[looks] - (own is not None and likeness(own) == looks)
        if (
            not looks
            or others > 0
            or _ID_SHAPED.search(unicodedata.normalize("NFKC", name))
            or not _DIRECTION_MARKS.isdisjoint(name)
        ):
            return with_id(name, user_id)
        return name


def shown_name(user_id: str, name: str, room: Mapping[str, str]) -> str:
    """``Lookalikes.shown`` for one name."""
    return Lookalikes(room).shown(user_id, name)


@dataclass(frozen=True)
class Named:
    """Whom a typed name means: one member for sure, else everyone it could mean."""

    member: str | None
    candidates: tuple[str, ...] = ()


def named(typed: str, room: Mapping[str, str]) -> Named:
    """The one member of ``room`` (ids to names) whose name or id's local part is ``typed``,
    case and width aside; unsure when several are, or when another name only looks like it."""
    wanted, looks = _exact(typed.strip().removeprefix("@")), likeness(typed)
    exact, alike = set(), set()
    for user_id, name in room.items():
        spellings = (name, user_id[1:].split(":")[0])
        if wanted in map(_exact, spellings):
            exact.add(user_id)
        elif looks and looks in map(likeness, spellings):
            alike.add(user_id)
    if len(exact) == 1 and not alike:
        return Named(exact.pop())
    return Named(None, tuple(sorted(exact | alike)))
