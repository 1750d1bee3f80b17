"""``!workshop`` (``!atelier``): someone who offers a skill hosts a session, a few who need
it come, they make something together; ``!join``/``!leave`` or a 🙋 on the announcement
sign up; when it is done, the host's hours become a contribution the attendees confirm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.commands.contributions import not_witness, record_work
from bot.commands.dispatcher import Context
from bot.commands.lookup import expect_ref, find_member, stored_skill
from bot.commands.matching import transmission_domain
from bot.commands.personal import file_sender
from bot.commands.router import (
    Answer,
    ArgReader,
    Denied,
    EventContext,
    Examples,
    NotFound,
    OnOff,
    Param,
    RestOfLine,
    Router,
    UsageError,
    Word,
)
from bot.domain.durations import parse_duration
from bot.domain.ledger import MAX_DETAILS_LENGTH, RefKind
from bot.domain.skills import normalise
from bot.domain.when import WhenError, read_when
from bot.i18n import Catalogue, Text
from bot.messages import IncomingReaction, IncomingRedaction, Reply, Transport, transaction_id
from bot.store import contributions, listings, members, workshops
from bot.store.database import Database, Transaction
from bot.store.workshops import NewWorkshop, Workshop
from bot.workshop_calendar import calendar_file, uid_domain, upcoming_entries

router = Router()

SIGN_UP_KEYS = frozenset({"🙋", "🙋‍♀️", "🙋‍♂️", "✋"})
DEFAULT_LENGTH = timedelta(hours=2)
_OPTIONS = {  # as normalised
    "places": "places",
    "place": "places",
    "where": "where",
    "lieu": "where",
    "duration": "length",
    "duree": "length",
}
_PLACES = re.compile(r"[0-9]{1,3}")


@dataclass(frozen=True)
class WorkshopSpec:
    starts_at: datetime
    skill: str
    places: int | None
    where: str
    length: timedelta
    details: str


def read_workshop(text: str, now: datetime, zone: ZoneInfo) -> WorkshopSpec:
    """``<when> <skill> [--places N] [--where …] [--duration 2h] [: details]``."""
    try:
        when = read_when(text, now, zone)
    except WhenError as error:
        reason = "no_time" if error.expected == "time" else error.reason
        given = text.split(":")[0].strip()
        raise UsageError(f"workshops.when_{reason}", given=given) from None
    starts_at, rest = when.at, " ".join(text.split()[when.words :])
    head, _, details = rest.partition(":")
    reader = ArgReader(head)
    skill: list[str] = []
    values: dict[str, str] = {}
    while (word := reader.word()) is not None:
        if not word.startswith("--"):
            skill.append(word)
            continue
        option = _OPTIONS.get(normalise(word))
        value = reader.word()
        if option is None:
            raise UsageError("workshops.unknown_option", given=word)
        if value is None:
            raise UsageError("workshops.option_needs_value", option=word)
        values[option] = value
    if not skill:
        raise UsageError("workshops.missing_skill")
    places = None
    if "places" in values:
        if not _PLACES.fullmatch(values["places"]) or int(values["places"]) < 1:
            raise UsageError("workshops.bad_places", given=values["places"])
        places = int(values["places"])
    length = DEFAULT_LENGTH
    if "length" in values:
        try:
            length = parse_duration(values["length"])
        except ValueError:
            raise UsageError("workshops.bad_length", given=values["length"]) from None
        if length > timedelta(hours=24):
            raise UsageError("workshops.bad_length", given=values["length"])
    details = details.strip()
    if len(details) > MAX_DETAILS_LENGTH:
        raise UsageError("workshops.details_too_long", limit=MAX_DETAILS_LENGTH)
    return WorkshopSpec(
        starts_at, " ".join(skill), places, values.get("where", ""), length, details
    )


@dataclass(frozen=True)
class WorkshopText(RestOfLine):
    def usage(self, t: Catalogue) -> str:
        when, skill = Param("when").usage(t), Param("skill").usage(t)
        return f"{when} {skill} {t.raw('workshops.options')}"


def _zone(ctx: Context | EventContext) -> ZoneInfo:
    return ZoneInfo(ctx.config.digest.timezone)


@router.command(
    "workshop",
    alias="atelier",
    params=(WorkshopText("workshop", missing="workshops.missing"),),
    examples=Examples(
        fr=('samedi 14h menuiserie --places 4 --lieu "la grange" : tabouret en chêne',),
        en=('sat 2pm woodworking --places 4 --where "the barn" : an oak stool',),
    ),
)
async def workshop(ctx: Context, workshop: str) -> Answer:
    """Announce: the host has (or gets) an open offer of the skill; members who need it at a
    lower level are named, and pinged only if they asked to be."""
    t, me, now = ctx.t, ctx.message.sender, ctx.clock.now()
    spec = read_workshop(workshop, now, _zone(ctx))
    skill = await stored_skill(ctx, spec.skill)
    assert skill.id is not None
    offer = await listings.find_open_duplicate(ctx.tx, "offer", me, skill.id)
    new_offer = offer is None
    if offer is None:
        number = await listings.add(ctx.tx, "offer", me, skill.id, 3, "", ctx.message.room_id, now)
        offer = await listings.get(ctx.tx, number)
    assert offer is not None
    before = ctx.config.workshops.reminder
    remind_at = spec.starts_at - before if spec.starts_at - before > now else None
    found = await workshops.add(
        ctx.tx,
        NewWorkshop(
            room_id=ctx.message.room_id,
            host=me,
            skill_id=skill.id,
            starts_at=spec.starts_at,
            minutes=round(spec.length.total_seconds() / 60),
            places=spec.places,
            place=spec.where,
            details=spec.details,
            created_at=now,
            remind_at=remind_at,
        ),
    )
    learners = [
        need
        for need in await listings.open_listings(ctx.tx, "need", skill.id, limit=50)
        if need.member != me and need.level < offer.level
    ]
    pinged = await members.wanting_workshop_pings(ctx.tx, [need.member for need in learners])
    card = _card(ctx.t, found, ctx.message.sender_name, _zone(ctx))
    if learners:
        names = ", ".join(need.member_name for need in learners)
        card = Text.join([card, t("workshops.for_learners", names=names)])
    transport, database, agenda = ctx.transport, ctx.database, ctx.agenda

    async def announce() -> Text | None:
        await post_announcement(database, transport, found, card, tuple(sorted(pinged)))
        if found.remind_at is not None:
            agenda.remind_workshop_at(found.id, found.remind_at)
        return None

    reply = t("workshops.announced", ref=str(found.ref), join=f"{ctx.typed('join')} {found.ref}")
    if new_offer:
        reply = Text.join(
            [reply, t("workshops.offer_recorded", ref=str(offer.ref), skill=skill.name)]
        )
    return Answer(reply, follow_up=announce)


async def post_announcement(
    database: Database, transport: Transport, found: Workshop, card: Text, pinged: tuple[str, ...]
) -> None:
    """The card members react to, posted with the workshop's transaction id (a restart
    posts no second one), its event kept so reactions on it sign up."""
    event_id = await transport.post(
        found.room_id,
        card,
        transaction_id("workshop", found.room_id, str(found.id)),
        mentions=pinged,
    )
    async with database.transaction() as tx:
        await workshops.set_announcement(tx, found.id, event_id)


def _card(t: Catalogue, found: Workshop, host: str, zone: ZoneInfo) -> Text:
    lines = [
        t(
            "workshops.card",
            ref=str(found.ref),
            skill=found.skill_name,
            host=host,
            when=t.moment(found.starts_at, zone),
            length=_length(found),
        )
    ]
    if found.place:
        lines.append(t("workshops.card_where", where=found.place))
    if found.details:
        lines.append(t("workshops.card_details", details=found.details))
    lines.append(
        t("workshops.card_places", places=found.places)
        if found.places is not None
        else t("workshops.card_open")
    )
    lines.append(t("workshops.card_join", ref=str(found.ref)))
    return Text.join(lines)


def _length(found: Workshop) -> str:
    hours, minutes = divmod(found.minutes, 60)
    return f"{hours}h{minutes:02d}" if minutes else f"{hours}h"


async def _workshop(ctx: Context | EventContext, typed: str) -> Workshop:
    ref = expect_ref(typed, RefKind.WORKSHOP)
    found = await workshops.get(ctx.tx, ref.number)
    if found is None:
        raise NotFound("workshops.no_such", ref=str(ref))
    return found


# --- signing up ---------------------------------------------------------------------------


@router.command(
    "join", alias="participer", params=(Word("workshop_ref"),), examples=Examples(("w3",), ("w3",))
)
async def join(ctx: Context, workshop_ref: str) -> Text:
    found = await _workshop(ctx, workshop_ref)
    if not found.is_upcoming or found.starts_at <= ctx.clock.now():
        raise Denied("workshops.not_open", ref=str(found.ref))
    if found.host == ctx.message.sender:
        raise Denied("workshops.host_joins", ref=str(found.ref))
    await workshops.sign_up(ctx.tx, found.id, ctx.message.sender, ctx.message.sent_at)
    return await _standing(ctx.t, ctx.tx, found, ctx.message.sender)


async def _standing(t: Catalogue, tx: Transaction, found: Workshop, member: str) -> Text:
    now = await workshops.signups(tx, found)
    if member in now.coming:
        return t("workshops.coming", ref=str(found.ref), skill=found.skill_name)
    return t("workshops.waiting", ref=str(found.ref), rank=now.waiting.index(member) + 1)


@router.command(
    "leave", alias="quitter", params=(Word("workshop_ref"),), examples=Examples(("w3",), ("w3",))
)
async def leave(ctx: Context, workshop_ref: str) -> Answer:
    found = await _workshop(ctx, workshop_ref)
    moved = await workshops.leave(ctx.tx, found, ctx.message.sender)
    if moved is None:
        raise Denied("workshops.not_signed_up", ref=str(found.ref))
    text = ctx.t("workshops.left", ref=str(found.ref))
    if not moved:
        return Answer(text)
    promoted = await _promoted(ctx.config.catalogue(), ctx.tx, found, moved)
    return Answer(Text.join([text, promoted]), mentions=tuple(moved))


async def _promoted(t: Catalogue, tx: Transaction, found: Workshop, moved: list[str]) -> Text:
    """Whoever moved up from the waitlist, told by name (and pinged by the caller)."""
    names = await members.display_names(tx, moved)
    shown = ", ".join(names.get(member, member) for member in moved)
    return t("workshops.promoted", names=shown, ref=str(found.ref))


@router.on_reaction
async def sign_up_by_reaction(ctx: EventContext, reaction: IncomingReaction) -> None:
    if reaction.key not in SIGN_UP_KEYS:
        return
    found = await workshops.by_announcement(ctx.tx, reaction.target)
    if found is None or not found.is_upcoming or found.host == reaction.sender:
        return
    if found.starts_at <= reaction.sent_at:
        return
    await workshops.sign_up(ctx.tx, found.id, reaction.sender, reaction.sent_at, reaction.event_id)


@router.on_redaction
async def leave_by_unreacting(ctx: EventContext, redaction: IncomingRedaction) -> None:
    """Taking the 🙋 back leaves; whoever moves up from the waitlist is told, in the
    announcement's thread."""
    signed = await workshops.signup_by_reaction(ctx.tx, redaction.redacts)
    if signed is None:
        return
    found = await workshops.get(ctx.tx, signed[0])
    assert found is not None
    moved = await workshops.leave(ctx.tx, found, signed[1])
    if not moved or found.announce_event is None:
        return
    await ctx.owe(
        Reply(
            room_id=found.room_id,
            text=await _promoted(ctx.config.catalogue(), ctx.tx, found, moved),
            in_reply_to=found.announce_event,
            txn_id=transaction_id("workshop-promoted", redaction.event_id),
            thread_root=found.announce_event,
            mentions=tuple(moved),
        )
    )


