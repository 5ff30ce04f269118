"""The README's commands and recipes, run as a user would run them.

* The demo command (``python3 -m fastboto.demo``, read from README.md) runs
  in a subprocess and must exit 0 and print the policy and ACL it applied.
* Every client construction of the README's "S3-compatible stores" recipe
  block is executed as written, and the ``put_bucket_policy`` it prepares
  must equal what botocore sends for the same construction (URL, body,
  headers, signature scheme and scope; SigV4 and HmacV1 signatures are
  recomputed with botocore's signers). The legacy Content-MD5 mode has no
  counterpart in this botocore (>= 1.36): there the checksum headers are
  checked to be the pre-1.36 ones instead.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import botocore
import botocore.auth
import botocore.awsrequest
import botocore.config
import botocore.credentials
import botocore.session
import pytest

import fastboto
from support.capture_server import CapturedRequest
from support.reference import FAKE_ACCESS_KEY, FAKE_SECRET_KEY, scrub, verify_sigv4

README = Path(__file__).resolve().parents[1] / "README.md"
DEMO_BUCKET = "fastboto-demo-bucket"  # the demo's default --bucket
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def readme_text() -> str:
    return README.read_text(encoding="utf-8")


def code_blocks(language: str):
    """(heading, code) of every fenced ``language`` block in the README."""
    heading = ""
    blocks = []
    for m in re.finditer(r"^(#+ [^\n]*)$|^```(\w*)\n(.*?)^```", readme_text(), re.M | re.S):
        if m.group(1):
            heading = m.group(1).lstrip("# ").strip()
        elif m.group(2) == language:
            blocks.append((heading, m.group(3)))
    return blocks


# ---------------------------------------------------------------------------
# The demo
# ---------------------------------------------------------------------------
def demo_command():
    """The README's demo command: the ``&&``-part of a sh block naming fastboto.demo."""
    for _, code in code_blocks("sh"):
        for line in code.splitlines():
            for part in line.split("&&"):
                if "fastboto.demo" in part:
                    return shlex.split(part.strip())
    raise AssertionError("README.md has no sh block running fastboto.demo")


def test_readme_names_the_demo_command():
    argv = demo_command()
    assert argv[:3] == ["python3", "-m", "fastboto.demo"], argv


def test_demo_command_runs(tmp_path):
    argv = demo_command()
    argv[0] = sys.executable  # the interpreter running the tests is "python3" here
    env = dict(os.environ)  # the isolated test environment, PYTHONPATH included
    # the same fastboto the tests judge, wherever it is installed
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in [str(Path(fastboto.__file__).resolve().parents[1]), os.environ.get("PYTHONPATH")] if p)
    proc = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    out = proc.stdout
    assert proc.returncode == 0, f"exit {proc.returncode}\nstdout:\n{out}\nstderr:\n{proc.stderr[-3000:]}"

    # the policy: printed as JSON after "get_bucket_policy ->", read back from the store
    assert re.search(r"^put_bucket_policy -> HTTP 20[04]$", out, re.M), out
    after = out.split("get_bucket_policy ->\n", 1)
    assert len(after) == 2, out
    policy_text = after[1].split("\nput_bucket_acl", 1)[0]
    policy = json.loads(policy_text)
    assert policy["Version"] == "2012-10-17"
    (statement,) = policy["Statement"]
    assert statement["Effect"] == "Allow"
    assert statement["Action"] == "s3:GetObject"
    assert statement["Resource"] == f"arn:aws:s3:::{DEMO_BUCKET}/*"
    assert statement["Principal"] == "*"

    # the ACL: public-read applied, and the grants read back through BucketAcl
    assert re.search(r"^put_bucket_acl\(ACL='public-read'\) -> HTTP 200$", out, re.M), out
    grants = out.split("BucketAcl.grants ->\n", 1)[1].strip().splitlines()
    rows = [line.split() for line in grants]
    assert ["READ", "Group", ALL_USERS] in rows, grants
    assert any(r[0] == "FULL_CONTROL" and r[1] == "CanonicalUser" for r in rows), grants
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("variable", ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"])
def test_demo_uses_the_configured_endpoint(moto_server, monkeypatch, capsys, variable):
    """With an endpoint in the environment the demo starts no server of its
    own and works on the bucket there."""
    import urllib.request

    import fastboto.demo

    for name in ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, str(moto_server))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    urllib.request.urlopen(urllib.request.Request(f"{moto_server}/configured-demo", method="PUT")).close()
    assert fastboto.demo.main(["--bucket", "configured-demo"]) == 0
    out = capsys.readouterr().out
    assert "started moto" not in out
    assert "arn:aws:s3:::configured-demo/*" in out


