"""The wire format of native Matrix polls (MSC3381), as Element sends and reads them.

The bot sends the unstable ``org.matrix.msc3381.poll.*`` events Element understands, with
a text fallback for clients without polls; it reads responses and ends in every shape in use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

START_TYPE = "org.matrix.msc3381.poll.start"
END_TYPE = "org.matrix.msc3381.poll.end"
END_TYPES = frozenset({END_TYPE, "m.poll.end"})
RESPONSE_TYPES = frozenset(
    {"org.matrix.msc3381.poll.response", "m.poll.response", "org.matrix.msc3381.v2.poll.response"}
)
_TEXT = "org.matrix.msc1767.text"
# Where each shape keeps the chosen answer ids: {"<block>": {"answers": [...]}} in the
# unstable and first stable shape, a bare list under the selections key in the latest one.
_ANSWER_BLOCKS = ("org.matrix.msc3381.poll.response", "m.poll.response")
_SELECTION_KEYS = ("m.selections", "org.matrix.msc3381.v2.selections")


def start_content(
    question: str, answers: Sequence[str], max_selections: int, *, disclosed: bool
) -> dict[str, Any]:
    """A poll whose answer ids are their numbers ("1", "2", …)."""
    kind = "disclosed" if disclosed else "undisclosed"
    fallback = "\n".join(
        [question, *(f"{number}. {answer}" for number, answer in enumerate(answers, 1))]
    )
    return {
        _TEXT: fallback,
        "body": fallback,
        START_TYPE: {
            "kind": f"org.matrix.msc3381.poll.{kind}",
            "max_selections": max_selections,
            "question": {_TEXT: question},
            "answers": [
                {"id": str(number), _TEXT: answer} for number, answer in enumerate(answers, 1)
            ],
        },
    }


def end_content(start_event: str, text: str) -> dict[str, Any]:
    return {
        "m.relates_to": {"rel_type": "m.reference", "event_id": start_event},
        END_TYPE: {},
        _TEXT: text,
        "body": text,
    }


@dataclass(frozen=True)
class PollResponse:
    """One response as sent: ``answers`` is None when the event carries no answer list."""

    poll_event: str
    answers: tuple[str, ...] | None


def parse_response(event_type: str, content: dict[str, Any]) -> PollResponse | None:
    """The response an event carries, or None when it is not a response to a poll."""
    poll_event = _referenced(content) if event_type in RESPONSE_TYPES else None
    return None if poll_event is None else PollResponse(poll_event, _answers(content))


def parse_end(event_type: str, content: dict[str, Any]) -> str | None:
    """The poll an end event ends, or None when it is not one (whoever may send it)."""
    return _referenced(content) if event_type in END_TYPES else None


def _referenced(content: dict[str, Any]) -> str | None:
    """The event an ``m.reference`` relation points to: a response's or an end's poll."""
    relation = content.get("m.relates_to")
    if not isinstance(relation, dict) or relation.get("rel_type") != "m.reference":
        return None
    poll_event = relation.get("event_id")
    return poll_event if isinstance(poll_event, str) else None


def _answers(content: dict[str, Any]) -> tuple[str, ...] | None:
    for block in _ANSWER_BLOCKS:
        inner = content.get(block)
        if isinstance(inner, dict):
            return _strings(inner.get("answers"))
    for key in _SELECTION_KEYS:
        if key in content:
            return _strings(content[key])
    return None


def _strings(value: object) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return None
    return tuple(value)
