"""Credential providers that fetch over the network (container, IMDS, STS,
SSO), differential against botocore: the same environment and files, the
metadata / STS / SSO endpoint served on loopback, and botocore's
``Session().get_credentials()`` as the oracle for what is found (values
and ``method``), which requests the provider sends, and the errors.
Each test also checks that a fastboto client signs with what was found."""

from __future__ import annotations

import datetime
import re
import json
import threading

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.exceptions
import botocore.session
import botocore.tokens
import botocore.utils
import pytest

import fastboto
from support.capture_server import CannedResponse, CaptureServer
from support.reference import scrub, verify_sigv4

AK = "ASIAFASTBOTOTEMPFAKE"
SK = "temp/Secret+Key=NotReal0123456789abcdefgh"
TOKEN = "TEMP//Session+Token=NotReal/0123456789=="


def _iso(delta: datetime.timedelta) -> str:
    return (datetime.datetime.now(datetime.timezone.utc) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def _creds_body(expires_in=datetime.timedelta(hours=6), token_key="Token", **extra) -> bytes:
    doc = {
        "AccessKeyId": AK,
        "SecretAccessKey": SK,
        token_key: TOKEN,
        "Expiration": _iso(expires_in),
        **extra,
    }
    return json.dumps(doc).encode()


@pytest.fixture
def metadata_server():
    with CaptureServer() as srv:
        yield srv


@pytest.fixture
def s3_server():
    with CaptureServer(CannedResponse(204)) as srv:
        yield srv


def botocore_found():
    """(frozen tuple, method) from botocore, or the exception it raised
    (deferred credentials fetch at ``get_frozen_credentials()``)."""
    try:
        creds = botocore.session.Session().get_credentials()
        if creds is None:
            return None
        frozen = creds.get_frozen_credentials()
    except Exception as e:  # noqa: BLE001 - compared below
        return e
    return tuple(frozen), creds.method


def fastboto_found():
    try:
        creds = fastboto.Session().get_credentials()
        if creds is None:
            return None
        frozen = creds.get_frozen_credentials()
    except Exception as e:  # noqa: BLE001
        return e
    return tuple(frozen), creds.method


def assert_same_outcome(ours, theirs):
    __tracebackhide__ = True
    if isinstance(theirs, BaseException):
        assert isinstance(ours, BaseException), f"botocore raised {type(theirs).__name__}, fastboto returned"
        assert type(ours).__name__ == type(theirs).__name__, (scrub(repr(ours)), scrub(repr(theirs)))
        assert isinstance(ours, type(theirs)) or not isinstance(theirs, botocore.exceptions.BotoCoreError)
        assert str(ours) == str(theirs)
        for secret in (SK, TOKEN):
            assert secret not in str(ours)
    else:
        assert not isinstance(ours, BaseException), scrub(repr(ours))
        assert ours == theirs, scrub(f"{ours!r} != {theirs!r}")


def view(req, headers=("accept", "authorization", "x-aws-ec2-metadata-token",
                       "x-aws-ec2-metadata-token-ttl-seconds", "content-type")):
    wanted = {h: req.header(h) for h in headers if req.header(h) is not None}
    if wanted.get("accept") == "*/*":
        # reqwest's default where botocore sends no Accept (a known
        # difference of every fastboto request).
        del wanted["accept"]
    return req.method, req.path_and_query, wanted, req.body


def both_requests(server, monkeypatch=None):
    """Resolve with botocore, then with fastboto; the requests each sent."""
    theirs = botocore_found()
    theirs_requests = [view(r) for r in server.requests]
    server.clear()
    ours = fastboto_found()
    ours_requests = [view(r) for r in server.requests]
    server.clear()
    return ours, theirs, ours_requests, theirs_requests


def assert_signs_with(s3_server, access_key, secret_key, token, **client_kwargs):
    """A fastboto client signs an S3 call with these credentials."""
    __tracebackhide__ = True
    s3 = fastboto.client("s3", region_name="us-east-1", endpoint_url=s3_server.url, **client_kwargs)
    s3.delete_bucket_policy(Bucket="bucket")
    req = s3_server.requests[-1]
    parts = verify_sigv4(req, secret_key, access_key=access_key, session_token=token)
    assert parts.access_key == access_key
    assert req.header("X-Amz-Security-Token") == token
    return s3


@pytest.fixture(autouse=True)
def _fast_botocore_container_retries(monkeypatch):
    # botocore sleeps 1 s after each failed container attempt; fastboto's
    # sleeps are real (they are part of what is compared only by count).
    monkeypatch.setattr(botocore.utils.ContainerMetadataFetcher, "SLEEP_TIME", 0)


# ---------------------------------------------------------------- container


def _container_env(monkeypatch, server, path="/v2/credentials/abc"):
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url + path)


def test_container_full_uri_with_token(monkeypatch, metadata_server, s3_server):
    _container_env(monkeypatch, metadata_server)
    monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer container-token")
    metadata_server.respond(200, [("Content-Type", "application/json")], _creds_body())
    ours, theirs, our_reqs, their_reqs = both_requests(metadata_server)
    assert_same_outcome(ours, theirs)
    assert theirs[1] == "container-role"
    assert our_reqs == their_reqs
    assert their_reqs[0][:3] == (
        "GET", "/v2/credentials/abc", {"accept": "application/json", "authorization": "Bearer container-token"}
    )
    assert_signs_with(s3_server, AK, SK, TOKEN)