# ---------------------------------------------------------------------------
# The S3-compatible store recipes
# ---------------------------------------------------------------------------
def recipe_block() -> str:
    blocks = [code for heading, code in code_blocks("python") if "S3-compatible" in heading]
    assert len(blocks) == 1, f"expected one python block under the S3-compatible stores heading, found {len(blocks)}"
    return blocks[0]


def recipes():
    """(comment above it, the ``fastboto.client(...)`` call node) for each recipe."""
    code = recipe_block()
    tree = ast.parse(code)
    lines = code.splitlines()
    found = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            func = node.value.func
            if isinstance(func, ast.Attribute) and func.attr == "client":
                comment = ""
                for line in reversed(lines[: node.lineno - 1]):
                    if line.startswith("#"):
                        comment = line.lstrip("# ")
                        break
                found.append((comment, node.value))
    return found


RECIPES = recipes()


def test_every_recipe_is_found():
    code = recipe_block()
    assert len(RECIPES) == code.count("fastboto.client(") >= 7
    names = [c.split()[0] for c, _ in RECIPES]
    assert len(set(names)) == len(names), names


class _Recorder:
    """Stands in for ``fastboto`` / ``Config`` to read a call's arguments."""

    def __init__(self, name):
        self.name = name

    def __call__(self, *args, **kwargs):
        return (self.name, args, kwargs)

    def __getattr__(self, attr):
        if attr == "UNSIGNED":
            return botocore.UNSIGNED
        return _Recorder(attr)


def _fill_placeholders(call: ast.Call) -> ast.Call:
    """``<ACCOUNT_ID>`` and similar placeholders become a plausible value."""
    class Fill(ast.NodeTransformer):
        def visit_Constant(self, node):
            if isinstance(node.value, str):
                return ast.copy_location(ast.Constant(re.sub(r"<[A-Z_]+>", "0123456789abcdef", node.value)), node)
            return node
    return ast.fix_missing_locations(Fill().visit(call))


def _evaluate(call: ast.Call, namespace):
    return eval(compile(ast.Expression(_fill_placeholders(call)), "<README>", "eval"), namespace)  # noqa: S307


def botocore_client_for(call: ast.Call):
    """botocore's client for the recipe: same arguments, botocore's Config
    without fastboto's own option (legacy_content_md5), botocore.UNSIGNED."""
    _, args, kwargs = _evaluate(call, {"fastboto": _Recorder("fastboto"), "Config": _Recorder("Config")})
    legacy = False
    if "config" in kwargs:
        _, cargs, ckw = kwargs["config"]
        assert not cargs
        s3 = dict(ckw.get("s3") or {})
        legacy = bool(s3.pop("legacy_content_md5", False))
        if "s3" in ckw:
            ckw = dict(ckw, s3=s3) if s3 else {k: v for k, v in ckw.items() if k != "s3"}
        kwargs = dict(kwargs, config=botocore.config.Config(**ckw))
    client = botocore.session.Session().create_client(*args, **kwargs)
    return client, legacy, kwargs


def botocore_request(client, params):
    """botocore's AWSRequest at request-created (for HmacV1's auth_path) and
    the prepared request at before-send; nothing is sent."""
    captured = {}

    def created(request, **_):
        captured["created"] = request

    def before_send(request, **_):
        captured["prepared"] = request
        return botocore.awsrequest.AWSResponse(request.url, 204, {}, _EmptyRaw())

    client.meta.events.register("request-created.s3", created)
    client.meta.events.register_first("before-send.s3", before_send)
    client.put_bucket_policy(**params)
    return captured["created"], captured["prepared"]


class _EmptyRaw:
    def stream(self, **_):
        return iter(())

    def read(self, *_):
        return b""


def _str(v):
    return v.decode() if isinstance(v, bytes) else v


IGNORED = {"user-agent", "amz-sdk-invocation-id", "amz-sdk-request", "date", "x-amz-date", "authorization",
           "accept", "host"}
CHECKSUM = re.compile(r"^(x-amz-checksum-.*|x-amz-sdk-checksum-algorithm|content-md5)$")


def captured_request(method, url, headers, body) -> CapturedRequest:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    return CapturedRequest(method=method, target=target, version="HTTP/1.1",
                           headers=[(k, _str(v)) for k, v in headers.items()], body=body or b"",
                           connection_id=0, tls=parts.scheme == "https")


