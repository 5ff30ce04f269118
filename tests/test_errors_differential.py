"""Responses and errors: fastboto's parsed results and exceptions vs botocore's.

The capture server answers both clients with the same canned response (S3
XML errors, proxy HTML pages, empty bodies, successes with request ids) and
the results must be equal: the ClientError's class name, str(), .response
dict and operation_name; the success dict including ResponseMetadata.

Retries: most tests use retries={"max_attempts": 0} on both clients so a
5xx is not retried; the retry tests configure both alike and require the
same number of attempts, the same RetryAttempts/MaxAttemptsReached and the
same str() ("reached max retries: N").
"""

from __future__ import annotations

import socket

import botocore.exceptions
import pytest

import fastboto  # noqa: F401  -- a missing fastboto must fail this module, not skip it
from support.capture_server import CannedResponse
from support.ours import client_pair, fastboto_client, run_both
from support.reference import (
    assert_same_error,
    call_and_capture,
    compare_requests,
    scrub,
    verify_sigv4,
)
from support.s3_responses import AMZ_IDS, COMMON, ERROR_RESPONSES, ok, xml_error

NO_RETRY = {"retries": {"max_attempts": 0}}
OPERATIONS = {
    "put_bucket_policy": dict(Bucket="my-bucket", Policy='{"Version": "2012-10-17"}'),
    "get_bucket_policy": dict(Bucket="my-bucket"),
    "delete_bucket_policy": dict(Bucket="my-bucket"),
}


def custom(server, config=NO_RETRY, **kw):
    return dict(region_name="us-east-1", endpoint_url=server.url, config=config, **kw)


def assert_same_outcome(ours, theirs, ours_client=None):
    """Same error (class, str, .response, operation_name) or same result; same requests."""
    __tracebackhide__ = True
    if theirs.error is not None:
        assert_same_error(ours.error, theirs.error)
        if isinstance(theirs.error, botocore.exceptions.ClientError):
            assert ours.error.response == theirs.error.response, (
                f"ClientError.response differs:\n ours:   {ours.error.response}\n theirs: {theirs.error.response}")
            assert ours.error.operation_name == theirs.error.operation_name
            if ours_client is not None:
                code = theirs.error.response["Error"]["Code"]
                assert isinstance(ours.error, ours_client.exceptions.from_code(code))
                assert isinstance(ours.error, ours_client.exceptions.ClientError)
    else:
        assert ours.error is None, f"fastboto raised {type(ours.error).__name__}: {scrub(ours.error)}"
        assert ours.result == theirs.result, f"result differs:\n ours:   {ours.result}\n theirs: {theirs.result}"
    assert len(ours.requests) == len(theirs.requests), (
        f"fastboto sent {len(ours.requests)} request(s), botocore {len(theirs.requests)}")
    for o, t in zip(ours.requests, theirs.requests):
        compare_requests(o, t)
        verify_sigv4(o)


def both(server, operation, params=None, client_kwargs=None):
    client_kwargs = client_kwargs or custom(server)
    params = OPERATIONS[operation] if params is None else params
    ours_c, theirs_c = client_pair(**client_kwargs)
    theirs = call_and_capture(server, theirs_c, operation, **params)
    ours = call_and_capture(server, ours_c, operation, **params)
    assert_same_outcome(ours, theirs, ours_c)
    return ours, theirs, ours_c


# ---------------------------------------------------------------------------
# error responses
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("name", list(ERROR_RESPONSES))
def test_error_responses(capture_server, operation, name):
    response, _code = ERROR_RESPONSES[name]
    capture_server.set_response(response)
    ours, theirs, _ = both(capture_server, operation)
    assert isinstance(ours.error, botocore.exceptions.ClientError)
    assert isinstance(ours.error, fastboto.exceptions.ClientError)


def test_no_such_bucket_is_modeled_exception(capture_server):
    capture_server.set_response(ERROR_RESPONSES["NoSuchBucket-404"][0])
    ours, theirs, ours_c = both(capture_server, "put_bucket_policy")
    assert type(ours.error).__name__ == "NoSuchBucket"
    assert isinstance(ours.error, ours_c.exceptions.NoSuchBucket)
    assert ours_c.exceptions.from_code("NoSuchBucket") is ours_c.exceptions.NoSuchBucket
    with pytest.raises(ours_c.exceptions.NoSuchBucket):
        ours_c.get_bucket_policy(Bucket="gone")
    with pytest.raises(botocore.exceptions.ClientError):
        ours_c.delete_bucket_policy(Bucket="gone")


