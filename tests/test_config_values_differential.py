"""Config values botocore takes without checking them itself, against
botocore: where its client creation fails on them (urllib3's timeout checks,
the user-agent join, the region regex), where it creates the client and
fails at each call (an unknown signature version, when signing) or at each
send (a `proxies` that is not a dict, a `max_pool_connections` urllib3
cannot size a pool with), and where it takes them as they are (a timeout
too long for any timer, a pool size <= 0)."""

from __future__ import annotations

import re
from typing import Any, Dict

import botocore.config
import botocore.session
import pytest

import fastboto
from support.reference import FAKE_ACCESS_KEY, FAKE_SECRET_KEY, call_and_capture, capture_botocore_prepared

CREDS = dict(aws_access_key_id=FAKE_ACCESS_KEY, aws_secret_access_key=FAKE_SECRET_KEY)
PARAMS = dict(Bucket="my-bucket", Policy="{}")


def _botocore(config: Dict[str, Any], **kwargs: Any):
    kwargs = {"region_name": "us-east-1", **CREDS, **kwargs}
    return botocore.session.get_session().create_client("s3", config=botocore.config.Config(**config), **kwargs)


def _fastboto(config: Dict[str, Any], **kwargs: Any):
    kwargs = {"region_name": "us-east-1", **CREDS, **kwargs}
    return fastboto.client("s3", config=fastboto.Config(**config), **kwargs)


def _outcome(make, prepare):
    """("create" | "call", exception type name, message), or ("ok",)."""
    try:
        client = make()
    except Exception as e:  # noqa: BLE001 - compared
        return ("create", type(e).__name__, str(e))
    try:
        prepare(client)
    except Exception as e:  # noqa: BLE001 - compared
        return ("call", type(e).__name__, str(e))
    return ("ok",)


def both(config: Dict[str, Any], **kwargs: Any):
    theirs = _outcome(lambda: _botocore(config, **kwargs),
                      lambda c: capture_botocore_prepared(c, "put_bucket_policy", **PARAMS))
    ours = _outcome(lambda: _fastboto(config, **kwargs),
                    lambda c: c.prepare_request("put_bucket_policy", **PARAMS))
    return ours, theirs


class Decimalish:
    """Not a number, but float() takes it: urllib3 then fails its `<= 0`."""

    def __float__(self) -> float:
        return 5.0

    def __str__(self) -> str:
        return "decimalish"


SAME = {
    "connect-negative": {"connect_timeout": -1},
    "connect-zero": {"connect_timeout": 0},
    "read-negative-float": {"read_timeout": -0.5},
    "connect-bool": {"connect_timeout": True},
    "read-bool-false": {"read_timeout": False},
    "read-str": {"read_timeout": "x"},
    "connect-numeric-str": {"connect_timeout": "5"},
    "read-floatable-object": {"read_timeout": Decimalish()},
    "read-list": {"read_timeout": [1]},
    "both-bad-connect-first": {"connect_timeout": "x", "read_timeout": -1},
    "read-none": {"read_timeout": None},
    "read-huge": {"read_timeout": 1e300},
    "connect-inf": {"connect_timeout": float("inf")},
    "read-nan": {"read_timeout": float("nan")},
    "read-int-past-float": {"read_timeout": 10**400},
    "pool-negative": {"max_pool_connections": -1},
    "pool-zero": {"max_pool_connections": 0},
    "pool-huge": {"max_pool_connections": 10**12},
    "pool-str": {"max_pool_connections": "3"},
    "user-agent-int": {"user_agent": 1},
    "user-agent-int-with-extra": {"user_agent": 1, "user_agent_extra": "x"},
    "user-agent-str-extra-int": {"user_agent": "mine/1.0", "user_agent_extra": 1},
    "user-agent-falsy-int": {"user_agent": 0},
    "appid-int": {"user_agent_appid": 5},
    "appid-bytes": {"user_agent_appid": b"app"},
    "appid-list-of-str": {"user_agent_appid": ["a", "b!"]},
    "appid-falsy": {"user_agent_appid": 0},
    "appid-int-extra-int": {"user_agent_appid": 5, "user_agent_extra": 1},
    "extra-falsy": {"user_agent_extra": 0},
    "config-region-int": {"region_name": 5},
    "config-region-bytes": {"region_name": b"us-east-1"},
    "signature-version-unknown": {"signature_version": "bogus"},
    "signature-version-empty": {"signature_version": ""},
    # Only the UNSIGNED object means anonymous; the string is an unknown name.
    "signature-version-unsigned-string": {"signature_version": "unsigned"},
    "proxies-str": {"proxies": "x"},
    "proxies-list": {"proxies": [("https", "http://p")]},
}


@pytest.mark.parametrize("config", list(SAME.values()), ids=list(SAME))
def test_config_values_as_botocore(config):
    ours, theirs = both(config)
    assert ours == theirs


