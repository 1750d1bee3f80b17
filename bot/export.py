"""The ledger, or one member's part of it, as documents: JSON for machines, CSV for spreadsheets.

One record shape per kind of thing, shared by ``!mydata`` and ``compagnon export``, so a
member's file and the community's export read alike. Dates are ISO 8601 with their offset;
``schema_version`` is the version of these documents, raised when a key changes meaning.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from bot.config import Config
from bot.domain.contributions import NO_DOMAIN
from bot.domain.ledger import Ref, RefKind
from bot.domain.text import is_invisible, printable
from bot.store import contributions, listings, members, polls, skills
from bot.store.contributions import Confirmation, Contribution
from bot.store.database import Database, Transaction, existing
from bot.store.listings import Listing
from bot.store.matches import Match
from bot.store.members import Member
from bot.store.personal import PersonalData
from bot.store.polls import Poll, ResponseCount
from bot.store.skills import Skill
from bot.store.workshops import Workshop
from bot.workshop_calendar import export_calendar

DOCUMENT_VERSION = 1
Format = Literal["json", "csv", "ics"]
Record = dict[str, Any]


@dataclass(frozen=True)
class Ledger:
    """Everything the community recorded, read in one transaction."""

    members: list[Member]
    skills: list[Skill]
    listings: list[Listing]
    contributions: list[Contribution]
    confirmations: list[Confirmation]
    polls: list[Poll]
    poll_counts: dict[int, ResponseCount]  # by poll id; polls nobody answered are absent


async def read_ledger(tx: Transaction) -> Ledger:
    return Ledger(
        members=await members.every(tx),
        skills=await skills.every(tx),
        listings=await listings.every(tx),
        contributions=await contributions.every(tx),
        confirmations=await contributions.confirmations(tx),
        polls=await polls.every(tx),
        poll_counts=await polls.response_counts(tx),
    )


def export(config: Config, fmt: Format, at: datetime) -> str:
    """The configured database's whole ledger, or (``ics``) its upcoming workshops as a
    calendar; never creates a database that is not there."""
    if fmt == "ics":
        return export_calendar(config, at)
    ledger = asyncio.run(_read(existing(config.database.path)))
    required = config.contributions.confirmations_required
    if fmt == "csv":
        return ledger_csv(ledger, required)
    return to_json(ledger_document(ledger, required, at))


async def _read(path: Path) -> Ledger:
    database = await Database.open(path)
    try:
        async with database.transaction() as tx:
            return await read_ledger(tx)
    finally:
        await database.close()


def to_json(document: Record) -> str:
    """Indented JSON, controls and invisible characters written as ``\\u`` escapes: the
    same data, but no terminal or editor showing the file is steered by it."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return "".join(_json_char(char) for char in text) + "\n"


def _json_char(char: str) -> str:
    # Outside strings there is only ASCII layout: the indentation's line breaks stay.
    if char == "\n" or not is_invisible(char):
        return char
    return json.dumps(char)[1:-1]  # the escape, without the quotes around it


def ledger_document(ledger: Ledger, required: int, at: datetime) -> Record:
    return {
        "schema_version": DOCUMENT_VERSION,
        "exported_at": at.isoformat(),
        "members": [_member(member) for member in ledger.members],
        "skills": [
            {"id": skill.id, "key": skill.key, "name": skill.name} for skill in ledger.skills
        ],
        **_offers_and_needs(ledger.listings),
        "contributions": _contributions(ledger.contributions, ledger.confirmations, required),
        # Polls with their final results, never a ballot: who voted what stays private.
        "polls": [_poll(poll, ledger.poll_counts.get(poll.id)) for poll in ledger.polls],
    }


