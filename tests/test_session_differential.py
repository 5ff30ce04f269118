"""fastboto.Session vs boto3.Session, with profiles from (temporary) config files.

Credentials are always given explicitly here: a credential lookup that
fell through to the instance metadata service would send traffic off this
machine, which these tests must never cause.
"""

from __future__ import annotations

import boto3
import botocore.config
import botocore.exceptions
import pytest

import fastboto
from support.reference import FAKE_ACCESS_KEY, FAKE_SECRET_KEY, FAKE_SESSION_TOKEN, assert_same_error, call_and_capture
from support.ours import assert_differential

CREDS = dict(aws_access_key_id=FAKE_ACCESS_KEY, aws_secret_access_key=FAKE_SECRET_KEY)


@pytest.fixture
def profiles(monkeypatch, tmp_path):
    """A config file with a few profiles (the autouse fixture points AWS_CONFIG_FILE at an empty one)."""
    def write(endpoint_url="http://127.0.0.1:9"):
        cfg = tmp_path / "profiles-config"
        cfg.write_text(
            "[default]\nregion = eu-central-1\n\n"
            "[profile dev]\nregion = eu-west-2\n\n"
            "[profile pathstyle]\nregion = us-west-2\ns3 =\n    addressing_style = path\n\n"
            f"[profile local]\nregion = ap-southeast-1\nendpoint_url = {endpoint_url}\n\n"
            "[profile checksums]\nregion = us-east-1\nrequest_checksum_calculation = when_required\n"
        )
        creds = tmp_path / "profiles-credentials"
        creds.write_text("[onlycreds]\naws_access_key_id = AKIAFASTBOTOTESTFAKE\n"
                         "aws_secret_access_key = fake-not-used\n")
        monkeypatch.setenv("AWS_CONFIG_FILE", str(cfg))
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(creds))
    return write


@pytest.mark.parametrize("profile", [None, "default", "dev", "pathstyle", "local", "checksums"])
def test_session_attributes(profiles, profile):
    profiles()
    ours = fastboto.Session(profile_name=profile, **CREDS)
    theirs = boto3.Session(profile_name=profile, **CREDS)
    assert ours.region_name == theirs.region_name
    assert ours.profile_name == theirs.profile_name
    assert list(ours.available_profiles) == list(theirs.available_profiles)


def test_session_explicit_region_wins(profiles):
    profiles()
    ours = fastboto.Session(profile_name="dev", region_name="sa-east-1", **CREDS)
    theirs = boto3.Session(profile_name="dev", region_name="sa-east-1", **CREDS)
    assert ours.region_name == theirs.region_name == "sa-east-1"


@pytest.mark.parametrize("var", ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"])
def test_profile_from_environment(profiles, monkeypatch, var):
    profiles()
    monkeypatch.setenv(var, "dev")
    ours, theirs = fastboto.Session(**CREDS), boto3.Session(**CREDS)
    assert (ours.profile_name, ours.region_name) == (theirs.profile_name, theirs.region_name)


def test_profile_not_found(profiles):
    profiles()
    with pytest.raises(botocore.exceptions.ProfileNotFound) as theirs:
        boto3.Session(profile_name="nope", **CREDS).client("s3")
    with pytest.raises(Exception) as ours:
        fastboto.Session(profile_name="nope", **CREDS).client("s3")
    assert_same_error(ours.value, theirs.value)
    assert isinstance(ours.value, fastboto.exceptions.ProfileNotFound)


@pytest.mark.parametrize("token", [False, True], ids=["no-token", "token"])
def test_get_credentials_explicit(token):
    kw = dict(CREDS, aws_session_token=FAKE_SESSION_TOKEN if token else None)
    ours = fastboto.Session(**kw).get_credentials()
    theirs = boto3.Session(**kw).get_credentials()
    assert ours.access_key == theirs.access_key
    assert ours.secret_key == theirs.secret_key, "secret key differs"
    assert ours.token == theirs.token, "token differs"
    assert ours.method == theirs.method
    o, t = ours.get_frozen_credentials(), theirs.get_frozen_credentials()
    assert (o.access_key, o.secret_key, o.token) == (t.access_key, t.secret_key, t.token), "frozen credentials differ"


def _session_pair_call(server, profile, operation, params, config):
    ours_c = fastboto.Session(profile_name=profile, **CREDS).client(
        "s3", use_ssl=False, config=fastboto.Config(**config))
    theirs_c = boto3.Session(profile_name=profile, **CREDS).client(
        "s3", use_ssl=False, config=botocore.config.Config(**config))
    theirs = call_and_capture(server, theirs_c, operation, **params)
    ours = call_and_capture(server, ours_c, operation, **params)
    assert_differential(ours, theirs, operation, params, CREDS)
    return ours, theirs


@pytest.mark.parametrize("profile", ["default", "dev", "pathstyle", "checksums"])
@pytest.mark.parametrize("bucket", ["abc", "my.bucket"])
def test_profile_settings_reach_the_wire(profiles, capture_server, profile, bucket):
    """Region and nested s3 settings from the profile shape the request as in boto3 (seen through a proxy)."""
    profiles()
    _session_pair_call(capture_server, profile, "put_bucket_policy", dict(Bucket=bucket, Policy="{}"),
                       {"proxies": {"http": capture_server.proxy_url}})


def test_profile_endpoint_url(profiles, capture_server):
    profiles(endpoint_url=capture_server.url)
    params = dict(Bucket="abc", Policy="{}")
    ours_c = fastboto.Session(profile_name="local", **CREDS).client("s3")
    theirs_c = boto3.Session(profile_name="local", **CREDS).client("s3")
    assert ours_c.meta.endpoint_url == theirs_c.meta.endpoint_url == capture_server.url
    theirs = call_and_capture(capture_server, theirs_c, "put_bucket_policy", **params)
    ours = call_and_capture(capture_server, ours_c, "put_bucket_policy", **params)
    assert_differential(ours, theirs, "put_bucket_policy", params, CREDS)


def test_ignore_configured_endpoint_urls(profiles, capture_server, monkeypatch):
    profiles(endpoint_url="http://127.0.0.1:9")
    monkeypatch.setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
    ours_c = fastboto.Session(profile_name="local", **CREDS).client("s3")
    theirs_c = boto3.Session(profile_name="local", **CREDS).client("s3")
    assert ours_c.meta.endpoint_url == theirs_c.meta.endpoint_url


@pytest.mark.parametrize("var", ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"])
def test_endpoint_url_from_environment(capture_server, monkeypatch, var):
    monkeypatch.setenv(var, capture_server.url)
    params = dict(Bucket="abc", Policy="{}")
    ours_c = fastboto.client("s3", region_name="us-east-1", **CREDS)
    theirs_c = boto3.client("s3", region_name="us-east-1", **CREDS)
    assert ours_c.meta.endpoint_url == theirs_c.meta.endpoint_url
    theirs = call_and_capture(capture_server, theirs_c, "put_bucket_policy", **params)
    ours = call_and_capture(capture_server, ours_c, "put_bucket_policy", **params)
    assert_differential(ours, theirs, "put_bucket_policy", params, CREDS)
