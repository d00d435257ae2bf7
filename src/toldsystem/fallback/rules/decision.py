"""Decision support for the officer (seed 002 "Generelt"; SPEC F): how long the outage has lasted and is expected to
last against the 30–60 minute guide, whether a planned downtime announced in advance always permits fallback,
and whether fallback has ended because the system is back. It informs; it never grants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from toldsystem.fallback.rules.model import Outage

GUIDE_LOW, GUIDE_HIGH = timedelta(minutes=30), timedelta(minutes=60)


class Guide(StrEnum):
    """Where the outage stands against the seed's "mere end 30 til 60 minutter"."""

    BELOW = "below_30"  # under 30 minutes: permission not to be expected (it may still be given earlier)
    WITHIN = "30_to_60"  # between 30 and 60 minutes: the officer's concrete assessment
    ABOVE = "above_60"  # over 60 minutes: permission to be expected


@dataclass(frozen=True, slots=True)
class OutageAssessment:
    """What the officer is shown: lasted so far, expected in all, the guide, planned downtime, ended."""

    lasted: timedelta
    expected: timedelta | None  # from start to the expected end, when one is known
    guide: Guide
    planned_always_permits: bool
    ended: bool
    en: str
    da: str


def _minutes(d: timedelta) -> int:
    return int(d.total_seconds() // 60)


def guide_for(duration: timedelta) -> Guide:
    """Seed 002 "Generelt": where a duration stands against 30 to 60 minutes."""
    if duration < GUIDE_LOW:
        return Guide.BELOW
    return Guide.WITHIN if duration <= GUIDE_HIGH else Guide.ABOVE


def planned_downtime_permits(o: Outage) -> bool:
    """Seed 002 "Generelt": planned downtime announced in advance "gives der altid tilladelse … såfremt nedetiden er
    forventet at vare mere end 60 minutter"."""
    return (o.planned and o.announced_at is not None and o.announced_at <= o.started_at
            and o.expected_end is not None and o.expected_end - o.started_at > GUIDE_HIGH)


def system_back(o: Outage, at: datetime) -> bool:
    """Seed 002 "Generelt": "Når systemet(erne) er i drift igen … brugen af nødprocedure ophører"."""
    return o.back_at is not None and o.back_at <= at


def assess_outage(o: Outage, at: datetime) -> OutageAssessment:
    """Seed 002 "Generelt": the facts for the officer's concrete assessment at `at`."""
    end = min(at, o.back_at) if o.back_at is not None else at
    lasted = max(end - o.started_at, timedelta(0))
    expected = o.expected_end - o.started_at if o.expected_end is not None else None
    guide = guide_for(max(lasted, expected or timedelta(0)))
    planned = planned_downtime_permits(o)
    ended = system_back(o, at)
    if ended:
        en, da = "the system is back: fallback has ended", "systemet er i drift igen: nødproceduren er ophørt"
    elif planned:
        en = "planned downtime announced in advance, expected over 60 minutes: fallback is always permitted"
        da = "planlagt nedetid meldt ud på forhånd, forventet over 60 minutter: nødprocedure tillades altid"
    else:
        en = (f"down {_minutes(lasted)} min" + (f", expected {_minutes(expected)} min" if expected else "")
              + {Guide.BELOW: ": under the 30-60 minute guide", Guide.WITHIN: ": within the 30-60 minute guide, "
                 "assess the circumstances", Guide.ABOVE: ": beyond the 30-60 minute guide, permission is to be "
                 "expected"}[guide])
        da = (f"nede i {_minutes(lasted)} min" + (f", forventet {_minutes(expected)} min" if expected else "")
              + {Guide.BELOW: ": under vejledningens 30-60 minutter", Guide.WITHIN: ": inden for 30-60 minutter, "
                 "vurder de konkrete omstændigheder", Guide.ABOVE: ": over 30-60 minutter, tilladelse kan "
                 "forventes"}[guide])
    if o.board_fallback == "not_allowed" and not ended:
        en += "; the board's message says fallback is not allowed"
        da += "; driftsmeddelelsen siger, at nødprocedure ikke er tilladt"
    return OutageAssessment(lasted, expected, guide, planned, ended, en, da)
