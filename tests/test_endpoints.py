"""Endpoint resolution against botocore (issue "Endpoints, regions and
S3-compatible stores"): the client configurations the official S3 endpoint
test cases describe, mapped onto client arguments the way botocore's client
maps them, and generated combinations of region × bucket × config ×
endpoint. Compared on the URL, the credential scope and, where botocore
refuses, the exception class and message; SigV4a-signed requests (MRAP,
Outposts) on the date, service, X-Amz-Region-Set and SignedHeaders
(test_sigv4a.py verifies the signatures). Nothing is sent: fastboto's
side uses prepare_request, botocore's is captured at before-send. Where
the rules ask for S3 Express session auth both sides' first request, the
CreateSession, is compared (fastboto's as the core prepares it, botocore's
as captured; nothing answers it, so botocore then fails)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import botocore.awsrequest
import botocore.compat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.ours import botocore_client, fastboto_client
from support.reference import parse_authorization, scrub
from support.sigv4a import is_sigv4a, parse_sigv4a_authorization

VECTORS = Path(__file__).resolve().parents[1].parent / "shared" / "vectors" / "s3-endpoint-tests-1.json"
OPERATIONS = ["put_bucket_policy", "get_bucket_acl"]
PARAMS = {"put_bucket_policy": {"Policy": "{}"}, "get_bucket_acl": {}}


def signing(headers):
    """SigV4: the credential scope's date and region. SigV4a: the algorithm,
    the scope's date and service, X-Amz-Region-Set and SignedHeaders."""
    def header(name):
        value = next((v for k, v in headers.items() if k.lower() == name.lower()), None)
        return value.decode() if isinstance(value, bytes) else value

    auth = header("Authorization")
    if auth.startswith("AWS "):  # HmacV1 (signature_version="s3"): no scope
        return ("hmacv1", auth.split(" ", 1)[1].split(":", 1)[0])
    if is_sigv4a(auth):
        parts = parse_sigv4a_authorization(auth)
        return ("sigv4a", parts.date, parts.service, header("X-Amz-Region-Set"), parts.signed_headers)
    return parse_authorization(auth).scope[1:3]


def _url_and_signing(url, headers):
    return (url, signing(headers))


def _botocore_requests(client, operation, **params):
    """Every request botocore would send for a call (each answered with an
    empty 200 at before-send), and the call's exception or None."""
    captured = []

    def _before_send(request, **_):
        captured.append(request)
        return botocore.awsrequest.AWSResponse(request.url, 200, {}, _EmptyRaw())

    client.meta.events.register_first("before-send.s3", _before_send)
    try:
        getattr(client, operation)(**params)
        error = None
    except Exception as e:  # noqa: BLE001
        error = e
    finally:
        client.meta.events.unregister("before-send.s3", _before_send)
    return captured, error


class _EmptyRaw:
    def stream(self, **_):
        return iter(())

    def read(self, *_):
        return b""


def both(client_kwargs, operation, bucket):
    """(ours, theirs): each a (url, signing) pair, ("CreateSession", url, scope)
    for an S3 Express session-auth call, or an exception."""
    params = dict(Bucket=bucket, **PARAMS[operation])
    try:
        client = fastboto_client(**client_kwargs)
        session = client._core.prepare_create_session(operation, **params)
        if session is not None:
            _, url, headers, _ = session
            ours = ("CreateSession", *_url_and_signing(url, dict(headers)))
        else:
            prepared = client.prepare_request(operation, **params)
            ours = _url_and_signing(prepared.url, prepared.headers)
    except Exception as e:  # noqa: BLE001
        ours = e
    try:
        requests, error = _botocore_requests(botocore_client(**client_kwargs), operation, **params)
        first = requests[0] if requests else None
        if first is not None and first.url.endswith("?session") and first.method == "GET":
            # S3 Express: CreateSession first; the empty answer has no
            # Credentials, so botocore fails with KeyError('Credentials').
            assert isinstance(error, KeyError) and len(requests) == 1, f"harness: {error!r}"
            theirs = ("CreateSession", *_url_and_signing(first.url, first.headers))
        elif error is not None:
            theirs = error
        else:
            theirs = _url_and_signing(requests[-1].url, requests[-1].headers)
    except Exception as e:  # noqa: BLE001
        theirs = e
    return ours, theirs


