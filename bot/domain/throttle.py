"""Per-member token buckets: a flood from one member never slows the others down."""

from dataclasses import dataclass
from enum import Enum


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # the first refusal: worth one polite notice
    SILENT = "silent"  # refused again before the bucket refilled: say nothing


@dataclass
class _Bucket:
    tokens: float
    updated: float
    warned: bool = False


class Throttle:
    """``burst`` commands at once, then ``per_minute`` on average."""

    _PRUNE_ABOVE = 1000

    def __init__(self, burst: int, per_minute: float) -> None:
        self._burst = float(burst)
        self._rate = per_minute / 60.0
        self._buckets: dict[str, _Bucket] = {}

    def check(self, key: str, now: float) -> Verdict:
        """``take``, and whether a refusal is the one worth a notice."""
        if self.take(key, now):
            return Verdict.ALLOW
        bucket = self._buckets[key]
        if bucket.warned:
            return Verdict.SILENT
        bucket.warned = True
        return Verdict.WARN

    def take(self, key: str, now: float) -> bool:
        """One from ``key``'s allowance if any is left; refused, nobody is told (the notice
        is kept for a refusal that ``check`` makes).

        ``now`` may step back (events read back out of order): time only refills.
        """
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) > self._PRUNE_ABOVE:
                self._prune(now)
            bucket = self._buckets[key] = _Bucket(self._burst, now)
        elapsed = max(0.0, now - bucket.updated)
        bucket.tokens = min(self._burst, bucket.tokens + elapsed * self._rate)
        bucket.updated = max(bucket.updated, now)
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        bucket.warned = False
        return True

    def wait_seconds(self, key: str) -> int:
        """How long until ``key`` may send a command again."""
        bucket = self._buckets.get(key)
        if bucket is None or bucket.tokens >= 1:
            return 0
        return max(1, round((1 - bucket.tokens) / self._rate))

    def _prune(self, now: float) -> None:
        """Forget members whose bucket has refilled: they are indistinguishable from new ones."""
        full_after = self._burst / self._rate
        self._buckets = {
            key: bucket
            for key, bucket in self._buckets.items()
            if now - bucket.updated < full_after
        }
