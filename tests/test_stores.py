"""S3-compatible stores (SPEC §6, issue "Endpoints, regions and
S3-compatible stores"): signature_version="s3" (HmacV1, as Huawei OBS
documents), UNSIGNED, and the legacy Content-MD5 mode compared with what
botocore 1.35.99 sends (installed into its own virtualenv by this module)."""

from __future__ import annotations

import json
import os
import subprocess
import venv
from pathlib import Path
from urllib.parse import urlsplit

import botocore
import botocore.auth
import botocore.credentials
import pytest
from botocore.awsrequest import AWSRequest

import fastboto
from support.ours import botocore_client, call_and_capture, fastboto_client
from support.reference import FAKE_ACCESS_KEY, FAKE_SECRET_KEY, scrub

POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}'
# reqwest always adds "Accept: */*" (botocore sends no Accept); SPEC §4's
# compared headers do not include it, so neither do these comparisons.
VOLATILE = {"user-agent", "amz-sdk-invocation-id", "amz-sdk-request", "date", "x-amz-date", "authorization", "accept"}

CASES = {
    "put-policy": ("put_bucket_policy", {"Bucket": "my-bucket", "Policy": POLICY}),
    "put-policy-owner": ("put_bucket_policy", {"Bucket": "my.bucket", "Policy": POLICY, "ExpectedBucketOwner": "123456789012"}),
    "put-policy-sha256": ("put_bucket_policy", {"Bucket": "my-bucket", "Policy": POLICY, "ChecksumAlgorithm": "SHA256"}),
    "put-policy-md5-given": ("put_bucket_policy", {"Bucket": "my-bucket", "Policy": POLICY, "ContentMD5": "AAAA"}),
    "put-acl-canned": ("put_bucket_acl", {"Bucket": "my-bucket", "ACL": "public-read"}),
    "put-acl-policy": ("put_bucket_acl", {"Bucket": "my-bucket", "AccessControlPolicy": {
        "Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": "abc"}, "Permission": "READ"}],
        "Owner": {"ID": "abc"}}}),
    "get-policy": ("get_bucket_policy", {"Bucket": "my-bucket"}),
    "get-acl": ("get_bucket_acl", {"Bucket": "my-bucket", "ExpectedBucketOwner": "123456789012"}),
    "delete-policy": ("delete_bucket_policy", {"Bucket": "my-bucket"}),
}


def stable_headers(req):
    return {k.lower(): v for k, v in req.headers if k.lower() not in VOLATILE}


def assert_same_wire(ours, theirs):
    assert ours.method == theirs.method
    assert ours.path_and_query == theirs.path_and_query
    assert ours.header("Host") == theirs.header("Host")
    assert ours.body == theirs.body
    assert stable_headers(ours) == stable_headers(theirs), scrub(
        f"\n ours:   {stable_headers(ours)}\n theirs: {stable_headers(theirs)}"
    )


def hmac_v1_signature(req, token=None):
    """botocore's HmacV1Auth over the captured request, at its own Date."""
    url = f"http://{req.header('Host')}{req.path_and_query}"
    headers = {k: v for k, v in req.headers if k.lower() not in ("authorization", "date", "user-agent")}
    request = AWSRequest(method=req.method, url=url, headers=headers, data=req.body)
    creds = botocore.credentials.Credentials(FAKE_ACCESS_KEY, FAKE_SECRET_KEY, token)
    auth = botocore.auth.HmacV1Auth(creds)
    auth._get_date = lambda: req.header("Date")
    # botocore's auth path for these bucket operations: "/<bucket>/".
    path = urlsplit(url).path
    bucket = path.strip("/").split("/")[0] if path.strip("/") else urlsplit(url).hostname.split(".")[0]
    request.auth_path = f"/{bucket}/"
    auth.add_auth(request)
    return request.headers["Authorization"]