@pytest.mark.parametrize("region", [5, b"eu-west-1", 1.5])
@pytest.mark.parametrize("where", ["argument", "config"])
def test_region_that_is_not_a_str(region, where):
    kwargs = {"region_name": region} if where == "argument" else {"region_name": None}
    config = {"region_name": region} if where == "config" else {}
    ours, theirs = both(config, **kwargs)
    assert theirs[:2] == ("create", "TypeError"), "premise: botocore's region regex fails"
    assert ours == theirs


@pytest.mark.parametrize("region, s3", [
    ("eu-west-1", None),
    ("fips-us-east-1", None),
    ("us-east-1-fips", None),
    ("us-east-1", {"us_east_1_regional_endpoint": "regional"}),
    ("us-east-1", {"us_east_1_regional_endpoint": "legacy"}),
])
def test_config_region_not_a_str_read_only_by_the_legacy_lookup(region, s3):
    """An explicit region wins; botocore's legacy lookup reads
    Config.region_name only for us-east-1 in legacy mode."""
    config = {"region_name": 5, **({"s3": s3} if s3 else {})}
    ours, theirs = both(config, region_name=region)
    assert ours == theirs


def test_user_agent_extra_not_a_str():
    """botocore's `" ".join` fails at the extra's position among the
    user-agent components; fastboto's own (shorter) user agent puts it at a
    different index, so the index is the one difference."""
    ours, theirs = both({"user_agent_extra": 1})
    assert theirs[:2] == ours[:2] == ("create", "TypeError")
    pattern = r"sequence item \d+: expected str instance, int found"
    assert re.fullmatch(pattern, theirs[2]) and re.fullmatch(pattern, ours[2])
    components = len(fastboto.client("s3", **CREDS, region_name="us-east-1")
                     .prepare_request("put_bucket_policy", **PARAMS).headers["User-Agent"].split(" "))
    assert ours[2].startswith(f"sequence item {components}:")


def test_unknown_signature_version_comes_after_validation():
    """botocore raises it while signing: a validation error comes first,
    and nothing is asked of the credentials."""
    config = {"signature_version": "bogus"}
    for make in (_botocore, _fastboto):
        client = make(config)
        with pytest.raises(Exception) as raised:
            client.put_bucket_policy(Bucket="my-bucket")
        assert type(raised.value).__name__ == "ParamValidationError"
    no_credentials = dict(aws_access_key_id=None, aws_secret_access_key=None)
    errors = []
    for make in (_botocore, _fastboto):
        with pytest.MonkeyPatch.context() as mp:
            for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
                mp.delenv(name, raising=False)
            mp.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
            mp.setenv("AWS_CONFIG_FILE", "/nonexistent")
            mp.setenv("AWS_EC2_METADATA_DISABLED", "true")
            client = make(config, **no_credentials)
            with pytest.raises(Exception) as raised:
                client.put_bucket_policy(**PARAMS)
        errors.append((type(raised.value).__name__, str(raised.value)))
    assert errors[0] == errors[1] == ("UnknownSignatureVersionError", "Unknown Signature Version: bogus.")


def test_unknown_signature_version_is_raised_by_the_resource_and_aio_too():
    import asyncio

    import fastboto.aio

    resource = fastboto.resource("s3", region_name="us-east-1", **CREDS,
                                 config=fastboto.Config(signature_version="v2-bogus"))
    with pytest.raises(fastboto.exceptions.UnknownSignatureVersionError):
        resource.BucketPolicy("my-bucket").put(Policy="{}")

    async def call():
        async with fastboto.aio.client("s3", region_name="us-east-1", **CREDS,
                                       config=fastboto.Config(signature_version="bogus")) as s3:
            await s3.put_bucket_policy(**PARAMS)

    with pytest.raises(fastboto.exceptions.UnknownSignatureVersionError):
        asyncio.run(call())


SEND_FAILS = {
    "proxies-str": {"proxies": "x"},
    "proxies-list": {"proxies": [("http", "http://127.0.0.1:9")]},
    "pool-str": {"max_pool_connections": "3"},
    "pool-float": {"max_pool_connections": 3.0},
    "connect-huge": {"connect_timeout": 1e300},
    "connect-inf": {"connect_timeout": float("inf")},
    "connect-nan-read-inf": {"connect_timeout": float("nan"), "read_timeout": float("inf")},
    "proxies-before-timeouts": {"proxies": "x", "connect_timeout": float("nan")},
    "pool-before-timeouts": {"max_pool_connections": "2", "read_timeout": float("inf")},
}


