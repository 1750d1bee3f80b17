"""Everything stored about one member, gathered to hand it over or to forget it.

Each repository forgets its own part; ``forget`` is the one place that calls them all, in
the caller's transaction, so a member is forgotten entirely or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.store import contributions, events, listings, matches, members, polls, skills, workshops
from bot.store.contributions import Confirmation, Contribution, Dispute, Review
from bot.store.database import Transaction, read_time
from bot.store.listings import Listing
from bot.store.matches import Match
from bot.store.members import Member
from bot.store.polls import Objection, Poll, ResponseCount, SentResponse
from bot.store.workshops import Workshop


@dataclass(frozen=True)
class PersonalData:
    """One member's part of every table."""

    user_id: str
    member: Member | None
    listings: list[Listing]  # withdrawn ones too
    contributions: list[Contribution]  # the work they made, newest first
    recorded_for_others: list[Contribution]  # their thanks, newest first
    confirmations: list[Confirmation]  # on the two lists above
    confirmations_given: list[Confirmation]
    matches: list[Match]  # as mentee or mentor
    polls_opened: list[Poll]  # newest first
    poll_counts: dict[int, ResponseCount]  # for the polls above that got any response
    poll_responses: list[SentResponse]  # every one sent, to anyone's poll, newest first
    poll_weights: dict[int, float]  # poll id → weight frozen at its opening, when not 1
    direct_room: str | None
    forget_requested_at: datetime | None
    disputes_raised: list[Dispute]  # newest first
    reviews_asked: list[Review]  # of them, at random; newest first
    objections: list[Objection]  # raised to proposals, with their reasons; newest first
    workshops_hosted: list[Workshop]  # newest first
    workshops_attended: list[Workshop]  # newest first
    workshops_signed_up: list[Workshop]  # upcoming, coming or waiting


@dataclass(frozen=True)
class Footprint:
    """How much of a member there is: what forgetting deletes, and what it anonymises."""

    listings: int
    contributions: int
    direct_room: bool
    recorded_for_others: int  # kept for the members they thanked, without the recorder
    confirmations_given: int  # kept and still counted, without the witness
    matches: int  # kept for the other side, without this one
    polls_voted: int  # closed polls: the votes still counted in their results, anonymously
    polls_opened: int  # kept for the room, without their creator
    open_votes: int  # polls still open where the vote is withdrawn
    disputes: int = 0  # the disputes they raised, with their reasons
    reviews: int = 0  # the reviews they were asked for
    objections: int = 0  # raised to proposals, with their reasons
    workshop_signups: int = 0  # upcoming ones they signed up for, and the ones they attended
    workshops_hosted: int = 0  # kept for those who came, without their host

    @classmethod
    def of(cls, data: PersonalData) -> Footprint:
        return cls(
            listings=len(data.listings),
            contributions=len(data.contributions),
            direct_room=data.direct_room is not None,
            recorded_for_others=len(data.recorded_for_others),
            confirmations_given=len(data.confirmations_given),
            matches=len(data.matches),
            polls_voted=len({each.poll_id for each in data.poll_responses if not each.poll_open}),
            polls_opened=len(data.polls_opened),
            open_votes=len({each.poll_id for each in data.poll_responses if each.poll_open}),
            disputes=len(data.disputes_raised),
            reviews=len(data.reviews_asked),
            objections=len(data.objections),
            workshop_signups=len(data.workshops_signed_up) + len(data.workshops_attended),
            workshops_hosted=len(data.workshops_hosted),
        )


async def gather(tx: Transaction, user_id: str) -> PersonalData:
    """Read in the caller's transaction: one consistent picture, even while others write."""
    made = await contributions.of_member(tx, user_id)
    recorded = await contributions.recorded_for_others(tx, user_id)
    opened = await polls.opened_by(tx, user_id)
    return PersonalData(
        user_id=user_id,
        member=await members.get(tx, user_id),
        listings=await listings.of_member(tx, user_id, open_only=False),
        contributions=made,
        recorded_for_others=recorded,
        confirmations=await contributions.confirmations(
            tx, contribution_ids=[each.id for each in (*made, *recorded)]
        ),
        confirmations_given=await contributions.confirmations(tx, given_by=user_id),
        matches=await matches.of_member(tx, user_id),
        polls_opened=opened,
        poll_counts=await polls.response_counts(tx, [each.id for each in opened]),
        poll_responses=await polls.responses_of(tx, user_id),
        poll_weights=await polls.weights_frozen_for(tx, user_id),
        direct_room=await events.direct_room_of(tx, user_id),
        forget_requested_at=await forget_requested_at(tx, user_id),
        disputes_raised=await contributions.disputes_raised_by(tx, user_id),
        reviews_asked=await contributions.reviews(tx, reviewer=user_id),
        objections=await polls.objections_by(tx, user_id),
        workshops_hosted=await workshops.hosted_by(tx, user_id),
        workshops_attended=await workshops.attended_by(tx, user_id),
        workshops_signed_up=await workshops.signed_up_by(tx, user_id, _EVER),
    )


async def request_forget(tx: Transaction, user_id: str, at: datetime) -> None:
    """Note that the member asked to be forgotten; asking again starts the wait anew."""
    await tx.execute(
        "INSERT INTO forget_request (member, requested_at) VALUES (?, ?) "
        "ON CONFLICT (member) DO UPDATE SET requested_at = excluded.requested_at",
        (user_id, at.isoformat()),
    )


_EVER = datetime.min.replace(tzinfo=UTC)


async def forget_requested_at(tx: Transaction, user_id: str) -> datetime | None:
    value = await tx.fetch_value(
        "SELECT requested_at FROM forget_request WHERE member = ?", (user_id,)
    )
    return read_time(value)


async def drop_forget_request(tx: Transaction, user_id: str) -> None:
    await tx.execute("DELETE FROM forget_request WHERE member = ?", (user_id,))


async def forget(tx: Transaction, user_id: str, at: datetime) -> Footprint:
    """Delete the member and their own records; anonymise what others' records rely on.

    A closed poll keeps their vote only in its announced result; in an open one it is
    withdrawn. The polls they opened lose their creator.
    """
    disputes = len(await contributions.disputes_raised_by(tx, user_id))
    reviews = len(await contributions.reviews(tx, reviewer=user_id))
    objections = len(await polls.objections_by(tx, user_id))
    signups = len(await workshops.attended_by(tx, user_id)) + len(
        await workshops.signed_up_by(tx, user_id, at)
    )
    hosted = await workshops.forget_member(tx, user_id)
    ledger = await contributions.forget_member(tx, user_id)
    paired = len(await matches.of_member(tx, user_id))
    await matches.forget_member(tx, user_id, at)
    opened = len(await polls.opened_by(tx, user_id))
    votes = await polls.forget_member(tx, user_id)
    removed_listings = await listings.forget_member(tx, user_id)
    await skills.forget_unused(tx)
    direct_room = await events.forget_direct_room(tx, user_id)
    await events.forget_inviter(tx, user_id)
    await drop_forget_request(tx, user_id)
    await members.forget(tx, user_id)
    return Footprint(
        listings=removed_listings,
        contributions=ledger.deleted,
        direct_room=direct_room,
        recorded_for_others=ledger.unattributed,
        confirmations_given=ledger.anonymised,
        matches=paired,
        polls_voted=votes.kept,
        polls_opened=opened,
        open_votes=votes.withdrawn,
        disputes=disputes,
        reviews=reviews,
        objections=objections,
        workshop_signups=signups,
        workshops_hosted=hosted,
    )
