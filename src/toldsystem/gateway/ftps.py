"""FTPS front end (pyftpdlib, explicit TLS: AUTH TLS, then PROT P): the same folders, the same service.

The filesystem pyftpdlib sees is the company's view (gateway/rules.locate), never a disk. TLS is required
on the control and the data connections, so no password or file crosses in the clear. An upload is held
in memory until its data connection closes; "226 Transfer complete" is sent only once the file is
committed (seed 000: the FTP gateway, ports 20–21).
"""

from __future__ import annotations

import errno
import io
import logging
import os
import stat
import threading

from pyftpdlib.authorizers import AuthenticationFailed
from pyftpdlib.exceptions import FilesystemError
from pyftpdlib.filesystems import AbstractedFS
from pyftpdlib.handlers import TLS_DTPHandler, TLS_FTPHandler
from pyftpdlib.servers import ThreadedFTPServer

from toldsystem import config
from toldsystem.core.errors import ToldError
from toldsystem.gateway import credentials, inbox, keys, rules, service
from toldsystem.gateway.rules import INBOX, Location, Refused
from toldsystem.gateway.service import Entry

log = logging.getLogger(__name__)


def _said(refused: Refused) -> str:
    return f"{refused.problem.en} / {refused.problem.da}"


class _Authorizer:
    """Password sign-in through the gateway's one credentials check; the party is kept on the session."""

    def validate_authentication(self, username: str, password: str, handler) -> None:
        try:
            handler.told_party = credentials.sign_in(username, password, channel="ftps", client=handler.remote_ip)
        except credentials.PasswordExpired as expired:  # FTP cannot change it: the reply says where to
            raise AuthenticationFailed(credentials.change_first(expired)) from None
        except ToldError as refused:  # wrong, or waiting after too many wrong
            raise AuthenticationFailed(f"{refused.problems[0].en} / {refused.problems[0].da}") from None

    def get_home_dir(self, username: str) -> str:
        return "/"

    def get_msg_login(self, username: str) -> str:
        return "Velkommen / welcome: inbox/, outbox/, archive/"

    def get_msg_quit(self, username: str) -> str:
        return "Farvel / goodbye"

    def has_perm(self, username: str, perm: str, path: str | None = None) -> bool:
        return True  # the view decides (gateway/rules.py): refusals there say why

    def get_perms(self, username: str) -> str:
        return "elrdw"

    def impersonate_user(self, username: str, password: str) -> None:
        return None

    def terminate_impersonation(self, username: str) -> None:
        return None


class _TooLarge(OSError):
    def __init__(self, refused: Refused) -> None:
        super().__init__(errno.EFBIG, _said(refused))


class _Upload:
    """A file being written into inbox/, bounded by the body limit; stored by the data connection once complete."""

    def __init__(self, location: Location) -> None:
        self.name = location.path
        self.location = location
        self.closed = False
        self._content = io.BytesIO()
        self._limit = config.settings().limits.max_body_bytes

    def write(self, chunk: bytes) -> int:
        if self._content.tell() + len(chunk) > self._limit:
            raise _TooLarge(rules.too_large(self.location.path, self._limit))
        return self._content.write(chunk)

    def content(self) -> bytes:
        return self._content.getvalue()

    def close(self) -> None:
        self.closed = True


class _Download(io.BytesIO):
    def __init__(self, path: str, content: bytes) -> None:
        super().__init__(content)
        self.name = path


