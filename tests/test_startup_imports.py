"""What the bot loads to start: numpy and scipy wait for a matching or a poll's weights."""

from __future__ import annotations

import subprocess
import sys


def test_starting_the_bot_loads_neither_numpy_nor_scipy() -> None:
    # Together ~40 MiB of the bot's resident set and ~0.2 s of its start, for a bot that
    # may answer nothing but ``!help`` for days. A fresh interpreter: this one has them.
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, bot.__main__; "
            "print(sorted({name.partition('.')[0] for name in sys.modules} & {'numpy', 'scipy'}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"
