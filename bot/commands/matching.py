"""``!match`` (``!binome``): suggested mentors and mentees with why, then a match's life.

One command, because the router declares one command per name: its parameter reads
``[ask|accept|decline|done|cancel <ref> [--close] [: feedback]]``, so ``!help match`` shows
the whole life cycle. The words are understood in both languages, whatever ``language`` is.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.commands.contributions import (
    record_message,
    record_work,
    recorded_line,
)
from bot.commands.dispatcher import Context
from bot.commands.lookup import expect_ref, names_of
from bot.commands.router import (
    Answer,
    ArgReader,
    Denied,
    Examples,
    NotFound,
    Param,
    Router,
    Term,
    Unexpected,
    UsageError,
)
from bot.domain.contributions import match_domain
from bot.domain.ledger import MAX_DETAILS_LENGTH, Ref, RefKind
from bot.domain.matching import History, Need, Offer, Pair, best_for_need, best_for_offer
from bot.i18n import LANGUAGES, Catalogue, Text
from bot.store import listings, matches
from bot.store.listings import Listing
from bot.store.matches import Match

router = Router()
log = logging.getLogger(__name__)

_CLOSE_FLAGS = frozenset(Catalogue(language).raw("matching.flag.close") for language in LANGUAGES)
# A wait shorter than this is not worth a word in the reasons.
_WAITING_WORTH_SAYING_DAYS = 7
# Where a finished match counts when the community has such a domain; else its first domain.
TRANSMISSION = "transmission"


@dataclass(frozen=True)
class Reference(Param):
    """An offer's or a match's reference (``o12``, ``m5``)."""

    kind: RefKind = RefKind.MATCH

    def convert(self, raw: str) -> Ref:
        return expect_ref(raw, self.kind)


@dataclass(frozen=True)
class Finished:
    close_need: bool = False
    feedback: str = ""


@dataclass(frozen=True)
class FinishedText(Param):
    """``[--close] [: feedback]`` after ``done m5``. The feedback is everything after the
    first colon, so it may say anything, ``--close`` included; the flag must come before
    the colon, which keeps closing a need explicit."""

    def read(self, reader: ArgReader) -> Finished:
        head, _, feedback = reader.rest().partition(":")
        flags = head.split()
        close_need = bool(flags) and {flag.casefold() for flag in flags} <= _CLOSE_FLAGS
        if flags and not close_need:
            raise UsageError("error.extra_text", extra=" ".join(flags))
        feedback = feedback.strip()
        if len(feedback) > MAX_DETAILS_LENGTH:
            raise UsageError("matching.feedback_too_long", limit=MAX_DETAILS_LENGTH)
        return Finished(close_need, feedback)

    def usage(self, t: Catalogue) -> str:
        return f"[{t.raw('matching.flag.close')}] [: {t.raw('param.feedback')}]"


@router.command(
    "match",
    alias="binome",
    params=(Unexpected("action"),),
    examples=Examples(fr=("",), en=("",)),
)
async def match(ctx: Context, action: str | None) -> Text | Answer:
    """Alone: my best matches. Anything else is a verb the bot does not know."""
    if action is not None:
        verb = action.partition(":")[0].split()
        if not verb:
            raise UsageError("error.missing_argument", name=Term("param.action"))
        raise UsageError("matching.unknown_verb", given=verb[0])
    return await _suggestions(ctx)


@router.subcommand(
    "match",
    "ask",
    label="matching.verb.ask",
    params=(Reference("ref", kind=RefKind.OFFER),),
    examples=Examples(fr=("o12",), en=("o12",)),
)
async def ask(ctx: Context, ref: Ref) -> Text | Answer:
    return await _ask(ctx, ref)


@router.subcommand(
    "match",
    "accept",
    label="matching.verb.accept",
    params=(Reference("ref"),),
    examples=Examples(fr=("m5",), en=("m5",)),
)
async def accept(ctx: Context, ref: Ref) -> Text | Answer:
    return await _accept(ctx, await _match(ctx, ref))


@router.subcommand(
    "match",
    "decline",
    label="matching.verb.decline",
    params=(Reference("ref"),),
    examples=Examples(fr=("m5",), en=("m5",)),
    also=("refuse",),
)
async def decline(ctx: Context, ref: Ref) -> Text | Answer:
    return await _decline(ctx, await _match(ctx, ref))


@router.subcommand(
    "match",
    "done",
    label="matching.verb.done",
    params=(Reference("ref"), FinishedText("finished")),
    examples=Examples(
        fr=("m5 : clair et patient, merci !", "m5 --clore"),
        en=("m5 : clear and patient, thank you!", "m5 --close"),
    ),
    also=("terminer", "termine", "finir", "finished"),
)
async def done(ctx: Context, ref: Ref, finished: Finished) -> Answer:
    return await _done(ctx, await _match(ctx, ref), finished)


@router.subcommand(
    "match",
    "cancel",
    label="matching.verb.cancel",
    params=(Reference("ref"),),
    examples=Examples(fr=("m5",), en=("m5",)),
)
async def cancel(ctx: Context, ref: Ref) -> Text:
    return await _cancel(ctx, await _match(ctx, ref))


def transmission_domain(domains: Sequence[str]) -> str:
    """Where a finished match counts: "transmission" when configured, else the first domain."""
    return match_domain(TRANSMISSION, domains) or domains[0]


# --- suggestions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Block:
    """One of my open records: its open matches, or the best people for it."""

    listing: Listing
    current: Sequence[Match]
    pairs: Sequence[Pair]
    places_left: int  # offers: capacity minus open matches; needs: 0

    @property
    def people(self) -> list[str | None]:
        """Everyone the block names, to look their names up once for all blocks."""
        return [
            *(party for each in self.current for party in (each.mentee, each.mentor)),
            *(person for pair in self.pairs for person in (pair.need.member, pair.offer.member)),
        ]


@dataclass(frozen=True)
class _Scene:
    """What every block is written with."""

    me: str
    mine: Sequence[Listing]  # needs, then offers
    history: History
    names: dict[str, str]

    def mine_in(self, kind: str, skill_ids: frozenset[int]) -> Listing | None:
        """My first open offer (or need) of one of these skills, to name in a reason: I may
        both need and offer a skill, and the reason is about one of the two."""
        return next(
            (each for each in self.mine if each.kind == kind and each.skill_id in skill_ids), None
        )

    def name(self, user_id: str | None, t: Catalogue) -> str:
        return self.names.get(user_id or "") or t.raw("matching.someone")


async def _suggestions(ctx: Context) -> Text:
    """Scores only meet on my own skills, so only their records are read, and only the
    people shown are named: a large community costs little more than a small one."""
    t, me, now = ctx.t, ctx.message.sender, ctx.clock.now()
    # Needs first, then offers, each oldest first: the order they were recorded in.
    mine = sorted(await listings.of_member(ctx.tx, me), key=lambda each: (each.kind, each.id))
    if not mine:
        return t(
            "matching.nothing_listed",
            offer=ctx.typed("offer"),
            need=ctx.typed("need"),
        )
    config = ctx.config.matching
    around = await matches.candidates_around(
        ctx.tx,
        me,
        [(each.kind, each.skill_id, each.level) for each in mine],
        config.mentor_capacity,
        config.max_suggestions,
        now - timedelta(days=config.waiting_days_full),
    )
    offers, needs, history = around.offers, around.needs, around.history
    ongoing = await matches.of_member(ctx.tx, me, open_only=True)
    scoring = config.scoring()
    blocks: list[_Block] = []
    for listing in mine:
        if listing.kind == "need":
            current = [each for each in ongoing if each.need_id == listing.id]
            wanted = Need(listing.id, me, listing.skill_id, listing.level, listing.created_at)
            pairs = (
                []
                if current
                else best_for_need(wanted, offers, history, scoring, now, config.max_suggestions)
            )
            blocks.append(_Block(listing, current, pairs, 0))
        else:
            current = [each for each in ongoing if each.offer_id == listing.id]
            left = max(0, config.mentor_capacity - len(current))
            offered = Offer(listing.id, me, listing.skill_id, listing.level, left)
            pairs = best_for_offer(offered, needs, history, scoring, now, config.max_suggestions)
            blocks.append(_Block(listing, current, pairs, left))
    names = await names_of(ctx, [person for block in blocks for person in block.people])
    scene = _Scene(me, mine, history, names)
    return Text.join(
        [
            line
            for block in blocks
            for line in (_need_block if block.listing.kind == "need" else _offer_block)(
                ctx, scene, block
            )
        ]
    )


def _need_block(ctx: Context, scene: _Scene, block: _Block) -> list[Text]:
    t, need = ctx.t, block.listing
    header = t("matching.your_need", ref=str(need.ref), skill=need.skill_name, level=need.level)
    if block.current:
        return [header, *(_ongoing(ctx, scene, each) for each in block.current)]
    if not block.pairs:
        return [header, t("matching.no_mentor")]
    return [header, *(_mentor_line(ctx, scene, pair, need.skill_name) for pair in block.pairs)]


def _mentor_line(ctx: Context, scene: _Scene, pair: Pair, skill: str) -> Text:
    return ctx.t(
        "matching.mentor_line",
        why=_why(ctx, scene, pair, skill, mentor_side=False),
        command=_verb_command(ctx, "ask", Ref(RefKind.OFFER, pair.offer.id)),
    )


def _offer_block(ctx: Context, scene: _Scene, block: _Block) -> list[Text]:
    t, offer, capacity = ctx.t, block.listing, ctx.config.matching.mentor_capacity
    header = t(
        "matching.your_offer",
        ref=str(offer.ref),
        skill=offer.skill_name,
        level=offer.level,
        left=block.places_left,
        capacity=capacity,
    )
    lines = [header, *(_ongoing(ctx, scene, each) for each in block.current)]
    if not block.places_left:
        return [*lines, t("matching.offer_full")]
    if not block.pairs:
        return [*lines, t("matching.no_mentee")]
    return [
        *lines,
        *(
            t(
                "matching.mentee_line",
                why=_why(ctx, scene, pair, offer.skill_name, mentor_side=True),
            )
            for pair in block.pairs
        ),
        t(
            "matching.they_can_ask",
            command=_verb_command(ctx, "ask", Ref(RefKind.OFFER, offer.id)),
        ),
    ]


def _ongoing(ctx: Context, scene: _Scene, current: Match) -> Text:
    """One of my open matches, and what either of us types next."""
    t, ref = ctx.t, current.ref
    mentee_side = current.mentee == scene.me
    name = scene.name(current.mentor if mentee_side else current.mentee, t)
    if current.state == "accepted":
        return t(
            "matching.ongoing_accepted",
            ref=str(ref),
            name=name,
            done=_verb_command(ctx, "done", ref),
        )
    if mentee_side:
        return t("matching.ongoing_asked_by_me", ref=str(ref), name=name)
    return t(
        "matching.ongoing_asked_of_me",
        ref=str(ref),
        name=name,
        accept=_verb_command(ctx, "accept", ref),
        decline=_verb_command(ctx, "decline", ref),
    )


def _why(ctx: Context, scene: _Scene, pair: Pair, skill: str, mentor_side: bool) -> Text:
    """One line that says why this pair: who and their record, the gap, what goes back the
    other way (and my record it goes back to), the wait."""
    t, me = ctx.t, scene.me
    steps = (
        t(f"matching.steps.{pair.gap}") if pair.gap <= 2 else t("matching.steps.n", steps=pair.gap)
    )
    if mentor_side:
        other, level, key = pair.need.member, pair.need.level, "matching.why_behind"
        theirs = Ref(RefKind.NEED, pair.need.id)
        # What they offer that I need: named with my need.
        back = scene.mine_in("need", scene.history.taught_back(other, me))
        back_key = "matching.why_offers_yours"
    else:
        other, level, key = pair.offer.member, pair.offer.level, "matching.why_ahead"
        theirs = Ref(RefKind.OFFER, pair.offer.id)
        # What they need that I offer: named with my offer.
        back = scene.mine_in("offer", scene.history.taught_back(me, other))
        back_key = "matching.why_wants_yours"
    name = scene.name(other, t)
    parts = [t(key, name=name, ref=str(theirs), level=level, steps=steps, skill=skill)]
    if back is not None:
        parts.append(t(back_key, skill=back.skill_name, ref=str(back.ref)))
    waited = (ctx.clock.now() - pair.need.created_at).days
    if mentor_side and waited >= _WAITING_WORTH_SAYING_DAYS:
        parts.append(t("matching.why_waiting", days=waited))
    if pair.paired_before:
        parts.append(t("matching.why_again"))
    return Text.join(parts, ", ")


# --- ask ------------------------------------------------------------------------------------


async def _ask(ctx: Context, offer_ref: Ref) -> Text | Answer:
    """The mentee asks for a mentor's offer; the mentor is pinged once, with what to type."""
    t, me = ctx.t, ctx.message.sender
    offer = await listings.get(ctx.tx, offer_ref.number)
    suggestions = _verb_command(ctx, None)
    if offer is None or offer.kind != "offer":
        raise NotFound("matching.no_such_offer", ref=str(offer_ref), command=suggestions)
    if not offer.is_open:
        raise NotFound("matching.offer_withdrawn", ref=str(offer_ref), command=suggestions)
    if offer.member == me:
        raise Denied("matching.own_offer", ref=str(offer_ref))
    need = await listings.find_open_duplicate(ctx.tx, "need", me, offer.skill_id)
    if need is None:
        command = f"{ctx.typed('need')} {offer.skill_name}"
        raise Denied("matching.no_need", skill=offer.skill_name, command=command)
    current = await matches.open_for_need(ctx.tx, need.id)
    if current is not None:
        return await _already(ctx, current, need, offer)
    names = await names_of(ctx, [me, offer.member])
    mentor = names[offer.member]
    if offer.level <= need.level:
        raise Denied(
            "matching.not_ahead",
            name=mentor,
            skill=offer.skill_name,
            offer_level=offer.level,
            need_level=need.level,
        )
    if await matches.was_declined(ctx.tx, me, offer.member, offer.skill_id):
        raise Denied(
            "matching.was_declined", name=mentor, skill=offer.skill_name, command=suggestions
        )
    capacity = ctx.config.matching.mentor_capacity
    if await matches.places_taken(ctx.tx, offer.id) >= capacity:
        raise Denied(
            "matching.full",
            name=mentor,
            capacity=capacity,
            ref=str(offer_ref),
            command=suggestions,
        )
    number = await matches.create(
        ctx.tx, need.id, offer.id, me, offer.member, offer.skill_id, ctx.clock.now()
    )
    ref = Ref(RefKind.MATCH, number)
    text = t(
        "matching.asked",
        mentor=mentor,
        mentee=names[me],
        skill=offer.skill_name,
        ref=str(ref),
        need_level=need.level,
        offer_level=offer.level,
        accept=_verb_command(ctx, "accept", ref),
        decline=_verb_command(ctx, "decline", ref),
    )
    return Answer(text, mentions=(offer.member,))