def assert_same(ours, theirs, context):
    if not botocore.compat.HAS_CRT and not isinstance(ours, Exception) and ours[1][0] == "sigv4a":
        # botocore without awscrt (README, test_sigv4a.py): MissingDependencyException
        # for an MRAP, the endpoint's next (SigV4) scheme for Outposts.
        assert type(theirs).__name__ == "MissingDependencyException" or (
            not isinstance(theirs, Exception) and theirs[0] == ours[0]), scrub(f"{ours} vs {theirs!r} for {context}")
        return
    if isinstance(theirs, Exception):
        assert isinstance(ours, Exception), scrub(f"botocore raised {theirs!r}, fastboto gave {ours!r} for {context}")
        assert type(ours).__name__ == type(theirs).__name__, scrub(f"{ours!r} vs {theirs!r} for {context}")
        assert str(ours) == str(theirs), scrub(f"{ours!r} vs {theirs!r} for {context}")
    else:
        assert not isinstance(ours, Exception), scrub(f"fastboto raised {ours!r}; botocore gave {theirs} for {context}")
        assert ours == theirs, scrub(f"{ours} vs {theirs} for {context}")


# Ruleset parameters a client sets only through its configuration; a case
# needing another one (Key, CopySource, ...) is for operations we do not have.
_CLIENT_PARAMS = {"Bucket", "Region", "UseFIPS", "UseDualStack", "Endpoint", "ForcePathStyle", "Accelerate",
                  "UseGlobalEndpoint", "UseArnRegion", "DisableMultiRegionAccessPoints",
                  "UseS3ExpressControlEndpoint", "DisableS3ExpressSessionAuth"}
_BUILTIN_OF = {"Region": "AWS::Region", "UseFIPS": "AWS::UseFIPS", "UseDualStack": "AWS::UseDualStack",
               "Endpoint": "SDK::Endpoint"}
# The S3 model's clientContextParams: Config(client_context_params=...) keys.
_CLIENT_CONTEXT_OF = {"Accelerate": "accelerate", "ForcePathStyle": "force_path_style",
                      "UseArnRegion": "use_arn_region",
                      "DisableMultiRegionAccessPoints": "disable_multi_region_access_points"}


def _vector_configs():
    """(builtins, bucket, client context) per case. Cases with operation
    inputs give their built-ins; params-only cases (rule-level, no operation)
    are reached through client configuration when a bucket operation can
    take their parameters: the built-ins as client arguments, the model's
    client-context parameters through Config(client_context_params=...)
    (UseS3ExpressControlEndpoint is every one of our operations' static
    parameter, so botocore and fastboto both set it)."""
    if not VECTORS.exists():
        return []
    cases = []
    for case in json.loads(VECTORS.read_text())["testCases"]:
        doc = case["documentation"][:60]
        for op_input in case.get("operationInputs", []):
            bucket = op_input.get("operationParams", {}).get("Bucket")
            builtins = op_input.get("builtInParams", {})
            if not bucket or "SDK::Endpoint" in builtins and not builtins["SDK::Endpoint"].startswith("http"):
                continue
            cases.append(pytest.param(builtins, bucket, None, id=f"{doc}|{bucket[:30]}"))
        params = case["params"]
        if case.get("operationInputs") or "Bucket" not in params or set(params) - _CLIENT_PARAMS:
            continue
        if not str(params.get("Endpoint", "http")).startswith("http"):
            continue  # botocore refuses such an endpoint_url at client creation
        builtins = {_BUILTIN_OF[k]: v for k, v in params.items() if k in _BUILTIN_OF}
        builtins["AWS::S3::UseGlobalEndpoint"] = params.get("UseGlobalEndpoint", False)
        if "DisableS3ExpressSessionAuth" in params:
            builtins["DisableS3ExpressSessionAuth"] = params["DisableS3ExpressSessionAuth"]
        context = {_CLIENT_CONTEXT_OF[k]: v for k, v in params.items() if k in _CLIENT_CONTEXT_OF}
        cases.append(pytest.param(builtins, params["Bucket"], context, id=f"params:{doc}|{params['Bucket'][:30]}"))
    return cases


