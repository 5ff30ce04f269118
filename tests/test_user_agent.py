"""User-Agent as botocore builds it: `Config(user_agent=...)` replaces the
whole string (only `user_agent_extra` is appended), `user_agent_appid`
(or `AWS_SDK_UA_APP_ID`, or the profile's `sdk_ua_app_id`) adds a sanitized
`app/<id>` before the extra. fastboto's own prefix names fastboto instead of
botocore, so without an override the part *after* each library's base string
is compared."""

from __future__ import annotations

import re

import botocore.config
import botocore.session
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fastboto
from fastboto.session import _USER_AGENT

CREDS = dict(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret", region_name="us-east-1")


class _Sent(Exception):
    pass


def botocore_user_agent(**config) -> str:
    client = botocore.session.Session().create_client("s3", config=botocore.config.Config(**config), **CREDS)
    seen = {}

    def capture(request, **_):
        seen["ua"] = request.headers["User-Agent"]
        raise _Sent

    client.meta.events.register("before-send", capture)
    with pytest.raises(_Sent):
        client.put_bucket_policy(Bucket="bucket", Policy="{}")
    ua = seen["ua"]
    return ua.decode() if isinstance(ua, bytes) else ua


def fastboto_user_agent(**config) -> str:
    client = fastboto.client("s3", config=fastboto.Config(**config), **CREDS)
    return client.prepare_request("put_bucket_policy", Bucket="bucket", Policy="{}").headers["User-Agent"]


def _after_base(ua: str, base_end: str) -> str:
    """What follows the first match of the regex `base_end` in `ua`."""
    found = re.search(base_end, ua)
    assert found, ua
    return ua[found.end():]


def assert_same_user_agent(**config):
    theirs, ours = botocore_user_agent(**config), fastboto_user_agent(**config)
    if config.get("user_agent") is not None:
        assert ours == theirs
        return
    # botocore's base ends with its config metadata (`cfg/retry-mode#<mode>`,
    # whatever the default mode); fastboto's is fixed.
    assert _after_base(ours, re.escape(_USER_AGENT)) == _after_base(theirs, r"cfg/retry-mode#[a-z]+")


@pytest.fixture(autouse=True)
def _no_ambient_app_id(monkeypatch, tmp_path):
    monkeypatch.delenv("AWS_SDK_UA_APP_ID", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"user_agent": "custom/1.0"},
        {"user_agent": "custom/1.0", "user_agent_extra": "e/1"},
        {"user_agent": "custom/1.0", "user_agent_extra": "e/1", "user_agent_appid": "ignored"},
        {"user_agent": ""},
        {"user_agent_extra": "extra/2"},
        {"user_agent_appid": "myapp"},
        {"user_agent_appid": "my app#1/é"},
        {"user_agent_appid": ""},
        {"user_agent_appid": "a", "user_agent_extra": "x/1"},
        {"retries": {"mode": "legacy"}, "user_agent_extra": "x/1"},
        {"retries": {"mode": "adaptive"}, "user_agent_appid": "a"},
    ],
    ids=repr,
)
def test_user_agent_settings(config):
    assert_same_user_agent(**config)


def test_app_id_from_environment_and_config_file(monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_SDK_UA_APP_ID", "from env")
    assert_same_user_agent()
    assert_same_user_agent(user_agent_appid="from-config-wins")
    monkeypatch.delenv("AWS_SDK_UA_APP_ID")
    (tmp_path / "config").write_text("[default]\nsdk_ua_app_id = from file\n")
    assert_same_user_agent()
    assert "app/from-file" in fastboto_user_agent()


@settings(max_examples=60, deadline=None)
@given(
    appid=st.one_of(st.none(), st.text(max_size=12)),
    extra=st.one_of(st.none(), st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7e), max_size=12)),
    override=st.one_of(st.none(), st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7e), max_size=12)),
)
def test_user_agent_generated(appid, extra, override):
    config = {k: v for k, v in (("user_agent_appid", appid), ("user_agent_extra", extra), ("user_agent", override))
              if v is not None}
    assert_same_user_agent(**config)
