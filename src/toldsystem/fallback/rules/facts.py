"""How a fallback rule says what is wrong: `fallback.<code>` at a pointer, in English and Danish."""

from __future__ import annotations

from toldsystem.core.errors import Problem, problem

Result = Problem | list[Problem] | None


def fallback_problem(code: str, pointer: str, en: str, da: str) -> Problem:
    """A problem of the fallback rules."""
    return problem(f"fallback.{code}", pointer, en, da)


def as_list(result: Result) -> list[Problem]:
    """A rule's result as a list."""
    if result is None:
        return []
    return [result] if isinstance(result, Problem) else list(result)
