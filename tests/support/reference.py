"""botocore as the oracle: its request, its signature, its errors.

Nothing here imports fastboto; the helpers work on what a
:class:`~support.capture_server.CaptureServer` recorded, so the same code
checks botocore's own requests (harness self-tests) and fastboto's.

Secrets (secret key, session token, signature) never appear in assertion
messages: use :func:`scrub` on anything printed.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import datetime
import hashlib
import hmac
import re
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

import botocore.auth
import botocore.awsrequest
import botocore.config
import botocore.credentials
import botocore.loaders
import botocore.session
import botocore.validate

from .capture_server import CapturedRequest, CaptureServer

# Obviously fake credentials. The secret and token contain '/', '+', '='
# so that any encoding mistake shows.
FAKE_ACCESS_KEY = "AKIAFASTBOTOTESTFAKE"
FAKE_SECRET_KEY = "fake/Secret+Key=NotReal0123456789abcdefgh"
FAKE_SESSION_TOKEN = "FAKE//Session+Token=NotReal/0123456789=="
# What a fake S3 Express CreateSession answers with (tests/test_s3express.py).
FAKE_EXPRESS_ACCESS_KEY = "ASIAFASTBOTOEXPRESS1"
FAKE_EXPRESS_SECRET_KEY = "express/Session+Secret=NotReal9876543210zyx"
FAKE_EXPRESS_TOKEN = "EXPRESS//S3Session+Token=NotReal/9876543210=="
SECRETS: Tuple[str, ...] = (FAKE_SECRET_KEY, FAKE_SESSION_TOKEN, FAKE_EXPRESS_SECRET_KEY, FAKE_EXPRESS_TOKEN)
# Headers whose values are secrets: compared as digests.
TOKEN_HEADERS = frozenset({"x-amz-security-token", "x-amz-s3session-token"})

# Headers SPEC §4 requires to be equal (lower-case names; families by prefix).
COMPARED_HEADERS = frozenset(
    {
        "content-md5",
        "x-amz-sdk-checksum-algorithm",
        "x-amz-content-sha256",
        "x-amz-acl",
        "x-amz-expected-bucket-owner",
        "x-amz-confirm-remove-self-bucket-access",
        "content-length",
    }
)
COMPARED_PREFIXES = ("x-amz-checksum-", "x-amz-grant-")
# Headers that legitimately differ between two sends of the same call.
IGNORED_HEADERS = frozenset(
    {"date", "x-amz-date", "amz-sdk-invocation-id", "amz-sdk-request", "user-agent", "authorization"}
)

_SIG_RE = re.compile(r"(Signature=)[0-9a-fA-F]+")
_AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<cred>[^,\s]+),\s*SignedHeaders=(?P<sh>[^,\s]+),\s*Signature=(?P<sig>[0-9a-f]{64})$"
)
_AMZ_DATE_RE = re.compile(r"^\d{8}T\d{6}Z$")


# ---------------------------------------------------------------------------
# secrets
# ---------------------------------------------------------------------------
def scrub(text: Any, secrets: Iterable[str] = SECRETS) -> str:
    """``str(text)`` with every secret and SigV4 signature replaced."""
    s = str(text)
    for secret in secrets:
        if secret:
            s = s.replace(secret, "<secret>")
            if len(secret) >= 16:
                # pieces left by pytest's truncation of long values ("fake/Secret+K...")
                s = re.sub(re.escape(secret[:8]) + r"[\w/+=]*", "<secret>", s)
                s = re.sub(r"[\w/+=]*" + re.escape(secret[-8:]), "<secret>", s)
    return _SIG_RE.sub(r"\1<hidden>", s)


# ---------------------------------------------------------------------------
# botocore clients
# ---------------------------------------------------------------------------
_LOADER = None


def new_botocore_session() -> botocore.session.Session:
    """A fresh botocore session (reads env/config files anew) sharing one
    model loader, so the JSON models are parsed once per test run."""
    global _LOADER
    if _LOADER is None:
        _LOADER = botocore.loaders.create_loader()
    session = botocore.session.Session()
    session.register_component("data_loader", _LOADER)
    return session


def botocore_config(config: Union[None, Mapping[str, Any], botocore.config.Config]) -> Optional[botocore.config.Config]:
    if config is None or isinstance(config, botocore.config.Config):
        return config
    # botocore.config.Config rewrites nested dicts in place (retries
    # max_attempts -> total_max_attempts): give it its own copy.
    return botocore.config.Config(**copy.deepcopy(dict(config)))


def botocore_client(
    service_name: str = "s3",
    *,
    region_name: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    aws_access_key_id: Optional[str] = FAKE_ACCESS_KEY,
    aws_secret_access_key: Optional[str] = FAKE_SECRET_KEY,
    aws_session_token: Optional[str] = None,
    config: Union[None, Mapping[str, Any], botocore.config.Config] = None,
    verify: Any = None,
    use_ssl: bool = True,
):
    """A real botocore client (fresh botocore.session) for the same inputs."""
    __tracebackhide__ = True  # keep secrets in arguments out of reports
    session = new_botocore_session()
    return session.create_client(
        service_name,
        region_name=region_name,
        endpoint_url=endpoint_url,
        aws_access_key_id=aws_access_key_id,
        aws_secret_access_key=aws_secret_access_key,
        aws_session_token=aws_session_token,
        config=botocore_config(config),
        verify=verify,
        use_ssl=use_ssl,
    )


@dataclasses.dataclass
class Outcome:
    """What one client call did: its result or exception, and what was sent."""

    result: Any
    error: Optional[BaseException]
    requests: List[CapturedRequest]

    @property
    def request(self) -> CapturedRequest:
        assert len(self.requests) == 1, f"expected exactly 1 request, got {len(self.requests)}"
        return self.requests[0]


def call_and_capture(server: CaptureServer, client: Any, operation: str, **kwargs: Any) -> Outcome:
    """Call ``client.<operation>(**kwargs)``; return its outcome and the requests it sent."""
    __tracebackhide__ = True  # keep secrets in arguments out of reports
    server.pop_all()
    result: Any = None
    error: Optional[BaseException] = None
    try:
        result = getattr(client, operation)(**kwargs)
    except Exception as e:  # noqa: BLE001 - we compare exceptions
        error = e
    return Outcome(result, error, server.pop_all())


def capture_botocore_prepared(client: Any, operation: str, **kwargs: Any):
    """botocore's AWSPreparedRequest for a call, captured at before-send (nothing is sent)."""
    captured = {}

    def _before_send(request, **_):
        captured["request"] = request
        return botocore.awsrequest.AWSResponse(request.url, 200, {}, _EmptyRaw())

    client.meta.events.register_first("before-send.s3", _before_send)
    try:
        getattr(client, operation)(**kwargs)
    finally:
        client.meta.events.unregister("before-send.s3", _before_send)
    return captured["request"]


