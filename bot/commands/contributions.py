"""``!contribute``, ``!thanks``, ``!confirm``, ✅ reactions: work for the group, seen by peers."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.commands.dispatcher import Context
from bot.commands.lookup import expect_ref, find_member, mentioned_prefix, shown_as
from bot.commands.router import (
    Answer,
    ArgReader,
    Denied,
    EventContext,
    Examples,
    NotFound,
    Param,
    RestOfLine,
    Router,
    UsageError,
)
from bot.config import Config
from bot.domain.contributions import NO_DOMAIN, confirms, probation_ends
from bot.domain.ledger import (
    MAX_DETAILS_LENGTH,
    MAX_MINUTES,
    HoursError,
    RefKind,
    format_minutes,
    looks_like_hours,
    parse_hours,
)
from bot.domain.weighting import WEEK
from bot.i18n import Catalogue, Text
from bot.messages import IncomingReaction, IncomingRedaction
from bot.store import contributions, events, members
from bot.store.contributions import Contribution
from bot.store.database import Transaction

router = Router()


@dataclass(frozen=True)
class Claim:
    """What a member typed about some work: how long, in which domain (as typed), what."""

    minutes: int | None
    domain: str | None
    what: str


def read_claim(text: str) -> Claim:
    """``[hours] [domain] : what``, hours and domain in either order; checks the form only."""
    head, colon, what = text.partition(":")
    what = what.strip()
    if not colon or not what:
        raise UsageError("contributions.missing_what")
    if len(what) > MAX_DETAILS_LENGTH:
        raise UsageError("contributions.what_too_long", length=len(what), limit=MAX_DETAILS_LENGTH)
    hours, words = _take_hours(head.split())
    minutes = None
    if hours is not None:
        try:
            minutes = parse_hours(hours)
        except HoursError:
            raise UsageError(
                "contributions.bad_hours", given=hours, most=format_minutes(MAX_MINUTES)
            ) from None
    return Claim(minutes, " ".join(words) or None, what)


def _take_hours(words: list[str]) -> tuple[str | None, list[str]]:
    """The first one or two words that read as hours (``2h``, ``1h 30min``), and the rest."""
    for size in (2, 1):
        for start in range(len(words) - size + 1):
            token = " ".join(words[start : start + size])
            if looks_like_hours(token):
                return token, words[:start] + words[start + size :]
    return None, words


def _claim_usage(t: Catalogue, optional: bool) -> str:
    hours, domain = (Param(name, optional).usage(t) for name in ("hours", "domain"))
    return f"{hours} {domain} : {Param('what').usage(t)}"


@dataclass(frozen=True)
class ClaimText(Param):
    """``<hours> <domain> : <what>``."""

    def read(self, reader: ArgReader) -> Claim:
        return read_claim(reader.rest())

    def usage(self, t: Catalogue) -> str:
        return _claim_usage(t, optional=False)


@dataclass(frozen=True)
class ThanksText(RestOfLine):
    """``<member> [hours] [domain] : <what>``, kept whole: finding the member needs the room."""

    def usage(self, t: Catalogue) -> str:
        return f"{Param('member').usage(t)} {_claim_usage(t, optional=True)}"


@router.command(
    "contribute",
    alias="contribution",
    params=(ClaimText("claim"),),
    examples=Examples(
        fr=(
            "2h habitat : repeint la porte de l'atelier",
            "1h30 animation : atelier couture du samedi",
            "90min administration : compte rendu de l'assemblée générale",
        ),
        en=(
            "2h habitat : repainted the workshop door",
            "1h30 animation : Saturday sewing workshop",
            "90min administration : minutes of the general meeting",
        ),
    ),
)
async def contribute(ctx: Context, claim: Claim) -> Answer:
    if claim.minutes is None:
        raise UsageError("contributions.missing_hours")
    domain = _domain(ctx, claim.domain, required=True)
    done = await record_work(ctx, ctx.message.sender, claim.minutes, domain, claim.what)
    text = record_message(ctx, recorded_line(ctx.t, done.contribution), done.contribution)
    return _record_answer(ctx, done, text, ())


@router.command(
    "thanks",
    alias="merci",
    params=(ThanksText("thanks", missing="contributions.missing_member"),),
    examples=Examples(
        fr=(
            "@camille 2h habitat : a réparé la porte",
            "@sam : a organisé le café réparation",
            "@lou 1h : a relu nos statuts",
        ),
        en=(
            "@camille 2h habitat : fixed the door",
            "@sam : organised the repair café",
            "@lou 1h : proofread our bylaws",
        ),
    ),
)
async def thanks(ctx: Context, thanks: str) -> Answer:
    member, name, rest = _thanked(ctx, thanks)
    if member == ctx.message.sender:
        raise Denied("contributions.self_thanks", command=ctx.typed("contribute"))
    if member == ctx.config.matrix.user_id:
        raise Denied("contributions.thanks_bot")
    if not await _in_community(ctx, member):
        raise Denied("contributions.thanks_stranger", name=name)
    claim = read_claim(rest)
    domain = _domain(ctx, claim.domain, required=False)
    done = await record_work(ctx, member, claim.minutes, domain, claim.what)
    recorded, refused = done.contribution, done.not_witness
    headline = ctx.t(
        "contributions.thanked",
        thanker=ctx.message.sender_name,
        name=name,
        ref=str(recorded.ref),
        summary=_summary(ctx.t, recorded),
    )
    text = record_message(ctx, headline, recorded)
    if refused is not None:
        key, values = _refusal(ctx, refused)
        text = Text.join([text, ctx.t(f"contributions.thanks_{key}", **values)])
    return _record_answer(ctx, done, text, (member,))


def _record_answer(ctx: Context, done: Recorded, text: Text, mentions: tuple[str, ...]) -> Answer:
    """The record message, asking its random reviewer, if it has one, by name."""
    if done.reviewer is not None:
        name = ctx.transport.room_members(ctx.message.room_id).get(done.reviewer, done.reviewer)
        command = f"{ctx.typed('contest')} {done.contribution.ref!s} : …"
        text = Text.join([text, ctx.t("contributions.review_asked", name=name, contest=command)])
        mentions = (*mentions, done.reviewer)
    return Answer(text, mentions=mentions, record_of=done.contribution.id)


@router.command(
    "confirm",
    alias="confirmer",
    params=(Param("ref"),),
    examples=Examples(fr=("c12",), en=("c12",)),
)
async def confirm(ctx: Context, ref: str) -> Text:
    t, me = ctx.t, ctx.message.sender
    found = await _named(ctx, ref)
    if found.member == me:
        raise Denied("contributions.own", ref=str(found.ref))
    refused = await not_witness(ctx.tx, ctx.config, me, ctx.clock.now())
    if refused is not None:
        key, values = _refusal(ctx, refused)
        raise Denied(f"contributions.{key}", ref=str(found.ref), **values)
    name = ctx.message.sender_name
    if await contributions.confirm(ctx.tx, found.id, me, ctx.clock.now()):
        headline = t(
            "contributions.confirmation_recorded",
            name=name,
            ref=str(found.ref),
            member=shown_as(ctx, found.member, found.member_name),
            summary=_summary(t, found),
        )
    else:
        # Typed on purpose: taking the ✅ back later no longer withdraws it.
        await contributions.detach_from_reaction(ctx.tx, found.id, me)
        headline = t("contributions.already_confirmed", ref=str(found.ref), name=name)
    updated = await contributions.get(ctx.tx, found.id)
    assert updated is not None
    return Text.join([headline, _status(ctx, updated)])


@router.command(
    "void",
    alias="invalider",
    params=(Param("ref"), RestOfLine("reason", optional=True)),
    examples=Examples(
        fr=("c12 : le même travail noté deux fois",), en=("c12 : the same work recorded twice",)
    ),
)
async def void(ctx: Context, ref: str, reason: str | None) -> Text:
    """A moderator's undo for invented or doubled work: it stays on record, with the
    reason, and counts for nothing until restored."""
    found = await _moderated(ctx, ref)
    reason = (reason or "").removeprefix(":").strip()
    if len(reason) > MAX_DETAILS_LENGTH:
        raise UsageError(
            "contributions.what_too_long", length=len(reason), limit=MAX_DETAILS_LENGTH
        )
    if not await contributions.void(ctx.tx, found.id, ctx.clock.now(), reason):
        raise Denied("contributions.already_voided", ref=str(found.ref))
    await contributions.settle(ctx.tx, found.id, upheld=True, at=ctx.clock.now())
    return ctx.t(
        "contributions.voided_now",
        ref=str(found.ref),
        summary=_summary(ctx.t, found),
        restore=f"{ctx.typed('restore')} {found.ref!s}",
    )


@router.command(
    "restore", alias="retablir", params=(Param("ref"),), examples=Examples(fr=("c12",), en=("c12",))
)
async def restore(ctx: Context, ref: str) -> Text:
    found = await _moderated(ctx, ref)
    if not await contributions.restore(ctx.tx, found.id):
        raise Denied("contributions.not_voided", ref=str(found.ref))
    return ctx.t("contributions.restored", ref=str(found.ref), summary=_summary(ctx.t, found))


@router.command(
    "contest",
    alias="contester",
    params=(Param("ref"), RestOfLine("reason", missing="contributions.contest_why")),
    examples=Examples(
        fr=("c12 : j'y étais, l'atelier a duré deux heures, pas vingt",),
        en=("c12 : I was there, the workshop lasted two hours, not twenty",),
    ),
)
async def contest(ctx: Context, ref: str, reason: str) -> Text:
    """Anyone may doubt a contribution, saying why; moderators see it in !audit and settle
    it with !void (upheld) or !dismiss. Until then it counts as before."""
    found = await _named(ctx, ref)
    why = reason.removeprefix(":").strip()
    if not why:
        raise UsageError("contributions.contest_why")
    if len(why) > MAX_DETAILS_LENGTH:
        raise UsageError("contributions.what_too_long", length=len(why), limit=MAX_DETAILS_LENGTH)
    if not await contributions.contest(ctx.tx, found.id, ctx.message.sender, why, ctx.clock.now()):
        raise Denied("contributions.already_contested", ref=str(found.ref))
    return ctx.t(
        "contributions.contested",
        ref=str(found.ref),
        summary=_summary(ctx.t, found),
        audit=ctx.typed("audit"),
    )


@router.command(
    "dismiss", alias="rejeter", params=(Param("ref"),), examples=Examples(fr=("c12",), en=("c12",))
)
async def dismiss(ctx: Context, ref: str) -> Text:
    """A moderator finds the disputes on it unfounded: it keeps counting."""
    found = await _moderated(ctx, ref)
    if not await contributions.settle(ctx.tx, found.id, upheld=False, at=ctx.clock.now()):
        raise Denied("contributions.not_contested", ref=str(found.ref))
    return ctx.t("contributions.dismissed", ref=str(found.ref))


async def _named(ctx: Context, ref: str) -> Contribution:
    """The contribution ``ref`` names, or NotFound saying where refs are found."""
    parsed = expect_ref(ref, RefKind.CONTRIBUTION)
    found = await contributions.get(ctx.tx, parsed.number)
    if found is None:
        raise NotFound("contributions.no_such_ref", ref=str(parsed))
    return found


async def _moderated(ctx: Context, ref: str) -> Contribution:
    """The contribution ``ref`` names, if the sender moderates where it was recorded."""
    found = await _named(ctx, ref)
    if not ctx.standing.may_moderate(found.room_id):
        raise Denied("contributions.moderators_only", ref=str(found.ref))
    return found


@router.on_reaction
async def confirm_by_reaction(ctx: EventContext, reaction: IncomingReaction) -> None:
    """✅ or 👍 on the bot's record message confirms it, silently; the contributor's own is moot.

    It spends the sender's command allowance, or fifty clicks would be fifty confirmations.
    Beyond it, the reaction is dropped without a word: a reaction has no message to answer,
    a notice in the room would tell everyone about one member's clicks, and the one notice
    a member gets is kept for a command they typed.
    """
    if not confirms(reaction.key):
        return
    found = await contributions.by_record_event(ctx.tx, reaction.target)
    # From another room, it is no witness, and taking it back would be judged in the wrong room.
    if found is None or found.member == reaction.sender or found.room_id != reaction.room_id:
        return
    if not ctx.take_allowance(reaction.sender, reaction.sent_at):  # what confirms nothing is free
        return
    now = ctx.clock.now()
    await members.seen(ctx.tx, reaction.sender, reaction.sender_name, now)  # probation starts
    if await not_witness(ctx.tx, ctx.config, reaction.sender, now) is not None:
        return
    await contributions.confirm(
        ctx.tx, found.id, reaction.sender, ctx.clock.now(), via_event=reaction.event_id
    )


@router.on_redaction
async def withdraw_by_redaction(ctx: EventContext, redaction: IncomingRedaction) -> None:
    """Taking a confirming reaction back takes the confirmation back."""
    await contributions.withdraw_reaction(ctx.tx, redaction.redacts)


_USER_ID = re.compile(r"@[^\s:]+:[A-Za-z0-9.\-\[\]]+(?::\d+)?")
_NAME = re.compile(r"[^\s:]+")


def _thanked(ctx: Context, text: str) -> tuple[str, str, str]:
    """The member ``text`` starts with (pill, user id, name or "quoted name"): id, name, rest."""
    pinged = mentioned_prefix(ctx, text)
    if pinged is not None:
        typed, rest = pinged
    elif text[0] in '"“«':
        reader = ArgReader(text)
        typed, rest = reader.word() or "", reader.rest()
    else:
        match = _USER_ID.match(text) or _NAME.match(text)
        typed, rest = (match.group(), text[match.end() :]) if match else ("", text)
    if not typed:
        raise UsageError("contributions.missing_member")
    user_id, name = find_member(ctx, typed)
    return user_id, name, rest


async def _in_community(ctx: Context, member: str) -> bool:
    """Whether ``member`` is in a room the bot serves, this one first: an id typed for
    anyone at all would let a ring confirm weight onto accounts that never joined."""
    rooms = [ctx.message.room_id, *await events.served_rooms(ctx.tx)]
    return any(member in ctx.transport.room_members(room) for room in rooms)


def _domain(ctx: Context, typed: str | None, required: bool) -> str:
    """The configured domain meant, or ``NO_DOMAIN`` for a thanks that names none."""
    domains = ctx.config.contributions.domains
    listed = Text.join([Text.escaped(ctx.t.domain(domain)) for domain in domains], ", ")
    if typed is None:
        if required:
            raise UsageError("contributions.missing_domain", domains=listed)
        return NO_DOMAIN
    found = ctx.config.contributions.domain_named(typed)
    if found is None:
        raise UsageError("contributions.unknown_domain", given=typed, domains=listed)
    return found


@dataclass(frozen=True)
class Recorded:
    contribution: Contribution
    not_witness: NotWitness | None  # why the recorder's witness does not count, if it does not
    reviewer: str | None = None  # asked at random whether it happened


async def record_work(
    ctx: Context, member: str, minutes: int | None, domain: str, what: str
) -> Recorded:
    """Store the work; whoever records someone else's work is its first witness, if they
    may witness it now."""
    me, now = ctx.message.sender, ctx.clock.now()
    number = await contributions.add(
        ctx.tx, member, minutes, domain, what, me, ctx.message.room_id, now
    )
    refused = None
    if member != me:
        refused = await not_witness(ctx.tx, ctx.config, me, now)
        if refused is None:
            await contributions.confirm(ctx.tx, number, me, now)
    recorded = await contributions.get(ctx.tx, number)
    assert recorded is not None
    reviewer = None
    if _random.random() < ctx.config.contributions.review_share:
        reviewer = await _reviewer(ctx, recorded)
    if reviewer is not None:
        await contributions.ask_review(ctx.tx, number, reviewer, now)
    return Recorded(recorded, refused, reviewer)


_random = secrets.SystemRandom()
REVIEWERS_TRIED = 5  # members of the room checked for witness standing, at most


async def _reviewer(ctx: Context, recorded: Contribution) -> str | None:
    """A member of the room, chosen at random, with no part in the work, who may witness
    now: their confirmation is then one a ring did not choose. None when nobody fits."""
    involved = {recorded.member, ctx.message.sender, ctx.config.matrix.user_id}
    candidates = [
        member
        for member in ctx.transport.room_members(ctx.message.room_id)
        if member not in involved
    ]
    _random.shuffle(candidates)
    now = ctx.clock.now()
    for member in candidates[:REVIEWERS_TRIED]:
        if await not_witness(ctx.tx, ctx.config, member, now) is None:
            return member
    return None


@dataclass(frozen=True)
class NotWitness:
    """Why a member's confirmation would not count now: still in probation (until when),
    or over the hours one member may vouch for in a week (how many they did)."""

    probation_ends: datetime | None = None
    confirmed_minutes: int = 0


async def not_witness(
    tx: Transaction, config: Config, member: str, now: datetime
) -> NotWitness | None:
    """None when ``member`` may confirm others' work now (never seen: seen now).

    A ring's hours need witnesses: a fresh account cannot be one, and an old one stops
    vouching for the week once it has vouched for ``max_confirmed_hours_per_week``,
    however many friends it has. (The one confirmation that crosses the line counts:
    a large piece of real work must stay confirmable.)"""
    rules = config.contributions
    first, founded = await members.seniority(tx, member)
    first = first or now
    ends = probation_ends(first, founded or first, rules.probation_days)
    if ends > now:
        return NotWitness(probation_ends=ends)
    done = await contributions.minutes_confirmed_by(tx, member, now - WEEK, now)
    if done >= rules.max_confirmed_hours_per_week * 60:
        return NotWitness(confirmed_minutes=done)
    return None


def _refusal(ctx: Context, refused: NotWitness) -> tuple[str, dict[str, str]]:
    """The message key's last part and its values."""
    if refused.probation_ends is not None:
        zone = ZoneInfo(ctx.config.digest.timezone)
        return "probation", {"date": ctx.t.moment(refused.probation_ends, zone)}
    most = ctx.config.contributions.max_confirmed_hours_per_week
    return "over_budget", {
        "done": format_minutes(refused.confirmed_minutes),
        "most": format_minutes(round(most * 60)),
    }


