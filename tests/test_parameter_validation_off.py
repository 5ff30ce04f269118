"""``Config(parameter_validation=False)`` (or ``parameter_validation = false``
in the profile) against botocore: no validator runs, and what botocore's
serializer sends for unchecked input — missing members left out, ``None``
values skipped (inside a structure: everything from the first ``None`` on),
``str(value)`` for a value of the wrong type in a header or XML element,
``str(value).lower()`` for a boolean header, ``bytes`` / ``bytearray`` string
payloads as given — fastboto sends too, byte for byte, through a capture
server, with a signature that verifies.

Where botocore's serializer crashes instead (KeyError for an unknown
parameter or a missing ``Bucket``, AttributeError / TypeError for a structure
of the wrong type, a non-str XML attribute, a ``ChecksumAlgorithm`` that is
neither str nor bytes, a ``None`` payload), fastboto raises ``ParamValidationError`` naming the
problem, and neither sends anything (README "Known differences"). botocore's
own errors that do not come from its validator (the bucket-name handler,
FlexibleChecksumError) are raised as botocore raises them.
"""

from __future__ import annotations

import io
from typing import Any, Dict

import botocore.exceptions
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fastboto
from support.ours import assert_differential, fastboto_client, run_both
from support.reference import (
    FAKE_ACCESS_KEY,
    FAKE_SECRET_KEY,
    assert_same_error,
    compare_requests,
    scrub,
    verify_sigv4,
)

OFF = {"region_name": "us-west-2", "config": {"parameter_validation": False}}
GRANTEE = {"Type": "CanonicalUser", "ID": "abc"}


def _botocore_crashed(error: BaseException) -> bool:
    """A Python error from inside botocore's serializer, not one of its own."""
    return not isinstance(error, (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError))


def assert_unchecked_same(server, operation: str, params: Dict[str, Any], client_kwargs=OFF):
    __tracebackhide__ = True
    client_kwargs = {**client_kwargs, "endpoint_url": server.url}
    ours, theirs = run_both(server, operation, client_kwargs, params)
    if theirs.error is not None:
        assert not theirs.requests, "harness: botocore raised after sending"
        assert not ours.requests, f"fastboto sent {len(ours.requests)} request(s) where botocore raised"
        if _botocore_crashed(theirs.error):
            assert isinstance(ours.error, fastboto.exceptions.ParamValidationError), (
                f"botocore crashed with {type(theirs.error).__name__}: {theirs.error}; "
                f"fastboto gave {ours.error!r}")
        else:
            assert_same_error(ours.error, theirs.error)
        return theirs.error
    assert ours.error is None, f"botocore sent; fastboto raised {type(ours.error).__name__}: {scrub(ours.error)}"
    assert len(ours.requests) == len(theirs.requests) == 1
    compare_requests(ours.request, theirs.request)
    verify_sigv4(ours.request, FAKE_SECRET_KEY, access_key=FAKE_ACCESS_KEY)
    assert ours.result == theirs.result
    return None


