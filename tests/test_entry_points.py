"""Entry points against boto3/botocore: ``fastboto.Config`` vs
``botocore.config.Config`` (keywords, positional arguments, validation
errors, ``merge()``), the signatures of ``Session`` / ``client`` /
``resource``, services other than S3, and ``api_version``.

botocore is the oracle wherever it can be asked: its Config is built from
the same arguments and every attribute is compared, its exceptions are
compared on class and ``str()``. Nothing here is sent anywhere: credentials
are explicit and clients are only constructed.
"""

from __future__ import annotations

import copy
import inspect

import boto3
import boto3.session
import botocore.config
import botocore.exceptions
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fastboto
import fastboto.exceptions
from support.reference import FAKE_ACCESS_KEY, FAKE_SECRET_KEY, assert_same_error

CREDS = dict(aws_access_key_id=FAKE_ACCESS_KEY, aws_secret_access_key=FAKE_SECRET_KEY)
OPTION_NAMES = list(botocore.config.Config.OPTION_DEFAULTS)


def config_attributes(cfg):
    """Every public option of a Config, as its attributes read.

    ``inject_host_prefix`` left unset is compared by its own (xfail) test,
    test_inject_host_prefix_default_reads_true, so that one known
    difference does not hide every other comparison here.
    """
    names = [n for n in OPTION_NAMES
             if n != "inject_host_prefix" or "inject_host_prefix" in cfg._user_provided_options]
    return {name: getattr(cfg, name) for name in names}


def build(cls, *args, **kwargs):
    """``cls(*args, **kwargs)`` on private copies of the arguments (botocore
    rewrites nested dicts in place), as a result or the exception raised."""
    try:
        return cls(*copy.deepcopy(args), **copy.deepcopy(kwargs)), None
    except Exception as e:  # noqa: BLE001 - we compare exceptions
        return None, e


def assert_same_config(ours, theirs):
    assert isinstance(ours, fastboto.Config)
    assert ours._user_provided_options == theirs._user_provided_options
    assert config_attributes(ours) == config_attributes(theirs)


def assert_same_construction(args, kwargs):
    ours, our_error = build(fastboto.Config, *args, **kwargs)
    theirs, their_error = build(botocore.config.Config, *args, **kwargs)
    if their_error is not None:
        assert_same_error(our_error, their_error)
        return
    assert our_error is None, f"fastboto.Config raised {our_error!r}; botocore's Config accepted {args} {kwargs}"
    assert_same_config(ours, theirs)


# ---------------------------------------------------------------------------
# Config: keywords and positional arguments
# ---------------------------------------------------------------------------
def test_option_names_and_order_match_botocore():
    # The order matters: positional arguments are mapped onto it.
    assert list(fastboto.Config.OPTION_DEFAULTS) == OPTION_NAMES
    assert dict(fastboto.Config.OPTION_DEFAULTS) == dict(botocore.config.Config.OPTION_DEFAULTS)


@pytest.mark.parametrize("kwargs", [
    {"regionname": "us-east-1"},
    {"region": "us-east-1"},
    {"Region_Name": "us-east-1"},
    {"s3_addressing_style": "path"},
    {"retry": {"mode": "standard"}},
    {"region_name": "us-east-1", "bogus": 1},
    {"": 1},
    {"sigv4": True, "signature": "s3v4"},
], ids=repr)
def test_unknown_keyword_same_type_error(kwargs):
    assert_same_construction((), kwargs)


def test_default_config_attributes():
    assert_same_config(fastboto.Config(), botocore.config.Config())


@pytest.mark.parametrize("value", [True, False])
def test_inject_host_prefix_set(value):
    assert (fastboto.Config(inject_host_prefix=value).inject_host_prefix
            == botocore.config.Config(inject_host_prefix=value).inject_host_prefix)


def test_inject_host_prefix_default_reads_true():
    assert fastboto.Config().inject_host_prefix == botocore.config.Config().inject_host_prefix


POSITIONAL_CASES = [
    ("us-west-2",),
    ("us-west-2", "s3v4"),
    ("us-west-2", "s3", None, "extra/1.0"),
    (None, None, None, None, None, 5, 7),
    tuple(range(len(OPTION_NAMES) - 24)),  # a run of plain values
    tuple([None] * len(OPTION_NAMES)),  # every option, positionally
    tuple([None] * (len(OPTION_NAMES) + 1)),  # one too many
    tuple([None] * (len(OPTION_NAMES) + 5)),
]