def client_kwargs_from_builtins(builtins):
    """botocore's client arguments for the ruleset's built-in parameters."""
    config, s3 = {}, {}
    kw = {"region_name": builtins.get("AWS::Region")}
    if builtins.get("AWS::UseFIPS"):
        config["use_fips_endpoint"] = True
    if builtins.get("AWS::UseDualStack"):
        s3["use_dualstack_endpoint"] = True
    if "SDK::Endpoint" in builtins:
        kw["endpoint_url"] = builtins["SDK::Endpoint"]
    if builtins.get("AWS::S3::ForcePathStyle"):
        s3["addressing_style"] = "path"
    if builtins.get("AWS::S3::Accelerate"):
        s3["use_accelerate_endpoint"] = True
    if "AWS::S3::UseArnRegion" in builtins:
        s3["use_arn_region"] = builtins["AWS::S3::UseArnRegion"]
    if "AWS::S3::UseGlobalEndpoint" in builtins:
        s3["us_east_1_regional_endpoint"] = "legacy" if builtins["AWS::S3::UseGlobalEndpoint"] else "regional"
    if builtins.get("AWS::S3::DisableMultiRegionAccessPoints"):
        s3["s3_disable_multiregion_access_points"] = True
    if "DisableS3ExpressSessionAuth" in builtins:  # not a builtin: the client's setting
        s3["disable_s3_express_session_auth"] = builtins["DisableS3ExpressSessionAuth"]
    if s3:
        config["s3"] = s3
    kw["config"] = config or None
    return kw


def test_official_vectors_are_beside_the_checkout():
    """The vector cases below are skipped without ../shared; that must not
    pass unnoticed (CI always has it). FASTBOTO_WITHOUT_SHARED_VECTORS=1
    allows a checkout without it."""
    if os.environ.get("FASTBOTO_WITHOUT_SHARED_VECTORS") == "1":
        pytest.skip("FASTBOTO_WITHOUT_SHARED_VECTORS=1")
    assert VECTORS.exists(), f"{VECTORS} is missing: the official endpoint cases cannot run"
    assert len(_vector_configs()) > 100


@pytest.mark.skipif(not VECTORS.exists(), reason="../shared/vectors is not beside the checkout")
@pytest.mark.parametrize("builtins,bucket,client_context", _vector_configs())
@pytest.mark.parametrize("operation", OPERATIONS)
def test_official_endpoint_vector_configurations(builtins, bucket, client_context, operation, monkeypatch):
    kwargs = client_kwargs_from_builtins(builtins)
    if client_context is not None:
        kwargs["config"] = {**(kwargs["config"] or {}), "client_context_params": client_context}
    ours, theirs = both(kwargs, operation, bucket)
    if isinstance(ours, Exception) and type(ours).__name__ == "NoCredentialsError":
        pytest.fail("credentials are explicit in these tests")
    assert_same(ours, theirs, (builtins, bucket))


REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2", "cn-north-1", "cn-northwest-1",
           "us-gov-west-1", "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1",
           "eusc-de-east-1", "aws-global", "fips-us-east-1", "us-east-1-fips", "mx-central-1",
           "not a region", "UPPER-1", "a" * 70, None]
