"""Who signs in to the file gateway: the one place SFTP and FTPS check a username and password.

Until users with passwords exist (access/, issue 11 part 2), the username is the company's EORI and the
password one of its API tokens (`told access company-token`). Wrong passwords are counted per username:
after FREE_FAILURES in a row, that username is refused without a look-up for a time that doubles with
each further failure (at most MAX_PAUSE), so guessing is slow while the right password still works
once the pause is over — a stranger cannot lock a company out for longer than that.
"""

from __future__ import annotations

import logging
import threading
import time

from toldsystem.access import service as access
from toldsystem.access.rules import Party
from toldsystem.core.errors import ToldError, Unauthenticated, problem

FREE_FAILURES = 5
MAX_PAUSE = 300.0  # seconds

log = logging.getLogger(__name__)
_lock = threading.Lock()
_failures: dict[str, tuple[int, float]] = {}  # username -> (failures in a row, monotonic time of the last)


def sign_in(username: str, password: str, *, channel: str) -> Party:
    """The company a gateway user acts for, or Unauthenticated (wrong, paused or not a company's)."""
    if _paused(username):
        log.warning("%s sign-in for %r refused: paused after repeated failures", channel, username[:40])
        raise _refusal()
    try:
        party = access.authenticate(password)
    except ToldError:
        party = None
    if party is None or party.is_officer or party.eori != username:
        count = _failed(username)
        log.warning("%s sign-in for %r failed (%d in a row)", channel, username[:40], count)
        raise _refusal()
    with _lock:
        _failures.pop(username, None)
    return party


def failures(username: str) -> int:
    """Wrong passwords given for `username` in a row since its last successful sign-in."""
    with _lock:
        return _failures.get(username, (0, 0.0))[0]


def forget() -> None:
    """Forget every count (tests)."""
    with _lock:
        _failures.clear()


def _paused(username: str) -> bool:
    with _lock:
        count, last = _failures.get(username, (0, 0.0))
    if count < FREE_FAILURES:
        return False
    return time.monotonic() - last < min(MAX_PAUSE, 2.0 ** (count - FREE_FAILURES))


def _failed(username: str) -> int:
    with _lock:
        if len(_failures) > 100_000:  # bounded: a flood of invented usernames starts the count over
            _failures.clear()
        count = _failures.get(username, (0, 0.0))[0] + 1
        _failures[username] = (count, time.monotonic())
        return count


def _refusal() -> Unauthenticated:
    return Unauthenticated(problem("gateway.sign_in", "password", "wrong username or password",
                                   "forkert brugernavn eller adgangskode"))
