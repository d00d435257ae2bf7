"""The officers' selectivity rule language: one criterion or random share per line, parsed without eval.

    # a comment; blank lines are ignored
    commodity 8471* and origin CN -> red
    value > 100000 DKK -> yellow
    consignee DK12345678 -> blue
    procedure simplified_express and (transport 4 or transport 5) -> yellow
    not origin in (DK, SE, NO) and commodity 61* -> yellow
    random red 1% minimum 0.5%
    random yellow 3%

    line      := criterion | random
    criterion := condition "->" lane                      lane: green | yellow | red | blue
    random    := "random" lane PERCENT ["minimum" PERCENT]  (not green; at most one line per lane)
    condition := all ("or" all)* ;  all := unary ("and" unary)*
    unary     := "not" unary | "(" condition ")" | test
    test      := field VALUE | field "in" "(" VALUE ("," VALUE)* ")" | "value" (> >= < <= =) NUMBER CURRENCY

Fields of a goods item: commodity (digits, a trailing * makes it a prefix), origin, dispatch (countries),
transport (mode, one digit), entry (office of entry), status (customs status). Fields of the declaration:
consignee, declarant (EORI), procedure (a model.Procedure value), type (additional declaration type),
value (total customs value). A text is bounded: see the MAX_ constants; beyond them it is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from toldsystem.core.errors import Problem, problem
from toldsystem.imports.rules.model import Procedure

MAX_TEXT_CHARS = 100_000
MAX_LINES = 1_000
MAX_LINE_CHARS = 1_000
MAX_TOKENS_PER_LINE = 200
MAX_DEPTH = 16  # nested "not" and parentheses
MAX_IN_VALUES = 100


class Lane(StrEnum):
    """The release decision's lanes."""

    GREEN = "green"  # release
    YELLOW = "yellow"  # documentary control
    RED = "red"  # physical control
    BLUE = "blue"  # release, post-clearance audit


SEVERITY = {Lane.RED: 3, Lane.YELLOW: 2, Lane.BLUE: 1, Lane.GREEN: 0}
LANES = frozenset(lane.value for lane in Lane)
PROCEDURES = frozenset(p.value for p in Procedure)
ITEM_FIELDS = frozenset({"commodity", "origin", "dispatch", "transport", "entry", "status"})
DECLARATION_FIELDS = frozenset({"consignee", "declarant", "procedure", "type"})
COMPARISONS = frozenset({">", ">=", "<", "<=", "="})
KEYWORDS = frozenset({"and", "or", "not", "in", "random", "minimum"})
_VALUE_PATTERNS = {
    "commodity": re.compile(r"^[0-9]{2,10}\*?$"),
    "origin": re.compile(r"^[A-Z]{2}$"),
    "dispatch": re.compile(r"^[A-Z]{2}$"),
    "transport": re.compile(r"^[0-9]$"),
    "entry": re.compile(r"^[A-Z]{2}[A-Z0-9]{6}$"),
    "status": re.compile(r"^[A-Z0-9]{1,4}$"),
    "consignee": re.compile(r"^[A-Z]{2}[A-Za-z0-9]{1,15}$"),
    "declarant": re.compile(r"^[A-Z]{2}[A-Za-z0-9]{1,15}$"),
    "type": re.compile(r"^[A-Z]$"),
}
_HINTS = {
    "commodity": ("2-10 digits, * for a prefix", "2-10 cifre, * for et præfiks"),
    "origin": ("a country code such as CN", "en landekode som CN"),
    "dispatch": ("a country code such as CN", "en landekode som CN"),
    "transport": ("one digit", "ét ciffer"),
    "entry": ("an office code such as DK003102", "en toldstedskode som DK003102"),
    "status": ("up to 4 capitals or digits", "højst 4 store bogstaver eller cifre"),
    "consignee": ("an EORI such as DK12345678", "et EORI-nummer som DK12345678"),
    "declarant": ("an EORI such as DK12345678", "et EORI-nummer som DK12345678"),
    "type": ("one capital letter", "ét stort bogstav"),
}
_TOKEN = re.compile(r"\s+|#.*|(?P<arrow>->)|(?P<op>>=|<=|>|<|=)|(?P<punct>[(),])"
                    r"|(?P<percent>[0-9]+(?:\.[0-9]+)?%)|(?P<word>[A-Za-z0-9_.*]+)")


@dataclass(frozen=True, slots=True)
class Comparison:
    """`field` is one of `values`, or (for value) compares the total with `amount` in `currency`."""

    field: str
    values: tuple[str, ...] = ()
    op: str = ""
    amount: Decimal = Decimal(0)
    currency: str = ""


@dataclass(frozen=True, slots=True)
class Not:
    operand: Condition


@dataclass(frozen=True, slots=True)
class All:
    operands: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    operands: tuple[Condition, ...]


Condition = Comparison | Not | All | AnyOf