def test_container_token_file(monkeypatch, metadata_server, s3_server, tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("eks-pod-identity-token")
    _container_env(monkeypatch, metadata_server)
    monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", str(token_file))
    monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored-when-a-file-is-given")
    metadata_server.respond(200, [], _creds_body())
    ours, theirs, our_reqs, their_reqs = both_requests(metadata_server)
    assert_same_outcome(ours, theirs)
    assert our_reqs == their_reqs
    assert their_reqs[0][2]["authorization"] == "eks-pod-identity-token"


@pytest.mark.parametrize(
    "response",
    [
        CannedResponse(404, [], b"not here"),
        CannedResponse(500, [], b"oops"),
        CannedResponse(200, [], b"{not json"),
    ],
    ids=["404", "500", "malformed-json"],
)
def test_container_errors_after_three_attempts(monkeypatch, metadata_server, response):
    _container_env(monkeypatch, metadata_server)
    metadata_server.set_response(response)
    ours, theirs, our_reqs, their_reqs = both_requests(metadata_server)
    assert isinstance(theirs, botocore.exceptions.CredentialRetrievalError)
    assert_same_outcome(ours, theirs)
    assert len(their_reqs) == 3 and our_reqs == their_reqs


@pytest.mark.parametrize(
    "env",
    [
        {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://192.0.2.1/creds"},
        {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://example.com/creds"},
        {"AWS_CONTAINER_AUTHORIZATION_TOKEN": "bad\r\ntoken"},
    ],
    ids=["private-ip", "other-host", "token-with-newline"],
)
def test_container_refusals(monkeypatch, metadata_server, env):
    _container_env(monkeypatch, metadata_server)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    ours, theirs, our_reqs, their_reqs = both_requests(metadata_server)
    assert isinstance(theirs, ValueError)
    assert_same_outcome(ours, theirs)
    assert our_reqs == their_reqs == []


def test_container_missing_key(monkeypatch, metadata_server):
    _container_env(monkeypatch, metadata_server)
    metadata_server.respond(200, [], json.dumps({"AccessKeyId": AK}).encode())
    ours, theirs, _, _ = both_requests(metadata_server)
    assert isinstance(theirs, KeyError)
    assert_same_outcome(ours, theirs)


def test_container_unreachable(monkeypatch):
    with CaptureServer() as srv:
        url = srv.url + "/creds"
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url)
    assert_same_outcome(fastboto_found(), botocore_found())


def test_container_credentials_refresh_in_mandatory_window(monkeypatch, metadata_server, s3_server):
    """Expiring in 5 minutes: every use refetches (botocore's mandatory window)."""
    _container_env(monkeypatch, metadata_server)
    metadata_server.set_response(lambda req: CannedResponse(200, [], _creds_body(datetime.timedelta(minutes=5))))
    theirs = botocore.session.Session().get_credentials()
    theirs.get_frozen_credentials()
    botocore_fetches = len(metadata_server.requests)
    assert botocore_fetches == 2
    metadata_server.clear()
    s3 = fastboto.client("s3", region_name="us-east-1", endpoint_url=s3_server.url)
    assert len(metadata_server.requests) == 1  # at client creation, as botocore
    s3.delete_bucket_policy(Bucket="bucket")
    assert len(metadata_server.requests) == 2
    s3.delete_bucket_policy(Bucket="bucket")
    assert len(metadata_server.requests) == 3
    verify_sigv4(s3_server.requests[-1], SK, access_key=AK, session_token=TOKEN)


def test_container_credentials_not_refetched_while_fresh(monkeypatch, metadata_server, s3_server):
    _container_env(monkeypatch, metadata_server)
    metadata_server.respond(200, [], _creds_body(datetime.timedelta(hours=1)))
    s3 = fastboto.client("s3", region_name="us-east-1", endpoint_url=s3_server.url)
    for _ in range(3):
        s3.delete_bucket_policy(Bucket="bucket")
    assert len(metadata_server.requests) == 1


def test_container_advisory_refresh_failure_keeps_credentials(monkeypatch, metadata_server, s3_server):
    """12 minutes left: a failed refresh is ignored, the old credentials sign."""
    _container_env(monkeypatch, metadata_server)
    metadata_server.respond(200, [], _creds_body(datetime.timedelta(minutes=12)))
    theirs = botocore.session.Session().get_credentials()
    s3 = fastboto.client("s3", region_name="us-east-1", endpoint_url=s3_server.url)
    metadata_server.respond(500, [], b"down")
    assert theirs.get_frozen_credentials().access_key == AK
    s3.delete_bucket_policy(Bucket="bucket")
    verify_sigv4(s3_server.requests[-1], SK, access_key=AK, session_token=TOKEN)


def test_container_refresh_shared_by_threads(monkeypatch, metadata_server, s3_server):
    """Threads sharing a client wait for one refresh, not one each."""
    _container_env(monkeypatch, metadata_server)
    calls = []

    def respond(req):
        calls.append(1)
        expires = datetime.timedelta(minutes=5) if len(calls) == 1 else datetime.timedelta(hours=1)
        return CannedResponse(200, [], _creds_body(expires), delay=0.2 if len(calls) > 1 else 0)

    metadata_server.set_response(respond)
    s3 = fastboto.client("s3", region_name="us-east-1", endpoint_url=s3_server.url)
    errors = []

    def work():
        try:
            s3.delete_bucket_policy(Bucket="bucket")
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(calls) == 2


def test_container_credentials_repr_hides_secrets(monkeypatch, metadata_server):
    _container_env(monkeypatch, metadata_server)
    metadata_server.respond(200, [], _creds_body())
    creds = fastboto.Session().get_credentials()
    text = repr(creds) + repr(creds.get_frozen_credentials())
    assert SK not in text and TOKEN not in text


# --------------------------------------------------------------------- IMDS


def _imds_routes(token_status=200, role="fastboto-role", creds=None):
    def respond(req):
        path = req.path_and_query
        if req.method == "PUT" and path == "/latest/api/token":
            if token_status != 200:
                return CannedResponse(token_status, [], b"")
            return CannedResponse(200, [], b"imds-session-token")
        if path == "/latest/meta-data/iam/security-credentials/":
            return CannedResponse(200, [], role.encode())
        if path == f"/latest/meta-data/iam/security-credentials/{role}":
            return CannedResponse(200, [], creds if creds is not None else _creds_body())
        return CannedResponse(404, [], b"")

    return respond


def _imds_env(monkeypatch, server):
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url + "/")


def test_imds_v2(monkeypatch, metadata_server, s3_server):
    _imds_env(monkeypatch, metadata_server)
    metadata_server.set_response(_imds_routes())
    ours, theirs, our_reqs, their_reqs = both_requests(metadata_server)
    assert_same_outcome(ours, theirs)
    assert theirs[1] == "iam-role"
    assert our_reqs == their_reqs
    assert [r[:2] for r in their_reqs] == [
        ("PUT", "/latest/api/token"),
        ("GET", "/latest/meta-data/iam/security-credentials/"),
        ("GET", "/latest/meta-data/iam/security-credentials/fastboto-role"),
    ]
    assert their_reqs[0][2] == {"x-aws-ec2-metadata-token-ttl-seconds": "21600"}
    assert their_reqs[1][2] == {"x-aws-ec2-metadata-token": "imds-session-token"}
    assert_signs_with(s3_server, AK, SK, TOKEN)


def test_imds_endpoint_from_config_file(monkeypatch, metadata_server, tmp_path):
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    config = tmp_path / "config"
    config.write_text(f"[default]\nec2_metadata_service_endpoint = {metadata_server.url}\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    metadata_server.set_response(_imds_routes())
    ours, theirs, our_reqs, their_reqs = both_requests(metadata_server)
    assert_same_outcome(ours, theirs)
    assert our_reqs == their_reqs


@pytest.mark.parametrize("status", [403, 404, 405])
def test_imds_v1_fallback(monkeypatch, metadata_server, status):
    _imds_env(monkeypatch, metadata_server)
    metadata_server.set_response(_imds_routes(token_status=status))
    ours, theirs, our_reqs, their_reqs = both_requests(metadata_server)
    assert_same_outcome(ours, theirs)
    assert our_reqs == their_reqs
    assert "x-aws-ec2-metadata-token" not in their_reqs[1][2]


def test_imds_v1_disabled(monkeypatch, metadata_server):
    _imds_env(monkeypatch, metadata_server)
    monkeypatch.setenv("AWS_EC2_METADATA_V1_DISABLED", "true")
    metadata_server.set_response(_imds_routes(token_status=404))
    ours, theirs, our_reqs, their_reqs = both_requests(metadata_server)
    assert isinstance(theirs, botocore.exceptions.MetadataRetrievalError)
    assert_same_outcome(ours, theirs)
    assert our_reqs == their_reqs


@pytest.mark.parametrize(
    "routes",
    [
        _imds_routes(token_status=400),
        _imds_routes(creds=b"{not json"),
        _imds_routes(creds=json.dumps({"Code": "AssumeRoleUnauthorizedAccess", "Message": "no"}).encode()),
        lambda req: CannedResponse(500, [], b""),
    ],
    ids=["token-400", "bad-json", "error-document", "500"],
)
def test_imds_nothing_found(monkeypatch, metadata_server, routes):
    _imds_env(monkeypatch, metadata_server)
    monkeypatch.setenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2")
    metadata_server.set_response(routes)
    ours, theirs, our_reqs, their_reqs = both_requests(metadata_server)
    assert theirs is None
    assert_same_outcome(ours, theirs)
    assert our_reqs == their_reqs


def test_imds_disabled_sends_nothing(monkeypatch, metadata_server):
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", metadata_server.url + "/")
    metadata_server.set_response(_imds_routes())
    ours, theirs, our_reqs, their_reqs = both_requests(metadata_server)
    assert ours is None and theirs is None
    assert our_reqs == their_reqs == []


@pytest.mark.parametrize(
    "env",
    [
        {"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "ipv5"},
        {"AWS_EC2_METADATA_SERVICE_ENDPOINT": "not a url"},
    ],
    ids=["bad-mode", "bad-endpoint"],
)
def test_imds_configuration_errors(monkeypatch, env):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert_same_outcome(fastboto_found(), botocore_found())


# ---------------------------------------------------------------- STS roles

BASE_AK = "AKIAFASTBOTOBASEFAKE"
BASE_SK = "base/Secret+Key=NotReal0123456789abcdefgh"
ROLE_ARN = "arn:aws:iam::123456789012:role/fastboto"


def _sts_xml(operation: str, expires_in=datetime.timedelta(hours=1)) -> bytes:
    return (
        f'<{operation}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        f"<{operation}Result><Credentials>"
        f"<AccessKeyId>{AK}</AccessKeyId><SecretAccessKey>{SK}</SecretAccessKey>"
        f"<SessionToken>{TOKEN}</SessionToken><Expiration>{_iso(expires_in)}</Expiration>"
        f"</Credentials><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/fastboto/s</Arn>"
        f"<AssumedRoleId>AROAFAKE:s</AssumedRoleId></AssumedRoleUser></{operation}Result>"
        f"<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></{operation}Response>"
    ).encode()


def _sts_routes(expires_in=datetime.timedelta(hours=1)):
    def respond(req):
        action = dict(p.split("=", 1) for p in req.body.decode().split("&")).get("Action")
        return CannedResponse(200, [("Content-Type", "text/xml")], _sts_xml(action, expires_in))

    return respond


def _write_config(monkeypatch, tmp_path, config: str, credentials: str = ""):
    cfg = tmp_path / "config"
    cfg.write_text(config)
    creds = tmp_path / "credentials"
    creds.write_text(credentials)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(cfg))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(creds))


def sts_view(req):
    """What must match between botocore's STS request and fastboto's."""
    auth = req.header("Authorization")
    scope = None
    signed = None
    if auth is not None:
        cred = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/")
        scope = (cred[0], cred[2], cred[3])  # access key, region, service
        signed = auth.split("SignedHeaders=", 1)[1].split(",", 1)[0]
    return (
        req.method,
        req.path_and_query,
        req.header("Content-Type"),
        # The default session name is botocore-session-<unix time>: equal up
        # to the clock (the two sides run a second apart at times).
        re.sub(rb"(botocore-session-)\d+", rb"\1<time>", req.body or b""),
        scope,
        signed,
        req.header("X-Amz-Security-Token"),
    )


def verify_sts_signature(req, secret_key, token=None):
    """Recompute a (non-S3) SigV4 signature with botocore's SigV4Auth."""
    __tracebackhide__ = True
    auth = req.header("Authorization")
    parts = auth.split("Credential=", 1)[1]
    ak, date, region, service, _ = parts.split(",", 1)[0].split("/")
    signed = parts.split("SignedHeaders=", 1)[1].split(",", 1)[0].split(";")
    signature = auth.rsplit("Signature=", 1)[1]
    aws_req = botocore.awsrequest.AWSRequest(method=req.method, url=req.url(), data=req.body)
    for name, value in req.headers:
        if name.lower() in signed:
            aws_req.headers[name] = value
    aws_req.context["timestamp"] = req.header("X-Amz-Date")
    signer = botocore.auth.SigV4Auth(botocore.credentials.Credentials(ak, secret_key, token), service, region)
    canonical = signer.canonical_request(aws_req)
    expected = signer.signature(signer.string_to_sign(aws_req, canonical), aws_req)
    assert expected == signature, "STS request signature does not verify"


def sts_both(server):
    """botocore then fastboto: outcome (frozen + method) and the STS requests."""
    theirs = botocore_found()
    theirs_requests = list(server.requests)
    server.clear()
    ours = fastboto_found()
    ours_requests = list(server.requests)
    server.clear()
    return ours, theirs, ours_requests, theirs_requests


ROLE_CONFIG = f"""
[profile role]
role_arn = {ROLE_ARN}
source_profile = base
role_session_name = fastboto-session
external_id = the-external-id
duration_seconds = 1800
region = eu-west-1
[profile base]
region = us-west-2
"""


def _role_env(monkeypatch, tmp_path, server, config=ROLE_CONFIG, profile="role"):
    _write_config(
        monkeypatch, tmp_path, config,
        f"[base]\naws_access_key_id = {BASE_AK}\naws_secret_access_key = {BASE_SK}\n",
    )
    monkeypatch.setenv("AWS_PROFILE", profile)
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", server.url)


def test_assume_role_source_profile(monkeypatch, tmp_path, metadata_server, s3_server):
    _role_env(monkeypatch, tmp_path, metadata_server)
    metadata_server.set_response(_sts_routes())
    ours, theirs, our_reqs, their_reqs = sts_both(metadata_server)
    assert_same_outcome(ours, theirs)
    assert theirs[1] == "assume-role"
    assert [sts_view(r) for r in our_reqs] == [sts_view(r) for r in their_reqs]
    assert len(our_reqs) == 1
    body = our_reqs[0].body.decode()
    assert body.startswith("Action=AssumeRole&Version=2011-06-15&")
    assert "ExternalId=the-external-id" in body and "DurationSeconds=1800" in body
    verify_sts_signature(our_reqs[0], BASE_SK)
    assert sts_view(our_reqs[0])[4] == (BASE_AK, "eu-west-1", "sts")
    assert_signs_with(s3_server, AK, SK, TOKEN)


def test_assume_role_is_deferred_to_first_use(monkeypatch, tmp_path, metadata_server, s3_server):
    _role_env(monkeypatch, tmp_path, metadata_server)
    metadata_server.set_response(_sts_routes(datetime.timedelta(minutes=5)))
    s3 = fastboto.client("s3", region_name="ap-south-1", endpoint_url=s3_server.url)
    assert metadata_server.requests == []  # nothing at client creation, as botocore
    s3.delete_bucket_policy(Bucket="bucket")
    assert len(metadata_server.requests) == 1
    # The client's region decides the STS region (botocore's last client region).
    assert sts_view(metadata_server.requests[0])[4] == (BASE_AK, "ap-south-1", "sts")
    # Five minutes left: inside the mandatory window, so the next call refreshes.
    s3.delete_bucket_policy(Bucket="bucket")
    assert len(metadata_server.requests) == 2
    verify_sigv4(s3_server.requests[-1], SK, access_key=AK, session_token=TOKEN)


def test_assume_role_chained_profiles(monkeypatch, tmp_path, metadata_server):
    config = f"""
[profile top]
role_arn = {ROLE_ARN}-top
source_profile = middle
region = us-east-2
[profile middle]
role_arn = {ROLE_ARN}
source_profile = base
"""
    _role_env(monkeypatch, tmp_path, metadata_server, config, profile="top")
    metadata_server.set_response(_sts_routes())
    ours, theirs, our_reqs, their_reqs = sts_both(metadata_server)
    assert_same_outcome(ours, theirs)
    assert len(their_reqs) == len(our_reqs) == 2
    # The session name is botocore-session-<time>: equal up to the clock.
    strip = lambda v: (v[0], v[1], v[2], re.sub(rb"botocore-session-\d+", b"S", v[3]), v[4], v[5])  # noqa: E731
    assert [strip(sts_view(r)) for r in our_reqs] == [strip(sts_view(r)) for r in their_reqs]
    verify_sts_signature(our_reqs[0], BASE_SK)
    verify_sts_signature(our_reqs[1], SK, TOKEN)  # the second hop signs with the first's


def test_assume_role_credential_source_environment(monkeypatch, tmp_path, metadata_server):
    """A named profile skips the env provider; its role is sourced from the env."""
    config = f"[profile role]\nrole_arn = {ROLE_ARN}\ncredential_source = Environment\n"
    _role_env(monkeypatch, tmp_path, metadata_server, config)
    monkeypatch.delenv("AWS_PROFILE")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ca-central-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", BASE_AK)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", BASE_SK)
    metadata_server.set_response(_sts_routes())
    theirs = botocore.session.Session(profile="role").get_credentials()
    their_frozen = theirs.get_frozen_credentials()
    their_reqs = [sts_view(r) for r in metadata_server.requests]
    metadata_server.clear()
    ours = fastboto.Session(profile_name="role").get_credentials()
    assert (ours.access_key, ours.secret_key, ours.token) == tuple(their_frozen)[:3]
    assert ours.method == theirs.method == "assume-role"
    assert [sts_view(r) for r in metadata_server.requests] == their_reqs
    verify_sts_signature(metadata_server.requests[0], BASE_SK)


