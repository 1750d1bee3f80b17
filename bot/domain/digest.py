"""The digest as a value: what one period brought, in sections short enough for a chat room.

Each list keeps its first few items and says how many more there were; a section with no
news is left out. It values the work without ranking people: contributions are totalled by
domain, never by person, and people are listed by date, never by how much they did.
Suggestions come from the matching's own score, over the needs the digest shows only, so
the cost stays that of one period whatever the community's history.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from bot.domain.ledger import Ref, RefKind
from bot.domain.matching import History, Need, Offer, Weights, assign, best_for_need
from bot.domain.schedule import Period
from bot.domain.tally import FinalResult

T = TypeVar("T")

CAP = 5  # items per list; the rest are counted
HELPERS = 2  # names given for each waiting need


@dataclass(frozen=True)
class WorkshopNews:
    ref: Ref
    skill: str
    host: str
    at: datetime
    attended: int  # held: who came; coming: who signed up


@dataclass(frozen=True)
class Counted(Generic[T]):
    """The first items of a list and how long the whole list is: exactly, or at least."""

    items: tuple[T, ...]
    total: int
    exact: bool = True

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def counted(items: Sequence[T], total: int | None = None) -> Counted[T]:
    return Counted(tuple(items), len(items) if total is None else total)


@dataclass(frozen=True)
class Posted:
    """An offer or a need: a line of the digest, and for a need, what the matching reads."""

    ref: Ref
    member: str
    name: str
    skill_id: int
    skill: str
    level: int
    created_at: datetime
    matched: bool = False  # a need with an open match already: no pair to suggest for it

    def as_need(self) -> Need:
        return Need(self.ref.number, self.member, self.skill_id, self.level, self.created_at)


@dataclass(frozen=True)
class Candidates:
    """Offers that could serve the needs shown, with the history their scores read and the
    names of the people behind them."""

    offers: tuple[Offer, ...]
    history: History
    names: Mapping[str, str]


@dataclass(frozen=True)
class MatchNews:
    ref: Ref
    mentee: str | None  # None: the member asked to be forgotten
    mentor: str | None
    skill: str


@dataclass(frozen=True)
class DomainWork:
    domain: str
    contributions: int
    minutes: int


@dataclass(frozen=True)
class Thanks:
    by: str | None  # None: the member who thanked asked to be forgotten
    member: str
    what: str
    minutes: int | None


@dataclass(frozen=True)
class ClosedPoll:
    ref: Ref
    question: str
    answers: tuple[str, ...]
    equal: bool  # one member, one vote
    result: FinalResult | None  # as counted at the close


@dataclass(frozen=True)
class OpenPoll:
    ref: Ref
    question: str
    closes_at: datetime


@dataclass(frozen=True)
class News:
    """What the store read about one period."""

    period: Period
    newcomers: Counted[str]
    offers: Counted[Posted]
    needs: Counted[Posted]
    waiting: Counted[Posted]  # open needs from before the period, the oldest first
    candidates: Candidates
    started: Counted[MatchNews]
    finished: Counted[MatchNews]
    work: tuple[DomainWork, ...]  # every domain worked in during the period
    thanks: Counted[Thanks]
    closed_polls: Counted[ClosedPoll]
    open_polls: Counted[OpenPoll]


# --- what the digest says -------------------------------------------------------------------


@dataclass(frozen=True)
class Helper:
    name: str
    offer: Ref


@dataclass(frozen=True)
class Waiting:
    need: Posted
    helpers: tuple[Helper, ...]


@dataclass(frozen=True)
class Suggestion:
    mentee: str
    mentor: str
    skill: str
    need: Ref
    offer: Ref


@dataclass(frozen=True)
class Work:
    """The period's contributions: how many and how long, in all and by domain."""

    contributions: int
    minutes: int
    domains: Counted[DomainWork]


@dataclass(frozen=True)
class Outcome:
    """A closed poll's result: the leading answers (several when tied, none without votes)."""

    ref: Ref
    question: str
    leading: tuple[str, ...]
    voters: int
    votes: int  # members who chose a leading answer
    share: float | None  # of the total weight, for a weighted poll