def member_document(data: PersonalData, required: int, at: datetime) -> Record:
    """What ``!mydata`` sends: the member's part of every table."""
    requested = data.forget_requested_at
    return {
        "schema_version": DOCUMENT_VERSION,
        "generated_at": at.isoformat(),
        "user_id": data.user_id,
        "member": None if data.member is None else _member(data.member),
        **_offers_and_needs(data.listings),
        "contributions": _contributions(data.contributions, data.confirmations, required),
        "recorded_for_others": _contributions(
            data.recorded_for_others, data.confirmations, required
        ),
        "confirmations_given": [
            {
                "contribution": str(Ref(RefKind.CONTRIBUTION, confirmation.contribution_id)),
                "member": confirmation.member,
                "confirmed_at": confirmation.created_at.isoformat(),
                "via_event": confirmation.via_event,
            }
            for confirmation in data.confirmations_given
        ],
        "matches": [_match(match) for match in data.matches],
        "polls_opened": [_poll(poll, data.poll_counts.get(poll.id)) for poll in data.polls_opened],
        "poll_responses": [
            {
                "poll": str(response.poll_ref),
                "event_id": response.event_id,
                "answers": None if response.answers is None else list(response.answers),
                "sent_at": response.sent_at.isoformat(),
                "redacted": response.redacted,
            }
            for response in data.poll_responses
        ],
        "poll_weights": [
            {"poll": str(Ref(RefKind.POLL, poll_id)), "weight": weight}
            for poll_id, weight in data.poll_weights.items()
        ],
        "direct_room": data.direct_room,
        "forget_requested_at": None if requested is None else requested.isoformat(),
        "disputes_raised": [
            {
                "contribution": str(dispute.ref),
                "reason": dispute.reason,
                "raised_at": dispute.raised_at.isoformat(),
                "settled_at": None
                if dispute.settled_at is None
                else dispute.settled_at.isoformat(),
                "upheld": dispute.upheld,
            }
            for dispute in data.disputes_raised
        ],
        "reviews_asked": [
            {
                "contribution": str(review.ref),
                "asked_at": review.asked_at.isoformat(),
                "answered_at": None
                if review.answered_at is None
                else review.answered_at.isoformat(),
                "verdict": review.verdict,
            }
            for review in data.reviews_asked
        ],
        "workshops_hosted": [_workshop(found) for found in data.workshops_hosted],
        "workshops_attended": [str(found.ref) for found in data.workshops_attended],
        "workshops_signed_up": [str(found.ref) for found in data.workshops_signed_up],
        "objections": [
            {
                "proposal": str(objection.poll_ref),
                "reason": objection.reason,
                "raised_at": objection.raised_at.isoformat(),
            }
            for objection in data.objections
        ],
    }


def _workshop(found: Workshop) -> Record:
    return {
        "ref": str(found.ref),
        "skill": found.skill_name,
        "starts_at": found.starts_at.isoformat(),
        "minutes": found.minutes,
        "places": found.places,
        "where": found.place,
        "details": found.details,
        "cancelled_at": None if found.cancelled_at is None else found.cancelled_at.isoformat(),
        "done_at": None if found.done_at is None else found.done_at.isoformat(),
        "made": found.made,
    }


def _member(member: Member) -> Record:
    return {
        "user_id": member.user_id,
        "display_name": member.display_name,
        "first_seen": member.first_seen.isoformat(),
        "poll_reminders": member.reminders,
    }


def _match(match: Match) -> Record:
    need, offer = match.need_id, match.offer_id
    return {
        "ref": str(match.ref),
        "mentee": match.mentee,
        "mentor": match.mentor,
        "need": None if need is None else str(Ref(RefKind.NEED, need)),
        "offer": None if offer is None else str(Ref(RefKind.OFFER, offer)),
        "skill": match.skill_name,
        "state": match.state,
        "created_at": match.created_at.isoformat(),
        "updated_at": match.updated_at.isoformat(),
        "room_id": match.room_id,
        "feedback": match.feedback,
    }


def _poll(poll: Poll, counted: ResponseCount | None) -> Record:
    """A poll as the room saw it: answers numbered as votes name them, the result once closed."""
    result = poll.result
    return {
        "ref": str(poll.ref),
        "room_id": poll.room_id,
        "creator": poll.creator,
        "question": poll.question,
        "answers": list(poll.answers),
        "max_selections": poll.max_selections,
        "secret": poll.secret,
        "equal": poll.equal,
        "domain": poll.domain,
        "opened_at": poll.opened_at.isoformat(),
        "closes_at": poll.closes_at.isoformat(),
        "closed_at": None if poll.closed_at is None else poll.closed_at.isoformat(),
        "start_event": poll.start_event,
        "end_event": poll.end_event,
        "responses": 0 if counted is None else counted.responses,
        "respondents": 0 if counted is None else counted.respondents,
        "result": None
        if result is None
        else {
            "voters": result.voters,
            "total_weight": result.total_weight,
            "answers": [
                {"number": number, "answer": answer, "voters": voters, "weight": weight}
                for number, (answer, voters, weight) in enumerate(
                    zip(poll.answers, result.answer_voters, result.answer_weights, strict=True),
                    1,
                )
            ],
        },
    }


