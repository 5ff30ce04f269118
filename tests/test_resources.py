"""The S3 resource layer: fastboto.resource("s3") vs boto3.resource("s3").

Both resources are built from the same keywords and pointed at the capture
server. What they send (BucketAcl.put / load, BucketPolicy.put / delete /
load) is compared request by request (compare_requests + verify_sigv4); what
they return and cache (meta.data, .grants, .owner, .policy) must be equal,
and so must the number of requests lazy loading makes. Identity behaviour
(repr, ==, hash, constructor errors, sub-resources) is compared on the same
identifiers.
"""

from __future__ import annotations

import json

import boto3
import botocore.client
import botocore.exceptions
import pytest

import fastboto
from support.acl_support import (
    ALL_USERS,
    GET_ACL_BODIES,
    NO_RETRY,
    OWNER_ID,
    acl_ok,
    assert_same_key_order,
    resource_pair,
)
from support.capture_server import CannedResponse
from support.reference import (
    FAKE_ACCESS_KEY,
    FAKE_SECRET_KEY,
    assert_same_error,
    compare_requests,
    scrub,
    verify_sigv4,
)
from support.s3_responses import AMZ_IDS, COMMON, ERROR_RESPONSES, ok

POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]})
ACP = {
    "Grants": [
        {"Grantee": {"Type": "CanonicalUser", "ID": OWNER_ID, "DisplayName": "webfile"}, "Permission": "FULL_CONTROL"},
        {"Grantee": {"Type": "Group", "URI": ALL_USERS}, "Permission": "READ"},
    ],
    "Owner": {"ID": OWNER_ID, "DisplayName": "webfile"},
}


@pytest.fixture
def resources(capture_server):
    """(fastboto resource, boto3 resource) pointed at the capture server, no retries."""
    return resource_pair(region_name="us-east-1", endpoint_url=capture_server.url, config=NO_RETRY)


def _outcome(server, fn):
    """(result, error, requests) of fn()."""
    server.pop_all()
    try:
        return fn(), None, server.pop_all()
    except Exception as e:  # noqa: BLE001 - compared
        return None, e, server.pop_all()


def both(server, resources, fn, *, same_result=True):
    """Run fn(resource) on boto3's then fastboto's; compare errors, results and requests."""
    __tracebackhide__ = True
    ours_res, theirs_res = resources
    t_result, t_error, t_reqs = _outcome(server, lambda: fn(theirs_res))
    o_result, o_error, o_reqs = _outcome(server, lambda: fn(ours_res))
    if t_error is not None:
        assert_same_error(o_error, t_error)
        if isinstance(t_error, botocore.exceptions.ClientError):
            assert o_error.response == t_error.response
    else:
        assert o_error is None, f"fastboto raised {type(o_error).__name__}: {scrub(o_error)}"
        if same_result:
            assert o_result == t_result, f"result differs:\n ours:   {o_result}\n theirs: {t_result}"
    assert len(o_reqs) == len(t_reqs), f"fastboto sent {len(o_reqs)} request(s), boto3 {len(t_reqs)}"
    for o, t in zip(o_reqs, t_reqs):
        compare_requests(o, t)
        verify_sigv4(o)
    return (o_result, o_error, o_reqs), (t_result, t_error, t_reqs)


# ---------------------------------------------------------------------------
# creating resources
# ---------------------------------------------------------------------------
def test_module_level_resource_and_session_resource(capture_server):
    kw = dict(region_name="eu-west-1", endpoint_url=capture_server.url,
              aws_access_key_id=FAKE_ACCESS_KEY, aws_secret_access_key=FAKE_SECRET_KEY)
    for res in (fastboto.resource("s3", **kw), fastboto.Session(region_name="eu-west-1").resource("s3", **kw)):
        theirs = boto3.session.Session().resource("s3", **kw)
        assert repr(res) == repr(theirs) == "s3.ServiceResource()"
        assert type(res).__name__ == type(theirs).__name__
        assert res.meta.service_name == theirs.meta.service_name
        assert res.meta.client.meta.region_name == theirs.meta.client.meta.region_name
        assert res.meta.client.meta.endpoint_url == theirs.meta.client.meta.endpoint_url


