"""ACLs against a real S3 implementation (moto's server on 127.0.0.1).

Two buckets: boto3 writes one, fastboto the other, with the same inputs;
boto3 (the independent reader) must read back the same ACL from both, and
fastboto must read each back as boto3 does. Errors from the server (no such
bucket, canned ACL together with grant headers) must equal boto3's.
"""

from __future__ import annotations

import json

import boto3
import botocore.config
import botocore.exceptions
import pytest

import fastboto
from support.acl_support import ALL_USERS, AUTH_USERS, LOG_DELIVERY
from support.reference import scrub

OURS, THEIRS = "fb-ours", "fb-theirs"
_VOLATILE_HEADERS = ("date", "x-amz-request-id", "x-amz-id-2", "x-amzn-requestid", "server", "content-length")


def _kw(moto_server):
    return dict(region_name="us-east-1", endpoint_url=str(moto_server),
                aws_access_key_id=moto_server.access_key, aws_secret_access_key=moto_server.secret_key)


# No retries: a moto 500 is reported at once (and equally) by both.
NO_RETRY = {"retries": {"max_attempts": 0}}


@pytest.fixture
def b3(moto_server):
    return boto3.session.Session().client("s3", config=botocore.config.Config(**NO_RETRY), **_kw(moto_server))


@pytest.fixture
def fb(moto_server):
    with fastboto.client("s3", config=fastboto.Config(**NO_RETRY), **_kw(moto_server)) as c:
        yield c


@pytest.fixture
def buckets(b3):
    for name in (OURS, THEIRS):
        b3.create_bucket(Bucket=name)
    return b3.get_bucket_acl(Bucket=THEIRS)["Owner"]


def _strip(result):
    """Drop what differs per call on a live server (ids, dates, lengths)."""
    out = dict(result)
    md = dict(out.pop("ResponseMetadata"))
    md["HTTPHeaders"] = {k: v for k, v in md["HTTPHeaders"].items() if k not in _VOLATILE_HEADERS}
    md.pop("RequestId", None)
    md.pop("HostId", None)
    return out, md


def _acl(client, bucket):
    out = client.get_bucket_acl(Bucket=bucket)
    out.pop("ResponseMetadata")
    return out


def _write_both(b3, fb, params):
    """boto3 writes THEIRS, fastboto writes OURS; the outcomes must agree."""
    __tracebackhide__ = True
    outcomes = []
    for client, bucket in ((b3, THEIRS), (fb, OURS)):
        try:
            outcomes.append((_strip(client.put_bucket_acl(Bucket=bucket, **params)), None))
        except Exception as e:  # noqa: BLE001 - compared
            outcomes.append((None, e))
    (t_res, t_err), (o_res, o_err) = outcomes
    if t_err is not None:
        assert o_err is not None, f"fastboto succeeded where boto3 raised {scrub(t_err)}"
        assert type(o_err).__name__ == type(t_err).__name__
        assert str(o_err) == str(t_err)
        if isinstance(t_err, botocore.exceptions.ClientError):
            assert isinstance(o_err, botocore.exceptions.ClientError)
            assert o_err.response["Error"] == t_err.response["Error"]
            assert _strip(o_err.response) == _strip(t_err.response)
    else:
        assert o_err is None, f"fastboto raised {type(o_err).__name__}: {scrub(o_err)}"
        assert o_res == t_res
    return t_err


def _assert_same_acl(b3, fb):
    __tracebackhide__ = True
    theirs = _acl(b3, THEIRS)
    ours = _acl(b3, OURS)
    assert ours == theirs, f"boto3 reads back different ACLs:\n fastboto wrote: {ours}\n boto3 wrote:    {theirs}"
    # fastboto reads both buckets as boto3 does, ResponseMetadata included
    for bucket in (OURS, THEIRS):
        assert _strip(fb.get_bucket_acl(Bucket=bucket)) == _strip(b3.get_bucket_acl(Bucket=bucket))
    return theirs


