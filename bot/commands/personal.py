"""``!profile``, ``!mydata``, ``!forget me``: a member's data is theirs, to read, take and erase."""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.commands.dispatcher import Context, leave_forgotten_rooms
from bot.commands.lookup import find_member, names_of
from bot.commands.polls import weight_now
from bot.commands.router import (
    Answer,
    ArgReader,
    Examples,
    NotFound,
    Param,
    RestOfLine,
    Router,
    UsageError,
)
from bot.domain.contributions import NO_DOMAIN
from bot.domain.ledger import format_minutes
from bot.export import member_document, to_json
from bot.i18n import Catalogue, Text
from bot.store import contributions, listings, matches, personal, workshops
from bot.store.contributions import Contribution
from bot.store.listings import Listing
from bot.store.personal import Footprint
from bot.store.workshops import Workshop

router = Router()
log = logging.getLogger(__name__)

RECENT_CONTRIBUTIONS = 5  # a profile lists the latest few; the count says how many in all
FORGET_WINDOW = timedelta(minutes=15)
_WHAT_SHOWN = 80
_WORKSHOPS_SHOWN = 5


@router.command(
    "profile",
    alias="profil",
    params=(RestOfLine("member", optional=True),),
    examples=Examples(
        fr=("", "@camille:example.org", "Camille"), en=("", "@camille:example.org", "Camille")
    ),
)
async def profile(ctx: Context, member: str | None) -> Text:
    """Names are shown, never pinged: the answer carries no mentions."""
    if member is None:
        user_id, name = ctx.message.sender, ctx.message.sender_name
    else:
        user_id, name = find_member(ctx, member)
        if name == user_id:  # not in this room: the name the bot last saw, told apart
            name = (await names_of(ctx, [user_id]))[user_id]
    lines = [line for section in SECTIONS for line in await section(ctx, user_id)]
    if lines:
        # Everyone has a vote weight; an empty profile's can only be 1, not worth a line.
        lines.append(await _vote_weight(ctx, user_id))
        return Text.join([ctx.t("personal.profile_title", name=name), *lines])
    if user_id != ctx.message.sender:
        return ctx.t("personal.profile_empty_other", name=name)
    return ctx.t(
        "personal.profile_empty_self",
        name=name,
        offer=ctx.typed("offer"),
        need=ctx.typed("need"),
        contribute=ctx.typed("contribute"),
    )


async def _listings(ctx: Context, user_id: str) -> list[Text]:
    """Open offers, then open needs, oldest last."""
    found = await listings.of_member(ctx.tx, user_id)
    lines = []
    for kind, key in (("offer", "personal.offers"), ("need", "personal.needs")):
        items = [_listing(ctx.t, each) for each in found if each.kind == kind]
        if items:
            lines.append(ctx.t(key, items=Text.join(items, " · ")))
    return lines


def _listing(t: Catalogue, listing: Listing) -> Text:
    return t(
        "personal.listing",
        ref=str(listing.ref),
        skill=listing.skill_name,
        level=listing.level,
        level_name=t(f"level.{listing.level}"),
    )


async def _contributions(ctx: Context, user_id: str) -> list[Text]:
    """How many, how many count yet, and the latest few."""
    found = await contributions.of_member(ctx.tx, user_id)
    if not found:
        return []
    required = ctx.config.contributions.confirmations_required
    confirmed = sum(each.is_confirmed(required) for each in found)
    lines = [
        ctx.t(
            "personal.contributions",
            count=len(found),
            confirmed=confirmed,
            pending=len(found) - confirmed,
        )
    ]
    lines += [_contribution(ctx.t, each, required) for each in found[:RECENT_CONTRIBUTIONS]]
    if len(found) > RECENT_CONTRIBUTIONS:
        lines.append(ctx.t("personal.more", count=len(found) - RECENT_CONTRIBUTIONS))
    return lines


def _contribution(t: Catalogue, contribution: Contribution, required: int) -> Text:
    what = contribution.what
    if len(what) > _WHAT_SHOWN:
        what = what[: _WHAT_SHOWN - 1] + "…"
    parts = []
    if contribution.minutes is not None:
        parts.append(Text.escaped(format_minutes(contribution.minutes)))
    if contribution.domain != NO_DOMAIN:
        parts.append(Text.escaped(t.domain(contribution.domain)))
    parts.append(Text.escaped(what))
    if contribution.voided_at is not None:
        status = t("personal.voided", reason=contribution.void_reason or "—")
    elif contribution.is_confirmed(required):
        status = t("personal.confirmed")
    else:
        status = t("personal.pending")
    return t(
        "personal.contribution",
        ref=str(contribution.ref),
        summary=Text.join(parts, " · "),
        status=status,
    )


