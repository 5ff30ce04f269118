"""Credential providers that fetch over the network (container, IMDS, STS,
SSO), differential against botocore: the same environment and files, the
metadata / STS / SSO endpoint served on loopback, and botocore's
``Session().get_credentials()`` as the oracle for what is found (values
and ``method``), which requests the provider sends, and the errors.
Each test also checks that a fastboto client signs with what was found."""

from __future__ import annotations

import datetime
import json
import threading

import botocore.exceptions
import botocore.session
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
    """(frozen tuple, method) from botocore, or the exception it raised."""
    try:
        creds = botocore.session.Session().get_credentials()
    except Exception as e:  # noqa: BLE001 - compared below
        return e
    if creds is None:
        return None
    frozen = creds.get_frozen_credentials()
    return (frozen.access_key, frozen.secret_key, frozen.token), creds.method


def fastboto_found():
    try:
        creds = fastboto.Session().get_credentials()
    except Exception as e:  # noqa: BLE001
        return e
    if creds is None:
        return None
    frozen = creds.get_frozen_credentials()
    return (frozen.access_key, frozen.secret_key, frozen.token), creds.method


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