def test_assume_role_credential_source_container(monkeypatch, tmp_path, metadata_server):
    config = f"[profile role]\nrole_arn = {ROLE_ARN}\ncredential_source = EcsContainer\nregion = us-east-2\n"
    _role_env(monkeypatch, tmp_path, metadata_server, config)

    def respond(req):
        if req.method == "GET":
            return CannedResponse(200, [], _creds_body().replace(AK.encode(), BASE_AK.encode())
                                  .replace(SK.encode(), BASE_SK.encode()))
        return _sts_routes()(req)

    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", metadata_server.url + "/creds")
    metadata_server.set_response(respond)
    ours, theirs, our_reqs, their_reqs = sts_both(metadata_server)
    assert_same_outcome(ours, theirs)
    assert [r.method for r in our_reqs] == [r.method for r in their_reqs] == ["GET", "POST"]
    verify_sts_signature(our_reqs[1], BASE_SK, TOKEN)


ERROR_CONFIGS = {
    "missing-source": f"[profile role]\nrole_arn = {ROLE_ARN}\n",
    "both-sources": f"[profile role]\nrole_arn = {ROLE_ARN}\nsource_profile = base\n"
    "credential_source = Environment\n",
    "unknown-source-profile": f"[profile role]\nrole_arn = {ROLE_ARN}\nsource_profile = nope\n",
    "bad-credential-source": f"[profile role]\nrole_arn = {ROLE_ARN}\ncredential_source = Nowhere\n",
    "loop": f"[profile role]\nrole_arn = {ROLE_ARN}\nsource_profile = other\n"
    f"[profile other]\nrole_arn = {ROLE_ARN}\nsource_profile = role\n",
    "self-loop-without-keys": f"[profile role]\nrole_arn = {ROLE_ARN}\nsource_profile = role\n",
    "source-without-credentials": f"[profile role]\nrole_arn = {ROLE_ARN}\nsource_profile = empty\n"
    "[profile empty]\nregion = us-east-1\n",
    "empty-environment": f"[profile role]\nrole_arn = {ROLE_ARN}\ncredential_source = Environment\n",
}


