"""SigV4a (AWS4-ECDSA-P256-SHA256) against botocore[crt]: Multi-Region
Access Points and Outposts access points, whose endpoint rules ask for it.

botocore signs SigV4a through awscrt (CrtS3SigV4AsymAuth), whose ECDSA
signatures are randomized, so requests are compared on everything but the
signature bytes (method, URL, body, every x-amz-* header, X-Amz-Region-Set,
SignedHeaders, credential scope) and fastboto's signature is verified with
the public key derived from the secret key (support/sigv4a.py), a verifier
that accepts botocore[crt]'s own signatures. Nothing reaches AWS: prepared
requests are compared with botocore's captured at before-send, sent ones go
through the capture server as an HTTP proxy.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import textwrap

import botocore
import botocore.compat
import pytest

from support.capture_server import CannedResponse, CapturedRequest
from support.ours import botocore_client, fastboto_client, run_both
from support.reference import (
    FAKE_ACCESS_KEY,
    FAKE_SECRET_KEY,
    FAKE_SESSION_TOKEN,
    capture_botocore_prepared,
    parse_authorization,
    scrub,
    verify_sigv4,
)
from support.s3_responses import ok
from support.sigv4a import is_sigv4a, parse_sigv4a_authorization, public_key, verify_sigv4a

import fastboto

HAS_CRT = botocore.compat.HAS_CRT
needs_crt = pytest.mark.skipif(
    not HAS_CRT, reason="botocore signs SigV4a only with awscrt (botocore[crt], as requirements-test.txt installs)"
)

MRAP = "arn:aws:s3::123456789012:accesspoint:mfzwi23gnjvgw.mrap"
MRAP_HOST = "mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com"
OUTPOSTS = "arn:aws:s3-outposts:us-west-2:123456789012:outpost:op-01234567890123456:accesspoint:myaccesspoint"
POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                                                             "Action": "s3:GetObject", "Resource": "*"}]})
ACP = {
    "Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": "a" * 64}, "Permission": "FULL_CONTROL"}],
    "Owner": {"ID": "a" * 64},
}

# What the aws-c-auth SigV4a test suite publishes for AKIDEXAMPLE (every
# v4a case's public-key.json), and its get-vanilla-with-session-token
# string to sign and (randomized) signature.
SUITE_ACCESS_KEY = "AKIDEXAMPLE"
SUITE_SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SUITE_X = "b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1"
SUITE_Y = "865ed22a7eadc9c5cb9d2cbaca1b3699139fedc5043dc6661864218330c8e518"
SUITE_STRING_TO_SIGN = (
    "AWS4-ECDSA-P256-SHA256\n20150830T123600Z\n20150830/service/aws4_request\n"
    "79893373104239a0547df489af395ec3c1b8873a8601f07f11ffd3f1ac557e7d"
)
SUITE_SIGNATURE = (
    "30450221008f4516c8850ed9eb29502658d1f0e0f6cabc11a44963c558efd1dd8e9fb084a0022032e47df89ad1a5b4e2b82d3"
    "a68dbe31d6ef8e1ea8c3815b2097538c4695d184e"
)

COMPARED_EXACTLY = ("content-md5", "content-length", "content-type")


def _text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


def view(method, url, headers, body):
    """What must be equal between fastboto's request and botocore's."""
    __tracebackhide__ = True
    headers = [(k, _text(v)) for k, v in headers]
    compared = {}
    for name, value in headers:
        lname = name.lower()
        if lname in ("x-amz-date", "authorization"):
            continue
        if lname.startswith("x-amz-") or lname in COMPARED_EXACTLY:
            if lname == "x-amz-security-token":
                value = "<token sha256 " + hashlib.sha256(value.encode()).hexdigest()[:16] + ">"
            compared[lname] = value
    auth = next((v for k, v in headers if k.lower() == "authorization"), None)
    if auth is None:
        signer = None
    elif is_sigv4a(auth):
        parts = parse_sigv4a_authorization(auth)
        signer = ("sigv4a", parts.access_key, parts.service, parts.terminator, parts.signed_headers)
    elif auth.startswith("AWS4-HMAC-SHA256 "):
        parts = parse_authorization(auth)
        signer = ("sigv4", parts.access_key, parts.region, parts.service, parts.terminator, parts.signed_headers)
    else:
        signer = ("other", auth.split(" ", 1)[0])
    return {"method": method, "url": url, "body": body or b"", "headers": compared, "signer": signer}


def assert_same_view(ours, theirs, context):
    __tracebackhide__ = True
    assert ours == theirs, scrub(f"\n ours:   {ours}\n theirs: {theirs}\n for {context}")


def prepared_pair(client_kwargs, operation, params):
    """(fastboto's prepared request, botocore's captured at before-send)."""
    __tracebackhide__ = True
    ours = fastboto_client(**client_kwargs).prepare_request(operation, **params)
    theirs = capture_botocore_prepared(botocore_client(**client_kwargs), operation, **params)
    return ours, theirs


def verify_prepared(prepared, client_kwargs, **expect):
    __tracebackhide__ = True
    return verify_sigv4a(
        prepared.method,
        prepared.url,
        list(prepared.headers.items()),
        prepared.body,
        client_kwargs.get("aws_secret_access_key", FAKE_SECRET_KEY),
        access_key=client_kwargs.get("aws_access_key_id", FAKE_ACCESS_KEY),
        session_token=client_kwargs.get("aws_session_token"),
        **expect,
    )


# ---------------------------------------------------------------------------
# the verifier itself
# ---------------------------------------------------------------------------
def test_key_derivation_gives_the_published_public_key():
    numbers = public_key(SUITE_ACCESS_KEY, SUITE_SECRET_KEY).public_numbers()
    assert (f"{numbers.x:064x}", f"{numbers.y:064x}") == (SUITE_X, SUITE_Y)
    # ...and the suite's own signature verifies with it.
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    key = public_key(SUITE_ACCESS_KEY, SUITE_SECRET_KEY)
    key.verify(bytes.fromhex(SUITE_SIGNATURE), SUITE_STRING_TO_SIGN.encode(), ec.ECDSA(hashes.SHA256()))
    other = public_key(SUITE_ACCESS_KEY, SUITE_SECRET_KEY + "x")
    assert other.public_numbers() != key.public_numbers()


@needs_crt
@pytest.mark.parametrize("bucket", [MRAP, OUTPOSTS], ids=["mrap", "outposts"])
def test_verifier_accepts_botocore_crt_signatures_and_nothing_else(bucket):
    kwargs = dict(region_name="us-west-2", aws_session_token=FAKE_SESSION_TOKEN)
    req = capture_botocore_prepared(botocore_client(**kwargs), "put_bucket_policy", Bucket=bucket, Policy=POLICY)
    headers = [(k, _text(v)) for k, v in req.headers.items()]
    parts = verify_sigv4a(req.method, req.url, headers, req.body, session_token=FAKE_SESSION_TOKEN,
                          access_key=FAKE_ACCESS_KEY, region_set="*")
    assert parts.service == ("s3" if bucket == MRAP else "s3-outposts")
    tampered = [(k, "us-east-1" if k.lower() == "x-amz-region-set" else v) for k, v in headers]
    with pytest.raises(AssertionError, match="does not verify") as excinfo:
        verify_sigv4a(req.method, req.url, tampered, req.body)
    message = str(excinfo.value)
    assert FAKE_SESSION_TOKEN not in message and parts.signature not in message
    with pytest.raises(AssertionError, match="does not verify"):
        verify_sigv4a(req.method, req.url, headers, req.body, FAKE_SECRET_KEY + "x")


# ---------------------------------------------------------------------------
# prepared requests: fastboto's prepare_request vs botocore[crt]'s before-send
# ---------------------------------------------------------------------------
CALLS = [
    ("put_bucket_policy", {"Policy": POLICY}),
    ("put_bucket_policy", {"Policy": POLICY, "ExpectedBucketOwner": "123456789012", "ChecksumAlgorithm": "SHA256"}),
    ("put_bucket_policy", {"Policy": POLICY, "ConfirmRemoveSelfBucketAccess": True}),
    ("get_bucket_policy", {}),
    ("delete_bucket_policy", {"ExpectedBucketOwner": "123456789012"}),
    ("put_bucket_acl", {"ACL": "public-read", "GrantRead": 'uri="http://acs.amazonaws.com/groups/global/AllUsers"'}),
    ("put_bucket_acl", {"AccessControlPolicy": ACP}),
    ("get_bucket_acl", {}),
]
CLIENTS = {
    "default": dict(region_name="us-west-2"),
    "token": dict(region_name="eu-central-1", aws_session_token=FAKE_SESSION_TOKEN),
    "http": dict(region_name="us-east-1", use_ssl=False),
    "unsigned-payload": dict(region_name="us-west-2", config={"s3": {"payload_signing_enabled": False}}),
    "region-set": dict(region_name="us-west-2", config={"sigv4a_signing_region_set": "us-west-2,eu-west-1"}),
    "s3v4a": dict(region_name="us-west-2", config={"signature_version": "s3v4a",
                                                    "sigv4a_signing_region_set": "eu-west-1"}),
    "v4a": dict(region_name="us-west-2", config={"signature_version": "v4a",
                                                  "sigv4a_signing_region_set": "eu-west-1"}),
    "arn-region": dict(region_name="us-east-1", config={"s3": {"use_arn_region": True}}),
}


@needs_crt
@pytest.mark.parametrize("bucket", [MRAP, OUTPOSTS], ids=["mrap", "outposts"])
@pytest.mark.parametrize("client", list(CLIENTS))
@pytest.mark.parametrize("operation,params", CALLS, ids=[f"{op}-{i}" for i, (op, _) in enumerate(CALLS)])
def test_prepared_request_as_botocore_crt(bucket, client, operation, params):
    kwargs = CLIENTS[client]
    params = dict(Bucket=bucket, **params)
    try:
        theirs = capture_botocore_prepared(botocore_client(**kwargs), operation, **params)
    except Exception as e:  # noqa: BLE001 - e.g. Outposts in another region than the client's
        with pytest.raises(Exception) as excinfo:
            fastboto_client(**kwargs).prepare_request(operation, **params)
        assert (type(excinfo.value).__name__, str(excinfo.value)) == (type(e).__name__, str(e))
        return
    ours = fastboto_client(**kwargs).prepare_request(operation, **params)
    ours_view = view(ours.method, ours.url, ours.headers.items(), ours.body)
    assert_same_view(ours_view, view(theirs.method, theirs.url, theirs.headers.items(), theirs.body),
                     (bucket, client, operation))
    assert ours_view["signer"][0] == "sigv4a"
    verify_prepared(ours, kwargs, service=ours_view["signer"][2])


@needs_crt
@pytest.mark.parametrize("bucket", [MRAP, OUTPOSTS], ids=["mrap", "outposts"])
@pytest.mark.parametrize("config", [
    {"signature_version": "s3v4"},
    {"signature_version": "s3"},
    {"signature_version": botocore.UNSIGNED},
    {"s3": {"s3_disable_multiregion_access_points": True}},
], ids=["s3v4", "hmac-v1", "unsigned", "mrap-disabled"])
def test_other_signers_on_sigv4a_endpoints_as_botocore(bucket, config):
    """s3v4: Outposts' second scheme (SigV4, us-west-2), for an MRAP the
    client's region; `s3` and UNSIGNED ignore the endpoint's schemes."""
    kwargs = dict(region_name="us-west-2", config=config)
    if config.get("signature_version") is botocore.UNSIGNED:
        kwargs["config"] = dict(config, signature_version=fastboto.UNSIGNED)
    params = dict(Bucket=bucket, Policy=POLICY)
    try:
        theirs = capture_botocore_prepared(botocore_client(**dict(kwargs, config=config)), "put_bucket_policy",
                                           **params)
    except Exception as e:  # noqa: BLE001
        with pytest.raises(Exception) as excinfo:
            fastboto_client(**kwargs).prepare_request("put_bucket_policy", **params)
        assert (type(excinfo.value).__name__, str(excinfo.value)) == (type(e).__name__, str(e))
        return
    ours = fastboto_client(**kwargs).prepare_request("put_bucket_policy", **params)
    ours_view = view(ours.method, ours.url, ours.headers.items(), ours.body)
    theirs_view = view(theirs.method, theirs.url, theirs.headers.items(), theirs.body)
    if ours_view["signer"] and ours_view["signer"][0] == "other":
        # HmacV1 signs the Date header, which may tick between the two calls.
        assert ours.headers["Authorization"].startswith(f"AWS {FAKE_ACCESS_KEY}:")
    assert_same_view(ours_view, theirs_view, (bucket, config))
    if "signature_version" in config:
        assert ours_view["signer"] is None or ours_view["signer"][0] != "sigv4a"
    else:  # an Outposts access point with MRAPs disabled: still SigV4a
        verify_prepared(ours, kwargs, region_set="*", service="s3-outposts")


@pytest.mark.parametrize("bucket", [MRAP, OUTPOSTS, "arn:aws:s3:us-west-2:123456789012:accesspoint/myap"],
                         ids=["mrap", "outposts", "access-point"])
@pytest.mark.parametrize("operation,params", [("put_bucket_policy", {"Policy": POLICY}), ("get_bucket_acl", {})])
def test_hmac_v1_on_arn_buckets_signs_as_botocore(bucket, operation, params):
    """signature_version="s3": botocore's remove_arn_from_signing_path leaves
    the ARN out of the signed resource (the host names the bucket). Both
    signatures are compared once both requests carry the same Date."""
    kwargs = dict(region_name="us-west-2", aws_session_token=FAKE_SESSION_TOKEN, config={"signature_version": "s3"})
    ours_client, theirs_client = fastboto_client(**kwargs), botocore_client(**kwargs)
    params = dict(Bucket=bucket, **params)
    for _ in range(5):
        ours = ours_client.prepare_request(operation, **params)
        theirs = capture_botocore_prepared(theirs_client, operation, **params)
        if ours.headers["Date"] == _text(theirs.headers["Date"]):
            break
    else:
        pytest.fail("no two requests in the same second")
    assert ours.url == theirs.url
    assert ours.headers["Authorization"] == _text(theirs.headers["Authorization"]), "HmacV1 signature differs"


@needs_crt
@pytest.mark.parametrize("source", ["environment", "config-file"])
def test_region_set_from_environment_and_config_file(source, monkeypatch, tmp_path):
    if source == "environment":
        monkeypatch.setenv("AWS_SIGV4A_SIGNING_REGION_SET", "ap-southeast-2")
    else:
        config_file = tmp_path / "aws-config"
        config_file.write_text("[default]\nsigv4a_signing_region_set = ca-central-1,us-east-2\n")
        monkeypatch.setenv("AWS_CONFIG_FILE", str(config_file))
    kwargs = dict(region_name="us-west-2")
    ours, theirs = prepared_pair(kwargs, "get_bucket_acl", dict(Bucket=MRAP))
    expected = "ap-southeast-2" if source == "environment" else "ca-central-1,us-east-2"
    assert _text(theirs.headers["X-Amz-Region-Set"]) == expected
    assert_same_view(view(ours.method, ours.url, ours.headers.items(), ours.body),
                     view(theirs.method, theirs.url, theirs.headers.items(), theirs.body), source)
    verify_prepared(ours, kwargs, region_set=expected)


def _as_captured(prepared):
    """A prepared request (ours or botocore's) as the verifiers read requests."""
    body = prepared.body if isinstance(prepared.body, (bytes, type(None))) else prepared.body.encode()
    return CapturedRequest(method=prepared.method, target=prepared.url, version="HTTP/1.1",
                           headers=[(k, _text(v)) for k, v in prepared.headers.items()],
                           body=body or b"", connection_id=0, tls=prepared.url.startswith("https://"))


def _scope_region(prepared):
    return parse_authorization(_text(prepared.headers["Authorization"])).region


GENERIC_CALLS = [
    ("get_bucket_acl", {}),
    ("put_bucket_policy", {"Policy": POLICY}),
    ("put_bucket_acl", {"AccessControlPolicy": ACP}),
    ("delete_bucket_policy", {}),
]


@needs_crt
@pytest.mark.parametrize("region", ["us-west-2", "us-east-1", "aws-global", "s3-external-1", "eu-central-1"])
@pytest.mark.parametrize("operation,extra", GENERIC_CALLS, ids=[c[0] for c in GENERIC_CALLS])
@pytest.mark.parametrize("token", [None, FAKE_SESSION_TOKEN], ids=["keys", "session"])
def test_v4_on_an_mrap_signs_as_botocores_generic_signer(region, operation, extra, token):
    """signature_version="v4" with an MRAP: no SigV4 scheme to match, so
    botocore signs with its generic SigV4Auth (no x-amz-content-sha256, the
    path quoted again) for the client's signing region — the legacy endpoint
    data's credential scope (us-east-1 for aws-global and s3-external-1)."""
    kwargs = dict(region_name=region, config={"signature_version": "v4"}, aws_session_token=token)
    ours, theirs = prepared_pair(kwargs, operation, dict(Bucket=MRAP, **extra))
    assert "x-amz-content-sha256" not in {k.lower() for k in theirs.headers}, "harness: botocore's generic signer"
    assert_same_view(view(ours.method, ours.url, ours.headers.items(), ours.body),
                     view(theirs.method, theirs.url, theirs.headers.items(), theirs.body), kwargs)
    region_botocore_signs_for = _scope_region(theirs)
    assert region_botocore_signs_for == ("us-east-1" if region in ("aws-global", "s3-external-1") else region)
    # The verifier recomputes botocore's own signature, then ours.
    for request in (theirs, ours):
        verify_sigv4(_as_captured(request), FAKE_SECRET_KEY, access_key=FAKE_ACCESS_KEY, session_token=token,
                     region=region_botocore_signs_for, service="s3", generic=True)


@needs_crt
@pytest.mark.parametrize("kwargs", [
    dict(region_name="us-west-2"),
    dict(region_name="aws-global"),
    dict(region_name="us-east-1", config={"s3": {"addressing_style": "path"}}),
    dict(region_name="eu-west-1", config={"sigv4a_signing_region_set": "eu-*"}),
    dict(region_name="ca-central-1", aws_session_token=FAKE_SESSION_TOKEN),
    dict(region_name="us-east-1", endpoint_url="https://store.example/base/"),
], ids=repr)
@pytest.mark.parametrize("bucket", ["my-bucket", "my.dotted.bucket", "mybucket--usw2-az1--x-s3"])
@pytest.mark.parametrize("operation,extra", GENERIC_CALLS[:2], ids=[c[0] for c in GENERIC_CALLS[:2]])
def test_v4a_on_a_plain_bucket_signs_as_botocores_generic_signer(kwargs, bucket, operation, extra):
    """signature_version="v4a" where the endpoint offers only SigV4: botocore's
    generic SigV4a signer (CrtSigV4AsymAuth: no x-amz-content-sha256, the path
    normalised and quoted again) for sigv4a_signing_region_set, else `*`."""
    kwargs = dict(kwargs)
    kwargs["config"] = {**kwargs.get("config", {}), "signature_version": "v4a"}
    ours, theirs = prepared_pair(kwargs, operation, dict(Bucket=bucket, **extra))
    assert is_sigv4a(theirs.headers["Authorization"]), "harness"
    assert "x-amz-content-sha256" not in {k.lower() for k in theirs.headers}, "harness: botocore's generic signer"
    assert_same_view(view(ours.method, ours.url, ours.headers.items(), ours.body),
                     view(theirs.method, theirs.url, theirs.headers.items(), theirs.body), kwargs)
    region_set = kwargs["config"].get("sigv4a_signing_region_set", "*")
    for request in (theirs, ours):  # botocore's own signature verifies: the verifier is botocore's
        verify_sigv4a(request.method, request.url, [(k, _text(v)) for k, v in request.headers.items()],
                      _as_captured(request).body, FAKE_SECRET_KEY, access_key=FAKE_ACCESS_KEY,
                      session_token=kwargs.get("aws_session_token"), region_set=region_set, generic=True)


@needs_crt
def test_v4_on_a_plain_bucket_is_s3s_signer():
    """The same signature_version on a plain bucket matches the rules'
    sigv4 scheme: botocore's S3 signer."""
    kwargs = dict(region_name="us-west-2", config={"signature_version": "v4"})
    ours, theirs = prepared_pair(kwargs, "get_bucket_acl", dict(Bucket="my-bucket"))
    assert "x-amz-content-sha256" in {k.lower() for k in ours.headers}
    assert_same_view(view(ours.method, ours.url, ours.headers.items(), ours.body),
                     view(theirs.method, theirs.url, theirs.headers.items(), theirs.body), "v4 plain bucket")


@needs_crt
@pytest.mark.parametrize("region", ["aws-global", "s3-external-1", "us-east-1", "eu-west-1"])
def test_s3v4_on_an_mrap_signs_for_the_legacy_signing_region(region):
    """s3v4 on a SigV4a-only MRAP: S3's SigV4 signer for the region botocore's
    RequestSigner holds (aws-global signs for us-east-1)."""
    kwargs = dict(region_name=region, config={"signature_version": "s3v4"})
    ours, theirs = prepared_pair(kwargs, "get_bucket_acl", dict(Bucket=MRAP))
    assert_same_view(view(ours.method, ours.url, ours.headers.items(), ours.body),
                     view(theirs.method, theirs.url, theirs.headers.items(), theirs.body), kwargs)
    verify_sigv4(_as_captured(ours), FAKE_SECRET_KEY, region=_scope_region(theirs), service="s3")


@needs_crt
@pytest.mark.parametrize("region,signing_region", [("eu-west-3", "eu-west-3"), ("aws-global", "us-east-1"),
                                                   ("s3-external-1", "us-east-1")])
def test_s3v4a_on_a_plain_bucket_signs_for_the_client_region(region, signing_region):
    kwargs = dict(region_name=region, config={"signature_version": "s3v4a"})
    ours, theirs = prepared_pair(kwargs, "put_bucket_policy", dict(Bucket="my-bucket", Policy=POLICY))
    assert _text(theirs.headers["X-Amz-Region-Set"]) == signing_region
    assert_same_view(view(ours.method, ours.url, ours.headers.items(), ours.body),
                     view(theirs.method, theirs.url, theirs.headers.items(), theirs.body), "s3v4a")
    verify_prepared(ours, kwargs, region_set=signing_region, service="s3")


def test_signature_and_token_stay_out_of_reprs_and_curl():
    kwargs = dict(region_name="us-west-2", aws_session_token=FAKE_SESSION_TOKEN)
    prepared = fastboto_client(**kwargs).prepare_request("put_bucket_policy", Bucket=MRAP, Policy=POLICY)
    parts = verify_prepared(prepared, kwargs, region_set="*", service="s3")
    for shown in (repr(prepared), prepared.to_curl()):
        assert parts.signature not in shown
        assert FAKE_SESSION_TOKEN not in shown and FAKE_SECRET_KEY not in shown
        assert "X-Amz-Region-Set" in shown


def test_alternating_credentials_on_one_thread():
    """The derived key is cached per thread: each client's signature still
    verifies with its own key."""
    clients = [
        (dict(region_name="us-west-2"), None),
        (dict(region_name="us-west-2", aws_access_key_id="AKIAOTHERFAKEKEY0000",
              aws_secret_access_key="other/Secret+Key=NotReal9876543210zyxwvu"), None),
    ]
    for round_ in range(3):
        for kwargs, _ in clients:
            prepared = fastboto_client(**kwargs).prepare_request("get_bucket_acl", Bucket=MRAP)
            verify_prepared(prepared, kwargs)
            with pytest.raises(AssertionError, match="does not verify"):
                verify_sigv4a(prepared.method, prepared.url, list(prepared.headers.items()), prepared.body,
                              "wrong/Secret+Key=NotReal0000000000000000")


# ---------------------------------------------------------------------------
# sent requests, through the capture server as an HTTP proxy
# ---------------------------------------------------------------------------
def proxy_kwargs(server, **config):
    return dict(region_name="us-west-2", aws_session_token=FAKE_SESSION_TOKEN, use_ssl=False,
                config={"proxies": {"http": server.proxy_url}, **config})


def verify_captured(req, kwargs, **expect):
    __tracebackhide__ = True
    assert req.target_authority == req.host, "Host header disagrees with the proxy target"
    return verify_sigv4a(req.method, req.url(), req.headers, req.body, FAKE_SECRET_KEY,
                         access_key=FAKE_ACCESS_KEY, session_token=kwargs.get("aws_session_token"), **expect)


@needs_crt
@pytest.mark.parametrize("operation,params", [
    ("put_bucket_policy", {"Policy": POLICY}),
    ("put_bucket_acl", {"AccessControlPolicy": ACP, "ExpectedBucketOwner": "123456789012"}),
    ("get_bucket_acl", {}),
], ids=["put_bucket_policy", "put_bucket_acl", "get_bucket_acl"])
def test_sent_as_botocore_crt_sends(capture_server, operation, params):
    capture_server.set_response(ok(200, b"" if operation != "get_bucket_acl" else (
        b'<?xml version="1.0" encoding="UTF-8"?><AccessControlPolicy><Owner><ID>' + b"a" * 64 +
        b"</ID></Owner><AccessControlList></AccessControlList></AccessControlPolicy>")))
    kwargs = proxy_kwargs(capture_server)
    params = dict(Bucket=MRAP, **params)
    ours, theirs = run_both(capture_server, operation, kwargs, params)
    assert theirs.error is None and ours.error is None, scrub(f"{theirs.error!r} {ours.error!r}")
    assert ours.request.target.startswith(f"http://{MRAP_HOST}/")
    assert_same_view(view(ours.request.method, ours.request.target, ours.request.headers, ours.request.body),
                     view(theirs.request.method, theirs.request.target, theirs.request.headers,
                          theirs.request.body), operation)
    assert "fastboto" in (ours.request.header("User-Agent") or "").lower()
    verify_captured(ours.request, kwargs, region_set="*", service="s3")
    assert ours.result == theirs.result, scrub(f"\n ours:   {ours.result}\n theirs: {theirs.result}")


def test_each_attempt_is_signed_afresh(capture_server):
    capture_server.set_response(CannedResponse(500, [("Content-Type", "application/xml")],
                                               b"<Error><Code>InternalError</Code></Error>"))
    kwargs = proxy_kwargs(capture_server, retries={"total_max_attempts": 3, "mode": "standard"})
    client = fastboto_client(**kwargs)
    capture_server.pop_all()
    with pytest.raises(fastboto.exceptions.ClientError):
        client.get_bucket_acl(Bucket=MRAP)
    sent = capture_server.pop_all()
    assert len(sent) == 3
    for attempt, req in enumerate(sent, 1):
        assert req.header("amz-sdk-request").startswith(f"attempt={attempt}")
        assert len(req.header_all("Authorization")) == 1 and len(req.header_all("X-Amz-Region-Set")) == 1
        verify_captured(req, kwargs, region_set="*", service="s3")


# ---------------------------------------------------------------------------
# botocore without awscrt (documented in the README)
# ---------------------------------------------------------------------------
_NO_CRT_SCRIPT = textwrap.dedent("""
    import sys
    sys.modules["awscrt"] = None  # botocore then runs as without botocore[crt]
    import botocore.awsrequest, botocore.session
    class EmptyRaw:
        def stream(self, **_):
            return iter(())
        def read(self, *_):
            return b""
    out = {}
    for name, bucket in (("mrap", sys.argv[1]), ("outposts", sys.argv[2])):
        client = botocore.session.Session().create_client(
            "s3", region_name="us-west-2", aws_access_key_id="AKIAFASTBOTOTESTFAKE",
            aws_secret_access_key="fake")
        seen = {}
        def before_send(request, **_):
            seen["auth"] = request.headers["Authorization"].decode().split(", Signature=")[0]
            return botocore.awsrequest.AWSResponse(request.url, 204, {}, EmptyRaw())
        client.meta.events.register_first("before-send.s3", before_send)
        try:
            client.delete_bucket_policy(Bucket=bucket)
            out[name] = seen["auth"]
        except Exception as e:
            out[name] = type(e).__name__
    print(repr(out))
""")


def test_without_awscrt_botocore_refuses_mrap_and_signs_outposts_with_sigv4():
    """botocore without awscrt: MissingDependencyException for an MRAP (its
    only scheme is SigV4a), and the Outposts endpoint's second scheme
    (SigV4). fastboto signs both with SigV4a, as botocore[crt] does."""
    done = subprocess.run([sys.executable, "-c", _NO_CRT_SCRIPT, MRAP, OUTPOSTS], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    out = eval(done.stdout.strip().splitlines()[-1])  # noqa: S307 - our own script's repr
    assert out["mrap"] == "MissingDependencyException"
    assert out["outposts"].startswith(
        f"AWS4-HMAC-SHA256 Credential={FAKE_ACCESS_KEY}/") and "/us-west-2/s3-outposts/aws4_request" in out["outposts"]
    for bucket, service in ((MRAP, "s3"), (OUTPOSTS, "s3-outposts")):
        kwargs = dict(region_name="us-west-2")
        prepared = fastboto_client(**kwargs).prepare_request("delete_bucket_policy", Bucket=bucket)
        verify_prepared(prepared, kwargs, region_set="*", service=service)


@needs_crt
@pytest.mark.parametrize("source", ["config", "environment", "config-file"])
@pytest.mark.parametrize("preference", ["sigv4", "sigv4a", "sigv4a,sigv4", "noAuth", "httpBearerAuth", "bogus"])
@pytest.mark.parametrize("bucket", ["my-bucket", MRAP, "mybucket--usw2-az1--x-s3"])
def test_auth_scheme_preference_does_not_steer_s3(source, preference, bucket, monkeypatch, tmp_path):
    """botocore applies auth_scheme_preference only where the client has no
    signature version of its own; an S3 client always has one (s3v4), so the
    endpoint's auth scheme signs whatever the preference says."""
    kwargs = dict(region_name="us-west-2")
    if source == "config":
        kwargs["config"] = {"auth_scheme_preference": preference}
    elif source == "environment":
        monkeypatch.setenv("AWS_AUTH_SCHEME_PREFERENCE", preference)
    else:
        config_file = tmp_path / "aws-config"
        config_file.write_text(f"[default]\nauth_scheme_preference = {preference}\n")
        monkeypatch.setenv("AWS_CONFIG_FILE", str(config_file))
    ours, theirs = prepared_pair(kwargs, "get_bucket_policy", dict(Bucket=bucket))
    assert_same_view(view(ours.method, ours.url, ours.headers.items(), ours.body),
                     view(theirs.method, theirs.url, theirs.headers.items(), theirs.body), (source, preference))
