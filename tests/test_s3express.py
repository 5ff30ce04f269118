"""S3 Express One Zone session auth ("sigv4-s3express") against botocore.

A directory bucket (``name--usw2-az1--x-s3``) behind a custom endpoint makes
the S3 endpoint rules answer every bucket operation with the auth scheme
``sigv4-s3express`` (the custom-endpoint branch comes before the control-plane
one): botocore first asks CreateSession (GET ``?session``, SigV4 with signing
name ``s3express`` and the client's credentials), then signs the call with the
session's credentials and sends the session token as
``x-amz-s3session-token``. The capture server answers both; each side's
requests are compared (URL, compared headers, SignedHeaders, scope) and
fastboto's signatures recomputed with botocore's signer.
"""

from __future__ import annotations

import asyncio
import datetime
import hmac
import time

import botocore
import pytest

import fastboto
import fastboto.aio
from support.capture_server import CannedResponse
from support.ours import OPERATION_NAMES, botocore_client, fastboto_client
from support.reference import (
    FAKE_ACCESS_KEY,
    FAKE_EXPRESS_ACCESS_KEY,
    FAKE_EXPRESS_SECRET_KEY,
    FAKE_EXPRESS_TOKEN,
    FAKE_SECRET_KEY,
    FAKE_SESSION_TOKEN,
    assert_same_error,
    call_and_capture,
    compare_requests,
    parse_authorization,
    scrub,
    verify_sigv4,
)
from support.s3_responses import xml_error

BUCKET = "mybucket--usw2-az1--x-s3"
REGION = "us-west-2"

ACL_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>o1</ID>'
    b"<DisplayName>me</DisplayName></Owner><AccessControlList><Grant>"
    b'<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">'
    b"<ID>o1</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList>"
    b"</AccessControlPolicy>"
)
OPERATIONS = {
    "get_bucket_acl": ({}, CannedResponse(200, [("x-amz-request-id", "R2")], ACL_XML)),
    "put_bucket_acl": ({"ACL": "private"}, CannedResponse(200, [("x-amz-request-id", "R2")])),
    "get_bucket_policy": ({}, CannedResponse(200, [("x-amz-request-id", "R2")], b'{"Version":"2012-10-17"}')),
    "put_bucket_policy": ({"Policy": '{"Version":"2012-10-17","Statement":[]}'},
                          CannedResponse(204, [("x-amz-request-id", "R2")])),
    "delete_bucket_policy": ({}, CannedResponse(204, [("x-amz-request-id", "R2")])),
    "put_public_access_block": ({"PublicAccessBlockConfiguration": {"BlockPublicPolicy": True}},
                                CannedResponse(200, [("x-amz-request-id", "R2")])),
    "get_public_access_block": ({}, CannedResponse(200, [("x-amz-request-id", "R2")],
                                b"<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls>"
                                b"</PublicAccessBlockConfiguration>")),
    "delete_public_access_block": ({}, CannedResponse(204, [("x-amz-request-id", "R2")])),
    "put_bucket_ownership_controls": ({"OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}},
                                      CannedResponse(200, [("x-amz-request-id", "R2")])),
    "get_bucket_ownership_controls": ({}, CannedResponse(200, [("x-amz-request-id", "R2")],
                                      b"<OwnershipControls><Rule><ObjectOwnership>BucketOwnerEnforced"
                                      b"</ObjectOwnership></Rule></OwnershipControls>")),
    "delete_bucket_ownership_controls": ({}, CannedResponse(204, [("x-amz-request-id", "R2")])),
    "get_bucket_policy_status": ({}, CannedResponse(200, [("x-amz-request-id", "R2")],
                                 b"<PolicyStatus><IsPublic>false</IsPublic></PolicyStatus>")),
    "head_bucket": ({}, CannedResponse(200, [("x-amz-request-id", "R2"), ("x-amz-bucket-region", "us-west-2")])),
    "delete_bucket": ({}, CannedResponse(204, [("x-amz-request-id", "R2")])),
}


def session_response(expires_in: float = 300, *, access_key=FAKE_EXPRESS_ACCESS_KEY) -> CannedResponse:
    """A CreateSession answer whose credentials expire ``expires_in`` seconds from now."""
    expiration = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=expires_in)
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<CreateSessionResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Credentials>'
        f"<SessionToken>{FAKE_EXPRESS_TOKEN}</SessionToken>"
        f"<SecretAccessKey>{FAKE_EXPRESS_SECRET_KEY}</SecretAccessKey>"
        f"<AccessKeyId>{access_key}</AccessKeyId>"
        f"<Expiration>{expiration.strftime('%Y-%m-%dT%H:%M:%SZ')}</Expiration>"
        "</Credentials></CreateSessionResult>"
    ).encode()
    return CannedResponse(200, [("x-amz-request-id", "R1")], body)


