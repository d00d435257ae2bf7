"""The gateway's own keys, made once into var/gateway/ on first start and kept (readable by the owner only):
the SSH host key (so clients can pin it) and a self-signed TLS certificate for FTPS."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from toldsystem import config


def _folder() -> Path:
    folder = config.settings().var_dir / "gateway"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write_private(path: Path, data: bytes) -> None:
    """Written in full under another name, then put in place: a crash never leaves half a key."""
    partial = path.with_suffix(".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, path)


def ssh_host_key() -> Path:
    """var/gateway/ssh_host_ed25519_key, made on first use."""
    import asyncssh

    path = _folder() / "ssh_host_ed25519_key"
    if not path.exists():
        _write_private(path, asyncssh.generate_private_key("ssh-ed25519").export_private_key())
    return path


def tls_certificate() -> Path:
    """var/gateway/ftps.pem: a self-signed certificate for localhost and 127.0.0.1, then its key, made on first use."""
    path = _folder() / "ftps.pem"
    if not path.exists():
        _write_private(path, _self_signed())
    return path


def _self_signed() -> bytes:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "toldsystem file gateway")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=3650))
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                               x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .sign(key, hashes.SHA256()))
    return (certificate.public_bytes(serialization.Encoding.PEM)
            + key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()))
