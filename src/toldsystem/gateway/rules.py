"""The file gateway's rules: the folders a company sees, what it may do in each, how files are named
and how a refusal is explained. Pure: no I/O (seed 000: companies reach NCTS by file, SFTP and FTPS)."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from datetime import datetime

from toldsystem.core.errors import Problem, problem

INBOX, OUTBOX, ARCHIVE = "inbox", "outbox", "archive"
FOLDERS = (INBOX, OUTBOX, ARCHIVE)
EXPLANATION_SUFFIX = ".error.txt"
# A listing shows at most this many files (the oldest first); what is fetched and deleted makes room for more.
LISTING_LIMIT = 1000
# Uploads one session may have open at once: each is held in memory until it is closed (at most the body limit).
OPEN_UPLOADS_PER_SESSION = 8

PENDING, PROCESSED, REJECTED = "pending", "processed", "rejected"
# The immediate answers that mean the message was not taken: the file gets an explanation beside it.
REFUSING_ANSWERS = frozenset({"CC917C", "CC906C", "CC056C", "CC057C"})

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,127}")
_ANSWER = re.compile(r"(\d{10})_(CC\d{3}[A-Z])\.xml")


class Refused(Exception):
    """An operation the gateway does not allow, with why (the protocol front end maps `kind` to its code)."""

    def __init__(self, kind: str, found: Problem):
        self.kind = kind  # "missing", "denied" or "failed"
        self.problem = found
        super().__init__(found.en)


def missing(path: str) -> Refused:
    return Refused("missing", problem("gateway.no_such_file", path, f"no such file or folder: {path}",
                                      f"filen eller mappen findes ikke: {path}"))


def denied(path: str, en: str, da: str) -> Refused:
    return Refused("denied", problem("gateway.not_permitted", path, en, da))


@dataclass(frozen=True, slots=True)
class Location:
    """A path in a company's view: the root (no folder), a folder, or a file in a folder."""

    folder: str | None
    name: str | None = None

    @property
    def path(self) -> str:
        return "/" + "/".join(p for p in (self.folder, self.name) if p)


def locate(path: str) -> Location:
    """Where a path points in the company's own view: only /, its three folders and the files in them exist.

    Relative paths are taken from the root and `..` stops there, as in a chroot, so no path reaches
    outside the view; anything deeper than folder/file does not exist."""
    if "\x00" in path or len(path) > 1024:
        raise missing(path[:100])
    parts = [p for p in posixpath.normpath("/" + path).split("/") if p]
    if not parts:
        return Location(None)
    if parts[0] not in FOLDERS or len(parts) > 2:
        raise missing("/" + "/".join(parts))
    return Location(parts[0], parts[1] if len(parts) == 2 else None)


def upload_target(path: str) -> Location:
    """Where an upload is to go; a path outside the view is refused as a write outside inbox/ is."""
    try:
        return locate(path)
    except Refused:
        return Location(None, path[:100])


def upload_problem(location: Location) -> Refused | None:
    """Files are written into inbox/ only, under a plain name (letters, digits, . _ + -, at most 128)."""
    if location.folder != INBOX or location.name is None:
        return denied(location.path, "files can only be uploaded into inbox/",
                      "filer kan kun lægges i inbox/")
    if not _NAME.fullmatch(location.name) or location.name.endswith(EXPLANATION_SUFFIX):
        return denied(location.path,
                      "a file name is 1 to 128 letters, digits, '.', '_', '+' or '-', starts with a letter or digit "
                      f"and does not end in {EXPLANATION_SUFFIX}",
                      "et filnavn er 1 til 128 bogstaver, cifre, '.', '_', '+' eller '-', begynder med et bogstav "
                      f"eller ciffer og ender ikke på {EXPLANATION_SUFFIX}")
    return None


def role_problem(party, location: Location) -> Refused | None:
    """Files into inbox/ are NCTS messages (transit now): the user needs its company's transit role (issue 11)."""
    if party.may_use("transit"):
        return None
    return denied(location.path, "your user does not have the transit role, which sending NCTS files needs; ask "
                  "your company's administrator", "din bruger har ikke rollen transit, som afsendelse af NCTS-filer "
                  "kræver; spørg virksomhedens administrator")


def too_large(path: str, limit: int) -> Refused:
    """A file is at most the configured body limit (config.Limits.max_body_bytes), as over HTTP."""
    return Refused("failed", problem("gateway.file_too_large", path, f"the file is larger than {limit} bytes",
                                     f"filen er større end {limit} bytes"))


def not_changeable(path: str) -> Refused:
    """Only uploads (into inbox/) and deletions change anything; folders, links and names are fixed."""
    return denied(path, "the folders inbox/, outbox/ and archive/ are fixed: nothing can be created, renamed or "
                  "linked here; upload into inbox/, fetch from outbox/",
                  "mapperne inbox/, outbox/ og archive/ er faste: intet kan oprettes, omdøbes eller linkes her; "
                  "læg filer i inbox/, hent fra outbox/")


def answer_name(message_id: int, message_type: str) -> str:
    """An answer's file name in outbox/: its number in the outbox (so names sort in the order sent) and type."""
    return f"{message_id:010d}_{message_type}.xml"


def answer_id(name: str) -> int | None:
    """The answer a name in outbox/ stands for, or None if it is not such a name."""
    found = _ANSWER.fullmatch(name)
    return int(found.group(1)) if found else None


def archive_name(name: str, file_id: int, taken: bool) -> str:
    """The name a processed file gets in archive/: its own, or prefixed by its number when that name is taken."""
    return f"{file_id}_{name}" if taken else name


def explanation(name: str, received_at: datetime, problems: list[Problem], answer: str | None) -> str:
    """The explanation file beside a refused file: what was wrong and where, in Danish and then English."""
    lines = [f"Filen {name}, modtaget {received_at:%Y-%m-%d %H:%M:%S} UTC, er ikke behandlet som indsendt.", ""]
    lines += [_line(p, p.da) for p in problems]
    if answer:
        lines += ["", f"Svaret {answer} ligger i outbox/."]
    lines += ["", f"The file {name}, received {received_at:%Y-%m-%d %H:%M:%S} UTC, was not taken as sent.", ""]
    lines += [_line(p, p.en) for p in problems]
    if answer:
        lines += ["", f"The answer {answer} is in outbox/."]
    return "\n".join(lines) + "\n"


def _line(found: Problem, text: str) -> str:
    where = f" (line {found.line}, column {found.column})" if found.line else ""
    return f"- {found.code} at {found.pointer}{where}: {text}"


def duplicate_problem(name: str, first_name: str, first_received: datetime) -> Problem:
    """The same file (same content from the same company) is processed once; a copy is answered with this."""
    return problem("gateway.duplicate_file", name,
                   f"the same file was received as {first_name} at {first_received:%Y-%m-%d %H:%M:%S} UTC and "
                   "processed then; its answers are in outbox/, and this copy is not processed again",
                   f"den samme fil blev modtaget som {first_name} {first_received:%Y-%m-%d %H:%M:%S} UTC og behandlet "
                   "dengang; svarene ligger i outbox/, og denne kopi behandles ikke igen")


def repeated_problem(name: str) -> Problem:
    """A message identification seen before with the same message: transit answers it as a replay, nothing new."""
    return problem("gateway.repeated_message", name,
                   "this message (its messageIdentification) was received before and processed then; its answers are "
                   "in outbox/, and it is not processed again",
                   "denne meddelelse (dens messageIdentification) er modtaget før og blev behandlet dengang; svarene "
                   "ligger i outbox/, og den behandles ikke igen")