@pytest.mark.parametrize("config", list(SEND_FAILS.values()), ids=list(SEND_FAILS))
def test_settings_that_fail_every_send(capture_server, config):
    """botocore creates the client, prepares and signs the call, and its HTTP
    layer fails before anything is sent: HTTPClientError (at every attempt
    standard mode makes), nothing on the wire."""
    config = {**config, "retries": {"mode": "standard"}}
    theirs = call_and_capture(capture_server, _botocore(config, endpoint_url=capture_server.url),
                              "put_bucket_policy", **PARAMS)
    ours = call_and_capture(capture_server, _fastboto(config, endpoint_url=capture_server.url),
                            "put_bucket_policy", **PARAMS)
    assert type(theirs.error).__name__ == "HTTPClientError", "premise"
    assert isinstance(ours.error, fastboto.exceptions.HTTPClientError)
    assert isinstance(ours.error, botocore.exceptions.HTTPClientError)
    assert str(ours.error) == str(theirs.error)
    # botocore's kwargs hold the exception; fastboto's its text.
    assert {k: str(v) for k, v in ours.error.kwargs.items()} == {k: str(v) for k, v in theirs.error.kwargs.items()}
    assert ours.requests == theirs.requests == []


READ_FAILS = {
    "read-nan": {"read_timeout": float("nan")},
    "read-past-clock": {"read_timeout": 1e10},
    "read-inf": {"read_timeout": float("inf")},
}


@pytest.mark.parametrize("mode", ["legacy", "standard", "adaptive"])
@pytest.mark.parametrize("config", list(READ_FAILS.values()), ids=list(READ_FAILS))
def test_read_timeout_that_fails_once_the_request_is_sent(capture_server, config, mode):
    """urllib3 arms the read timeout after writing the request: botocore
    sends the call, then raises HTTPClientError without reading the answer
    — once in legacy mode, at every attempt in standard and adaptive modes
    (their TransientRetryableChecker retries HTTPClientError)."""
    outcomes = []
    for make in (_botocore, _fastboto):
        retries = {"mode": mode, "total_max_attempts": 2}
        client = make({**config, "retries": retries}, endpoint_url=capture_server.url)
        capture_server.pop_all()
        with pytest.raises(Exception) as raised:
            client.put_bucket_policy(**PARAMS)
        capture_server.wait_for(3, timeout=0.5)
        sent = capture_server.pop_all()
        outcomes.append((type(raised.value).__name__, str(raised.value),
                         [(r.path_and_query, r.header("amz-sdk-request")) for r in sent]))
    theirs, ours = outcomes
    assert theirs[0] == "HTTPClientError" and len(theirs[2]) == (1 if mode == "legacy" else 2), "premise"
    assert ours == theirs


@pytest.mark.parametrize("config", [
    {"connect_timeout": 9e9, "read_timeout": 1e9},
    {"max_pool_connections": 0},
    {"max_pool_connections": -5},
    {"max_pool_connections": True},
], ids=["long-timeouts", "pool-zero", "pool-negative", "pool-bool"])
def test_settings_botocore_takes_as_they_are_still_send(capture_server, config):
    """No panic, no error: both send the call (twice, over a kept
    connection where the pool keeps one)."""
    for make in (_botocore, _fastboto):
        client = make(config, endpoint_url=capture_server.url)
        for _ in range(2):
            outcome = call_and_capture(capture_server, client, "get_bucket_policy", Bucket="my-bucket")
            assert len(outcome.requests) == 1, (make.__name__, outcome.error)
        client.close()


# botocore 1.44: a CA bundle path that is empty or whitespace, from any
# source, is an InvalidConfigError when the client is created.
@pytest.mark.parametrize("source,value", [
    ("verify", ""),
    ("verify", " \t"),
    ("AWS_CA_BUNDLE", ""),
    ("AWS_CA_BUNDLE", "  "),
    ("config-file", ""),
    ("REQUESTS_CA_BUNDLE", ""),
    ("REQUESTS_CA_BUNDLE", "\n"),
    ("REQUESTS_CA_BUNDLE-under-verify-true", ""),
    ("REQUESTS_CA_BUNDLE-under-verify-false", " "),
    ("AWS_CA_BUNDLE-under-verify-true", ""),
    ("verify-path-over-empty-env", ""),
], ids=repr)
def test_empty_ca_bundle_like_botocore(monkeypatch, tmp_path, source, value):
    kwargs: Dict[str, Any] = {}
    config_file = tmp_path / "config"
    config_file.write_text("[default]\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config_file))
    if source == "verify":
        kwargs["verify"] = value
    elif source == "config-file":
        config_file.write_text(f"[default]\nca_bundle = {value}\n")
    elif source.startswith("REQUESTS_CA_BUNDLE"):
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", value)
    else:
        monkeypatch.setenv("AWS_CA_BUNDLE", value)
    if source.endswith("verify-true"):
        kwargs["verify"] = True
    elif source.endswith("verify-false"):
        kwargs["verify"] = False
    elif source == "verify-path-over-empty-env":
        kwargs["verify"] = str(tmp_path / "bundle.pem")
    ours, theirs = both({}, **kwargs)
    assert ours == theirs
    refused = not source.endswith(("verify-true", "verify-false", "empty-env"))
    assert (theirs[:2] == ("create", "InvalidConfigError")) is refused, f"premise: {theirs}"
