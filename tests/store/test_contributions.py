"""The contributions repository: records, confirmations by command and by reaction, totals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import contributions, members
from bot.store.contributions import DomainTotal
from bot.store.database import Database, Transaction

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ROOM = "!room:test"
ALICE, BOB, CHLOE = "@alice:test", "@bob:test", "@chloe:test"


async def add(
    tx: Transaction,
    member: str = BOB,
    minutes: int | None = 120,
    domain: str = "habitat",
    at: datetime = T0,
) -> int:
    return await contributions.add(tx, member, minutes, domain, "fixed the door", ALICE, ROOM, at)


async def test_a_contribution_reads_back_as_recorded(database: Database) -> None:
    async with database.transaction() as tx:
        number = await contributions.add(tx, BOB, None, "", "<b>tea</b>", ALICE, ROOM, T0)
        found = await contributions.get(tx, number)
    assert found is not None
    assert (found.id, found.member, found.minutes, found.domain) == (number, BOB, None, "")
    assert (found.what, found.recorded_by, found.room_id) == ("<b>tea</b>", ALICE, ROOM)
    assert found.created_at == T0
    assert found.record_event is None
    assert found.confirmations == 0


async def test_a_missing_contribution_is_none(database: Database) -> None:
    async with database.transaction() as tx:
        assert await contributions.get(tx, 42) is None
        assert await contributions.by_record_event(tx, "$nothing") is None


async def test_the_member_name_is_the_known_display_name_else_the_id(database: Database) -> None:
    async with database.transaction() as tx:
        unknown = await add(tx, member=CHLOE)
        await members.seen(tx, BOB, "Bob Martin", T0)
        known = await add(tx, member=BOB)
        by_id = await contributions.get(tx, unknown)
        by_name = await contributions.get(tx, known)
    assert by_id is not None
    assert by_id.member_name == CHLOE
    assert by_name is not None
    assert by_name.member_name == "Bob Martin"


async def test_the_record_message_leads_back_to_its_contribution(database: Database) -> None:
    async with database.transaction() as tx:
        first, second = await add(tx), await add(tx)
        await contributions.set_record_event(tx, second, "$reply2")
        found = await contributions.by_record_event(tx, "$reply2")
    assert found is not None
    assert found.id == second != first
    assert found.record_event == "$reply2"


async def test_each_member_confirms_once(database: Database) -> None:
    async with database.transaction() as tx:
        number = await add(tx)
        assert await contributions.confirm(tx, number, ALICE, T0)
        assert not await contributions.confirm(tx, number, ALICE, T0, via_event="$reaction")
        assert await contributions.confirm(tx, number, CHLOE, T0, via_event="$reaction")
        found = await contributions.get(tx, number)
    assert found is not None
    assert found.confirmations == 2
    assert found.is_confirmed(2)
    assert not found.is_confirmed(3)


async def test_confirmations_count_per_contribution(database: Database) -> None:
    async with database.transaction() as tx:
        one, other = await add(tx), await add(tx)
        await contributions.confirm(tx, one, ALICE, T0)
        found_one, found_other = (
            await contributions.get(tx, one),
            await contributions.get(tx, other),
        )
    assert found_one is not None
    assert found_one.confirmations == 1
    assert found_other is not None
    assert found_other.confirmations == 0


async def test_an_anonymised_confirmation_no_longer_counts(database: Database) -> None:
    async with database.transaction() as tx:
        number = await add(tx)
        await contributions.confirm(tx, number, ALICE, T0)
        await contributions.confirm(tx, number, CHLOE, T0)
        await tx.execute("UPDATE confirmation SET confirmer = NULL WHERE confirmer = ?", (CHLOE,))
        found = await contributions.get(tx, number)
    assert found is not None
    assert found.confirmations == 1


async def test_withdrawing_a_reaction_removes_only_what_it_confirmed(database: Database) -> None:
    async with database.transaction() as tx:
        number = await add(tx)
        await contributions.confirm(tx, number, ALICE, T0)
        await contributions.confirm(tx, number, CHLOE, T0, via_event="$thumb")
        assert not await contributions.withdraw_reaction(tx, "$unrelated")
        assert await contributions.withdraw_reaction(tx, "$thumb")
        assert not await contributions.withdraw_reaction(tx, "$thumb")
        found = await contributions.get(tx, number)
        # Withdrawn, the reaction's author may confirm again.
        assert await contributions.confirm(tx, number, CHLOE, T0, via_event="$check")
    assert found is not None
    assert found.confirmations == 1


async def test_a_confirmation_detached_from_its_reaction_outlives_it(database: Database) -> None:
    async with database.transaction() as tx:
        number = await add(tx)
        await contributions.confirm(tx, number, CHLOE, T0, via_event="$thumb")
        await contributions.detach_from_reaction(tx, number, CHLOE)
        assert not await contributions.withdraw_reaction(tx, "$thumb")
        found = await contributions.get(tx, number)
    assert found is not None
    assert found.confirmations == 1


async def test_a_members_contributions_come_newest_first(database: Database) -> None:
    async with database.transaction() as tx:
        old = await add(tx, at=T0)
        new = await add(tx, at=T0 + timedelta(days=1))
        await add(tx, member=CHLOE)
        await contributions.confirm(tx, old, ALICE, T0)
        found = await contributions.of_member(tx, BOB)
        nobody = await contributions.of_member(tx, "@nobody:test")
    assert [each.id for each in found] == [new, old]
    assert [each.is_confirmed(1) for each in found] == [False, True]
    assert nobody == []


async def test_totals_by_domain_split_confirmed_from_pending(database: Database) -> None:
    async with database.transaction() as tx:
        confirmed = await add(tx, minutes=120, domain="habitat")
        half = await add(tx, minutes=30, domain="habitat")
        untimed = await add(tx, minutes=None, domain="soin")
        await add(tx, minutes=45, domain="")
        await add(tx, member=CHLOE, minutes=600, domain="habitat")
        for number in (confirmed, untimed):
            await contributions.confirm(tx, number, ALICE, T0)
            await contributions.confirm(tx, number, CHLOE, T0)
        await contributions.confirm(tx, half, ALICE, T0)  # one of two: still pending
        totals = await contributions.totals_by_domain(tx, BOB, required=2)
    assert totals == [
        DomainTotal("", confirmed_minutes=0, pending_minutes=45, confirmed=0, pending=1),
        DomainTotal("habitat", confirmed_minutes=120, pending_minutes=30, confirmed=1, pending=1),
        DomainTotal("soin", confirmed_minutes=0, pending_minutes=0, confirmed=1, pending=0),
    ]


async def test_totals_follow_the_number_of_confirmations_required(database: Database) -> None:
    async with database.transaction() as tx:
        number = await add(tx, minutes=60)
        await contributions.confirm(tx, number, ALICE, T0)
        one = await contributions.totals_by_domain(tx, BOB, required=1)
        two = await contributions.totals_by_domain(tx, BOB, required=2)
        nobody = await contributions.totals_by_domain(tx, CHLOE, required=1)
    assert one == [DomainTotal("habitat", 60, 0, 1, 0)]
    assert two == [DomainTotal("habitat", 0, 60, 0, 1)]
    assert nobody == []