def test_meta_client_is_the_fastboto_client(capture_server, resources):
    ours_res, _ = resources
    client = ours_res.meta.client
    plain = fastboto.client("s3", region_name="us-east-1", endpoint_url=capture_server.url,
                            aws_access_key_id=FAKE_ACCESS_KEY, aws_secret_access_key=FAKE_SECRET_KEY)
    assert type(client) is type(plain)
    assert not isinstance(client, botocore.client.BaseClient)
    for sub in (ours_res.BucketAcl("b"), ours_res.BucketPolicy("b"), ours_res.Bucket("b"),
                ours_res.Bucket("b").Acl(), ours_res.Bucket("b").Policy(), ours_res.BucketAcl("b").Bucket(),
                ours_res.BucketPolicy("b").Bucket()):
        assert sub.meta.client is client
    capture_server.set_response(ok(200))
    client.put_bucket_acl(Bucket="b", ACL="private")
    (req,) = capture_server.pop_all()
    assert "fastboto" in req.header("User-Agent").lower()


def test_resource_calls_go_through_fastboto(capture_server, resources):
    ours_res, _ = resources
    capture_server.set_response(ok(200))
    ours_res.BucketAcl("b").put(ACL="private")
    (req,) = capture_server.pop_all()
    assert "fastboto" in req.header("User-Agent").lower()


# ---------------------------------------------------------------------------
# identity: repr, ==, hash, meta
# ---------------------------------------------------------------------------
IDENTIFIERS = ["x", "my-bucket", "my.bucket", "", "é🚀", "a'b\"c", 1, b"x", ("t",)]


@pytest.mark.parametrize("ident", IDENTIFIERS, ids=repr)
@pytest.mark.parametrize("kind", ["Bucket", "BucketAcl", "BucketPolicy"])
@pytest.mark.parametrize("how", ["positional", "keyword"])
def test_repr_eq_hash(resources, ident, kind, how):
    ours_res, theirs_res = resources
    key = "name" if kind == "Bucket" else "bucket_name"

    def make(res, value):
        return getattr(res, kind)(value) if how == "positional" else getattr(res, kind)(**{key: value})

    o, t = make(ours_res, ident), make(theirs_res, ident)
    assert repr(o) == repr(t)
    assert type(o).__name__ == type(t).__name__
    assert hash(o) == hash(t)
    assert getattr(o, key) == getattr(t, key)
    assert o.meta.identifiers == t.meta.identifiers
    assert o.meta.service_name == t.meta.service_name
    assert o.meta.data is t.meta.data is None
    assert repr(o.meta) == repr(t.meta)
    # equality within each library, and against other identifiers / kinds
    for other in ["x", "y", 1]:
        assert (o == make(ours_res, other)) == (t == make(theirs_res, other))
        assert (o != make(ours_res, other)) == (t != make(theirs_res, other))
    for other_kind in ["Bucket", "BucketAcl", "BucketPolicy"]:
        assert (o == getattr(ours_res, other_kind)(ident)) == (t == getattr(theirs_res, other_kind)(ident))
    assert (o == ident) == (t == ident)
    assert len({o, make(ours_res, ident)}) == len({t, make(theirs_res, ident)}) == 1


def test_unhashable_identifier(resources):
    ours_res, theirs_res = resources
    with pytest.raises(TypeError) as theirs:
        hash(theirs_res.BucketAcl(["x"]))
    with pytest.raises(TypeError) as ours:
        hash(ours_res.BucketAcl(["x"]))
    assert str(ours.value) == str(theirs.value)


def test_service_resource_eq_hash(resources):
    ours_res, theirs_res = resources
    other_ours, other_theirs = resource_pair(region_name="eu-west-1")
    assert (ours_res == other_ours) == (theirs_res == other_theirs)
    assert hash(ours_res) == hash(theirs_res)