async def _hours(ctx: Context, user_id: str) -> list[Text]:
    """Confirmed hours per domain, with the hours still waiting for a witness beside them."""
    t = ctx.t
    required = ctx.config.contributions.confirmations_required
    domains = []
    for total in await contributions.totals_by_domain(ctx.tx, user_id, required):
        if not total.confirmed_minutes and not total.pending_minutes:
            continue  # only contributions without hours: counted above, no hours to show
        domain = t("personal.no_domain") if total.domain == NO_DOMAIN else t.domain(total.domain)
        confirmed = format_minutes(total.confirmed_minutes) if total.confirmed_minutes else "0h"
        shown = t("personal.domain_hours", domain=domain, hours=confirmed)
        if total.pending_minutes:
            pending = t("personal.pending_hours", hours=format_minutes(total.pending_minutes))
            shown = Text.join([shown, pending], " ")
        domains.append(shown)
    return [t("personal.hours", domains=Text.join(domains, " · "))] if domains else []


async def _matches(ctx: Context, user_id: str) -> list[Text]:
    """Open matches with the role the member plays in each, and how many ended well."""
    found = await matches.of_member(ctx.tx, user_id)
    current = [
        ctx.t(
            "personal.match",
            ref=str(each.ref),
            skill=each.skill_name,
            role=ctx.t("personal.as_mentor" if each.mentor == user_id else "personal.as_mentee"),
            state=ctx.t(f"personal.match_{each.state}"),
        )
        for each in found
        if each.is_open
    ]
    done = sum(each.state == "done" for each in found)
    if not current and not done:
        return []
    return [
        ctx.t("personal.matches", items=Text.join(current, " · ") if current else "—", done=done)
    ]


async def _vote_weight(ctx: Context, user_id: str) -> Text:
    """The weight a poll opened now, without a domain, would freeze: what ``!weight`` says."""
    explained = await weight_now(ctx, user_id, None)
    command = ctx.typed("weight")
    if user_id != ctx.message.sender:
        command = f"{command} {user_id}"  # a name might not be found; the id always is
    return ctx.t("personal.vote_weight", weight=ctx.t.number(explained.weight, 2), command=command)


Section = Callable[[Context, str], Awaitable[list[Text]]]


# A profile's parts, in order, each when it has something to show; the vote weight ends it.
async def _workshops(ctx: Context, user_id: str) -> list[Text]:
    """Workshops hosted and attended, the most recent first (cancelled ones aside)."""
    hosted = [each for each in await workshops.hosted_by(ctx.tx, user_id) if not each.cancelled_at]
    attended = await workshops.attended_by(ctx.tx, user_id)
    if not hosted and not attended:
        return []

    def listed(found: list[Workshop]) -> Text | str:
        shown = [
            ctx.t(
                "personal.workshop",
                ref=str(each.ref),
                skill=each.skill_name,
                day=ctx.t.day(each.starts_at.date(), with_year=False),
            )
            for each in found[:_WORKSHOPS_SHOWN]
        ]
        return Text.join(shown, " · ") if shown else "—"

    return [ctx.t("personal.workshops", hosted=listed(hosted), attended=listed(attended))]


SECTIONS: tuple[Section, ...] = (_listings, _matches, _contributions, _hours, _workshops)


@router.command("mydata", alias="mesdonnees")
async def mydata(ctx: Context) -> Answer:
    """Gathered in the command's transaction (one consistent snapshot), sent after the reply.

    Sending means opening a direct room and uploading a file: network work that must not
    hold the database, so it is the answer's follow-up; when it fails the member gets a
    second reply saying so, instead of a promise that silently came to nothing.
    """
    t, me, now = ctx.t, ctx.message.sender, ctx.clock.now()
    data = await personal.gather(ctx.tx, me)
    document = member_document(data, ctx.config.contributions.confirmations_required, now)
    content = to_json(document).encode()
    filename = f"compagnon-data-{_file_safe(me[1:].split(':')[0])}-{now.date().isoformat()}.json"
    notice = t("personal.mydata_notice", forget=_forget_command(ctx)).plain
    reply = t("personal.mydata_sending", name=ctx.message.sender_name, filename=filename)
    return Answer(
        reply, follow_up=file_sender(ctx, filename, content, notice, "personal.mydata_failed")
    )


def file_sender(
    ctx: Context, filename: str, content: bytes, notice: str, failed: str
) -> Callable[[], Awaitable[Text | None]]:
    """The follow-up that sends the member a file in their direct room, once the reply is
    out; if it cannot, a second reply says so (``failed``) with a reference in the log."""
    transport, me, t = ctx.transport, ctx.message.sender, ctx.t

    async def send() -> Text | None:
        try:
            await transport.send_file_privately(me, filename, content, notice)
        except Exception:
            ref = secrets.token_hex(3)
            log.exception("ref %s: could not send %s to %s", ref, filename, me)
            return t(failed, ref=ref)
        return None

    return send


