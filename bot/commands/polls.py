"""``!poll``, ``!vote``, ``!weight``: native Matrix polls, weighted by situated engagement.

A poll is recorded with its weights frozen, then posted as a native poll; votes come from
clicks (response events) and from ``!vote``; the bot ends it at its deadline (the
scheduler) or on ``!poll close``, and posts the weighted result in the poll's thread.
"""

from __future__ import annotations

import logging
import math
import re
import secrets
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import polls as lifecycle
from bot.commands.dispatcher import Context, community_moderators
from bot.commands.lookup import expect_ref, find_member, names_of
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
    Term,
    UsageError,
    Word,
)
from bot.config import Config
from bot.domain.durations import parse_duration
from bot.domain.ledger import RefKind, format_minutes
from bot.domain.quorum import Quorum
from bot.domain.skills import normalise
from bot.domain.tally import FinalResult
from bot.domain.weighting import WeightExplanation, WeightRule
from bot.i18n import Catalogue, Text
from bot.messages import IncomingPollResponse, IncomingRedaction, Transport
from bot.store import contributions, members, polls, weights
from bot.store.database import Transaction
from bot.store.polls import NewPoll, Poll

log = logging.getLogger(__name__)
router = Router()

MIN_ANSWERS, MAX_ANSWERS = 2, 20  # Element shows at most 20
MAX_QUESTION_LENGTH, MAX_ANSWER_LENGTH = 300, 120
LONGEST_POLL = timedelta(days=366)
_FLAGS = {  # every spelling, in both languages, of each option (as normalised, no dashes)
    "multi": "multi",
    "multiple": "multi",
    "secret": "secret",
    "secrete": "secret",
    "equal": "equal",
    "egal": "equal",
    "domain": "domain",
    "domaine": "domain",
    "close": "closes",  # --closes, normalised
    "fin": "closes",
    "ferme": "closes",
    "quorum": "quorum",
    "quorum-weight": "quorum_weight",
    "quorum-poid": "quorum_weight",
    "remind": "remind",
    "rappel": "remind",
}
_SWITCHES = {"multi", "secret", "equal"}
_NO_VOTE = {"none", "aucun", "aucune", "rien", "-", "0"}
_ABSTAIN = {"abstain", "abstention", "abstiens", "je m'abstiens"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(\d{1,2})[:h](\d{2})$")
_NUMBER = re.compile(r"[0-9]{1,3}")  # not str.isdigit: "²" is a digit to it


# --- reading !poll ------------------------------------------------------------------------


@dataclass(frozen=True)
class PollRequest:
    question: str
    answers: tuple[str, ...]
    multi: bool = False
    secret: bool = False
    equal: bool = False
    domain: str | None = None  # as typed; checked against the config by the handler
    closes: str | None = None  # as typed: a duration or a date and time
    quorum: Quorum = field(default_factory=Quorum)
    remind: str | None = None  # as typed: a duration before the close


def read_request(text: str) -> PollRequest:
    """``[--options] question | answer | answer …``; checks the form, not the config."""
    options = read_options(text)
    question, *answers = (part.strip() for part in options.rest.split("|"))
    check_question(question)
    if not MIN_ANSWERS <= len(answers) <= MAX_ANSWERS:
        raise UsageError(
            "polls.answer_count", count=len(answers), least=MIN_ANSWERS, most=MAX_ANSWERS
        )
    for number, answer in enumerate(answers, 1):
        if not answer:
            raise UsageError("polls.empty_answer", number=number)
        if len(answer) > MAX_ANSWER_LENGTH:
            raise UsageError("polls.answer_too_long", number=number, limit=MAX_ANSWER_LENGTH)
    seen = [normalise(answer) for answer in answers]
    twice = next((answers[i] for i, key in enumerate(seen) if key in seen[:i]), None)
    if twice is not None:
        raise UsageError("polls.answer_twice", answer=twice)
    if options.quorum.asked and len(answers) == MAX_ANSWERS:  # "abstain" is added to the card
        raise UsageError(
            "polls.answer_count", count=len(answers) + 1, least=MIN_ANSWERS, most=MAX_ANSWERS
        )
    return replace(options.request, question=question, answers=tuple(answers))


def check_question(question: str) -> None:
    if not question:
        raise UsageError("polls.missing_question")
    if len(question) > MAX_QUESTION_LENGTH:
        raise UsageError("polls.question_too_long", length=len(question), limit=MAX_QUESTION_LENGTH)


@dataclass(frozen=True)
class Options:
    """The ``--options`` in front of a poll or a proposal, and the text after them."""

    request: PollRequest  # the options, with neither question nor answers yet
    rest: str

    @property
    def quorum(self) -> Quorum:
        return self.request.quorum


def read_options(text: str) -> Options:
    switches: set[str] = set()
    values: dict[str, str] = {}
    rest = text.strip()
    while rest.startswith("--"):
        reader = ArgReader(rest)
        flag = reader.word() or ""
        option = _FLAGS.get(normalise(flag))
        if option is None:
            raise UsageError("polls.unknown_option", given=flag, options=Term("polls.options"))
        if option in _SWITCHES:
            switches.add(option)
            rest = reader.rest()
            continue
        value = reader.word()
        if value is None or value.startswith("--") or "|" in value:
            raise UsageError("polls.option_needs_value", option=flag)
        rest = reader.rest()
        clock, _, after = rest.partition(" ")
        if option == "closes" and _DATE.match(value) and _TIME.match(clock):
            value, rest = f"{value} {clock}", after.strip()
        values[option] = value
    quorum = Quorum(_share(values.get("quorum")), _share(values.get("quorum_weight")))
    if quorum.weight is not None and "equal" in switches:
        raise UsageError("polls.quorum_weight_equal")
    request = PollRequest(
        "",
        (),
        multi="multi" in switches,
        secret="secret" in switches,
        equal="equal" in switches,
        domain=values.get("domain"),
        closes=values.get("closes"),
        quorum=quorum,
        remind=values.get("remind"),
    )
    return Options(request, rest)


def _share(typed: str | None) -> float | None:
    """``50%`` or ``50`` as 0.5; from 1 % to 100 %."""
    if typed is None:
        return None
    number = typed.strip().removesuffix("%").strip().replace(",", ".")
    try:
        share = float(number) / 100
    except ValueError:
        raise UsageError("polls.bad_quorum", given=typed) from None
    if not 0.01 <= share <= 1:
        raise UsageError("polls.bad_quorum", given=typed)
    return share


def reminder_time(
    typed: str | None, now: datetime, closes_at: datetime, config: Config
) -> datetime | None:
    """When to remind those who have not voted: ``typed`` (or the config's default)
    before the close. A default that would fall before the opening is simply not used."""
    if typed is None:
        default = config.polls.default_reminder
        if default is None or closes_at - default <= now:
            return None
        return closes_at - default
    try:
        before = parse_duration(typed)
    except (ValueError, OverflowError):
        raise UsageError("polls.bad_reminder", given=typed) from None
    if closes_at - before <= now:
        raise UsageError("polls.reminder_too_late", given=typed)
    return closes_at - before


def closing_time(typed: str | None, now: datetime, config: Config) -> datetime:
    """When the poll closes: a duration from now, or a date (end of day) and time, local."""
    if typed is None:
        return now + config.polls.default_duration
    zone = ZoneInfo(config.digest.timezone)
    day, _, clock = typed.partition(" ")
    if _DATE.match(day):
        try:
            when = _local(date.fromisoformat(day), clock, zone)
        except ValueError:
            raise UsageError("polls.bad_closes", given=typed) from None
    else:
        try:
            duration = parse_duration(typed)
        except (ValueError, OverflowError):
            raise UsageError("polls.bad_closes", given=typed) from None
        if duration > LONGEST_POLL:
            raise UsageError("polls.closes_too_far", given=typed)
        when = now + duration
    if when <= now:
        raise UsageError("polls.closes_in_past", given=typed)
    if when - now > LONGEST_POLL:
        raise UsageError("polls.closes_too_far", given=typed)
    return when.astimezone(UTC)  # stored times compare as text: one offset for all


def _local(day: date, clock: str, zone: ZoneInfo) -> datetime:
    if not clock:
        return datetime.combine(day, time(23, 59), zone)
    found = _TIME.match(clock)
    if found is None:
        raise ValueError(clock)
    return datetime.combine(day, time(int(found.group(1)), int(found.group(2))), zone)


@dataclass(frozen=True)
class PollText(RestOfLine):
    """A new poll: its options, question and answers."""

    def usage(self, t: Catalogue) -> str:
        question, answer = (Param(name).usage(t) for name in ("question", "answer"))
        return f"{t.raw('polls.options')} {question} | {answer} | {answer} …"


# --- commands -----------------------------------------------------------------------------


@router.command(
    "poll",
    alias="sondage",
    params=(PollText("poll", missing="polls.missing_question"),),
    examples=Examples(
        fr=(
            "Quel soir pour l'atelier ? | mardi | jeudi",
            "--domaine habitat --fin 3j On repeint la cour ? | oui | non | plus tard",
            "--multi --fin 2026-12-01 18:00 Quels ateliers en janvier ? | vélo | couture | code",
        ),
        en=(
            "Which evening for the workshop? | Tuesday | Thursday",
            "--domain habitat --closes 3d Paint the yard? | yes | no | later",
            "--multi --closes 2026-12-01 18:00 Which workshops in January? | bike | sewing | code",
        ),
    ),
    literal=lambda text: "|" in text,  # a question may well start with "Close"
)
async def poll(ctx: Context, poll: str) -> Answer:
    return await open_vote(ctx, read_request(poll))


@router.subcommand(
    "poll",
    "results",
    label="polls.verb.results",
    params=(Word("poll_ref"),),
    examples=Examples(fr=("p2",), en=("p2",)),
    also=("result", "resultat"),
)
async def poll_results(ctx: Context, poll_ref: str) -> Text:
    return await _results(ctx, await _poll(ctx, expect_ref(poll_ref, RefKind.POLL).number))


@router.subcommand(
    "poll",
    "close",
    label="polls.verb.close",
    params=(Word("poll_ref"),),
    examples=Examples(fr=("p2",), en=("p2",)),
    also=("clore", "fermer", "close"),
)
async def poll_close(ctx: Context, poll_ref: str) -> Answer:
    return await _close(ctx, await _poll(ctx, expect_ref(poll_ref, RefKind.POLL).number))


async def open_vote(
    ctx: Context, request: PollRequest, kind: str = "poll", amends: Poll | None = None
) -> Answer:
    """Record a poll, or a proposal's round (``kind``), with its weights frozen; post it
    once the reply is out."""
    domain = None
    if request.domain is not None:
        domain = ctx.config.contributions.domain_named(request.domain)
        if domain is None:
            raise UsageError(
                "polls.unknown_domain",
                given=request.domain,
                domains=", ".join(map(ctx.t.domain, ctx.config.contributions.domains)),
            )
    now = ctx.clock.now()
    closes_at = closing_time(request.closes, now, ctx.config)
    remind_at = reminder_time(request.remind, now, closes_at, ctx.config)
    frozen = (
        weights.Frozen({}, frozenset())
        if request.equal
        else await freeze(ctx.tx, ctx.config, ctx.transport, domain, now)
    )
    # Who could take part, as the room stood: what a quorum is a share of.
    members = [
        member
        for member in ctx.transport.room_members(ctx.message.room_id)
        if member != ctx.config.matrix.user_id
    ]
    members_weight = math.fsum(frozen.weights.get(member, 1.0) for member in members)
    abstain = request.quorum.asked or kind == "proposal"
    answers = request.answers + ((ctx.t.raw("polls.abstain_answer"),) if abstain else ())
    opened = await polls.open_poll(
        ctx.tx,
        NewPoll(
            room_id=ctx.message.room_id,
            creator=ctx.message.sender,
            question=request.question,
            answers=answers,
            max_selections=len(request.answers) if request.multi else 1,
            secret=request.secret,
            equal=request.equal,
            domain=domain,
            opened_at=now,
            closes_at=closes_at,
            thread_root=ctx.message.thread_root,
            abstain=abstain,
            quorum=request.quorum,
            members=len(members) if abstain else None,
            members_weight=members_weight if abstain else None,
            remind_at=remind_at,
            kind=kind,
            amends=None if amends is None else amends.id,
        ),
        frozen.weights,
        frozen.bounded,
    )
    lines = [
        ctx.t(
            "proposals.opened" if opened.is_proposal else "polls.opened",
            ref=str(opened.ref),
            question=opened.question,
            closes=ctx.t.moment(closes_at, ZoneInfo(ctx.config.digest.timezone)),
            vote=f"{ctx.typed('vote')} {opened.ref} 1",
            object=f"{ctx.typed('object')} {opened.ref} : …",
        ),
        _how_weighed(ctx.t, ctx.config, opened, weight_command=ctx.typed("weight")),
    ]
    if opened.max_selections > 1:
        lines.append(ctx.t("polls.multi", most=opened.max_selections))
    if opened.secret:
        lines.append(ctx.t("polls.secret"))
    if amends is not None:
        lines.append(ctx.t("proposals.new_round", previous=str(amends.ref)))
    transport, database, agenda, t = ctx.transport, ctx.database, ctx.agenda, ctx.t

    async def post_poll() -> Text | None:
        if await lifecycle.publish(database, transport, opened):
            agenda.close_poll_at(opened.id, opened.closes_at)
            if opened.remind_at is not None:
                agenda.remind_at(opened.id, opened.remind_at)
            return None
        return t("polls.not_posted", ref=str(opened.ref))

    return Answer(Text.join(lines), follow_up=post_poll)


def _how_weighed(t: Catalogue, config: Config, poll: Poll, weight_command: str) -> Text:
    if poll.equal:
        return t("polls.weights_equal")
    rule = config.polls
    domain_part = (
        t(
            "polls.weights_domain_term",
            b=t.number(rule.domain_factor, 2),
            domain=t.domain(poll.domain),
        )
        if poll.domain
        else Text("", "")
    )
    return t(
        "polls.weights_rule",
        a=t.number(rule.engagement_factor, 2),
        domain_term=domain_part,
        most=t.number(rule.max_weight),
        half_life=t.number(rule.half_life_days, 0),
        weight=weight_command,
    )


@router.command(
    "vote",
    alias="voter",
    params=(Word("poll_ref"), RestOfLine("choices")),
    examples=Examples(fr=("p2 1", "p2 1,3", "p2 aucun"), en=("p2 1", "p2 1,3", "p2 none")),
)
async def vote(ctx: Context, poll_ref: str, choices: str) -> Text:
    """The fallback for clients without polls; a later vote replaces the earlier one."""
    found = await _poll(ctx, expect_ref(poll_ref, RefKind.POLL).number)
    if found.room_id != ctx.message.room_id:
        raise Denied("polls.vote_elsewhere", ref=str(found.ref))
    if not found.is_open or ctx.message.sent_at > found.closes_at:  # as clicks are counted
        raise Denied("polls.already_closed", ref=str(found.ref), results=_command(ctx, found))
    chosen = _read_choices(choices, found)
    await polls.record_response(
        ctx.tx,
        found.id,
        ctx.message.event_id,
        ctx.message.sender,
        chosen,
        ctx.message.sent_at,
        typed=True,
    )
    if not chosen:
        return ctx.t("polls.unvoted", ref=str(found.ref))
    if found.secret:  # the reply is public: it names no answer
        return ctx.t("polls.voted_secret", ref=str(found.ref))
    weight = 1.0 if found.equal else await polls.frozen_weight(ctx.tx, found.id, ctx.message.sender)
    picked = Text.join(
        [
            ctx.t("polls.answer", number=int(each), answer=found.answers[int(each) - 1])
            for each in chosen
        ],
        " · ",
    )
    return ctx.t(
        "polls.voted",
        ref=str(found.ref),
        answers=picked,
        weight=ctx.t.number(weight, 2),
        again=f"{ctx.typed('vote')} {found.ref}",
    )


def _read_choices(typed: str, poll: Poll) -> tuple[str, ...]:
    """``1``, ``1,3``, ``1 3``, or ``none`` to take one's vote back."""
    if normalise(typed) in _NO_VOTE or typed.strip() in _NO_VOTE:
        return ()
    if poll.abstain_id is not None and normalise(typed) in _ABSTAIN:
        return (poll.abstain_id,)
    words = [word for word in re.split(r"[\s,;]+", typed.strip()) if word]
    if not words or not all(_NUMBER.fullmatch(word) for word in words):
        raise UsageError("polls.bad_choice", given=typed, most=len(poll.answers))
    numbers = list(dict.fromkeys(int(word) for word in words))
    wrong = next((n for n in numbers if not 1 <= n <= len(poll.answers)), None)
    if wrong is not None:
        raise UsageError("polls.no_such_answer", number=wrong, most=len(poll.answers))
    if len(numbers) > poll.max_selections:
        raise UsageError("polls.too_many_choices", count=len(numbers), most=poll.max_selections)
    return tuple(str(number) for number in numbers)


async def _results(ctx: Context, found: Poll) -> Text:
    """A closed poll's result is the one announced; while open, nothing after the deadline
    counts, even before the bot got round to closing."""
    if found.result is not None:
        return await lifecycle.describe(
            ctx.tx,
            ctx.t,
            ctx.config,
            found,
            found.result,
            ctx.transport.room_members(found.room_id),
        )
    counted = await lifecycle.current_tally(ctx.tx, found, found.closes_at)
    if found.secret and found.is_open:
        return ctx.t(
            "polls.results_hidden",
            ref=str(found.ref),
            voters=counted.voters,
            closes=ctx.t.moment(found.closes_at, ZoneInfo(ctx.config.digest.timezone)),
        )
    return await lifecycle.describe(
        ctx.tx,
        ctx.t,
        ctx.config,
        found,
        FinalResult.of(counted),
        ctx.transport.room_members(found.room_id),
    )


async def _close(ctx: Context, found: Poll) -> Answer:
    if not found.is_open:
        raise Denied("polls.already_closed", ref=str(found.ref), results=_command(ctx, found))
    if ctx.message.sender != found.creator and not ctx.standing.may_moderate(found.room_id):
        raise Denied("polls.close_denied", ref=str(found.ref))
    await polls.bring_forward(ctx.tx, found.id, ctx.clock.now())
    keeper = ctx.poll_keeper

    async def close_now() -> Text | None:
        await keeper.close(found.id, unread_history_ok=True)
        return None

    return Answer(ctx.t("polls.closing", ref=str(found.ref)), follow_up=close_now)


def _command(ctx: Context, found: Poll) -> str:
    return f"{ctx.typed('poll')} {ctx.t.raw('polls.verb.results')} {found.ref}"


async def _poll(ctx: Context, number: int) -> Poll:
    found = await polls.get(ctx.tx, number)
    if found is None or found.start_event is None:
        raise NotFound("polls.not_found", ref=f"p{number}")
    return found


LARGE_CLAIM_MINUTES = 20 * 60  # a contribution the audit lists as large
AUDIT_LISTED = 10  # lines per section of the audit


@router.command(
    "reminders",
    alias="rappels",
    params=(OnOff("on_off"),),
    examples=Examples(fr=("non", "oui"), en=("off", "on")),
)
async def reminders(ctx: Context, on_off: bool) -> Text:
    """Reminders ping: a member may decline them, everywhere at once."""
    await members.set_reminders(ctx.tx, ctx.message.sender, on_off)
    if on_off:
        return ctx.t("polls.reminders_on")
    on = f"{ctx.typed('reminders')} {ctx.t.raw('param.on_off').split('|')[0]}"
    return ctx.t("polls.reminders_off", on=on)


@router.command("audit", alias="verifier", moderator_only=True)
async def audit(ctx: Context) -> Answer:
    """What moderators look at before they !void: circles that vouch only for themselves,
    hours beyond what trust vouches for, the month's large claims. It names members, so
    it goes to the moderator alone, in the direct room."""
    t, now, config = ctx.t, ctx.clock.now(), ctx.config
    trust = await trust_of(config, ctx.transport)
    found = (
        await weights.audit(
            ctx.tx, config.contributions.confirmations_required, now, weight_rule(config), trust
        )
        if trust is not None
        else weights.Audit([], [], [])
    )
    month = now - timedelta(days=30)
    large = await contributions.large_since(ctx.tx, month, LARGE_CLAIM_MINUTES, AUDIT_LISTED)
    doubtful = await contributions.doubtful_witnesses(
        ctx.tx, month, config.contributions.probation_days, AUDIT_LISTED
    )
    disputes = await contributions.open_disputes(ctx.tx, AUDIT_LISTED)
    reviews = await contributions.reviews(ctx.tx, since=month)
    named = {member for members, _ in found.circles for member in members}
    named |= {each.member for each in found.unvouched} | {each.member for each in large}
    named |= {each.member for each in disputes} | {each.raised_by for each in disputes}
    named |= {each.contribution.member for each in doubtful}
    named |= {member for member, _, _ in found.gains[:AUDIT_LISTED]}
    names = await names_of(ctx, named)
    lines = [t("polls.audit_title", date=t.day(now.date()))]
    if trust is None:
        lines.append(t("polls.audit_no_trust"))
    lines.append(t("polls.audit_circles"))
    lines += [
        t(
            "polls.audit_circle",
            names=", ".join(names[member] for member in members),
            hours=t.number(inside),
        )
        for members, inside in found.circles[:AUDIT_LISTED]
    ] or [t("polls.audit_none")]
    lines.append(t("polls.audit_unvouched"))
    lines += [
        t(
            "polls.audit_unvouched_line",
            name=names[each.member],
            confirmed=t.number(each.confirmed_hours),
            vouched=t.number(each.vouched_hours),
        )
        for each in found.unvouched[:AUDIT_LISTED]
    ] or [t("polls.audit_none")]
    lines.append(t("polls.audit_gains"))
    lines += [
        t(
            "polls.audit_gain",
            name=names[member],
            before=t.number(before, 2),
            now=t.number(weight, 2),
        )
        for member, before, weight in found.gains[:AUDIT_LISTED]
    ] or [t("polls.audit_none")]
    lines.append(t("polls.audit_large"))
    lines += [
        t(
            "polls.audit_large_line",
            ref=str(each.ref),
            hours=format_minutes(each.minutes or 0),
            name=names[each.member],
            what=each.what,
        )
        for each in large
    ] or [t("polls.audit_none")]
    lines.append(t("polls.audit_witnesses"))
    lines += [
        t(
            "polls.audit_witnesses_line",
            ref=str(each.contribution.ref),
            name=names[each.contribution.member],
            forgotten=each.forgotten,
            in_probation=each.in_probation,
            counted=each.contribution.confirmations,
        )
        for each in doubtful
    ] or [t("polls.audit_none")]
    if reviews:
        verdicts = Counter(each.verdict for each in reviews)
        lines.append(
            t(
                "polls.audit_reviews",
                asked=len(reviews),
                confirmed=verdicts["confirmed"],
                contested=verdicts["contested"],
                unanswered=verdicts[None],
            )
        )
    lines.append(t("polls.audit_disputes", void=ctx.typed("void"), dismiss=ctx.typed("dismiss")))
    lines += [
        t(
            "polls.audit_dispute",
            ref=str(each.ref),
            name=names[each.member],
            reason=each.reason,
            by=names[each.raised_by],
        )
        for each in disputes
    ] or [t("polls.audit_none")]
    report, me, transport = Text.join(lines), ctx.message.sender, ctx.transport

    async def send() -> Text | None:
        try:
            await transport.send_privately(me, report)
        except Exception:
            ref = secrets.token_hex(3)
            log.exception("ref %s: could not send the audit to %s", ref, me)
            return t("polls.audit_failed", ref=ref)
        return None

    return Answer(t("polls.audit_sending"), follow_up=send)


@router.command(
    "weight",
    alias="poids",
    params=(RestOfLine("member_and_domain", optional=True),),
    examples=Examples(
        fr=("", "@camille:example.org", "habitat", "Camille habitat"),
        en=("", "@camille:example.org", "habitat", "Camille habitat"),
    ),
)
async def weight(ctx: Context, member_and_domain: str | None) -> Text:
    """A vote weight explained term by term, as it would be frozen in a poll opened now."""
    user_id, name, domain = _whose_weight(ctx, member_and_domain or "")
    explained = await weight_now(ctx, user_id, domain)
    if name == user_id:
        name = (await names_of(ctx, [user_id]))[user_id]
    return explain_weight(ctx.t, ctx.config, name, explained)


async def weight_now(ctx: Context, user_id: str, domain: str | None) -> WeightExplanation:
    """The weight a poll opened now would freeze for the member, with its terms."""
    now, config = ctx.clock.now(), ctx.config
    return await weights.explain_member(
        ctx.tx,
        user_id,
        config.contributions.confirmations_required,
        domain,
        now,
        weight_rule(config),
        await trust_of(config, ctx.transport),
    )


async def freeze(
    tx: Transaction, config: Config, transport: Transport, domain: str | None, now: datetime
) -> weights.Frozen:
    """Every member's weight, as a poll opened now freezes it."""
    return await weights.freeze(
        tx,
        config.contributions.confirmations_required,
        domain,
        now,
        weight_rule(config),
        await trust_of(config, transport),
    )


async def trust_of(config: Config, transport: Transport) -> weights.Trust | None:
    """Trust flows from the community moderators (``bot.domain.trust``): those listed, and
    those with the moderators' power in the moderation room. Without any there is nowhere
    for it to start, and no such bound."""
    if not config.contributions.trust_bound:
        return None
    seeds = await community_moderators(config, transport)
    return weights.Trust(seeds) if seeds else None


def _whose_weight(ctx: Context, typed: str) -> tuple[str, str, str | None]:
    """``[member] [domain]``: the domain is the last word when it names a configured one."""
    words = typed.split()
    domain = None
    if words:
        domain = ctx.config.contributions.domain_named(words[-1])
        if domain is not None:
            words = words[:-1]
    if not words:
        return ctx.message.sender, ctx.message.sender_name, domain
    user_id, name = find_member(ctx, " ".join(words))
    return user_id, name, domain


def weight_rule(config: Config) -> WeightRule:
    """The weight formula's parameters, from ``[polls]`` and ``[contributions]``."""
    polls = config.polls
    return WeightRule(
        max_weight=polls.max_weight,
        half_life_days=polls.half_life_days,
        engagement_factor=polls.engagement_factor,
        domain_factor=polls.domain_factor,
        max_hours_per_week=config.contributions.max_hours_per_week,
    )


def explain_weight(t: Catalogue, config: Config, name: str, explained: WeightExplanation) -> Text:
    rule = config.polls
    lines = [
        t("polls.weight_title", name=name, weight=t.number(explained.weight, 2)),
        t("polls.weight_base"),
        t(
            "polls.weight_engagement",
            a=t.number(rule.engagement_factor, 2),
            hours=t.number(explained.hours),
            term=t.number(explained.engagement, 2),
            count=explained.contributions,
            half_life=t.number(rule.half_life_days, 0),
        ),
    ]
    if explained.bounded_weekly:
        lines.append(
            t(
                "polls.weight_bounded",
                credited=t.number(explained.weekly_hours),
                recorded=t.number(explained.recorded_hours),
                most=t.number(config.contributions.max_hours_per_week),
            )
        )
    if explained.bounded_by_trust:
        lines.append(
            t(
                "polls.weight_trusted",
                credited=t.number(explained.hours),
                recorded=t.number(explained.weekly_hours),
                in_full=t.number(explained.in_full_hours),
            )
        )
    if explained.domain is not None:
        lines.append(
            t(
                "polls.weight_domain",
                b=t.number(rule.domain_factor, 2),
                domain=t.domain(explained.domain),
                hours=t.number(explained.domain_hours),
                term=t.number(explained.domain_term, 2),
                count=explained.domain_contributions,
            )
        )
    if explained.capped:
        lines.append(
            t(
                "polls.weight_capped",
                uncapped=t.number(explained.uncapped, 2),
                most=t.number(rule.max_weight),
            )
        )
    lines.append(t("polls.weight_frozen"))
    return Text.join(lines)


# --- votes clicked in clients -------------------------------------------------------------


@router.on_poll_response
async def keep_response(ctx: EventContext, response: IncomingPollResponse) -> None:
    found = await polls.by_start_event(ctx.tx, response.poll_event)
    if found is None or found.room_id != response.room_id:
        return  # a poll another client or bot started: not ours to count
    await lifecycle.keep(ctx.tx, found, response)


@router.on_redaction
async def forget_response(ctx: EventContext, redaction: IncomingRedaction) -> None:
    """An unclicked vote: the voter's previous response counts again."""
    await polls.redact_response(ctx.tx, redaction.redacts)