# --- closing the loop -----------------------------------------------------------------------


def _may_run(ctx: Context, found: Workshop) -> None:
    if ctx.message.sender != found.host and not ctx.standing.may_moderate(found.room_id):
        raise Denied("workshops.not_host", ref=str(found.ref))


@router.subcommand(
    "workshop",
    "done",
    label="workshops.verb.done",
    params=(Word("workshop_ref"), RestOfLine("attendees", optional=True)),
    examples=Examples(fr=("w3 @bob @chloe : deux tabourets",), en=("w3 @bob @chloe : two stools",)),
    also=("fait", "fini", "done"),
)
async def done(ctx: Context, workshop_ref: str, attendees: str | None) -> Text:
    """The host's hours become a "transmission" contribution, confirmed by each attendee
    present who may witness; each attendee's presence is kept, with an offer to raise their
    need's level. Without names, the sign-up list as it stands is who came."""
    found = await _workshop(ctx, workshop_ref)
    _may_run(ctx, found)
    if not found.is_upcoming:
        raise Denied("workshops.closed", ref=str(found.ref))
    if found.starts_at > ctx.clock.now():
        raise Denied("workshops.not_yet", ref=str(found.ref))
    typed, _, made = (attendees or "").partition(":")
    # Pills (Element's mentions) name members whatever their names; typed names one word each.
    came = list(ctx.message.mentions) or [find_member(ctx, name)[0] for name in typed.split()]
    came = came or (await workshops.signups(ctx.tx, found)).coming
    came = [member for member in dict.fromkeys(came) if member != found.host]
    if not came:
        raise UsageError("workshops.nobody_came")
    host = found.host or ctx.message.sender
    what = ctx.t.raw("workshops.contribution").format(ref=found.ref, skill=found.skill_name)
    if made.strip():
        what = f"{what} — {made.strip()}"
    recorded = await record_work(
        ctx, host, found.minutes, transmission_domain(ctx.config.contributions.domains), what
    )
    contribution = recorded.contribution
    witnesses = await _witnesses(ctx, contribution.id, came)
    await workshops.finish(ctx.tx, found.id, ctx.clock.now(), made.strip(), came, contribution.id)
    names = await members.display_names(ctx.tx, came)
    lines = [
        ctx.t(
            "workshops.done",
            ref=str(found.ref),
            contribution=str(contribution.ref),
            hours=_length(found),
            witnesses=witnesses,
            count=len(came),
        )
    ]
    for member in came:
        need = await listings.find_open_duplicate(ctx.tx, "need", member, found.skill_id)
        if need is not None and need.level < 5:
            lines.append(
                ctx.t(
                    "workshops.level_up",
                    name=names.get(member, member),
                    skill=found.skill_name,
                    level=need.level,
                    next=need.level + 1,
                    command=f"{ctx.typed('need')} {found.skill_name} {need.level + 1}",
                )
            )
    return Text.join(lines)


