"""Structured errors: a code, a pointer to the field, and the text in English and Danish.

Rules return `Problem`s; services raise `Rejected` (bad input, nothing changed),
`NotFound` or `Forbidden`. Every channel renders them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input: what (code), where (pointer), and why in EN and DA."""

    code: str
    pointer: str
    en: str
    da: str
    line: int = 0  # where in a file the problem is, when it was read from one (0: not known)
    column: int = 0

    def as_dict(self) -> dict[str, str | int]:
        found: dict[str, str | int] = {"code": self.code, "pointer": self.pointer, "message": self.en,
                                       "message_da": self.da}
        if self.line:
            found |= {"line": self.line, "column": self.column}
        return found


class ToldError(Exception):
    """Base of every error a user may see."""

    status = 400

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("; ".join(f"{p.pointer}: {p.en}" for p in self.problems))


class Rejected(ToldError):
    """The input breaks one or more rules; nothing was changed."""

    status = 422


class NotFound(ToldError):
    """The thing asked for does not exist (or is not the caller's to see)."""

    status = 404


class Forbidden(ToldError):
    """The caller may not do this."""

    status = 403


class Conflict(ToldError):
    """The request clashes with what is already stored (a duplicate, a wrong state)."""

    status = 409


class Unauthenticated(ToldError):
    """No valid credentials were presented."""

    status = 401


class Unreadable(ToldError):
    """The request cannot be read as sent (e.g. JSON nested deeper than allowed)."""

    status = 400


class NotAcceptable(ToldError):
    """None of the media types the caller accepts (Accept) can be answered."""

    status = 406


class UnsupportedMediaType(ToldError):
    """The body comes in a media type (Content-Type) the operation does not read."""

    status = 415


def problem(code: str, pointer: str, en: str, da: str, line: int = 0, column: int = 0) -> Problem:
    """Shorthand for building a Problem."""
    return Problem(code=code, pointer=pointer, en=en, da=da, line=line, column=column)


def at_most(problems: list[Problem], limit: int, total: int | None = None) -> list[Problem]:
    """The first problems, `limit` entries at most: past it, the last entry says how many more there are.

    `total` is how many were found when the list holds only the first of them."""
    total = len(problems) if total is None else total
    if total <= limit:
        return problems
    shown = problems[:max(limit - 1, 0)]
    more = total - len(shown)
    return [*shown, problem("problems.more", "/", f"and {more} more problems, not listed",
                            f"og {more} fejl mere, som ikke er vist")]


@dataclass
class Problems:
    """Collects problems from several rules, then raises them together."""

    items: list[Problem] = field(default_factory=list)

    def add(self, found: Problem | list[Problem] | None) -> None:
        if found is None:
            return
        if isinstance(found, Problem):
            self.items.append(found)
        else:
            self.items.extend(found)

    def raise_if_any(self, kind: type[ToldError] = Rejected) -> None:
        if self.items:
            raise kind(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)
