"""What the bot loads to start: numpy and scipy wait for a matching or a poll's weights,
matplotlib (and Pillow) for a chart, icalendar for a workshops' calendar."""

from __future__ import annotations

import subprocess
import sys

HEAVY = {"numpy", "scipy", "matplotlib", "PIL", "icalendar"}


def test_starting_the_bot_loads_no_numerics_nor_plotting() -> None:
    # Together ~90 MiB of the bot's resident set and over a second of its start, for a bot
    # that may answer nothing but ``!help`` for days. A fresh interpreter: this one has them.
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, bot.__main__; "
            f"print(sorted({{name.partition('.')[0] for name in sys.modules}} & {HEAVY!r}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"