@pytest.mark.parametrize("token", [None, "FAKE-SESSION-TOKEN-FOR-HMACV1"], ids=["no-token", "token"])
@pytest.mark.parametrize("case", list(CASES))
def test_sigv2_matches_botocore_hmacv1(capture_server, case, token):
    operation, params = CASES[case]
    kw = dict(region_name="us-east-1", endpoint_url=capture_server.url, aws_session_token=token,
              config={"signature_version": "s3"})
    ours = call_and_capture(capture_server, fastboto_client(**kw), operation, **params)
    theirs = call_and_capture(capture_server, botocore_client(**kw), operation, **params)
    assert ours.error is None and theirs.error is None, scrub(f"{ours.error!r} {theirs.error!r}")
    assert_same_wire(ours.request, theirs.request)
    auth = ours.request.header("Authorization")
    assert auth.startswith(f"AWS {FAKE_ACCESS_KEY}:")
    assert auth == hmac_v1_signature(ours.request, token), "HmacV1 signature differs from botocore's"
    assert ours.request.header("X-Amz-Date") is None and ours.request.header("x-amz-content-sha256") is None


@pytest.mark.parametrize("case", list(CASES))
def test_unsigned_matches_botocore(capture_server, case):
    operation, params = CASES[case]
    ours_client = fastboto.client("s3", region_name="eu-west-1", endpoint_url=capture_server.url,
                                  config=fastboto.Config(signature_version=fastboto.UNSIGNED))
    theirs_client = botocore_client(region_name="eu-west-1", endpoint_url=capture_server.url,
                                    aws_access_key_id=None, aws_secret_access_key=None,
                                    config={"signature_version": botocore.UNSIGNED})
    ours = call_and_capture(capture_server, ours_client, operation, **params)
    theirs = call_and_capture(capture_server, theirs_client, operation, **params)
    assert ours.error is None and theirs.error is None, scrub(f"{ours.error!r} {theirs.error!r}")
    assert ours.request.header("Authorization") is None
    assert_same_wire(ours.request, theirs.request)


def test_botocore_unsigned_sentinel_is_accepted(capture_server):
    """Code that passes botocore.UNSIGNED keeps working after the import swap."""
    c = fastboto.client("s3", region_name="us-east-1", endpoint_url=capture_server.url,
                        config=fastboto.Config(signature_version=botocore.UNSIGNED))
    out = call_and_capture(capture_server, c, "get_bucket_acl", Bucket="b")
    assert out.request.header("Authorization") is None


# -- legacy Content-MD5 mode vs botocore 1.35.99 -----------------------------

LEGACY_BOTOCORE = "1.35.99"
_RUNNER = r"""
import json, sys
import botocore, botocore.session
from botocore.config import Config
spec = json.loads(sys.argv[1])
assert botocore.__version__ == spec["version"], botocore.__version__
s = botocore.session.get_session()
c = s.create_client("s3", region_name="us-east-1", endpoint_url=spec["endpoint_url"],
                    aws_access_key_id=spec["ak"], aws_secret_access_key=spec["sk"],
                    config=Config(retries={"total_max_attempts": 1}))
for operation, params in spec["calls"]:
    try:
        getattr(c, operation)(**params)
    except Exception as e:
        print(type(e).__name__, e, file=sys.stderr)
"""


@pytest.fixture(scope="module")
def legacy_botocore_python(tmp_path_factory):
    """A virtualenv with botocore 1.35.99 (the last release before flexible
    checksums became the default), created once per run."""
    cache = Path(os.environ.get("FASTBOTO_LEGACY_VENV", tmp_path_factory.mktemp("legacy") / "venv"))
    python = cache / "bin" / "python"
    if not python.exists():
        venv.EnvBuilder(with_pip=True).create(cache)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        f"botocore=={LEGACY_BOTOCORE}"], check=True, timeout=600)
    return python


LEGACY_CASES = [k for k in CASES if CASES[k][0].startswith("put")]