async def _already(ctx: Context, current: Match, need: Listing, offer: Listing) -> Text:
    """Asking again pings nobody: it says where the need's match stands."""
    t, ref = ctx.t, current.ref
    names = await names_of(ctx, [current.mentor])
    name = names.get(current.mentor or "", t.raw("matching.someone"))
    if current.offer_id != offer.id:
        raise Denied(
            "matching.need_taken",
            need=str(need.ref),
            ref=str(ref),
            name=name,
            state=Term(f"matching.state.{current.state}"),
            cancel=_verb_command(ctx, "cancel", ref),
        )
    if current.state == "asked":
        return t("matching.already_asked", ref=str(ref), name=name)
    return t(
        "matching.already_paired", ref=str(ref), name=name, done=_verb_command(ctx, "done", ref)
    )


# --- accept, decline, done, cancel ----------------------------------------------------------


async def _accept(ctx: Context, found: Match) -> Text | Answer:
    """The mentor accepts: a private room for both, opened once the answer is out."""
    t = ctx.t
    mentee, mentor = _parties(ctx, found, mentor_only=True)
    names = await names_of(ctx, [mentee, mentor])
    if found.state == "accepted" and found.room_id is not None:
        return t("matching.already_accepted", ref=str(found.ref), name=names[mentee])
    if found.state not in ("asked", "accepted"):
        raise _closed(found)
    await matches.set_state(ctx.tx, found.id, "accepted", ctx.clock.now())
    need = await listings.get(ctx.tx, found.need_id) if found.need_id is not None else None
    offer = await listings.get(ctx.tx, found.offer_id) if found.offer_id is not None else None
    intro = _introduction(ctx, found, names[mentee], names[mentor], need, offer)
    room_name = t(
        "matching.room_name", mentee=names[mentee], mentor=names[mentor], skill=found.skill_name
    ).plain
    text = t(
        "matching.accepted",
        mentor=names[mentor],
        mentee=names[mentee],
        skill=found.skill_name,
        ref=str(found.ref),
    )
    retry = _verb_command(ctx, "accept", found.ref)
    return Answer(
        text, follow_up=_room_opener(ctx, found, (mentee, mentor), room_name, intro, retry)
    )


