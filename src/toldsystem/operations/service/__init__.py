"""Operational-messages use cases (SPEC O), the only seam between the operations room and its store.

messages.py writes and reads messages with their history (officers write, asked of authorisation.py);
board.py keeps the per-process snapshot every channel asks — `availability(system, environment, channel,
at)` — and reads the board as the status page shows it (status per group, sections, availability
history), and the board as a draft would leave it (the editor's preview); imports.py imports the agency's page
text.
"""

from toldsystem.operations.service.board import (REFRESH_SECONDS, availability, availability_report, current_board,
                                                 forget, messages, sections, status, with_draft)
from toldsystem.operations.service.imports import ImportResult, import_text
from toldsystem.operations.service.messages import (create, draft, draft_change, end, extend, get, histories, history,
                                                    instant, system_codes, update, withdraw)

__all__ = ["REFRESH_SECONDS", "ImportResult", "availability", "availability_report", "create", "current_board", "draft",
           "draft_change", "end", "extend", "forget", "get", "histories", "history", "import_text", "instant", "messages", "sections",
           "status", "system_codes", "update", "with_draft", "withdraw"]