def is_create_session(req) -> bool:
    return req.method == "GET" and req.query == "session"


def check_create_session(ours, theirs, *, session_token=None):
    """Both are CreateSession requests, equal, and ours is signed with the client's keys."""
    __tracebackhide__ = True
    assert is_create_session(theirs), f"harness: botocore sent {theirs!r} first"
    assert is_create_session(ours), f"fastboto sent {ours!r}, not a CreateSession"
    compare_requests(ours, theirs)
    verify_sigv4(ours, FAKE_SECRET_KEY, access_key=FAKE_ACCESS_KEY, session_token=session_token,
                 service="s3express")
    assert ours.header("x-amz-s3session-token") is None


def check_session_signed(ours, theirs, *, region=REGION, access_key=FAKE_EXPRESS_ACCESS_KEY):
    """Both are signed with the session: equal requests, ours verifies with the session's secret."""
    __tracebackhide__ = True
    assert not is_create_session(ours)
    compare_requests(ours, theirs)
    verify_sigv4(ours, FAKE_EXPRESS_SECRET_KEY, access_key=access_key, region=region, service="s3express")
    assert ours.header("X-Amz-Security-Token") is None, "the session token is not an STS token"
    token = ours.header("x-amz-s3session-token")
    assert token is not None, "x-amz-s3session-token missing"
    assert hmac.compare_digest(token.encode(), FAKE_EXPRESS_TOKEN.encode()), "x-amz-s3session-token differs"
    assert "x-amz-s3session-token" in parse_authorization(ours.header("Authorization")).signed_headers


def run_pair(server, calls, responses, **client_kwargs):
    """Each client makes ``calls`` [(operation, params)], served ``responses``; returns
    (ours, theirs): one list of Outcomes per side."""
    __tracebackhide__ = True
    client_kwargs.setdefault("region_name", REGION)
    client_kwargs.setdefault("endpoint_url", server.url)
    out = []
    for make in (fastboto_client, botocore_client):
        client = make(**client_kwargs)
        server.clear()
        server.enqueue(*responses)
        try:
            out.append([call_and_capture(server, client, op, **params) for op, params in calls])
        finally:
            client.close()
    return out[0], out[1]


def requests_of(outcomes):
    return [r for o in outcomes for r in o.requests]


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_create_session_then_session_signed_call(capture_server, operation):
    params, answer = OPERATIONS[operation]
    params = dict(Bucket=BUCKET, **params)
    (ours,), (theirs,) = run_pair(capture_server, [(operation, params)], [session_response(), answer])
    assert theirs.error is None, f"harness: botocore raised {theirs.error!r}"
    assert ours.error is None, f"fastboto raised {type(ours.error).__name__}: {scrub(ours.error)}"
    assert len(theirs.requests) == 2 and len(ours.requests) == 2, (theirs.requests, ours.requests)
    check_create_session(ours.requests[0], theirs.requests[0])
    assert ours.requests[0].path == f"/{BUCKET}"
    check_session_signed(ours.requests[1], theirs.requests[1])
    assert ours.result == theirs.result


def test_client_session_token_goes_to_create_session_only(capture_server):
    params, answer = OPERATIONS["get_bucket_acl"]
    (ours,), (theirs,) = run_pair(capture_server, [("get_bucket_acl", dict(Bucket=BUCKET))],
                                  [session_response(), answer], aws_session_token=FAKE_SESSION_TOKEN)
    assert ours.error is None and theirs.error is None, scrub((ours.error, theirs.error))
    check_create_session(ours.requests[0], theirs.requests[0], session_token=FAKE_SESSION_TOKEN)
    check_session_signed(ours.requests[1], theirs.requests[1])


def test_virtual_hosted_zonal_endpoint_through_a_proxy(capture_server):
    """A custom endpoint with a host name: the bucket goes into the host (virtual-hosted)."""
    params, answer = OPERATIONS["get_bucket_policy"]
    kwargs = dict(endpoint_url="http://s3express.example.com", config={"proxies": {"http": capture_server.proxy_url}})
    (ours,), (theirs,) = run_pair(capture_server, [("get_bucket_policy", dict(Bucket=BUCKET))],
                                  [session_response(), answer], **kwargs)
    assert ours.error is None and theirs.error is None, scrub((ours.error, theirs.error))
    assert theirs.requests[0].host == f"{BUCKET}.s3express.example.com"
    check_create_session(ours.requests[0], theirs.requests[0])
    check_session_signed(ours.requests[1], theirs.requests[1])