@pytest.mark.parametrize("how", ["config", "env"])
def test_legacy_content_md5_matches_botocore_1_35(capture_server, legacy_botocore_python, how, monkeypatch):
    calls = [CASES[k] for k in LEGACY_CASES]
    spec = {"version": LEGACY_BOTOCORE, "endpoint_url": capture_server.url, "ak": FAKE_ACCESS_KEY,
            "sk": FAKE_SECRET_KEY, "calls": calls}
    capture_server.pop_all()
    proc = subprocess.run([str(legacy_botocore_python), "-c", _RUNNER, json.dumps(spec)],
                          capture_output=True, text=True, timeout=120,
                          env={"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")})
    assert proc.returncode == 0, scrub(proc.stderr)
    assert proc.stderr == "", scrub(proc.stderr)
    theirs = capture_server.pop_all()
    assert len(theirs) == len(calls)

    if how == "config":
        config = {"s3": {"legacy_content_md5": True}}
    else:
        monkeypatch.setenv("FASTBOTO_LEGACY_CONTENT_MD5", "true")
        config = None
    c = fastboto_client(region_name="us-east-1", endpoint_url=capture_server.url, config=config)
    for (operation, params), their_req in zip(calls, theirs):
        ours = call_and_capture(capture_server, c, operation, **params)
        assert ours.error is None, scrub(ours.error)
        assert_same_wire(ours.request, their_req)
        if "ChecksumAlgorithm" not in params:
            assert ours.request.header("Content-MD5") is not None
            assert not [k for k, _ in ours.request.headers if k.lower().startswith("x-amz-checksum-")]


def test_default_mode_is_not_legacy(capture_server):
    c = fastboto_client(region_name="us-east-1", endpoint_url=capture_server.url)
    out = call_and_capture(capture_server, c, "put_bucket_policy", Bucket="b", Policy=POLICY)
    assert out.request.header("Content-MD5") is None
    assert out.request.header("x-amz-checksum-crc32") is not None


# What botocore 1.35.99 would send for other clients, captured at before-send
# (nothing leaves the process): S3 Express buckets (its
# `conditionally_calculate_md5` adds no MD5 there), SigV2, https endpoints,
# other regions.
_PREPARED_RUNNER = r"""
import json, sys
import botocore, botocore.session
from botocore.awsrequest import AWSResponse
from botocore.config import Config
spec = json.loads(sys.argv[1])
assert botocore.__version__ == spec["version"], botocore.__version__

class Raw:
    def stream(self, **_):
        return iter(())

out = []
for client_kwargs, config, operation, params in spec["cases"]:
    c = botocore.session.get_session().create_client(
        "s3", aws_access_key_id=spec["ak"], aws_secret_access_key=spec["sk"],
        config=Config(**config), **client_kwargs)
    seen = {}
    def capture(request, **_):
        seen["r"] = request
        return AWSResponse(request.url, 200, {}, Raw())
    c.meta.events.register_first("before-send.s3", capture)
    getattr(c, operation)(**params)
    r = seen["r"]
    out.append([r.url, {k: (v.decode() if isinstance(v, bytes) else v) for k, v in r.headers.items()}])
print(json.dumps(out))
"""

_EXPRESS = "mybucket--usw2-az1--x-s3"
LEGACY_PREPARED_CASES = {
    "express": ({"region_name": "us-west-2"}, {"s3": {"disable_s3_express_session_auth": True}},
                "put_bucket_policy", {"Bucket": _EXPRESS, "Policy": POLICY}),
    "express-acl": ({"region_name": "us-west-2"}, {"s3": {"disable_s3_express_session_auth": True}},
                    "put_bucket_acl", {"Bucket": _EXPRESS, "ACL": "private"}),
    "express-sigv2": ({"region_name": "us-west-2"}, {"signature_version": "s3"},
                      "put_bucket_policy", {"Bucket": _EXPRESS, "Policy": POLICY}),
    "express-custom-endpoint": ({"region_name": "us-west-2", "endpoint_url": "https://express.example.com"},
                                {"s3": {"disable_s3_express_session_auth": True}},
                                "put_bucket_policy", {"Bucket": _EXPRESS, "Policy": POLICY}),
    "aws-regional": ({"region_name": "eu-west-1"}, {}, "put_bucket_policy", {"Bucket": "b", "Policy": POLICY}),
    "https-sigv2": ({"region_name": "us-east-1", "endpoint_url": "https://obs.example.com"},
                    {"signature_version": "s3", "s3": {"addressing_style": "virtual"}},
                    "put_bucket_acl", {"Bucket": "b", "ACL": "public-read"}),
    "checksum-algorithm": ({"region_name": "us-east-1"}, {}, "put_bucket_policy",
                           {"Bucket": "b", "Policy": POLICY, "ChecksumAlgorithm": "SHA256"}),
    "content-md5-given": ({"region_name": "us-east-1"}, {}, "put_bucket_policy",
                          {"Bucket": "b", "Policy": POLICY, "ContentMD5": "bXltZDU="}),
}
_VOLATILE = {"host", "authorization", "x-amz-date", "user-agent", "amz-sdk-invocation-id", "amz-sdk-request", "date",
             "x-amz-content-sha256"}