def _room_opener(
    ctx: Context,
    found: Match,
    people: tuple[str, str],
    name: str,
    intro: Text,
    retry: str,
) -> Callable[[], Awaitable[Text | None]]:
    """Network work after the answer, without holding the database; then the room is noted."""
    t, transport, database = ctx.t, ctx.transport, ctx.database

    async def open_room() -> Text | None:
        try:
            room_id = await transport.open_shared_room(people, name, intro)
        except Exception:
            error = secrets.token_hex(3)
            log.exception("ref %s: could not open the room of m%d", error, found.id)
            return t("matching.room_failed", ref=str(found.ref), error=error, command=retry)
        async with database.transaction() as tx:
            await matches.set_room(tx, found.id, room_id)
        return None

    return open_room


def _introduction(
    ctx: Context,
    found: Match,
    mentee: str,
    mentor: str,
    need: Listing | None,
    offer: Listing | None,
) -> Text:
    """Who, what skill, each one's level and details, and how to finish."""
    t = ctx.t
    lines = [
        t(
            "matching.intro",
            mentee=mentee,
            mentor=mentor,
            skill=found.skill_name,
            ref=str(found.ref),
        )
    ]
    for key, name, listing in (
        ("matching.intro_mentee", mentee, need),
        ("matching.intro_mentor", mentor, offer),
    ):
        if listing is None:
            continue
        line = t(key, name=name, level=_level(t, listing.level))
        if listing.details:
            line = Text.join([line, t("offers.details", details=listing.details)], " ")
        lines.append(line)
    lines.append(t("matching.intro_next", done=_verb_command(ctx, "done", found.ref)))
    return Text.join(lines)


