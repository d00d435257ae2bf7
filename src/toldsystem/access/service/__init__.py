"""The access room's service, the only seam to its store: tokens, users and roles, signing in (passwords, SSH
keys), web sessions, and the audit log every room writes to (`audit.record`)."""

from toldsystem.access.service import audit, sessions, users
from toldsystem.access.service.signin import (PasswordExpired, SignInWaiting, change_password, party_for_public_key,
                                              sign_in)
from toldsystem.access.service.signin import refuse as refuse_sign_in
from toldsystem.access.service.tokens import (authenticate, issue_company_token, issue_officer_token,
                                              issue_user_token, revoke)
from toldsystem.access.service.users import User

__all__ = ["PasswordExpired", "SignInWaiting", "User", "audit", "authenticate", "change_password",
           "issue_company_token", "issue_officer_token", "issue_user_token", "party_for_public_key", "refuse_sign_in",
           "revoke", "sessions", "sign_in", "users"]