async def _witnesses(ctx: Context, contribution_id: int, came: list[str]) -> int:
    """Attendees confirm the host's hours, each within the rules any witness keeps
    (probation, weekly budget): a session is the hardest thing for a ring to fake."""
    now, counted = ctx.clock.now(), 0
    for member in came:
        if await not_witness(ctx.tx, ctx.config, member, now) is None:
            counted += await contributions.confirm(ctx.tx, contribution_id, member, now)
    return counted


@router.subcommand(
    "workshop",
    "cancel",
    label="workshops.verb.cancel",
    params=(Word("workshop_ref"), RestOfLine("reason", optional=True)),
    examples=Examples(fr=("w3 : la grange est inondée",), en=("w3 : the barn is flooded",)),
    also=("annuler", "cancel"),
)
async def cancel(ctx: Context, workshop_ref: str, reason: str | None) -> Answer:
    """The host or a moderator; those signed up are told, pinged."""
    found = await _workshop(ctx, workshop_ref)
    _may_run(ctx, found)
    why = (reason or "").strip().removeprefix(":").strip()
    signed = await workshops.signups(ctx.tx, found)
    if not await workshops.cancel(ctx.tx, found.id, ctx.clock.now(), why):
        raise Denied("workshops.closed", ref=str(found.ref))
    told = tuple(signed.coming + signed.waiting)
    text = ctx.t(
        "workshops.cancelled",
        ref=str(found.ref),
        skill=found.skill_name,
        reason=why or ctx.t.raw("workshops.no_reason"),
    )
    return Answer(text, mentions=told)