@pytest.mark.parametrize("case", sorted(ERROR_CONFIGS))
def test_assume_role_configuration_errors(monkeypatch, tmp_path, metadata_server, case):
    _role_env(monkeypatch, tmp_path, metadata_server, ERROR_CONFIGS[case])
    metadata_server.set_response(_sts_routes())
    ours, theirs, our_reqs, their_reqs = sts_both(metadata_server)
    assert isinstance(theirs, BaseException), theirs
    assert_same_outcome(ours, theirs)
    assert our_reqs == their_reqs == []


def test_assume_role_self_loop_with_keys_is_allowed(monkeypatch, tmp_path, metadata_server):
    config = f"[profile role]\nrole_arn = {ROLE_ARN}\nsource_profile = role\nregion = us-east-2\n"
    _write_config(monkeypatch, tmp_path, config,
                  f"[role]\naws_access_key_id = {BASE_AK}\naws_secret_access_key = {BASE_SK}\n")
    monkeypatch.setenv("AWS_PROFILE", "role")
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", metadata_server.url)
    metadata_server.set_response(_sts_routes())
    ours, theirs, our_reqs, their_reqs = sts_both(metadata_server)
    assert_same_outcome(ours, theirs)
    verify_sts_signature(our_reqs[0], BASE_SK)


