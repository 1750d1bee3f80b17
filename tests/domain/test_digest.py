"""The digest as a pure function from what the store read to a value, and that value rendered:
lists cut with "and N more", empty sections left out, no ranking of people, both languages,
user text escaped."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from bot.digest import render
from bot.domain.digest import (
    Candidates,
    ClosedPoll,
    Counted,
    DomainWork,
    Helper,
    MatchNews,
    News,
    OpenPoll,
    Posted,
    Thanks,
    assemble,
    counted,
    outcome,
)
from bot.domain.ledger import Ref, RefKind
from bot.domain.matching import History, Offer, Weights
from bot.domain.schedule import Period
from bot.domain.tally import FinalResult
from bot.i18n import Catalogue
from bot.i18n.types import Language

PARIS = ZoneInfo("Europe/Paris")
END = datetime(2026, 11, 2, 8, tzinfo=UTC)  # Monday 09:00 in Paris
PERIOD = Period(END - timedelta(weeks=1), END)
HOSTILE = '<b>&"x"'
WOOD, POTTERY = 1, 2
NOBODY = Candidates((), History({}, {}), {})


def quiet_news(**changes: object) -> News:
    news = News(
        period=PERIOD,
        newcomers=Counted((), 0),
        offers=Counted((), 0),
        needs=Counted((), 0),
        waiting=Counted((), 0),
        candidates=NOBODY,
        started=Counted((), 0),
        finished=Counted((), 0),
        work=(),
        thanks=Counted((), 0),
        closed_polls=Counted((), 0),
        open_polls=Counted((), 0),
    )
    return replace(news, **changes)  # type: ignore[arg-type]


def need(
    number: int,
    member: str,
    skill: int = WOOD,
    level: int = 1,
    days_ago: int = 1,
    matched: bool = False,
) -> Posted:
    return Posted(
        Ref(RefKind.NEED, number),
        member,
        display(member),
        skill,
        "woodworking" if skill == WOOD else "pottery",
        level,
        END - timedelta(days=days_ago),
        matched,
    )


def offer(number: int, member: str, level: int = 3, left: int = 2, skill: int = WOOD) -> Offer:
    return Offer(number, member, skill, level, left)


def display(member: str) -> str:
    """``@chloe:x`` is shown as Chloe."""
    return member[1:].split(":")[0].title()


def people(*offers: Offer) -> Candidates:
    return Candidates(
        offers, History({}, {}), {each.member: display(each.member) for each in offers}
    )


def plain(news: News, language: Language = "en", late: bool = False) -> str:
    return render(assemble(news, Weights()), Catalogue(language), PARIS, late=late).plain


# --- sections -------------------------------------------------------------------------------


def test_a_period_without_news_is_quiet() -> None:
    digest = assemble(quiet_news(), Weights())
    assert digest.quiet
    assert plain(quiet_news()).splitlines() == [
        "Community digest, 26 October to 2 November 2026",
        "",
        "A quiet period: nothing new to report.",
    ]


def test_sections_without_news_are_left_out() -> None:
    digest = assemble(quiet_news(newcomers=counted(["Alice", "Bob"])), Weights())
    assert digest.newcomers == Counted(("Alice", "Bob"), 2)
    assert not digest.quiet
    assert [digest.offers, digest.needs, digest.waiting, digest.pairs, digest.work] == [None] * 5
    assert plain(quiet_news(newcomers=counted(["Alice", "Bob"]))).splitlines()[2:] == [
        "Welcome",
        "• Alice",
        "• Bob",
    ]


def test_long_lists_end_with_how_many_more() -> None:
    names = [f"Member {number}" for number in range(12)]
    digest = assemble(quiet_news(newcomers=counted(names)), Weights(), cap=5)
    assert digest.newcomers is not None
    assert digest.newcomers.items == tuple(names[:5])
    assert digest.newcomers.more == 7
    text = plain(quiet_news(newcomers=Counted(tuple(names[:5]), 40)))
    assert text.splitlines()[-1] == "• … and 35 more"
    assert "Member 4" in text


def test_a_bounded_count_says_over() -> None:
    waiting = Counted((need(1, "@a:x", days_ago=30),), 100, exact=False)
    text = plain(quiet_news(waiting=waiting), "fr")
    assert text.splitlines()[-1] == "• … et plus de 99 autres"


def test_each_section_in_reading_order_in_both_languages() -> None:
    busy = quiet_news(
        newcomers=counted(["Dora"]),
        offers=counted([replace(need(7, "@chloe:x", level=4), ref=Ref(RefKind.OFFER, 7))]),
        needs=counted([need(8, "@bob:x")]),
        waiting=counted([need(2, "@alice:x", days_ago=40)]),
        candidates=people(offer(5, "@chloe:x")),
        started=counted([MatchNews(Ref(RefKind.MATCH, 3), "Bob", "Chloé", "pottery")]),
        finished=counted([MatchNews(Ref(RefKind.MATCH, 1), None, "Chloé", "pottery")]),
        work=(DomainWork("habitat", 3, 270), DomainWork("", 1, 0)),
        thanks=counted([Thanks("Alice", "Bob", "fixed the door", 90)]),
        closed_polls=counted(
            [ClosedPoll(Ref(RefKind.POLL, 1), "Dinner?", ("Yes", "No"), True, None)]
        ),
        open_polls=counted(
            [OpenPoll(Ref(RefKind.POLL, 2), "Lunch?", datetime(2026, 11, 6, 17, tzinfo=UTC))]
        ),
    )
    english = plain(busy, "en", late=True)
    assert [line for line in english.splitlines() if line and not line.startswith("•")] == [
        "Community digest, 26 October to 2 November 2026",
        "This digest is late: it was due on Monday 2 November 2026 at 09:00 (Europe/Paris).",
        "Welcome",
        "New offers",
        "New needs",
        "Needs waiting longest",
        "Suggested pairs",
        "Matches started",
        "Matches finished",
        "Work for the group: 4h30 in 4 contribution(s)",
        "Thanks given",
        "Polls closed",
        "Polls open",
    ]
    assert "• Chloe offers woodworking (level 4) — o7" in english
    assert "• Alice, woodworking (level 1) — n2, since 23 September 2026; could help: " in english
    assert "• Chloe could mentor Alice in woodworking (o5 → n2)" in english
    assert "• Chloé mentored (a former member) in pottery — m1" in english
    assert "• habitat: 4h30 in 3 contribution(s)" in english
    assert "• no domain: 1 contribution(s)" in english
    assert "• Alice thanks Bob: fixed the door (1h30)" in english
    assert "• p1 “Dinner?”: no votes" in english
    assert "• p2 “Lunch?” — until Friday 6 November 2026 at 18:00 (Europe/Paris)" in english
    french = plain(busy, "fr")
    assert "Bilan de la communauté, du 26 octobre au 2 novembre 2026" in french
    assert "• Chloé a accompagné (membre parti·e) en pottery — m1" in french
    assert "• p2 « Lunch? » — jusqu'au vendredi 6 novembre 2026 à 18:00 (Europe/Paris)" in french
    assert "en retard" not in french


# --- no leaderboard -------------------------------------------------------------------------


def test_work_is_totalled_by_domain_never_by_person() -> None:
    domains = tuple(DomainWork(f"domain {n}", n, n * 60) for n in range(1, 8))
    digest = assemble(quiet_news(work=domains), Weights(), cap=5)
    assert digest.work is not None
    assert (digest.work.contributions, digest.work.minutes) == (28, 28 * 60)
    assert [each.domain for each in digest.work.domains.items] == [
        f"domain {n}" for n in (7, 6, 5, 4, 3)
    ]
    assert digest.work.domains.more == 2
    assert set(vars(digest.work.domains.items[0])) == {"domain", "contributions", "minutes"}


def test_people_keep_the_order_of_their_dates_whatever_they_did() -> None:
    thanks = [
        Thanks("Alice", "Bob", "a little", 30),
        Thanks("Bob", "Chloé", "a lot", 600),
        Thanks(None, "Alice", "some", None),
    ]
    digest = assemble(quiet_news(thanks=counted(thanks)), Weights())
    assert digest.thanks is not None
    assert list(digest.thanks.items) == thanks
    lines = plain(quiet_news(thanks=counted(thanks))).splitlines()[-3:]
    assert lines == [
        "• Alice thanks Bob: a little (30min)",
        "• Bob thanks Chloé: a lot (10h)",
        "• (a former member) thanks Alice: some",
    ]


# --- who could help, suggested pairs ----------------------------------------------------------


def test_a_waiting_need_names_its_best_helpers_near_its_level() -> None:
    waiting = counted([need(1, "@alice:x", level=1, days_ago=60)])
    candidates = people(offer(10, "@expert:x", level=5), offer(11, "@peer:x", level=2))
    digest = assemble(quiet_news(waiting=waiting, candidates=candidates), Weights())
    assert digest.waiting is not None
    assert digest.waiting.items[0].helpers == (
        Helper("Peer", Ref(RefKind.OFFER, 11)),
        Helper("Expert", Ref(RefKind.OFFER, 10)),
    )


def test_suggested_pairs_respect_capacity_and_skip_needs_already_matched() -> None:
    needs = counted(
        [
            need(1, "@alice:x"),
            need(2, "@bob:x"),
            need(3, "@chloe:x", matched=True),
            need(4, "@dora:x", skill=POTTERY),
        ]
    )
    candidates = people(offer(10, "@mentor:x", left=1))
    digest = assemble(quiet_news(needs=needs, candidates=candidates), Weights())
    assert digest.pairs is not None
    assert len(digest.pairs.items) == 1
    assert digest.pairs.items[0].offer == Ref(RefKind.OFFER, 10)
    assert digest.pairs.items[0].need in (Ref(RefKind.NEED, 1), Ref(RefKind.NEED, 2))


def test_only_the_needs_shown_get_pairs() -> None:
    needs = counted([need(number, f"@m{number}:x") for number in range(1, 9)])
    candidates = people(offer(10, "@mentor:x", left=8))
    digest = assemble(quiet_news(needs=needs, candidates=candidates), Weights(), cap=3)
    assert digest.pairs is not None
    assert [pair.need.number for pair in digest.pairs.items] == [1, 2, 3]


def test_no_offer_no_pair_section() -> None:
    digest = assemble(quiet_news(needs=counted([need(1, "@a:x")])), Weights())
    assert digest.pairs is None
    assert digest.needs is not None


# --- polls ----------------------------------------------------------------------------------


def poll(equal: bool, *answers: tuple[int, float]) -> ClosedPoll:
    result = FinalResult(
        voters=sum(voters for voters, _ in answers),
        total_weight=sum(weight for _, weight in answers),
        answer_voters=tuple(voters for voters, _ in answers),
        answer_weights=tuple(weight for _, weight in answers),
    )
    return ClosedPoll(Ref(RefKind.POLL, 4), "Paint?", ("Red", "Blue", "Green"), equal, result)


def test_a_weighted_poll_is_led_by_weight_not_head_count() -> None:
    found = outcome(poll(False, (5, 5.0), (3, 7.5), (0, 0.0)))
    assert (found.leading, found.voters, found.votes) == (("Blue",), 8, 3)
    assert found.share == pytest.approx(0.6)
    text = plain(quiet_news(closed_polls=counted([poll(False, (5, 5.0), (3, 7.5), (0, 0.0))])))
    assert text.splitlines()[-1] == "• p4 “Paint?” → Blue (60% of the weight, 8 voter(s))"


def test_an_equal_poll_is_led_by_head_count_and_ties_show_every_answer() -> None:
    tied = poll(True, (4, 4.0), (4, 4.0), (1, 1.0))
    assert outcome(tied).leading == ("Red", "Blue")
    assert outcome(tied).share is None
    text = plain(quiet_news(closed_polls=counted([tied])), "fr")
    assert text.splitlines()[-1] == "• p4 « Paint? » → Red / Blue (4 voix sur 9 votant·e(s))"


def test_a_poll_closed_without_votes_says_so() -> None:
    assert outcome(poll(False, (0, 0.0), (0, 0.0), (0, 0.0))).leading == ()
    empty = ClosedPoll(Ref(RefKind.POLL, 4), "Paint?", ("Red", "Blue"), False, None)
    assert outcome(empty).voters == 0


# --- dates ----------------------------------------------------------------------------------


def test_the_title_shows_local_days_and_a_period_ending_at_midnight_ends_the_day_before() -> None:
    period = Period(datetime(2026, 10, 25, 23, tzinfo=UTC), datetime(2026, 10, 31, 23, tzinfo=UTC))
    assert plain(quiet_news(period=period), "fr").splitlines()[0] == (
        "Bilan de la communauté, du 26 octobre au 31 octobre 2026"
    )
    period = Period(datetime(2026, 10, 25, 23, tzinfo=UTC), datetime(2026, 11, 1, 8, tzinfo=UTC))
    assert plain(quiet_news(period=period), "fr").splitlines()[0] == (
        "Bilan de la communauté, du 26 octobre au 1er novembre 2026"
    )


def test_a_period_across_new_year_names_both_years() -> None:
    period = Period(datetime(2026, 12, 28, 8, tzinfo=UTC), datetime(2027, 1, 4, 8, tzinfo=UTC))
    assert plain(quiet_news(period=period)).splitlines()[0] == (
        "Community digest, 28 December 2026 to 4 January 2027"
    )


def test_a_period_within_one_day_names_it_once() -> None:
    period = Period(END, END + timedelta(hours=2))
    assert plain(quiet_news(period=period)).splitlines()[0] == "Community digest, 2 November 2026"


# --- escaping -------------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag


@pytest.mark.parametrize("language", ["fr", "en"])
def test_hostile_names_skills_questions_and_work_are_escaped(language: Language) -> None:
    hostile_need = replace(need(1, "@h:x", days_ago=30), name=HOSTILE, skill=HOSTILE)
    hostile = quiet_news(
        newcomers=counted([HOSTILE]),
        needs=counted([hostile_need]),
        waiting=counted([replace(hostile_need, ref=Ref(RefKind.NEED, 2))]),
        candidates=Candidates((offer(9, "@m:x"),), History({}, {}), {"@m:x": HOSTILE}),
        started=counted([MatchNews(Ref(RefKind.MATCH, 1), HOSTILE, HOSTILE, HOSTILE)]),
        work=(DomainWork(HOSTILE, 1, 60),),
        thanks=counted([Thanks(HOSTILE, HOSTILE, HOSTILE, None)]),
        closed_polls=counted(
            [ClosedPoll(Ref(RefKind.POLL, 1), HOSTILE, (HOSTILE,), True, poll(True, (1, 1)).result)]
        ),
        open_polls=counted([OpenPoll(Ref(RefKind.POLL, 2), HOSTILE, END)]),
    )
    text = render(assemble(hostile, Weights()), Catalogue(language), PARIS)
    assert HOSTILE not in text.html
    assert text.html.count("&lt;b&gt;&amp;") >= 12
    assert text.plain.count(HOSTILE) >= 12
    checker = _Tags()
    checker.feed(text.html)
    checker.close()
    assert checker.open == []
    assert set(checker.tags) <= {"h4", "p", "i", "b", "ul", "li"}