@pytest.mark.parametrize("kind,args,kwargs", [
    ("BucketAcl", (), {}),
    ("BucketAcl", (None,), {}),
    ("BucketAcl", (), {"bucket_name": None}),
    ("BucketAcl", (), {"name": "x"}),
    ("BucketAcl", ("x",), {"foo": 1}),
    ("BucketAcl", (), {"Bucket": "x"}),
    ("BucketPolicy", (), {}),
    ("BucketPolicy", (), {"policy": "{}"}),
    ("Bucket", (), {}),
    ("Bucket", (), {"bucket_name": "x"}),
    ("Bucket", (None,), {}),
    ("BucketAcl", ("x",), {"bucket_name": "y"}),
    ("BucketAcl", ("x", "y"), {}),
    ("Bucket", ("x", None), {}),
], ids=repr)
def test_constructor_errors(resources, kind, args, kwargs):
    """Same exception class and message as boto3 (or the same resource)."""
    ours_res, theirs_res = resources
    results = []
    for res in (ours_res, theirs_res):
        try:
            obj = getattr(res, kind)(*args, **kwargs)
            results.append(("ok", repr(obj)))
        except Exception as e:  # noqa: BLE001 - compared
            results.append((type(e).__name__, str(e)))
    assert results[0] == results[1], f"ours {results[0]}, boto3 {results[1]}"


@pytest.mark.parametrize("kind", ["Bucket", "BucketAcl", "BucketPolicy"])
def test_client_keyword_is_accepted_like_boto3(capture_server, resources, kind):
    """boto3's resources take ``client=`` (the client the resource uses)."""
    ours_res, theirs_res = resources
    other_ours = fastboto.client("s3", region_name="eu-west-1", endpoint_url=capture_server.url,
                                 aws_access_key_id=FAKE_ACCESS_KEY, aws_secret_access_key=FAKE_SECRET_KEY)
    theirs = getattr(theirs_res, kind)("x", client=theirs_res.meta.client)
    ours = getattr(ours_res, kind)("x", client=other_ours)
    assert repr(ours) == repr(theirs)
    assert ours.meta.client is other_ours


def test_identifiers_are_read_only(resources):
    for kind, attr in [("BucketAcl", "bucket_name"), ("BucketPolicy", "bucket_name"), ("Bucket", "name")]:
        results = []
        for res in resources:
            obj = getattr(res, kind)("x")
            try:
                setattr(obj, attr, "y")
                results.append(("ok", getattr(obj, attr)))
            except AttributeError as e:
                results.append(("AttributeError", str(e)))
        assert results[0] == results[1]


def test_public_attributes_match_boto3(resources):
    ours_res, theirs_res = resources
    for kind in ["BucketAcl", "BucketPolicy"]:
        o, t = getattr(ours_res, kind)("x"), getattr(theirs_res, kind)("x")
        public = lambda obj: sorted(a for a in dir(obj) if not a.startswith("_"))  # noqa: E731
        assert public(o) == public(t)
    for name in ["name", "Acl", "Policy", "meta", "get_available_subresources"]:
        assert hasattr(ours_res.Bucket("x"), name)


@pytest.mark.parametrize("kind", ["BucketAcl", "BucketPolicy"])
def test_available_subresources(resources, kind):
    ours_res, theirs_res = resources
    assert getattr(ours_res, kind)("x").get_available_subresources() == \
        getattr(theirs_res, kind)("x").get_available_subresources()


def test_bucket_available_subresources_include_acl_and_policy(resources):
    ours_res, theirs_res = resources
    theirs = theirs_res.Bucket("x").get_available_subresources()
    ours = ours_res.Bucket("x").get_available_subresources()
    assert {"Acl", "Policy"} <= set(theirs)
    assert {"Acl", "Policy"} <= set(ours), f"ours {ours}, boto3 {theirs}"


# ---------------------------------------------------------------------------
# references between resources
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["my-bucket", "my.bucket", ""])
def test_bucket_acl_policy_references(resources, name):
    ours_res, theirs_res = resources
    pairs = [
        (lambda r: r.Bucket(name).Acl(), "BucketAcl"),
        (lambda r: r.Bucket(name).Policy(), "BucketPolicy"),
        (lambda r: r.BucketAcl(name).Bucket(), "Bucket"),
        (lambda r: r.BucketPolicy(name).Bucket(), "Bucket"),
        (lambda r: r.Bucket(name).Acl().Bucket().Policy().Bucket(), "Bucket"),
    ]
    for make, kind in pairs:
        o, t = make(ours_res), make(theirs_res)
        assert repr(o) == repr(t)
        assert hash(o) == hash(t)
        assert o == getattr(ours_res, kind)(name)
        assert t == getattr(theirs_res, kind)(name)
        assert o.meta.client is ours_res.meta.client
        assert o.meta.data is None


