"""Users and roles (issue 11 part 1): usernames tied to the CVR and fixed, the administrator's powers over its own
company's users only, signing in by password (seed 000) with expiry, forced change and back-off, SSH keys."""

from __future__ import annotations

import base64
import os
from datetime import timedelta

import pytest

from tests.conftest import CONSIGNOR, FORWARDER, IMPORTER, register_company
from toldsystem import db
from toldsystem.access import passwords, service
from toldsystem.access.rules import ALL_ROLES, OPERATOR, Party
from toldsystem.access.service import users
from toldsystem.companies import service as companies
from toldsystem.core.errors import Forbidden, NotFound, Rejected, Unauthenticated


def admin_of(eori: str) -> Party:
    """The company's first administrator, as its (pre-users) company token authenticates."""
    if companies.find(eori) is None:
        register_company(eori)
    return service.authenticate(service.issue_company_token(eori, "admin"))


def ready(username: str, temporary: str, new: str = "Nyt42ode") -> str:
    """The forced first change (seed 000): from the temporary password to `new`."""
    service.change_password(username, temporary, new, channel="api")
    return new


def test_usernames_are_the_cvr_and_a_serial_given_at_creation(store):
    admin = admin_of(FORWARDER)
    assert admin.user == "13585628-001" and admin.roles == ALL_ROLES
    first, _ = users.create("Mette Hansen", ["transit"], by=admin)
    second, _ = users.create("Jens Olsen", ["guarantees"], by=admin)
    assert (first.username, second.username) == ("13585628-002", "13585628-003")
    assert first.eori == FORWARDER and first.roles == {"transit"}
    users.set_disabled(first.username, True, by=admin)
    third, _ = users.create("Ole Berg", ["transit"], by=admin)
    assert third.username == "13585628-004"  # a username is never given twice


def test_a_foreign_company_and_officers_get_their_own_forms(store):
    register_company("DE123456789012345")
    user, _ = users.create("Hans Weber", ["transit"], eori="DE123456789012345")
    officer, _ = users.create("Officer Olsen", ["transit"], officer=True, office="DK009264")
    national, _ = users.create("Officer Holm", ["admin"], officer=True)
    assert (user.username, officer.username, national.username) == ("DE123456789012345-001", "TS-DK009264-001",
                                                                      "TS-001")


def test_unknown_roles_and_missing_names_are_refused_by_name(store):
    admin = admin_of(FORWARDER)
    with pytest.raises(Rejected) as refused:
        users.create("Mette", ["transit", "superuser"], by=admin)
    assert [p.code for p in refused.value.problems] == ["user.role_unknown"] and "superuser" in str(refused.value)
    with pytest.raises(Rejected, match="name"):
        users.create("  ", ["transit"], by=admin)


def test_an_administrator_manages_only_its_own_company(store):
    a, b = admin_of(FORWARDER), admin_of(IMPORTER)
    mine, _ = users.create("Mette", ["transit"], by=a)
    with pytest.raises(NotFound):
        users.create("Spy", ["transit"], eori=FORWARDER, by=b)
    for act in (lambda: users.get(mine.username, by=b), lambda: users.set_roles(mine.username, ["admin"], by=b),
                lambda: users.reset_password(mine.username, by=b), lambda: service.issue_user_token(mine.username, "x",
                                                                                                    by=b)):
        with pytest.raises(NotFound) as unknown:
            act()
        assert unknown.value.problems[0].code == "user.unknown"
    assert {u.username for u in users.visible(by=b)} == {"12345674-001"}
    assert {u.username for u in users.visible(by=a)} == {"13585628-001", mine.username}


def test_a_user_without_the_administrator_role_manages_nobody(store):
    admin = admin_of(FORWARDER)
    clerk, temporary = users.create("Mette", ["transit"], by=admin)
    ready(clerk.username, temporary)
    party = service.sign_in(clerk.username, "Nyt42ode", channel="api")
    with pytest.raises(Forbidden):
        users.create("Other", ["transit"], by=party)
    with pytest.raises(Forbidden):  # a colleague may know the administrator exists: 403, not "unknown"
        users.set_roles("13585628-001", ["transit"], by=party)
    assert [u.username for u in users.visible(by=party)] == [clerk.username]  # itself only
    assert users.get(clerk.username, by=party).username == clerk.username


