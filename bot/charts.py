"""Charts posted after a text: a closed poll's shares, the last weeks' confirmed hours. Plain
values in, whose words the caller wrote in the community's language; PNG bytes out.

matplotlib (numpy and Pillow with it) is imported only when a chart is drawn: ~40 MiB and
most of a second a bot answering ``!help`` for days never pays. It draws on a
``Figure`` of its own with Agg, no pyplot and no GUI, so a worker thread can draw while the
bot goes on answering. The same values give the same bytes: a size set by the values alone,
a fixed dpi, no tight bounding box, no software name or date in the file.
"""

from __future__ import annotations

import functools
import io
import os
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DPI = 100
WIDTH = 800  # pixels, every chart
POLL_TOP, POLL_ROW, POLL_AXIS = 90, 44, 20  # title and legend, one answer, below the bars
TURNOUT_TOP, TURNOUT_ROW = 50, 34  # the quorum panel's title, one of its bars
NOTE = 30  # a line under the chart
LEFT = 260  # room for the answers
WORK_HEIGHT = 450
ANSWER_CHARACTERS, TITLE_CHARACTERS, DOMAIN_CHARACTERS = 38, 95, 22
WEIGHTED, HEADS = "#1f5f8b", "#9cc5e3"
VOTED, ABSTAINED, NEEDED = "#3a7d44", "#b9dcc0", "#c0392b"


@dataclass(frozen=True)
class Share:
    value: float  # 0 to 1
    label: str  # written beside its bar: "45 %"


@dataclass(frozen=True)
class Turnout:
    """One bar of the quorum panel, in shares of what the room could give (0 to 1)."""

    label: str  # "members: 5 of 8, 4 needed"
    voted: float
    abstained: float
    needed: float


@dataclass(frozen=True)
class PollChart:
    title: str
    answers: tuple[str, ...]
    heads: tuple[Share, ...]  # of the voters, each answer
    heads_label: str
    weighted: tuple[Share, ...] | None  # of their weight; None: one member, one vote
    weighted_label: str
    turnout: tuple[Turnout, ...] = ()  # with a quorum: of heads, of weight, or both
    turnout_title: str = ""
    voted_label: str = ""
    abstained_label: str = ""  # "": the poll offered no abstention
    needed_label: str = ""  # the quorum's line
    note: str = ""  # the abstentions, said apart


@dataclass(frozen=True)
class DomainHours:
    name: str
    hours: tuple[float, ...]  # each week, oldest first


@dataclass(frozen=True)
class WorkChart:
    title: str
    weeks: tuple[str, ...]  # labels, oldest first
    domains: tuple[DomainHours, ...]  # stacked in this order, from the bottom
    totals: tuple[str, ...]  # written above each week's bar
    axis_label: str  # of the hours
    weeks_label: str


def poll_size(chart: PollChart) -> tuple[int, int]:
    """Width and height in pixels: taller with each answer, and with the quorum panel."""
    height = POLL_TOP + POLL_ROW * len(chart.answers) + POLL_AXIS
    if chart.turnout:
        height += TURNOUT_TOP + TURNOUT_ROW * len(chart.turnout)
    return WIDTH, height + (NOTE if chart.note else 0)


def draw_poll(chart: PollChart) -> bytes:
    _cache_in_the_services_folder()
    """Per answer, its share of the weight above its share of the voters, labelled; under
    them the turnout against the quorum's dashed line, abstentions stacked apart."""
    width, height = poll_size(chart)
    figure = _titled(width, height, chart.title)
    rows = len(chart.answers)
    axes = figure.add_axes(_box(width, height, LEFT, POLL_TOP, width - LEFT - 60, POLL_ROW * rows))
    positions = range(rows)
    pairs = [(chart.heads, HEADS, chart.heads_label)]
    if chart.weighted is not None:
        pairs.insert(0, (chart.weighted, WEIGHTED, chart.weighted_label))
    thickness = 0.8 / len(pairs)
    for index, (shares, colour, name) in enumerate(pairs):
        offset = (index - (len(pairs) - 1) / 2) * thickness
        bars = axes.barh(
            [position + offset for position in positions],
            [share.value for share in shares],
            height=thickness * 0.9,
            color=colour,
            label=_label(name, TITLE_CHARACTERS),
        )
        axes.bar_label(
            bars, labels=[_label(share.label, 12) for share in shares], padding=3, fontsize=8
        )
    axes.set_yticks(list(positions), labels=[_label(a, ANSWER_CHARACTERS) for a in chart.answers])
    axes.tick_params(axis="y", labelsize=9, length=0)
    axes.set_ylim(rows - 0.5, -0.5)  # the first answer on top
    _shares_axis(axes, 1.0)
    axes.legend(loc="lower left", bbox_to_anchor=(0, 1), ncols=2, frameon=False, fontsize=9)
    if chart.turnout:
        _turnout(figure, chart, width, height, POLL_TOP + POLL_ROW * rows + POLL_AXIS)
    if chart.note:
        figure.text(
            10 / width,
            10 / height,
            _label(chart.note, 2 * TITLE_CHARACTERS),
            fontsize=8,
            va="bottom",
        )
    return _png(figure)


