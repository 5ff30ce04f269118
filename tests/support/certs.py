"""Certificates made at test time (cryptography): CAs, intermediates, server
and client leaves, self-signed store certificates the way `openssl req
-x509` makes them, expired and wrong-host ones; written as PEM files."""

from __future__ import annotations

import datetime
import ipaddress
from pathlib import Path
from typing import List, Optional, Sequence

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = datetime.datetime.now(datetime.timezone.utc)
DAY = datetime.timedelta(days=1)
LOCAL_NAMES = ("localhost", "127.0.0.1")


class Issued:
    """A certificate and its private key."""

    def __init__(self, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> None:
        self.cert = cert
        self.key = key

    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def key_pem(self, password: Optional[bytes] = None) -> bytes:
        encryption = (serialization.BestAvailableEncryption(password) if password
                      else serialization.NoEncryption())
        return self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def _san(names: Sequence[str]) -> x509.SubjectAlternativeName:
    entries: List[x509.GeneralName] = []
    for name in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    return x509.SubjectAlternativeName(entries)


def issue(common_name: str, *, issuer: Optional[Issued] = None, ca: Optional[bool] = False,
          names: Optional[Sequence[str]] = LOCAL_NAMES, not_before: datetime.datetime = NOW - DAY,
          not_after: datetime.datetime = NOW + 2 * DAY, client: bool = False) -> Issued:
    """A certificate for `common_name`, signed by `issuer` (self-signed when
    None). `ca`: True/False for a basicConstraints extension, None for none.
    `names`: subjectAltName entries (None for no extension)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    issuer_name = issuer.cert.subject if issuer else subject
    signing_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if ca is not None:
        builder = builder.add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
            key_encipherment=False, data_encipherment=False, key_agreement=False, encipher_only=False,
            decipher_only=False), critical=False)
    if names is not None:
        builder = builder.add_extension(_san(names), critical=False)
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    if client:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
    return Issued(builder.sign(signing_key, hashes.SHA256()), key)


def store_self_signed(**kw) -> Issued:
    """What `openssl req -x509 -newkey ... -subj /CN=... -addext
    subjectAltName=...` makes: self-signed, basicConstraints CA:TRUE."""
    return issue("store.local", ca=True, **kw)


def write(directory: Path, name: str, *parts: bytes) -> str:
    path = directory / name
    path.write_bytes(b"".join(parts))
    return str(path)