def test_one_create_session_per_bucket(capture_server):
    """The session is cached per bucket: two calls, one CreateSession; another bucket, another."""
    other = "other--usw2-az1--x-s3"
    calls = [("get_bucket_acl", dict(Bucket=BUCKET)), ("delete_bucket_policy", dict(Bucket=BUCKET)),
             ("get_bucket_acl", dict(Bucket=other))]
    responses = [session_response(), OPERATIONS["get_bucket_acl"][1], OPERATIONS["delete_bucket_policy"][1],
                 session_response(access_key="ASIAFASTBOTOEXPRESS2"), OPERATIONS["get_bucket_acl"][1]]
    ours, theirs = run_pair(capture_server, calls, responses)
    assert [len(o.requests) for o in theirs] == [2, 1, 2], "harness: botocore's cache is not as expected"
    assert [len(o.requests) for o in ours] == [2, 1, 2]
    assert all(o.error is None for o in ours), scrub([o.error for o in ours])
    o, t = requests_of(ours), requests_of(theirs)
    check_create_session(o[0], t[0])
    check_session_signed(o[1], t[1])
    check_session_signed(o[2], t[2])
    check_create_session(o[3], t[3])
    assert o[3].path == f"/{other}"
    check_session_signed(o[4], t[4], access_key="ASIAFASTBOTOEXPRESS2")
    assert [x.result for x in ours] == [x.result for x in theirs]


def test_sessions_are_per_client(capture_server):
    """A second client asks its own CreateSession, as botocore's per-client cache does."""
    first = fastboto_client(region_name=REGION, endpoint_url=capture_server.url)
    second = fastboto_client(region_name=REGION, endpoint_url=capture_server.url)
    answer = OPERATIONS["get_bucket_acl"][1]
    capture_server.enqueue(session_response(), answer, session_response(), answer)
    first.get_bucket_acl(Bucket=BUCKET)
    second.get_bucket_acl(Bucket=BUCKET)
    assert [is_create_session(r) for r in capture_server.pop_all()] == [True, False, True, False]


@pytest.mark.parametrize("answer", [
    xml_error(403, "AccessDenied", "Access Denied"),
    xml_error(404, "NoSuchBucket", "The specified bucket does not exist", BucketName=BUCKET),
    CannedResponse(200, [], b""),  # no Credentials: botocore's KeyError
], ids=["403", "404", "no-credentials"])
def test_create_session_failure(capture_server, answer):
    """The CreateSession error ends the call (ClientError of the CreateSession
    operation); nothing is cached, so the next call asks again."""
    calls = [("put_bucket_policy", dict(Bucket=BUCKET, Policy="{}")), ("get_bucket_acl", dict(Bucket=BUCKET))]
    responses = [answer, session_response(), OPERATIONS["get_bucket_acl"][1]]
    ours, theirs = run_pair(capture_server, calls, responses)
    assert theirs[0].error is not None and len(theirs[0].requests) == 1, "harness"
    assert_same_error(ours[0].error, theirs[0].error)
    if isinstance(theirs[0].error, botocore.exceptions.ClientError):
        assert "CreateSession operation" in str(ours[0].error)
        assert ours[0].error.operation_name == "CreateSession"
        assert ours[0].error.response == theirs[0].error.response
    assert len(ours[0].requests) == 1
    check_create_session(ours[0].requests[0], theirs[0].requests[0])
    assert ours[1].error is None, scrub(ours[1].error)
    assert len(theirs[1].requests) == 2 and len(ours[1].requests) == 2
    check_create_session(ours[1].requests[0], theirs[1].requests[0])
    check_session_signed(ours[1].requests[1], theirs[1].requests[1])
    for secret in (FAKE_SECRET_KEY, FAKE_EXPRESS_SECRET_KEY, FAKE_EXPRESS_TOKEN):
        assert secret not in str(ours[0].error) and secret not in repr(ours[0].error)


def test_create_session_is_retried_as_its_own_call(capture_server):
    """A 500 from CreateSession is retried (CreateSession's retries), then raised."""
    calls = [("get_bucket_acl", dict(Bucket=BUCKET))]
    responses = [xml_error(500, "InternalError", "boom")] * 2
    ours, theirs = run_pair(capture_server, calls, responses, config={"retries": {"max_attempts": 1}})
    assert len(theirs[0].requests) == 2
    assert_same_error(ours[0].error, theirs[0].error)
    assert len(ours[0].requests) == 2
    for o, t in zip(ours[0].requests, theirs[0].requests):
        check_create_session(o, t)
    attempts = [[r.header("amz-sdk-request").split("; ") for r in side[0].requests] for side in (ours, theirs)]
    assert attempts[0] == attempts[1]
    assert attempts[0][1][-2:] == ["attempt=2", "max=2"]