@dataclass(frozen=True)
class Digest:
    """The sections in reading order; None where the period brought nothing."""

    period: Period
    newcomers: Counted[str] | None
    offers: Counted[Posted] | None
    needs: Counted[Posted] | None
    waiting: Counted[Waiting] | None
    pairs: Counted[Suggestion] | None
    started: Counted[MatchNews] | None
    finished: Counted[MatchNews] | None
    work: Work | None
    thanks: Counted[Thanks] | None
    closed_polls: Counted[Outcome] | None
    open_polls: Counted[OpenPoll] | None
    workshops_held: Counted[WorkshopNews] | None = None  # in the period
    workshops_coming: Counted[WorkshopNews] | None = None  # in the week after it

    @property
    def quiet(self) -> bool:
        return all(
            section is None
            for section in (
                self.newcomers,
                self.offers,
                self.needs,
                self.waiting,
                self.pairs,
                self.started,
                self.finished,
                self.work,
                self.thanks,
                self.closed_polls,
                self.open_polls,
                self.workshops_held,
                self.workshops_coming,
            )
        )


def assemble(news: News, weights: Weights, cap: int = CAP) -> Digest:
    """The digest of ``news``: each list cut to ``cap`` items, empty sections left out.

    Needs are scored as of the period's end, not of the moment the digest is made.
    """
    now = news.period.end
    offers, history = news.candidates.offers, news.candidates.history
    waiting = news.waiting.items[:cap]
    needs = news.needs.items[:cap]
    helped = [
        Waiting(
            need,
            tuple(
                Helper(_name(news.candidates, pair.offer.member), _offer_ref(pair.offer))
                for pair in best_for_need(need.as_need(), offers, history, weights, now, HELPERS)
            ),
        )
        for need in waiting
    ]
    shown = {need.ref.number: need for need in (*waiting, *needs) if not need.matched}
    pairs = assign([need.as_need() for need in shown.values()], offers, history, weights, now)
    position = {number: index for index, number in enumerate(shown)}
    suggestions = [
        Suggestion(
            mentee=shown[pair.need.id].name,
            mentor=_name(news.candidates, pair.offer.member),
            skill=shown[pair.need.id].skill,
            need=shown[pair.need.id].ref,
            offer=_offer_ref(pair.offer),
        )
        for pair in sorted(pairs, key=lambda pair: position[pair.need.id])
    ]
    return Digest(
        period=news.period,
        newcomers=_cut(news.newcomers, cap),
        offers=_cut(news.offers, cap),
        needs=_cut(news.needs, cap),
        waiting=_cut(Counted(tuple(helped), news.waiting.total, news.waiting.exact), cap),
        pairs=_cut(counted(suggestions), cap),
        started=_cut(news.started, cap),
        finished=_cut(news.finished, cap),
        work=_work(news.work, cap),
        thanks=_cut(news.thanks, cap),
        closed_polls=_cut(
            Counted(tuple(map(outcome, news.closed_polls.items)), news.closed_polls.total), cap
        ),
        open_polls=_cut(news.open_polls, cap),
    )


def outcome(poll: ClosedPoll) -> Outcome:
    """The leading answers: by weight, or by head count when it is one member, one vote."""
    result = poll.result
    if result is None or not result.voters:
        return Outcome(poll.ref, poll.question, (), 0, 0, None)
    leading = result.leading(by_heads=poll.equal)
    first = leading[0] if leading else None
    share = None
    if first is not None and not poll.equal and result.total_weight:
        share = result.answer_weights[first] / result.total_weight
    return Outcome(
        ref=poll.ref,
        question=poll.question,
        leading=tuple(poll.answers[index] for index in leading),
        voters=result.voters,
        votes=0 if first is None else result.answer_voters[first],
        share=share,
    )


def _work(domains: Sequence[DomainWork], cap: int) -> Work | None:
    """Totals by domain, the most hours first: domains are compared, never people."""
    if not domains:
        return None
    ordered = sorted(domains, key=lambda each: (-each.minutes, -each.contributions, each.domain))
    return Work(
        contributions=sum(each.contributions for each in domains),
        minutes=sum(each.minutes for each in domains),
        domains=Counted(tuple(ordered[:cap]), len(ordered)),
    )


def _cut(found: Counted[T], cap: int) -> Counted[T] | None:
    return Counted(found.items[:cap], found.total, found.exact) if found.total else None


def _name(candidates: Candidates, member: str) -> str:
    return candidates.names.get(member, member)


def _offer_ref(offer: Offer) -> Ref:
    return Ref(RefKind.OFFER, offer.id)
