"""A closed poll's result as a chart in its thread, after the text: per answer its share of
the weight beside its share of the voters, the turnout against the quorum, the abstentions
apart; with the result in one line for whoever cannot see it."""

from __future__ import annotations

import asyncio
import logging

from bot import charts
from bot.domain.quorum import Verdict
from bot.domain.tally import FinalResult
from bot.i18n import Catalogue, Text
from bot.messages import Transport, transaction_id
from bot.store.polls import Poll

log = logging.getLogger(__name__)


async def post(transport: Transport, t: Catalogue, closed: Poll, verdict: Verdict | None) -> None:
    """Drawn off the event loop and posted once: its transaction id is made from the poll. A
    chart that cannot be drawn or posted is logged, no more: the text has said it all."""
    assert closed.start_event is not None
    assert closed.result is not None
    try:
        chart = chart_of(t, closed, closed.result, verdict)
        png = await asyncio.to_thread(charts.draw_poll, chart)
        await transport.post_image(
            closed.room_id,
            png,
            alt_text(t, closed, closed.result),
            transaction_id("poll-chart", closed.room_id, closed.start_event),
            thread_root=closed.result_thread,
        )
    except Exception:
        log.exception("could not post the chart of %s in %s", closed.ref, closed.room_id)


def chart_of(
    t: Catalogue, found: Poll, result: FinalResult, verdict: Verdict | None
) -> charts.PollChart:
    """What the chart shows, in the community's language. One member, one vote: the share of
    the voters alone (the weights are all 1)."""
    heads = tuple(
        _share(t, voters / result.voters if result.voters else 0.0)
        for voters in result.answer_voters
    )
    weighted = tuple(
        _share(t, weight / result.total_weight if result.total_weight else 0.0)
        for weight in result.answer_weights
    )
    turnout = () if verdict is None else _turnout(t, found, result, verdict)
    return charts.PollChart(
        title=t("polls.final_title", ref=str(found.ref), question=found.question).plain,
        answers=tuple(f"{number}. {answer}" for number, answer in enumerate(found.choices, 1)),
        heads=heads,
        heads_label=t.raw("polls.chart_heads"),
        weighted=None if found.equal else weighted,
        weighted_label=t.raw("polls.chart_weighted"),
        turnout=turnout,
        turnout_title=t.raw("polls.chart_turnout"),
        voted_label=t.raw("polls.chart_voted"),
        abstained_label=t.raw("polls.chart_abstained") if found.abstain else "",
        needed_label=t.raw("polls.chart_needed"),
        note=_abstentions(t, found, result),
    )


def alt_text(t: Catalogue, found: Poll, result: FinalResult) -> str:
    """The result in one line: each answer's share (of the weight, or of the voters when all
    weigh 1) and votes, then the abstentions."""
    parts = [
        t(
            "polls.chart_alt_answer",
            number=number,
            answer=answer,
            share=t.number(100 * weight / result.total_weight if result.total_weight else 0, 0),
            voters=voters,
        )
        for number, (answer, voters, weight) in enumerate(
            zip(found.choices, result.answer_voters, result.answer_weights, strict=True), 1
        )
    ]
    if found.abstain:
        parts.append(t("polls.chart_alt_abstentions", count=result.abstentions))
    answers = Text.join(parts, ", ")
    return t("polls.chart_alt", ref=str(found.ref), question=found.question, answers=answers).plain


def _share(t: Catalogue, share: float) -> charts.Share:
    return charts.Share(share, t("polls.chart_share", share=t.number(100 * share, 0)).plain)


def _turnout(
    t: Catalogue, found: Poll, result: FinalResult, verdict: Verdict
) -> tuple[charts.Turnout, ...]:
    """A bar for each rule the quorum has, in shares of the room as it stood at the opening."""
    bars = []
    if verdict.heads_needed is not None and found.members:
        members = found.members
        label = t(
            "polls.chart_turnout_heads",
            took=result.took_part,
            members=members,
            needed=verdict.heads_needed,
        )
        bars.append(
            charts.Turnout(
                label.plain,
                result.voters / members,
                result.abstentions / members,
                verdict.heads_needed / members,
            )
        )
    total = found.members_weight or float(found.members or 0)
    if verdict.weight_needed is not None and total > 0:
        label = t(
            "polls.chart_turnout_weight",
            took=t.number(result.weight_taking_part, 2),
            total=t.number(total, 2),
            needed=t.number(verdict.weight_needed, 2),
        )
        bars.append(
            charts.Turnout(
                label.plain,
                result.total_weight / total,
                result.abstention_weight / total,
                verdict.weight_needed / total,
            )
        )
    return tuple(bars)


def _abstentions(t: Catalogue, found: Poll, result: FinalResult) -> str:
    if not found.abstain:
        return ""
    return t(
        "polls.result_abstentions",
        count=result.abstentions,
        weight=t.number(result.abstention_weight, 2),
    ).plain