def test_sign_in_gives_the_party_with_the_users_roles_through_the_channel(store):
    user, temporary = users.create("Mette", ["transit", "import"], by=admin_of(FORWARDER))
    with pytest.raises(service.PasswordExpired) as expired:  # the temporary password must be changed first
        service.sign_in(user.username, temporary, channel="sftp")
    assert expired.value.problems[0].code == "auth.password_expired" and expired.value.status == 403
    ready(user.username, temporary)
    party = service.sign_in(user.username, "Nyt42ode", channel="ftps")
    assert (party.eori, party.user, party.roles, party.channel) == (FORWARDER, user.username,
                                                                   frozenset({"transit", "import"}), "ftps")


def test_passwords_are_case_sensitive_and_stored_with_argon2(store):
    user, temporary = users.create("Mette", ["transit"], by=admin_of(FORWARDER))
    ready(user.username, temporary, "Abcd12xy")
    with pytest.raises(Unauthenticated):
        service.sign_in(user.username, "abcd12xy", channel="api")
    with db.reading() as conn:
        stored = users.row_of(conn, user.username).password_hash
    assert stored.startswith("$argon2id$") and "Abcd12xy" not in stored


def test_a_forced_change_must_keep_the_rules_and_change_three_characters(store):
    user, temporary = users.create("Mette", ["transit"], by=admin_of(FORWARDER))
    two_changed = temporary[:-2] + "".join("x" if c != "x" else "y" for c in temporary[-2:])
    for new, code in ((two_changed, "password.too_few_changed"), ("abc de12", "password.space"),
                      ("Nyt4kød1", "password.danish_letter"), ("kort1", "password.too_short")):
        with pytest.raises(Rejected) as refused:
            service.change_password(user.username, temporary, new, channel="api")
        assert code in {p.code for p in refused.value.problems}, new
    with pytest.raises(Unauthenticated):  # the current password is the proof
        service.change_password(user.username, "Forkert12", "Nyt42ode", channel="api")
    ready(user.username, temporary)
    assert service.sign_in(user.username, "Nyt42ode", channel="api").user == user.username


def test_the_password_expires_after_three_months(store, fixed_clock):
    user, temporary = users.create("Mette", ["transit"], by=admin_of(FORWARDER))
    ready(user.username, temporary)
    fixed_clock.advance(days=89)
    assert service.sign_in(user.username, "Nyt42ode", channel="api")
    fixed_clock.advance(days=3)  # 23 November + 3 months = 23 February
    with pytest.raises(service.PasswordExpired):
        service.sign_in(user.username, "Nyt42ode", channel="api")
    with pytest.raises(Unauthenticated):  # a wrong password is told so, not that the right one expired
        service.sign_in(user.username, "Forkert12", channel="api")
    with pytest.raises(Rejected):  # the same password again changes nothing
        service.change_password(user.username, "Nyt42ode", "Nyt42ode", channel="api")
    service.change_password(user.username, "Nyt42ode", "Ny95kaXe", channel="api")
    assert service.sign_in(user.username, "Ny95kaXe", channel="api").user == user.username


def test_wrong_passwords_back_off_but_never_lock_for_good(store, fixed_clock):
    user, temporary = users.create("Mette", ["transit"], by=admin_of(FORWARDER))
    ready(user.username, temporary)
    for _ in range(3):
        with pytest.raises(Unauthenticated):
            service.sign_in(user.username, "Gaet1234", channel="api")
    with pytest.raises(service.SignInWaiting) as waiting:  # even the right password waits
        service.sign_in(user.username, "Nyt42ode", channel="api")
    assert waiting.value.status == 429 and "30 seconds" in waiting.value.problems[0].en
    fixed_clock.advance(seconds=31)
    for _ in range(30):  # a stranger keeps guessing whenever it may: the wait grows to 15 minutes, no more
        try:
            service.sign_in(user.username, "Gaet1234", channel="api")
        except service.SignInWaiting:
            pass
        except Unauthenticated:
            pass
        fixed_clock.advance(seconds=passwords.LONGEST_WAIT_SECONDS + 1)
    assert users.get(user.username).waiting_until - fixed_clock.now() <= timedelta(minutes=15)
    party = service.sign_in(user.username, "Nyt42ode", channel="api")  # after the wait: in, and the count cleared
    assert party.user == user.username and users.get(user.username).waiting_until is None


