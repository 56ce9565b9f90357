"""A per-process token bucket: how a worker keeps each channel under its `rate_per_second`."""

import threading
import time
from collections.abc import Callable


class TokenBucket:
    """`rate` tokens per second, at most `burst` saved up. Thread-safe.

    `reserve()` takes a token and answers how many seconds the caller must wait before using it
    (0 when one was available), so a sender can sleep exactly that long — or, in a task, put the
    delivery back on the queue with that delay. `pause(seconds)` stops the bucket after the
    provider said "slow down" (RateLimited.retry_after).
    """

    def __init__(self, rate: float, burst: float | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = burst if burst is not None else max(1.0, rate)
        self._clock = clock
        self._tokens = self.burst
        self._updated = clock()
        self._paused_until = 0.0
        self._lock = threading.Lock()

    def _refill(self, now: float) -> None:
        start = max(self._updated, self._paused_until)
        if now > start:
            self._tokens = min(self.burst, self._tokens + (now - start) * self.rate)
        self._updated = max(self._updated, now)

    def reserve(self) -> float:
        with self._lock:
            now = self._clock()
            self._refill(now)
            self._tokens -= 1.0
            wait = max(0.0, self._paused_until - now)
            if self._tokens < 0:
                wait += -self._tokens / self.rate
            return wait

    def acquire(self, sleep: Callable[[float], None] = time.sleep) -> float:
        """Take a token, sleeping until it may be used; answers the seconds slept."""
        wait = self.reserve()
        if wait > 0:
            sleep(wait)
        return wait

    def pause(self, seconds: float) -> None:
        with self._lock:
            now = self._clock()
            self._refill(now)
            self._paused_until = max(self._paused_until, now + seconds)
            self._tokens = min(self._tokens, 1.0)  # one token waits for the end of the pause