@pytest.mark.parametrize("args", POSITIONAL_CASES, ids=lambda a: f"{len(a)}-args")
def test_positional_arguments(args):
    assert_same_construction(args, {})


@pytest.mark.parametrize("args,kwargs", [
    (("us-west-2",), {"region_name": "eu-west-1"}),
    (("us-west-2", "s3v4"), {"signature_version": "s3"}),
    (("us-west-2",), {"signature_version": "s3"}),
    ((None, None, None, "x"), {"user_agent_extra": "y"}),
    (("us-west-2",), {"nope": 1}),
], ids=repr)
def test_positional_and_keyword(args, kwargs):
    assert_same_construction(args, kwargs)


# ---------------------------------------------------------------------------
# Config: validation errors (InvalidS3AddressingStyleError, retry options)
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [
    {"s3": {"addressing_style": "bogus"}},
    {"s3": {"addressing_style": "PATH"}},
    {"s3": {"addressing_style": ""}},
    {"s3": {"addressing_style": None}},
    {"s3": {"use_dualstack_endpoint": True, "addressing_style": "virtual"}},
    {"s3": {}},
    {"retries": {"mode": "fast"}},
    {"retries": {"mode": "Standard"}},
    {"retries": {"max_attempts": -1}},
    {"retries": {"max_attempts": 0}},
    {"retries": {"total_max_attempts": 0}},
    {"retries": {"total_max_attempts": 1}},
    {"retries": {"attempts": 3}},
    {"retries": {"mode": "adaptive", "max_attempts": 4}},
    {"retries": {}},
], ids=repr)
def test_validation_errors(kwargs):
    assert_same_construction((), kwargs)


# ---------------------------------------------------------------------------
# Config.merge
# ---------------------------------------------------------------------------
OPTION_VALUES = {
    "region_name": st.sampled_from(["us-east-1", "eu-west-1", None]),
    "signature_version": st.sampled_from(["s3v4", "s3", None]),
    "user_agent_extra": st.sampled_from(["app/1", "x", None]),
    "connect_timeout": st.sampled_from([1, 2.5, 60, None]),
    "read_timeout": st.sampled_from([1, 30, None]),
    "max_pool_connections": st.integers(1, 50),
    "proxies": st.sampled_from([None, {}, {"http": "http://p:1"}, {"https": "http://q:2"}]),
    "s3": st.fixed_dictionaries({}, optional={
        "addressing_style": st.sampled_from(["auto", "path", "virtual"]),
        "use_dualstack_endpoint": st.booleans(),
        "use_accelerate_endpoint": st.booleans(),
    }) | st.none(),
    "retries": st.fixed_dictionaries({}, optional={
        "mode": st.sampled_from(["legacy", "standard", "adaptive"]),
        "max_attempts": st.integers(0, 10),
        "total_max_attempts": st.integers(1, 10),
    }) | st.none(),
    "use_fips_endpoint": st.sampled_from([True, False, None]),
    "use_dualstack_endpoint": st.sampled_from([True, False, None]),
    "request_checksum_calculation": st.sampled_from(["when_supported", "when_required", None]),
    "response_checksum_validation": st.sampled_from(["when_supported", "when_required", None]),
    "tcp_keepalive": st.sampled_from([True, False, None]),
    "inject_host_prefix": st.booleans(),
    "defaults_mode": st.sampled_from(["legacy", "standard", "in-region", None]),
    "parameter_validation": st.booleans(),
}
OPTIONS = st.fixed_dictionaries({}, optional=OPTION_VALUES)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=OPTIONS, second=OPTIONS)
def test_merge_matches_botocore(first, second):
    ours = fastboto.Config(**copy.deepcopy(first)).merge(fastboto.Config(**copy.deepcopy(second)))
    theirs = botocore.config.Config(**copy.deepcopy(first)).merge(botocore.config.Config(**copy.deepcopy(second)))
    assert_same_config(ours, theirs)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=OPTIONS, second=OPTIONS)
