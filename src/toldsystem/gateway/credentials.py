"""Who signs in to the file gateway: the one place SFTP and FTPS check a user, through the access room's seam.

A company's user signs in with its username and password (seed 000's rules; wrong passwords are counted and
answered with a growing wait by access/, which says how) or, over SFTP, with an SSH key registered for it.
The gateway is the companies' channel to NCTS: officers act through the API, and a user needs its company's
transit role to put files in (checked at each upload, gateway/inbox.py).
"""

from __future__ import annotations

from toldsystem.access import service as access
from toldsystem.access.rules import Party
from toldsystem.core.errors import Unauthenticated, problem

PasswordExpired = access.PasswordExpired


def sign_in(username: str, password: str, *, channel: str) -> Party:
    """The company a gateway user acts for; Unauthenticated, SignInWaiting (too many wrong in a row),
    PasswordExpired (change it first) or Forbidden (the company is no longer registered)."""
    return _company(access.sign_in(username, password, channel=channel))


def sign_in_with_key(username: str, public_key_openssh: str, *, channel: str = "sftp") -> Party:
    """The company of a user proving one of its registered SSH keys (the SSH layer checked the signature)."""
    return _company(access.party_for_public_key(username, public_key_openssh).via(channel, None))


def change_password(username: str, current: str, new: str, *, channel: str) -> Party:
    """A forced change at sign-in (seed 000: an expired or reset password), then the sign-in with the new one."""
    access.change_password(username, current, new, channel=channel)
    return sign_in(username, new, channel=channel)


def _company(party: Party) -> Party:
    if party.is_officer:
        raise Unauthenticated(problem("gateway.company_only", "username",
                                      "the file gateway is for companies; officers use the API",
                                      "filgatewayen er for virksomheder; toldmedarbejdere bruger API'et"))
    return party
