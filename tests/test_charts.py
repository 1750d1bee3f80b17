"""The charts posted after a poll's result and after the digest: PNG of a size known in
advance, the same bytes for the same values, words in the community's language, long member
text shortened, and none of it tripping on what members type."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import charts, poll_charts
from bot.digest import work_alt, work_chart
from bot.domain.quorum import Quorum, Turnout, judge
from bot.domain.tally import FinalResult
from bot.i18n import Catalogue
from bot.i18n.types import Language
from bot.store.polls import Poll

OPENED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")
# Bob (weight 2) and Chloé chose "bike", Alice "sewing"; Dan abstained.
RESULT = FinalResult(
    voters=3,
    total_weight=4.0,
    answer_voters=(2, 1),
    answer_weights=(3.0, 1.0),
    abstentions=1,
    abstention_weight=1.5,
)


def closed_poll(answers: tuple[str, ...] = ("bike", "sewing"), **changes: object) -> Poll:
    values: dict[str, object] = {
        "id": 3,
        "room_id": "!room:test",
        "creator": "@alice:test",
        "question": "Which workshop in January?",
        "answers": answers,
        "max_selections": 1,
        "secret": False,
        "equal": False,
        "domain": None,
        "opened_at": OPENED,
        "closes_at": OPENED,
        "closed_at": OPENED,
        "start_event": "$start",
        "end_event": "$end",
        "result": RESULT,
        **changes,
    }
    return Poll(**values)  # type: ignore[arg-type]


QUORUM_POLL = closed_poll(
    ("bike", "sewing", "Abstain"),
    abstain=True,
    quorum=Quorum(heads=0.5, weight=0.5),
    members=8,
    members_weight=12.0,
)


def chart_in(language: Language, poll: Poll = QUORUM_POLL) -> charts.PollChart:
    verdict = None
    if poll.quorum.asked and poll.members is not None:
        turnout = Turnout(8, 12.0, RESULT.took_part, RESULT.weight_taking_part)
        verdict = judge(poll.quorum, turnout)
    return poll_charts.chart_of(Catalogue(language), poll, RESULT, verdict)


def test_a_poll_chart_is_a_png_as_wide_as_every_chart_and_taller_with_each_answer() -> None:
    plain = chart_in("en", closed_poll())
    png = charts.draw_poll(plain)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert charts.png_size(png) == (800, 90 + 2 * 44 + 20)
    assert charts.png_size(charts.draw_poll(chart_in("en"))) == (800, 198 + 50 + 2 * 34 + 30)


def test_the_same_result_gives_the_same_bytes() -> None:
    assert charts.draw_poll(chart_in("fr")) == charts.draw_poll(chart_in("fr"))
    weeks = {"habitat": (60, 0, 90), "soin": (0, 30, 0)}
    drawn = [charts.draw_work(work_chart(Catalogue("fr"), PARIS, OPENED, weeks)) for _ in range(2)]
    assert drawn[0] == drawn[1]
    assert b"Software" not in drawn[0]
    assert b"atplotlib" not in charts.draw_poll(chart_in("en"))


def test_each_answer_has_its_share_of_the_weight_beside_its_share_of_the_voters() -> None:
    chart = chart_in("en")
    assert chart.answers == ("1. bike", "2. sewing")
    assert chart.weighted is not None
    assert [(share.value, share.label) for share in chart.weighted] == [
        (0.75, "75%"),
        (0.25, "25%"),
    ]
    assert [share.label for share in chart.heads] == ["67%", "33%"]
    assert chart.note.startswith("Abstentions: 1 (weight 1.5)")


def test_the_quorum_is_a_line_at_the_turnout_needed_with_abstentions_stacked_apart() -> None:
    heads, weight = chart_in("en").turnout
    assert heads == charts.Turnout("members: 4 of 8, 4 needed", 3 / 8, 1 / 8, 4 / 8)
    assert weight == charts.Turnout("weight: 5.5 of 12, 6 needed", 4 / 12, 1.5 / 12, 6 / 12)


def test_one_member_one_vote_shows_the_voters_alone() -> None:
    chart = chart_in("en", closed_poll(equal=True))
    assert chart.weighted is None
    assert (chart.turnout, chart.note, chart.abstained_label) == ((), "", "")
    assert charts.png_size(charts.draw_poll(chart)) == (800, 198)


def test_labels_are_in_the_communitys_language() -> None:
    french, english = chart_in("fr"), chart_in("en")
    assert (french.weighted_label, french.heads_label) == ("part du poids", "part des votant·es")
    assert [share.label for share in french.heads] == ["67 %", "33 %"]
    assert french.title == "Résultat du sondage p3 — « Which workshop in January? »"
    assert french.turnout[1].label == "poids : 5,5 sur 12, 6 requis"
    assert charts.draw_poll(french) != charts.draw_poll(english)
    assert poll_charts.alt_text(Catalogue("fr"), QUORUM_POLL, RESULT) == (
        "Graphique du résultat du sondage p3 « Which workshop in January? » : "
        "1. bike : 75 % (2 voix), 2. sewing : 25 % (1 voix), 1 abstention(s)."
    )


def test_long_answers_and_questions_are_shortened_to_one_line() -> None:
    assert charts.shorten("short", 10) == "short"
    assert charts.shorten("a  very\nlong answer indeed", 12) == "a very long…"
    assert len(charts.shorten("x" * 120, 38)) == 38
    long = tuple(f"{number} " + "a long answer, " * 8 for number in range(20))
    chart = poll_charts.chart_of(
        Catalogue("en"),
        closed_poll(long, question="Why? " * 60),
        FinalResult(20, 20.0, (1,) * 20, (1.0,) * 20),
        None,
    )
    assert charts.png_size(charts.draw_poll(chart)) == (800, 90 + 20 * 44 + 20)


@pytest.mark.parametrize("answer", ["$5 or $10?", "a $x^2$ formula", "🎉🦜 party", "\x00tab\t"])
def test_what_members_type_is_drawn_literally_without_a_warning(answer: str) -> None:
    # pytest turns warnings into errors: a missing glyph, a formula that does not parse.
    chart = chart_in("en", closed_poll((answer, "b"), question=answer))
    assert charts.png_size(charts.draw_poll(chart))[0] == 800


def test_the_work_chart_stacks_each_weeks_confirmed_hours_by_domain() -> None:
    weeks = {"habitat": (60, 0, 90), "": (0, 30, 0), "soin": (0, 30, 30)}
    chart = work_chart(Catalogue("fr"), PARIS, OPENED, weeks)
    assert chart.title == "Heures confirmées par domaine, les 3 dernières semaines"
    assert chart.weeks == ("12 octobre", "19 octobre", "26 octobre")
    assert [(each.name, each.hours) for each in chart.domains] == [
        ("habitat", (1.0, 0.0, 1.5)),
        ("soin", (0.0, 0.5, 0.5)),
        ("sans domaine", (0.0, 0.5, 0.0)),
    ]
    assert chart.totals == ("1 h", "1 h", "2 h")
    assert charts.png_size(charts.draw_work(chart)) == (800, 450)
    assert work_alt(Catalogue("en"), weeks) == (
        "Chart of the confirmed hours by domain, the last 3 weeks: "
        "habitat 2.5 h, soin 1 h, no domain 0.5 h."
    )
    assert work_alt(Catalogue("en", {"soin": "care"}), weeks) == (
        "Chart of the confirmed hours by domain, the last 3 weeks: "
        "habitat 2.5 h, care 1 h, no domain 0.5 h."
    )


def test_png_size_refuses_what_is_not_a_png() -> None:
    with pytest.raises(ValueError, match="not a PNG"):
        charts.png_size(b"GIF89a" + b"\x00" * 20)


def test_under_systemd_the_font_cache_goes_to_the_services_cache_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("MPLCONFIGDIR", raising=False)
    monkeypatch.setenv("CACHE_DIRECTORY", str(tmp_path))
    charts._cache_in_the_services_folder()
    assert os.environ["MPLCONFIGDIR"] == str(tmp_path / "matplotlib")