def test_merge_with_a_botocore_config(first, second):
    """A script mixing the two Config classes (``import fastboto as boto3``
    keeps ``botocore.config.Config`` imports) merges as botocore does."""
    theirs = botocore.config.Config(**copy.deepcopy(first)).merge(botocore.config.Config(**copy.deepcopy(second)))
    ours = fastboto.Config(**copy.deepcopy(first)).merge(botocore.config.Config(**copy.deepcopy(second)))
    assert_same_config(ours, theirs)


def test_merge_leaves_both_operands_alone():
    a_ours, b_ours = fastboto.Config(region_name="us-east-1"), fastboto.Config(read_timeout=3)
    a_theirs, b_theirs = botocore.config.Config(region_name="us-east-1"), botocore.config.Config(read_timeout=3)
    a_ours.merge(b_ours)
    a_theirs.merge(b_theirs)
    assert_same_config(a_ours, a_theirs)
    assert_same_config(b_ours, b_theirs)


def test_merge_defaults_do_not_override():
    """A default left unset in the second Config does not reset the first's value."""
    ours = fastboto.Config(connect_timeout=3, region_name="eu-west-1").merge(fastboto.Config())
    theirs = botocore.config.Config(connect_timeout=3, region_name="eu-west-1").merge(botocore.config.Config())
    assert_same_config(ours, theirs)


def test_merge_of_invalid_values_raises_as_botocore():
    # A value merge() revalidates: nested dicts are shared, so a retries dict
    # changed after construction is checked again by merge's Config(**...).
    ours_a, theirs_a = fastboto.Config(), botocore.config.Config()
    ours_b = fastboto.Config(retries={"mode": "standard"})
    theirs_b = botocore.config.Config(retries={"mode": "standard"})
    ours_b.retries["mode"] = "bogus"
    theirs_b.retries["mode"] = "bogus"
    with pytest.raises(Exception) as theirs:
        theirs_a.merge(theirs_b)
    with pytest.raises(Exception) as ours:
        ours_a.merge(ours_b)
    assert_same_error(ours.value, theirs.value)


# ---------------------------------------------------------------------------
# Signatures of the entry points
# ---------------------------------------------------------------------------
def _params(fn):
    return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]


@pytest.mark.parametrize("name", ["__init__", "client"])
def test_session_signatures(name):
    assert _params(getattr(fastboto.Session, name)) == _params(getattr(boto3.session.Session, name))


def test_session_resource_signature():
    assert _params(fastboto.Session.resource) == _params(boto3.session.Session.resource)


def test_resource_positional_region():
    theirs = boto3.Session(**CREDS).resource("s3", "us-west-2")
    ours = fastboto.Session(**CREDS).resource("s3", "us-west-2")
    assert ours.meta.client.meta.region_name == theirs.meta.client.meta.region_name


def test_client_positional_arguments():
    """Session.client('s3', region, api_version, use_ssl, verify, endpoint_url) as boto3."""
    args = ("s3", "eu-west-1", None, False, None, "http://127.0.0.1:9")
    ours = fastboto.Session(**CREDS).client(*args)
    theirs = boto3.Session(**CREDS).client(*args)
    assert ours.meta.region_name == theirs.meta.region_name
    assert ours.meta.endpoint_url == theirs.meta.endpoint_url
    ours = fastboto.client(*args, **CREDS)
    theirs = boto3.client(*args, **CREDS)
    assert ours.meta.region_name == theirs.meta.region_name
    assert ours.meta.endpoint_url == theirs.meta.endpoint_url


def test_session_positional_arguments():
    args = (FAKE_ACCESS_KEY, FAKE_SECRET_KEY, None, "ap-south-1")
    ours, theirs = fastboto.Session(*args), boto3.Session(*args)
    assert ours.region_name == theirs.region_name
    assert ours.profile_name == theirs.profile_name
    o, t = ours.get_credentials(), theirs.get_credentials()
    assert (o.access_key, o.secret_key, o.token, o.method) == (t.access_key, t.secret_key, t.token, t.method)


# ---------------------------------------------------------------------------
# Services other than S3
# ---------------------------------------------------------------------------
def _unknown_service(name):
    """botocore's UnknownServiceError for a service outside fastboto's list."""
    known = ", ".join(fastboto.Session(**CREDS).get_available_services())
    return botocore.exceptions.UnknownServiceError(service_name=name, known_service_names=known)


