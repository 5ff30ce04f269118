"""`str` subclasses in put_bucket_acl: botocore's XML serializer writes
`str(value)` as element text, so a `(str, Enum)` member or a subclass with
its own `__str__` is sent as what `str()` gives; attributes (`xsi:type`),
headers and the URI take the value itself. fastboto sends the same bytes."""

from __future__ import annotations

import enum

import pytest

import fastboto
from support.reference import FAKE_ACCESS_KEY, FAKE_SECRET_KEY, botocore_client, capture_botocore_prepared


class Permission(str, enum.Enum):
    READ = "READ"
    FULL_CONTROL = "FULL_CONTROL"


class Shown(str):
    def __str__(self) -> str:
        return "shown-" + self[::-1]


class Plain(str):
    """A subclass that keeps str's __str__: sent as its value."""


def _policy(permission, grantee_id, display_name, grantee_type="CanonicalUser"):
    return {
        "Grants": [{"Grantee": {"Type": grantee_type, "ID": grantee_id, "DisplayName": display_name},
                    "Permission": permission}],
        "Owner": {"ID": grantee_id, "DisplayName": display_name},
    }


CASES = {
    "enum-permission": _policy(Permission.READ, "abc", "me"),
    "enum-full-control": _policy(Permission.FULL_CONTROL, "abc", "me"),
    "custom-str-id": _policy("READ", Shown("abc"), "me"),
    "custom-str-display-name-escaped": _policy("WRITE", "abc", Shown("<&>")),
    "plain-subclass": _policy(Plain("READ"), Plain("abc"), Plain("me")),
}


@pytest.mark.parametrize("case", list(CASES))
def test_str_subclasses_in_acl_xml(case):
    params = {"Bucket": "my-bucket", "AccessControlPolicy": CASES[case], "ChecksumAlgorithm": "CRC32"}
    theirs = capture_botocore_prepared(botocore_client(region_name="us-west-2"), "put_bucket_acl", **params)
    ours = fastboto.client("s3", region_name="us-west-2", aws_access_key_id=FAKE_ACCESS_KEY,
                           aws_secret_access_key=FAKE_SECRET_KEY).prepare_request("put_bucket_acl", **params)
    assert ours.body == theirs.body
    assert ours.headers["x-amz-checksum-crc32"] == _text(theirs.headers["x-amz-checksum-crc32"])


def _text(value):
    return value.decode() if isinstance(value, bytes) else value


@pytest.mark.parametrize("operation, params, header", [
    ("put_bucket_acl", {"GrantRead": Shown("id=abc")}, "x-amz-grant-read"),
    ("put_bucket_acl", {"ACL": Shown("private")}, "x-amz-acl"),
    ("put_bucket_acl", {"ACL": Plain("private")}, "x-amz-acl"),
    ("put_bucket_policy", {"Policy": Shown("{}"), "ExpectedBucketOwner": Shown("123")}, "x-amz-expected-bucket-owner"),
])
def test_str_subclass_in_a_header_is_sent_as_str(operation, params, header):
    """Headers carry str(value) in botocore; a string payload (Policy)
    carries the value. (A str-subclass Bucket is left out: botocore's
    endpoint rules format str(Bucket) into the host, but its endpoint cache
    answers for an equal plain name first, so what it sends depends on the
    client's history.)"""
    params = {"Bucket": "my-bucket", **params}
    theirs = capture_botocore_prepared(botocore_client(region_name="us-west-2"), operation, **params)
    ours = fastboto.client("s3", region_name="us-west-2", aws_access_key_id=FAKE_ACCESS_KEY,
                           aws_secret_access_key=FAKE_SECRET_KEY).prepare_request(operation, **params)
    sent = [v for k, v in params.items() if k not in ("Bucket", "Policy")][0]
    assert ours.headers[header] == _text(theirs.headers[header]) == str(sent)
    assert ours.url == theirs.url
    assert ours.body == (theirs.body or b"")


class Algorithm(str, enum.Enum):
    CRC32 = "CRC32"
    SHA256 = "sha256"
    BOGUS = "bogus"


@pytest.mark.parametrize("operation, extra", [
    ("put_bucket_policy", {"Policy": "{}"}),
    ("put_bucket_acl", {"ACL": "private"}),
])
@pytest.mark.parametrize("algorithm", [Algorithm.CRC32, Algorithm.SHA256, Algorithm.BOGUS,
                                       Shown("SHA1"), Plain("crc32c")],
                         ids=["enum-crc32", "enum-sha256-lower", "enum-bogus", "custom-str", "plain"])
def test_str_subclass_checksum_algorithm(operation, extra, algorithm):
    """botocore picks the algorithm from the value (``value.lower()``) and
    sends ``str(value)`` in ``x-amz-sdk-checksum-algorithm``; an unsupported
    value's FlexibleChecksumError names the lower-cased value."""
    params = {"Bucket": "my-bucket", "ChecksumAlgorithm": algorithm, **extra}
    try:
        theirs = capture_botocore_prepared(botocore_client(region_name="us-west-2"), operation, **params)
    except Exception as e:  # noqa: BLE001 - compared below
        theirs = e
    ours_client = fastboto.client("s3", region_name="us-west-2", aws_access_key_id=FAKE_ACCESS_KEY,
                                  aws_secret_access_key=FAKE_SECRET_KEY)
    if isinstance(theirs, Exception):
        with pytest.raises(fastboto.exceptions.FlexibleChecksumError) as raised:
            ours_client.prepare_request(operation, **params)
        assert type(theirs).__name__ == "FlexibleChecksumError"
        assert str(raised.value) == str(theirs)
        return
    ours = ours_client.prepare_request(operation, **params)
    checksum_headers = sorted(k.lower() for k in theirs.headers if k.lower().startswith("x-amz-checksum-"))
    assert sorted(k for k in ours.headers if k.startswith("x-amz-checksum-")) == checksum_headers
    for name in checksum_headers + ["x-amz-sdk-checksum-algorithm"]:
        assert ours.headers[name] == _text(theirs.headers[name])
    assert ours.headers["x-amz-sdk-checksum-algorithm"] == str(algorithm)