def test_assume_role_sts_error(monkeypatch, tmp_path, metadata_server):
    _role_env(monkeypatch, tmp_path, metadata_server)
    metadata_server.respond(
        403, [("Content-Type", "text/xml")],
        b'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
        b"<Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole</Message>"
        b"</Error><RequestId>req-2</RequestId></ErrorResponse>",
    )
    ours, theirs, _, _ = sts_both(metadata_server)
    assert isinstance(theirs, botocore.exceptions.ClientError)
    assert isinstance(ours, botocore.exceptions.ClientError)
    assert type(ours).__name__ == type(theirs).__name__ == "ClientError"
    assert str(ours) == str(theirs)
    assert ours.response["Error"] == theirs.response["Error"]


def test_assume_role_without_region(monkeypatch, tmp_path, metadata_server):
    config = ROLE_CONFIG.replace("region = eu-west-1\n", "")
    _role_env(monkeypatch, tmp_path, metadata_server, config)
    metadata_server.set_response(_sts_routes())
    ours, theirs, our_reqs, their_reqs = sts_both(metadata_server)
    assert isinstance(theirs, botocore.exceptions.NoRegionError)
    assert_same_outcome(ours, theirs)
    assert our_reqs == their_reqs == []


def test_assume_role_mfa_needs_a_prompt(monkeypatch, tmp_path, metadata_server):
    config = ROLE_CONFIG.replace("[profile base]", "mfa_serial = arn:aws:iam::123456789012:mfa/me\n[profile base]")
    _role_env(monkeypatch, tmp_path, metadata_server, config)
    metadata_server.set_response(_sts_routes())
    # As botocore's DeferredRefreshableCredentials: nothing happens until the
    # credentials are read (where botocore would prompt for the code).
    creds = fastboto.Session().get_credentials()
    assert creds.method == "assume-role"
    with pytest.raises(botocore.exceptions.RefreshWithMFAUnsupportedError) as info:
        creds.get_frozen_credentials()
    assert str(info.value) == "Cannot refresh credentials: MFA token required."
    assert metadata_server.requests == []