async def _decline(ctx: Context, found: Match) -> Answer:
    """Remembered forever: this mentor is never suggested to this mentee for this skill.

    Told to the two of them only, each in their direct room: the room where it was typed
    learns no more than that it is done."""
    mentee, mentor = _parties(ctx, found, mentor_only=True)
    if found.state == "accepted":
        raise Denied(
            "matching.decline_too_late",
            ref=str(found.ref),
            done=_verb_command(ctx, "done", found.ref),
            cancel=_verb_command(ctx, "cancel", found.ref),
        )
    if found.state != "asked":
        raise _closed(found)
    await matches.set_state(ctx.tx, found.id, "declined", ctx.clock.now())
    names = await names_of(ctx, [mentee, mentor])
    t, transport, ref = ctx.t, ctx.transport, str(found.ref)
    told = {
        mentee: t(
            "matching.declined_mentee",
            mentor=names[mentor],
            skill=found.skill_name,
            ref=ref,
            command=_verb_command(ctx, None),
        ),
        mentor: t(
            "matching.declined_mentor", mentee=names[mentee], skill=found.skill_name, ref=ref
        ),
    }

    async def tell() -> Text | None:
        try:
            for member, text in told.items():
                await transport.send_privately(member, text)
        except Exception:
            error = secrets.token_hex(3)
            log.exception("ref %s: could not tell the two of m%d it was declined", error, found.id)
            return t("matching.declined_untold", ref=ref, error=error)
        return None

    return Answer(t("matching.declined", ref=ref), follow_up=tell)