class _EmptyRaw:
    def stream(self, **_):
        return iter(())

    def read(self, *_):
        return b""


# ---------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------
def operation_model(operation_name: str, service_name: str = "s3"):
    """botocore's OperationModel for e.g. "PutBucketPolicy"."""
    session = new_botocore_session()
    return session.get_service_model(service_name).operation_model(operation_name)


def botocore_param_validation_error(operation_name: str, params: Mapping[str, Any]) -> Optional[BaseException]:
    """The ParamValidationError botocore's validator reports for ``params``, or None.

    This is the oracle where botocore's client itself raises a bare TypeError
    (a non-str Bucket breaks its bucket-name regex before validation runs):
    fastboto reports what botocore's own validator says about the input.
    """
    op = operation_model(operation_name)
    report = botocore.validate.ParamValidator().validate(dict(params), op.input_shape)
    if report.has_errors():
        return botocore.exceptions.ParamValidationError(report=report.generate_report())
    return None


def expected_error_for(outcome: Outcome, operation_name: str, params: Mapping[str, Any]) -> Optional[BaseException]:
    """What fastboto must raise, given botocore's outcome for the same call."""
    __tracebackhide__ = True  # keep secrets in arguments out of reports
    err = outcome.error
    if isinstance(err, TypeError) and not isinstance(err, botocore.exceptions.BotoCoreError):
        expected = botocore_param_validation_error(operation_name, params)
        assert expected is not None, f"botocore raised TypeError but its validator found nothing: {err!r}"
        return expected
    return err