def test_assume_role_against_moto(monkeypatch, tmp_path, moto_server):
    """moto's STS hands out temporary credentials that its S3 then accepts."""
    _write_config(
        monkeypatch, tmp_path, f"[profile role]\nrole_arn = {ROLE_ARN}\nsource_profile = base\nregion = us-east-1\n",
        f"[base]\naws_access_key_id = {BASE_AK}\naws_secret_access_key = {BASE_SK}\n",
    )
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    monkeypatch.setenv("AWS_PROFILE", "role")
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", str(moto_server))
    theirs = botocore.session.Session().get_credentials()
    ours = fastboto.Session().get_credentials()
    assert ours.method == theirs.method == "assume-role"
    assert ours.access_key.startswith("ASIA") and ours.token
    s3 = fastboto.client("s3", region_name="us-east-1", endpoint_url=str(moto_server))
    s3.put_bucket_acl  # noqa: B018 - the client exists
    import boto3

    boto3.client("s3", region_name="us-east-1", endpoint_url=str(moto_server)).create_bucket(Bucket="sts-b")
    assert s3.get_bucket_acl(Bucket="sts-b")["ResponseMetadata"]["HTTPStatusCode"] == 200


# ------------------------------------------------------------ web identity


def _web_identity_env(monkeypatch, tmp_path, server, session_name="web-session"):
    token = tmp_path / "web-token"
    token.write_text("eyJ.web.identity")
    monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(token))
    monkeypatch.setenv("AWS_ROLE_ARN", ROLE_ARN)
    if session_name:
        monkeypatch.setenv("AWS_ROLE_SESSION_NAME", session_name)
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", server.url)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    return token


def test_web_identity_from_env(monkeypatch, tmp_path, metadata_server, s3_server):
    _web_identity_env(monkeypatch, tmp_path, metadata_server)
    metadata_server.set_response(_sts_routes())
    ours, theirs, our_reqs, their_reqs = sts_both(metadata_server)
    assert_same_outcome(ours, theirs)
    assert theirs[1] == "assume-role-with-web-identity"
    assert [sts_view(r) for r in our_reqs] == [sts_view(r) for r in their_reqs]
    req = our_reqs[0]
    assert req.header("Authorization") is None  # unsigned, as botocore
    assert b"WebIdentityToken=eyJ.web.identity" in req.body
    assert_signs_with(s3_server, AK, SK, TOKEN)


def test_web_identity_from_profile(monkeypatch, tmp_path, metadata_server):
    token = tmp_path / "tok"
    token.write_text("profile-token")
    _write_config(monkeypatch, tmp_path,
                  f"[profile web]\nweb_identity_token_file = {token}\nrole_arn = {ROLE_ARN}\n")
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", metadata_server.url)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-north-1")
    metadata_server.set_response(_sts_routes())
    monkeypatch.setenv("AWS_PROFILE", "web")
    ours, theirs, our_reqs, their_reqs = sts_both(metadata_server)
    assert_same_outcome(ours, theirs)
    assert theirs[1] == "assume-role-with-web-identity"
    strip = lambda v: (v[0], v[1], v[2], re.sub(rb"botocore-session-\d+", b"S", v[3]))  # noqa: E731
    assert [strip(sts_view(r)) for r in our_reqs] == [strip(sts_view(r)) for r in their_reqs]


def test_web_identity_missing_role_arn(monkeypatch, tmp_path, metadata_server):
    _web_identity_env(monkeypatch, tmp_path, metadata_server)
    monkeypatch.delenv("AWS_ROLE_ARN")
    ours, theirs, _, _ = sts_both(metadata_server)
    assert isinstance(theirs, botocore.exceptions.InvalidConfigError)
    assert_same_outcome(ours, theirs)


def test_web_identity_missing_token_file(monkeypatch, tmp_path, metadata_server):
    token = _web_identity_env(monkeypatch, tmp_path, metadata_server)
    token.unlink()
    ours, theirs, _, _ = sts_both(metadata_server)
    assert isinstance(theirs, FileNotFoundError)
    assert_same_outcome(ours, theirs)


def test_web_identity_sts_error(monkeypatch, tmp_path, metadata_server):
    _web_identity_env(monkeypatch, tmp_path, metadata_server)
    metadata_server.respond(
        400, [("Content-Type", "text/xml")],
        b"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>"
        b"<Message>Couldn't retrieve verification key from your identity provider</Message>"
        b"</Error><RequestId>r</RequestId></ErrorResponse>",
    )
    ours, theirs, _, _ = sts_both(metadata_server)
    assert isinstance(theirs, botocore.exceptions.ClientError)
    assert isinstance(ours, botocore.exceptions.ClientError)
    assert type(ours).__name__ == type(theirs).__name__ == "InvalidIdentityTokenException"
    assert str(ours) == str(theirs)
    assert ours.response["Error"] == theirs.response["Error"]


