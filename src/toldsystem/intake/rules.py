"""What the durable intake queue allows (ARCHITECTURE "Durable intake queue", SPEC O): pure, no store.

A submission held during a queued window waits until the board opens its channel again; the queue is bounded per
sender, so one sender cannot fill the store (or delay everyone's processing after the window) without limit.
"""

from __future__ import annotations

from toldsystem.access.rules import Party
from toldsystem.core.errors import Problem, problem
from toldsystem.operations.availability import QUEUED, REJECTED

HELD, PROCESSED, FAILED = "held", "processed", "failed"
STATES = (HELD, PROCESSED, FAILED)

# Per sender, held at once. A forwarder's busiest evening is a few hundred declarations an hour, and a queued window
# lasts hours at most (the agency's longest, 24 h, rejected instead): 2,000 messages hold that, and 256 MiB holds
# them at 30 times a 5-item declaration's size (~4 KiB) — while one sender's backlog stays minutes of processing.
MAX_HELD_PER_SENDER = 2000
MAX_HELD_BYTES_PER_SENDER = 256 * 1024 * 1024
MAX_ATTEMPTS = 5  # failed attempts (not refusals) before a held submission is given up as failed


def channel_open(state: str) -> bool:
    """Held submissions are processed once the board neither queues nor rejects their channel (SPEC O: 'processed
    when the service window has passed')."""
    return state not in (QUEUED, REJECTED)


def within_bounds(held_count: int, held_bytes: int, size: int) -> Problem | None:
    """A sender holds at most MAX_HELD_PER_SENDER submissions and MAX_HELD_BYTES_PER_SENDER bytes at once."""
    if held_count + 1 > MAX_HELD_PER_SENDER or held_bytes + size > MAX_HELD_BYTES_PER_SENDER:
        return problem("intake.queue_full", "/",
                       f"You already have {held_count} submissions waiting for the service window to end (at most "
                       f"{MAX_HELD_PER_SENDER}, {MAX_HELD_BYTES_PER_SENDER // (1024 * 1024)} MiB); send this one "
                       "after the window",
                       f"Du har allerede {held_count} indsendelser, der venter på at servicevinduet slutter (højst "
                       f"{MAX_HELD_PER_SENDER}, {MAX_HELD_BYTES_PER_SENDER // (1024 * 1024)} MiB); send denne efter "
                       "vinduet")
    return None


def may_read(party: Party, sender: str) -> bool:
    """A held submission is read by its sender or an officer (docs/security.md); to others it is unknown."""
    return party.is_officer or party.key == sender


def gave_up(attempts: int) -> bool:
    """After MAX_ATTEMPTS failed attempts a submission is failed, so the ones behind it are not held up for ever."""
    return attempts >= MAX_ATTEMPTS