def _case(owner, name):
    me = f'id="{owner["ID"]}"'
    return {
        "private": dict(ACL="private"),
        "public-read": dict(ACL="public-read"),
        "public-read-write": dict(ACL="public-read-write"),
        "authenticated-read": dict(ACL="authenticated-read"),
        "log-delivery-write": dict(ACL="log-delivery-write"),
        "grant-headers": dict(GrantRead=f'uri="{ALL_USERS}"', GrantWrite=f'uri="{LOG_DELIVERY}"',
                              GrantFullControl=me),
        "grant-headers-acp": dict(GrantReadACP=f'uri="{AUTH_USERS}", {me}', GrantWriteACP=me),
        "acp-typical": dict(AccessControlPolicy={
            "Grants": [
                {"Grantee": {"Type": "CanonicalUser", "ID": owner["ID"], "DisplayName": owner["DisplayName"]},
                 "Permission": "FULL_CONTROL"},
                {"Grantee": {"Type": "Group", "URI": ALL_USERS}, "Permission": "READ"},
                {"Grantee": {"Type": "Group", "URI": LOG_DELIVERY}, "Permission": "WRITE"},
            ],
            "Owner": owner,
        }),
        "acp-keys-in-another-order": dict(AccessControlPolicy={
            "Owner": {"DisplayName": owner["DisplayName"], "ID": owner["ID"]},
            "Grants": [{"Permission": "READ_ACP", "Grantee": {"URI": AUTH_USERS, "Type": "Group"}}],
        }),
        "acp-unicode-display-names": dict(AccessControlPolicy={
            "Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": owner["ID"], "DisplayName": "Zoë & <日本> 🚀"},
                        "Permission": "FULL_CONTROL"}],
            "Owner": {"ID": owner["ID"], "DisplayName": "\"quoted\" 'owner'"},
        }),
        # (an empty Grants list is left out: moto 5.2 then fails every GetBucketAcl with a 500)
        "acp-owner-grant-only": dict(AccessControlPolicy={"Grants": [
            {"Grantee": {"Type": "CanonicalUser", "ID": owner["ID"]}, "Permission": "FULL_CONTROL"}], "Owner": owner}),
        "acp-grants-tuple": dict(AccessControlPolicy={
            "Grants": ({"Grantee": {"Type": "Group", "URI": ALL_USERS}, "Permission": "READ"},), "Owner": owner}),
        "checksum-sha256": dict(ACL="public-read", ChecksumAlgorithm="SHA256"),
        "checksum-crc32c": dict(AccessControlPolicy={"Grants": [
            {"Grantee": {"Type": "Group", "URI": AUTH_USERS}, "Permission": "READ"}], "Owner": owner},
            ChecksumAlgorithm="CRC32C"),
        "content-md5": dict(ACL="authenticated-read", ContentMD5="1B2M2Y8AsgTpgAmY7PhCfg=="),
        "expected-owner": dict(ACL="public-read", ExpectedBucketOwner="123456789012"),
        # S3 decides: a canned ACL together with grant headers is an error
        "canned-and-grant-headers": dict(ACL="public-read", GrantRead=f'uri="{ALL_USERS}"'),
    }[name]


CASES = ["private", "public-read", "public-read-write", "authenticated-read", "log-delivery-write",
         "grant-headers", "grant-headers-acp", "acp-typical", "acp-keys-in-another-order",
         "acp-unicode-display-names", "acp-owner-grant-only", "acp-grants-tuple", "checksum-sha256",
         "checksum-crc32c", "content-md5", "expected-owner", "canned-and-grant-headers"]


@pytest.mark.parametrize("name", CASES)
def test_what_fastboto_writes_boto3_reads_back(b3, fb, buckets, name):
    err = _write_both(b3, fb, _case(buckets, name))
    acl = _assert_same_acl(b3, fb)
    if err is None:
        assert acl["Grants"], "the ACL was not applied"


def test_sequence_of_changes(b3, fb, buckets):
    for name in ["public-read", "acp-typical", "private", "grant-headers", "acp-owner-grant-only"]:
        _write_both(b3, fb, _case(buckets, name))
        _assert_same_acl(b3, fb)


def test_fastboto_reads_what_boto3_wrote(b3, fb, buckets):
    b3.put_bucket_acl(Bucket=THEIRS, **_case(buckets, "acp-typical"))
    theirs = b3.get_bucket_acl(Bucket=THEIRS)
    ours = fb.get_bucket_acl(Bucket=THEIRS)
    assert _strip(ours) == _strip(theirs)
    assert list(ours) == list(theirs)


@pytest.mark.parametrize("call", [
    ("put_bucket_acl", dict(ACL="private")),
    ("put_bucket_acl", dict(AccessControlPolicy={"Grants": [], "Owner": {"ID": "x"}})),
    ("get_bucket_acl", {}),
    ("get_bucket_acl", dict(ExpectedBucketOwner="123456789012")),
], ids=lambda c: c[0] + "-" + ",".join(c[1]) if isinstance(c, tuple) else None)
def test_no_such_bucket(b3, fb, call):
    operation, params = call
    errors = []
    for client in (b3, fb):
        with pytest.raises(botocore.exceptions.ClientError) as ei:
            getattr(client, operation)(Bucket="no-such-bucket-here", **params)
        errors.append(ei.value)
    theirs, ours = errors
    assert type(ours).__name__ == type(theirs).__name__ == "NoSuchBucket"
    assert str(ours) == str(theirs)
    assert _strip(ours.response) == _strip(theirs.response)
    assert isinstance(ours, fb.exceptions.NoSuchBucket)