def test_exceptions_from_code_matches_botocore():
    ours_c, theirs_c = client_pair(region_name="us-east-1")
    codes = sorted(theirs_c.exceptions._code_to_exception) + [
        "MalformedPolicy", "NoSuchBucketPolicy", "403", "502", "SlowDown", "Unknown", ""]
    for code in codes:
        theirs_cls = theirs_c.exceptions.from_code(code)
        ours_cls = ours_c.exceptions.from_code(code)
        assert ours_cls.__name__ == theirs_cls.__name__, code
        assert issubclass(ours_cls, botocore.exceptions.ClientError)
        assert issubclass(ours_cls, ours_c.exceptions.ClientError)
        if theirs_cls is not theirs_c.exceptions.ClientError:
            assert getattr(ours_c.exceptions, code) is ours_cls


@pytest.mark.parametrize("status,body", [
    (500, b""),
    (503, b"<html><body>Service Unavailable</body></html>"),
    (504, b"Gateway Timeout"),
    (599, b""),
])
def test_5xx_without_retries(capture_server, status, body):
    capture_server.set_response(CannedResponse(status, [("Content-Type", "text/html")], body))
    both(capture_server, "get_bucket_policy")


def test_error_caught_as_botocore_client_error(capture_server):
    capture_server.set_response(ERROR_RESPONSES["AccessDenied-403"][0])
    c = fastboto_client(**custom(capture_server))
    try:
        c.put_bucket_policy(Bucket="b", Policy="{}")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "AccessDenied"
    else:
        pytest.fail("no ClientError raised")


S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"
# botocore compares ElementTree's root tag with 'Error': a namespaced root
# ({uri}Error) takes its generic rest-xml branch (Code and Message '' under
# Error, the children at the top level of .response); child tags lose their
# namespace either way.
NAMESPACED_ERRORS = {
    "default-namespace": (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Error xmlns="{S3_NS}"><Code>AccessDenied</Code>'
        "<Message>Access Denied</Message><RequestId>REQ123</RequestId><HostId>HOST456</HostId></Error>"),
    "default-namespace-nested": (
        f'<Error xmlns="{S3_NS}"><Code>NoSuchBucket</Code><Message>m</Message>'
        "<Detail><Reason>x</Reason></Detail></Error>"),
    "prefixed": (
        f'<s3:Error xmlns:s3="{S3_NS}"><s3:Code>NoSuchBucket</s3:Code><s3:Message>m</s3:Message></s3:Error>'),
    "default-undeclared": '<Error xmlns=""><Code>AccessDenied</Code><Message>m</Message></Error>',
    "namespaced-children-only": (
        '<Error><Code xmlns="urn:x">NoSuchBucket</Code><p:Message xmlns:p="urn:p">m</p:Message></Error>'),
}


@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("name", list(NAMESPACED_ERRORS))
def test_namespaced_error_body(capture_server, operation, name):
    capture_server.set_response(CannedResponse(
        403, COMMON + AMZ_IDS + [("Content-Type", "application/xml")], NAMESPACED_ERRORS[name].encode()))
    ours, theirs, _ = both(capture_server, operation)
    if name.startswith("default-namespace") or name == "prefixed":
        assert theirs.error.response["Error"] == {"Message": "", "Code": ""}, "harness: botocore changed"


def test_namespaced_error_document_in_a_200_is_not_an_error(capture_server):
    """botocore's 200-error check also compares root.tag with 'Error'."""
    capture_server.set_response(ok(200, NAMESPACED_ERRORS["default-namespace"].encode()))
    ours, theirs, _ = both(capture_server, "get_bucket_acl", dict(Bucket="my-bucket"))
    assert theirs.error is None


@pytest.mark.parametrize("retry_mode", ["legacy", "standard", "adaptive"])
@pytest.mark.parametrize("body", [b'{"Sid": "caf\xe9"}', b"\xff", b'{"a": 1}\xed\xa0\x80', b"\xe2\x82"],
                         ids=["latin-1", "lone-ff", "encoded-surrogate", "truncated"])
def test_non_utf8_policy_raises_unicode_decode_error(capture_server, retry_mode, body):
    """botocore decodes GetBucketPolicy's payload with bytes.decode('utf-8'): UnicodeDecodeError, not retried."""
    capture_server.set_response(ok(200, body, [("Content-Type", "application/json")]))
    kw = custom(capture_server, config={"retries": {"mode": retry_mode}})
    ours, theirs, _ = both(capture_server, "get_bucket_policy", client_kwargs=kw)
    assert type(theirs.error) is UnicodeDecodeError  # noqa: E721 - exact type
    assert type(ours.error) is UnicodeDecodeError  # noqa: E721
    assert ours.error.args == theirs.error.args
    assert len(ours.requests) == 1


# ---------------------------------------------------------------------------
# successes
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("status", [200, 204])
def test_put_success_result(capture_server, status):
    capture_server.set_response(ok(status))
    both(capture_server, "put_bucket_policy")


@pytest.mark.parametrize("status", [200, 204])
def test_delete_success_result(capture_server, status):
    capture_server.set_response(ok(status))
    both(capture_server, "delete_bucket_policy")


@pytest.mark.parametrize("policy", [
    '{"Version":"2012-10-17","Statement":[]}', "", '{"Sid": "日本語 ✓ é 🚀"}', "x" * 30000, "  {\r\n}\n  ",
], ids=["typical", "empty", "unicode", "30KB", "whitespace"])
def test_get_success_result(capture_server, policy):
    capture_server.set_response(ok(200, policy.encode("utf-8"), [("Content-Type", "application/json")]))
    ours, _, _ = both(capture_server, "get_bucket_policy")
    assert ours.result["Policy"] == policy


def test_get_success_chunked_response(capture_server):
    body = '{"Version": "2012-10-17", "Statement": ["é"]}'.encode()
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 7]), body[i:i + 7]) for i in range(0, len(body), 7)) + b"0\r\n\r\n"
    capture_server.set_response(CannedResponse(200, COMMON + AMZ_IDS + [("Transfer-Encoding", "chunked")], chunked))
    both(capture_server, "get_bucket_policy")


def test_success_without_request_ids_and_with_odd_headers(capture_server):
    capture_server.set_response(CannedResponse(
        200, [("X-Custom", "one"), ("x-custom", "two"), ("X-Amz-Bucket-Region", "eu-west-1"), ("ETag", '"abc"')],
        b"{}"))
    both(capture_server, "get_bucket_policy")


def test_connection_close_between_calls(capture_server):
    capture_server.set_response(CannedResponse(200, AMZ_IDS, b"{}", close=True))
    ours_c, theirs_c = client_pair(**custom(capture_server))
    for _ in range(3):
        theirs = call_and_capture(capture_server, theirs_c, "get_bucket_policy", Bucket="b")
        ours = call_and_capture(capture_server, ours_c, "get_bucket_policy", Bucket="b")
        assert_same_outcome(ours, theirs)


def test_keep_alive_reuses_connection(capture_server):
    capture_server.set_response(ok(204))
    c = fastboto_client(**custom(capture_server))
    for _ in range(5):
        c.delete_bucket_policy(Bucket="b")
    ids = {r.connection_id for r in capture_server.requests}
    assert len(capture_server.requests) == 5
    assert len(ids) == 1, f"fastboto opened {len(ids)} connections for 5 serial calls"


# ---------------------------------------------------------------------------
# retries
# ---------------------------------------------------------------------------
# Config's max_attempts counts retries (total = max_attempts + 1) in both
# modes; total_max_attempts counts all attempts.
@pytest.mark.parametrize("retries,expected_attempts", [
    ({"mode": "legacy", "max_attempts": 1}, 2),
    ({"mode": "standard", "max_attempts": 1}, 2),
    ({"mode": "standard", "max_attempts": 0}, 1),
    ({"total_max_attempts": 2}, 2),
    ({"mode": "standard", "total_max_attempts": 1}, 1),
], ids=["legacy-max1", "standard-max1", "standard-max0", "total2", "standard-total1"])
def test_retries_on_5xx(capture_server, retries, expected_attempts):
    capture_server.set_response(xml_error(500, "InternalError", "We encountered an internal error. Please try again."))
    ours, theirs, _ = both(capture_server, "put_bucket_policy", client_kwargs=custom(capture_server, {"retries": retries}))
    assert len(theirs.requests) == expected_attempts  # the harness' own expectation of botocore


def test_retry_then_success(capture_server):
    capture_server.set_response(ok(204))
    kw = custom(capture_server, {"retries": {"mode": "standard", "max_attempts": 3}})
    ours_c, theirs_c = client_pair(**kw)
    capture_server.enqueue(xml_error(503, "SlowDown", "Please reduce your request rate."))
    theirs = call_and_capture(capture_server, theirs_c, "delete_bucket_policy", Bucket="b")
    capture_server.enqueue(xml_error(503, "SlowDown", "Please reduce your request rate."))
    ours = call_and_capture(capture_server, ours_c, "delete_bucket_policy", Bucket="b")
    assert theirs.result["ResponseMetadata"]["RetryAttempts"] == 1
    assert_same_outcome(ours, theirs)


def test_4xx_is_not_retried(capture_server):
    capture_server.set_response(ERROR_RESPONSES["AccessDenied-403"][0])
    both(capture_server, "put_bucket_policy",
         client_kwargs=custom(capture_server, {"retries": {"mode": "standard", "max_attempts": 3}}))


# ---------------------------------------------------------------------------
# S3 region redirects (SPEC §4)
# ---------------------------------------------------------------------------
REDIRECTS = {
    "301-permanent-redirect": xml_error(
        301, "PermanentRedirect",
        "The bucket you are attempting to access must be addressed using the specified endpoint.",
        headers=[("x-amz-bucket-region", "eu-west-1")], Endpoint="my-bucket.s3.eu-west-1.amazonaws.com",
        Bucket="my-bucket"),
    "400-authorization-header-malformed": xml_error(
        400, "AuthorizationHeaderMalformed",
        "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'",
        headers=[("x-amz-bucket-region", "eu-west-1")], Region="eu-west-1"),
    "400-malformed-region-in-body-only": xml_error(
        400, "AuthorizationHeaderMalformed", "The authorization header is malformed", Region="ap-south-1"),
    "400-illegal-location-constraint": xml_error(
        400, "IllegalLocationConstraintException", "The eu-south-1 location constraint is not valid.",
        headers=[("x-amz-bucket-region", "eu-south-1")]),
    "307-temporary-redirect": xml_error(
        307, "TemporaryRedirect", "Please re-send this request to the specified temporary endpoint.",
        headers=[("x-amz-bucket-region", "eu-west-1"),
                 ("Location", "http://my-bucket.s3-eu-west-1.amazonaws.com/?policy")],
        Endpoint="my-bucket.s3-eu-west-1.amazonaws.com"),
}


def _proxy(server, config=None):
    cfg = dict(NO_RETRY, proxies={"http": server.proxy_url}, **(config or {}))
    return dict(region_name="us-east-1", use_ssl=False, config=cfg)


@pytest.mark.parametrize("mode", ["proxy", "custom"])
@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("name", list(REDIRECTS))
def test_region_redirect(capture_server, mode, operation, name):
    """A wrong-region error is retried once against the bucket's region (new host, new signing region)."""
    final = ok(200, b"{}") if operation == "get_bucket_policy" else ok(204)
    capture_server.set_response(final)
    kw = _proxy(capture_server) if mode == "proxy" else custom(capture_server)
    ours_c, theirs_c = client_pair(**kw)
    capture_server.enqueue(REDIRECTS[name])
    theirs = call_and_capture(capture_server, theirs_c, operation, **OPERATIONS[operation])
    capture_server.enqueue(REDIRECTS[name])
    ours = call_and_capture(capture_server, ours_c, operation, **OPERATIONS[operation])
    assert len(theirs.requests) == 2, "harness: botocore did not redirect"
    assert_same_outcome(ours, theirs)


@pytest.mark.parametrize("mode", ["proxy", "custom"])
def test_region_redirect_only_once(capture_server, mode):
    capture_server.set_response(REDIRECTS["301-permanent-redirect"])
    kw = _proxy(capture_server) if mode == "proxy" else custom(capture_server)
    ours_c, theirs_c = client_pair(**kw)
    theirs = call_and_capture(capture_server, theirs_c, "put_bucket_policy", **OPERATIONS["put_bucket_policy"])
    ours = call_and_capture(capture_server, ours_c, "put_bucket_policy", **OPERATIONS["put_bucket_policy"])
    assert_same_outcome(ours, theirs)


def test_region_redirect_is_remembered_per_bucket(capture_server):
    """botocore's redirector caches the bucket's region: the next call goes there directly."""
    capture_server.set_response(ok(204))
    ours_c, theirs_c = client_pair(**_proxy(capture_server))
    outcomes = {}
    for label, c in (("theirs", theirs_c), ("ours", ours_c)):
        capture_server.enqueue(REDIRECTS["301-permanent-redirect"])
        first = call_and_capture(capture_server, c, "delete_bucket_policy", Bucket="my-bucket")
        second = call_and_capture(capture_server, c, "delete_bucket_policy", Bucket="my-bucket")
        other = call_and_capture(capture_server, c, "delete_bucket_policy", Bucket="other-bucket")
        outcomes[label] = (first, second, other)
    for o, t in zip(outcomes["ours"], outcomes["theirs"]):
        assert_same_outcome(o, t)


_ACL_XML = (b'<?xml version="1.0" encoding="UTF-8"?><AccessControlPolicy '
            b'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>o</ID></Owner>'
            b'<AccessControlList></AccessControlList></AccessControlPolicy>')
ACL_OPERATIONS = {
    "put_bucket_acl": (dict(Bucket="my-bucket", ACL="private"), ok(200)),
    "get_bucket_acl": (dict(Bucket="my-bucket"), ok(200, _ACL_XML)),
}


@pytest.mark.parametrize("operation", list(ACL_OPERATIONS))
@pytest.mark.parametrize("name", ["301-permanent-redirect", "400-authorization-header-malformed",
                                  "400-illegal-location-constraint"])
def test_region_redirect_of_acl_calls(capture_server, operation, name):
    params, final = ACL_OPERATIONS[operation]
    capture_server.set_response(final)
    ours_c, theirs_c = client_pair(**_proxy(capture_server))
    capture_server.enqueue(REDIRECTS[name])
    theirs = call_and_capture(capture_server, theirs_c, operation, **params)
    capture_server.enqueue(REDIRECTS[name])
    ours = call_and_capture(capture_server, ours_c, operation, **params)
    assert len(theirs.requests) == 2, "harness: botocore did not redirect"
    assert_same_outcome(ours, theirs)


@pytest.mark.parametrize("config", [{"use_fips_endpoint": True}, {"use_dualstack_endpoint": True},
                                    {"s3": {"addressing_style": "path"}}, {"signature_version": "s3"}],
                         ids=["fips", "dualstack", "path-style", "sigv2"])
def test_region_redirect_under_endpoint_variants(capture_server, config):
    capture_server.set_response(ok(204))
    ours_c, theirs_c = client_pair(**_proxy(capture_server, config))
    capture_server.enqueue(REDIRECTS["301-permanent-redirect"])
    theirs = call_and_capture(capture_server, theirs_c, "delete_bucket_policy", Bucket="my-bucket")
    capture_server.enqueue(REDIRECTS["301-permanent-redirect"])
    ours = call_and_capture(capture_server, ours_c, "delete_bucket_policy", Bucket="my-bucket")
    assert len(theirs.requests) == 2, "harness: botocore did not redirect"
    assert len(ours.requests) == 2
    assert [r.url() for r in ours.requests] == [r.url() for r in theirs.requests]
    assert ours.error is None and theirs.error is None


def test_access_point_arn_is_not_redirected(capture_server):
    """botocore's redirector leaves ARN buckets alone: the 301 is the error."""
    capture_server.set_response(REDIRECTS["301-permanent-redirect"])
    arn = "arn:aws:s3:us-east-1:123456789012:accesspoint/myap"
    ours, theirs = run_both(capture_server, "delete_bucket_policy", _proxy(capture_server), {"Bucket": arn})
    assert len(theirs.requests) == 1, "premise: botocore does not redirect ARN buckets"
    assert_same_outcome(ours, theirs)


def test_bucket_region_cache_belongs_to_one_client(capture_server):
    """A second client knows nothing of the first one's redirect: it is
    redirected again."""
    capture_server.set_response(ok(204))
    outcomes = []
    for _ in range(2):
        ours_c, theirs_c = client_pair(**_proxy(capture_server))
        capture_server.enqueue(REDIRECTS["301-permanent-redirect"])
        theirs = call_and_capture(capture_server, theirs_c, "delete_bucket_policy", Bucket="my-bucket")
        capture_server.enqueue(REDIRECTS["301-permanent-redirect"])
        ours = call_and_capture(capture_server, ours_c, "delete_bucket_policy", Bucket="my-bucket")
        outcomes.append((ours, theirs))
    for ours, theirs in outcomes:
        assert len(theirs.requests) == 2
        assert_same_outcome(ours, theirs)


# Redirect-like errors that name no region (no x-amz-bucket-region header, no
# <Region> in the body): botocore's S3RegionRedirectorv2.get_bucket_region
# sends HeadBucket (a call of its own: new invocation id, its own retries and
# redirect), takes x-amz-bucket-region from its response or from the
# ClientError it raised, and re-sends the original call there once.
NO_REGION_REDIRECTS = {
    "301-permanent-redirect": xml_error(
        301, "PermanentRedirect",
        "The bucket you are attempting to access must be addressed using the specified endpoint.",
        Endpoint="my-bucket.s3.eu-west-1.amazonaws.com", Bucket="my-bucket"),
    "307-temporary-redirect": xml_error(
        307, "TemporaryRedirect", "Please re-send this request to the specified temporary endpoint."),
    "400-illegal-location-constraint": xml_error(
        400, "IllegalLocationConstraintException", "The eu-south-1 location constraint is not valid."),
    # 'Region' in the error, but empty: a redirect, and no region from it.
    "400-authorization-header-malformed-empty-region": xml_error(
        400, "AuthorizationHeaderMalformed", "The authorization header is malformed", Region=""),
}


def _head(status, region="eu-west-1"):
    """A HeadBucket answer (no body), with x-amz-bucket-region unless region is None."""
    return CannedResponse(status, COMMON + AMZ_IDS + ([("x-amz-bucket-region", region)] if region else []))


# What the HEAD requests get, in order (the first one goes to the client's region).
HEAD_ANSWERS = {
    "301-with-region": [_head(301), _head(200)],  # HeadBucket is itself redirected
    "200-with-region": [_head(200)],
    "403-with-region": [_head(403)],  # ClientError from head_bucket: headers still read
    "404-with-region": [_head(404)],
    "400-with-region": [_head(400), _head(200)],  # HeadBucket's special 400 redirect
    "301-to-us-east-1": [_head(301, "us-east-1"), _head(200)],
    "200-without-region": [_head(200, None)],  # no region: the original error stands
    "403-without-region": [_head(403, None)],
    "400-without-region": [_head(400, None)],
    "301-then-301-without-region": [_head(301), _head(301, None)],  # redirected once only
    "invalid-region": [_head(200, "not a region!")],  # InvalidRegionError
}


def _sequence(outcome):
    """(method, host, path, which invocation, amz-sdk-request) of each request sent."""
    ids = {}
    return [
        (r.method, r.host, r.path_and_query, ids.setdefault(r.header("amz-sdk-invocation-id"), len(ids)),
         r.header("amz-sdk-request"))
        for r in outcome.requests
    ]


def _signing_regions(outcome):
    return [(r.header("Authorization") or "").split("/")[2:3] for r in outcome.requests]


def _redirect_via_head(server, kw, operation, answers):
    final = ok(200, b"{}") if operation == "get_bucket_policy" else ok(204)
    server.set_response(final)
    ours_c, theirs_c = client_pair(**kw)
    server.enqueue(*answers)
    theirs = call_and_capture(server, theirs_c, operation, **OPERATIONS[operation])
    server.enqueue(*answers)
    ours = call_and_capture(server, ours_c, operation, **OPERATIONS[operation])
    assert "HEAD" in [r.method for r in theirs.requests], "harness: botocore did not ask HeadBucket"
    assert_same_outcome(ours, theirs)
    assert _sequence(ours) == _sequence(theirs)
    assert _signing_regions(ours) == _signing_regions(theirs)
    return ours, theirs


@pytest.mark.parametrize("mode", ["proxy", "custom"])
@pytest.mark.parametrize("head", list(HEAD_ANSWERS))
def test_region_redirect_without_region_asks_head_bucket(capture_server, mode, head):
    kw = _proxy(capture_server) if mode == "proxy" else custom(capture_server)
    answers = [NO_REGION_REDIRECTS["301-permanent-redirect"]] + HEAD_ANSWERS[head]
    _redirect_via_head(capture_server, kw, "delete_bucket_policy", answers)


@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("name", list(NO_REGION_REDIRECTS))
def test_each_redirect_without_region_asks_head_bucket(capture_server, operation, name):
    answers = [NO_REGION_REDIRECTS[name]] + HEAD_ANSWERS["301-with-region"]
    ours, theirs = _redirect_via_head(capture_server, _proxy(capture_server), operation, answers)
    assert [r.method for r in theirs.requests][1:3] == ["HEAD", "HEAD"]


def test_head_bucket_path_style(capture_server):
    """HEAD /my-bucket when path-style."""
    kw = _proxy(capture_server, {"s3": {"addressing_style": "path"}})
    answers = [NO_REGION_REDIRECTS["301-permanent-redirect"]] + HEAD_ANSWERS["301-with-region"]
    ours, _ = _redirect_via_head(capture_server, kw, "put_bucket_policy", answers)
    assert [r.path_and_query for r in ours.requests][1:3] == ["/my-bucket", "/my-bucket"]


def test_head_bucket_signed_with_hmac_v1(capture_server):
    """signature_version="s3": HeadBucket is signed as botocore's HmacV1Auth signs it."""
    from test_stores import hmac_v1_signature

    capture_server.set_response(ok(204))
    kw = _proxy(capture_server, {"signature_version": "s3"})
    ours_c, theirs_c = client_pair(**kw)
    answers = [NO_REGION_REDIRECTS["301-permanent-redirect"]] + HEAD_ANSWERS["301-with-region"]
    capture_server.enqueue(*answers)
    theirs = call_and_capture(capture_server, theirs_c, "delete_bucket_policy", Bucket="my-bucket")
    capture_server.enqueue(*answers)
    ours = call_and_capture(capture_server, ours_c, "delete_bucket_policy", Bucket="my-bucket")
    assert ours.error is None and theirs.error is None, scrub(f"{ours.error!r} {theirs.error!r}")
    assert ours.result == theirs.result
    assert [s[:4] for s in _sequence(ours)] == [s[:4] for s in _sequence(theirs)]
    assert [r.method for r in ours.requests] == ["DELETE", "HEAD", "HEAD", "DELETE"]
    for r in ours.requests:
        assert r.header("Authorization") == hmac_v1_signature(r), "HmacV1 signature differs from botocore's"


@pytest.mark.parametrize("retry_mode", ["standard", "adaptive", "legacy"])
def test_head_bucket_is_retried_as_its_own_call(capture_server, retry_mode):
    """HeadBucket's 5xx answers are retried under its own invocation id; its x-amz-bucket-region still counts."""
    kw = _proxy(capture_server)
    kw["config"] = dict(kw["config"], retries={"mode": retry_mode, "max_attempts": 3})
    answers = [NO_REGION_REDIRECTS["301-permanent-redirect"], _head(500), _head(503), _head(200)]
    _redirect_via_head(capture_server, kw, "delete_bucket_policy", answers)


def test_region_found_by_head_bucket_is_remembered(capture_server):
    capture_server.set_response(ok(204))
    ours_c, theirs_c = client_pair(**_proxy(capture_server))
    outcomes = {}
    for label, c in (("theirs", theirs_c), ("ours", ours_c)):
        capture_server.enqueue(NO_REGION_REDIRECTS["301-permanent-redirect"], *HEAD_ANSWERS["200-with-region"])
        first = call_and_capture(capture_server, c, "delete_bucket_policy", Bucket="my-bucket")
        second = call_and_capture(capture_server, c, "get_bucket_policy", Bucket="my-bucket")
        outcomes[label] = (first, second)
    for o, t in zip(outcomes["ours"], outcomes["theirs"]):
        assert_same_outcome(o, t)
        assert _sequence(o) == _sequence(t)
    assert len(outcomes["theirs"][1].requests) == 1


def test_head_bucket_redirected_without_region_forever(capture_server):
    """botocore recurses (HEAD, redirected, asks HEAD again...) until RecursionError; fastboto
    raises RecursionError too, after fewer requests."""
    noreg = NO_REGION_REDIRECTS["301-permanent-redirect"]
    capture_server.set_response(lambda req: _head(301, None) if req.method == "HEAD" else noreg)
    ours_c, theirs_c = client_pair(**_proxy(capture_server))
    theirs = call_and_capture(capture_server, theirs_c, "delete_bucket_policy", Bucket="my-bucket")
    ours = call_and_capture(capture_server, ours_c, "delete_bucket_policy", Bucket="my-bucket")
    assert type(theirs.error) is RecursionError  # noqa: E721 - exact type
    assert type(ours.error) is RecursionError  # noqa: E721
    assert 2 < len(ours.requests) <= len(theirs.requests)
    assert {r.method for r in ours.requests[1:]} == {"HEAD"}


# ---------------------------------------------------------------------------
# transport errors
# ---------------------------------------------------------------------------
def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_endpoint_connection_error(operation):
    kw = dict(region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{_closed_port()}", config=NO_RETRY)
    ours_c, theirs_c = client_pair(**kw)
    with pytest.raises(Exception) as theirs:
        getattr(theirs_c, operation)(**OPERATIONS[operation])
    with pytest.raises(Exception) as ours:
        getattr(ours_c, operation)(**OPERATIONS[operation])
    assert_same_error(ours.value, theirs.value)
    assert isinstance(ours.value, fastboto.exceptions.EndpointConnectionError)


def test_connection_closed_error(capture_server):
    capture_server.set_response(CannedResponse(drop=True))
    ours, theirs = run_both(capture_server, "put_bucket_policy", custom(capture_server), OPERATIONS["put_bucket_policy"])
    assert_same_error(ours.error, theirs.error)
    assert len(ours.requests) == len(theirs.requests) == 1


def test_read_timeout_error(capture_server):
    capture_server.set_response(CannedResponse(204, delay=1.5))
    kw = custom(capture_server, dict(NO_RETRY, read_timeout=0.3))
    ours, theirs = run_both(capture_server, "delete_bucket_policy", kw, OPERATIONS["delete_bucket_policy"])
    assert_same_error(ours.error, theirs.error)
    assert isinstance(ours.error, botocore.exceptions.ReadTimeoutError)
    assert len(ours.requests) == len(theirs.requests) == 1


def test_connection_error_retried_like_botocore(capture_server):
    capture_server.set_response(CannedResponse(drop=True))
    kw = custom(capture_server, {"retries": {"mode": "standard", "max_attempts": 1}})
    ours, theirs = run_both(capture_server, "delete_bucket_policy", kw, OPERATIONS["delete_bucket_policy"])
    assert_same_error(ours.error, theirs.error)
    assert len(ours.requests) == len(theirs.requests) == 2


def test_exception_hierarchy_as_botocore():
    """Each fastboto exception class has, among fastboto's classes, the
    ancestors its botocore namesake has among botocore's (so
    ``except fastboto.exceptions.X`` catches what botocore's would)."""
    import fastboto.exceptions as ours_module

    compared = 0
    for name in dir(ours_module):
        ours = getattr(ours_module, name)
        theirs = getattr(botocore.exceptions, name, None)
        if not (isinstance(ours, type) and issubclass(ours, BaseException) and isinstance(theirs, type)):
            continue
        our_chain = [k.__name__ for k in ours.__mro__ if k.__module__ == ours_module.__name__]
        their_chain = [k.__name__ for k in theirs.__mro__
                       if k.__module__ == "botocore.exceptions" and hasattr(ours_module, k.__name__)]
        assert our_chain == their_chain, name
        compared += 1
    assert compared >= 40


def test_client_exceptions_dir_lists_the_modeled_classes():
    ours, theirs = client_pair(region_name="us-east-1")
    modeled = lambda c: {n for n in dir(c.exceptions)  # noqa: E731
                         if isinstance(getattr(c.exceptions, n, None), type)}
    assert modeled(theirs) == modeled(ours) >= {"ClientError", "NoSuchBucket", "BucketAlreadyExists"}


def test_error_body_with_two_codes(capture_server):
    """README: botocore's error factory fails on the dict its parser makes
    of two <Code> elements; fastboto raises the ClientError with that code."""
    body = b'<?xml version="1.0"?><Error><Code>A</Code><Code>B</Code><Message>m</Message></Error>'
    capture_server.set_response(CannedResponse(400, [("Content-Type", "application/xml")], body))
    ours, theirs = run_both(capture_server, "get_bucket_policy", custom(capture_server), {"Bucket": "b"})
    assert isinstance(theirs.error, TypeError), "premise"
    assert isinstance(ours.error, botocore.exceptions.ClientError)
    assert ours.error.response["Error"] == {"Code": {}, "Message": "m"}
    assert len(ours.requests) == len(theirs.requests) == 1


def test_nested_service_error_classes_are_botocores():
    """The STS and SSO errors the credential providers raise get the class
    names botocore's error factory gives them: every modeled error of the
    installed botocore's models, by code (botocore 1.44 added nine to STS)."""
    import botocore.session

    from fastboto.exceptions import _NESTED_SERVICE_ERRORS

    session = botocore.session.get_session()
    for service, ours in _NESTED_SERVICE_ERRORS.items():
        model = session.get_service_model(service)
        theirs = {shape.metadata.get("error", {}).get("code") or shape.name: shape.name
                  for shape in model.error_shapes}
        assert ours == theirs, service