async def _done(ctx: Context, found: Match, action: Finished) -> Answer:
    """Either side closes it; the mentor's transmission is recorded, witnessed by the mentee.

    When the mentee says it, their confirmation comes with it. When the mentor says it, the
    work waits for the mentee's ``!confirm`` or ✅, like any work recorded by its author.
    """
    t, me, now = ctx.t, ctx.message.sender, ctx.clock.now()
    mentee, mentor = _parties(ctx, found, mentor_only=False)
    names = await names_of(ctx, [mentee, mentor])
    if found.state == "asked":
        raise Denied(
            "matching.not_accepted",
            name=names[mentor],
            ref=str(found.ref),
            cancel=_verb_command(ctx, "cancel", found.ref),
        )
    if found.state != "accepted":
        raise _closed(found)
    if action.close_need and me != mentee:
        raise Denied("matching.close_by_mentee", name=names[mentee])
    await matches.set_state(ctx.tx, found.id, "done", now)
    lines = [
        t(
            "matching.done",
            ref=str(found.ref),
            mentor=names[mentor],
            mentee=names[mentee],
            skill=found.skill_name,
        )
    ]
    if action.feedback:
        await matches.set_feedback(ctx.tx, found.id, action.feedback)
        lines.append(t("matching.feedback", feedback=action.feedback))
    if action.close_need and found.need_id is not None:
        need = await listings.get(ctx.tx, found.need_id)
        if need is not None and need.is_open:
            await listings.withdraw(ctx.tx, need.id, now)
            lines.append(t("matching.need_closed", ref=str(need.ref), skill=need.skill_name))
    what = t("matching.transmission_what", skill=found.skill_name, ref=str(found.ref)).plain
    domain = transmission_domain(ctx.config.contributions.domains)
    recorded = (await record_work(ctx, mentor, None, domain, what)).contribution
    lines.append(recorded_line(t, recorded))
    other = mentor if me == mentee else mentee
    return Answer(
        record_message(ctx, Text.join(lines), recorded),
        mentions=(other,),
        record_of=recorded.id,
    )


