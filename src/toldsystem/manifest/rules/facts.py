"""How a Manifest rule says what is wrong: `manifest.<code>` at a pointer, in English and Danish."""

from __future__ import annotations

from toldsystem.core.errors import Problem, problem

Result = Problem | list[Problem] | None


def manifest_problem(code: str, pointer: str, en: str, da: str) -> Problem:
    """A problem of the Manifest rules."""
    return problem(f"manifest.{code}", pointer, en, da)


def as_list(result: Result) -> list[Problem]:
    """A rule's result as a list."""
    if result is None:
        return []
    return [result] if isinstance(result, Problem) else list(result)