FACTORIES = {
    "fastboto.client": lambda name: fastboto.client(name, region_name="us-east-1", **CREDS),
    "fastboto.resource": lambda name: fastboto.resource(name, region_name="us-east-1", **CREDS),
    "Session().client": lambda name: fastboto.Session(**CREDS).client(name, region_name="us-east-1"),
    "Session().resource": lambda name: fastboto.Session(**CREDS).resource(name, region_name="us-east-1"),
}


@pytest.mark.parametrize("factory", list(FACTORIES))
@pytest.mark.parametrize("name", ["ec2", "sts", "s3control", "iam"])
def test_service_botocore_knows_but_fastboto_does_not(factory, name):
    """boto3 builds these; fastboto refuses with botocore's UnknownServiceError
    (class, base classes and message format), naming what it does support."""
    assert name in botocore.session.Session().get_available_services()  # the premise
    with pytest.raises(Exception) as ours:
        FACTORIES[factory](name)
    if factory.endswith("resource") and name not in boto3.session.Session().get_available_resources():
        # boto3 has no resource model for it: its ResourceNotExistsError,
        # compared by test_resource_boto3_has_no_model_for.
        assert type(ours.value).__name__ == "ResourceNotExistsError"
        assert isinstance(ours.value, botocore.exceptions.DataNotFoundError)
        return
    assert_same_error(ours.value, _unknown_service(name))
    assert isinstance(ours.value, fastboto.exceptions.UnknownServiceError)
    assert isinstance(ours.value, botocore.exceptions.DataNotFoundError)


@pytest.mark.parametrize("factory", ["fastboto.client", "Session().client"])
@pytest.mark.parametrize("name", ["nope", "S3", "s3 ", ""])
def test_service_nobody_knows(factory, name):
    """Names botocore does not know either: the same exception class as
    botocore's, and the same message up to the list of valid names (which
    is botocore's full list there, fastboto's S3 here)."""
    with pytest.raises(botocore.exceptions.UnknownServiceError) as theirs:
        boto3.client(name, region_name="us-east-1", **CREDS)
    with pytest.raises(Exception) as ours:
        FACTORIES[factory](name)
    assert type(ours.value).__name__ == type(theirs.value).__name__
    assert isinstance(ours.value, botocore.exceptions.UnknownServiceError)
    head = "Valid service names are: "
    assert str(ours.value).split(head)[0] == str(theirs.value).split(head)[0]
    assert_same_error(ours.value, _unknown_service(name))


def test_s3_is_not_refused():
    for make in FACTORIES.values():
        make("s3")


# ---------------------------------------------------------------------------
# api_version
# ---------------------------------------------------------------------------
def _client_outcome(module, api_version):
    try:
        c = module.client("s3", region_name="us-east-1", api_version=api_version, **CREDS)
    except Exception as e:  # noqa: BLE001
        return e
    return c.meta.region_name


@pytest.mark.parametrize("api_version", [None, "2006-03-01"])
def test_valid_api_version(api_version):
    ours, theirs = _client_outcome(fastboto, api_version), _client_outcome(boto3, api_version)
    assert not isinstance(theirs, Exception)
    assert ours == theirs


WRONG_API_VERSIONS = ["1999-01-01", "latest", "2006-03-02", ""]


@pytest.mark.parametrize("api_version", WRONG_API_VERSIONS)
def test_wrong_api_version_client(api_version):
    theirs = _client_outcome(boto3, api_version)
    assert isinstance(theirs, botocore.exceptions.DataNotFoundError)  # the premise
    ours = _client_outcome(fastboto, api_version)
    assert_same_error(ours if isinstance(ours, Exception) else None, theirs)


def test_wrong_api_version_resource():
    with pytest.raises(botocore.exceptions.DataNotFoundError) as theirs:
        boto3.resource("s3", region_name="us-east-1", api_version="1999-01-01", **CREDS)
    with pytest.raises(Exception) as ours:
        fastboto.resource("s3", region_name="us-east-1", api_version="1999-01-01", **CREDS)
    assert type(ours.value).__name__ == type(theirs.value).__name__
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("name", ["nope", "sts"])
def test_resource_boto3_does_not_have_is_a_data_not_found_error(name):
    """boto3 raises ResourceNotExistsError (a botocore DataNotFoundError);
    fastboto's refusal is caught by the same ``except DataNotFoundError``."""
    with pytest.raises(botocore.exceptions.DataNotFoundError):
        boto3.resource(name, region_name="us-east-1", **CREDS)
    with pytest.raises(botocore.exceptions.DataNotFoundError):
        fastboto.resource(name, region_name="us-east-1", **CREDS)