def record_message(ctx: Context, headline: Text, recorded: Contribution) -> Text:
    """The message members react to: what was recorded, where it stands, how to confirm it."""
    lines = [headline, _status(ctx, recorded)]
    if not recorded.is_confirmed(ctx.config.contributions.confirmations_required):
        command = f"{ctx.typed('confirm')} {recorded.ref!s}"
        lines.append(ctx.t("contributions.how_to_confirm", command=command))
    return Text.join(lines)


def recorded_line(t: Catalogue, recorded: Contribution) -> Text:
    """``Contribution c3 recorded: 2h in habitat — …``."""
    return t("contributions.recorded", ref=str(recorded.ref), summary=_summary(t, recorded))


def _status(ctx: Context, contribution: Contribution) -> Text:
    if contribution.voided_at is not None:
        return ctx.t("contributions.void_status", reason=contribution.void_reason or "—")
    t, required = ctx.t, ctx.config.contributions.confirmations_required
    count = contribution.confirmations
    witnesses = t.count("contributions.witnesses", count)
    if contribution.is_confirmed(required):
        return t("contributions.counts", witnesses=witnesses, required=required)
    return t(
        "contributions.pending", witnesses=witnesses, required=required, missing=required - count
    )


def _summary(t: Catalogue, contribution: Contribution) -> Text:
    """``2h in habitat — fixed the door``; without hours or domain, only what is known."""
    head = []
    if contribution.minutes is not None:
        head.append(Text.escaped(format_minutes(contribution.minutes)))
    if contribution.domain != NO_DOMAIN:
        head.append(t("contributions.in_domain", domain=t.domain(contribution.domain)))
    parts = [Text.join(head, " ")] if head else []
    return Text.join([*parts, Text.escaped(contribution.what)], " — ")
