"""What every fatal start-up condition shares, so ``compagnon`` reports them all alike."""

from __future__ import annotations


class StartupError(Exception):
    """The bot cannot start; the message is one line saying which file and what to do."""
