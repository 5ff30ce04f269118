"""put/get/delete_bucket_policy: fastboto's request vs botocore's, byte for byte.

Every call is sent by fastboto and by botocore (the oracle) to a capture
server and compared with compare_requests (method, host, path, query, body,
the SPEC §4 headers, SignedHeaders, credential scope); fastboto's signature
is recomputed with botocore's signer (verify_sigv4); results must be equal.
Bad inputs must raise what botocore raises (class name and str()) and send
nothing.

Two ways of reaching the capture server:
- CUSTOM: endpoint_url = the capture server (what MinIO/Ceph users do);
- PROXY:  no endpoint_url, use_ssl=False and the capture server as HTTP proxy,
          so the real AWS host names chosen by the endpoint rules are visible
          (``PUT http://bkt.s3.cn-north-1.amazonaws.com.cn/?policy``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import shlex
import shutil
import subprocess

import botocore.exceptions
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fastboto  # noqa: F401  -- a missing fastboto must fail this module, not skip it
from support.capture_server import CapturedRequest
from support.ours import assert_differential, client_pair, fastboto_client, run_both
from support.reference import (
    FAKE_SECRET_KEY,
    FAKE_SESSION_TOKEN,
    assert_same_error,
    botocore_client,
    botocore_supports_checksum,
    call_and_capture,
    capture_botocore_prepared,
    compare_requests,
    independent_checksum,
    parse_authorization,
    request_view,
    scrub,
    substitute_checksum,
    verify_sigv4,
)

CUSTOM, PROXY = "custom", "proxy"
ALL_ALGORITHMS = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256", "SHA512", "MD5",
                  "XXHASH64", "XXHASH3", "XXHASH128"]


def ckw(server, mode, region="us-east-1", token=None, config=None, endpoint_url=None):
    """Client keywords (the same for both clients) for a mode."""
    __tracebackhide__ = True  # keep secrets in arguments out of reports
    cfg = dict(config or {})
    kw = dict(region_name=region, aws_session_token=token)
    if mode == CUSTOM:
        kw["endpoint_url"] = endpoint_url or server.url
    else:
        kw["use_ssl"] = False
        cfg["proxies"] = {"http": server.proxy_url}
        if endpoint_url:
            kw["endpoint_url"] = endpoint_url
    kw["config"] = cfg or None
    return kw


def check(server, operation, client_kwargs, params):
    __tracebackhide__ = True  # keep secrets in arguments out of reports
    ours, theirs = run_both(server, operation, client_kwargs, params)
    assert_differential(ours, theirs, operation, params, client_kwargs)
    return ours, theirs


def _big_policy(min_bytes=20 * 1024):
    stmts = []
    i = 0
    while True:
        stmts.append({
            "Sid": f"Stmt{i:05d}", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{i:012d}:root"},
            "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"arn:aws:s3:::bkt/prefix-{i}/*",
        })
        doc = json.dumps({"Version": "2012-10-17", "Statement": stmts}, indent=2)
        if len(doc.encode()) >= min_bytes:
            return doc
        i += 1


TYPICAL_POLICY = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
                   "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}],
})
POLICIES = {
    "empty": "",
    "braces": "{}",
    "typical": TYPICAL_POLICY,
    "unicode": '{"Sid": "日本語 ✓ é ß Ω 🚀 \u2028 \u00a0"}',
    "20KB": _big_policy(),
    "crlf-tabs": '{\r\n\t"Version" : "2012-10-17"\r\n}\n',
    "control-chars": "a\x00b\x1fc\x7f",
}

BUCKETS_BOTH_MODES = [
    "a", "ab", "abc", "a" * 63, "a" * 64, "b" * 255, "my.bucket", "my..bucket", "a.b.c", "...",
    "my_bucket", "MyBucket", "UPPER", "-dash-", "trailing.", "trailing-", "192.168.5.4",
    "xn--bcher-kva", "bkt--ol-s3", "sthree-bkt", "0123456789",
]
# Through a proxy, botocore's HTTP stack removes dot segments from the
# absolute URL ("/." -> "/"); with a custom endpoint it sends them as is.
BUCKETS_CUSTOM_ONLY = [".", ".."]


# ---------------------------------------------------------------------------
# hand-picked put_bucket_policy cases
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("mode", [CUSTOM, PROXY])
@pytest.mark.parametrize("bucket", BUCKETS_BOTH_MODES, ids=lambda b: b if len(b) < 20 else f"{b[0]}x{len(b)}")
def test_put_policy_bucket_names(capture_server, mode, bucket):
    check(capture_server, "put_bucket_policy", ckw(capture_server, mode),
          dict(Bucket=bucket, Policy=TYPICAL_POLICY))


@pytest.mark.parametrize("bucket", BUCKETS_CUSTOM_ONLY)
def test_put_policy_dot_bucket_names_custom_endpoint(capture_server, bucket):
    """Deliberate divergence: botocore sends `/.?policy`; fastboto's HTTP
    stack would normalise the dot segment away and send another request, so
    it refuses the name before sending anything (S3 rejects it anyway)."""
    ours, theirs = run_both(capture_server, "put_bucket_policy", ckw(capture_server, CUSTOM),
                            dict(Bucket=bucket, Policy=TYPICAL_POLICY))
    assert theirs.error is None and theirs.request.target.startswith(f"/{bucket}?")
    assert type(ours.error).__name__ == "ParamValidationError"
    assert str(ours.error).startswith(f'Parameter validation failed:\nInvalid bucket name "{bucket}"')
    assert not ours.requests, "fastboto sent a request for a name it rejected"


@pytest.mark.parametrize("mode", [CUSTOM, PROXY])
@pytest.mark.parametrize("policy_id", sorted(POLICIES))
def test_put_policy_bodies(capture_server, mode, policy_id):
    check(capture_server, "put_bucket_policy", ckw(capture_server, mode),
          dict(Bucket="my-bucket", Policy=POLICIES[policy_id]))


def _md5_b64(s: str) -> str:
    return base64.b64encode(hashlib.md5(s.encode()).digest()).decode()


OPTIONAL_SETS = {
    "none": {},
    "confirm-true": {"ConfirmRemoveSelfBucketAccess": True},
    "confirm-false": {"ConfirmRemoveSelfBucketAccess": False},
    "owner": {"ExpectedBucketOwner": "123456789012"},
    "owner-unicode-spaces": {"ExpectedBucketOwner": " é€ a  b\t "},
    "owner-empty": {"ExpectedBucketOwner": ""},
    "content-md5-valid": {"ContentMD5": _md5_b64(TYPICAL_POLICY)},
    "content-md5-junk": {"ContentMD5": "not base64 at all =="},
    "content-md5-empty": {"ContentMD5": ""},
    "checksum-crc32": {"ChecksumAlgorithm": "CRC32"},
    "checksum-sha256": {"ChecksumAlgorithm": "SHA256"},
    "checksum-lower-crc32": {"ChecksumAlgorithm": "crc32"},
    "checksum-mixed-Sha1": {"ChecksumAlgorithm": "Sha1"},
    "all-together": {"ChecksumAlgorithm": "SHA256", "ConfirmRemoveSelfBucketAccess": True,
                     "ExpectedBucketOwner": "123456789012", "ContentMD5": _md5_b64(TYPICAL_POLICY)},
    "all-together-crc32c": {"ChecksumAlgorithm": "CRC32C", "ConfirmRemoveSelfBucketAccess": False,
                            "ExpectedBucketOwner": "000000000000", "ContentMD5": "AAAA"},
}


@pytest.mark.parametrize("mode", [CUSTOM, PROXY])
@pytest.mark.parametrize("opt_id", list(OPTIONAL_SETS))
def test_put_policy_optional_parameters(capture_server, mode, opt_id, request):
    params = dict(Bucket="my-bucket", Policy=TYPICAL_POLICY, **OPTIONAL_SETS[opt_id])
    if "CRC32C" in str(params.get("ChecksumAlgorithm", "")).upper() and not botocore_supports_checksum("CRC32C"):
        pytest.skip("botocore without awscrt cannot compute CRC32C (install botocore[crt])")
    check(capture_server, "put_bucket_policy", ckw(capture_server, mode), params)


@pytest.mark.parametrize("mode", [CUSTOM, PROXY])
@pytest.mark.parametrize("token", [None, FAKE_SESSION_TOKEN], ids=["no-token", "session-token"])
def test_put_policy_session_token(capture_server, mode, token):
    check(capture_server, "put_bucket_policy", ckw(capture_server, mode, token=token),
          dict(Bucket="my-bucket", Policy=TYPICAL_POLICY))


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1",
                                    "ap-southeast-2", "us-west-2", "aws-global"])
@pytest.mark.parametrize("bucket", ["my-bucket", "my.bucket", "My_Bucket"])
def test_put_policy_regions_real_hostnames(capture_server, region, bucket):
    check(capture_server, "put_bucket_policy", ckw(capture_server, PROXY, region=region),
          dict(Bucket=bucket, Policy=TYPICAL_POLICY))


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1"])
def test_put_policy_regions_custom_endpoint(capture_server, region):
    check(capture_server, "put_bucket_policy", ckw(capture_server, CUSTOM, region=region),
          dict(Bucket="my-bucket", Policy=TYPICAL_POLICY))


CONFIG_VARIANTS = {
    "path": {"s3": {"addressing_style": "path"}},
    "virtual": {"s3": {"addressing_style": "virtual"}},
    "auto": {"s3": {"addressing_style": "auto"}},
    "fips": {"use_fips_endpoint": True},
    "dualstack": {"use_dualstack_endpoint": True},
    "s3-dualstack": {"s3": {"use_dualstack_endpoint": True}},
    "fips-dualstack": {"use_fips_endpoint": True, "use_dualstack_endpoint": True},
    "accelerate": {"s3": {"use_accelerate_endpoint": True}},
    "region-in-config": {"region_name": "eu-central-1"},
}


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1"])
@pytest.mark.parametrize("variant", list(CONFIG_VARIANTS))
@pytest.mark.parametrize("bucket", ["my-bucket", "my.bucket"])
def test_put_policy_endpoint_config(capture_server, region, variant, bucket):
    # Some combinations are errors in botocore (e.g. accelerate with a dotted
    # name, FIPS in cn-north-1); fastboto must then raise the same error.
    region_name = None if variant == "region-in-config" else region
    check(capture_server, "put_bucket_policy",
          ckw(capture_server, PROXY, region=region_name, config=CONFIG_VARIANTS[variant]),
          dict(Bucket=bucket, Policy="{}"))


@pytest.mark.parametrize("endpoint_url", [
    "http://minio.example.com:9000",
    "http://minio.example.com:9000/",
    "http://storage.example.com/some/prefix",
    "http://ceph.internal",
])
@pytest.mark.parametrize("style", [None, "path", "virtual"])
@pytest.mark.parametrize("bucket", ["my-bucket", "my.bucket", "My_Bucket"])
def test_put_policy_custom_endpoint_hostnames(capture_server, endpoint_url, style, bucket):
    config = {"s3": {"addressing_style": style}} if style else None
    check(capture_server, "put_bucket_policy",
          ckw(capture_server, PROXY, region="us-east-1", config=config, endpoint_url=endpoint_url),
          dict(Bucket=bucket, Policy="{}"))


@pytest.mark.parametrize("suffix", ["", "/", "/prefix", "/prefix/"])
def test_put_policy_custom_endpoint_path_prefix(capture_server, suffix):
    check(capture_server, "put_bucket_policy",
          ckw(capture_server, CUSTOM, endpoint_url=capture_server.url + suffix),
          dict(Bucket="my-bucket", Policy="{}"))


@pytest.mark.parametrize("region,bucket", [
    ("us-west-2", "bkt--usw2-az1--x-s3"),
    ("us-east-1", "bkt--use1-az4--x-s3"),
    ("us-east-1", "arn:aws:s3:us-east-1:123456789012:accesspoint/myap"),
    ("us-east-1", "arn:aws:s3:us-west-2:123456789012:accesspoint/myap"),
    # (Outposts and Multi-Region Access Point ARNs, which botocore[crt] signs
    # with SigV4a: test_sigv4a.py.)
    ("cn-north-1", "arn:aws-cn:s3:cn-north-1:123456789012:accesspoint/myap"),
])
def test_put_policy_special_buckets(capture_server, region, bucket):
    check(capture_server, "put_bucket_policy", ckw(capture_server, PROXY, region=region),
          dict(Bucket=bucket, Policy="{}"))


# ---------------------------------------------------------------------------
# get / delete
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("operation", ["get_bucket_policy", "delete_bucket_policy"])
@pytest.mark.parametrize("mode", [CUSTOM, PROXY])
@pytest.mark.parametrize("bucket", ["a", "my-bucket", "my.bucket", "My_Bucket", "b" * 255])
@pytest.mark.parametrize("owner", [None, "123456789012"])
def test_get_delete_requests(capture_server, operation, mode, bucket, owner):
    params = dict(Bucket=bucket)
    if owner is not None:
        params["ExpectedBucketOwner"] = owner
    if operation == "get_bucket_policy":
        capture_server.respond(200, [("x-amz-request-id", "RID"), ("x-amz-id-2", "HID")], TYPICAL_POLICY.encode())
    else:
        capture_server.respond(204, [("x-amz-request-id", "RID"), ("x-amz-id-2", "HID")])
    check(capture_server, operation, ckw(capture_server, mode), params)


@pytest.mark.parametrize("operation", ["get_bucket_policy", "delete_bucket_policy"])
@pytest.mark.parametrize("region", ["eu-west-1", "cn-north-1", "us-gov-west-1"])
def test_get_delete_regions_with_token(capture_server, operation, region):
    check(capture_server, operation, ckw(capture_server, PROXY, region=region, token=FAKE_SESSION_TOKEN),
          dict(Bucket="my-bucket"))


@pytest.mark.parametrize("operation", ["get_bucket_policy", "delete_bucket_policy"])
@pytest.mark.parametrize("params", [
    {}, {"Bucket": "b", "Policy": "x"}, {"Bucket": 1}, {"Bucket": "b", "ExpectedBucketOwner": 1},
    {"Bucket": "a/b"}, {"Bucket": "b", "ChecksumAlgorithm": "CRC32"},
], ids=repr)
def test_get_delete_bad_input(capture_server, operation, params):
    check(capture_server, operation, ckw(capture_server, CUSTOM), params)


# ---------------------------------------------------------------------------
# checksums
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("mode", [CUSTOM, PROXY])
@pytest.mark.parametrize("policy_id", ["empty", "typical", "unicode", "20KB"])
@pytest.mark.parametrize("algorithm", ALL_ALGORITHMS + ["md5", "xxhash3", "crc64nvme", "Sha512"])
def test_every_checksum_algorithm(capture_server, mode, policy_id, algorithm):
    """Where botocore computes the algorithm, the whole request is compared.

    MD5 (and, without awscrt, CRC32C/CRC64NVME/XXHASH*) botocore refuses;
    fastboto computes it natively. Then the expectation is botocore's request
    for SHA256 with the checksum header swapped for the algorithm's, whose
    value comes from an independent implementation (hashlib / xxhash / awscrt).
    """
    params = dict(Bucket="my-bucket", Policy=POLICIES[policy_id], ChecksumAlgorithm=algorithm)
    kw = ckw(capture_server, mode)
    if botocore_supports_checksum(algorithm):
        check(capture_server, "put_bucket_policy", kw, params)
        return
    body = POLICIES[policy_id].encode()
    value = independent_checksum(algorithm, body)
    if value is None:
        pytest.skip(f"no independent implementation of {algorithm} installed (pip install xxhash / awscrt)")
    ours_c, theirs_c = client_pair(**kw)
    theirs = call_and_capture(capture_server, theirs_c, "put_bucket_policy", **dict(params, ChecksumAlgorithm="SHA256"))
    ours = call_and_capture(capture_server, ours_c, "put_bucket_policy", **params)
    assert theirs.error is None
    assert ours.error is None, f"fastboto raised {type(ours.error).__name__}: {scrub(ours.error)}"
    expected = substitute_checksum(request_view(theirs.request), algorithm, body, value)
    compare_requests(ours.request, expected)
    verify_sigv4(ours.request)
    assert ours.request.header("x-amz-checksum-" + algorithm.lower()) == value


def test_md5_is_refused_by_botocore_but_computed_by_fastboto(capture_server):
    """The one documented divergence: botocore raises FlexibleChecksumError for MD5."""
    kw = ckw(capture_server, CUSTOM)
    ours_c, theirs_c = client_pair(**kw)
    params = dict(Bucket="b", Policy="{}", ChecksumAlgorithm="MD5")
    theirs = call_and_capture(capture_server, theirs_c, "put_bucket_policy", **params)
    assert isinstance(theirs.error, botocore.exceptions.FlexibleChecksumError)
    ours = call_and_capture(capture_server, ours_c, "put_bucket_policy", **params)
    assert ours.error is None, scrub(ours.error)
    assert ours.request.header("x-amz-checksum-md5") == base64.b64encode(hashlib.md5(b"{}").digest()).decode()
    assert ours.request.header("x-amz-sdk-checksum-algorithm") == "MD5"
    assert ours.request.header("Content-MD5") is None  # ContentMD5 was not given
    verify_sigv4(ours.request)


# ---------------------------------------------------------------------------
# bad input: same exception, nothing sent
# ---------------------------------------------------------------------------
BAD_INPUTS = {
    "missing-all": {},
    "missing-policy": {"Bucket": "b"},
    "missing-bucket": {"Policy": "p"},
    "unknown-one": {"Bucket": "b", "Policy": "p", "Foo": 1},
    "unknown-two": {"Bucket": "b", "Policy": "p", "Foo": 1, "bucket": "x"},
    "unknown-and-missing": {"Bucket": "b", "Bar": None},
    "bucket-int": {"Bucket": 1, "Policy": "p"},
    "bucket-none": {"Bucket": None, "Policy": "p"},
    "bucket-bool": {"Bucket": True, "Policy": "p"},
    "bucket-bytes": {"Bucket": b"b", "Policy": "p"},
    "bucket-list": {"Bucket": ["b"], "Policy": "p"},
    "bucket-dict": {"Bucket": {"Name": "b"}, "Policy": "p"},
    "many-problems": {"Bucket": 1, "Policy": 2, "Foo": 3, "ExpectedBucketOwner": [1]},
    "bucket-int-missing-policy": {"Bucket": 1},
    "policy-int": {"Bucket": "b", "Policy": 1},
    "policy-bytes": {"Bucket": "b", "Policy": b"{}"},
    "policy-dict-nested": {"Bucket": "b", "Policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]}},
    "policy-list-nested": {"Bucket": "b", "Policy": [{"a": [1, {"b": None}]}]},
    "policy-none": {"Bucket": "b", "Policy": None},
    "confirm-str": {"Bucket": "b", "Policy": "p", "ConfirmRemoveSelfBucketAccess": "true"},
    "confirm-int": {"Bucket": "b", "Policy": "p", "ConfirmRemoveSelfBucketAccess": 1},
    "owner-int": {"Bucket": "b", "Policy": "p", "ExpectedBucketOwner": 123456789012},
    "md5-bytes": {"Bucket": "b", "Policy": "p", "ContentMD5": b"abc"},
    "algorithm-int": {"Bucket": "b", "Policy": "p", "ChecksumAlgorithm": 1},
    "bucket-empty": {"Bucket": "", "Policy": "p"},
    "bucket-slash": {"Bucket": "a/b", "Policy": "p"},
    "bucket-space": {"Bucket": "a b", "Policy": "p"},
    "bucket-colon": {"Bucket": "a:b", "Policy": "p"},
    "bucket-question": {"Bucket": "a?b", "Policy": "p"},
    "bucket-hash": {"Bucket": "a#b", "Policy": "p"},
    "bucket-percent": {"Bucket": "a%2Fb", "Policy": "p"},
    "bucket-256": {"Bucket": "a" * 256, "Policy": "p"},
    "bucket-unicode": {"Bucket": "bücket", "Policy": "p"},
    "bucket-newline": {"Bucket": "bkt\n", "Policy": "p"},
    "bad-bucket-and-unknown": {"Bucket": "a/b", "Foo": 1},
    "bad-arn": {"Bucket": "arn:aws:s3:us-east-1:123:accesspoint/x", "Policy": "p"},
    "algorithm-FOO": {"Bucket": "b", "Policy": "p", "ChecksumAlgorithm": "FOO"},
    "algorithm-empty": {"Bucket": "b", "Policy": "p", "ChecksumAlgorithm": ""},
    "algorithm-spaces": {"Bucket": "b", "Policy": "p", "ChecksumAlgorithm": " CRC32"},
    # never sent raw: both refuse it as an unsupported algorithm
    "algorithm-crlf": {"Bucket": "b", "Policy": "p", "ChecksumAlgorithm": "crc32\r\n"},
    # not errors in botocore: compared as requests
    "algorithm-lower-crc32": {"Bucket": "b", "Policy": "p", "ChecksumAlgorithm": "crc32"},
    "algorithm-lower-sha1": {"Bucket": "b", "Policy": "p", "ChecksumAlgorithm": "sha1"},
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_put_policy_bad_input(capture_server, case):
    check(capture_server, "put_bucket_policy", ckw(capture_server, CUSTOM), BAD_INPUTS[case])


# A CR or LF in a value that becomes a header: botocore fails in its HTTP
# layer (HTTPClientError "Invalid header value ...", or worse, a request
# whose headers were split); SPEC §3/issue: fastboto reports a
# ParamValidationError naming the parameter and sends nothing.
CRLF_INPUTS = {
    "owner-crlf": ("put_bucket_policy", {"Bucket": "b", "Policy": "p", "ExpectedBucketOwner": "a\r\nb"}),
    "owner-lf": ("put_bucket_policy", {"Bucket": "b", "Policy": "p", "ExpectedBucketOwner": "a\nb"}),
    "owner-cr": ("put_bucket_policy", {"Bucket": "b", "Policy": "p", "ExpectedBucketOwner": "a\rb"}),
    "owner-trailing-crlf": ("put_bucket_policy", {"Bucket": "b", "Policy": "p", "ExpectedBucketOwner": "123\r\n"}),
    "md5-crlf-injection": ("put_bucket_policy", {"Bucket": "b", "Policy": "p", "ContentMD5": "x\r\nX-Injected: 1"}),
    "get-owner-lf": ("get_bucket_policy", {"Bucket": "b", "ExpectedBucketOwner": "a\nb"}),
    "delete-owner-lf": ("delete_bucket_policy", {"Bucket": "b", "ExpectedBucketOwner": "a\nb"}),
}


@pytest.mark.parametrize("case", list(CRLF_INPUTS))
def test_crlf_in_header_values_is_rejected_before_sending(capture_server, case):
    operation, params = CRLF_INPUTS[case]
    ours, theirs = run_both(capture_server, operation, ckw(capture_server, CUSTOM), params)
    assert theirs.error is not None, "botocore sent a header containing CR/LF"
    assert type(ours.error).__name__ == "ParamValidationError", scrub(ours.error)
    member = next(k for k, v in params.items() if isinstance(v, str) and ("\r" in v or "\n" in v))
    assert f"Invalid value for parameter {member}" in str(ours.error)
    assert "must not contain CR or LF" in str(ours.error)
    assert not ours.requests, "fastboto sent a request with a CR/LF header value"


def test_bucket_int_gives_param_validation_error_not_type_error(capture_server):
    """SPEC §7: where botocore raises a bare TypeError, fastboto raises ParamValidationError."""
    ours_c = fastboto_client(region_name="us-east-1", endpoint_url=capture_server.url)
    with pytest.raises(botocore.exceptions.ParamValidationError) as ei:
        ours_c.put_bucket_policy(Bucket=1, Policy="p")
    assert str(ei.value) == ("Parameter validation failed:\nInvalid type for parameter Bucket, value: 1, "
                             "type: <class 'int'>, valid types: <class 'str'>")
    assert isinstance(ei.value, fastboto.exceptions.ParamValidationError)
    assert not capture_server.requests


def test_positional_arguments_rejected_like_botocore(capture_server):
    ours_c, theirs_c = client_pair(region_name="us-east-1", endpoint_url=capture_server.url)
    with pytest.raises(TypeError) as theirs:
        theirs_c.put_bucket_policy("b", "p")
    with pytest.raises(TypeError) as ours:
        ours_c.put_bucket_policy("b", "p")
    assert str(ours.value) == str(theirs.value)
    assert not capture_server.requests


# ---------------------------------------------------------------------------
# request_checksum_calculation
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["when_supported", "when_required"])
@pytest.mark.parametrize("algorithm", [None, "SHA1"])
def test_request_checksum_calculation_config(capture_server, value, algorithm):
    params = dict(Bucket="b", Policy=TYPICAL_POLICY)
    if algorithm:
        params["ChecksumAlgorithm"] = algorithm
    check(capture_server, "put_bucket_policy",
          ckw(capture_server, CUSTOM, config={"request_checksum_calculation": value}), params)


@pytest.mark.parametrize("value", ["WHEN_REQUIRED", "when_required", "when_supported", "When_Supported"])
def test_request_checksum_calculation_env(capture_server, monkeypatch, value):
    monkeypatch.setenv("AWS_REQUEST_CHECKSUM_CALCULATION", value)
    ours_c, theirs_c = client_pair(region_name="us-east-1", endpoint_url=capture_server.url)
    assert ours_c.meta.config.request_checksum_calculation == theirs_c.meta.config.request_checksum_calculation
    check(capture_server, "put_bucket_policy", ckw(capture_server, CUSTOM), dict(Bucket="b", Policy="{}"))


def test_request_checksum_calculation_invalid_config(capture_server):
    with pytest.raises(Exception) as theirs:
        botocore_client(region_name="us-east-1", config={"request_checksum_calculation": "bogus"})
    with pytest.raises(Exception) as ours:
        fastboto_client(region_name="us-east-1", config={"request_checksum_calculation": "bogus"})
    assert_same_error(ours.value, theirs.value)


def test_request_checksum_calculation_invalid_env(capture_server, monkeypatch):
    monkeypatch.setenv("AWS_REQUEST_CHECKSUM_CALCULATION", "sometimes")
    with pytest.raises(Exception) as theirs:
        botocore_client(region_name="us-east-1")
    with pytest.raises(Exception) as ours:
        fastboto_client(region_name="us-east-1")
    assert_same_error(ours.value, theirs.value)


# ---------------------------------------------------------------------------
# prepare_request
# ---------------------------------------------------------------------------
def _prepared_as_captured(prepared) -> CapturedRequest:
    """A CapturedRequest built from a PreparedRequest, as it would go on the wire."""
    from urllib.parse import urlsplit

    parts = urlsplit(prepared.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = [(str(k), str(v)) for k, v in prepared.headers.items()]
    if not any(k.lower() == "host" for k, _ in headers):
        headers.append(("Host", parts.netloc))
    body = prepared.body if prepared.body is not None else b""
    return CapturedRequest(prepared.method, target, "HTTP/1.1", headers, bytes(body), 0)


PREPARE_CASES = {
    "put-minimal": ("put_bucket_policy", dict(Bucket="my-bucket", Policy="{}")),
    "put-all": ("put_bucket_policy", dict(Bucket="my.bucket", Policy=POLICIES["unicode"], ChecksumAlgorithm="SHA256",
                                          ConfirmRemoveSelfBucketAccess=True, ExpectedBucketOwner="123456789012",
                                          ContentMD5="AAAA")),
    "get": ("get_bucket_policy", dict(Bucket="My_Bucket", ExpectedBucketOwner="1")),
    "delete": ("delete_bucket_policy", dict(Bucket="a")),
}


@pytest.mark.parametrize("case", list(PREPARE_CASES))
@pytest.mark.parametrize("token", [None, FAKE_SESSION_TOKEN], ids=["no-token", "token"])
def test_prepare_request_equals_what_is_sent(capture_server, case, token):
    operation, params = PREPARE_CASES[case]
    c = fastboto_client(region_name="eu-west-1", endpoint_url=capture_server.url, aws_session_token=token)
    prepared = c.prepare_request(operation, **params)
    assert not capture_server.requests, "prepare_request sent something"
    assert isinstance(prepared.body, bytes)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in prepared.headers.items())
    sent = call_and_capture(capture_server, c, operation, **params)
    assert sent.error is None, scrub(sent.error)
    wire = sent.request
    as_captured = _prepared_as_captured(prepared)
    verify_sigv4(as_captured, session_token=token, region="eu-west-1")
    assert prepared.method == wire.method
    assert prepared.url == wire.url()
    assert prepared.body == wire.body
    skip = {"x-amz-date", "authorization", "amz-sdk-invocation-id", "amz-sdk-request", "date"}
    for name, value in prepared.headers.items():
        if name.lower() in skip:
            continue
        assert wire.header_all(name) == [value.strip(" \t")], scrub(f"prepared header {name}: {value!r} vs wire")
    p_auth = parse_authorization(prepared.headers["Authorization"])
    w_auth = parse_authorization(wire.header("Authorization"))
    assert p_auth.signed_headers == w_auth.signed_headers
    assert p_auth.scope[0] == w_auth.scope[0] and p_auth.scope[2:] == w_auth.scope[2:]
    for h in w_auth.signed_headers:
        assert any(k.lower() == h for k in prepared.headers), f"signed header {h} missing from prepared headers"


@pytest.mark.parametrize("case", list(PREPARE_CASES))
def test_prepare_request_matches_botocore(capture_server, case):
    """Same request as botocore's; header names spelled exactly as botocore's prepared request."""
    operation, params = PREPARE_CASES[case]
    kw = dict(region_name="us-east-1", endpoint_url=capture_server.url, aws_session_token=FAKE_SESSION_TOKEN)
    ours_c, theirs_c = client_pair(**kw)
    prepared = ours_c.prepare_request(operation, **params)
    theirs_prepared = capture_botocore_prepared(theirs_c, operation, **params)
    theirs_wire = call_and_capture(capture_server, theirs_c, operation, **params).request
    compare_requests(_prepared_as_captured(prepared), theirs_wire)
    optional = {"amz-sdk-invocation-id", "amz-sdk-request"}
    ours_names = {n for n in prepared.headers.keys() if n.lower() not in optional}
    theirs_names = {n for n in theirs_prepared.headers.keys() if n.lower() not in optional}
    assert theirs_names <= ours_names, f"header names not spelled as botocore's: missing {sorted(theirs_names - ours_names)}"
    extra = {n.lower() for n in ours_names} - {n.lower() for n in theirs_names}
    assert not extra, f"prepared request has headers botocore's has not: {sorted(extra)}"
    assert prepared.url == theirs_prepared.url
    assert prepared.method == theirs_prepared.method


def test_prepare_request_bad_input_raises_like_call(capture_server):
    ours_c, theirs_c = client_pair(region_name="us-east-1", endpoint_url=capture_server.url)
    with pytest.raises(Exception) as theirs:
        theirs_c.put_bucket_policy(Bucket="b", Foo=1)
    with pytest.raises(Exception) as ours:
        ours_c.prepare_request("put_bucket_policy", Bucket="b", Foo=1)
    assert_same_error(ours.value, theirs.value)
    assert not capture_server.requests


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize("case", ["put-minimal", "put-all", "get", "delete"])
def test_to_curl_replays_the_prepared_request(capture_server, case):
    """to_curl() is a working command for the prepared request, and it never leaks secrets.

    Running it sends the prepared method, URL, body and headers. The
    Authorization and session-token headers are either the real ones (then
    the replayed request must verify) or redacted (then neither the
    signature nor the token may appear anywhere in the command); the secret
    key never appears.
    """
    operation, params = PREPARE_CASES[case]
    c = fastboto_client(region_name="us-east-1", endpoint_url=capture_server.url, aws_session_token=FAKE_SESSION_TOKEN)
    prepared = c.prepare_request(operation, **params)
    cmd = prepared.to_curl()
    assert isinstance(cmd, str)
    assert FAKE_SECRET_KEY not in cmd, "to_curl() contains the secret key"
    argv = shlex.split(cmd)
    assert argv[0] == "curl"
    proc = subprocess.run(argv + ["--silent", "--show-error", "--max-time", "10"], capture_output=True, timeout=20)
    rc, stderr = proc.returncode, proc.stderr
    assert rc == 0, scrub(stderr.decode(errors="replace"))
    (req,) = capture_server.pop_all()
    assert req.method == prepared.method
    assert req.url() == prepared.url
    assert req.body == prepared.body
    secret_headers = {"authorization", "x-amz-security-token"}
    for name, value in prepared.headers.items():
        if name.lower() not in secret_headers:
            assert req.header_all(name) == [value.strip(" \t")], f"curl did not send prepared header {name}"
    signature = parse_authorization(prepared.headers["Authorization"]).signature
    if req.header("Authorization") == prepared.headers["Authorization"]:
        verify_sigv4(req, session_token=FAKE_SESSION_TOKEN)
    else:
        assert signature not in cmd, "to_curl() shows part of the request's secrets but not a usable Authorization"
        assert FAKE_SESSION_TOKEN not in cmd, "to_curl() redacts the signature but shows the session token"


# ---------------------------------------------------------------------------
# property-based: random valid and invalid kwargs
# ---------------------------------------------------------------------------
# All-dot names ("." / "..") are hand-picked above: through a proxy botocore's
# HTTP stack drops them as dot segments.
_bucket_names = st.from_regex(r"[a-zA-Z0-9.\-_]{1,255}", fullmatch=True).filter(lambda b: set(b) != {"."})
# Header values: no control characters but tab (botocore lets NUL through,
# HTTP forbids it); Unicode spaces included, as botocore's canonical value
# (" ".join(value.split())) collapses them and so must fastboto's.
_header_text = st.text(
    alphabet=st.characters(min_codepoint=0x20, exclude_categories=("Cs", "Cc"),
                           include_characters=" \t\u00a0\u3000\u2028"),
    max_size=40)
_policies = st.one_of(
    st.text(max_size=300),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
        max_leaves=20,
    ).map(lambda d: json.dumps(d, ensure_ascii=False)),
    # Near S3's 20 KB policy limit: a random (unicode) chunk repeated to a
    # random length of 16-20 K characters.
    st.tuples(st.text(min_size=1, max_size=64), st.integers(min_value=16_000, max_value=20_480)).map(
        lambda t: (t[0] * (t[1] // len(t[0]) + 1))[:t[1]]),
)
_algorithms = st.sampled_from(
    [a for a in ALL_ALGORITHMS if botocore_supports_checksum(a)]
    + [a.lower() for a in ALL_ALGORITHMS if botocore_supports_checksum(a)])


@st.composite
def _put_policy_kwargs(draw):
    params = {"Bucket": draw(_bucket_names), "Policy": draw(_policies)}
    if draw(st.booleans()):
        params["ChecksumAlgorithm"] = draw(_algorithms)
    if draw(st.booleans()):
        params["ConfirmRemoveSelfBucketAccess"] = draw(st.booleans())
    if draw(st.booleans()):
        params["ExpectedBucketOwner"] = draw(st.one_of(st.from_regex(r"[0-9]{12}", fullmatch=True), _header_text))
    if draw(st.booleans()):
        params["ContentMD5"] = draw(st.from_regex(r"[A-Za-z0-9+/]{0,30}={0,2}", fullmatch=True))
    return params


_REGIONS = st.sampled_from(["us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1", "ap-northeast-1", "sa-east-1"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(params=_put_policy_kwargs(), mode=st.sampled_from([CUSTOM, PROXY]), region=_REGIONS,
       with_token=st.booleans())
def test_put_policy_property(capture_server, params, mode, region, with_token):
    token = FAKE_SESSION_TOKEN if with_token else None
    check(capture_server, "put_bucket_policy", ckw(capture_server, mode, region=region, token=token), params)


_any_value = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.binary(max_size=5),
    st.text(max_size=10), st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@st.composite
def _messy_kwargs(draw):
    names = ["Bucket", "Policy", "ChecksumAlgorithm", "ConfirmRemoveSelfBucketAccess", "ExpectedBucketOwner",
             "ContentMD5", "Foo", "bucket", "ACL"]
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=5))
    params = {}
    for n in chosen:
        good = {"Bucket": _bucket_names, "Policy": _policies, "ChecksumAlgorithm": _algorithms,
                "ConfirmRemoveSelfBucketAccess": st.booleans(), "ExpectedBucketOwner": _header_text,
                "ContentMD5": _header_text}.get(n)
        params[n] = draw(_any_value if good is None else st.one_of(good, _any_value))
    return params


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(params=_messy_kwargs())
def test_put_policy_property_messy_input(capture_server, params):
    """Random mixes of valid, missing, unknown and wrongly typed arguments."""
    check(capture_server, "put_bucket_policy", ckw(capture_server, CUSTOM), params)


# ---------------------------------------------------------------------------
# TLS, proxies from the environment, client.meta
# ---------------------------------------------------------------------------
@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
@pytest.mark.parametrize("how", ["verify-path", "ca-bundle-env", "requests-ca-bundle-env", "verify-false"])
def test_put_policy_over_tls(tls_capture_server, monkeypatch, how):
    srv = tls_capture_server
    kw = dict(region_name="eu-west-1", endpoint_url=srv.url, aws_session_token=FAKE_SESSION_TOKEN)
    if how == "verify-path":
        kw["verify"] = srv.ca_file
    elif how == "ca-bundle-env":
        monkeypatch.setenv("AWS_CA_BUNDLE", srv.ca_file)
    elif how == "requests-ca-bundle-env":
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", srv.ca_file)
    else:
        kw["verify"] = False
    ours, theirs = check(srv, "put_bucket_policy", kw, dict(Bucket="my-bucket", Policy=TYPICAL_POLICY,
                                                            ExpectedBucketOwner="123456789012"))
    assert ours.request.tls


@pytest.mark.parametrize("var", ["HTTP_PROXY", "http_proxy"])
def test_proxy_from_environment(capture_server, monkeypatch, var):
    monkeypatch.setenv(var, capture_server.proxy_url)
    kw = dict(region_name="eu-west-1", use_ssl=False)
    ours, _ = check(capture_server, "put_bucket_policy", kw, dict(Bucket="my.bucket", Policy="{}"))
    assert ours.request.is_absolute_form


def test_no_proxy_from_environment(capture_server, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    ours, _ = check(capture_server, "put_bucket_policy", dict(region_name="eu-west-1", endpoint_url=capture_server.url),
                    dict(Bucket="my.bucket", Policy="{}"))
    assert not ours.request.is_absolute_form


@pytest.mark.parametrize("kw", [
    dict(region_name=None),
    dict(region_name="eu-west-1"),
    dict(region_name="cn-north-1"),
    dict(region_name="us-gov-west-1"),
    dict(region_name="aws-global"),
    dict(region_name="us-east-1", endpoint_url="http://minio.local:9000"),
    dict(region_name=None, config={"region_name": "ap-south-1"}),
    dict(region_name="eu-west-1", config={"use_fips_endpoint": True}),
    dict(region_name="eu-west-1", use_ssl=False),
], ids=repr)
def test_client_meta(kw):
    ours_c, theirs_c = client_pair(**kw)
    assert ours_c.meta.region_name == theirs_c.meta.region_name
    assert ours_c.meta.endpoint_url == theirs_c.meta.endpoint_url
    assert ours_c.meta.config.region_name == theirs_c.meta.config.region_name
    for op in ["put_bucket_policy", "get_bucket_policy", "delete_bucket_policy"]:
        assert ours_c.can_paginate(op) is theirs_c.can_paginate(op) is False


def test_region_from_environment(capture_server, monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-northeast-2")
    ours_c, theirs_c = client_pair(endpoint_url=capture_server.url)
    assert ours_c.meta.region_name == theirs_c.meta.region_name == "ap-northeast-2"
    check(capture_server, "put_bucket_policy", dict(endpoint_url=capture_server.url), dict(Bucket="b", Policy="{}"))