def assert_same_error(ours: Optional[BaseException], theirs: Optional[BaseException]) -> None:
    """Same exception class name and identical str(); ours subclasses botocore's same-named class."""
    __tracebackhide__ = True  # keep secrets in arguments out of reports
    assert theirs is not None, "reference raised nothing"
    assert ours is not None, (
        f"fastboto raised nothing; botocore raised {type(theirs).__name__}: {scrub(theirs)}"
    )
    assert type(ours).__name__ == type(theirs).__name__, (
        f"exception class {type(ours).__module__}.{type(ours).__name__} != botocore's "
        f"{type(theirs).__module__}.{type(theirs).__name__}\n ours: {scrub(ours)}\n theirs: {scrub(theirs)}"
    )
    assert str(ours) == str(theirs), f"str(e) differs:\n ours:   {scrub(ours)!r}\n theirs: {scrub(theirs)!r}"
    botocore_cls = getattr(botocore.exceptions, type(theirs).__name__, None)
    if botocore_cls is not None and isinstance(theirs, botocore_cls):
        assert isinstance(ours, botocore_cls), (
            f"fastboto's {type(ours).__name__} is not a subclass of botocore.exceptions.{botocore_cls.__name__}"
        )


# ---------------------------------------------------------------------------
# requests
# ---------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class AuthParts:
    access_key: str
    date: str
    region: str
    service: str
    terminator: str
    signed_headers: Tuple[str, ...]
    signature: str = dataclasses.field(repr=False)

    @property
    def scope(self) -> Tuple[str, str, str, str, str]:
        return (self.access_key, self.date, self.region, self.service, self.terminator)


def parse_authorization(value: Optional[str]) -> AuthParts:
    __tracebackhide__ = True  # keep secrets in arguments out of reports
    assert value is not None, "no Authorization header"
    m = _AUTH_RE.match(value)
    assert m, f"malformed SigV4 Authorization header: {scrub(value)!r}"
    cred = m.group("cred").split("/")
    assert len(cred) == 5, f"malformed credential scope: {m.group('cred')!r}"
    return AuthParts(*cred, tuple(m.group("sh").split(";")), m.group("sig"))


def compared_headers(req: CapturedRequest) -> Dict[str, str]:
    """The SPEC §4 headers of ``req`` (lower-case names), plus every other x-amz-* header.

    Every x-amz-* header is S3-significant (S3 requires them all signed), so
    the comparison covers them all, not only the SPEC's list; the session
    token is compared as a digest so it never shows in a message.
    """
    __tracebackhide__ = True  # keep secrets in arguments out of reports
    out: Dict[str, str] = {}
    for name, value in req.headers:
        lname = name.lower()
        if lname in IGNORED_HEADERS:
            continue
        if lname in COMPARED_HEADERS or lname.startswith(COMPARED_PREFIXES) or lname.startswith("x-amz-"):
            assert lname not in out, f"header {name!r} sent twice"
            if lname in TOKEN_HEADERS:
                value = "<token sha256 " + hashlib.sha256(value.encode("utf-8", "surrogateescape")).hexdigest()[:16] + ">"
            out[lname] = value
    return out


@dataclasses.dataclass
class RequestView:
    """The parts of a request that must be equal between fastboto and botocore."""

    method: str
    host: Optional[str]
    path_and_query: str
    body: bytes
    headers: Dict[str, str]
    signed_headers: Tuple[str, ...]
    scope_without_date: Tuple[str, str, str, str]  # access key, region, service, aws4_request
    transfer_encoding: Optional[str]

    def describe(self) -> str:
        return scrub(
            f"{self.method} host={self.host} {self.path_and_query} body[{len(self.body)}] "
            f"headers={self.headers} signed={';'.join(self.signed_headers)} scope={self.scope_without_date}"
        )