@pytest.mark.parametrize("name", ["nope", "sts", "s3control"])
def test_resource_boto3_has_no_model_for(name):
    with pytest.raises(Exception) as theirs:
        boto3.resource(name, region_name="us-east-1", **CREDS)
    with pytest.raises(Exception) as ours:
        fastboto.resource(name, region_name="us-east-1", **CREDS)
    assert type(ours.value).__name__ == type(theirs.value).__name__
    assert isinstance(ours.value, type(theirs.value))  # boto3 is imported here
    # boto3's wording over fastboto's one resource (no low-level client to suggest)
    assert str(ours.value) == f"The '{name}' resource does not exist.\nThe available resources are:\n   - s3\n"
    assert fastboto.Session().get_available_resources() == ["s3"]


# ---------------------------------------------------------------------------
# client.meta.config: the user's Config with what the client resolved
# ---------------------------------------------------------------------------
# Filled in by botocore's client from its defaults (and compared with the
# rest everywhere); test_meta_config_resolved_defaults names them.
RESOLVED_DEFAULTS = ("s3_disable_express_session_auth", "inject_host_prefix", "request_min_compression_size_bytes",
                     "disable_request_compression", "account_id_endpoint_mode")
META_CONFIGS = [
    {},
    {"region_name": "eu-west-1"},
    {"signature_version": "s3"},
    {"signature_version": "s3v4", "user_agent_extra": "app/1.0"},
    {"connect_timeout": 5, "read_timeout": 7, "max_pool_connections": 3},
    {"retries": {"mode": "standard"}},
    {"retries": {"total_max_attempts": 2, "mode": "adaptive"}},
    {"s3": {"addressing_style": "path", "use_accelerate_endpoint": True}},
    {"use_fips_endpoint": True, "proxies": {"https": "http://127.0.0.1:9"}},
    {"request_checksum_calculation": "when_required", "response_checksum_validation": "when_required"},
    {"tcp_keepalive": True},
    {"inject_host_prefix": False},
    {"parameter_validation": False, "defaults_mode": "standard", "ignore_configured_endpoint_urls": True},
    {"request_min_compression_size_bytes": 2048, "disable_request_compression": "True"},
    {"account_id_endpoint_mode": "DISABLED", "auth_scheme_preference": "sigv4, sigv4a"},
    {"user_agent_appid": "app-1", "sigv4a_signing_region_set": "*"},
    {"retries": {"max_attempts": 0}},
    {"retries": {"max_attempts": 4, "total_max_attempts": 2}},
    {"s3": {"disable_s3_express_session_auth": True}},
    {"use_fips_endpoint": True, "use_dualstack_endpoint": True},
]


def _meta_config(module, cfg_cls, cfg, **client_kwargs):
    config = cfg_cls(**copy.deepcopy(cfg)) if cfg else None
    client = module.client("s3", region_name="us-west-2", config=config, **CREDS, **client_kwargs)
    meta = client.meta.config
    return {n: getattr(meta, n) for n in OPTION_NAMES if n != "user_agent"}


@pytest.mark.parametrize("cfg", META_CONFIGS, ids=repr)
def test_meta_config_matches(cfg):
    ours = _meta_config(fastboto, fastboto.Config, cfg)
    theirs = _meta_config(boto3, botocore.config.Config, cfg)
    assert ours == theirs


ENV_CASES = [("AWS_RETRY_MODE", "standard"), ("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required"),
             ("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required"),
             ("AWS_MAX_ATTEMPTS", "3"), ("AWS_DISABLE_HOST_PREFIX_INJECTION", "true"),
             ("AWS_DISABLE_HOST_PREFIX_INJECTION", "no"), ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "100"),
             ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "0"), ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "big"),
             ("AWS_DISABLE_REQUEST_COMPRESSION", "TRUE"), ("AWS_ACCOUNT_ID_ENDPOINT_MODE", "Required"),
             ("AWS_ACCOUNT_ID_ENDPOINT_MODE", "sometimes"), ("AWS_SDK_UA_APP_ID", "my-app"),
             ("AWS_SIGV4A_SIGNING_REGION_SET", "us-*"), ("AWS_AUTH_SCHEME_PREFERENCE", " sigv4a , sigv4,"),
             ("AWS_S3_DISABLE_EXPRESS_SESSION_AUTH", "true"), ("AWS_USE_FIPS_ENDPOINT", "true")]