def _turnout(figure: Figure, chart: PollChart, width: int, height: int, top: int) -> None:
    rows = len(chart.turnout)
    axes = figure.add_axes(
        _box(width, height, LEFT, top + TURNOUT_TOP, width - LEFT - 60, TURNOUT_ROW * rows)
    )
    axes.set_title(_label(chart.turnout_title, TITLE_CHARACTERS), loc="left", fontsize=10)
    positions = list(range(rows))
    voted = [bar.voted for bar in chart.turnout]
    axes.barh(positions, voted, height=0.6, color=VOTED, label=_label(chart.voted_label, 30))
    if chart.abstained_label:
        axes.barh(
            positions,
            [bar.abstained for bar in chart.turnout],
            left=voted,
            height=0.6,
            color=ABSTAINED,
            label=_label(chart.abstained_label, 30),
        )
    axes.vlines(
        [bar.needed for bar in chart.turnout],
        [position - 0.42 for position in positions],
        [position + 0.42 for position in positions],
        colors=NEEDED,
        linestyles="dashed",
        linewidth=1.5,
        label=_label(chart.needed_label, 30),
    )
    axes.set_yticks(
        positions, labels=[_label(bar.label, ANSWER_CHARACTERS) for bar in chart.turnout]
    )
    axes.tick_params(axis="y", labelsize=9, length=0)
    axes.set_ylim(rows - 0.5, -0.5)
    most = max(1.0, *(bar.voted + bar.abstained for bar in chart.turnout))
    _shares_axis(axes, most)
    axes.legend(loc="lower right", bbox_to_anchor=(1, 1), ncols=3, frameon=False, fontsize=8)


def _shares_axis(axes: Axes, most: float) -> None:
    """Shares from 0 to all, room for a label beyond the longest bar, gridlines for scale:
    the bars' own labels say the figures."""
    axes.set_xlim(0, most * 1.12)
    axes.set_xticks([most * step / 4 for step in range(5)], labels=[])
    axes.tick_params(axis="x", length=0)
    axes.grid(axis="x", color="#dddddd", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)


def draw_work(chart: WorkChart) -> bytes:
    _cache_in_the_services_folder()
    """One bar a week, stacked by domain, its total above it; the domains' legend aside."""
    from matplotlib.ticker import MaxNLocator

    width, height = WIDTH, WORK_HEIGHT
    figure = _titled(width, height, chart.title)
    axes = figure.add_axes(_box(width, height, 70, 50, 520, 300))
    positions = list(range(len(chart.weeks)))
    palette = _palette(len(chart.domains))
    bottoms = [0.0] * len(positions)
    for colour, domain in zip(palette, chart.domains, strict=True):
        axes.bar(
            positions,
            domain.hours,
            bottom=bottoms,
            width=0.7,
            color=colour,
            label=_label(domain.name, DOMAIN_CHARACTERS),
        )
        bottoms = [below + hours for below, hours in zip(bottoms, domain.hours, strict=True)]
    for position, total, label in zip(positions, bottoms, chart.totals, strict=True):
        axes.text(position, total, _label(label, 12), ha="center", va="bottom", fontsize=8)
    axes.set_ylim(0, max(bottoms, default=0.0) * 1.15 or 1.0)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xticks(positions, labels=[_label(week, 14) for week in chart.weeks])
    axes.tick_params(axis="x", labelsize=8, labelrotation=30)
    for tick in axes.get_xticklabels():
        tick.set_horizontalalignment("right")
    axes.set_ylabel(_label(chart.axis_label, 40), fontsize=9)
    axes.set_xlabel(_label(chart.weeks_label, 80), fontsize=9)
    axes.tick_params(axis="y", labelsize=8)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(loc="upper left", bbox_to_anchor=(1.02, 1), frameon=False, fontsize=9, reverse=True)
    return _png(figure)


def shorten(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters, an ellipsis saying something was cut."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG's header (its first chunk), as Matrix's ``info`` wants."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def _label(text: str, limit: int) -> str:
    """Member text as matplotlib shows it literally: shortened, characters its font lacks
    dropped (an emoji would be a box, and a warning), ``$`` never the start of a formula."""
    glyphs = _glyphs()
    drawable = "".join(char for char in text if ord(char) in glyphs or char.isspace())
    return shorten(drawable, limit).replace("$", r"\$")


def _cache_in_the_services_folder() -> None:
    """Under systemd the service's home cannot be written: matplotlib keeps its font cache
    in the unit's CacheDirectory= rather than warn and build it anew at every start."""
    cache = os.environ.get("CACHE_DIRECTORY")
    if cache:
        os.environ.setdefault("MPLCONFIGDIR", os.path.join(cache.split(":")[0], "matplotlib"))


@functools.cache
def _glyphs() -> frozenset[int]:
    """The characters of the font every chart is drawn in."""
    from matplotlib import font_manager

    font = font_manager.get_font(font_manager.findfont(font_manager.FontProperties()))
    return frozenset(font.get_charmap())


def _titled(width: int, height: int, title: str) -> Figure:
    figure = _figure(width, height)
    figure.text(
        0.5,
        1 - 12 / height,
        _label(title, TITLE_CHARACTERS),
        ha="center",
        va="top",
        fontsize=12,
        fontweight="bold",
    )
    return figure


def _figure(width: int, height: int) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    return figure


def _box(
    width: int, height: int, left: int, top: int, w: int, h: int
) -> tuple[float, float, float, float]:
    """An axes' place in pixels from the top left, as matplotlib's fractions from the bottom."""
    return (left / width, 1 - (top + h) / height, w / width, h / height)


def _palette(count: int) -> Sequence[tuple[float, float, float, float]]:
    from matplotlib import colormaps

    colours = colormaps["tab10" if count <= 10 else "tab20"]
    return [colours(index % colours.N) for index in range(count)]


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