@pytest.fixture
def env_credentials(monkeypatch):
    """The recipes that name no keys take them from the environment, as a user's would."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", FAKE_ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", FAKE_SECRET_KEY)


@pytest.mark.parametrize("bucket", ["my-bucket", "my.bucket"])
@pytest.mark.parametrize("comment,call", RECIPES, ids=[c.split()[0] + (" " + c.split()[1] if c.split()[1:2] else "")
                                                        for c, _ in RECIPES])
def test_recipe_prepares_what_botocore_sends(comment, call, bucket, env_credentials):
    params = dict(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": []}))
    ours_client = _evaluate(call, {"fastboto": fastboto, "Config": fastboto.Config})  # as the README has it
    ours = ours_client.prepare_request("put_bucket_policy", **params)
    theirs_client, legacy, kwargs = botocore_client_for(call)
    created, theirs = botocore_request(theirs_client, params)

    ctx = f" for recipe {comment!r}, bucket {bucket}"
    assert ours.method == theirs.method, ctx
    assert ours.url == theirs.url, ctx
    their_body = theirs.body if isinstance(theirs.body, bytes) else (theirs.body or "").encode()
    assert (ours.body or b"") == their_body, ctx
    oh = {k.lower(): _str(v) for k, v in ours.headers.items()}
    th = {k.lower(): _str(v) for k, v in theirs.headers.items()}
    compared = sorted((set(oh) | set(th)) - IGNORED)
    if legacy:
        compared = [k for k in compared if not CHECKSUM.match(k)]
        # the pre-1.36 wire format: Content-MD5 of the body, no flexible checksum
        assert oh.get("content-md5") == base64.b64encode(hashlib.md5(ours.body).digest()).decode(), ctx
        assert not [k for k in oh if k.startswith("x-amz-checksum-") or k == "x-amz-sdk-checksum-algorithm"], ctx
    for k in compared:
        assert oh.get(k) == th.get(k), scrub(f"header {k}: ours {oh.get(k)!r}, botocore {th.get(k)!r}{ctx}")
    assert oh.get("host", urlsplit(ours.url).netloc) == urlsplit(theirs.url).netloc, ctx

    auth_o, auth_t = oh.get("authorization"), th.get("authorization")
    assert (auth_o is None) == (auth_t is None), ctx
    if auth_t is None:
        return  # UNSIGNED on both sides
    assert auth_o.split(" ", 1)[0] == auth_t.split(" ", 1)[0], scrub(f"{auth_o[:30]} vs {auth_t[:30]}{ctx}")
    access_key = kwargs.get("aws_access_key_id", FAKE_ACCESS_KEY)
    secret_key = kwargs.get("aws_secret_access_key", FAKE_SECRET_KEY)
    if auth_t.startswith("AWS4-HMAC-SHA256 "):
        scope_o = auth_o.split("Credential=")[1].split(",")[0].split("/")
        scope_t = auth_t.split("Credential=")[1].split(",")[0].split("/")
        assert scope_o[0] == scope_t[0] == access_key, ctx
        assert scope_o[2:] == scope_t[2:], f"{scope_o[2:]} vs {scope_t[2:]}{ctx}"
        verify_sigv4(captured_request(ours.method, ours.url, ours.headers, ours.body), secret_key,
                     access_key=access_key)
    else:
        assert auth_t.startswith("AWS "), auth_t[:10]
        # botocore's HmacV1Auth over fastboto's request, at fastboto's Date, with
        # the resource path botocore computed for the same call
        signer = botocore.auth.HmacV1Auth(botocore.credentials.Credentials(access_key, secret_key))
        signer._get_date = lambda: oh["date"]
        request = botocore.awsrequest.AWSRequest(
            method=ours.method, url=ours.url, data=ours.body,
            headers={k: v for k, v in ours.headers.items() if k.lower() not in ("authorization", "date")})
        request.auth_path = created.auth_path
        signer.add_auth(request)
        assert hmac_equal(request.headers["Authorization"], auth_o), f"HmacV1 signature differs{ctx}"


def hmac_equal(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a.encode(), b.encode())


def test_recipes_for_stores_refusing_checksum_headers_send_none(env_credentials):
    """A recipe whose store (by its comment) refuses botocore >= 1.36's
    checksum headers must send none, for policy and ACL writes alike."""
    refusing = [(c, call) for c, call in RECIPES if "x-amz-checksum" in c]
    assert {c.split()[0] for c, _ in refusing} >= {"Ceph", "Backblaze"}
    for comment, call in refusing:
        client = _evaluate(call, {"fastboto": fastboto, "Config": fastboto.Config})
        for op, params in (("put_bucket_policy", {"Policy": "{}"}), ("put_bucket_acl", {"ACL": "private"})):
            headers = {k.lower() for k in client.prepare_request(op, Bucket="b", **params).headers}
            assert "content-md5" in headers, comment
            assert not {h for h in headers if h.startswith("x-amz-checksum") or h.startswith("x-amz-sdk-checksum")}, comment
