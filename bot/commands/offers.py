"""``!offer``, ``!need``, ``!offers``, ``!needs``, ``!withdraw``: what members share and seek."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.commands.dispatcher import Context
from bot.commands.lookup import expect_ref, find_skill, shown_as, shown_names, stored_skill
from bot.commands.router import (
    ArgReader,
    Denied,
    Examples,
    NotFound,
    Param,
    Router,
    Term,
    UsageError,
)
from bot.domain.ledger import MAX_DETAILS_LENGTH, LevelError, RefKind, parse_level
from bot.domain.skills import MAX_SKILL_LENGTH, Found
from bot.i18n import Catalogue, Text
from bot.store import listings, matches
from bot.store.listings import Kind, Listing

router = Router()

PAGE_SIZE = 10
DEFAULT_LEVEL: dict[Kind, int] = {"offer": 3, "need": 1}
_KIND_OF_REF = {RefKind.OFFER: "offer", RefKind.NEED: "need"}


@dataclass(frozen=True)
class ListingSpec:
    skill: str
    level: int | None
    details: str


@dataclass(frozen=True)
class SkillLevelDetails(Param):
    """``<skill> [level] [: details]``: a multi-word or quoted skill, a level 1–5 or a word."""

    def read(self, reader: ArgReader) -> ListingSpec:
        head, _, details = reader.rest().partition(":")
        words = _words(head)
        if not words:
            raise UsageError("error.missing_argument", name=Term("param.skill"))
        level = None
        if len(words) > 1:
            try:
                level = parse_level(words[-1])
            except LevelError:
                raise UsageError("offers.bad_level", given=words[-1]) from None
            if level is not None:
                words = words[:-1]
        skill = " ".join(words)
        if len(skill) > MAX_SKILL_LENGTH:
            raise UsageError("offers.skill_too_long", limit=MAX_SKILL_LENGTH)
        details = details.strip()
        if len(details) > MAX_DETAILS_LENGTH:
            raise UsageError("offers.details_too_long", limit=MAX_DETAILS_LENGTH)
        return ListingSpec(skill, level, details)

    def usage(self, t: Catalogue) -> str:
        names = [t.raw(f"param.{name}") for name in ("skill", "level", "details")]
        return f"<{names[0]}> [{names[1]}] [: {names[2]}]"


@dataclass(frozen=True)
class Browse:
    skill: str | None
    page: int


_PAGE_FLAG = re.compile(r"(?:^|\s)--page\s+(\S+)\s*$")


@dataclass(frozen=True)
class SkillAndPage(Param):
    """``[skill] [page]``: ``!offers``, ``!offers 2``, ``!offers woodworking --page 2``."""

    def read(self, reader: ArgReader) -> Browse:
        text = reader.rest()
        flag = _PAGE_FLAG.search(text)
        words = _words(text[: flag.start()] if flag else text)
        page_text = flag.group(1) if flag else None
        if page_text is None and words and words[-1].isdigit():
            page_text = words.pop()
        page = 1
        if page_text is not None:
            if not page_text.isdigit() or int(page_text) < 1:
                raise UsageError("offers.bad_page", given=page_text)
            page = int(page_text)
        return Browse(" ".join(words) or None, page)

    def usage(self, t: Catalogue) -> str:
        return f"[{t.raw('param.skill')}] [{t.raw('param.page')}]"


def _words(text: str) -> list[str]:
    reader = ArgReader(text)
    words = []
    while (word := reader.word()) is not None:
        if word:
            words.append(word)
    return words


@router.command(
    "offer",
    alias="offre",
    params=(SkillLevelDetails("listing"),),
    examples=Examples(
        fr=("menuiserie 4 : je montre la défonceuse", '"C++" expert', "couture"),
        en=("woodworking 4 : I can show how to use a router", '"C++" expert', "sewing"),
    ),
)
async def offer(ctx: Context, listing: ListingSpec) -> Text:
    return await _record(ctx, "offer", listing)


@router.command(
    "need",
    alias="besoin",
    params=(SkillLevelDetails("listing"),),
    examples=Examples(
        fr=("comptabilité 2 : les comptes de l'association", "menuiserie", "soudure débutant"),
        en=("bookkeeping 2 : our association's accounts", "woodworking", "welding beginner"),
    ),
)
async def need(ctx: Context, listing: ListingSpec) -> Text:
    return await _record(ctx, "need", listing)


async def _record(ctx: Context, kind: Kind, spec: ListingSpec) -> Text:
    t, me, now = ctx.t, ctx.message.sender, ctx.clock.now()
    skill = await stored_skill(ctx, spec.skill)
    assert skill.id is not None
    level = spec.level or DEFAULT_LEVEL[kind]
    existing = await listings.find_open_duplicate(ctx.tx, kind, me, skill.id)
    if existing is None:
        number = await listings.add(
            ctx.tx, kind, me, skill.id, level, spec.details, ctx.message.room_id, now
        )
        key = f"offers.recorded_{kind}"
    else:
        number = existing.id
        await listings.update(ctx.tx, number, level, spec.details or existing.details)
        key = f"offers.updated_{kind}"
    lines = [
        t(key, ref=str(listings.ref_of(kind, number)), skill=skill.name, level=_level(t, level))
    ]
    if skill.found in (Found.ALIAS, Found.FUZZY) and skill.name != spec.skill:
        lines.append(t("offers.taken_as", typed=spec.skill, skill=skill.name))
    lines.append(await _counterparts(ctx, kind, skill.id, skill.name, level))
    return Text.join(lines)


async def _counterparts(ctx: Context, kind: Kind, skill_id: int, skill: str, level: int) -> Text:
    """For a need, who offers the skill (best first); for an offer, who is looking for it."""
    t, limit = ctx.t, ctx.config.matching.max_suggestions
    if kind == "need":
        found = await listings.best_offers(ctx.tx, skill_id, ctx.message.sender, limit)
        if not found:
            return t("offers.nobody_offers", skill=skill)
        ahead = sorted(found, key=lambda offer: (offer.level <= level, -offer.level))
        return t("offers.who_can_help", people=_people(ctx, ahead))
    seekers = await listings.open_listings(ctx.tx, "need", skill_id, limit + 1)
    seekers = [need for need in seekers if need.member != ctx.message.sender][:limit]
    if not seekers:
        return t("offers.nobody_needs", skill=skill)
    return t("offers.who_needs", people=_people(ctx, seekers))


def _names(ctx: Context, found: list[Listing]) -> dict[str, str]:
    return shown_names(ctx, {each.member: each.member_name for each in found})


def _people(ctx: Context, found: list[Listing]) -> Text:
    names = _names(ctx, found)
    return Text.join(
        [
            ctx.t(
                "offers.person",
                name=names[each.member],
                level=each.level,
                ref=str(each.ref),
            )
            for each in found
        ],
        ", ",
    )


@router.command(
    "offers",
    alias="offres",
    params=(SkillAndPage("browse"),),
    examples=Examples(fr=("", "menuiserie", "2"), en=("", "woodworking", "2")),
)
async def browse_offers(ctx: Context, browse: Browse) -> Text:
    return await _browse(ctx, "offer", browse)


@router.command(
    "needs",
    alias="besoins",
    params=(SkillAndPage("browse"),),
    examples=Examples(fr=("", "comptabilité", "--page 2"), en=("", "bookkeeping", "--page 2")),
)
async def browse_needs(ctx: Context, browse: Browse) -> Text:
    return await _browse(ctx, "need", browse)


async def _browse(ctx: Context, kind: Kind, browse: Browse) -> Text:
    t = ctx.t
    skill_id: int | None = None
    skill_name = ""
    if browse.skill is not None:
        skill = await find_skill(ctx, browse.skill)
        if skill.id is None:
            raise NotFound("offers.unknown_skill", skill=browse.skill)
        skill_id, skill_name = skill.id, skill.name
    # One row more than a page says whether there is a next one, without counting them all.
    found = await listings.open_listings(
        ctx.tx, kind, skill_id, PAGE_SIZE + 1, (browse.page - 1) * PAGE_SIZE
    )
    if not found:
        if browse.page > 1:
            raise NotFound("offers.no_such_page", page=browse.page)
        return t(f"offers.none_open_{kind}")
    has_more, found = len(found) > PAGE_SIZE, found[:PAGE_SIZE]
    title = (
        t(f"offers.title_{kind}_skill", skill=skill_name, page=browse.page)
        if skill_name
        else t(f"offers.title_{kind}", page=browse.page)
    )
    names = _names(ctx, found)
    lines = [title, *(_line(ctx, each, names[each.member]) for each in found)]
    if has_more:
        words = [ctx.typed(f"{kind}s"), browse.skill, "--page", str(browse.page + 1)]
        lines.append(t("offers.more", command=" ".join(word for word in words if word)))
    return Text.join(lines)


def _line(ctx: Context, listing: Listing, name: str) -> Text:
    t = ctx.t
    details = listing.details if len(listing.details) <= 80 else listing.details[:79] + "…"
    line = t(
        "offers.line",
        ref=str(listing.ref),
        name=name,
        skill=listing.skill_name,
        level=_level(t, listing.level),
        age=t.ago(ctx.clock.now() - listing.created_at),
    )
    if details:
        line = Text.join([line, t("offers.details", details=details)], " ")
    return line


@router.command(
    "withdraw",
    alias="retirer",
    params=(Param("ref"),),
    examples=Examples(fr=("o12", "n7"), en=("o12", "n7")),
)
async def withdraw(ctx: Context, ref: str) -> Text:
    parsed = expect_ref(ref, RefKind.OFFER, RefKind.NEED)
    listing = await listings.get(ctx.tx, parsed.number)
    if listing is None or listing.kind != _KIND_OF_REF[parsed.kind]:
        raise NotFound("offers.no_such_ref", ref=str(parsed))
    if listing.member != ctx.message.sender and not ctx.standing.may_moderate(listing.room_id):
        name = shown_as(ctx, listing.member, listing.member_name)
        raise Denied("offers.not_yours", ref=str(parsed), name=name)
    if not listing.is_open:
        return ctx.t("offers.already_withdrawn", ref=str(parsed))
    await listings.withdraw(ctx.tx, listing.id, ctx.clock.now())
    await matches.cancel_open_on_listing(ctx.tx, listing.id, ctx.clock.now())
    return ctx.t("offers.withdrawn", ref=str(parsed), skill=listing.skill_name)


def _level(t: Catalogue, level: int) -> Text:
    return t("offers.level", level=level, name=t(f"level.{level}"))
