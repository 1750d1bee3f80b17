"""Turning what members type into the things it names: a member, a skill, a record."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.commands.dispatcher import Context
from bot.commands.router import NotFound, UsageError
from bot.domain.ledger import Ref, RefKind, parse_ref
from bot.domain.skills import Found, choose_skill, normalise
from bot.store import skills

_USER_ID = re.compile(r"@[^\s:]+:\S+")


def find_member(ctx: Context, typed: str) -> tuple[str, str]:
    """The member a command names: ``@bob:server``, a pill, or ``@bob`` / ``Bob`` in this room.

    Returns (user id, display name); raises NotFound with the names it could have meant.
    """
    members = ctx.transport.room_members(ctx.message.room_id)
    wanted = typed.strip().removeprefix("@").casefold()
    for user_id in ctx.message.mentions:
        name = members.get(user_id, user_id)
        if typed.strip() in (user_id, name, f"@{name}"):
            return user_id, name
    if _USER_ID.fullmatch(typed.strip()):
        return typed.strip(), members.get(typed.strip(), typed.strip())
    matches = [
        (user_id, name)
        for user_id, name in members.items()
        if wanted in (name.casefold(), user_id[1:].split(":")[0].casefold())
    ]
    if len(matches) == 1:
        return matches[0]
    raise NotFound("lookup.no_such_member", given=typed)


def mentioned_prefix(ctx: Context, text: str) -> tuple[str, str] | None:
    """If ``text`` starts with a member (pill text or typed id), that member and the rest."""
    members = ctx.transport.room_members(ctx.message.room_id)
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