def test_session_expiring_within_45_seconds_is_refreshed_at_once(capture_server):
    calls = [("get_bucket_acl", dict(Bucket=BUCKET))]
    responses = [session_response(20), session_response(300), OPERATIONS["get_bucket_acl"][1]]
    ours, theirs = run_pair(capture_server, calls, responses)
    assert [is_create_session(r) for r in theirs[0].requests] == [True, True, False], "harness"
    assert ours[0].error is None, scrub(ours[0].error)
    o, t = ours[0].requests, theirs[0].requests
    assert len(o) == 3
    check_create_session(o[0], t[0])
    check_create_session(o[1], t[1])
    check_session_signed(o[2], t[2])


def test_failed_advisory_refresh_keeps_the_session(capture_server):
    """Within 45 s but more than 10 s: a failed refresh is ignored."""
    calls = [("get_bucket_acl", dict(Bucket=BUCKET))]
    responses = [session_response(30), xml_error(403, "AccessDenied", "Access Denied"),
                 OPERATIONS["get_bucket_acl"][1]]
    ours, theirs = run_pair(capture_server, calls, responses)
    assert theirs[0].error is None and len(theirs[0].requests) == 3, "harness"
    assert ours[0].error is None, scrub(ours[0].error)
    check_session_signed(ours[0].requests[2], theirs[0].requests[2])


def test_expired_session_raises(capture_server):
    """Past the mandatory window the refresh is awaited; still expired: RuntimeError."""
    calls = [("get_bucket_acl", dict(Bucket=BUCKET))]
    responses = [session_response(-20), session_response(-20)]
    ours, theirs = run_pair(capture_server, calls, responses)
    assert isinstance(theirs[0].error, RuntimeError) and len(theirs[0].requests) == 2, "harness"
    assert_same_error(ours[0].error, theirs[0].error)
    assert [is_create_session(r) for r in ours[0].requests] == [True, True]


def test_session_refreshed_on_a_later_call(capture_server):
    """A session 50 s from expiry serves the first call; 6 s later it is refreshed."""
    answer = OPERATIONS["get_bucket_acl"][1]
    clients = {"ours": fastboto_client(region_name=REGION, endpoint_url=capture_server.url),
               "theirs": botocore_client(region_name=REGION, endpoint_url=capture_server.url)}
    seen = {}
    for name, client in clients.items():
        capture_server.enqueue(session_response(50), answer)
        seen[name] = [call_and_capture(capture_server, client, "get_bucket_acl", Bucket=BUCKET)]
    time.sleep(6)
    for name, client in clients.items():
        capture_server.enqueue(session_response(300), answer)
        seen[name].append(call_and_capture(capture_server, client, "get_bucket_acl", Bucket=BUCKET))
    shape = {k: [[is_create_session(r) for r in o.requests] for o in v] for k, v in seen.items()}
    assert shape["theirs"] == [[True, False], [True, False]], f"harness: {shape}"
    assert shape["ours"] == shape["theirs"]
    o, t = requests_of(seen["ours"]), requests_of(seen["theirs"])
    check_create_session(o[2], t[2])
    check_session_signed(o[3], t[3])


def test_region_redirect_keeps_the_session(capture_server):
    """A 301 naming another region: the call is re-signed for it with the cached session."""
    redirect = xml_error(301, "PermanentRedirect", "moved", headers=[("x-amz-bucket-region", "eu-west-1")])
    calls = [("get_bucket_policy", dict(Bucket=BUCKET))]
    responses = [session_response(), redirect, OPERATIONS["get_bucket_policy"][1]]
    ours, theirs = run_pair(capture_server, calls, responses)
    assert theirs[0].error is None and len(theirs[0].requests) == 3, "harness"
    assert ours[0].error is None, scrub(ours[0].error)
    o, t = ours[0].requests, theirs[0].requests
    assert len(o) == 3
    check_create_session(o[0], t[0])
    check_session_signed(o[1], t[1])
    check_session_signed(o[2], t[2], region="eu-west-1")
    assert ours[0].result == theirs[0].result


