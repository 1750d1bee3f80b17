"""``!polls`` and ``!me``: what is open in this room, and everything waiting for me across
the community, each with the command to type next."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.commands.dispatcher import Context
from bot.commands.router import Router
from bot.domain.tally import FinalResult, ballots
from bot.i18n import Text
from bot.polls import current_tally, quorum_verdict
from bot.store import contributions, events, matches, polls, workshops
from bot.store.polls import Poll

router = Router()

RECENT_WORK = timedelta(days=14)  # work older than this is not asked about any more
LISTED = 5  # lines per kind of thing waiting


async def _voted(ctx: Context, found: Poll) -> bool:
    latest = await polls.latest_responses(ctx.tx, found.id, found.closes_at)
    return ctx.message.sender in ballots(latest, found.answer_ids, found.max_selections)


def _vote_command(ctx: Context, found: Poll) -> str:
    return f"{ctx.typed('vote')} {found.ref} 1"


@router.command("polls", alias="sondages")
async def open_polls(ctx: Context) -> Text:
    """The room's open polls: when each closes, its quorum so far, and whether I voted."""
    zone = ZoneInfo(ctx.config.digest.timezone)
    lines = []
    for found in await polls.still_open(ctx.tx, ctx.message.room_id):
        if found.start_event is None:
            continue  # being posted right now
        voted = await _voted(ctx, found)
        line = [
            ctx.t(
                "waiting.poll",
                ref=str(found.ref),
                question=found.question,
                closes=ctx.t.moment(found.closes_at, zone),
            ),
            ctx.t("waiting.voted")
            if voted
            else ctx.t("waiting.not_voted", vote=_vote_command(ctx, found)),
        ]
        so_far = FinalResult.of(await current_tally(ctx.tx, found, found.closes_at))
        verdict = quorum_verdict(found, so_far)
        if verdict is not None and verdict.heads_needed is not None:
            # How many took part, never how: a secret poll's turnout is not its result.
            line.append(ctx.t("waiting.quorum", took=so_far.took_part, needed=verdict.heads_needed))
        lines.append(Text.join(line, " — "))
    if not lines:
        return ctx.t("waiting.no_polls")
    return Text.join([ctx.t("waiting.polls_title"), *lines])


@router.command("me", alias="moi")
async def me(ctx: Context) -> Text:
    """Polls I have not voted in (in the rooms I am in), matches to answer or finish, recent
    work I could witness, reviews asked of me, disputes of my work."""
    me, t = ctx.message.sender, ctx.t
    rooms = [
        room for room in await events.served_rooms(ctx.tx) if me in ctx.transport.room_members(room)
    ]
    lines: list[Text] = []
    for room in rooms:
        for found in await polls.still_open(ctx.tx, room):
            if found.start_event is not None and not await _voted(ctx, found):
                lines.append(
                    t(
                        "waiting.me_poll",
                        ref=str(found.ref),
                        question=found.question,
                        vote=_vote_command(ctx, found),
                    )
                )
    for found_match in await matches.of_member(ctx.tx, me, open_only=True):
        ref, skill = str(found_match.ref), found_match.skill_name
        match_command = ctx.typed("match")
        if found_match.state == "asked" and found_match.mentor == me:
            lines.append(
                t(
                    "waiting.me_match_asked",
                    ref=ref,
                    skill=skill,
                    accept=f"{match_command} {t.raw('matching.verb.accept')} {ref}",
                    decline=f"{match_command} {t.raw('matching.verb.decline')} {ref}",
                )
            )
        elif found_match.state == "accepted":
            lines.append(
                t(
                    "waiting.me_match_accepted",
                    ref=ref,
                    skill=skill,
                    done=f"{match_command} {t.raw('matching.verb.done')} {ref}",
                )
            )
    required = ctx.config.contributions.confirmations_required
    since = ctx.clock.now() - RECENT_WORK
    for work in await contributions.awaiting_witness(ctx.tx, me, rooms, required, since, LISTED):
        lines.append(
            t(
                "waiting.me_confirm",
                ref=str(work.ref),
                name=work.member_name,
                what=work.what,
                confirm=f"{ctx.typed('confirm')} {work.ref}",
            )
        )
    for review in await contributions.reviews(ctx.tx, reviewer=me):
        if review.verdict is None:
            lines.append(
                t(
                    "waiting.me_review",
                    ref=str(review.ref),
                    confirm=f"{ctx.typed('confirm')} {review.ref}",
                    contest=f"{ctx.typed('contest')} {review.ref} : …",
                )
            )
    now, zone = ctx.clock.now(), ZoneInfo(ctx.config.digest.timezone)
    for workshop in (await workshops.signed_up_by(ctx.tx, me, now))[:1]:
        lines.append(
            t(
                "waiting.me_workshop",
                ref=str(workshop.ref),
                skill=workshop.skill_name,
                when=t.moment(workshop.starts_at, zone),
                leave=f"{ctx.typed('leave')} {workshop.ref}",
            )
        )
    for workshop in await workshops.hosted_by(ctx.tx, me):
        if workshop.is_upcoming and workshop.starts_at <= now:
            lines.append(
                t(
                    "waiting.me_workshop_held",
                    ref=str(workshop.ref),
                    done=f"{ctx.typed('workshop')} {t.raw('workshops.verb.done')} {workshop.ref}",
                )
            )
    for dispute in await contributions.open_disputes_on(ctx.tx, me):
        lines.append(t("waiting.me_disputed", ref=str(dispute.ref), reason=dispute.reason))
    if not lines:
        return t("waiting.me_nothing", name=ctx.message.sender_name)
    return Text.join([t("waiting.me_title", name=ctx.message.sender_name), *lines])
