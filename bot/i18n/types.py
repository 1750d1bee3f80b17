"""The shape of a family's messages: each key with its French and English text side by side."""

from typing import Literal

Language = Literal["fr", "en"]
Messages = dict[str, dict[Language, str]]