P, A = "put_bucket_policy", "put_bucket_acl"
SENT = [
    (P, {"Bucket": "b"}),
    (P, {"Bucket": "b", "Policy": ""}),
    (P, {"Bucket": "b", "Policy": "{}", "ExpectedBucketOwner": 123}),
    (P, {"Bucket": "b", "Policy": "{}", "ExpectedBucketOwner": None}),
    (P, {"Bucket": "b", "Policy": "{}", "ExpectedBucketOwner": ["a", "b"]}),
    (P, {"Bucket": "b", "Policy": "{}", "ExpectedBucketOwner": True}),
    (P, {"Bucket": "b", "Policy": "{}", "ExpectedBucketOwner": 1.5}),
    (P, {"Bucket": "b", "Policy": "{}", "ExpectedBucketOwner": b"x"}),
    (P, {"Bucket": "b", "Policy": "{}", "ExpectedBucketOwner": ""}),
    (P, {"Bucket": "b", "Policy": "{}", "ExpectedBucketOwner": {"k": "v"}}),
    (P, {"Bucket": "b", "Policy": "{}", "ConfirmRemoveSelfBucketAccess": "YES"}),
    (P, {"Bucket": "b", "Policy": "{}", "ConfirmRemoveSelfBucketAccess": 1}),
    (P, {"Bucket": "b", "Policy": "{}", "ConfirmRemoveSelfBucketAccess": True}),
    (P, {"Bucket": "b", "Policy": "{}", "ConfirmRemoveSelfBucketAccess": [True]}),
    (P, {"Bucket": "b", "Policy": b'{"a":1}'}),
    (P, {"Bucket": "b", "Policy": bytearray(b'{"a":1}')}),
    (P, {"Bucket": "b", "Policy": "{}", "ChecksumAlgorithm": "crc32"}),
    (P, {"Bucket": "b", "Policy": "{}", "ChecksumAlgorithm": "SHA256", "ContentMD5": 5}),
    (P, {"Bucket": "b", "Policy": "{}", "ContentMD5": None, "Bogus": None}),
    ("get_bucket_policy", {"Bucket": "b", "ExpectedBucketOwner": 5}),
    ("get_bucket_policy", {"Bucket": "b", "Unknown": None}),
    ("delete_bucket_policy", {"Bucket": "b", "ExpectedBucketOwner": False}),
    ("get_bucket_acl", {"Bucket": "b", "ExpectedBucketOwner": 0}),
    (A, {"Bucket": "b"}),
    (A, {"Bucket": "b", "ACL": "bogus", "GrantRead": 5, "GrantWrite": ["x"], "GrantFullControl": None}),
    (A, {"Bucket": "b", "AccessControlPolicy": None}),
    (A, {"Bucket": "b", "AccessControlPolicy": {}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Grants": []}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Grants": ()}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Grants": {}}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Grants": ""}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Grants": b""}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": 5},
                                                             "Permission": "READ"}]}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Grants": [{"Grantee": {"Type": "CanonicalUser"}}]}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Grants": [{"Grantee": {"ID": "x"}, "Permission": "READ"}]}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Grants": ({"Grantee": GRANTEE, "Permission": "READ"},)}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Owner": {"ID": True}}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Owner": {"ID": 1.5, "DisplayName": None}}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Owner": {"DisplayName": None, "Bogus": 1}}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Owner": {"DisplayName": None, "ID": "x"}, "Grants": []}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Grants": None, "Owner": {"ID": "x"}}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Grants": [{"Grantee": None, "Permission": None}]}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Grants": [{"Grantee": {"Type": None, "ID": "x"},
                                                             "Permission": "READ"}]}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": ["a", "b"]},
                                                             "Permission": 7}]}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Grants": [{"Permission": "READ", "Grantee": GRANTEE}],
                                                "Owner": {"ID": "o", "DisplayName": "<&>"}}}),
]
CRASHES = [
    (P, {"Bucket": "b", "Policy": 123}),
    (P, {"Bucket": "b", "Policy": None}),
    (P, {"Bucket": "b", "Policy": {"a": 1}}),
    (P, {"Bucket": "b", "Policy": "{}", "Foo": 1}),
    (P, {"Policy": "{}"}),
    (P, {"Bucket": 1, "Policy": "{}"}),
    (P, {"Bucket": None, "Policy": "{}"}),
    (P, {"Bucket": "b", "Policy": "{}", "ChecksumAlgorithm": 1}),
    (P, {"Bucket": "b", "Policy": "{}", "ChecksumAlgorithm": None}),
    ("get_bucket_policy", {}),
    ("get_bucket_acl", {"Bucket": "b", "Extra": 0}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Grants": [{"Grantee": {**GRANTEE, "Bogus": 1},
                                                             "Permission": "READ"}]}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Grants": "x"}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Grants": {"k": 1}}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Grants": 0}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Owner": "x"}}),
    (A, {"Bucket": "b", "AccessControlPolicy": "x"}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Grants": [None]}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Owner": {"Bogus": None}}}),
    (A, {"Bucket": "b", "AccessControlPolicy": {"Grants": [{"Grantee": {"Type": 5, "ID": "x"},
                                                             "Permission": "READ"}]}}),
]
BOTOCORE_ERRORS = [
    (P, {"Bucket": "", "Policy": "{}"}),
    (P, {"Bucket": "a b"}),
    (P, {"Bucket": "b", "Policy": "{}", "ChecksumAlgorithm": "BOGUS"}),
    # bytes.lower() works: FlexibleChecksumError names b'sha1'.
    (P, {"Bucket": "b", "Policy": "{}", "ChecksumAlgorithm": b"SHA1"}),
    (A, {"Bucket": "b", "ACL": "private", "ChecksumAlgorithm": bytearray(b"CRC32")}),
]