BUCKETS = st.one_of(
    st.sampled_from(["my-bucket", "my.bucket", "My_Bucket", "a" * 63, "a" * 64, "192.168.1.1", "xn--abc",
                     "bucket--x-s3", "mybucket--usw2-az1--x-s3", "bkt--use1-az4--x-s3", "-bad-", "a..b",
                     "arn:aws:s3:us-west-2:123456789012:accesspoint:myendpoint",
                     "arn:aws:s3:us-west-2:123456789012:accesspoint/my.endpoint",
                     "arn:aws:s3::123456789012:accesspoint:mfzwi23gnjvgw.mrap",
                     "arn:aws-cn:s3:cn-north-1:123456789012:accesspoint:myendpoint",
                     "arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01234567890123456/accesspoint/reports",
                     "arn:aws:s3-object-lambda:us-west-2:123456789012:accesspoint/mybanner",
                     "mybucket--usw2-az1--xa-s3", "bucket--use1-az4--x-s3.bad"]),
    st.from_regex(r"[a-z0-9][a-z0-9.\-]{1,20}[a-z0-9]", fullmatch=True),
)
# Config(client_context_params=...): the ruleset's client-context parameters
# by their snake-case names, over the built-ins; non-bools are refused.
CLIENT_CONTEXT = st.dictionaries(
    st.sampled_from(["accelerate", "force_path_style", "use_arn_region", "disable_multi_region_access_points",
                     "disable_s3_express_session_auth", "ForcePathStyle"]),
    st.one_of(st.booleans(), st.none(), st.just("true")), max_size=2)
CONFIGS = st.fixed_dictionaries({}, optional={
    "client_context_params": CLIENT_CONTEXT,
    "signature_version": st.sampled_from(["s3", "s3v4", "v4", "s3v4a"]),
    "use_fips_endpoint": st.booleans(),
    "use_dualstack_endpoint": st.booleans(),
    "s3": st.fixed_dictionaries({}, optional={
        "addressing_style": st.sampled_from(["auto", "virtual", "path"]),
        "use_accelerate_endpoint": st.booleans(),
        "use_dualstack_endpoint": st.booleans(),
        "us_east_1_regional_endpoint": st.sampled_from(["legacy", "regional"]),
        "use_arn_region": st.one_of(st.booleans(), st.just("false")),
        "force_path_style": st.booleans(),
    }),
})
ENDPOINTS = st.sampled_from([None, None, None, "http://127.0.0.1:9000", "https://minio.example.com",
                             "http://storage.example.com/prefix", "https://s3.us-west-2.amazonaws.com",
                             "https://bucket.vpce-123.s3.us-east-1.vpce.amazonaws.com",
                             "https://[::1]:9000", "http://[2001:db8::1]/base", "HTTPS://MinIO.Example.COM:9000"])


