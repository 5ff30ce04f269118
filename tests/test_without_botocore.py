"""fastboto works where botocore and boto3 cannot be imported (SPEC §3).

A child Python blocks every import of botocore/boto3/s3transfer with a
meta-path finder installed before anything else runs, then uses fastboto
against a capture server. The expected messages are computed here, in the
parent, by real botocore, and the request the child sent is compared with
botocore's for the same call.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import botocore.exceptions

import fastboto  # noqa: F401  -- a missing fastboto must fail this module, not skip it
from support.reference import (
    FAKE_ACCESS_KEY,
    FAKE_SECRET_KEY,
    botocore_client,
    call_and_capture,
    compare_requests,
    scrub,
    verify_sigv4,
)
from support.s3_responses import ERROR_RESPONSES, ok

BLOCKER = textwrap.dedent("""
    import sys

    class _BlockBotocore:
        BLOCKED = ("botocore", "boto3", "s3transfer")

        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in self.BLOCKED:
                raise ImportError(f"import of {name!r} blocked for this test", name=name)
            return None

    sys.meta_path.insert(0, _BlockBotocore())
    for _m in list(sys.modules):
        if _m.split(".")[0] in _BlockBotocore.BLOCKED:
            del sys.modules[_m]
""")

CHILD = textwrap.dedent("""
    import json, sys
    import os
    args = json.loads(os.environ.pop("TEST_CHILD_ARGS"))
    out = {}

    try:
        import botocore  # noqa: F401
        out["blocker"] = "botocore importable"
    except ImportError:
        out["blocker"] = "ok"

    import fastboto
    import fastboto.exceptions as fe

    c = fastboto.client("s3", region_name="us-east-1", endpoint_url=args["endpoint"],
                        aws_access_key_id=args["ak"], aws_secret_access_key=args["sk"],
                        config=fastboto.Config(retries={"max_attempts": 0}))

    r = c.put_bucket_policy(Bucket="my-bucket", Policy=args["policy"])
    out["put_status"] = r["ResponseMetadata"]["HTTPStatusCode"]
    out["put_request_id"] = r["ResponseMetadata"]["RequestId"]

    try:
        c.get_bucket_policy(Bucket="my-bucket")
        out["client_error"] = None
    except fe.ClientError as e:
        out["client_error"] = [type(e).__name__, str(e), e.response["Error"],
                               isinstance(e, c.exceptions.NoSuchBucket),
                               c.exceptions.from_code("NoSuchBucket") is type(e)]

    try:
        c.put_bucket_policy(Bucket="my-bucket", Polcy="{}")
        out["param_error"] = None
    except fe.ParamValidationError as e:
        out["param_error"] = [type(e).__name__, str(e), isinstance(e, fe.BotoCoreError)]

    try:
        c.put_bucket_policy(Bucket=1, Policy="{}")
        out["type_error"] = None
    except fe.ParamValidationError as e:
        out["type_error"] = str(e)

    out["delegated"] = []
    for owner, name in ((c, "list_buckets"), (c, "get_paginator"),
                        (fastboto.resource("s3", region_name="us-east-1"), "buckets"),
                        (fastboto.Session(region_name="us-east-1"), "get_available_regions")):
        try:
            getattr(owner, name)
            out["delegated"].append(None)
        except AttributeError as e:
            out["delegated"].append(str(e))
    out["native_attribute_errors"] = [hasattr(c, "_private"), hasattr(c, "__wrapped__")]

    c.close()
    out["leaked"] = sorted(m for m in sys.modules if m.split(".")[0] in ("botocore", "boto3", "s3transfer"))
    print("RESULT " + json.dumps(out))