class _View(AbstractedFS):
    """The company's own inbox/, outbox/ and archive/, as pyftpdlib's filesystem."""

    def __init__(self, root: str, cmd_channel) -> None:
        super().__init__("/", cmd_channel)
        self._party = cmd_channel.told_party
        self._listed: dict[str, Entry] = {}  # the last listing's entries: a LIST asks about each name once

    def _at(self, path: str) -> Location:
        try:
            return rules.locate(path)
        except Refused as refused:
            raise FilesystemError(_said(refused)) from None

    def _entry(self, path: str) -> Entry:
        if path in self._listed:
            return self._listed[path]
        try:
            return service.entry(self._party, self._at(path))
        except Refused as refused:
            raise FilesystemError(_said(refused)) from None

    def validpath(self, path: str) -> bool:
        return True  # every path is looked up in the view, which has nothing outside it

    def realpath(self, path: str) -> str:
        return path

    def chdir(self, path: str) -> None:
        if not self._entry(path).is_folder:
            raise FilesystemError(f"{path} is not a folder / {path} er ikke en mappe")
        self.cwd = self._at(path).path

    def listdir(self, path: str) -> list[str]:
        location = self._at(path)
        try:
            found = service.listing(self._party, location)
        except Refused as refused:
            raise FilesystemError(_said(refused)) from None
        base = location.path.rstrip("/")
        self._listed = {f"{base}/{e.name}": e for e in found}
        return [e.name for e in found]

    listdirinfo = listdir

    def open(self, filename: str, mode: str):
        if mode != "rb":
            location = rules.upload_target(filename)
            # Only a whole new file (STOR): appending (APPE) or resuming (REST) would change one already received.
            refusal = (inbox.open_problem(self._party, location) if mode == "wb"
                       else rules.not_changeable(location.path))
            if refusal:
                raise FilesystemError(_said(refusal))
            return _Upload(location)
        location = self._at(filename)
        try:
            return _Download(location.path, service.read(self._party, location))
        except Refused as refused:
            raise FilesystemError(_said(refused)) from None

    def remove(self, path: str) -> None:
        try:
            service.delete(self._party, self._at(path))
        except Refused as refused:
            raise FilesystemError(_said(refused)) from None

    def _fixed(self, path: str, *_args) -> None:
        raise FilesystemError(_said(rules.not_changeable(path[:100])))

    mkdir = rmdir = rename = chmod = utime = _fixed

    def mkstemp(self, *_args, **_kwargs):
        raise FilesystemError(_said(rules.not_changeable(self.cwd)))

    def stat(self, path: str) -> os.stat_result:
        found = self._entry(path)
        writable = found.is_folder and self._at(path).folder in (INBOX, None)
        mode = (stat.S_IFDIR | (0o755 if writable else 0o555)) if found.is_folder else (stat.S_IFREG | 0o444)
        mtime = found.modified.timestamp() if found.modified else 0
        return os.stat_result((mode, 0, 0, 1, 0, 0, found.size, mtime, mtime, mtime))

    lstat = stat  # there are no links in the view

    def readlink(self, path: str) -> str:
        raise FilesystemError(f"{path} is not a link / {path} er ikke et link")

    def isfile(self, path: str) -> bool:
        return self._exists(path) and not self._entry(path).is_folder

    def isdir(self, path: str) -> bool:
        return self._exists(path) and self._entry(path).is_folder

    def islink(self, path: str) -> bool:
        return False

    def lexists(self, path: str) -> bool:
        return self._exists(path)

    def getsize(self, path: str) -> int:
        return self._entry(path).size

    def getmtime(self, path: str) -> float:
        return self.stat(path).st_mtime

    def get_user_by_uid(self, uid: int) -> str:
        return "told"

    def get_group_by_gid(self, gid: int) -> str:
        return "told"

    def _exists(self, path: str) -> bool:
        try:
            self._entry(path)
        except FilesystemError:
            return False
        return True


class _Data(TLS_DTPHandler):
    """The data connection: a complete upload is committed before the transfer is answered."""

    _deferred = False

    def close(self) -> None:
        if not self._closed and not self.receive and self.transfer_finished and self._ssl_accepting \
                and not self._deferred:
            # Nothing to send (an empty folder's listing) before the client's TLS handshake is done: closing now
            # cuts it, and the client's TLS sees a broken connection. Close once it is done (or at the next close,
            # e.g. the idle timeout's).
            self._deferred = True
            return
        upload = self.file_obj
        if not self._closed and self.receive and self.transfer_finished and isinstance(upload, _Upload) \
                and not upload.closed:
            upload.close()
            try:
                inbox.store_upload(self.cmd_channel.told_party, upload.location.name, upload.content(), "ftps")
            except Refused as refused:
                self.transfer_finished = False
                self._resp = (f"552 {_said(refused)}", log.info)
            except ToldError as error:
                self.transfer_finished = False
                self._resp = ("451 " + "; ".join(f"{p.en} / {p.da}" for p in error.problems), log.warning)
        super().close()

    def handle_ssl_established(self) -> None:
        if self._deferred:
            self.close()

    def handle_error(self) -> None:
        try:
            raise  # noqa: PLE0704 — the error being handled
        except Exception as error:  # noqa: BLE001
            if isinstance(error.__cause__, _TooLarge):
                self._resp = (f"552 {error.__cause__.strerror}; transfer aborted.", log.info)
                self.close()
                return
        super().handle_error()


class _AsWritten(str):
    def capitalize(self) -> str:
        return self


class _Control(TLS_FTPHandler):
    dtp_handler = _Data
    abstracted_fs = _View
    authorizer = _Authorizer()
    tls_control_required = True  # AUTH TLS before USER/PASS: no password in the clear
    tls_data_required = True  # PROT P: no file in the clear
    banner = "toldsystem file gateway (FTPS) / toldsystemets filgateway"
    auth_failed_timeout = 1

    def handle_auth_failed(self, msg: str, password: str) -> None:
        # pyftpdlib capitalises the reply, lowering every other letter ("post /api/v1…"): ours are sent as written.
        super().handle_auth_failed(_AsWritten(msg), password)


class Server:
    """The FTPS listener in a thread of its own (one more thread per connection)."""

    def __init__(self, host: str, port: int, passive_ports: range) -> None:
        # An empty range of passive ports: any free port for each data connection.
        handler = type("Control", (_Control,), {"certfile": str(keys.tls_certificate()),
                                                "passive_ports": list(passive_ports) or None})
        self._server = ThreadedFTPServer((host, port), handler)
        self._server.max_cons = 256
        self.port = self._server.socket.getsockname()[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"handle_exit": False},
                                        name="told-ftps", daemon=True)

    def start(self) -> Server:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.close_all()
        self._thread.join(timeout=10)
