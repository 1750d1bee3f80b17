"""One member's data: gathered whole, and forgotten whole, without breaking anyone else's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.tally import FinalResult, Response, Tally, ballots, tally
from bot.store import contributions, events, listings, matches, members, personal, polls, skills
from bot.store.database import Database, Transaction
from bot.store.personal import Footprint
from bot.store.polls import NewPoll, Poll, ResponseCount

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ROOM = "!room:test"
ALICE, BOB, CHLOE = "@alice:test", "@bob:test", "@chloe:test"


async def populate(tx: Transaction) -> dict[str, int]:
    """Alice, Bob and Chloé, with every kind of record pointing at Alice, and some that don't."""
    for offset, (user, name) in enumerate(((ALICE, "Alice"), (BOB, "Bob"), (CHLOE, "Chloé"))):
        await members.seen(tx, user, name, T0 + timedelta(minutes=offset))
    wood = await skills.create(tx, "woodworking", "woodworking")
    books = await skills.create(tx, "bookkeeping", "bookkeeping")
    ids = {
        "alice_offer": await listings.add(tx, "offer", ALICE, wood, 4, "router", ROOM, T0),
        "alice_need": await listings.add(tx, "need", ALICE, books, 1, "", ROOM, T0),
        "bob_offer": await listings.add(tx, "offer", BOB, books, 5, "", ROOM, T0),
        # Alice's own work, confirmed by Bob's ✅ and by Chloé's command.
        "alice_work": await contributions.add(tx, ALICE, 120, "habitat", "door", ALICE, ROOM, T0),
        # Alice's work as Bob recorded it: his thanks.
        "thanked_alice": await contributions.add(tx, ALICE, None, "", "tea", BOB, ROOM, T0),
        # Chloé's work as Alice recorded it: Alice's thanks, Alice the first witness.
        "thanked_chloe": await contributions.add(tx, CHLOE, 60, "soin", "night", ALICE, ROOM, T0),
        # Bob's own work, which Alice witnessed with a ✅.
        "bob_work": await contributions.add(tx, BOB, 90, "animation", "café", BOB, ROOM, T0),
    }
    await listings.withdraw(tx, ids["alice_need"], T0 + timedelta(days=1))
    await contributions.confirm(tx, ids["alice_work"], BOB, T0, via_event="$bob-check")
    await contributions.confirm(tx, ids["alice_work"], CHLOE, T0)
    await contributions.confirm(tx, ids["thanked_alice"], BOB, T0)
    await contributions.confirm(tx, ids["thanked_chloe"], ALICE, T0)
    await contributions.confirm(tx, ids["bob_work"], ALICE, T0, via_event="$alice-check")
    # Alice asked Bob to mentor her in bookkeeping.
    ids["match"] = await matches.create(
        tx, ids["alice_need"], ids["bob_offer"], ALICE, BOB, books, T0
    )
    await matches.set_room(tx, ids["match"], "!pair:test")
    await events.remember_direct_room(tx, ALICE, "!dm1:test")
    await events.remember_direct_room(tx, BOB, "!dm2:test")
    await personal.request_forget(tx, ALICE, T0 + timedelta(hours=1))
    ids |= await populate_polls(tx)
    return ids


def new_poll(creator: str, question: str, at: datetime, domain: str | None = None) -> NewPoll:
    return NewPoll(
        room_id=ROOM,
        creator=creator,
        question=question,
        answers=("yes", "no"),
        max_selections=1,
        secret=False,
        equal=False,
        domain=domain,
        opened_at=at,
        closes_at=at + timedelta(days=7),
    )


async def populate_polls(tx: Transaction) -> dict[str, int]:
    """Alice opens a poll that closes, Bob one still open; both vote in both, Alice twice."""
    yard = await polls.open_poll(
        tx, new_poll(ALICE, "Paint the yard?", T0, "habitat"), {ALICE: 1.5, BOB: 2.0}
    )
    await polls.set_start_event(tx, yard.id, "$yard")
    bikes = await polls.open_poll(
        tx, new_poll(BOB, "A bike shed?", T0 + timedelta(hours=1)), {ALICE: 1.25}
    )
    await polls.set_start_event(tx, bikes.id, "$bikes")
    for event_id, poll_id, voter, answers, minutes in (
        ("$vote1", yard.id, ALICE, ("1",), 10),
        ("$vote2", yard.id, BOB, ("2",), 11),
        ("$vote3", bikes.id, ALICE, ("2",), 70),
        ("$vote4", bikes.id, ALICE, ("1",), 80),  # taken back: her "2" counts again
        ("$vote5", bikes.id, BOB, None, 90),  # malformed: Bob has no vote on it
    ):
        await polls.record_response(
            tx, poll_id, event_id, voter, answers, T0 + timedelta(minutes=minutes)
        )
    await polls.redact_response(tx, "$vote4")
    closing = T0 + timedelta(hours=2)
    await polls.close(tx, yard.id, closing, FinalResult.of(await tally_of(tx, yard, closing)))
    return {"yard": yard.id, "bikes": bikes.id}