async def _cancel(ctx: Context, found: Match) -> Text:
    """Either side, or a community moderator (a match belongs to no one room): the match
    ends and nothing is held against anyone."""
    me = ctx.message.sender
    if me not in (found.mentee, found.mentor) and not ctx.standing.community:
        raise Denied("matching.not_party", ref=str(found.ref))
    if not found.is_open:
        raise _closed(found)
    await matches.set_state(ctx.tx, found.id, "cancelled", ctx.clock.now())
    names = await names_of(ctx, [party for party in (found.mentee, found.mentor) if party])
    someone = ctx.t.raw("matching.someone")
    return ctx.t(
        "matching.cancelled",
        ref=str(found.ref),
        mentee=names.get(found.mentee or "", someone),
        mentor=names.get(found.mentor or "", someone),
        skill=found.skill_name,
    )


async def _match(ctx: Context, ref: Ref) -> Match:
    found = await matches.get(ctx.tx, ref.number)
    if found is None:
        raise NotFound("matching.no_such_match", ref=str(ref))
    return found


def _parties(ctx: Context, found: Match, mentor_only: bool) -> tuple[str, str]:
    """Mentee and mentor, when the sender may act on the match; else why not."""
    me = ctx.message.sender
    if me not in (found.mentee, found.mentor):
        raise Denied("matching.not_party", ref=str(found.ref))
    if found.mentee is None or found.mentor is None:
        raise _closed(found)  # forgetting a member ends their open matches
    if mentor_only and me != found.mentor:
        raise Denied("matching.mentor_only", ref=str(found.ref))
    return found.mentee, found.mentor


def _closed(found: Match) -> Denied:
    return Denied(
        "matching.closed", ref=str(found.ref), state=Term(f"matching.state.{found.state}")
    )


# --- helpers --------------------------------------------------------------------------------


def _verb_command(ctx: Context, verb: str | None, ref: Ref | None = None) -> str:
    """``!match ask o12``, in the community's language; ``!match`` alone without a verb."""
    words = [ctx.typed("match")]
    if verb is not None:
        words.append(ctx.t.raw(f"matching.verb.{verb}"))
    if ref is not None:
        words.append(str(ref))
    return " ".join(words)


def _level(t: Catalogue, level: int) -> Text:
    return t("offers.level", level=level, name=t(f"level.{level}"))