""")


def _child_env():
    env = dict(os.environ)  # already isolated by the autouse fixture
    # resolve fastboto in the child exactly as in this process
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    env.pop("PYTHONSTARTUP", None)
    return env


def _run_child(endpoint, policy):
    __tracebackhide__ = True
    env = _child_env()
    # credentials travel in the environment, not argv (argv shows in reports)
    env["TEST_CHILD_ARGS"] = json.dumps(dict(endpoint=endpoint, ak=FAKE_ACCESS_KEY, sk=FAKE_SECRET_KEY, policy=policy))
    proc = subprocess.run([sys.executable, "-c", BLOCKER + CHILD], capture_output=True, text=True, timeout=60, env=env)
    rc, stdout, stderr = proc.returncode, proc.stdout, proc.stderr
    assert rc == 0, scrub(f"child failed ({rc}):\n{stdout}\n{stderr}")
    lines = [line for line in stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, scrub(stdout + stderr)
    return json.loads(lines[-1][len("RESULT "):])


def test_blocker_really_blocks_botocore():
    proc = subprocess.run(
        [sys.executable, "-c", BLOCKER + "import botocore.exceptions"],
        capture_output=True, text=True, timeout=60, env=_child_env(),
    )
    rc, stderr = proc.returncode, proc.stderr
    assert rc != 0 and "blocked for this test" in stderr, stderr


def test_fastboto_without_botocore(capture_server):
    policy = '{"Version": "2012-10-17", "Sid": "é"}'
    nsb = ERROR_RESPONSES["NoSuchBucket-404"][0]
    capture_server.set_response(nsb)
    capture_server.enqueue(ok(204))
    result = _run_child(capture_server.url, policy)
    child_requests = capture_server.pop_all()

    # expectations from real botocore, for the same calls
    theirs_c = botocore_client(region_name="us-east-1", endpoint_url=capture_server.url,
                               config={"retries": {"max_attempts": 0}})
    capture_server.set_response(ok(204))
    theirs_put = call_and_capture(capture_server, theirs_c, "put_bucket_policy", Bucket="my-bucket", Policy=policy)
    capture_server.set_response(nsb)
    theirs_get = call_and_capture(capture_server, theirs_c, "get_bucket_policy", Bucket="my-bucket")
    theirs_param = call_and_capture(capture_server, theirs_c, "put_bucket_policy", Bucket="my-bucket", Polcy="{}")

    assert result["blocker"] == "ok"
    assert result["leaked"] == [], f"botocore/boto3 modules loaded in the child: {result['leaked']}"
    assert result["put_status"] == 204
    assert result["put_request_id"] == theirs_put.result["ResponseMetadata"]["RequestId"]

    err = theirs_get.error
    assert result["client_error"] == [type(err).__name__, str(err), err.response["Error"], True, True]

    perr = theirs_param.error
    assert isinstance(perr, botocore.exceptions.ParamValidationError)
    assert result["param_error"] == ["ParamValidationError", str(perr), True]
    assert result["type_error"] == ("Parameter validation failed:\nInvalid type for parameter Bucket, value: 1, "
                                    "type: <class 'int'>, valid types: <class 'str'>")
    # what fastboto would delegate to botocore: an AttributeError naming what to install
    owners = ["S3", "S3", "s3.ServiceResource", "Session"]
    names = ["list_buckets", "get_paginator", "buckets", "get_available_regions"]
    for message, owner, name in zip(result["delegated"], owners, names):
        assert message is not None and message.startswith(f"'{owner}' object has no attribute '{name}'"), message
        assert "pip install boto3" in message, message
    assert result["native_attribute_errors"] == [False, False]

    # the child sent exactly the put and the get, equal to botocore's
    assert len(child_requests) == 2, f"child sent {len(child_requests)} requests"
    compare_requests(child_requests[0], theirs_put.request)
    compare_requests(child_requests[1], theirs_get.request)
    for r in child_requests:
        verify_sigv4(r, FAKE_SECRET_KEY)


def test_import_fastboto_does_not_need_botocore():
    proc = subprocess.run(
        [sys.executable, "-c", BLOCKER + textwrap.dedent("""
            import sys, fastboto, fastboto.exceptions
            names = ["BotoCoreError", "ClientError", "ParamValidationError", "NoCredentialsError",
                     "PartialCredentialsError", "NoRegionError", "ProfileNotFound", "EndpointConnectionError",
                     "ConnectTimeoutError", "ReadTimeoutError", "ConnectionClosedError",
                     "FlexibleChecksumError", "UnknownServiceError", "ProxyConnectionError"]
            missing = [n for n in names if not isinstance(getattr(fastboto.exceptions, n, None), type)]
            assert not missing, missing
            for n in names:
                if n != "ClientError":
                    assert issubclass(getattr(fastboto.exceptions, n), fastboto.exceptions.BotoCoreError), n
            assert "botocore" not in sys.modules
            print("OK")
        """)],
        capture_output=True, text=True, timeout=60, env=_child_env(),
    )
    rc, output = proc.returncode, proc.stdout + proc.stderr
    assert rc == 0 and proc.stdout.strip().endswith("OK"), scrub(output)
