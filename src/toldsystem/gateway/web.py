"""The portal's upload page (issue 12 part 2): a message file put into the company's inbox/ from the browser,
processed as the file gateway processes every file (gateway/uploads.py), its answers shown."""

from __future__ import annotations

from fastapi import Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from toldsystem import config
from toldsystem.core.api import RowId
from toldsystem.core.errors import NotFound, ToldError
from toldsystem.gateway import rules, uploads
from toldsystem.transit import service as transit
from toldsystem.web import i18n, menu, page_router
from toldsystem.web.i18n import N_
from toldsystem.web.pages import render
from toldsystem.web.visitor import SignedIn, Visitor

router = page_router("/upload")
menu.add(20, "/upload", N_("Upload"), system="transit", officers=False)
WAIT_SECONDS = 1.0  # an upload is processed before its page (uploads.py): only a held channel leaves it pending


def _form(request: Request, visitor: SignedIn, problems: list[str] = (), status: int = 200) -> Response:
    return render(request, visitor, "gateway/upload.html", {"problems": problems}, status=status)


@router.get("")
def upload_form(request: Request, visitor: Visitor) -> Response:
    """Choose an NCTS XML message file (a CC015C, CC013C, CC014C, CC007C, CC044C …) to send."""
    return _form(request, visitor)


@router.post("")
async def upload(request: Request, visitor: Visitor, file: UploadFile | None = None) -> Response:
    """The file is kept and queued as in the gateway's inbox/; then its outcome's page."""
    if file is None or not file.filename:
        text = i18n.gettext(visitor.language, "Choose a file to upload.")
        return _form(request, visitor, [text], status=422)
    content = await file.read(config.settings().limits.max_body_bytes + 1)
    try:
        file_id = await run_in_threadpool(uploads.upload, visitor.party, file.filename, content)
    except rules.Refused as refused:
        return _form(request, visitor, [i18n.problem_text(refused.problem, visitor.language)], status=422)
    except ToldError as refused:
        return _form(request, visitor, [i18n.problem_text(p, visitor.language) for p in refused.problems],
                     status=refused.status)
    return RedirectResponse(f"/upload/{file_id}", status_code=303)


@router.get("/{file_id}")
def uploaded(request: Request, file_id: RowId, visitor: Visitor) -> Response:
    """The file's outcome: processed with its answers, or refused with why (the explanation the gateway writes)."""
    found = uploads.outcome(visitor.party, file_id, WAIT_SECONDS)
    return render(request, visitor, "gateway/uploaded.html", {"file": found,
                                                            "answers": _own_answers(visitor, found.answer_ids)})


def _own_answers(visitor: SignedIn, ids: tuple[int, ...]) -> list:
    """The answers addressed to the visitor's company (others, e.g. to the office, are not its to see)."""
    found = []
    for answer_id in ids:
        try:
            found.append(transit.message(visitor.party, answer_id))
        except NotFound:
            continue
    return found
