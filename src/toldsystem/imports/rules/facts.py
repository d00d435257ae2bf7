"""How an import rule is shaped and says what is wrong, and the Danish day of an instant."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from toldsystem.core.clock import COPENHAGEN
from toldsystem.core.errors import Problem, problem
from toldsystem.imports.rules.model import Declaration

Result = Problem | list[Problem] | None
Rule = Callable[[Declaration, datetime], Result]


def import_problem(code: str, pointer: str, en: str, da: str) -> Problem:
    """A problem of the import rules: `import.<code>` at the pointer, in English and Danish."""
    return problem(f"import.{code}", pointer, en, da)


def danish_day(instant: datetime) -> date:
    """The date in Denmark (Europe/Copenhagen) of an aware instant."""
    return instant.astimezone(COPENHAGEN).date()


def as_list(result: Result) -> list[Problem]:
    """A rule's result as a list."""
    if result is None:
        return []
    return [result] if isinstance(result, Problem) else list(result)