def test_redirect_without_region_asks_head_bucket_with_the_session(capture_server):
    """HeadBucket (the redirector's) is a session-auth call too: same cached session."""
    redirect = xml_error(301, "PermanentRedirect", "moved")
    head = CannedResponse(200, [("x-amz-bucket-region", "eu-west-1")])
    calls = [("get_bucket_acl", dict(Bucket=BUCKET))]
    responses = [session_response(), redirect, head, OPERATIONS["get_bucket_acl"][1]]
    ours, theirs = run_pair(capture_server, calls, responses)
    assert [r.method for r in theirs[0].requests] == ["GET", "GET", "HEAD", "GET"], "harness"
    assert ours[0].error is None, scrub(ours[0].error)
    o, t = ours[0].requests, theirs[0].requests
    assert [r.method for r in o] == ["GET", "GET", "HEAD", "GET"]
    check_create_session(o[0], t[0])
    for i in (1, 2):
        check_session_signed(o[i], t[i])
    check_session_signed(o[3], t[3], region="eu-west-1")


def _single_request(capture_server, **kwargs):
    params, answer = OPERATIONS["get_bucket_acl"]
    (ours,), (theirs,) = run_pair(capture_server, [("get_bucket_acl", dict(Bucket=BUCKET))],
                                  [answer, answer], **kwargs)
    assert theirs.error is None and len(theirs.requests) == 1, f"harness: {theirs.requests}"
    assert ours.error is None, scrub(ours.error)
    assert len(ours.requests) == 1, f"fastboto sent {ours.requests}"
    assert not is_create_session(ours.requests[0])
    assert ours.result == theirs.result
    return ours.requests[0], theirs.requests[0]


@pytest.mark.parametrize("value", [True, "true", "TRUE"])
def test_disable_session_auth_in_config(capture_server, value):
    o, t = _single_request(capture_server, config={"s3": {"disable_s3_express_session_auth": value}})
    compare_requests(o, t)
    verify_sigv4(o, FAKE_SECRET_KEY, access_key=FAKE_ACCESS_KEY, region=REGION, service="s3express")
    assert o.header("x-amz-s3session-token") is None


def test_disable_session_auth_from_environment(capture_server, monkeypatch):
    monkeypatch.setenv("AWS_S3_DISABLE_EXPRESS_SESSION_AUTH", "True")
    o, t = _single_request(capture_server)
    compare_requests(o, t)
    verify_sigv4(o, FAKE_SECRET_KEY, access_key=FAKE_ACCESS_KEY, service="s3express")