def request_view(req: CapturedRequest) -> RequestView:
    __tracebackhide__ = True  # keep secrets in arguments out of reports
    auth = parse_authorization(req.header("Authorization"))
    host = req.host
    if req.target_authority is not None:
        assert host == req.target_authority, (
            f"Host header {host!r} disagrees with the proxy target {req.target_authority!r}"
        )
    return RequestView(
        method=req.method,
        host=host,
        path_and_query=req.path_and_query,
        body=req.body,
        headers=compared_headers(req),
        signed_headers=auth.signed_headers,
        scope_without_date=(auth.access_key, auth.region, auth.service, auth.terminator),
        transfer_encoding=req.header("Transfer-Encoding"),
    )


def compare_requests(
    ours: Union[CapturedRequest, RequestView],
    theirs: Union[CapturedRequest, RequestView],
    *,
    check_user_agent: bool = True,
) -> None:
    """Assert that fastboto's request (``ours``) equals botocore's (``theirs``).

    Equal: method, Host, path+query, body bytes, the compared headers
    (case-insensitive names, identical values), SignedHeaders and the
    credential scope (the date must match each request's own X-Amz-Date).
    Ignored: Date/X-Amz-Date, amz-sdk-invocation-id/-request, the signature
    itself (use verify_sigv4), and User-Agent, which must mention fastboto.
    """
    __tracebackhide__ = True  # keep secrets in arguments out of reports
    if isinstance(ours, CapturedRequest):
        _check_date_consistency(ours)
        if check_user_agent:
            ua = ours.header("User-Agent") or ""
            assert "fastboto" in ua.lower(), f"User-Agent does not name fastboto: {ua!r}"
        assert not ours.chunked or (isinstance(theirs, CapturedRequest) and theirs.chunked), (
            "fastboto sent a chunked body where botocore did not"
        )
        ours = request_view(ours)
    if isinstance(theirs, CapturedRequest):
        _check_date_consistency(theirs)
        theirs = request_view(theirs)

    ctx = f"\n ours:   {ours.describe()}\n theirs: {theirs.describe()}"
    assert ours.method == theirs.method, "method differs" + ctx
    assert ours.host == theirs.host, "host differs" + ctx
    assert ours.path_and_query == theirs.path_and_query, "path/query differs" + ctx
    assert ours.body == theirs.body, (
        f"body differs (ours {len(ours.body)} bytes, theirs {len(theirs.body)} bytes; "
        f"first difference at {_first_diff(ours.body, theirs.body)})" + ctx
    )
    if ours.headers != theirs.headers:
        missing = sorted(set(theirs.headers) - set(ours.headers))
        extra = sorted(set(ours.headers) - set(theirs.headers))
        differ = sorted(k for k in set(ours.headers) & set(theirs.headers) if ours.headers[k] != theirs.headers[k])
        raise AssertionError(
            scrub(
                f"headers differ: missing {missing}, extra {extra}, "
                + ", ".join(f"{k}: ours {ours.headers[k]!r} theirs {theirs.headers[k]!r}" for k in differ)
            )
            + ctx
        )
    assert ours.transfer_encoding == theirs.transfer_encoding, "Transfer-Encoding differs" + ctx
    assert ours.signed_headers == theirs.signed_headers, "SignedHeaders differ" + ctx
    assert ours.scope_without_date == theirs.scope_without_date, "credential scope differs" + ctx


def _check_date_consistency(req: CapturedRequest) -> None:
    __tracebackhide__ = True  # keep secrets in arguments out of reports
    amz_date = req.header("X-Amz-Date")
    assert amz_date is not None and _AMZ_DATE_RE.match(amz_date), f"bad X-Amz-Date {amz_date!r}"
    auth = parse_authorization(req.header("Authorization"))
    assert auth.date == amz_date[:8], f"credential scope date {auth.date} != X-Amz-Date {amz_date}"
    assert auth.terminator == "aws4_request"


def _first_diff(a: bytes, b: bytes) -> int:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


