"""Box D in the standard procedure: the time limit and the seals the office of departure sets when it
releases a movement (seed 003: "Ved opstart i standardproceduren er denne rubrik forbeholdt SKAT").
Pure: no IO."""

from __future__ import annotations

from datetime import date, timedelta

from toldsystem.core.errors import Problem, problem

MAX_SEALS = 99  # phase 5: Seal repeats at most 99 times per transport equipment
SEAL_IDENTIFIER_LENGTH = 20  # phase 5: Seal identifier an..20
LONGEST_USUAL_LIMIT = 8  # seed 003 box D: "må kun i særlige tilfælde overstige 8 dage"


def default_limit_date(released: date, route_countries: list[str]) -> date:
    """Box D (seed 003): without a time limit from the officer, two days for each country the route
    enters after the first, at least two days and at most the 8 days the seed allows in the usual case."""
    days = min(LONGEST_USUAL_LIMIT, max(2, 2 * (len(route_countries) - 1)))
    return released + timedelta(days=days)


def check_limit_date(limit: date, released: date) -> Problem | None:
    """Box D: the time limit falls on or after the day of release."""
    if limit >= released:
        return None
    return problem("release.limit_date_past", "limit_date",
                   f"the time limit {limit.isoformat()} is before the release on {released.isoformat()}",
                   f"tidsfristen {limit.isoformat()} ligger før frigivelsen den {released.isoformat()}")


def check_seals(seals: list[str]) -> list[Problem]:
    """Seals (seed 003 "Forseglingsmærke"): each identifier 1 to 20 characters, at most 99."""
    found = []
    if len(seals) > MAX_SEALS:
        found.append(problem("release.too_many_seals", "seals", f"at most {MAX_SEALS} seals per transport equipment",
                             f"højst {MAX_SEALS} forseglinger pr. transportudstyr"))
    for index, seal in enumerate(seals):
        if not seal.strip() or len(seal) > SEAL_IDENTIFIER_LENGTH or seal != seal.strip():
            found.append(problem("release.seal_identifier", f"seals/{index}",
                                 f"a seal identifier is 1 to {SEAL_IDENTIFIER_LENGTH} characters without "
                                 "leading or trailing spaces",
                                 f"et forseglingsmærke er 1 til {SEAL_IDENTIFIER_LENGTH} tegn uden mellemrum "
                                 "først eller sidst"))
    return found


def with_seals(consignment: dict, seals: list[str]) -> dict:
    """The consignment with the office's seals on its first transport equipment (a sealed vehicle
    without container gets an equipment of its own); the other equipment keeps its seals."""
    if not seals and not consignment.get("TransportEquipment"):
        return consignment
    equipment = [dict(e) for e in consignment.get("TransportEquipment", [])] or [{"sequenceNumber": "1"}]
    equipment[0]["numberOfSeals"] = str(len(seals))
    equipment[0]["Seal"] = [{"sequenceNumber": str(i), "identifier": s} for i, s in enumerate(seals, start=1)]
    if not seals:
        del equipment[0]["Seal"]
    return {**consignment, "TransportEquipment": equipment}
