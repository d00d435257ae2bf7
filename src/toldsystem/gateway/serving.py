"""The file gateway while `told serve` runs: SFTP and FTPS listeners and the worker that processes inboxes."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from toldsystem import config
from toldsystem.gateway import ftps, sftp
from toldsystem.gateway.worker import Worker

log = logging.getLogger(__name__)


@dataclass
class Gateway:
    """What is running; the ports actually listened on (a configured 0 means any free port)."""

    worker: Worker
    sftp_port: int | None = None
    ftps_port: int | None = None
    _sftp: object = field(default=None, repr=False)
    _ftps: ftps.Server | None = field(default=None, repr=False)

    async def stop(self) -> None:
        if self._sftp is not None:
            self._sftp.close()
            await self._sftp.wait_closed()
        if self._ftps is not None:
            self._ftps.stop()
        self.worker.stop()


async def start(host: str) -> Gateway:
    """Start the worker (it first processes what was left waiting), then listen on the configured ports. A port
    that cannot be had (another program holds it) is logged as an error and that front end stays closed: the API
    and the other front end serve on."""
    settings = config.settings()
    gateway = Gateway(Worker().start())
    if settings.sftp_port is not None:
        try:
            gateway._sftp = await sftp.start(host, settings.sftp_port)
        except OSError as error:
            log.error("SFTP file gateway NOT started: port %d on %s: %s (TOLD_SFTP_PORT)", settings.sftp_port, host,
                      error)
        else:
            gateway.sftp_port = gateway._sftp.sockets[0].getsockname()[1]
            log.warning("SFTP file gateway on %s port %d", host, gateway.sftp_port)
    if settings.ftps_port is not None:
        try:
            gateway._ftps = ftps.Server(host, settings.ftps_port, settings.ftps_passive_ports).start()
        except OSError as error:
            log.error("FTPS file gateway NOT started: port %d on %s: %s (TOLD_FTPS_PORT)", settings.ftps_port, host,
                      error)
        else:
            gateway.ftps_port = gateway._ftps.port
            log.warning("FTPS file gateway on %s port %d (passive ports %d-%d)", host, gateway.ftps_port,
                        settings.ftps_passive_ports.start, settings.ftps_passive_ports.stop - 1)
    return gateway