# ---------------------------------------------------------------------------
# SigV4
# ---------------------------------------------------------------------------
def verify_sigv4(
    req: CapturedRequest,
    secret_key: str = FAKE_SECRET_KEY,
    *,
    access_key: Optional[str] = None,
    session_token: Optional[str] = None,
    region: Optional[str] = None,
    service: Optional[str] = None,
    max_skew: Optional[datetime.timedelta] = datetime.timedelta(minutes=15),
    scheme: Optional[str] = None,
    generic: bool = False,
) -> AuthParts:
    """Recompute the request's SigV4 signature with botocore's S3SigV4Auth and compare.

    With ``generic``: with botocore's generic SigV4Auth instead, the signer
    botocore uses for ``signature_version="v4"`` where the endpoint offers no
    SigV4 scheme (no X-Amz-Content-SHA256; the path normalised and quoted again).

    The signature is recomputed the way S3 checks it: over the captured
    method, path, query, the headers named in SignedHeaders (values as sent)
    and the X-Amz-Content-SHA256 header, at the captured X-Amz-Date (frozen
    in ``request.context['timestamp']``, where botocore's add_auth would put
    the current time). It also checks the payload hash against the body,
    that every x-amz-* header, Content-MD5 and Host are signed, and the
    scope's date/region/service.
    """
    __tracebackhide__ = True  # keep secrets in arguments out of reports
    auth_header = req.header("Authorization")
    parts = parse_authorization(auth_header)
    amz_date = req.header("X-Amz-Date")
    assert amz_date is not None and _AMZ_DATE_RE.match(amz_date), f"bad X-Amz-Date {amz_date!r}"
    assert parts.date == amz_date[:8], f"scope date {parts.date} != X-Amz-Date {amz_date}"
    assert parts.terminator == "aws4_request"
    if access_key is not None:
        assert parts.access_key == access_key, f"access key {parts.access_key!r} != {access_key!r}"
    if region is not None:
        assert parts.region == region, f"signing region {parts.region!r} != {region!r}"
    if service is not None:
        assert parts.service == service, f"signing name {parts.service!r} != {service!r}"
    if max_skew is not None:
        when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
        skew = abs(datetime.datetime.now(datetime.timezone.utc) - when)
        assert skew <= max_skew, f"X-Amz-Date {amz_date} is {skew} away from now"

    token = req.header("X-Amz-Security-Token")
    if session_token is not None:
        assert token is not None, "X-Amz-Security-Token missing"
        assert hmac.compare_digest(token.encode("utf-8", "surrogateescape"), session_token.encode()), (
            "X-Amz-Security-Token differs from the session token given"
        )
    signed = list(parts.signed_headers)
    assert signed == sorted(set(signed)), f"SignedHeaders not sorted/unique: {signed}"
    assert all(h == h.lower() for h in signed), f"SignedHeaders not lower-case: {signed}"
    present = {k.lower() for k, _ in req.headers}
    if generic:
        assert "x-amz-content-sha256" not in present, "generic signer sent x-amz-content-sha256"
    base = ["host", "x-amz-date"] + ([] if generic else ["x-amz-content-sha256"])
    for must in base + sorted(
        h for h in present if h.startswith("x-amz-") or h == "content-md5"
    ):
        assert must in signed, f"header {must!r} is sent but not signed (SignedHeaders={';'.join(signed)})"
    for h in signed:
        assert h in present, f"signed header {h!r} was not sent"
        assert h not in botocore.auth.SIGNED_HEADERS_BLACKLIST, f"header {h!r} must not be signed"

    payload_hash = req.header("X-Amz-Content-SHA256")
    if generic:
        pass  # SigV4Auth hashes the body itself
    elif payload_hash != botocore.auth.UNSIGNED_PAYLOAD:
        assert payload_hash == hashlib.sha256(req.body).hexdigest(), (
            f"X-Amz-Content-SHA256 {payload_hash} is not the SHA-256 of the {len(req.body)}-byte body"
        )
    else:
        assert req.tls, "UNSIGNED-PAYLOAD over plain http"

    # Rebuild the request as botocore holds it: headers named in SignedHeaders,
    # values as sent (UTF-8 decoded, as botocore encodes them).
    url = req.url(scheme)
    aws_req = botocore.awsrequest.AWSRequest(method=req.method, url=url, data=req.body)
    for name, value in req.headers:
        if name.lower() in signed:
            _reject_non_utf8(name, value)
            aws_req.headers[name] = value
    aws_req.context["timestamp"] = amz_date

    creds = botocore.credentials.Credentials(parts.access_key, secret_key, token)
    signer_class = botocore.auth.SigV4Auth if generic else botocore.auth.S3SigV4Auth
    signer = signer_class(creds, parts.service, parts.region)
    headers_to_sign = signer.headers_to_sign(aws_req)
    assert signer.signed_headers(headers_to_sign) == ";".join(signed), (
        f"botocore would sign {signer.signed_headers(headers_to_sign)} for these headers, "
        f"the request says {';'.join(signed)}"
    )
    canonical = signer.canonical_request(aws_req)
    string_to_sign = signer.string_to_sign(aws_req, canonical)
    expected = signer.signature(string_to_sign, aws_req)
    if not hmac.compare_digest(expected, parts.signature):
        shown = canonical
        if token:
            shown = shown.replace(token, "<token>")
        raise AssertionError(scrub("SigV4 signature does not verify. Canonical request botocore computes:\n" + shown))
    return parts