# ---------------------------------------------------------------------- SSO

SSO_START_URL = "https://fastboto.awsapps.com/start"


def _sso_token(tmp_path, key_input, expires_in=datetime.timedelta(hours=8), **fields):
    import hashlib

    cache = tmp_path / "aws-home" / ".aws" / "sso" / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    doc = {"startUrl": SSO_START_URL, "region": "eu-west-1", "accessToken": "sso-access-token",
           "expiresAt": _iso(expires_in), **fields}
    path = cache / (hashlib.sha1(key_input.encode()).hexdigest() + ".json")
    path.write_text(json.dumps(doc))
    return path


def _role_credentials_body(expires_in=datetime.timedelta(hours=1)) -> bytes:
    ms = int((datetime.datetime.now(datetime.timezone.utc) + expires_in).timestamp() * 1000)
    return json.dumps({"roleCredentials": {"accessKeyId": AK, "secretAccessKey": SK,
                                           "sessionToken": TOKEN, "expiration": ms}}).encode()


@pytest.fixture
def sso_env(monkeypatch, tmp_path, metadata_server):
    """botocore reads the token cache from a directory fixed at import time."""
    cache = str(tmp_path / "aws-home" / ".aws" / "sso" / "cache")
    monkeypatch.setattr(botocore.credentials.SSOProvider, "_SSO_TOKEN_CACHE_DIR", cache)

    monkeypatch.setattr(botocore.tokens.SSOTokenProvider, "_SSO_TOKEN_CACHE_DIR", cache)
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSO", metadata_server.url)
    monkeypatch.setenv("AWS_PROFILE", "dev")
    return metadata_server


LEGACY_SSO = f"""
[profile dev]
sso_start_url = {SSO_START_URL}
sso_region = eu-west-1
sso_account_id = 123456789012
sso_role_name = Developer Role
"""

SESSION_SSO = """
[profile dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Developer
[sso-session corp]
sso_start_url = https://fastboto.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = sso:account:access
"""


def sso_view(req):
    return req.method, req.path_and_query, req.header("x-amz-sso_bearer_token")


@pytest.mark.parametrize("config,key", [(LEGACY_SSO, SSO_START_URL), (SESSION_SSO, "corp")],
                         ids=["legacy", "sso-session"])
def test_sso(monkeypatch, tmp_path, sso_env, s3_server, config, key):
    _write_config(monkeypatch, tmp_path, config)
    _sso_token(tmp_path, key)
    sso_env.respond(200, [("Content-Type", "application/json")], _role_credentials_body())
    ours, theirs, our_reqs, their_reqs = sts_both(sso_env)
    assert_same_outcome(ours, theirs)
    assert theirs[1] == "sso"
    assert [sso_view(r) for r in our_reqs] == [sso_view(r) for r in their_reqs]
    assert our_reqs[0].header("x-amz-sso_bearer_token") == "sso-access-token"
    assert our_reqs[0].header("Authorization") is None
    assert_signs_with(s3_server, AK, SK, TOKEN)


@pytest.mark.parametrize(
    "case",
    ["expired-legacy", "expired-session", "no-token", "invalid-token", "corrupt-cache",
     "unauthorized", "other-error", "missing-config", "unknown-session", "inconsistent"],
)
def test_sso_errors(monkeypatch, tmp_path, sso_env, case):
    config, key = LEGACY_SSO, SSO_START_URL
    if case == "expired-legacy":
        _sso_token(tmp_path, key, expires_in=-datetime.timedelta(minutes=1))
    elif case == "expired-session":
        config, key = SESSION_SSO, "corp"
        _sso_token(tmp_path, key, expires_in=-datetime.timedelta(minutes=1))
    elif case == "invalid-token":
        path = _sso_token(tmp_path, key)
        path.write_text(json.dumps({"startUrl": SSO_START_URL}))
    elif case == "corrupt-cache":
        path = _sso_token(tmp_path, key)
        path.write_text("{not json")
    elif case == "missing-config":
        config = config.replace("sso_region = eu-west-1\n", "")
    elif case == "unknown-session":
        config = SESSION_SSO.replace("sso_session = corp", "sso_session = nope")
    elif case == "inconsistent":
        config = SESSION_SSO.replace("sso_session = corp", "sso_session = corp\nsso_region = us-east-1")
    if case not in ("no-token", "invalid-token", "corrupt-cache", "expired-legacy", "expired-session"):
        _sso_token(tmp_path, key if case != "unknown-session" else "nope")
    _write_config(monkeypatch, tmp_path, config)
    if case == "unauthorized":
        sso_env.respond(401, [("x-amzn-ErrorType", "UnauthorizedException:http://internal")],
                        b'{"message": "Session token not found or invalid"}')
    elif case == "other-error":
        sso_env.respond(403, [("x-amzn-ErrorType", "ForbiddenException")],
                        b'{"message": "No access"}')
    else:
        sso_env.respond(200, [], _role_credentials_body())
    ours, theirs, our_reqs, their_reqs = sts_both(sso_env)
    assert isinstance(theirs, BaseException), theirs
    if isinstance(theirs, botocore.exceptions.ClientError):
        assert isinstance(ours, botocore.exceptions.ClientError)
        assert type(ours).__name__ == type(theirs).__name__
        assert str(ours) == str(theirs)
    else:
        assert_same_outcome(ours, theirs)
    assert [sso_view(r) for r in our_reqs] == [sso_view(r) for r in their_reqs]
    for req in our_reqs:
        assert "sso-access-token" not in str(ours)