async def tally_of(tx: Transaction, poll: Poll, until: datetime) -> Tally:
    counted = ballots(await polls.responses(tx, poll.id), poll.answer_ids, 1, until)
    return tally(counted, poll.answer_ids, await polls.frozen_weights(tx, poll.id))


async def rows_mentioning(tx: Transaction, text: str) -> list[tuple[str, str]]:
    """(table, column) of every stored value containing ``text``, in every table there is."""
    found = []
    tables = await tx.fetch_all("SELECT name FROM sqlite_master WHERE type = 'table'")
    for (table,) in tables:
        for column in await tx.fetch_all(f"SELECT name FROM pragma_table_info('{table}')"):
            name = column["name"]
            hits = await tx.fetch_value(
                f'SELECT count(*) FROM "{table}" WHERE CAST("{name}" AS TEXT) LIKE ?',
                (f"%{text}%",),
            )
            if hits:
                found.append((table, name))
    return found


async def test_gather_finds_every_record_about_the_member(database: Database) -> None:
    async with database.transaction() as tx:
        ids = await populate(tx)
        data = await personal.gather(tx, ALICE)
    assert data.user_id == ALICE
    assert data.member is not None
    assert (data.member.display_name, data.member.first_seen) == ("Alice", T0)
    assert {each.id for each in data.listings} == {ids["alice_offer"], ids["alice_need"]}
    assert {each.id for each in data.contributions} == {ids["alice_work"], ids["thanked_alice"]}
    assert [each.id for each in data.recorded_for_others] == [ids["thanked_chloe"]]
    assert [(c.contribution_id, c.confirmer) for c in data.confirmations] == [
        (ids["alice_work"], BOB),
        (ids["alice_work"], CHLOE),
        (ids["thanked_alice"], BOB),
        (ids["thanked_chloe"], ALICE),
    ]
    assert [(c.contribution_id, c.member, c.via_event) for c in data.confirmations_given] == [
        (ids["thanked_chloe"], CHLOE, None),
        (ids["bob_work"], BOB, "$alice-check"),
    ]
    assert [(m.id, m.mentee, m.mentor) for m in data.matches] == [(ids["match"], ALICE, BOB)]
    assert [(p.id, p.question, p.creator) for p in data.polls_opened] == [
        (ids["yard"], "Paint the yard?", ALICE)
    ]
    assert data.poll_counts == {ids["yard"]: ResponseCount(responses=2, respondents=2)}
    assert [(r.event_id, r.poll_id, r.answers, r.redacted) for r in data.poll_responses] == [
        ("$vote4", ids["bikes"], ("1",), True),  # newest first, taken back ones too
        ("$vote3", ids["bikes"], ("2",), False),
        ("$vote1", ids["yard"], ("1",), False),
    ]
    assert data.poll_responses[0].sent_at == T0 + timedelta(minutes=80)
    assert str(data.poll_responses[0].poll_ref) == f"p{ids['bikes']}"
    assert data.poll_weights == {ids["yard"]: 1.5, ids["bikes"]: 1.25}
    assert data.direct_room == "!dm1:test"
    assert data.forget_requested_at == T0 + timedelta(hours=1)
    assert Footprint.of(data) == Footprint(
        listings=2,
        contributions=2,
        direct_room=True,
        recorded_for_others=1,
        confirmations_given=2,
        matches=1,
        polls_voted=1,
        polls_opened=1,
        open_votes=1,
    )


async def test_gather_for_a_stranger_is_empty(database: Database) -> None:
    async with database.transaction() as tx:
        await populate(tx)
        data = await personal.gather(tx, "@nobody:test")
    assert data.member is None
    assert data.listings == []
    assert data.contributions == data.recorded_for_others == []
    assert data.confirmations == data.confirmations_given == []
    assert data.matches == []
    assert (data.polls_opened, data.poll_responses) == ([], [])
    assert (data.poll_counts, data.poll_weights) == ({}, {})
    assert (data.direct_room, data.forget_requested_at) == (None, None)