@dataclass(frozen=True, slots=True)
class Criterion:
    """One officer's criterion: its condition, the lane it selects, and where it is written."""

    condition: Condition
    lane: Lane
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class RandomShare:
    """Random selection into a lane: `expected` % of the declarations no criterion selects, and at least
    `minimum` % of all (also those a milder criterion selects)."""

    lane: Lane
    expected: Decimal
    minimum: Decimal
    line: int


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A parsed rule text."""

    criteria: tuple[Criterion, ...]
    random: tuple[RandomShare, ...]


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    column: int


class _Refused(Exception):
    def __init__(self, column: int, en: str, da: str, code: str = "syntax"):
        super().__init__(en)
        self.column, self.en, self.da, self.code = column, en, da, code


def _tokens(text: str) -> list[_Token]:
    found: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise _Refused(position + 1, f"unexpected character {text[position]!r}", f"uventet tegn {text[position]!r}")
        if match.lastgroup:
            found.append(_Token(match.lastgroup, match.group(), position + 1))
        position = match.end()
    if len(found) > MAX_TOKENS_PER_LINE:
        raise _Refused(found[MAX_TOKENS_PER_LINE].column, f"a line has at most {MAX_TOKENS_PER_LINE} words and signs",
                       f"en linje har højst {MAX_TOKENS_PER_LINE} ord og tegn", "too_large")
    return found


class _Line:
    """A recursive-descent parser over one line's tokens."""

    def __init__(self, tokens: list[_Token], length: int):
        self.tokens, self.at, self.end_column = tokens, 0, length + 1

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def column(self) -> int:
        token = self.peek()
        return token.column if token else self.end_column

    def take(self, kind: str | None = None, text: str | None = None, what: str = "", hvad: str = "") -> _Token:
        token = self.peek()
        if token is None or (kind and token.kind != kind) or (text is not None and token.text != text):
            seen = repr(token.text) if token else "the end of the line"
            set_da = repr(token.text) if token else "linjens slutning"
            raise _Refused(self.column(), f"expected {what}, found {seen}", f"forventede {hvad}, fandt {set_da}")
        self.at += 1
        return token

    def lane(self, allow_green: bool = True) -> Lane:
        token = self.take("word", what="a lane (green, yellow, red, blue)", hvad="et spor (green, yellow, red, blue)")
        if token.text not in LANES or (not allow_green and token.text == Lane.GREEN):
            choices = "yellow, red" if not allow_green else "green, yellow, red"
            raise _Refused(token.column, f"{token.text!r} is not a lane here: {choices} or blue",
                           f"{token.text!r} er ikke et spor her: {choices} eller blue")
        return Lane(token.text)

    def condition(self, depth: int) -> Condition:
        parts = [self.all(depth)]
        while (t := self.peek()) and t.kind == "word" and t.text == "or":
            self.at += 1
            parts.append(self.all(depth))
        return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))

    def all(self, depth: int) -> Condition:
        parts = [self.unary(depth)]
        while (t := self.peek()) and t.kind == "word" and t.text == "and":
            self.at += 1
            parts.append(self.unary(depth))
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def unary(self, depth: int) -> Condition:
        token = self.peek()
        if depth > MAX_DEPTH:
            raise _Refused(self.column(), f"conditions nest at most {MAX_DEPTH} deep",
                           f"betingelser kan højst indlejres {MAX_DEPTH} niveauer", "too_deep")
        if token and token.kind == "word" and token.text == "not":
            self.at += 1
            return Not(self.unary(depth + 1))
        if token and token.text == "(":
            self.at += 1
            inner = self.condition(depth + 1)
            self.take("punct", ")", "')'", "')'")
            return inner
        return self.test()

    def test(self) -> Comparison:
        token = self.take("word", what="a field (commodity, origin, value, ...)", hvad="et felt (commodity, origin, value, ...)")
        name = token.text
        if name == "value":
            op = self.take("op", what="a comparison (>, >=, <, <=, =)", hvad="en sammenligning (>, >=, <, <=, =)")
            number = self.take("word", what="an amount", hvad="et beløb")
            try:
                amount = Decimal(number.text)
            except InvalidOperation:
                amount = Decimal("NaN")
            if not amount.is_finite() or amount < 0:
                raise _Refused(number.column, f"{number.text!r} is not an amount", f"{number.text!r} er ikke et beløb")
            currency = self.take("word", what="a currency (e.g. DKK)", hvad="en valuta (fx DKK)")
            if not re.fullmatch(r"[A-Z]{3}", currency.text):
                raise _Refused(currency.column, f"{currency.text!r} is not a currency code",
                               f"{currency.text!r} er ikke en valutakode")
            return Comparison("value", op=op.text, amount=amount, currency=currency.text)
        if name not in ITEM_FIELDS | DECLARATION_FIELDS:
            raise _Refused(token.column, f"unknown field {name!r}", f"ukendt felt {name!r}")
        nxt = self.peek()
        if nxt and nxt.kind == "word" and nxt.text == "in":
            self.at += 1
            self.take("punct", "(", "'('", "'('")
            values = [self.value(name)]
            while (t := self.peek()) and t.text == ",":
                self.at += 1
                values.append(self.value(name))
                if len(values) > MAX_IN_VALUES:
                    raise _Refused(self.column(), f"a list has at most {MAX_IN_VALUES} values",
                                   f"en liste har højst {MAX_IN_VALUES} værdier", "too_large")
            self.take("punct", ")", "')'", "')'")
            return Comparison(name, tuple(values))
        return Comparison(name, (self.value(name),))

    def value(self, name: str) -> str:
        token = self.take("word", what=f"a value for {name}", hvad=f"en værdi for {name}")
        if token.text in KEYWORDS:
            raise _Refused(token.column, f"expected a value for {name}, found the word {token.text!r}",
                           f"forventede en værdi for {name}, fandt ordet {token.text!r}")
        valid = (token.text in PROCEDURES if name == "procedure"
                 else _VALUE_PATTERNS[name].fullmatch(token.text) is not None)
        if not valid:
            hint = _HINTS.get(name, ("a procedure of model.Procedure", "en procedure fra model.Procedure"))
            raise _Refused(token.column, f"{token.text!r} is not a valid {name} ({hint[0]})",
                           f"{token.text!r} er ikke gyldig som {name} ({hint[1]})")
        return token.text