def _meta_or_error(module, cfg_cls, cfg):
    try:
        return _meta_config(module, cfg_cls, cfg)
    except Exception as e:  # noqa: BLE001 - compared
        return (type(e).__name__, str(e))


@pytest.mark.parametrize("var,value", ENV_CASES)
@pytest.mark.parametrize("cfg", [{}, {"inject_host_prefix": False, "request_min_compression_size_bytes": 64}],
                         ids=["no-config", "config"])
def test_meta_config_from_environment(monkeypatch, var, value, cfg):
    monkeypatch.setenv(var, value)
    assert _meta_or_error(fastboto, fastboto.Config, cfg) == _meta_or_error(boto3, botocore.config.Config, cfg)


@pytest.mark.parametrize("cfg", [{"s3": {"use_dualstack_endpoint": True}}, {"use_dualstack_endpoint": True}],
                         ids=["s3-block", "top-level"])
def test_meta_config_dualstack_propagates(cfg):
    assert _meta_config(fastboto, fastboto.Config, cfg) == _meta_config(boto3, botocore.config.Config, cfg)


def test_meta_config_parameter_validation():
    cfg = {"parameter_validation": False}
    assert _meta_config(fastboto, fastboto.Config, cfg) == _meta_config(boto3, botocore.config.Config, cfg)


def _prepared_or_error(client, prepare, params):
    try:
        request = prepare(client, params)
    except Exception as e:  # noqa: BLE001
        return type(e).__name__
    body = request.body if isinstance(request.body, (bytes, type(None))) else request.body.encode()
    owner = {k.lower(): v for k, v in request.headers.items()}.get("x-amz-expected-bucket-owner")
    return request.url, body or b"", owner.decode() if isinstance(owner, bytes) else owner


@pytest.mark.parametrize("params", [
    {"Bucket": "my-bucket"},
    {"Bucket": "my-bucket", "Policy": "{}", "ExpectedBucketOwner": 123},
], ids=["missing-Policy", "int-ExpectedBucketOwner"])
def test_parameter_validation_false(params):
    """prepare_request honours it too (tests/test_parameter_validation_off.py
    compares what is sent over many more inputs)."""
    from support.reference import botocore_client, capture_botocore_prepared
    from support.ours import fastboto_client

    cfg = {"parameter_validation": False}
    theirs = _prepared_or_error(botocore_client(region_name="us-east-1", config=cfg),
                                lambda c, p: capture_botocore_prepared(c, "put_bucket_policy", **p), params)
    assert not isinstance(theirs, str), theirs  # the premise: botocore sends it
    ours = _prepared_or_error(fastboto_client(region_name="us-east-1", config=cfg),
                              lambda c, p: c.prepare_request("put_bucket_policy", **p), params)
    assert ours == theirs


def test_meta_config_user_agent_names_fastboto():
    ua = fastboto.client("s3", region_name="us-west-2", **CREDS).meta.config.user_agent
    assert "fastboto" in ua


def test_meta_config_resolved_defaults():
    ours = fastboto.client("s3", region_name="us-west-2", **CREDS).meta.config
    theirs = boto3.client("s3", region_name="us-west-2", **CREDS).meta.config
    assert {n: getattr(ours, n) for n in RESOLVED_DEFAULTS} == {n: getattr(theirs, n) for n in RESOLVED_DEFAULTS}


def test_meta_config_retries_max_attempts():
    cfg = {"retries": {"max_attempts": 3}}
    assert _meta_config(fastboto, fastboto.Config, cfg)["retries"] == _meta_config(boto3, botocore.config.Config, cfg)["retries"]