def test_disable_session_auth_from_config_file(capture_server, monkeypatch, tmp_path):
    config = tmp_path / "config"
    config.write_text("[default]\ns3_disable_express_session_auth = true\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    o, t = _single_request(capture_server)
    compare_requests(o, t)


def test_config_false_beats_environment(capture_server, monkeypatch):
    monkeypatch.setenv("AWS_S3_DISABLE_EXPRESS_SESSION_AUTH", "true")
    config = {"s3": {"disable_s3_express_session_auth": False}}
    (ours,), (theirs,) = run_pair(capture_server, [("get_bucket_acl", dict(Bucket=BUCKET))],
                                  [session_response(), OPERATIONS["get_bucket_acl"][1]], config=config)
    assert [is_create_session(r) for r in theirs.requests] == [True, False], "harness"
    check_create_session(ours.requests[0], theirs.requests[0])
    check_session_signed(ours.requests[1], theirs.requests[1])


@pytest.mark.parametrize("value", [1, "yes", ""])
def test_invalid_disable_value(value):
    config = {"s3": {"disable_s3_express_session_auth": value}}
    with pytest.raises(Exception) as theirs:
        botocore_client(region_name=REGION, config=config)
    with pytest.raises(Exception) as ours:
        fastboto_client(region_name=REGION, config=config)
    assert_same_error(ours.value, theirs.value)


def test_top_level_config_option_is_not_read(capture_server):
    """botocore reads only Config.s3's disable_s3_express_session_auth, not the
    top-level Config(s3_disable_express_session_auth=...)."""
    config = {"s3_disable_express_session_auth": True}
    (ours,), (theirs,) = run_pair(capture_server, [("get_bucket_acl", dict(Bucket=BUCKET))],
                                  [session_response(), OPERATIONS["get_bucket_acl"][1]], config=config)
    assert [is_create_session(r) for r in theirs.requests] == [True, False], "harness"
    assert [is_create_session(r) for r in ours.requests] == [True, False]


def test_explicit_s3v4_signs_without_session(capture_server):
    """botocore's requested auth scheme s3v4 does not match v4-s3express: plain
    SigV4 with the client's keys, signing name s3 and the client's region."""
    o, t = _single_request(capture_server, config={"signature_version": "s3v4"})
    compare_requests(o, t)
    verify_sigv4(o, FAKE_SECRET_KEY, access_key=FAKE_ACCESS_KEY, region=REGION, service="s3")


@pytest.mark.parametrize("token", [None, "session-token-value"], ids=["keys", "session"])
def test_explicit_v4_signs_with_the_generic_signer(capture_server, token):
    """With "v4" the rules' sigv4-s3express does not match: botocore signs with
    its generic SigV4 signer (no x-amz-content-sha256), the client's keys,
    signing name s3 and the client's region, and asks for no session."""
    config = {"signature_version": "v4"}
    extra = {"aws_session_token": token} if token else {}
    (ours,), (theirs,) = run_pair(capture_server, [("get_bucket_acl", dict(Bucket=BUCKET))],
                                  [OPERATIONS["get_bucket_acl"][1]] * 2, config=config, **extra)
    assert theirs.error is None and len(theirs.requests) == 1, "harness"
    assert theirs.requests[0].header("x-amz-content-sha256") is None, "harness: botocore's generic signer"
    assert ours.error is None and len(ours.requests) == 1
    compare_requests(ours.requests[0], theirs.requests[0])
    for request in (theirs.requests[0], ours.requests[0]):
        verify_sigv4(request, FAKE_SECRET_KEY, access_key=FAKE_ACCESS_KEY, session_token=token,
                     region=REGION, service="s3", generic=True)


def test_hmac_v1_signs_without_session(capture_server):
    o, t = _single_request(capture_server, config={"signature_version": "s3"})
    assert o.path_and_query == t.path_and_query
    assert o.header("Authorization").startswith(f"AWS {FAKE_ACCESS_KEY}:")
    assert t.header("Authorization").startswith(f"AWS {FAKE_ACCESS_KEY}:")


def test_unsigned_sends_no_create_session(capture_server):
    o, t = _single_request(capture_server, config={"signature_version": botocore.UNSIGNED})
    assert o.path_and_query == t.path_and_query
    assert o.header("Authorization") is None and t.header("Authorization") is None


def test_no_credentials_fails_at_create_session(capture_server):
    kwargs = dict(aws_access_key_id=None, aws_secret_access_key=None)
    (ours,), (theirs,) = run_pair(capture_server, [("get_bucket_acl", dict(Bucket=BUCKET))], [], **kwargs)
    assert_same_error(ours.error, theirs.error)
    assert not ours.requests and not theirs.requests


def test_prepare_request_creates_the_session(capture_server):
    """prepare_request signs as the call would: it sends the CreateSession
    (unless cached) and returns the request signed with the session."""
    client = fastboto_client(region_name=REGION, endpoint_url=capture_server.url)
    capture_server.enqueue(session_response(), OPERATIONS["get_bucket_acl"][1])
    prepared = client.prepare_request("get_bucket_acl", Bucket=BUCKET)
    sent = capture_server.pop_all()
    assert [is_create_session(r) for r in sent] == [True]
    headers = {k.lower(): v for k, v in prepared.headers.items()}
    assert hmac.compare_digest(headers["x-amz-s3session-token"], FAKE_EXPRESS_TOKEN)
    auth = parse_authorization(headers["authorization"])
    assert auth.access_key == FAKE_EXPRESS_ACCESS_KEY and auth.service == "s3express"
    assert "x-amz-s3session-token" in auth.signed_headers
    for shown in (repr(prepared), prepared.to_curl()):
        assert FAKE_EXPRESS_TOKEN not in shown and auth.signature not in shown
    # The call itself reuses the session prepare_request created.
    client.get_bucket_acl(Bucket=BUCKET)
    assert [is_create_session(r) for r in capture_server.pop_all()] == [False]


def test_async_client_shares_one_session(capture_server):
    answer = OPERATIONS["get_bucket_acl"][1]
    calls = [("get_bucket_acl", dict(Bucket=BUCKET)), ("get_bucket_acl", dict(Bucket=BUCKET))]
    theirs_client = botocore_client(region_name=REGION, endpoint_url=capture_server.url)
    capture_server.enqueue(session_response(), answer, answer)
    theirs = [call_and_capture(capture_server, theirs_client, op, **p) for op, p in calls]

    async def main():
        results = []
        async with fastboto.aio.client("s3", region_name=REGION, endpoint_url=capture_server.url,
                                       aws_access_key_id=FAKE_ACCESS_KEY,
                                       aws_secret_access_key=FAKE_SECRET_KEY) as s3:
            for op, params in calls:
                results.append(await getattr(s3, op)(**params))
        return results

    capture_server.enqueue(session_response(), answer, answer)
    results = asyncio.run(main())
    sent = capture_server.pop_all()
    t = requests_of(theirs)
    assert [is_create_session(r) for r in t] == [True, False, False], "harness"
    assert [is_create_session(r) for r in sent] == [True, False, False]
    check_create_session(sent[0], t[0])
    check_session_signed(sent[1], t[1])
    check_session_signed(sent[2], t[2])
    assert results == [o.result for o in theirs]


def test_operation_names_cover_every_public_operation():
    """Every public operation is exercised above."""
    assert set(OPERATIONS) == set(OPERATION_NAMES)


def test_retried_call_reuses_the_session(capture_server):
    """A 500 on the call itself: the retry is signed with the same cached session."""
    calls = [("get_bucket_acl", dict(Bucket=BUCKET))]
    responses = [session_response(), xml_error(500, "InternalError", "boom"), OPERATIONS["get_bucket_acl"][1]]
    ours, theirs = run_pair(capture_server, calls, responses)
    assert [is_create_session(r) for r in theirs[0].requests] == [True, False, False], "harness"
    assert ours[0].error is None, scrub(ours[0].error)
    o, t = ours[0].requests, theirs[0].requests
    assert len(o) == 3
    check_create_session(o[0], t[0])
    check_session_signed(o[1], t[1])
    check_session_signed(o[2], t[2])
    assert ours[0].result == theirs[0].result


def test_stubbed_calls_send_no_create_session(capture_server):
    """botocore's Stubber answers before signing: no CreateSession either."""
    from botocore.stub import Stubber as BotocoreStubber

    from fastboto.stub import Stubber

    result = {"Policy": "{}"}
    for make, stubber_cls in ((fastboto_client, Stubber), (botocore_client, BotocoreStubber)):
        client = make(region_name=REGION, endpoint_url=capture_server.url)
        with stubber_cls(client) as stub:
            stub.add_response("get_bucket_policy", result, {"Bucket": BUCKET})
            assert client.get_bucket_policy(Bucket=BUCKET)["Policy"] == "{}"
    assert capture_server.requests == []


def test_threads_sharing_a_client(capture_server):
    """Concurrent calls on one client: every call signed with a session, and
    no more CreateSessions than callers."""
    from concurrent.futures import ThreadPoolExecutor

    answer = OPERATIONS["get_bucket_acl"][1]
    capture_server.set_response(lambda req: session_response() if is_create_session(req) else answer)
    client = fastboto_client(region_name=REGION, endpoint_url=capture_server.url)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: client.get_bucket_acl(Bucket=BUCKET), range(8)))
    assert all(r["Owner"]["ID"] == "o1" for r in results)
    sent = capture_server.pop_all()
    sessions = [r for r in sent if is_create_session(r)]
    calls = [r for r in sent if not is_create_session(r)]
    assert 1 <= len(sessions) <= 4 and len(calls) == 8
    for req in calls:
        verify_sigv4(req, FAKE_EXPRESS_SECRET_KEY, access_key=FAKE_EXPRESS_ACCESS_KEY, service="s3express")