# ---------------------------------------------------------------------------
# BucketAcl: put, load, lazy attributes, cache clearing
# ---------------------------------------------------------------------------
PUT_PARAMS = {
    "canned": dict(ACL="public-read"),
    "acp": dict(AccessControlPolicy=ACP),
    "grant-headers": dict(GrantRead=f'uri="{ALL_USERS}"', GrantFullControl=f'id="{OWNER_ID}"'),
    "everything": dict(AccessControlPolicy=ACP, ACL="private", GrantWrite='id="x"', GrantReadACP='id="y"',
                       GrantWriteACP='id="z"', ExpectedBucketOwner="123456789012", ChecksumAlgorithm="SHA256",
                       ContentMD5="AAAA"),
    "unicode-acp": dict(AccessControlPolicy={"Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": "日本&<>",
                                                                     "DisplayName": "Zoë 🚀"},
                                                         "Permission": "READ"}],
                                             "Owner": {"DisplayName": "\"'", "ID": "o"}}),
    "empty-grants": dict(AccessControlPolicy={"Grants": [], "Owner": {"ID": OWNER_ID}}),
    "nothing": {},
}


@pytest.mark.parametrize("case", list(PUT_PARAMS))
@pytest.mark.parametrize("bucket", ["my-bucket", "my.bucket"])
def test_bucket_acl_put_request(capture_server, resources, case, bucket):
    capture_server.set_response(ok(200))
    both(capture_server, resources, lambda r: r.BucketAcl(bucket).put(**PUT_PARAMS[case]))


def test_bucket_acl_put_via_bucket_acl_subresource(capture_server, resources):
    capture_server.set_response(ok(200))
    both(capture_server, resources, lambda r: r.Bucket("my-bucket").Acl().put(AccessControlPolicy=ACP))


def test_bucket_acl_put_bucket_keyword_overrides_identifier(capture_server, resources):
    """boto3 merges the caller's keywords over the identifier parameters."""
    capture_server.set_response(ok(200))
    (_, _, reqs), _ = both(capture_server, resources, lambda r: r.BucketAcl("my-bucket").put(Bucket="other",
                                                                                           ACL="private"))
    assert reqs[0].path.startswith("/other")


@pytest.mark.parametrize("params", [
    {"AccessControlPolicy": {"Grants": [{"Grantee": {"ID": "x"}, "Permission": "READ"}]}},
    {"AccessControlPolicy": {"Grants": "READ"}},
    {"ACL": 1, "Foo": 2},
    {"AccessControlPolicy": {"Owner": {"ID": 1, "Name": "x"}}},
], ids=repr)
def test_bucket_acl_put_validation_errors(capture_server, resources, params):
    (_, o_error, _), _ = both(capture_server, resources, lambda r: r.BucketAcl("b").put(**params))
    assert isinstance(o_error, botocore.exceptions.ParamValidationError)


def test_bucket_acl_put_positional_argument(capture_server, resources):
    both(capture_server, resources, lambda r: r.BucketAcl("b").put("private"))


@pytest.mark.parametrize("name", ["private", "groups", "by-email", "no-display-name", "empty-acl-selfclosing",
                                  "owner-only", "empty-root", "entities", "prefixed-s3-namespace"])
def test_bucket_acl_load_and_attributes(capture_server, resources, name):
    capture_server.set_response(acl_ok(GET_ACL_BODIES[name]))
    ours_res, theirs_res = resources
    o, t = ours_res.BucketAcl("my-bucket"), theirs_res.BucketAcl("my-bucket")

    both(capture_server, resources, lambda r: (o if r is ours_res else t).load())
    assert o.meta.data == t.meta.data
    assert_same_key_order(o.meta.data, t.meta.data)
    # loaded: no further requests
    capture_server.pop_all()
    assert o.grants == t.grants
    assert o.owner == t.owner
    assert not capture_server.pop_all()


