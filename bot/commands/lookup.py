"""Turning what members type into the things it names: a member, a skill, a record."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from bot.commands.dispatcher import Context
from bot.commands.router import NotFound, UsageError
from bot.domain.ledger import Ref, RefKind, parse_ref
from bot.domain.names import Lookalikes, named, shown_name, with_id
from bot.domain.skills import Found, choose_skill, normalise
from bot.domain.text import clean
from bot.store import skills
from bot.store.members import display_names

_USER_ID = re.compile(r"@[^\s:]+:\S+")


def _room_names(ctx: Context) -> dict[str, str]:
    """The room's members, each name cleaned as the command's text was: a pill matches it."""
    members = ctx.transport.room_members(ctx.message.room_id)
    return {user_id: _cleaned(name) for user_id, name in members.items()}


@lru_cache(maxsize=1 << 16)  # a large room's names, each cleaned once
def _cleaned(name: str) -> str:
    return clean(name)


def find_member(ctx: Context, typed: str) -> tuple[str, str]:
    """The member a command names: ``@bob:server``, a pill, or ``@bob`` / ``Bob`` in this room.

    Returns (user id, name as shown); a name is never guessed: when it could mean several
    members, or only looks like one's, NotFound lists them with their ids.
    """
    room = _room_names(ctx)
    user_id = _meant(ctx, typed, room)
    return user_id, shown_name(user_id, room.get(user_id, user_id), room)


def _meant(ctx: Context, typed: str, room: dict[str, str]) -> str:
    """A pill or an id, whoever it is; else the one member of the room the name means."""
    given = typed.strip()
    for user_id in ctx.message.mentions:
        name = room.get(user_id, user_id)
        if given in (user_id, name, f"@{name}"):
            return user_id
    if _USER_ID.fullmatch(given):
        return given
    found = named(given, room)
    if found.member is not None:
        return found.member
    if found.candidates:
        listed = ", ".join(with_id(room[user_id], user_id) for user_id in found.candidates)
        raise NotFound("lookup.which_member", given=typed, candidates=listed)
    raise NotFound("lookup.no_such_member", given=typed)


def shown_names(ctx: Context, last_seen: Mapping[str, str]) -> dict[str, str]:
    """How the room shows each member now, by the name last seen for one not in it: with the
    id beside a name that could pass for another's, in the room or among these."""
    everyone = {**last_seen, **_room_names(ctx)}
    lookalikes = Lookalikes(everyone)
    return {user_id: lookalikes.shown(user_id, everyone[user_id]) for user_id in last_seen}


def shown_as(ctx: Context, member: str, last_seen: str) -> str:
    """``shown_names`` of one member."""
    return shown_names(ctx, {member: last_seen})[member]


async def names_of(ctx: Context, user_ids: Iterable[str | None]) -> dict[str, str]:
    """``shown_names`` of members known by id, their last names read from the store."""
    wanted = sorted({user_id for user_id in user_ids if user_id})
    stored = await display_names(ctx.tx, wanted)
    return shown_names(ctx, {user_id: stored.get(user_id, user_id) for user_id in wanted})


def mentioned_prefix(ctx: Context, text: str) -> tuple[str, str] | None:
    """If ``text`` starts with a member (pill text or typed id), that member and the rest."""
    members = _room_names(ctx)
    candidates = [(user_id, user_id) for user_id in ctx.message.mentions]
    candidates += [
        (members[user_id], user_id) for user_id in ctx.message.mentions if user_id in members
    ]
    for shown, user_id in sorted(candidates, key=lambda pair: -len(pair[0])):
        for spelling in (shown, f"@{shown}"):
            rest = text[len(spelling) :]
            if text.startswith(spelling) and not rest[:1].isalnum():  # "Bob" is not "Bobby"
                return user_id, rest
    return None


@dataclass(frozen=True)
class SkillFound:
    id: int | None  # None: a new skill, not yet stored
    key: str
    name: str
    found: Found


async def find_skill(ctx: Context, typed: str) -> SkillFound:
    """Exact, alias or close spelling of a known skill; else a new one (not stored yet)."""
    name = " ".join(typed.split())
    if not normalise(name):
        raise UsageError("lookup.empty_skill")
    exact = await skills.find(ctx.tx, normalise(name))
    if exact is not None:  # the common case: no need to load every skill
        return SkillFound(exact[0], normalise(name), exact[1], Found.EXACT)
    choice = choose_skill(name, await skills.keys(ctx.tx), ctx.config.skills.aliases)
    existing = await skills.find(ctx.tx, choice.key)
    if existing is None:
        return SkillFound(None, choice.key, choice.name, choice.found)
    return SkillFound(existing[0], choice.key, existing[1], choice.found)


async def stored_skill(ctx: Context, typed: str) -> SkillFound:
    """Like ``find_skill``, creating the skill when it is new."""
    found = await find_skill(ctx, typed)
    if found.id is not None:
        return found
    skill_id = await skills.create(ctx.tx, found.key, found.name)
    return SkillFound(skill_id, found.key, found.name, found.found)


def expect_ref(typed: str, *kinds: RefKind) -> Ref:
    """A reference of one of ``kinds``, or a usage error that shows what one looks like."""
    ref = parse_ref(typed)
    if ref is None or ref.kind not in kinds:
        raise UsageError(
            "lookup.bad_ref", given=typed, kinds=" ".join(f"{k.value}12" for k in kinds)
        )
    return ref
