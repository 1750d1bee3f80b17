"""The digest end to end: read one period, assemble it, render it in the community's language.

``compose`` is what the scheduler posts in each digest room, and ``post_chart`` the chart
that follows it. ``preview`` is what ``!digest preview`` and ``compagnon digest --preview``
show: the period from the last scheduled run up to now, recording nothing. The content is
the whole community's, whichever room it goes to.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from bot import charts
from bot.config import Config
from bot.domain.contributions import NO_DOMAIN
from bot.domain.digest import (
    CAP,
    Counted,
    Digest,
    DomainWork,
    MatchNews,
    OpenPoll,
    Outcome,
    Posted,
    Suggestion,
    Thanks,
    Waiting,
    Work,
    WorkshopNews,
    assemble,
    counted,
)
from bot.domain.ledger import format_minutes
from bot.domain.schedule import Period, next_fire, period_ending
from bot.domain.text import printable
from bot.domain.weighting import WEEK
from bot.i18n import Catalogue, Text
from bot.messages import Transport, transaction_id
from bot.store import digest as store
from bot.store import members, workshops
from bot.store.database import Database, Transaction, existing

T = TypeVar("T")
CHART_WEEKS = 8
log = logging.getLogger(__name__)


async def compose(tx: Transaction, config: Config, period: Period, *, late: bool = False) -> Text:
    """The digest of ``period``; ``late`` adds a line saying it comes after its time."""
    matching = config.matching
    news = await store.news(
        tx,
        period,
        limit=CAP,
        capacity=matching.mentor_capacity,
        per_level=matching.max_suggestions,
    )
    digest = replace(
        assemble(news, matching.scoring()),
        workshops_held=await _workshops(tx, period.start, period.end, held=True),
        workshops_coming=await _workshops(tx, period.end, period.end + WEEK, held=False),
    )
    zone = ZoneInfo(config.digest.timezone)
    return render(digest, config.catalogue(), zone, late=late)


async def _workshops(
    tx: Transaction, since: datetime, until: datetime, *, held: bool
) -> Counted[WorkshopNews] | None:
    """Held: done in the period, with who came; coming: announced for the week after it."""
    found = await (
        workshops.done_between(tx, since, until)
        if held
        else workshops.upcoming(tx, since, until=until)
    )
    if not found:
        return None
    hosts = await members.display_names(tx, [each.host for each in found if each.host])
    news = []
    for each in found[:CAP]:
        signed = await workshops.signups(tx, each)
        news.append(
            WorkshopNews(
                each.ref,
                each.skill_name,
                hosts.get(each.host or "", "—"),
                each.starts_at,
                len(signed.coming),
            )
        )
    return counted(news, len(found))


async def preview(tx: Transaction, config: Config, now: datetime) -> Text:
    """What the digest would say now: from its last scheduled run up to ``now``."""
    trigger = config.digest.trigger()
    text = await compose(tx, config, period_ending(trigger, now))
    t, zone = config.catalogue(), ZoneInfo(config.digest.timezone)
    return _stack([text, t("digest.preview_note", next=t.moment(next_fire(trigger, now), zone))])


def preview_text(config: Config, now: datetime) -> str:
    """``compagnon digest --preview``: the preview in plain text, from the configured file,
    safe for a terminal whatever older records hold."""
    return printable(asyncio.run(_preview_from(existing(config.database.path), config, now)).plain)


async def _preview_from(path: Path, config: Config, now: datetime) -> Text:
    database = await Database.open(path)
    try:
        async with database.transaction() as tx:
            return await preview(tx, config, now)
    finally:
        await database.close()


# --- the chart after it ---------------------------------------------------------------------


async def post_chart(
    database: Database,
    transport: Transport,
    config: Config,
    room_id: str,
    period_end: datetime,
    digest_txn_id: str,
) -> None:
    """The last weeks' confirmed hours by domain, drawn off the event loop and posted after
    the digest, once (its transaction id is made from the digest's); none without hours. A
    chart that cannot be drawn or posted is logged, no more: the digest has said it all."""
    try:
        async with database.transaction() as tx:
            minutes = await store.weekly_hours(
                tx, period_end, CHART_WEEKS, config.contributions.confirmations_required
            )
        if not minutes:
            return
        t, zone = config.catalogue(), ZoneInfo(config.digest.timezone)
        chart = work_chart(t, zone, period_end, minutes)
        png = await asyncio.to_thread(charts.draw_work, chart)
        alt = work_alt(t, minutes)
        await transport.post_image(room_id, png, alt, transaction_id("chart", digest_txn_id))
    except Exception:
        log.exception("could not post the digest's chart to %s", room_id)


def work_chart(
    t: Catalogue, zone: ZoneInfo, end: datetime, minutes: Mapping[str, Sequence[int]]
) -> charts.WorkChart:
    """One bar a week, named by its first day; the domains with the most hours at the bottom."""
    weeks = len(next(iter(minutes.values())))
    firsts = [(end - timedelta(weeks=weeks - number)).astimezone(zone) for number in range(weeks)]
    ordered = sorted(minutes.items(), key=lambda item: (-sum(item[1]), item[0]))
    totals = [sum(week) / 60 for week in zip(*minutes.values(), strict=True)]
    return charts.WorkChart(
        title=t("digest.chart_title", weeks=weeks).plain,
        weeks=tuple(t.day(first.date(), with_year=False).plain for first in firsts),
        domains=tuple(
            charts.DomainHours(_domain(t, domain), tuple(each / 60 for each in week))
            for domain, week in ordered
        ),
        totals=tuple(
            t("digest.chart_total", hours=t.number(total)).plain if total else ""
            for total in totals
        ),
        axis_label=t.raw("digest.chart_hours"),
        weeks_label=t.raw("digest.chart_weeks"),
    )


def work_alt(t: Catalogue, minutes: Mapping[str, Sequence[int]]) -> str:
    """The chart in one line: each domain's hours over the weeks, the most first."""
    hours = sorted(((sum(week) / 60, domain) for domain, week in minutes.items()), reverse=True)
    domains = Text.join(
        [
            t("digest.chart_alt_domain", domain=_domain(t, domain), hours=t.number(total))
            for total, domain in hours
        ],
        ", ",
    )
    weeks = len(next(iter(minutes.values())))
    return t("digest.chart_alt", weeks=weeks, domains=domains).plain


def _domain(t: Catalogue, domain: str) -> str:
    return t.domain(domain) if domain != NO_DOMAIN else t.raw("digest.no_domain")


# --- rendering ------------------------------------------------------------------------------


def render(digest: Digest, t: Catalogue, zone: ZoneInfo, *, late: bool = False) -> Text:
    """A title with the period's dates, then each section with news, or a word that the
    period was quiet. User text is escaped by the catalogue, never pasted into markup."""
    blocks = [_title(t, digest.period, zone)]
    if late:
        blocks.append(t("digest.late", when=t.moment(digest.period.end, zone)))
    if digest.quiet:
        return _stack([*blocks, t("digest.quiet")])
    sections = [
        _section(t, "newcomers", digest.newcomers, Text.escaped),
        _section(t, "offers", digest.offers, lambda offer: _posted(t, "digest.offer", offer)),
        _section(t, "needs", digest.needs, lambda need: _posted(t, "digest.need", need)),
        _section(t, "waiting", digest.waiting, lambda waiting: _waiting(t, waiting, zone)),
        _section(t, "pairs", digest.pairs, lambda pair: _pair(t, pair)),
        _section(t, "started", digest.started, lambda news: _match(t, "digest.started", news)),
        _section(t, "finished", digest.finished, lambda news: _match(t, "digest.finished", news)),
        _work(t, digest.work),
        _section(t, "thanks", digest.thanks, lambda thanks: _thanks(t, thanks)),
        _section(t, "closed_polls", digest.closed_polls, lambda outcome: _outcome(t, outcome)),
        _section(t, "open_polls", digest.open_polls, lambda poll: _open_poll(t, poll, zone)),
        _section(t, "workshops_held", digest.workshops_held, lambda news: _workshop(t, news, zone)),
        _section(
            t, "workshops_coming", digest.workshops_coming, lambda news: _workshop(t, news, zone)
        ),
    ]
    return _stack([*blocks, *(section for section in sections if section is not None)])


def _section(
    t: Catalogue,
    key: str,
    shown: Counted[T] | None,
    line: Callable[[T], Text],
    title: Text | None = None,
) -> Text | None:
    """A bold title over a list, "and N more" closing it; None for a section without news."""
    if shown is None:
        return None
    items = [t("digest.item", item=line(item)) for item in shown.items]
    if shown.more:
        items.append(t("digest.more" if shown.exact else "digest.more_than", count=shown.more))
    return t("digest.section", title=title or t(f"digest.{key}.title"), items=_lines(items))


def _workshop(t: Catalogue, news: WorkshopNews, zone: ZoneInfo) -> Text:
    return t(
        "digest.workshop",
        ref=str(news.ref),
        skill=news.skill,
        host=news.host,
        when=t.moment(news.at, zone),
        count=news.attended,
    )


def _posted(t: Catalogue, key: str, posted: Posted) -> Text:
    return t(key, name=posted.name, skill=posted.skill, level=posted.level, ref=str(posted.ref))


def _pair(t: Catalogue, pair: Suggestion) -> Text:
    return t(
        "digest.pair",
        mentor=pair.mentor,
        mentee=pair.mentee,
        skill=pair.skill,
        offer=str(pair.offer),
        need=str(pair.need),
    )


def _match(t: Catalogue, key: str, news: MatchNews) -> Text:
    someone = t.raw("matching.someone")  # a side that asked to be forgotten
    return t(
        key,
        mentee=news.mentee or someone,
        mentor=news.mentor or someone,
        skill=news.skill,
        ref=str(news.ref),
    )


def _thanks(t: Catalogue, thanks: Thanks) -> Text:
    by = thanks.by or t.raw("matching.someone")
    if thanks.minutes is None:
        return t("digest.thanks", by=by, name=thanks.member, what=thanks.what)
    hours = format_minutes(thanks.minutes)
    return t("digest.thanks_timed", by=by, name=thanks.member, what=thanks.what, hours=hours)


def _open_poll(t: Catalogue, poll: OpenPoll, zone: ZoneInfo) -> Text:
    deadline = t.moment(poll.closes_at, zone)
    return t("digest.open_poll", ref=str(poll.ref), question=poll.question, deadline=deadline)


def _waiting(t: Catalogue, waiting: Waiting, zone: ZoneInfo) -> Text:
    need = waiting.need
    values: dict[str, str | int | Text] = {
        "name": need.name,
        "skill": need.skill,
        "level": need.level,
        "ref": str(need.ref),
        "since": t.day(need.created_at.astimezone(zone).date()),
    }
    if not waiting.helpers:
        return t("digest.waiting", **values)
    helpers = Text.join(
        [t("digest.helper", name=helper.name, ref=str(helper.offer)) for helper in waiting.helpers],
        ", ",
    )
    return t("digest.waiting_helpers", helpers=helpers, **values)


def _work(t: Catalogue, work: Work | None) -> Text | None:
    """Hours by domain, with the period's totals in the title: never a total per person."""
    if work is None:
        return None
    title = t("digest.work.title", count=work.contributions, hours=format_minutes(work.minutes))

    def line(each: DomainWork) -> Text:
        domain = _domain(t, each.domain)
        if not each.minutes:
            return t("digest.domain_untimed", domain=domain, count=each.contributions)
        return t(
            "digest.domain",
            domain=domain,
            hours=format_minutes(each.minutes),
            count=each.contributions,
        )

    return _section(t, "work", work.domains, line, title)


def _outcome(t: Catalogue, outcome: Outcome) -> Text:
    ref, question = str(outcome.ref), outcome.question
    if not outcome.leading:
        return t("digest.poll_no_votes", ref=ref, question=question)
    answer = Text.join([Text.escaped(each) for each in outcome.leading], " / ")
    if outcome.share is None:
        return t(
            "digest.poll_equal",
            ref=ref,
            question=question,
            answer=answer,
            votes=outcome.votes,
            voters=outcome.voters,
        )
    return t(
        "digest.poll_weighted",
        ref=ref,
        question=question,
        answer=answer,
        share=round(100 * outcome.share),
        voters=outcome.voters,
    )


def _title(t: Catalogue, period: Period, zone: ZoneInfo) -> Text:
    """The period's first and last days; a period ending at midnight ends the day before."""
    first = period.start.astimezone(zone).date()
    last = max(first, (period.end - timedelta(microseconds=1)).astimezone(zone).date())
    if first == last:
        return t("digest.title_day", date=t.day(last))
    return t(
        "digest.title",
        start=t.day(first, with_year=first.year != last.year),
        end=t.day(last),
    )


def _lines(parts: Iterable[Text]) -> Text:
    """List items: one a line in plain text, side by side in HTML (``<li>`` breaks them)."""
    items = list(parts)
    return Text("\n".join(part.plain for part in items), "".join(part.html for part in items))


def _stack(blocks: Iterable[Text]) -> Text:
    """Blocks (title, sections): a blank line apart in plain text, HTML blocks in HTML."""
    items = list(blocks)
    return Text("\n\n".join(part.plain for part in items), "".join(part.html for part in items))