@router.command("workshops", alias="ateliers")
async def upcoming(ctx: Context) -> Text:
    """The room's upcoming workshops with their places left."""
    zone, lines = _zone(ctx), [ctx.t("workshops.list_title")]
    for found in await workshops.upcoming(ctx.tx, ctx.clock.now(), ctx.message.room_id):
        signed = await workshops.signups(ctx.tx, found)
        places = (
            ctx.t(
                "workshops.places_left",
                left=found.places - len(signed.coming),
                waiting=len(signed.waiting),
            )
            if found.places is not None
            else ctx.t("workshops.places_open", coming=len(signed.coming))
        )
        lines.append(
            ctx.t(
                "workshops.list_line",
                ref=str(found.ref),
                skill=found.skill_name,
                when=ctx.t.moment(found.starts_at, zone),
                places=places,
            )
        )
    if len(lines) == 1:
        return ctx.t("workshops.none")
    return Text.join(lines)


@router.command(
    "notify",
    alias="prevenir",
    params=(Word("notify_what"), OnOff("on_off")),
    examples=Examples(fr=("ateliers oui", "ateliers non"), en=("workshops on", "workshops off")),
)
async def notify(ctx: Context, notify_what: str, on_off: bool) -> Text:
    """Workshops that meet one of my needs ping me when announced, if I ask."""
    if normalise(notify_what) not in {"workshop", "atelier"}:
        raise UsageError("workshops.notify_what", given=notify_what)
    await members.set_workshop_pings(ctx.tx, ctx.message.sender, on_off)
    return ctx.t("workshops.pings_on" if on_off else "workshops.pings_off")


# --- the calendar ---------------------------------------------------------------------------


@router.subcommand(
    "workshops",
    "ics",
    label="workshops.verb.ics",
    examples=Examples(fr=("",), en=("",)),
    also=("ical", "calendar", "calendrier", "agenda"),
)
async def ics(ctx: Context) -> Text | Answer:
    """The room's upcoming workshops as an iCalendar file, sent in the direct room as
    ``!mydata`` sends its file: read in the command's transaction, sent after the reply; when
    sending fails, a second reply says so."""
    t, now = ctx.t, ctx.clock.now()
    entries = await upcoming_entries(ctx.tx, now, ctx.message.room_id)
    if not entries:
        return t("workshops.none")
    content = calendar_file(entries, t, uid_domain(ctx.config), now)
    filename = f"compagnon-workshops-{now.date().isoformat()}.ics"
    notice = t("workshops.ics_notice").plain
    reply = t("workshops.ics_sending", name=ctx.message.sender_name, filename=filename)
    return Answer(
        reply, follow_up=file_sender(ctx, filename, content, notice, "workshops.ics_failed")
    )
