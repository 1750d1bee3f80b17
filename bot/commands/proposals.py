"""``!proposal`` and ``!object``: deciding by consent ("par consentement"). A proposal passes
unless someone raises a reasoned objection: a native poll with the answers consent,
objection and abstain, where an objection is never outweighed and must say why. The author
may amend it, which opens a new round linked to the one it replaces.
"""

from __future__ import annotations

from dataclasses import replace

from bot.commands.dispatcher import Context
from bot.commands.lookup import expect_ref
from bot.commands.polls import check_question, open_vote, read_options
from bot.commands.router import (
    Answer,
    Denied,
    EventContext,
    Examples,
    NotFound,
    RestOfLine,
    Router,
    UsageError,
    Word,
)
from bot.domain.ledger import RefKind, parse_ref
from bot.i18n import Text
from bot.messages import IncomingPollResponse, Reply, transaction_id
from bot.store import polls
from bot.store.polls import Poll

router = Router()

MAX_REASON_LENGTH = 500


def _not_an_amendment(text: str) -> bool:
    """ "Amend the statutes: …" is a proposal; "amend p4 : …" amends p4."""
    words = text.split()
    return len(words) < 2 or parse_ref(words[1]) is None


@router.command(
    "proposal",
    alias="proposition",
    params=(RestOfLine("proposal", missing="proposals.missing_text"),),
    examples=Examples(
        fr=("On repeint l'atelier en mars", "--quorum 50% --fin 5j On repeint l'atelier en mars"),
        en=(
            "We repaint the workshop in March",
            "--quorum 50% --closes 5d We repaint the workshop in March",
        ),
    ),
    literal=_not_an_amendment,
)
async def proposal(ctx: Context, proposal: str) -> Answer:
    """A new proposal, options first."""
    options = read_options(proposal)
    check_question(options.rest)
    request = replace(options.request, question=options.rest, answers=_answers(ctx), multi=False)
    return await open_vote(ctx, request, kind="proposal")


def _answers(ctx: Context) -> tuple[str, str]:
    """Consent, then objection (``Poll.objection_id`` is the second); abstain is added last."""
    return ctx.t.raw("proposals.consent_answer"), ctx.t.raw("proposals.objection_answer")


@router.subcommand(
    "proposal",
    "amend",
    label="proposals.verb.amend",
    params=(Word("poll_ref"), RestOfLine("proposal", missing="proposals.missing_text")),
    examples=Examples(
        fr=("p4 : On repeint l'atelier en avril",), en=("p4 : We repaint the workshop in April",)
    ),
    also=("amend", "amender", "modifier"),
)
async def amend(ctx: Context, poll_ref: str, proposal: str) -> Answer:
    """The author's new text: a new round, linked, with the same quorum and length."""
    text = proposal.strip().removeprefix(":")
    found = await _proposal(ctx, poll_ref)
    if found.creator != ctx.message.sender:
        raise Denied("proposals.amend_denied", ref=str(found.ref))
    if not found.is_open:
        raise Denied("proposals.amend_closed", ref=str(found.ref))
    check_question(text.strip())
    lasted = found.closes_at - found.opened_at
    request = replace(
        read_options("").request,
        question=text.strip(),
        answers=_answers(ctx),
        closes=f"{int(lasted.total_seconds())}s",
        quorum=found.quorum,
        equal=found.equal,
    )
    answer = await open_vote(ctx, request, kind="proposal", amends=found)
    await polls.bring_forward(ctx.tx, found.id, ctx.clock.now())
    keeper, post_new_round = ctx.poll_keeper, answer.follow_up
    assert post_new_round is not None

    async def then_close_the_old_one() -> Text | None:
        said = await post_new_round()
        await keeper.close(found.id, unread_history_ok=True)
        return said

    return replace(answer, follow_up=then_close_the_old_one)


async def _proposal(ctx: Context, typed_ref: str) -> Poll:
    ref = expect_ref(typed_ref, RefKind.POLL)
    found = await polls.get(ctx.tx, ref.number)
    if found is None or found.room_id != ctx.message.room_id or not found.is_proposal:
        raise NotFound("proposals.no_such_proposal", ref=str(ref))
    return found


@router.command(
    "object",
    alias="objecter",
    params=(Word("poll_ref"), RestOfLine("reason", missing="proposals.missing_reason")),
    examples=Examples(
        fr=("p4 : le budget n'est pas encore connu",), en=("p4 : the budget is not known yet",)
    ),
)
async def object_to(ctx: Context, poll_ref: str, reason: str) -> Answer:
    """An objection is a vote and its reason, both recorded; the reason is shown, with the
    name, in the proposal's thread."""
    reason = reason.strip().removeprefix(":").strip()
    if not reason:
        raise UsageError("proposals.missing_reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise UsageError("proposals.reason_too_long", limit=MAX_REASON_LENGTH)
    found = await _proposal(ctx, poll_ref)
    if not found.is_open or ctx.message.sent_at > found.closes_at:
        raise Denied("proposals.closed", ref=str(found.ref))
    assert found.objection_id is not None
    await polls.record_response(
        ctx.tx,
        found.id,
        ctx.message.event_id,
        ctx.message.sender,
        (found.objection_id,),
        ctx.message.sent_at,
        typed=True,
    )
    await polls.object_to(ctx.tx, found.id, ctx.message.sender, reason, ctx.message.sent_at)
    answer = ctx.t("proposals.objected", ref=str(found.ref), reason=reason)
    thread = found.result_thread
    if thread is None or ctx.message.thread_root == thread:
        return Answer(answer)  # the reply is in the thread already
    shown = ctx.t(
        "proposals.objection_listed",
        name=ctx.message.sender_name,
        ref=str(found.ref),
        reason=reason,
    )
    transport, room, txn_id = (
        ctx.transport,
        found.room_id,
        transaction_id("objection", ctx.message.event_id),
    )

    async def list_it_in_the_thread() -> Text | None:
        await transport.post(room, shown, txn_id, thread_root=thread)
        return None

    return Answer(answer, follow_up=list_it_in_the_thread)


@router.on_poll_response
async def ask_for_a_reason(ctx: EventContext, response: IncomingPollResponse) -> None:
    """A click on "objection" with no reason given yet: the bot asks for one, in the
    proposal's thread, pinging the objector (once per click)."""
    found = await polls.by_start_event(ctx.tx, response.poll_event)
    if found is None or found.objection_id is None or not found.is_open:
        return
    if response.answers != (found.objection_id,) or found.start_event is None:
        return
    if response.sender in await polls.objections(ctx.tx, found.id):
        return
    text = ctx.config.catalogue()(
        "proposals.reason_asked", ref=str(found.ref), prefix=ctx.config.bot.command_prefix
    )
    await ctx.owe(
        Reply(
            room_id=found.room_id,
            text=text,
            in_reply_to=found.start_event,
            txn_id=transaction_id("reason-asked", response.event_id),
            thread_root=found.result_thread,
            mentions=(response.sender,),
        )
    )