def _stable(headers):
    return {k.lower(): v for k, v in headers.items() if k.lower() not in _VOLATILE}


def test_legacy_mode_matches_botocore_1_35_beyond_plain_endpoints(legacy_botocore_python):
    cases = list(LEGACY_PREPARED_CASES.values())
    spec = {"version": LEGACY_BOTOCORE, "ak": FAKE_ACCESS_KEY, "sk": FAKE_SECRET_KEY,
            "cases": [[kw, cfg, op, params] for kw, cfg, op, params in cases]}
    proc = subprocess.run([str(legacy_botocore_python), "-c", _PREPARED_RUNNER, json.dumps(spec)],
                          capture_output=True, text=True, timeout=120,
                          env={"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")})
    assert proc.returncode == 0, scrub(proc.stderr)
    theirs = json.loads(proc.stdout)
    for name, (kw, cfg, op, params), (their_url, their_headers) in zip(LEGACY_PREPARED_CASES, cases, theirs):
        config = {**cfg, "s3": {**cfg.get("s3", {}), "legacy_content_md5": True}}
        ours = fastboto.client("s3", aws_access_key_id=FAKE_ACCESS_KEY, aws_secret_access_key=FAKE_SECRET_KEY,
                               config=fastboto.Config(**config), **kw).prepare_request(op, **params)
        assert ours.url == their_url, name
        assert _stable(ours.headers) == _stable(their_headers), name
    express = dict(zip(LEGACY_PREPARED_CASES, theirs))["express"][1]
    assert "Content-MD5" not in express, "premise: botocore 1.35 adds no MD5 for S3 Express"


@pytest.mark.parametrize("value,legacy", [
    (True, True), ("true", True), ("TRUE", True), (False, False), ("false", False), ("yes", False),
    (1, False), (None, False),
])
def test_legacy_switch_reads_as_botocore_reads_s3_flags(value, legacy):
    """`legacy_content_md5` is read with botocore's `ensure_boolean`, as the
    other S3 flags: a bool, or a str that says "true"."""
    c = fastboto.client("s3", region_name="us-east-1", aws_access_key_id=FAKE_ACCESS_KEY,
                        aws_secret_access_key=FAKE_SECRET_KEY,
                        config=fastboto.Config(s3={"legacy_content_md5": value}))
    headers = c.prepare_request("put_bucket_policy", Bucket="b", Policy=POLICY).headers
    assert ("Content-MD5" in headers) is legacy
    assert ("x-amz-checksum-crc32" in headers) is not legacy


@pytest.mark.parametrize("block,env,legacy", [
    ("legacy_content_md5 = true", None, True),
    ("legacy_content_md5 = True", None, True),
    ("legacy_content_md5 = false", None, False),
    ("legacy_content_md5 = true", "false", False),
    ("addressing_style = path", "true", True),
])
def test_legacy_switch_from_the_config_file(tmp_path, monkeypatch, block, env, legacy):
    """The profile's `s3 =` block can turn legacy mode on; the environment
    variable (and Config) come first."""
    config = tmp_path / "config"
    config.write_text(f"[default]\ns3 =\n    {block}\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    if env is None:
        monkeypatch.delenv("FASTBOTO_LEGACY_CONTENT_MD5", raising=False)
    else:
        monkeypatch.setenv("FASTBOTO_LEGACY_CONTENT_MD5", env)
    c = fastboto.client("s3", region_name="us-east-1", aws_access_key_id=FAKE_ACCESS_KEY,
                        aws_secret_access_key=FAKE_SECRET_KEY)
    headers = c.prepare_request("put_bucket_policy", Bucket="b", Policy=POLICY).headers
    assert ("Content-MD5" in headers) is legacy
