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


def sign_in(username: str, password: str, *, channel: str, client: str | None = None) -> Party:
    """The company a gateway user acts for, signed in from `client` (its address); Unauthenticated, SignInWaiting
    (too many wrong in a row), PasswordExpired (change it first) or Forbidden (the company is no longer
    registered). Every refusal is audited (access/service/signin.py)."""
    return _company(access.sign_in(username, password, channel=channel, client=client))


def sign_in_with_key(username: str, public_key_openssh: str, *, channel: str = "sftp",
                     client: str | None = None) -> Party:
    """The company of a user proving one of its registered SSH keys (the SSH layer checked the signature)."""
    return _company(access.party_for_public_key(username, public_key_openssh).via(channel, client))


def change_password(username: str, current: str, new: str, *, channel: str, client: str | None = None) -> Party:
    """A forced change at sign-in (seed 000: an expired or reset password), then the sign-in with the new one."""
    access.change_password(username, current, new, channel=channel, client=client)
    return sign_in(username, new, channel=channel, client=client)


def change_first(expired: PasswordExpired) -> str:
    """What an FTPS client is told when its password must be changed first (seed 000): FTP has no way to change a
    password, so the reply says where to, in Danish and English, on one line (FTP's 530 reply)."""
    if expired.reset:
        why_da, why_en = "Din adgangskode er nulstillet", "Your password was reset"
    else:
        why_da, why_en = ("Din adgangskode er udløbet (den skal skiftes hver 3. måned)",
                          "Your password has expired (seed 000: it is changed every 3 months)")
    return (f"{why_da}: skift den, før du logger ind med FTPS - log ind med SFTP, som beder om en ny, eller brug "
            f"POST /api/v1/access/password - og log så ind igen. / {why_en}: change it before signing in over FTPS "
            "- sign in over SFTP, which asks for a new one, or use POST /api/v1/access/password - then sign in "
            "again.")


def _company(party: Party) -> Party:
    if party.is_officer:
        access.refuse_sign_in(party.user or party.name, "company_only", channel=party.channel, client=party.client)
        raise Unauthenticated(problem("gateway.company_only", "username",
                                      "the file gateway is for companies; officers use the API",
                                      "filgatewayen er for virksomheder; toldmedarbejdere bruger API'et"))
    return party
