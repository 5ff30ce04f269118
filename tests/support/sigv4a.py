"""SigV4a (AWS4-ECDSA-P256-SHA256) for the differential tests: parse the
Authorization header, derive the public key from the secret key as the
SigV4a specification does, and verify a request's signature over the
string to sign rebuilt with botocore's S3 canonical request.

Nothing here imports fastboto. ECDSA signatures are randomized (awscrt) or
deterministic (fastboto): two signers never agree byte for byte, so a
signature is checked by verification, never by comparison. The key
derivation is written out here (not taken from fastboto or awscrt) and
pinned to the published test suite's public key by test_sigv4a.py; the
verifier is shown right by accepting botocore[crt]'s own signatures.

Secrets never appear in assertion messages (see reference.scrub).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import hmac
import re
from typing import Iterable, Optional, Sequence, Tuple, Union

import botocore.auth
import botocore.awsrequest
import botocore.credentials
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from .reference import FAKE_SECRET_KEY, scrub

ALGORITHM = "AWS4-ECDSA-P256-SHA256"
# The order of the P-256 group (NIST SP 800-186, 3.2.1.3).
_P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551

_AUTH_RE = re.compile(
    r"^AWS4-ECDSA-P256-SHA256 Credential=(?P<cred>[^,\s]+),\s*SignedHeaders=(?P<sh>[^,\s]+),"
    r"\s*Signature=(?P<sig>[0-9a-f]+)$"
)
_AMZ_DATE_RE = re.compile(r"^\d{8}T\d{6}Z$")

Headers = Sequence[Tuple[str, Union[str, bytes]]]


@dataclasses.dataclass(frozen=True)
class V4aAuthParts:
    access_key: str
    date: str
    service: str
    terminator: str
    signed_headers: Tuple[str, ...]
    signature: str = dataclasses.field(repr=False)

    @property
    def scope(self) -> Tuple[str, str, str, str]:
        return (self.access_key, self.date, self.service, self.terminator)


def is_sigv4a(authorization: Optional[Union[str, bytes]]) -> bool:
    if isinstance(authorization, bytes):
        authorization = authorization.decode()
    return bool(authorization) and authorization.startswith(ALGORITHM + " ")


def parse_sigv4a_authorization(value: Optional[Union[str, bytes]]) -> V4aAuthParts:
    __tracebackhide__ = True  # keep secrets in arguments out of reports
    assert value is not None, "no Authorization header"
    if isinstance(value, bytes):
        value = value.decode()
    m = _AUTH_RE.match(value)
    assert m, f"malformed SigV4a Authorization header: {scrub(value)!r}"
    cred = m.group("cred").split("/")
    assert len(cred) == 4, f"malformed SigV4a credential scope (access key/date/service/aws4_request): {cred!r}"
    return V4aAuthParts(*cred, tuple(m.group("sh").split(";")), m.group("sig"))


def derive_private_value(access_key: str, secret_key: str) -> int:
    """The SigV4a private key: NIST SP 800-108 counter-mode KDF with
    HMAC-SHA256 keyed by "AWS4A" + secret, context access key + counter,
    the first candidate below n-1 plus one."""
    key = ("AWS4A" + secret_key).encode()
    counter = 1
    while counter < 255:
        fixed = ALGORITHM.encode() + b"\x00" + access_key.encode() + bytes([counter]) + (256).to_bytes(4, "big")
        candidate = int.from_bytes(hmac.new(key, (1).to_bytes(4, "big") + fixed, hashlib.sha256).digest(), "big")
        if candidate <= _P256_N - 2:
            return candidate + 1
        counter += 1
    raise AssertionError("SigV4a key derivation found no key")


def public_key(access_key: str, secret_key: str) -> ec.EllipticCurvePublicKey:
    return ec.derive_private_key(derive_private_value(access_key, secret_key), ec.SECP256R1()).public_key()


def _text(value: Union[str, bytes]) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _header(headers: Headers, name: str) -> Optional[str]:
    values = [_text(v) for k, v in headers if k.lower() == name.lower()]
    assert len(values) <= 1, f"header {name!r} sent {len(values)} times"
    return values[0] if values else None


def canonical_request(method: str, url: str, headers: Headers, body: bytes, signed: Iterable[str],
                      generic: bool = False) -> str:
    """botocore's S3 canonical request (S3SigV4Auth) over the headers named
    in ``signed``, values as given, payload hash from X-Amz-Content-SHA256;
    with ``generic``, its generic signer's (SigV4Auth: path normalised and
    quoted again, payload hash of the body)."""
    signed = set(signed)
    aws_req = botocore.awsrequest.AWSRequest(method=method, url=url, data=body)
    for name, value in headers:
        if name.lower() in signed:
            aws_req.headers[name] = _text(value)
    signer_class = botocore.auth.SigV4Auth if generic else botocore.auth.S3SigV4Auth
    signer = signer_class(botocore.credentials.Credentials("unused", "unused"), "s3", "unused")
    headers_to_sign = signer.headers_to_sign(aws_req)
    assert signer.signed_headers(headers_to_sign) == ";".join(sorted(signed)), (
        f"botocore would sign {signer.signed_headers(headers_to_sign)} for these headers, "
        f"the request says {';'.join(sorted(signed))}"
    )
    return signer.canonical_request(aws_req)


def string_to_sign(amz_date: str, service: str, canonical: str) -> str:
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{amz_date}\n{amz_date[:8]}/{service}/aws4_request\n{digest}"


def verify_sigv4a(
    method: str,
    url: str,
    headers: Headers,
    body: Optional[bytes],
    secret_key: str = FAKE_SECRET_KEY,
    *,
    access_key: Optional[str] = None,
    session_token: Optional[str] = None,
    service: Optional[str] = None,
    region_set: Optional[str] = None,
    max_skew: Optional[datetime.timedelta] = datetime.timedelta(minutes=15),
    generic: bool = False,
) -> V4aAuthParts:
    """Check a SigV4a-signed request as S3 would: scope, the headers that
    must be signed, the payload hash, and the ECDSA signature over the string
    to sign rebuilt from what was sent, with the public key of the secret."""
    __tracebackhide__ = True  # keep secrets in arguments out of reports
    body = body or b""
    parts = parse_sigv4a_authorization(_header(headers, "Authorization"))
    amz_date = _header(headers, "X-Amz-Date")
    assert amz_date is not None and _AMZ_DATE_RE.match(amz_date), f"bad X-Amz-Date {amz_date!r}"
    assert parts.date == amz_date[:8], f"scope date {parts.date} != X-Amz-Date {amz_date}"
    assert parts.terminator == "aws4_request"
    if access_key is not None:
        assert parts.access_key == access_key, f"access key {parts.access_key!r} != {access_key!r}"
    if service is not None:
        assert parts.service == service, f"signing name {parts.service!r} != {service!r}"
    sent_region_set = _header(headers, "X-Amz-Region-Set")
    assert sent_region_set, "X-Amz-Region-Set missing"
    if region_set is not None:
        assert sent_region_set == region_set, f"X-Amz-Region-Set {sent_region_set!r} != {region_set!r}"
    if max_skew is not None:
        when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
        skew = abs(datetime.datetime.now(datetime.timezone.utc) - when)
        assert skew <= max_skew, f"X-Amz-Date {amz_date} is {skew} away from now"
    token = _header(headers, "X-Amz-Security-Token")
    if session_token is not None:
        assert token is not None, "X-Amz-Security-Token missing"
        assert hmac.compare_digest(token.encode(), session_token.encode()), (
            "X-Amz-Security-Token differs from the session token given"
        )
    signed = list(parts.signed_headers)
    assert signed == sorted(set(signed)), f"SignedHeaders not sorted/unique: {signed}"
    present = {k.lower() for k, _ in headers}
    # botocore's generic signer (signature_version="v4a" where the endpoint
    # offers no SigV4a) sends no x-amz-content-sha256.
    if generic:
        assert "x-amz-content-sha256" not in {k.lower() for k, _ in headers}, "generic signer sent x-amz-content-sha256"
    base = ["host", "x-amz-date", "x-amz-region-set"] + ([] if generic else ["x-amz-content-sha256"])
    for must in base + sorted(
        h for h in present if h.startswith("x-amz-") or h == "content-md5"
    ):
        assert must in signed, f"header {must!r} is sent but not signed (SignedHeaders={';'.join(signed)})"
    for h in signed:
        assert h in present or h == "host", f"signed header {h!r} was not sent"
        assert h not in botocore.auth.SIGNED_HEADERS_BLACKLIST, f"header {h!r} must not be signed"
    payload_hash = _header(headers, "X-Amz-Content-SHA256")
    if payload_hash is not None and payload_hash != botocore.auth.UNSIGNED_PAYLOAD:
        assert payload_hash == hashlib.sha256(body).hexdigest(), (
            f"X-Amz-Content-SHA256 {payload_hash} is not the SHA-256 of the {len(body)}-byte body"
        )
    canonical = canonical_request(method, url, headers, body, signed, generic)
    sts = string_to_sign(amz_date, parts.service, canonical)
    try:
        public_key(parts.access_key, secret_key).verify(
            bytes.fromhex(parts.signature), sts.encode(), ec.ECDSA(hashes.SHA256())
        )
    except (InvalidSignature, ValueError):
        shown = canonical.replace(token, "<token>") if token else canonical
        raise AssertionError(
            scrub("SigV4a signature does not verify. Canonical request botocore computes:\n" + shown)
        ) from None
    return parts