@pytest.mark.parametrize("first", ["grants", "owner"])
def test_bucket_acl_lazy_load(capture_server, resources, first):
    """Reading an attribute before load() loads (one GetBucketAcl), as boto3."""
    capture_server.set_response(acl_ok(GET_ACL_BODIES["groups"]))
    second = "owner" if first == "grants" else "grants"
    both(capture_server, resources, lambda r: getattr(r.BucketAcl("my-bucket"), first))

    ours_res, theirs_res = resources
    o, t = ours_res.BucketAcl("my-bucket"), theirs_res.BucketAcl("my-bucket")
    (o_val, _, o_reqs), _ = both(capture_server, resources,
                                 lambda r: [getattr(x, first) for x in [o if r is ours_res else t] * 3]
                                 + [getattr(o if r is ours_res else t, second)])
    assert len(o_reqs) == 1
    assert o.meta.data == t.meta.data


def test_bucket_acl_reload_refreshes(capture_server, resources):
    ours_res, theirs_res = resources
    o, t = ours_res.BucketAcl("my-bucket"), theirs_res.BucketAcl("my-bucket")
    pick = lambda r: o if r is ours_res else t  # noqa: E731
    capture_server.set_response(acl_ok(GET_ACL_BODIES["private"]))
    both(capture_server, resources, lambda r: pick(r).grants)
    capture_server.set_response(acl_ok(GET_ACL_BODIES["groups"]))
    both(capture_server, resources, lambda r: pick(r).grants)  # cached: no request
    (_, _, reqs), _ = both(capture_server, resources, lambda r: pick(r).reload())
    assert len(reqs) == 1
    both(capture_server, resources, lambda r: pick(r).grants)
    assert len(o.grants) == 5
    assert o.meta.data == t.meta.data


def test_bucket_acl_put_clears_cached_data(capture_server, resources):
    """After put() the cached data is dropped; the next attribute read reloads."""
    ours_res, theirs_res = resources
    o, t = ours_res.BucketAcl("my-bucket"), theirs_res.BucketAcl("my-bucket")
    pick = lambda r: o if r is ours_res else t  # noqa: E731
    capture_server.set_response(acl_ok(GET_ACL_BODIES["private"]))
    both(capture_server, resources, lambda r: pick(r).load())
    capture_server.set_response(ok(200, b"", [("x-amz-request-charged", "requester")]))
    both(capture_server, resources, lambda r: pick(r).put(ACL="public-read"))
    assert o.meta.data is None and t.meta.data is None
    capture_server.set_response(acl_ok(GET_ACL_BODIES["groups"]))
    (_, _, reqs), _ = both(capture_server, resources, lambda r: (pick(r).owner, pick(r).grants))
    assert len(reqs) == 1


def test_bucket_acl_failed_put_keeps_cache_like_boto3(capture_server, resources):
    ours_res, theirs_res = resources
    o, t = ours_res.BucketAcl("my-bucket"), theirs_res.BucketAcl("my-bucket")
    pick = lambda r: o if r is ours_res else t  # noqa: E731
    capture_server.set_response(acl_ok(GET_ACL_BODIES["private"]))
    both(capture_server, resources, lambda r: pick(r).load())
    capture_server.set_response(ERROR_RESPONSES["AccessDenied-403"][0])
    both(capture_server, resources, lambda r: pick(r).put(ACL="public-read"))
    assert (o.meta.data is None) == (t.meta.data is None)
    both(capture_server, resources, lambda r: pick(r).put(AccessControlPolicy={"Grants": [{"Grantee": {}}]}))
    assert (o.meta.data is None) == (t.meta.data is None)


def test_bucket_acl_load_with_expected_bucket_owner(capture_server, resources):
    capture_server.set_response(acl_ok(GET_ACL_BODIES["private"]))
    (_, _, reqs), _ = both(capture_server, resources,
                           lambda r: r.BucketAcl("my-bucket").load(ExpectedBucketOwner="123456789012"))
    assert reqs[0].header("x-amz-expected-bucket-owner") == "123456789012"