@settings(max_examples=int(os.environ.get("FASTBOTO_ENDPOINT_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(region=st.sampled_from(REGIONS), bucket=BUCKETS, config=CONFIGS, endpoint_url=ENDPOINTS,
       operation=st.sampled_from(OPERATIONS), use_ssl=st.booleans())
def test_generated_endpoint_combinations(region, bucket, config, endpoint_url, operation, use_ssl):
    kwargs = dict(region_name=region, endpoint_url=endpoint_url, config=config or None, use_ssl=use_ssl)
    ours, theirs = both(kwargs, operation, bucket)
    assert_same(ours, theirs, kwargs | {"bucket": bucket, "operation": operation})


# botocore's client creation also asks its legacy endpoint data
# (endpoints.json) for S3's FIPS/dualstack variant in the client's region and
# raises EndpointVariantError when none is modeled, whatever the endpoint
# URL; fastboto reads the same data (src/endpoint/legacy-s3-variants.json).
def test_legacy_variant_data_matches_installed_botocore():
    from support.legacy_variants import dumps, from_installed_botocore

    vendored = (Path(__file__).parent.parent / "src" / "endpoint" / "legacy-s3-variants.json").read_text()
    assert vendored == dumps(from_installed_botocore()), (
        "regenerate: python3 tests/support/legacy_variants.py > src/endpoint/legacy-s3-variants.json")


@pytest.mark.parametrize("vendored,load", [
    ("s3-endpoint-rule-set-1.json", lambda loader: loader.load_service_model("s3", "endpoint-rule-set-1")),
    ("partitions.json", lambda loader: loader.load_data("partitions")),
])
def test_embedded_endpoint_rules_match_installed_botocore(vendored, load):
    """The S3 rule set and partitions compiled into the core are botocore's
    (a botocore upgrade that changes them fails here: refresh the files)."""
    import botocore.loaders

    ours = json.loads((Path(__file__).parent.parent / "src" / "endpoint" / vendored).read_text())
    assert ours == load(botocore.loaders.create_loader()), f"src/endpoint/{vendored} differs from botocore's"


def _every_region_botocore_knows():
    from support.legacy_variants import from_installed_botocore

    data = from_installed_botocore()
    names = set()
    for p in data["partitions"]:
        names.update(p["regions"])
        names.update((p["s3"] or {}).get("endpoints", {}))
    # Regions only a partition's regex knows, and ones no partition knows.
    names.update(["eu-isoe-north-9", "us-isof-west-3", "cn-south-7", "us-gov-north-2", "xx-nowhere-1"])
    return sorted(names)


@pytest.mark.parametrize("region", _every_region_botocore_knows())
@pytest.mark.parametrize("variant", [
    {"use_dualstack_endpoint": True},
    {"use_fips_endpoint": True},
    {"use_dualstack_endpoint": True, "use_fips_endpoint": True},
    {"s3": {"use_dualstack_endpoint": True}, "use_fips_endpoint": True},
], ids=["dualstack", "fips", "dualstack+fips", "s3.dualstack+fips"])
def test_endpoint_variant_errors_as_botocore(region, variant):
    ours, theirs = both(dict(region_name=region, config=variant), "put_bucket_policy", "my-bucket")
    assert_same(ours, theirs, (region, variant))
    if type(theirs).__name__ == "EndpointVariantError":
        assert ours.kwargs == theirs.kwargs


@pytest.mark.parametrize("region", _every_region_botocore_knows() + [None])
def test_meta_partition_as_botocore(region):
    """``client.meta.partition`` is the partition of botocore's legacy
    endpoint lookup, with and without a custom endpoint."""
    for extra in ({}, {"endpoint_url": "http://127.0.0.1:9000"}):
        kwargs = dict(region_name=region, **extra)
        ours, theirs = fastboto_client(**kwargs), botocore_client(**kwargs)
        assert ours.meta.partition == theirs.meta.partition, kwargs


@pytest.mark.parametrize("kwargs", [
    dict(region_name="eu-isoe-west-1", endpoint_url="http://127.0.0.1:9000",
         config={"use_dualstack_endpoint": True}),
    dict(region_name="us-east-1", config={"region_name": "us-isof-south-1", "use_dualstack_endpoint": True}),
    dict(region_name="fips-us-isof-south-1", config={"use_dualstack_endpoint": True}),
    dict(region_name="us-isof-south-1-fips", config={"use_dualstack_endpoint": True}),
    dict(region_name="eu-isoe-west-1", config={"use_dualstack_endpoint": True,
                                               "s3": {"us_east_1_regional_endpoint": "regional"}}),
    dict(region_name="eu-isoe-west-1", config={"s3": {"use_dualstack_endpoint": False},
                                               "use_dualstack_endpoint": True}),
], ids=["endpoint-url", "config-region", "fips-prefix", "fips-suffix", "regional", "s3-dualstack-false"])
def test_endpoint_variant_error_sources(kwargs):
    ours, theirs = both(kwargs, "get_bucket_acl", "my-bucket")
    assert_same(ours, theirs, kwargs)


def test_endpoint_variant_error_from_environment(monkeypatch):
    monkeypatch.setenv("AWS_USE_DUALSTACK_ENDPOINT", "true")
    ours, theirs = both(dict(region_name="us-isof-south-1"), "get_bucket_acl", "my-bucket")
    assert type(theirs).__name__ == "EndpointVariantError"
    assert_same(ours, theirs, "AWS_USE_DUALSTACK_ENDPOINT")