def test_the_administrators_reset_clears_the_wait_and_forces_a_change(store):
    admin = admin_of(FORWARDER)
    user, temporary = users.create("Mette", ["transit"], by=admin)
    ready(user.username, temporary)
    for _ in range(4):
        with pytest.raises((Unauthenticated, service.SignInWaiting)):
            service.sign_in(user.username, "Gaet1234", channel="api")
    again = users.reset_password(user.username, by=admin)
    with pytest.raises(service.PasswordExpired):
        service.sign_in(user.username, again, channel="api")
    ready(user.username, again, "Frisk123")
    assert service.sign_in(user.username, "Frisk123", channel="api")


def test_an_unknown_user_a_disabled_one_and_a_wrong_password_are_told_the_same(store):
    admin = admin_of(FORWARDER)
    user, temporary = users.create("Mette", ["transit"], by=admin)
    ready(user.username, temporary)
    answers = []
    for name, password in (("99999999-001", "Nyt42ode"), (user.username, "Forkert1")):
        with pytest.raises(Unauthenticated) as refused:
            service.sign_in(name, password, channel="api")
        answers.append(refused.value.problems)
    users.set_disabled(user.username, True, by=admin)
    with pytest.raises(Unauthenticated) as refused:
        service.sign_in(user.username, "Nyt42ode", channel="api")
    assert answers[0] == answers[1] == refused.value.problems
    with pytest.raises(Unauthenticated):
        service.sign_in("x" * 10_000, "y" * 10_000, channel="api")  # bounded: refused before any hashing


def _public_key() -> str:
    blob = (len(b"ssh-ed25519").to_bytes(4, "big") + b"ssh-ed25519" + (32).to_bytes(4, "big") + os.urandom(32))
    return "ssh-ed25519 " + base64.b64encode(blob).decode() + " mette@laptop"


def test_a_user_signs_in_with_its_registered_ssh_key_until_it_is_revoked(store):
    admin = admin_of(FORWARDER)
    user, temporary = users.create("Mette", ["transit"], by=admin)
    key = _public_key()
    ready(user.username, temporary)
    own = service.sign_in(user.username, "Nyt42ode", channel="api")
    fingerprint = users.add_key(user.username, key, by=own)  # the user registers its own key
    assert fingerprint.startswith("SHA256:") and len(fingerprint) == 50
    party = service.party_for_public_key(user.username, key.rsplit(" ", 1)[0])  # the comment does not matter
    assert (party.user, party.eori, party.roles) == (user.username, FORWARDER, frozenset({"transit"}))
    for name, other in ((user.username, _public_key()), ("13585628-001", key)):
        with pytest.raises(Unauthenticated):
            service.party_for_public_key(name, other)
    users.revoke_key(user.username, fingerprint, by=admin)
    with pytest.raises(Unauthenticated):
        service.party_for_public_key(user.username, key)


@pytest.mark.parametrize("text", ["", "ssh-ed25519", "ssh-ed25519 !!!notbase64", "ssh-dss AAAAB3NzaC1kc3M=",
                                  "ssh-ed25519 " + base64.b64encode(b"\x00\x00\x00\x07ssh-rsa" + b"x" * 40).decode(),
                                  "ssh-ed25519 " + "A" * 20_000])
def test_a_malformed_public_key_is_refused_by_name(store, text):
    admin = admin_of(FORWARDER)
    with pytest.raises(Rejected) as refused:
        users.add_key("13585628-001", text, by=admin)
    assert refused.value.problems[0].code == "key.malformed"
    with pytest.raises(Unauthenticated):
        service.party_for_public_key("13585628-001", text)


def test_another_companys_administrator_cannot_touch_a_users_keys(store):
    a, b = admin_of(FORWARDER), admin_of(CONSIGNOR)
    with pytest.raises(NotFound):
        users.add_key("13585628-001", _public_key(), by=b)
    with pytest.raises(NotFound):
        users.keys("13585628-001", by=b)
    assert users.keys("13585628-001", by=a) == []


def test_a_token_acts_with_its_users_roles_as_they_are_now(store):
    admin = admin_of(FORWARDER)
    user, _ = users.create("Mette", ["transit"], by=admin)
    token = service.issue_user_token(user.username, "erp", by=admin)
    assert service.authenticate(token).roles == {"transit"}
    users.set_roles(user.username, ["guarantees"], by=admin)
    assert service.authenticate(token).roles == {"guarantees"}
    users.set_disabled(user.username, True, by=admin)
    with pytest.raises(Unauthenticated):
        service.authenticate(token)


def test_the_operator_is_a_national_administrator(store):
    register_company(FORWARDER)
    user, _ = users.create("Mette", ["transit"], eori=FORWARDER, by=OPERATOR)
    assert users.get(user.username, by=OPERATOR).eori == FORWARDER
