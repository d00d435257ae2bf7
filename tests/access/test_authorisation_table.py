"""The authorisation table as the product means it (SPEC T "who may send what", seed 000, seed 003), written
here independently of the code: who of each kind of party may act, per rule. The matrix tests check that the
server does what the code's table says; this checks that the code's table says what it should, and that
docs/security.md shows it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.access.world import KINDS, expected_allowed
from toldsystem.access.authorisation import MESSAGES, ROOMS, markdown

COMPANIES = {"holder", "representative", "representative_without_power", "trader_at_destination", "unrelated",
             "association"}
EVERYONE = set(KINDS)
OFFICE = {"officer_competent", "national_officer"}  # an officer of the office concerned, and a national one
OFFICERS = OFFICE | {"officer_other_office"}

INTENDED = {
    # transit
    "message.send": COMPANIES, "outbox.read": EVERYONE, "messages.find": EVERYONE, "movement.list": EVERYONE, "webhook.manage": COMPANIES,
    "movement.read": {"holder", "representative", "trader_at_destination"} | OFFICE,
    "message.read": {"holder"} | OFFICE, "held.read": {"holder"} | OFFICERS,
    "movement.release": OFFICE, "movement.control": OFFICE, "movement.refuse_release": OFFICE,
    "movement.control_result": OFFICE, "movement.request_amendment": OFFICE, "movement.invalidate": OFFICE,
    "movement.register_incident": OFFICE, "movement.recover": OFFICE, "movement.permit_unloading": OFFICE,
    "movement.resolve_discrepancies": OFFICE, "movement.work_list": OFFICERS, "movement.office_read": OFFICE, "pre_lodged.control": OFFICE, "pre_lodged.expire": {"national_officer"},
    "CC015C": {"holder", "representative"}, "CC013C": {"holder", "representative"},
    "CC014C": {"holder", "representative"}, "CC170C": {"holder", "representative"},
    "CC007C": {"trader_at_destination"}, "CC044C": {"trader_at_destination"},
    # import (DMS Import): the declarant (holder) and its named representative lodge, present and read; the consignee
    # (the trader the goods are for) reads its own; officers of the office decide; national officers set the settings
    "import.declaration.lodge": COMPANIES, "import.declaration.list": EVERYONE, "import.outbox.read": EVERYONE,
    "import.notification.read": {"holder"} | OFFICERS,
    "import.declaration.read": {"holder", "representative", "trader_at_destination"} | OFFICE,
    "import.notice.read": {"holder", "representative", "trader_at_destination"} | OFFICE,
    "import.declaration.present": {"holder", "representative"} | OFFICE, "import.declaration.control_result": OFFICE,
    "import.held.read": {"holder"} | OFFICERS, "import.due.list": EVERYONE, "import.due.sweep": {"national_officer"},
    "import.case.list": OFFICERS, "import.case.close": OFFICERS, "import.settings.read": OFFICERS,
    "import.settings.rules": {"national_officer"}, "import.settings.tariff": {"national_officer"},
    "import.settings.credit": {"national_officer"},
    # export
    "export.message.send": {"holder", "representative"}, "export.outbox.read": EVERYONE,
    "export.held.read": {"holder"} | OFFICERS, "export.notification.read": {"holder"} | OFFICERS,
    "export.declaration.read": {"holder", "representative"} | OFFICE,
    "export.declaration.goods_presented": {"holder", "representative"} | OFFICE,
    "export.declaration.invalidate": {"holder", "representative"} | OFFICE,
    "export.declaration.release": OFFICE, "export.declaration.control": OFFICE,
    "export.declaration.presentation": OFFICE, "export.declaration.arrival": OFFICE, "export.declaration.exit": OFFICE,
    # guarantees
    "guarantee.register": OFFICE, "guarantee.approve": OFFICE, "guarantee.revoke": OFFICE,
    "guarantee.list": EVERYONE, "guarantee.read": {"holder"} | OFFICE, "guarantee.balance": EVERYONE,
    "guarantee.check_and_reserve": {"holder"}, "access_code.manage": {"holder"},
    "code_attempts.read": {"holder"} | OFFICE, "code_attempts.clear": {"holder"} | OFFICE,
    "voucher.sell": {"association"} | OFFICE, "voucher.register": OFFICE, "voucher.list": EVERYONE,
    "reservation.release": {"national_officer"}, "guarantee.work_list": OFFICERS,
    # companies
    "company.register": {"national_officer"}, "company.list": EVERYONE, "company.read": {"holder"} | OFFICERS,
    "company.registration": {"national_officer"}, "authorisation.list": {"holder"} | OFFICERS,
    "authorisation.grant": {"national_officer"}, "authorisation.revoke": {"national_officer"},
    "power.grant": {"holder", "national_officer"}, "power.list": {"holder"} | OFFICERS,
    "power.revoke": {"holder", "representative", "national_officer"},
    # reference data
    "reference.read": EVERYONE,
    # the operations board (public to read: no token, so not in this table of who may act)
    "operations.publish": OFFICERS, "operations.change": OFFICERS,
    # users, sessions and the audit log (signing in and changing a password need no token: the password is the proof)
    "session.read": EVERYONE, "session.end": EVERYONE, "user.list": EVERYONE, "audit.read": EVERYONE,
    "user.create": {"holder", "national_officer"}, "user.read": {"holder", "national_officer"},
    "user.manage": {"holder", "national_officer"}, "user.keys": {"holder", "national_officer"},
    "portal.users": {"holder", "national_officer"},
    # the declarants' pages (the portal, issue 12 part 2): companies' doors; each message sent keeps its own rule
    "portal.dashboard": COMPANIES, "portal.upload": COMPANIES, "portal.declare": {"holder", "representative"},
    "portal.movement": {"holder", "representative", "trader_at_destination"}, "portal.message": {"holder"},
    "portal.arrival": {"trader_at_destination"}, "portal.guarantees": {"holder"},  # the administrator's users pages (the portal)
    # following it: anyone signed in subscribes; a subscription is its maker's; the operator sees every one
    "subscription.make": EVERYONE, "subscription.own": {"holder"}, "subscription.administer": {"national_officer"},
    # signing certificates for ICS and Manifest (seed 000): the company registers its own; it and officers see,
    # revoke and verify against them
    "certificate.register": {"holder"}, "certificate.list": {"holder"} | OFFICERS,
    "certificate.read": {"holder"} | OFFICERS, "certificate.revoke": {"holder"} | OFFICERS,
    "signature.verify": {"holder"} | OFFICERS,
}


def test_the_code_table_admits_exactly_the_intended_parties():
    tables = {name: entry for rules, _routes in ROOMS.values() for name, entry in rules.items()} | MESSAGES
    actual = {name: {kind for kind in KINDS if expected_allowed(kind, entry.actors)}
              for name, entry in tables.items() if entry.actors}  # system.health needs no token at all
    assert actual == INTENDED


def test_every_route_names_a_rule_of_its_room():
    for room, (rules, routes) in ROOMS.items():
        assert set(routes.values()) <= set(rules), room


def test_docs_show_the_table_as_the_code_has_it():
    page = (Path(__file__).parents[2] / "docs" / "security.md").read_text()
    shown = re.search(r"<!-- generated by `told access table`.*?-->\n(.*)<!-- end of the generated table -->",
                      page, re.S)
    assert shown and shown.group(1).strip() == markdown().strip(), "run `told access table` into docs/security.md"
