"""SFTP front end (asyncssh): a company's user signs in and sees inbox/, outbox/ and archive/ of its own.

Nothing here touches a disk: every path is looked up in the company's view (gateway/rules.locate),
every file is read from and written to the gateway service. An upload is held in memory until the
client closes it; the close is answered only once the file is committed (seed 000: SFTP, port 22).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import stat
from concurrent.futures import ThreadPoolExecutor

import asyncssh
from asyncssh.constants import FXF_APPEND, FXF_CREAT, FXF_TRUNC, FXF_WRITE

from toldsystem import config
from toldsystem.access.rules import Party
from toldsystem.core.errors import Rejected, ToldError
from toldsystem.gateway import credentials, inbox, keys, rules, service
from toldsystem.gateway.rules import INBOX, Location, Refused
from toldsystem.gateway.service import Entry

log = logging.getLogger(__name__)
# The service's calls wait on the store: they run here, never on the event loop the API also serves.
_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="told-sftp")


async def _call(function, *args):
    """Run a service call off the loop; a refusal becomes the SFTP status that says it, in English and Danish."""
    try:
        return await asyncio.get_running_loop().run_in_executor(_pool, functools.partial(function, *args))
    except Refused as refused:
        raise _error(refused) from None
    except ToldError as error:
        raise asyncssh.SFTPFailure("; ".join(f"{p.en} / {p.da}" for p in error.problems)) from None


def _error(refused: Refused) -> asyncssh.SFTPError:
    """The SFTP status for a refusal, its text in English and Danish (clients show it)."""
    text = f"{refused.problem.en} / {refused.problem.da}"
    return {"missing": asyncssh.SFTPNoSuchFile, "denied": asyncssh.SFTPPermissionDenied}.get(
        refused.kind, asyncssh.SFTPFailure)(text)


class _SignIn(asyncssh.SSHServer):
    """Password (with seed 000's forced change when it expired) or SSH-key sign-in, through the gateway's one
    credentials check; the party signed in rides on the connection, under the username it signed in as."""

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        self._client = (conn.get_extra_info("peername") or (None,))[0]  # the client's address, for the audit log
        self._parties: dict[str, Party] = {}
        conn.set_extra_info(told_parties=self._parties)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def public_key_auth_supported(self) -> bool:
        return True

    async def validate_password(self, username: str, password: str) -> bool:
        return await self._signed_in(username, credentials.sign_in, username, password, channel="sftp",
                                     client=self._client)

    async def change_password(self, username: str, old_password: str, new_password: str) -> bool:
        return await self._signed_in(username, credentials.change_password, username, old_password, new_password,
                                     channel="sftp", client=self._client)

    async def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        public = key.export_public_key().decode("ascii")
        return await self._signed_in(username, credentials.sign_in_with_key, username, public, client=self._client)

    async def _signed_in(self, username: str, check, *args, **kwargs) -> bool:
        try:
            party = await asyncio.get_running_loop().run_in_executor(_pool, functools.partial(check, *args, **kwargs))
        except credentials.PasswordExpired as expired:
            raise asyncssh.PasswordChangeRequired(f"{expired.problems[0].en} / {expired.problems[0].da}") from None
        except Rejected as refused:  # a new password breaking seed 000's rules: asked for again, saying why
            raise asyncssh.PasswordChangeRequired("; ".join(f"{p.en} / {p.da}" for p in refused.problems)) from None
        except ToldError:
            return False
        self._parties[username] = party
        return True


class _Upload:
    """A file being written into inbox/: bounded by the body limit while it comes in."""

    def __init__(self, location: Location) -> None:
        self.location = location
        self.content = bytearray()
        self.limit = config.settings().limits.max_body_bytes
        self.refused: Refused | None = None  # a write refused: the file is not kept, and its close says why

    def write(self, offset: int, data: bytes) -> int:
        if offset + len(data) > self.limit:
            self.refused = rules.too_large(self.location.path, self.limit)
            raise _error(self.refused)
        if offset > len(self.content):
            self.content.extend(bytes(offset - len(self.content)))
        self.content[offset:offset + len(data)] = data
        return len(data)


class _Download:
    def __init__(self, location: Location, content: bytes) -> None:
        self.location = location
        self.content = content


class _Files(asyncssh.SFTPServer):
    """One SFTP session of a signed-in company."""

    def __init__(self, chan: asyncssh.SSHServerChannel) -> None:
        super().__init__(chan)
        connection = chan.get_connection()
        self._party: Party = connection.get_extra_info("told_parties")[connection.get_extra_info("username")]
        self._uploads = 0

    def _attrs(self, found: Entry, location: Location) -> asyncssh.SFTPAttrs:
        writable = location.folder in (INBOX, None) if found.is_folder else False
        mode = (stat.S_IFDIR | (0o755 if writable else 0o555)) if found.is_folder else (stat.S_IFREG | 0o444)
        mtime = int(found.modified.timestamp()) if found.modified else None
        return asyncssh.SFTPAttrs(size=found.size, permissions=mode, uid=0, gid=0, mtime=mtime, atime=mtime)

    async def stat(self, path: bytes) -> asyncssh.SFTPAttrs:
        location = _located(path)
        return self._attrs(await _call(service.entry, self._party, location), location)

    lstat = stat  # there are no links in the view

    def realpath(self, path: bytes) -> bytes:
        return _located(path).path.encode("utf-8")

    async def scandir(self, path: bytes):
        location = _located(path)
        if location.name is not None:
            raise asyncssh.SFTPNotADirectory(f"{location.path} is a file")
        folder = self._attrs(Entry(".", is_folder=True), location)
        yield asyncssh.SFTPName(b".", attrs=folder)
        yield asyncssh.SFTPName(b"..", attrs=self._attrs(Entry("..", is_folder=True), Location(None)))
        for found in await _call(service.listing, self._party, location):
            inner = Location(location.folder or found.name, found.name if location.folder else None)
            yield asyncssh.SFTPName(found.name.encode("utf-8"), attrs=self._attrs(found, inner))

    async def open(self, path: bytes, pflags: int, attrs: asyncssh.SFTPAttrs):
        if pflags & (FXF_WRITE | FXF_CREAT | FXF_TRUNC | FXF_APPEND):
            location = rules.upload_target(path.decode("utf-8", "replace"))
            refusal = inbox.open_problem(self._party, location)
            if refusal:
                raise _error(refusal)
            if self._uploads >= rules.OPEN_UPLOADS_PER_SESSION:
                raise asyncssh.SFTPFailure(f"at most {rules.OPEN_UPLOADS_PER_SESSION} uploads at once per session / "
                                           f"højst {rules.OPEN_UPLOADS_PER_SESSION} filer ad gangen pr. session")
            self._uploads += 1
            return _Upload(location)
        location = _located(path)
        return _Download(location, await _call(service.read, self._party, location))

    def read(self, file_obj, offset: int, size: int) -> bytes:
        if not isinstance(file_obj, _Download):
            raise asyncssh.SFTPPermissionDenied("the file is open for writing")
        return file_obj.content[offset:offset + size]

    def write(self, file_obj, offset: int, data: bytes) -> int:
        if not isinstance(file_obj, _Upload):
            raise asyncssh.SFTPPermissionDenied("the file is open for reading")
        return file_obj.write(offset, data)

    async def fstat(self, file_obj) -> asyncssh.SFTPAttrs:
        content = file_obj.content
        return asyncssh.SFTPAttrs(size=len(content), permissions=stat.S_IFREG | 0o444)

    async def close(self, file_obj) -> None:
        """An upload is answered once it is committed: a close that succeeds means the file will be processed."""
        if isinstance(file_obj, _Upload):
            self._uploads -= 1
            # asyncssh also closes the handles a lost connection left open: such an upload is incomplete and
            # is dropped (the client was never told it arrived); only a close the client asked for stores it.
            if file_obj.refused is not None:
                raise _error(file_obj.refused)
            if getattr(self.channel, "_recv_state", "open") != "open":
                log.info("SFTP upload of %s by %s dropped: the connection ended before it was closed",
                         file_obj.location.path, self._party.eori)
                return
            await _call(inbox.store_upload, self._party, file_obj.location.name, bytes(file_obj.content), "sftp")

    async def remove(self, path: bytes) -> None:
        await _call(service.delete, self._party, _located(path))

    def _fixed(self, path: bytes, *_args) -> None:
        raise _error(rules.not_changeable(path.decode("utf-8", "replace")[:100]))

    mkdir = rmdir = rename = posix_rename = symlink = link = setstat = lsetstat = _fixed

    def fsetstat(self, file_obj, attrs) -> None:
        return None  # times a client sets on an upload (put -p) are its own affair; the file is what counts

    def readlink(self, path: bytes) -> bytes:
        raise asyncssh.SFTPNoSuchFile(f"{_located(path).path} is not a link")


def _located(path: bytes) -> Location:
    try:
        return rules.locate(path.decode("utf-8", "replace"))
    except Refused as refused:
        raise _error(refused) from None


async def start(host: str, port: int) -> asyncssh.SSHAcceptor:
    """Listen for SFTP on host:port (port 0: any free port; the acceptor says which)."""
    return await asyncssh.create_server(
        _SignIn, host, port, server_host_keys=[str(keys.ssh_host_key())], sftp_factory=_Files, allow_scp=False,
        login_timeout=60, keepalive_interval=60)