def _reject_non_utf8(name: str, value: str) -> None:
    __tracebackhide__ = True  # keep secrets in arguments out of reports
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise AssertionError(f"header {name!r} value is not valid UTF-8 on the wire") from None


# ---------------------------------------------------------------------------
# checksums
# ---------------------------------------------------------------------------
def botocore_supports_checksum(algorithm: str) -> bool:
    """Whether this botocore (with or without awscrt) computes ``algorithm``."""
    from botocore import httpchecksum

    return algorithm.lower() in httpchecksum._CHECKSUM_CLS


def independent_checksum(algorithm: str, body: bytes) -> Optional[str]:
    """base64 checksum header value from a non-botocore implementation, or None if unavailable."""
    a = algorithm.upper()
    if a in ("MD5", "SHA1", "SHA256", "SHA512"):
        return base64.b64encode(hashlib.new(a.lower(), body).digest()).decode()
    if a == "CRC32":
        import zlib

        return base64.b64encode((zlib.crc32(body) & 0xFFFFFFFF).to_bytes(4, "big")).decode()
    if a.startswith("XXHASH"):
        try:
            import xxhash
        except ImportError:
            return None
        fn = {"XXHASH64": xxhash.xxh64, "XXHASH3": xxhash.xxh3_64, "XXHASH128": xxhash.xxh3_128}[a]
        return base64.b64encode(fn(body).digest()).decode()
    try:  # CRC32C / CRC64NVME: only awscrt has them here
        from awscrt import checksums
    except ImportError:
        return None
    if a == "CRC32C":
        return base64.b64encode(checksums.crc32c(body).to_bytes(4, "big")).decode()
    if a == "CRC64NVME":
        return base64.b64encode(checksums.crc64nvme(body).to_bytes(8, "big")).decode()
    return None


def substitute_checksum(view: RequestView, algorithm_as_given: str, body: bytes, value: str) -> RequestView:
    """The view botocore *would* produce if it computed ``algorithm_as_given`` (e.g. MD5).

    Start from botocore's request for another algorithm and swap the
    x-amz-checksum-* header, the x-amz-sdk-checksum-algorithm value and the
    signed header list.
    """
    headers = {k: v for k, v in view.headers.items() if not k.startswith("x-amz-checksum-")}
    name = "x-amz-checksum-" + algorithm_as_given.lower()
    headers[name] = value
    headers["x-amz-sdk-checksum-algorithm"] = algorithm_as_given
    signed = tuple(sorted({h for h in view.signed_headers if not h.startswith("x-amz-checksum-")} | {name}))
    return dataclasses.replace(view, headers=headers, signed_headers=signed)
