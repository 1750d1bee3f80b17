"""The community's skills: one row per normalised key, with the name first typed for it."""

from dataclasses import dataclass

from bot.store.database import Transaction


@dataclass(frozen=True)
class Skill:
    id: int
    key: str  # normalised: what matching compares
    name: str  # as first typed: what people read


async def find(tx: Transaction, key: str) -> tuple[int, str] | None:
    row = await tx.fetch_one("SELECT id, name FROM skill WHERE key = ?", (key,))
    return None if row is None else (row["id"], row["name"])


async def keys(tx: Transaction) -> list[str]:
    return [row[0] for row in await tx.fetch_all("SELECT key FROM skill")]


async def create(tx: Transaction, key: str, name: str) -> int:
    return await tx.insert("INSERT INTO skill (key, name) VALUES (?, ?)", (key, name))


async def forget_unused(tx: Transaction) -> None:
    """A skill named by no offer, need, match or workshop any more: a forgotten member's
    words."""
    await tx.execute(
        "DELETE FROM skill WHERE id NOT IN (SELECT skill_id FROM listing)"
        " AND id NOT IN (SELECT skill_id FROM match)"
        " AND id NOT IN (SELECT skill_id FROM workshop)"
    )


async def every(tx: Transaction) -> list[Skill]:
    rows = await tx.fetch_all("SELECT id, key, name FROM skill ORDER BY id")
    return [Skill(row["id"], row["key"], row["name"]) for row in rows]