async def test_forget_deletes_the_member_and_anonymises_what_others_rely_on(
    database: Database,
) -> None:
    async with database.transaction() as tx:
        ids = await populate(tx)
        done = await personal.forget(tx, ALICE, T0)
    assert done == Footprint(
        listings=2,
        contributions=2,
        direct_room=True,
        recorded_for_others=1,
        confirmations_given=2,
        matches=1,
        polls_voted=1,
        polls_opened=1,
        open_votes=1,
    )
    async with database.transaction() as tx:
        assert await rows_mentioning(tx, "alice") == []
        assert await members.get(tx, ALICE) is None
        assert [each.id for each in await listings.every(tx)] == [ids["bob_offer"]]
        assert await contributions.get(tx, ids["alice_work"]) is None
        assert await contributions.get(tx, ids["thanked_alice"]) is None
        # Chloé's work stays hers; Alice's witness stays, anonymous, and no longer counts.
        thanked = await contributions.get(tx, ids["thanked_chloe"])
        assert thanked is not None
        assert (thanked.member, thanked.recorded_by, thanked.confirmations) == (CHLOE, None, 0)
        bob_work = await contributions.get(tx, ids["bob_work"])
        assert bob_work is not None
        assert bob_work.confirmations == 0
        witnesses = await contributions.confirmations(tx, contribution_ids=[ids["bob_work"]])
        assert [(c.confirmer, c.via_event) for c in witnesses] == [(None, None)]
        # The confirmations on Alice's own work went with it.
        assert await contributions.confirmations(tx, given_by=BOB) == []
        assert await events.direct_room_of(tx, ALICE) is None
        assert await events.rooms_to_leave(tx) == ["!dm1:test"]  # the room, not whose
        # Bob keeps the match he was part of, without her name or her need.
        [match] = await matches.of_member(tx, BOB)
        assert (match.mentee, match.mentor, match.need_id) == (None, BOB, None)
        assert (match.offer_id, match.room_id) == (ids["bob_offer"], "!pair:test")
        assert await personal.forget_requested_at(tx, ALICE) is None
        # Nobody else lost anything.
        assert await events.direct_room_of(tx, BOB) == "!dm2:test"
        assert [m.user_id for m in await members.every(tx)] == [BOB, CHLOE]


async def test_an_anonymised_confirmation_no_longer_counts_toward_the_totals(
    database: Database,
) -> None:
    async with database.transaction() as tx:
        await populate(tx)
        before = await contributions.totals_by_domain(tx, BOB, required=1)
        await personal.forget(tx, ALICE, T0)
        after = await contributions.totals_by_domain(tx, BOB, required=1)
    assert [(t.domain, t.confirmed_minutes, t.pending_minutes) for t in before] == [
        ("animation", 90, 0)
    ]
    assert [(t.domain, t.confirmed_minutes, t.pending_minutes) for t in after] == [
        ("animation", 0, 90)
    ]


async def test_taking_back_the_reaction_no_longer_withdraws_an_anonymised_confirmation(
    database: Database,
) -> None:
    async with database.transaction() as tx:
        ids = await populate(tx)
        await personal.forget(tx, ALICE, T0)
        assert not await contributions.withdraw_reaction(tx, "$alice-check")
        witnesses = await contributions.confirmations(tx, contribution_ids=[ids["bob_work"]])
    assert [(c.confirmer, c.via_event) for c in witnesses] == [(None, None)]  # still there


async def test_forget_is_one_transaction_with_its_caller(database: Database) -> None:
    async with database.transaction() as tx:
        await populate(tx)

    async def forget_then_fail() -> None:
        async with database.transaction() as tx:
            await personal.forget(tx, ALICE, T0)
            raise RuntimeError("the reply could not be built")

    with pytest.raises(RuntimeError):
        await forget_then_fail()
    async with database.transaction() as tx:
        data = await personal.gather(tx, ALICE)
    assert Footprint.of(data) == Footprint(2, 2, True, 1, 2, 1, 1, 1, 1)
    assert data.member is not None
    assert [each.voter for each in await _responses(database, data.polls_opened[0].id)] == [
        ALICE,
        BOB,
    ]


async def test_forgetting_someone_with_nothing_stored_changes_nothing(
    database: Database,
) -> None:
    async with database.transaction() as tx:
        await populate(tx)
        done = await personal.forget(tx, "@nobody:test", T0)
        remaining = len(await contributions.confirmations(tx))
    assert done == Footprint(0, 0, False, 0, 0, 0, 0, 0, 0)
    assert remaining == 5


async def test_a_forget_request_is_renewed_by_asking_again_and_can_be_dropped(
    database: Database,
) -> None:
    async with database.transaction() as tx:
        assert await personal.forget_requested_at(tx, ALICE) is None
        await personal.request_forget(tx, ALICE, T0)
        await personal.request_forget(tx, ALICE, T0 + timedelta(minutes=20))
        assert await personal.forget_requested_at(tx, ALICE) == T0 + timedelta(minutes=20)
        await personal.drop_forget_request(tx, ALICE)
        assert await personal.forget_requested_at(tx, ALICE) is None