def _ids(cases):
    return [f"{op}-{i}" for i, (op, _) in enumerate(cases)]


@pytest.mark.parametrize("operation,params", SENT, ids=_ids(SENT))
def test_unchecked_input_is_sent_as_botocore_sends_it(capture_server, operation, params):
    assert assert_unchecked_same(capture_server, operation, params) is None, "botocore sends this input"


@pytest.mark.parametrize("operation,params", CRASHES, ids=_ids(CRASHES))
def test_where_botocore_crashes_nothing_is_sent(capture_server, operation, params):
    error = assert_unchecked_same(capture_server, operation, params)
    assert error is not None and _botocore_crashed(error), f"botocore gave {error!r}"


@pytest.mark.parametrize("operation,params", BOTOCORE_ERRORS, ids=_ids(BOTOCORE_ERRORS))
def test_botocore_errors_that_are_not_validation(capture_server, operation, params):
    error = assert_unchecked_same(capture_server, operation, params)
    assert error is not None and not _botocore_crashed(error)


def test_crash_report_names_the_problem():
    s3 = fastboto_client(**OFF)
    with pytest.raises(fastboto.exceptions.ParamValidationError) as e:
        s3.prepare_request(P, Bucket="b", Policy="{}", Foo=1)
    assert 'Unknown parameter in input: "Foo"' in str(e.value)
    assert "Missing required" not in str(e.value)
    with pytest.raises(fastboto.exceptions.ParamValidationError) as e:
        s3.prepare_request("get_bucket_policy")
    assert str(e.value).endswith('Missing required parameter in input: "Bucket"')


def test_file_like_policy_is_refused(capture_server):
    """README "Known differences": botocore streams a file-like string
    payload when validation is off; fastboto refuses it and sends nothing."""
    ours, theirs = run_both(capture_server, P, {**OFF, "endpoint_url": capture_server.url},
                            {"Bucket": "b", "Policy": io.BytesIO(b"{}")})
    assert theirs.error is None and theirs.request.body == b"{}", "premise: botocore sends it"
    assert isinstance(ours.error, fastboto.exceptions.ParamValidationError) and not ours.requests


def test_header_injection_is_still_refused(capture_server):
    """CR/LF in a header value: fastboto's deliberate ParamValidationError
    (README) holds with validation off too, also for a value that only
    becomes a str by str()."""
    s3 = fastboto_client(endpoint_url=capture_server.url, **OFF)
    class Owner:
        def __str__(self):
            return "a\nb"

    for owner in ("a\nb", Owner()):
        with pytest.raises(fastboto.exceptions.ParamValidationError, match="CR or LF"):
            s3.put_bucket_policy(Bucket="b", Policy="{}", ExpectedBucketOwner=owner)
    assert not capture_server.pop_all()


@pytest.mark.parametrize("config,config_file,checked", [
    ({"parameter_validation": False}, "", False),
    ({"parameter_validation": None}, "", False),
    ({"parameter_validation": 0}, "", False),
    ({"parameter_validation": True}, "", True),
    (None, "[default]\nparameter_validation = false\n", False),
    (None, "[default]\nparameter_validation = FALSE\n", False),
    (None, "[default]\nparameter_validation = true\n", True),
    (None, "[default]\nparameter_validation = no\n", False),
    ({"parameter_validation": True}, "[default]\nparameter_validation = false\n", False),
    ({}, "[default]\nparameter_validation = false\n", False),
    ({"parameter_validation": False}, "[default]\nparameter_validation = true\n", False),
], ids=lambda v: repr(v))
def test_validation_setting_sources(capture_server, tmp_path, monkeypatch, config, config_file, checked):
    """Where botocore reads the setting: a Config that turns it off (any
    falsy value) wins, otherwise the profile's ``parameter_validation``
    (ensure_boolean)."""
    path = tmp_path / "config"
    path.write_text(config_file)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(path))
    kwargs = {"region_name": "us-west-2", "config": config}
    error = assert_unchecked_same(capture_server, P, {"Bucket": "b", "ExpectedBucketOwner": 5}, kwargs)
    assert (error is not None) == checked
    if checked:
        assert isinstance(error, botocore.exceptions.ParamValidationError)