@pytest.mark.parametrize("error", ["NoSuchBucket-404", "AccessDenied-403", "html-502"])
def test_bucket_acl_load_errors(capture_server, resources, error):
    capture_server.set_response(ERROR_RESPONSES[error][0])
    ours_res, theirs_res = resources
    o, t = ours_res.BucketAcl("my-bucket"), theirs_res.BucketAcl("my-bucket")
    pick = lambda r: o if r is ours_res else t  # noqa: E731
    both(capture_server, resources, lambda r: pick(r).load())
    both(capture_server, resources, lambda r: pick(r).grants)  # still not loaded: tries again
    assert o.meta.data is None and t.meta.data is None


def test_bucket_acl_load_bad_keyword(capture_server, resources):
    both(capture_server, resources, lambda r: r.BucketAcl("b").load(Foo=1))


# ---------------------------------------------------------------------------
# BucketPolicy: put, delete, load, policy
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("params", [
    dict(Policy=POLICY),
    dict(Policy=POLICY, ConfirmRemoveSelfBucketAccess=True, ExpectedBucketOwner="123456789012",
         ChecksumAlgorithm="SHA256"),
    dict(Policy='{"Sid": "日本語 ✓"}'),
], ids=["plain", "all-options", "unicode"])
def test_bucket_policy_put_request(capture_server, resources, params):
    capture_server.set_response(ok(204))
    both(capture_server, resources, lambda r: r.BucketPolicy("my-bucket").put(**params))


def test_bucket_policy_put_validation_error(capture_server, resources):
    both(capture_server, resources, lambda r: r.BucketPolicy("my-bucket").put(Policy=1, Foo=2))
    both(capture_server, resources, lambda r: r.BucketPolicy("my-bucket").put())


@pytest.mark.parametrize("params", [{}, {"ExpectedBucketOwner": "123456789012"}])
def test_bucket_policy_delete_request(capture_server, resources, params):
    capture_server.set_response(ok(204))
    both(capture_server, resources, lambda r: r.BucketPolicy("my-bucket").delete(**params))


def test_bucket_policy_lazy_policy_and_cache(capture_server, resources):
    ours_res, theirs_res = resources
    o, t = ours_res.BucketPolicy("my-bucket"), theirs_res.BucketPolicy("my-bucket")
    pick = lambda r: o if r is ours_res else t  # noqa: E731
    capture_server.set_response(CannedResponse(200, COMMON + AMZ_IDS, POLICY.encode()))
    (_, _, reqs), _ = both(capture_server, resources, lambda r: [pick(r).policy, pick(r).policy])
    assert len(reqs) == 1
    assert o.policy == POLICY
    assert o.meta.data == t.meta.data
    assert_same_key_order(o.meta.data, t.meta.data)

    capture_server.set_response(ok(204))
    both(capture_server, resources, lambda r: pick(r).delete())
    assert o.meta.data is None and t.meta.data is None

    capture_server.set_response(ERROR_RESPONSES["NoSuchBucketPolicy-404"][0])
    both(capture_server, resources, lambda r: pick(r).policy)

    capture_server.set_response(CannedResponse(200, COMMON + AMZ_IDS, b"{}"))
    both(capture_server, resources, lambda r: pick(r).load())
    capture_server.set_response(ok(204))
    both(capture_server, resources, lambda r: pick(r).put(Policy=POLICY))
    assert o.meta.data is None and t.meta.data is None
    capture_server.set_response(CannedResponse(200, COMMON + AMZ_IDS, POLICY.encode()))
    (_, _, reqs), _ = both(capture_server, resources, lambda r: pick(r).reload())
    assert len(reqs) == 1
    assert o.meta.data == t.meta.data


def test_bucket_policy_via_bucket(capture_server, resources):
    capture_server.set_response(ok(204))
    both(capture_server, resources, lambda r: r.Bucket("my.bucket").Policy().put(Policy=POLICY))
    both(capture_server, resources, lambda r: r.Bucket("my.bucket").Policy().delete())


def test_positional_arguments_on_actions(capture_server, resources):
    both(capture_server, resources, lambda r: r.BucketPolicy("b").put(POLICY))
    both(capture_server, resources, lambda r: r.BucketPolicy("b").delete("x"))
    both(capture_server, resources, lambda r: r.BucketPolicy("b").load("x"))