@pytest.mark.parametrize("cfg", [
    {"defaults_mode": "standard"}, {"defaults_mode": "in-region"}, {"defaults_mode": "cross-region"},
    {"defaults_mode": "mobile"}, {"defaults_mode": "auto"}, {"defaults_mode": "legacy"},
    {"defaults_mode": "standard", "connect_timeout": 5, "s3": {"addressing_style": "path"}},
    {"defaults_mode": "mobile", "retries": {"mode": "legacy"}, "s3": {"us_east_1_regional_endpoint": "legacy"}},
], ids=repr)
def test_meta_config_defaults_mode(cfg):
    assert _meta_config(fastboto, fastboto.Config, cfg) == _meta_config(boto3, botocore.config.Config, cfg)


@pytest.mark.parametrize("mode", ["bogus", "STANDARD-ish", "in region"])
def test_invalid_defaults_mode(mode):
    with pytest.raises(Exception) as theirs:
        boto3.client("s3", region_name="us-west-2", config=botocore.config.Config(defaults_mode=mode), **CREDS)
    with pytest.raises(Exception) as ours:
        fastboto.client("s3", region_name="us-west-2", config=fastboto.Config(defaults_mode=mode), **CREDS)
    assert type(ours.value).__name__ == type(theirs.value).__name__ == "InvalidDefaultsMode"
    assert isinstance(ours.value, botocore.exceptions.BotoCoreError)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("execution_env", [None, "AWS_Lambda_python3.11"])
@pytest.mark.parametrize("current_region", [None, "", "us-west-2", "eu-west-1"])
def test_auto_defaults_mode_from_execution_environment(monkeypatch, execution_env, current_region):
    """`auto` is in-region/cross-region from AWS_EXECUTION_ENV + AWS_REGION
    (connect_timeout 1.1 vs 3.1), else standard (off EC2: the IMDS lookup
    botocore tries next finds nothing here)."""
    for name, value in (("AWS_EXECUTION_ENV", execution_env), ("AWS_REGION", current_region)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    cfg = {"defaults_mode": "auto"}
    assert _meta_config(fastboto, fastboto.Config, cfg) == _meta_config(boto3, botocore.config.Config, cfg)


# ---------------------------------------------------------------------------
# A botocore Config given to fastboto (README: "A botocore Config is accepted too")
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("cfg", [
    {"s3": {"addressing_style": "path"}},
    {"region_name": "eu-west-1", "use_fips_endpoint": True},
    {"s3": {"use_dualstack_endpoint": True}},
    {"signature_version": "s3v4", "request_checksum_calculation": "when_required"},
    {"s3": {"use_accelerate_endpoint": True}},
], ids=repr)
def test_botocore_config_accepted(cfg):
    """fastboto.client(config=botocore.config.Config(...)) prepares the request
    botocore sends for the same Config."""
    from support.reference import botocore_client, capture_botocore_prepared

    params = {"Bucket": "my-bucket", "Policy": "{}"}
    theirs = capture_botocore_prepared(
        botocore_client(region_name="us-west-2", config=botocore.config.Config(**copy.deepcopy(cfg))),
        "put_bucket_policy", **params)
    ours = fastboto.client("s3", region_name="us-west-2", config=botocore.config.Config(**copy.deepcopy(cfg)),
                           **CREDS).prepare_request("put_bucket_policy", **params)
    assert ours.url == theirs.url
    oh = {k.lower(): v for k, v in ours.headers.items()}
    th = {k.lower(): (v.decode() if isinstance(v, bytes) else v) for k, v in theirs.headers.items()}
    for name in ("x-amz-sdk-checksum-algorithm", "x-amz-checksum-crc32", "content-md5"):
        assert oh.get(name) == th.get(name), name
    scope = lambda auth: auth.split("Credential=")[1].split(",")[0].split("/")[2:4]  # noqa: E731
    assert scope(oh["authorization"]) == scope(th["authorization"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n_positional=st.integers(0, len(OPTION_NAMES) + 2), options=OPTIONS,
       extra=st.sampled_from([None, "bogus", "region", "S3"]))
def test_generated_construction(n_positional, options, extra):
    """A positional prefix of options plus keywords (clashing, unknown or
    valid): the same Config or the same TypeError."""
    positional = tuple(options.get(name, botocore.config.Config.OPTION_DEFAULTS[name])
                       for name in OPTION_NAMES[:n_positional])
    kwargs = dict(options)
    if extra is not None:
        kwargs[extra] = 1
    assert_same_construction(positional, kwargs)