async def test_the_whole_ledger_reads_back_in_recording_order(database: Database) -> None:
    async with database.transaction() as tx:
        ids = await populate(tx)
        assert [each.id for each in await listings.every(tx)] == [
            ids["alice_offer"],
            ids["alice_need"],
            ids["bob_offer"],
        ]
        assert [each.id for each in await contributions.every(tx)] == sorted(
            ids[key] for key in ("alice_work", "thanked_alice", "thanked_chloe", "bob_work")
        )
        assert [(s.key, s.name) for s in await skills.every(tx)] == [
            ("woodworking", "woodworking"),
            ("bookkeeping", "bookkeeping"),
        ]
        assert [m.user_id for m in await members.every(tx)] == [ALICE, BOB, CHLOE]
        assert len(await contributions.confirmations(tx)) == 5
        assert await contributions.confirmations(tx, contribution_ids=[]) == []
        by_bob = await contributions.confirmations(
            tx, given_by=BOB, contribution_ids=[ids["thanked_alice"]]
        )
    assert [(c.contribution_id, c.confirmer) for c in by_bob] == [(ids["thanked_alice"], BOB)]


async def test_recorded_for_others_leaves_out_what_members_recorded_for_themselves(
    database: Database,
) -> None:
    async with database.transaction() as tx:
        ids = await populate(tx)
        assert await contributions.recorded_for_others(tx, CHLOE) == []
        by_bob = await contributions.recorded_for_others(tx, BOB)
    assert [each.id for each in by_bob] == [ids["thanked_alice"]]


async def _responses(database: Database, poll_id: int) -> list[Response]:
    async with database.transaction() as tx:
        return sorted(await polls.responses(tx, poll_id), key=lambda each: each.event_id)


async def test_forgotten_votes_stay_only_inside_the_announced_results(
    database: Database,
) -> None:
    async with database.transaction() as tx:
        ids = await populate(tx)
        bikes = await polls.get(tx, ids["bikes"])
        assert bikes is not None
        before = await tally_of(tx, bikes, T0 + timedelta(days=1))
        await personal.forget(tx, ALICE, T0)
        after = await tally_of(tx, bikes, T0 + timedelta(days=1))
        yard = await polls.get(tx, ids["yard"])
        bikes_after = await polls.get(tx, ids["bikes"])
        frozen = await polls.frozen_weights(tx, ids["yard"])
        assert await polls.frozen_weights(tx, ids["bikes"]) == {}
        assert await polls.responses_of(tx, ALICE) == []
        assert await polls.opened_by(tx, ALICE) == []
        assert await polls.weights_frozen_for(tx, ALICE) == {}
    # The open poll no longer counts her: a stranger now, she could otherwise vote twice.
    assert (before.voters, before.total_weight) == (1, 1.25)
    assert (after.voters, after.total_weight) == (0, 0.0)
    # The closed poll keeps its result; it has no creator any more.
    assert yard is not None
    assert yard.creator is None
    assert yard.result is not None
    assert (yard.result.voters, yard.result.total_weight) == (2, 3.5)
    assert bikes_after is not None
    assert bikes_after.creator == BOB
    # Closed, the vote is an anonymous count in the result; nothing else of it is kept.
    assert {each.voter for each in await _responses(database, ids["yard"])} == {BOB}
    assert frozen == {BOB: 2.0}
    # Open, her click stays emptied and taken back under a pseudonym, by its event id.
    [pseudonym] = {each.voter for each in await _responses(database, ids["bikes"])} - {BOB}
    assert pseudonym.startswith("forgotten:")


async def test_response_counts_for_some_polls_or_all(database: Database) -> None:
    async with database.transaction() as tx:
        ids = await populate(tx)
        quiet = await polls.open_poll(tx, new_poll(CHLOE, "Nobody answers?", T0), {})
        assert await polls.response_counts(tx) == {
            ids["yard"]: ResponseCount(responses=2, respondents=2),
            ids["bikes"]: ResponseCount(responses=3, respondents=2),
        }
        assert await polls.response_counts(tx, [ids["bikes"], quiet.id]) == {
            ids["bikes"]: ResponseCount(responses=3, respondents=2)
        }
        assert await polls.response_counts(tx, []) == {}
        assert [each.id for each in await polls.every(tx)] == [ids["yard"], ids["bikes"], quiet.id]
        assert await polls.weights_frozen_for(tx, CHLOE) == {}
        assert [each.id for each in await polls.opened_by(tx, BOB)] == [ids["bikes"]]