def test_session_secrets_never_shown(capture_server, caplog):
    """The session's secret key and token, and every signature, stay out of
    reprs, messages, tracebacks and logs."""
    import logging
    import traceback

    caplog.set_level(logging.DEBUG)
    texts = []
    client = fastboto_client(region_name=REGION, endpoint_url=capture_server.url,
                             aws_session_token=FAKE_SESSION_TOKEN)
    capture_server.enqueue(session_response(), OPERATIONS["get_bucket_acl"][1])
    texts.append(repr(client.get_bucket_acl(Bucket=BUCKET)))
    prepared = client.prepare_request("get_bucket_acl", Bucket=BUCKET)
    texts += [repr(prepared), str(prepared), prepared.to_curl()]
    failing = fastboto_client(region_name=REGION, endpoint_url=capture_server.url)
    for answer in (xml_error(403, "AccessDenied", "Access Denied"), session_response(-20)):
        capture_server.enqueue(answer, answer)
        with pytest.raises(Exception) as info:
            failing.get_bucket_policy(Bucket="fresh--usw2-az1--x-s3")
        e = info.value
        texts += [repr(e), str(e), repr(e.args), repr(getattr(e, "response", None)),
                  "".join(traceback.format_exception(type(e), e, e.__traceback__))]
    texts.append(caplog.text)
    signatures = [parse_authorization(r.header("Authorization")).signature for r in capture_server.requests]
    needles = [FAKE_EXPRESS_SECRET_KEY, FAKE_EXPRESS_TOKEN, FAKE_SECRET_KEY, FAKE_SESSION_TOKEN,
               FAKE_EXPRESS_TOKEN[8:24], FAKE_EXPRESS_SECRET_KEY[8:24]] + signatures
    assert len(signatures) >= 4
    leaks = [i for i, text in enumerate(texts) for needle in needles if needle in text]
    assert not leaks, f"secret visible in texts {sorted(set(leaks))}"