def _file_safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._=-]", "_", text)


_ME = frozenset({"me", "moi"})
_CONFIRM = frozenset({"confirm", "confirmer", "confirme"})


@dataclass(frozen=True)
class ForgetWords(Param):
    """``me [confirm]``, in either language: forgetting is never one bare word away."""

    def read(self, reader: ArgReader) -> bool:
        """True for the confirming call."""
        words = reader.rest().split()
        if not words or words[0].casefold() not in _ME:
            raise UsageError("personal.forget_whom")
        if len(words) == 1:
            return False
        if len(words) == 2 and words[1].casefold() in _CONFIRM:
            return True
        raise UsageError("error.extra_text", extra=" ".join(words[1:]))

    def usage(self, t: Catalogue) -> str:
        return f"{t.raw('personal.word_me')} [{t.raw('personal.word_confirm')}]"


@router.command(
    "forget",
    alias="oublie",
    params=(ForgetWords("confirming"),),
    examples=Examples(fr=("moi", "moi confirmer"), en=("me", "me confirm")),
)
async def forget(ctx: Context, confirming: bool) -> Text | Answer:
    """Two steps: the first says what would go and notes the request; the second, soon
    after, erases it all in this one transaction."""
    t, me, now = ctx.t, ctx.message.sender, ctx.clock.now()
    minutes = int(FORGET_WINDOW.total_seconds() // 60)
    if not confirming:
        footprint = Footprint.of(await personal.gather(ctx.tx, me))
        await personal.request_forget(ctx.tx, me, now)
        confirm = f"{_forget_command(ctx)} {t.raw('personal.word_confirm')}"
        return Text.join(
            [
                t("personal.forget_preview", name=ctx.message.sender_name),
                *_footprint(t, footprint, "personal.will_keep"),
                t(
                    "personal.forget_how",
                    command=confirm,
                    minutes=minutes,
                    mydata=ctx.typed("mydata"),
                ),
            ]
        )
    requested = await personal.forget_requested_at(ctx.tx, me)
    if requested is None:
        raise NotFound("personal.forget_nothing_to_confirm", command=_forget_command(ctx))
    if now - requested > FORGET_WINDOW:
        await personal.drop_forget_request(ctx.tx, me)
        return t("personal.forget_expired", minutes=minutes, command=_forget_command(ctx))
    footprint = await personal.forget(ctx.tx, me, ctx.clock.now())
    database, transport = ctx.database, ctx.transport

    async def leave_direct_room() -> None:
        await leave_forgotten_rooms(database, transport)

    text = Text.join(
        [
            t("personal.forgotten", name=ctx.message.sender_name),
            *_footprint(t, footprint, "personal.kept"),
            t("personal.fresh_start"),
        ]
    )
    return Answer(text, follow_up=leave_direct_room if footprint.direct_room else None)


def _footprint(t: Catalogue, footprint: Footprint, kept_heading: str) -> list[Text]:
    """What is (or would be) erased, then what stays without the member's name."""
    lines = [
        t("personal.item_member"),
        t("personal.item_listings", count=footprint.listings),
        t("personal.item_contributions", count=footprint.contributions),
    ]
    if footprint.direct_room:
        lines.append(t("personal.item_direct_room"))
    if footprint.open_votes:
        lines.append(t("personal.item_open_votes", count=footprint.open_votes))
    if footprint.disputes:
        lines.append(t("personal.item_disputes", count=footprint.disputes))
    if footprint.reviews:
        lines.append(t("personal.item_reviews", count=footprint.reviews))
    if footprint.objections:
        lines.append(t("personal.item_objections", count=footprint.objections))
    if footprint.workshop_signups:
        lines.append(t("personal.item_workshop_signups", count=footprint.workshop_signups))
    kept = {
        "personal.item_recorded": footprint.recorded_for_others,
        "personal.item_confirmations": footprint.confirmations_given,
        "personal.item_matches": footprint.matches,
        "personal.item_polls_voted": footprint.polls_voted,
        "personal.item_polls_opened": footprint.polls_opened,
        "personal.item_workshops_hosted": footprint.workshops_hosted,
    }
    if any(kept.values()):
        lines.append(t(kept_heading))
        lines += [t(key, count=count) for key, count in kept.items() if count]
    return lines


def _forget_command(ctx: Context) -> str:
    return f"{ctx.typed('forget')} {ctx.t.raw('personal.word_me')}"