def _parse_line(source: str, number: int) -> Criterion | RandomShare | None:
    tokens = _tokens(source)
    if not tokens:
        return None
    line = _Line(tokens, len(source))
    if tokens[0].kind == "word" and tokens[0].text == "random":
        line.at = 1
        lane = line.lane(allow_green=False)
        expected = _percent(line.take("percent", what="a share such as 2%", hvad="en andel som 2%"))
        minimum = Decimal(0)
        if line.peek() is not None:
            line.take("word", "minimum", "'minimum' or the end of the line", "'minimum' eller linjens slutning")
            at_least = line.take("percent", what="a share such as 1%", hvad="en andel som 1%")
            minimum = _percent(at_least)
            if minimum > expected:
                raise _Refused(at_least.column, "the minimum share cannot exceed the expected share",
                               "minimumsandelen kan ikke være større end den forventede andel")
        _at_end(line)
        return RandomShare(lane, expected, minimum, number)
    condition = line.condition(0)
    line.take("arrow", what="'->' and a lane", hvad="'->' og et spor")
    lane = line.lane()
    _at_end(line)
    return Criterion(condition, lane, source.split("#", 1)[0].strip(), number)


def _percent(token: _Token) -> Decimal:
    share = Decimal(token.text[:-1])
    if share > 100:
        raise _Refused(token.column, "a share is at most 100%", "en andel er højst 100%")
    return share


def _at_end(line: _Line) -> None:
    if line.peek() is not None:
        raise _Refused(line.column(), f"unexpected {line.peek().text!r} after the end of the rule",
                       f"uventet {line.peek().text!r} efter reglens slutning")


def _refusal(code: str, number: int, column: int, en: str, da: str) -> Problem:
    return problem(f"import.selectivity.{code}", f"/rules/{number}", f"line {number}, column {column}: {en}",
                   f"linje {number}, kolonne {column}: {da}", line=number, column=column)


def parse_rules(text: str) -> RuleSet | list[Problem]:
    """The rule set written in the text, or every line's problem (line and column, English and Danish)."""
    if len(text) > MAX_TEXT_CHARS:
        return [_refusal("too_large", 1, 1, f"a rule text has at most {MAX_TEXT_CHARS} characters",
                         f"en regeltekst har højst {MAX_TEXT_CHARS} tegn")]
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        return [_refusal("too_large", MAX_LINES + 1, 1, f"a rule text has at most {MAX_LINES} lines",
                         f"en regeltekst har højst {MAX_LINES} linjer")]
    criteria: list[Criterion] = []
    shares: dict[Lane, RandomShare] = {}
    found: list[Problem] = []
    for number, source in enumerate(lines, start=1):
        if len(source) > MAX_LINE_CHARS:
            found.append(_refusal("too_large", number, MAX_LINE_CHARS + 1, f"a line has at most {MAX_LINE_CHARS} characters",
                                  f"en linje har højst {MAX_LINE_CHARS} tegn"))
            continue
        try:
            parsed = _parse_line(source, number)
        except _Refused as refused:
            found.append(_refusal(refused.code, number, refused.column, refused.en, refused.da))
            continue
        if isinstance(parsed, RandomShare):
            if parsed.lane in shares:
                found.append(_refusal("duplicate_random", number, 1,
                                      f"the random share of {parsed.lane} is already set on line {shares[parsed.lane].line}",
                                      f"den tilfældige andel for {parsed.lane} er allerede sat i linje "
                                      f"{shares[parsed.lane].line}"))
                continue
            shares[parsed.lane] = parsed
        elif parsed is not None:
            criteria.append(parsed)
    total = sum((s.expected for s in shares.values()), Decimal(0))
    if total > 100:
        last = max(s.line for s in shares.values())
        found.append(_refusal("random_over_100", last, 1, f"the random shares add up to {total}%, more than 100%",
                              f"de tilfældige andele giver tilsammen {total}%, mere end 100%"))
    if found:
        return found
    return RuleSet(tuple(criteria), tuple(sorted(shares.values(), key=lambda s: -SEVERITY[s.lane])))