def test_cache_holds_the_100_most_recent_buckets(capture_server):
    """botocore's lru_cache(maxsize=100): after 101 buckets the first one's
    session is gone (a new CreateSession), the last one's is kept."""
    answer = OPERATIONS["get_bucket_acl"][1]
    capture_server.set_response(lambda req: session_response() if is_create_session(req) else answer)
    buckets = [f"b{i}--usw2-az1--x-s3" for i in range(101)]
    shape = {}
    for name, make in (("theirs", botocore_client), ("ours", fastboto_client)):
        client = make(region_name=REGION, endpoint_url=capture_server.url)
        for bucket in buckets:
            client.get_bucket_acl(Bucket=bucket)
        filled = capture_server.pop_all()
        again = [call_and_capture(capture_server, client, "get_bucket_acl", Bucket=b)
                 for b in (buckets[100], buckets[0], buckets[1])]
        shape[name] = (sum(map(is_create_session, filled)),
                       [[is_create_session(r) for r in o.requests] for o in again])
    assert shape["theirs"] == (101, [[False], [True, False], [True, False]]), f"harness: {shape['theirs']}"
    assert shape["ours"] == shape["theirs"]


@pytest.mark.parametrize("operation", ["get_bucket_acl", "put_bucket_policy"])
def test_access_point_zonal_endpoint_without_custom_endpoint(capture_server, operation):
    """An S3 Express access point (``--xa-s3``) uses its zonal endpoint and
    session auth even without endpoint_url (reached here over plain http
    through the capture server as a proxy)."""
    bucket = "myap--usw2-az1--xa-s3"
    params, answer = OPERATIONS[operation]
    kwargs = dict(endpoint_url=None, use_ssl=False, config={"proxies": {"http": capture_server.proxy_url}})
    (ours,), (theirs,) = run_pair(capture_server, [(operation, dict(Bucket=bucket, **params))],
                                  [session_response(), answer], **kwargs)
    assert theirs.error is None and len(theirs.requests) == 2, f"harness: {theirs.error!r}"
    assert theirs.requests[0].target_authority == f"{bucket}.s3express-usw2-az1.us-west-2.amazonaws.com"
    assert ours.error is None, scrub(ours.error)
    check_create_session(ours.requests[0], theirs.requests[0])
    check_session_signed(ours.requests[1], theirs.requests[1])


def test_directory_bucket_control_plane_needs_no_session(capture_server):
    """Without endpoint_url a directory bucket's policy and ACL calls go to
    s3express-control, plain SigV4 (signing name s3express), no CreateSession."""
    kwargs = dict(endpoint_url=None, use_ssl=False, config={"proxies": {"http": capture_server.proxy_url}})
    o, t = _single_request(capture_server, **kwargs)
    assert t.target_authority == "s3express-control.us-west-2.amazonaws.com"
    compare_requests(o, t)
    verify_sigv4(o, FAKE_SECRET_KEY, access_key=FAKE_ACCESS_KEY, service="s3express")


def test_redirector_head_bucket_goes_zonal_with_a_session(capture_server):
    """Without endpoint_url: the ACL call goes to s3express-control; a 301
    naming no region makes the redirector send HeadBucket, which the rules
    send to the zonal endpoint with session auth (CreateSession first)."""
    kwargs = dict(endpoint_url=None, use_ssl=False, config={"proxies": {"http": capture_server.proxy_url}})
    head = CannedResponse(200, [("x-amz-bucket-region", "eu-west-1")])
    responses = [xml_error(301, "PermanentRedirect", "moved"), session_response(), head,
                 OPERATIONS["get_bucket_acl"][1]]
    (ours,), (theirs,) = run_pair(capture_server, [("get_bucket_acl", dict(Bucket=BUCKET))], responses, **kwargs)
    t = theirs.requests
    assert [(r.method, r.target_authority) for r in t] == [
        ("GET", "s3express-control.us-west-2.amazonaws.com"),
        ("GET", f"{BUCKET}.s3express-usw2-az1.us-west-2.amazonaws.com"),
        ("HEAD", f"{BUCKET}.s3express-usw2-az1.us-west-2.amazonaws.com"),
        ("GET", "s3express-control.eu-west-1.amazonaws.com"),
    ], "harness"
    assert ours.error is None, scrub(ours.error)
    o = ours.requests
    assert len(o) == 4
    compare_requests(o[0], t[0])
    check_create_session(o[1], t[1])
    check_session_signed(o[2], t[2])
    compare_requests(o[3], t[3])
    verify_sigv4(o[3], FAKE_SECRET_KEY, access_key=FAKE_ACCESS_KEY, region="eu-west-1", service="s3express")
    assert ours.result == theirs.result