def test_resource_and_aio_clients_unchecked(capture_server):
    import asyncio

    import fastboto.aio

    config = fastboto.Config(parameter_validation=False)
    kwargs = dict(region_name="us-west-2", endpoint_url=capture_server.url, aws_access_key_id="AKIDEXAMPLE",
                  aws_secret_access_key="secret", config=config)
    fastboto.resource("s3", **kwargs).BucketAcl("b").put(GrantRead=7)
    (request,) = capture_server.pop_all()
    assert request.header("x-amz-grant-read") == "7"

    async def main():
        async with fastboto.aio.client("s3", **kwargs) as s3:
            await s3.put_bucket_policy(Bucket="b", ExpectedBucketOwner=8)

    asyncio.run(main())
    (request,) = capture_server.pop_all()
    assert request.header("x-amz-expected-bucket-owner") == "8"
    assert request.body == b""


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.floats(allow_nan=False, width=32),
                    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=8),
                    st.binary(max_size=4), st.lists(st.text("ab", max_size=2), max_size=2))
GRANTEES = st.dictionaries(st.sampled_from(["Type", "ID", "DisplayName", "EmailAddress", "URI", "Nope"]),
                           st.one_of(SCALARS, st.sampled_from(["CanonicalUser", "Group"])), max_size=4)
GRANTS = st.lists(st.dictionaries(st.sampled_from(["Grantee", "Permission"]),
                                  st.one_of(GRANTEES, SCALARS), max_size=2), max_size=2)
ACP = st.dictionaries(st.sampled_from(["Grants", "Owner"]),
                      st.one_of(GRANTS, st.dictionaries(st.sampled_from(["ID", "DisplayName"]), SCALARS, max_size=2),
                                SCALARS, st.sampled_from([{}, "", b"", {"k": "v"}])), max_size=2)
POLICY_PARAMS = st.fixed_dictionaries({"Bucket": st.just("b")}, optional={
    "Policy": st.one_of(st.text(max_size=20), st.binary(max_size=8), SCALARS),
    "ExpectedBucketOwner": SCALARS, "ConfirmRemoveSelfBucketAccess": SCALARS, "ContentMD5": SCALARS,
    "Unknown": st.one_of(st.none(), st.just(1))})
ACL_PARAMS = st.fixed_dictionaries({"Bucket": st.just("b")}, optional={
    "AccessControlPolicy": st.one_of(ACP, SCALARS), "ACL": SCALARS, "GrantRead": SCALARS,
    "GrantWriteACP": SCALARS})


@settings(max_examples=int(__import__("os").environ.get("FASTBOTO_UNCHECKED_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=st.one_of(st.tuples(st.just(P), POLICY_PARAMS), st.tuples(st.just(A), ACL_PARAMS)))
def test_generated_unchecked_input(capture_server, case):
    operation, params = case
    header_values = [v for k, v in params.items() if k not in ("Bucket", "Policy", "AccessControlPolicy")]
    if any("\r" in str(v) or "\n" in str(v) for v in header_values):
        return  # fastboto's deliberate refusal, tested above
    assert_unchecked_same(capture_server, operation, params)


def test_differential_harness_with_validation_on(capture_server):
    """The same harness with validation on: the validator's errors, as before."""
    kwargs = {"region_name": "us-west-2"}
    params = {"Bucket": "b", "Policy": "{}", "ExpectedBucketOwner": 5}
    ours, theirs = run_both(capture_server, P, kwargs, params)
    assert_differential(ours, theirs, P, params, kwargs)
    assert isinstance(ours.error, fastboto.exceptions.ParamValidationError)