def test_validation_error_sends_nothing(b3, fb, buckets):
    before = _acl(b3, OURS)
    bad = dict(AccessControlPolicy={"Grants": [{"Grantee": {"ID": "x"}, "Permission": "READ"}]})
    with pytest.raises(botocore.exceptions.ParamValidationError) as theirs:
        b3.put_bucket_acl(Bucket=THEIRS, **bad)
    with pytest.raises(botocore.exceptions.ParamValidationError) as ours:
        fb.put_bucket_acl(Bucket=OURS, **bad)
    assert str(ours.value) == str(theirs.value)
    assert _acl(b3, OURS) == before


# ---------------------------------------------------------------------------
# resources
# ---------------------------------------------------------------------------
def test_resource_acl_round_trip(moto_server, b3, buckets):
    ours_res = fastboto.resource("s3", **_kw(moto_server))
    theirs_res = boto3.session.Session().resource("s3", **_kw(moto_server))
    assert ours_res.meta.client.meta.endpoint_url == str(moto_server)

    for res, bucket in ((theirs_res, THEIRS), (ours_res, OURS)):
        res.BucketAcl(bucket).put(ACL="public-read")
    o_acl, t_acl = ours_res.BucketAcl(OURS), theirs_res.BucketAcl(THEIRS)
    assert o_acl.grants == t_acl.grants  # lazily loaded
    assert o_acl.owner == t_acl.owner == buckets
    assert o_acl.grants == theirs_res.BucketAcl(OURS).grants  # boto3 reads what fastboto wrote

    # rewrite from what was read, through Bucket(...).Acl()
    new_policy = {"Grants": o_acl.grants + [{"Grantee": {"Type": "Group", "URI": LOG_DELIVERY},
                                             "Permission": "WRITE"}],
                  "Owner": o_acl.owner}
    ours_res.Bucket(OURS).Acl().put(AccessControlPolicy=new_policy)
    theirs_res.Bucket(THEIRS).Acl().put(AccessControlPolicy=new_policy)
    # o_acl / t_acl are other objects: their cached data stays until reload(), as boto3's
    assert o_acl.grants == t_acl.grants
    assert len(o_acl.grants) == len(new_policy["Grants"]) - 1
    o_acl.reload()
    t_acl.reload()
    assert o_acl.grants == t_acl.grants
    assert len(o_acl.grants) == len(new_policy["Grants"])
    assert _acl(b3, OURS) == _acl(b3, THEIRS)


def test_resource_policy_round_trip(moto_server, b3, buckets):
    ours_res = fastboto.resource("s3", config=fastboto.Config(**NO_RETRY), **_kw(moto_server))
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "ReadÉ", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{OURS}/*"}]})
    pol = ours_res.Bucket(OURS).Policy()
    pol.put(Policy=policy)
    assert json.loads(b3.get_bucket_policy(Bucket=OURS)["Policy"]) == json.loads(policy)
    assert pol.policy == b3.get_bucket_policy(Bucket=OURS)["Policy"]
    pol.delete()
    assert pol.meta.data is None
    with pytest.raises(botocore.exceptions.ClientError) as theirs:
        b3.get_bucket_policy(Bucket=OURS)
    with pytest.raises(botocore.exceptions.ClientError) as ours:
        _ = pol.policy
    assert str(ours.value) == str(theirs.value)
    assert ours.value.response["Error"] == theirs.value.response["Error"]


def test_resource_no_such_bucket(moto_server):
    ours_res = fastboto.resource("s3", config=fastboto.Config(**NO_RETRY), **_kw(moto_server))
    theirs_res = boto3.session.Session().resource("s3", config=botocore.config.Config(**NO_RETRY),
                                                  **_kw(moto_server))
    errors = []
    for res in (theirs_res, ours_res):
        with pytest.raises(botocore.exceptions.ClientError) as ei:
            _ = res.BucketAcl("no-such-bucket-here").grants
        errors.append(ei.value)
    assert str(errors[1]) == str(errors[0])
    assert errors[1].response["Error"] == errors[0].response["Error"]