def test_sso_is_deferred_and_refreshed(monkeypatch, tmp_path, sso_env, s3_server):
    _write_config(monkeypatch, tmp_path, LEGACY_SSO)
    _sso_token(tmp_path, SSO_START_URL)
    sso_env.respond(200, [], _role_credentials_body(datetime.timedelta(minutes=5)))
    s3 = fastboto.client("s3", region_name="us-east-1", endpoint_url=s3_server.url)
    assert sso_env.requests == []
    s3.delete_bucket_policy(Bucket="bucket")
    s3.delete_bucket_policy(Bucket="bucket")
    assert len(sso_env.requests) == 2
    verify_sigv4(s3_server.requests[-1], SK, access_key=AK, session_token=TOKEN)


# ------------------------------------------- other ways a client signs


def test_refresh_from_asyncio_client(monkeypatch, metadata_server, s3_server):
    """The asyncio client refreshes on the shared runtime, not the caller's."""
    import asyncio

    import fastboto.aio

    _container_env(monkeypatch, metadata_server)
    metadata_server.set_response(lambda req: CannedResponse(200, [], _creds_body(datetime.timedelta(minutes=5))))

    async def main():
        async with fastboto.aio.client("s3", region_name="us-east-1", endpoint_url=s3_server.url) as s3:
            await asyncio.gather(*(s3.delete_bucket_policy(Bucket="bucket") for _ in range(3)))

    asyncio.run(main())
    # one fetch at creation, then refreshes while calls ran (at least one)
    assert len(metadata_server.requests) >= 2
    verify_sigv4(s3_server.requests[-1], SK, access_key=AK, session_token=TOKEN)


def test_prepare_request_with_deferred_credentials(monkeypatch, tmp_path, metadata_server, s3_server):
    _role_env(monkeypatch, tmp_path, metadata_server)
    metadata_server.set_response(_sts_routes())
    s3 = fastboto.client("s3", region_name="us-east-1", endpoint_url=s3_server.url)
    prepared = s3.prepare_request("delete_bucket_policy", Bucket="bucket")
    assert len(metadata_server.requests) == 1
    headers = dict(prepared.headers)
    assert headers["X-Amz-Security-Token"] == TOKEN
    assert f"Credential={AK}/" in headers["Authorization"]


def test_unsigned_client_resolves_no_credentials(monkeypatch, metadata_server, s3_server):
    _container_env(monkeypatch, metadata_server)
    metadata_server.respond(500, [], b"")
    s3 = fastboto.client("s3", region_name="us-east-1", endpoint_url=s3_server.url,
                         config=fastboto.Config(signature_version=fastboto.UNSIGNED))
    s3.delete_bucket_policy(Bucket="bucket")
    assert metadata_server.requests == []
    assert s3_server.requests[-1].header("Authorization") is None


def test_sso_session_token_refreshed_through_oidc(monkeypatch, tmp_path, sso_env, s3_server):
    """A token inside its 15-minute window is refreshed (SSO OIDC CreateToken)
    and the cache rewritten, as botocore's SSOTokenProvider does."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSO_OIDC", sso_env.url)
    _write_config(monkeypatch, tmp_path, SESSION_SSO)
    refresh_fields = {"refreshToken": "the-refresh-token", "clientId": "the-client",
                      "clientSecret": "the-client-secret",
                      "registrationExpiresAt": _iso(datetime.timedelta(days=30))}

    def respond(req):
        if req.method == "POST" and req.path_and_query == "/token":
            return CannedResponse(200, [("Content-Type", "application/json")], json.dumps(
                {"accessToken": "refreshed-access-token", "expiresIn": 28800,
                 "refreshToken": "next-refresh-token", "tokenType": "Bearer"}).encode())
        return CannedResponse(200, [], _role_credentials_body())

    sso_env.set_response(respond)
    results = []
    for resolve in (botocore_found, fastboto_found):
        path = _sso_token(tmp_path, "corp", expires_in=datetime.timedelta(minutes=5), **refresh_fields)
        outcome = resolve()
        saved = json.loads(path.read_text())
        results.append((outcome, [(r.method, r.path_and_query, r.body, r.header("Content-Type"),
                                   r.header("x-amz-sso_bearer_token")) for r in sso_env.requests],
                        saved))
        sso_env.clear()
    (ours, our_reqs, our_saved), (theirs, their_reqs, their_saved) = results[1], results[0]
    assert_same_outcome(ours, theirs)
    assert our_reqs == their_reqs
    assert our_reqs[0][:2] == ("POST", "/token")
    assert our_reqs[1][4] == "refreshed-access-token"
    assert list(our_saved) == list(their_saved)
    for key in our_saved:
        if key != "expiresAt":
            assert our_saved[key] == their_saved[key], key
    assert abs(datetime.datetime.fromisoformat(our_saved["expiresAt"].replace("Z", "+00:00"))
               - datetime.datetime.fromisoformat(their_saved["expiresAt"].replace("Z", "+00:00"))
               ) < datetime.timedelta(seconds=30)


def test_sso_session_refresh_failure_uses_valid_token(monkeypatch, tmp_path, sso_env):
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSO_OIDC", sso_env.url)
    _write_config(monkeypatch, tmp_path, SESSION_SSO)

    def respond(req):
        if req.method == "POST":
            return CannedResponse(400, [("x-amzn-ErrorType", "InvalidGrantException")],
                                  b'{"error": "invalid_grant"}')
        return CannedResponse(200, [], _role_credentials_body())

    sso_env.set_response(respond)
    fields = {"refreshToken": "r", "clientId": "c", "clientSecret": "s",
              "registrationExpiresAt": _iso(datetime.timedelta(days=1))}
    _sso_token(tmp_path, "corp", expires_in=datetime.timedelta(minutes=5), **fields)
    ours, theirs, our_reqs, their_reqs = sts_both(sso_env)
    assert_same_outcome(ours, theirs)
    assert [sso_view(r) for r in our_reqs] == [sso_view(r) for r in their_reqs]