def _offers_and_needs(found: Iterable[Listing]) -> Record:
    records: Record = {"offers": [], "needs": []}
    for listing in found:
        records["offers" if listing.kind == "offer" else "needs"].append(_listing(listing))
    return records


def _listing(listing: Listing) -> Record:
    return {
        "ref": str(listing.ref),
        "member": listing.member,
        "skill": listing.skill_name,
        "skill_id": listing.skill_id,
        "level": listing.level,
        "details": listing.details,
        "room_id": listing.room_id,
        "created_at": listing.created_at.isoformat(),
        "withdrawn_at": None if listing.withdrawn_at is None else listing.withdrawn_at.isoformat(),
    }


def _contributions(
    found: Iterable[Contribution], confirmations: Iterable[Confirmation], required: int
) -> list[Record]:
    witnesses: dict[int, list[Record]] = defaultdict(list)
    for confirmation in confirmations:
        witnesses[confirmation.contribution_id].append(
            {
                "confirmer": confirmation.confirmer,
                "confirmed_at": confirmation.created_at.isoformat(),
                "via_event": confirmation.via_event,
            }
        )
    return [
        {
            "ref": str(contribution.ref),
            "member": contribution.member,
            "minutes": contribution.minutes,
            "domain": None if contribution.domain == NO_DOMAIN else contribution.domain,
            "what": contribution.what,
            "recorded_by": contribution.recorded_by,
            "room_id": contribution.room_id,
            "created_at": contribution.created_at.isoformat(),
            "record_event": contribution.record_event,
            "confirmed": contribution.is_confirmed(required),
            "voided_at": None
            if contribution.voided_at is None
            else contribution.voided_at.isoformat(),
            "void_reason": contribution.void_reason,
            "confirmations": witnesses[contribution.id],
        }
        for contribution in found
    ]


CSV_COLUMNS = (
    "type",
    "ref",
    "member",
    "member_name",
    "skill",
    "level",
    "hours",
    "domain",
    "details",
    "recorded_by",
    "created_at",
    "status",
    "withdrawn_at",
    "confirmations",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t")  # a carriage return never gets this far


def ledger_csv(ledger: Ledger, required: int) -> str:
    """Offers, needs and contributions in one table, oldest first, one row per record."""
    records: list[Listing | Contribution] = [*ledger.listings, *ledger.contributions]
    records.sort(key=lambda record: (record.created_at, record.ref.kind.value, record.ref.number))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for record in records:
        if isinstance(record, Listing):
            writer.writerow(_listing_row(record))
        else:
            writer.writerow(_contribution_row(record, required))
    return out.getvalue()


def _listing_row(listing: Listing) -> dict[str, str | int]:
    return {
        "type": listing.kind,
        "ref": str(listing.ref),
        "member": listing.member,
        "member_name": _text_cell(listing.member_name),
        "skill": _text_cell(listing.skill_name),
        "level": listing.level,
        "details": _text_cell(listing.details),
        "created_at": listing.created_at.isoformat(),
        "status": "open" if listing.is_open else "withdrawn",
        "withdrawn_at": "" if listing.withdrawn_at is None else listing.withdrawn_at.isoformat(),
    }


def _contribution_row(contribution: Contribution, required: int) -> dict[str, str | int]:
    minutes = contribution.minutes
    return {
        "type": "contribution",
        "ref": str(contribution.ref),
        "member": contribution.member,
        "member_name": _text_cell(contribution.member_name),
        "hours": "" if minutes is None else f"{minutes / 60:.2f}".rstrip("0").rstrip("."),
        "domain": _text_cell(contribution.domain),
        "details": _text_cell(contribution.what),
        "recorded_by": contribution.recorded_by or "",
        "created_at": contribution.created_at.isoformat(),
        "status": _status(contribution, required),
        "confirmations": contribution.confirmations,
    }


def _status(contribution: Contribution, required: int) -> str:
    if contribution.voided_at is not None:
        return "voided"
    return "confirmed" if contribution.is_confirmed(required) else "pending"


def _text_cell(text: str) -> str:
    """What members typed, without escape sequences (older records may hold them), kept
    from running as a formula when a spreadsheet opens the file."""
    cell = printable(text)
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell
