"""Self-tests of the judging harness, with botocore only (no fastboto).

If these fail, the differential tests cannot be trusted: the capture server
must record requests exactly, verify_sigv4 must accept botocore's own
signatures and reject tampered ones, compare_requests must see differences,
and the canned error responses must mean to botocore what they claim.
"""

from __future__ import annotations

import base64
import dataclasses
import socket

import botocore.exceptions
import pytest

from support.capture_server import CannedResponse, CaptureServer
from support.reference import (
    FAKE_ACCESS_KEY,
    FAKE_SECRET_KEY,
    FAKE_SESSION_TOKEN,
    SECRETS,
    botocore_client,
    botocore_param_validation_error,
    botocore_supports_checksum,
    call_and_capture,
    compare_requests,
    expected_error_for,
    independent_checksum,
    parse_authorization,
    request_view,
    scrub,
    verify_sigv4,
)
from support.s3_responses import ERROR_RESPONSES


def _raw_exchange(port: int, payload: bytes, n_responses: int) -> bytes:
    """Send raw bytes; read back exactly n Content-Length-framed responses."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(payload)
        data = b""
        pos = 0
        for _ in range(n_responses):
            while b"\r\n\r\n" not in data[pos:]:
                chunk = s.recv(65536)
                assert chunk, "connection closed early"
                data += chunk
            head_end = data.index(b"\r\n\r\n", pos) + 4
            length = 0
            for line in data[pos:head_end].split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            while len(data) < head_end + length:
                chunk = s.recv(65536)
                assert chunk, "connection closed early"
                data += chunk
            pos = head_end + length
        return data


def test_capture_server_records_raw_request_and_keeps_alive():
    with CaptureServer(CannedResponse(201, [("X-Test", "yes")], b"ok")) as srv:
        payload = (
            b"PUT /b?policy HTTP/1.1\r\nHost: 127.0.0.1\r\nX-MiXeD-Case:  v1 \r\nx-dup: a\r\nx-dup: b\r\n"
            b"Content-Length: 5\r\n\r\nhello"
            b"POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
        )
        data = _raw_exchange(srv.port, payload, 2)
        assert data.count(b"HTTP/1.1 201 Created\r\n") == 2
        assert b"X-Test: yes\r\nContent-Length: 2\r\n\r\nok" in data
        r1, r2 = srv.requests
        assert (r1.method, r1.target, r1.body) == ("PUT", "/b?policy", b"hello")
        assert r1.headers == [("Host", "127.0.0.1"), ("X-MiXeD-Case", "v1"), ("x-dup", "a"), ("x-dup", "b"),
                              ("Content-Length", "5")]
        assert r1.raw_headers[1] == ("X-MiXeD-Case", b"  v1 ")
        assert r1.header_all("X-DUP") == ["a", "b"]
        assert (r1.path, r1.query) == ("/b", "policy")
        assert (r2.body, r2.chunked) == (b"abcde", True)
        assert r1.connection_id == r2.connection_id  # keep-alive: one connection


def test_capture_server_proxy_form_and_queue():
    with CaptureServer() as srv:
        srv.enqueue(CannedResponse(500), CannedResponse(404))
        payload = b"GET http://bkt.s3.amazonaws.com/?policy HTTP/1.1\r\nHost: bkt.s3.amazonaws.com\r\n\r\n" * 3
        data = _raw_exchange(srv.port, payload, 3)
        assert [line.split(b" ")[1] for line in data.split(b"\r\n") if line.startswith(b"HTTP/1.1")] == [
            b"500", b"404", b"200"]
        r = srv.requests[0]
        assert r.is_absolute_form and r.path_and_query == "/?policy" and r.target_authority == "bkt.s3.amazonaws.com"
        assert r.url() == "http://bkt.s3.amazonaws.com/?policy"


def test_capture_server_flags_malformed_requests():
    with CaptureServer() as srv:
        data = _raw_exchange(srv.port, b"GET / HTTP/1.1\r\nbad header line\r\n\r\n", 1)
        assert b" 400 " in data.split(b"\r\n")[0]
        assert srv.errors and not srv.requests


def _botocore_put(srv, **client_kw):
    kw = dict(region_name="us-east-1", endpoint_url=srv.url)
    kw.update(client_kw)
    c = botocore_client(**kw)
    return c


@pytest.mark.parametrize("with_token", [False, True], ids=["no-token", "token"])
def test_verify_sigv4_accepts_botocore_signatures(capture_server, with_token):
    token = FAKE_SESSION_TOKEN if with_token else None
    c = _botocore_put(capture_server, aws_session_token=token)
    for op, kw in [
        ("put_bucket_policy", dict(Bucket="my-bucket", Policy='{"é": "✓"}', ExpectedBucketOwner="é€ x",
                                   ConfirmRemoveSelfBucketAccess=True, ContentMD5="abc")),
        ("get_bucket_policy", dict(Bucket="My_Bucket.x")),
        ("delete_bucket_policy", dict(Bucket="a")),
    ]:
        out = call_and_capture(capture_server, c, op, **kw)
        assert out.error is None, scrub(out.error)
        verify_sigv4(out.request, FAKE_SECRET_KEY, access_key=FAKE_ACCESS_KEY, session_token=token,
                     region="us-east-1", service="s3")


def test_verify_sigv4_via_proxy_and_s3express(capture_server):
    c = botocore_client(region_name="us-west-2", use_ssl=False, config={"proxies": {"http": capture_server.proxy_url}})
    out = call_and_capture(capture_server, c, "put_bucket_policy", Bucket="bkt--usw2-az1--x-s3", Policy="{}")
    assert out.request.host == "s3express-control.us-west-2.amazonaws.com"
    verify_sigv4(out.request, service="s3express", region="us-west-2")


def test_verify_sigv4_over_tls(tls_capture_server):
    srv = tls_capture_server
    c = botocore_client(region_name="eu-west-1", endpoint_url=srv.url, verify=srv.ca_file)
    out = call_and_capture(srv, c, "put_bucket_policy", Bucket="tls-bucket", Policy="{}")
    assert out.error is None, scrub(out.error)
    assert out.request.tls
    verify_sigv4(out.request, region="eu-west-1")


@pytest.mark.parametrize(
    "tamper",
    ["body", "header", "path", "query", "signature", "secret", "unsigned-x-amz", "date", "host"],
)
def test_verify_sigv4_rejects_tampering(capture_server, tamper):
    c = _botocore_put(capture_server, aws_session_token=FAKE_SESSION_TOKEN)
    out = call_and_capture(capture_server, c, "put_bucket_policy", Bucket="bkt", Policy="{}", ExpectedBucketOwner="1")
    req = out.request
    verify_sigv4(req)
    secret = FAKE_SECRET_KEY

    def set_header(r, name, value):
        hs = [(k, value if k.lower() == name.lower() else v) for k, v in r.headers]
        return dataclasses.replace(r, headers=hs)

    if tamper == "body":
        req = dataclasses.replace(req, body=b"{ }")
    elif tamper == "header":
        req = set_header(req, "x-amz-expected-bucket-owner", "2")
    elif tamper == "path":
        req = dataclasses.replace(req, target=req.target.replace("/bkt", "/bkt2"))
    elif tamper == "query":
        req = dataclasses.replace(req, target=req.target.replace("?policy", "?acl"))
    elif tamper == "signature":
        auth = req.header("Authorization")
        last = auth[-1]
        req = set_header(req, "Authorization", auth[:-1] + ("0" if last != "0" else "1"))
    elif tamper == "secret":
        secret = FAKE_SECRET_KEY + "x"
    elif tamper == "unsigned-x-amz":
        req = dataclasses.replace(req, headers=req.headers + [("x-amz-acl", "private")])
    elif tamper == "date":
        d = req.header("X-Amz-Date")
        req = set_header(req, "X-Amz-Date", d[:-2] + ("00" if d[-3:-1] != "00" else "01") + "Z")
    elif tamper == "host":
        req = set_header(req, "host", "127.0.0.2:1")
    with pytest.raises(AssertionError) as ei:
        verify_sigv4(req, secret)
    text = str(ei.value)
    for s in SECRETS:
        assert s not in text
    assert parse_authorization(out.request.header("Authorization")).signature not in text


def test_compare_requests_equal_and_different(capture_server):
    c = _botocore_put(capture_server)
    a = call_and_capture(capture_server, c, "put_bucket_policy", Bucket="bkt", Policy="{}").request
    b = call_and_capture(capture_server, c, "put_bucket_policy", Bucket="bkt", Policy="{}").request
    compare_requests(a, b, check_user_agent=False)
    with pytest.raises(AssertionError, match="fastboto"):
        compare_requests(a, b)  # botocore's User-Agent does not name fastboto
    variants = [
        dict(Bucket="bkt2", Policy="{}"),
        dict(Bucket="bkt", Policy="{ }"),
        dict(Bucket="bkt", Policy="{}", ExpectedBucketOwner="1"),
        dict(Bucket="bkt", Policy="{}", ChecksumAlgorithm="SHA1"),
        dict(Bucket="bkt", Policy="{}", ChecksumAlgorithm="crc32"),
    ]
    for kw in variants:
        d = call_and_capture(capture_server, c, "put_bucket_policy", **kw).request
        with pytest.raises(AssertionError):
            compare_requests(d, a, check_user_agent=False)
    tok = call_and_capture(capture_server, _botocore_put(capture_server, aws_session_token=FAKE_SESSION_TOKEN),
                           "put_bucket_policy", Bucket="bkt", Policy="{}").request
    with pytest.raises(AssertionError) as ei:
        compare_requests(tok, a, check_user_agent=False)
    assert FAKE_SESSION_TOKEN not in str(ei.value)
    g = call_and_capture(capture_server, c, "get_bucket_policy", Bucket="bkt").request
    with pytest.raises(AssertionError, match="method"):
        compare_requests(g, a, check_user_agent=False)
    assert request_view(a).headers["content-length"] == "2"


def test_param_validation_oracle_for_botocore_type_errors(capture_server):
    c = _botocore_put(capture_server)
    params = dict(Bucket=1, Policy="p")
    out = call_and_capture(capture_server, c, "put_bucket_policy", **params)
    assert type(out.error) is TypeError and not out.requests
    exp = expected_error_for(out, "PutBucketPolicy", params)
    assert isinstance(exp, botocore.exceptions.ParamValidationError)
    assert str(exp) == (
        "Parameter validation failed:\nInvalid type for parameter Bucket, value: 1, "
        "type: <class 'int'>, valid types: <class 'str'>"
    )
    assert botocore_param_validation_error("PutBucketPolicy", dict(Bucket="b", Policy="p")) is None


@pytest.mark.parametrize("algorithm", ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256", "SHA512",
                                       "XXHASH64", "XXHASH3", "XXHASH128"])
def test_independent_checksums_agree_with_botocore(capture_server, algorithm):
    if not botocore_supports_checksum(algorithm):
        pytest.skip(f"this botocore cannot compute {algorithm} (botocore[crt] not installed)")
    indep = independent_checksum(algorithm, b"")
    if indep is None:
        pytest.skip(f"no independent implementation of {algorithm} installed (xxhash)")
    c = _botocore_put(capture_server)
    for policy in ["", "{}", "é" * 5000]:
        req = call_and_capture(capture_server, c, "put_bucket_policy", Bucket="b", Policy=policy,
                               ChecksumAlgorithm=algorithm).request
        assert req.header("x-amz-checksum-" + algorithm.lower()) == independent_checksum(algorithm, req.body)


def test_md5_oracle():
    assert independent_checksum("MD5", b"") == base64.b64encode(bytes.fromhex("d41d8cd98f00b204e9800998ecf8427e")).decode()


@pytest.mark.parametrize("name", sorted(ERROR_RESPONSES))
def test_error_fixtures_mean_what_they_say_to_botocore(capture_server, name):
    response, code = ERROR_RESPONSES[name]
    capture_server.set_response(response)
    c = _botocore_put(capture_server, config={"retries": {"max_attempts": 0}})
    out = call_and_capture(capture_server, c, "get_bucket_policy", Bucket="bkt")
    assert isinstance(out.error, botocore.exceptions.ClientError), scrub(out.error)
    assert out.error.response["Error"]["Code"] == code
    assert len(out.requests) == 1


def test_scrub_hides_secrets():
    text = f"x {FAKE_SECRET_KEY} y {FAKE_SESSION_TOKEN} Signature={'ab' * 32}"
    s = scrub(text)
    assert FAKE_SECRET_KEY not in s and FAKE_SESSION_TOKEN not in s and "ab" * 32 not in s


def test_substitute_checksum_reproduces_botocore(capture_server):
    """The MD5 expectation is built by swapping the checksum in botocore's SHA256 request;
    doing the same swap to reach SHA1/CRC32 must give exactly botocore's own SHA1/CRC32 request."""
    from support.reference import substitute_checksum

    c = _botocore_put(capture_server, aws_session_token=FAKE_SESSION_TOKEN)
    body = '{"é": 1}'
    base = call_and_capture(capture_server, c, "put_bucket_policy", Bucket="bkt", Policy=body,
                            ChecksumAlgorithm="SHA256", ExpectedBucketOwner="1").request
    for alg in ["SHA1", "CRC32", "sha1"]:
        real = call_and_capture(capture_server, c, "put_bucket_policy", Bucket="bkt", Policy=body,
                                ChecksumAlgorithm=alg, ExpectedBucketOwner="1").request
        swapped = substitute_checksum(request_view(base), alg, body.encode(), independent_checksum(alg, body.encode()))
        compare_requests(request_view(real), swapped)
        with pytest.raises(AssertionError):
            compare_requests(request_view(real), substitute_checksum(request_view(base), alg, body.encode(), "AAAA"))
