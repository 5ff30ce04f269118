"""Endpoint and region settings from every configuration source, against
botocore: environment variables (AWS_USE_FIPS_ENDPOINT,
AWS_USE_DUALSTACK_ENDPOINT, AWS_S3_US_EAST_1_REGIONAL_ENDPOINT,
AWS_S3_USE_ARN_REGION, AWS_ENDPOINT_URL(_S3), AWS_DEFAULT_REGION, ...), the
config file (top-level ``use_fips_endpoint`` / ``use_dualstack_endpoint``,
the nested ``s3 =`` block, ``[services x]`` sections, ``endpoint_url``) and
``Config``, alone and competing (argument > Config > environment > file).

Both clients are built from the same inputs in the same environment;
nothing is sent: fastboto's request comes from ``prepare_request``,
botocore's is captured at before-send. Compared: URL, credential scope
(signing region and name), the payload-hash and checksum headers,
``meta.region_name`` and ``meta.endpoint_url``; where botocore refuses,
the exception class and message.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from pathlib import Path
from typing import Any, Dict, Optional

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fastboto
from support.ours import botocore_client, fastboto_client
from support.reference import capture_botocore_prepared, parse_authorization, scrub
from support.sigv4a import is_sigv4a, parse_sigv4a_authorization

PARAMS = {"Policy": '{"Version": "2012-10-17"}'}
COMPARED = ("x-amz-content-sha256", "content-md5", "x-amz-sdk-checksum-algorithm")


def _headers(headers) -> Dict[str, str]:
    out = {}
    for k, v in headers.items():
        k = k.lower()
        if k in COMPARED or k.startswith("x-amz-checksum-"):
            out[k] = v.decode() if isinstance(v, bytes) else v
    return out


def _scope(auth: str):
    """SigV4: (region, service) of the credential scope; SigV4a (MRAPs): the
    service and the region set."""
    if is_sigv4a(auth):
        return ("sigv4a", parse_sigv4a_authorization(auth).service)
    return parse_authorization(auth).scope[2:4]


def _view(url, headers, client):
    auth = headers["Authorization"]
    auth = auth.decode() if isinstance(auth, bytes) else auth
    return {
        "url": url,
        "scope": _scope(auth),
        "headers": _headers(headers),
        "meta.region_name": client.meta.region_name,
        "meta.endpoint_url": client.meta.endpoint_url,
        "meta.partition": client.meta.partition,
        "meta.config.s3": client.meta.config.s3,
    }


def both(client_kwargs: Dict[str, Any], bucket: str = "my-bucket"):
    """(ours, theirs): each a dict of what is compared, or the exception raised."""
    params = dict(Bucket=bucket, **PARAMS)
    try:
        client = fastboto_client(**client_kwargs)
        prepared = client.prepare_request("put_bucket_policy", **params)
        ours = _view(prepared.url, prepared.headers, client)
    except Exception as e:  # noqa: BLE001 - we compare exceptions
        ours = e
    try:
        client = botocore_client(**client_kwargs)
        request = capture_botocore_prepared(client, "put_bucket_policy", **params)
        theirs = _view(request.url, request.headers, client)
    except Exception as e:  # noqa: BLE001
        theirs = e
    return ours, theirs


def assert_same(ours, theirs, context) -> None:
    if isinstance(theirs, Exception):
        assert isinstance(ours, Exception), scrub(f"botocore raised {theirs!r}, fastboto gave {ours} for {context}")
        assert type(ours).__name__ == type(theirs).__name__, scrub(f"{ours!r} vs {theirs!r} for {context}")
        assert str(ours) == str(theirs), scrub(f"{ours!r} vs {theirs!r} for {context}")
        return
    assert not isinstance(ours, Exception), scrub(f"fastboto raised {ours!r}; botocore gave {theirs} for {context}")
    for key in theirs:
        assert ours[key] == theirs[key], scrub(f"{key} differs for {context}:\n ours:   {ours[key]}\n theirs: {theirs[key]}")


@dataclasses.dataclass
class Case:
    id: str
    env: Dict[str, str] = dataclasses.field(default_factory=dict)
    config_file: str = ""
    region_name: Optional[str] = "us-west-2"
    config: Optional[Dict[str, Any]] = None
    endpoint_url: Optional[str] = None
    bucket: str = "my-bucket"
    use_ssl: bool = True

    def client_kwargs(self):
        return dict(region_name=self.region_name, config=self.config, endpoint_url=self.endpoint_url,
                    use_ssl=self.use_ssl)


def s3_block(**settings_) -> str:
    return "s3 =\n" + "".join(f"    {k} = {v}\n" for k, v in settings_.items())


AP_ARN = "arn:aws:s3:us-west-2:123456789012:accesspoint:myendpoint"
MRAP_ARN = "arn:aws:s3::123456789012:accesspoint:mfzwi23gnjvgw.mrap"

SERVICES = "[services local]\ns3 =\n    endpoint_url = http://services.example:9000\n"

CASES = [
    Case("nothing-set"),
    # -- AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT ------------------
    *[Case(f"env-fips-{v}-{r}", env={"AWS_USE_FIPS_ENDPOINT": v}, region_name=r)
      for v in ("true", "TRUE", "True", "false", "1", "yes", "")
      for r in ("us-west-2", "us-east-1", "us-gov-west-1")],
    *[Case(f"env-dualstack-{v}-{r}", env={"AWS_USE_DUALSTACK_ENDPOINT": v}, region_name=r)
      for v in ("true", "TRUE", "false", "0", "")
      for r in ("us-west-2", "us-east-1", "cn-north-1", "eu-central-1")],
    Case("config-fips-us-east-1", config={"use_fips_endpoint": True}, region_name="us-east-1"),
    Case("env-fips-and-dualstack", env={"AWS_USE_FIPS_ENDPOINT": "true", "AWS_USE_DUALSTACK_ENDPOINT": "true"}),
    Case("env-fips-dotted-bucket", env={"AWS_USE_FIPS_ENDPOINT": "true"}, bucket="my.bucket"),
    Case("env-dualstack-dotted-bucket", env={"AWS_USE_DUALSTACK_ENDPOINT": "true"}, bucket="my.bucket"),
    Case("env-fips-with-endpoint-url", env={"AWS_USE_FIPS_ENDPOINT": "true"}, endpoint_url="http://127.0.0.1:9000"),
    Case("env-dualstack-with-endpoint-url", env={"AWS_USE_DUALSTACK_ENDPOINT": "true"},
         endpoint_url="https://minio.example.com"),
    Case("env-fips-access-point", env={"AWS_USE_FIPS_ENDPOINT": "true"},
         bucket="arn:aws:s3:us-west-2:123456789012:accesspoint:myendpoint"),
    # -- config file, top level ------------------------------------------------
    *[Case(f"file-fips-{v}", config_file=f"[default]\nuse_fips_endpoint = {v}\n") for v in ("true", "false", "TRUE")],
    *[Case(f"file-dualstack-{v}", config_file=f"[default]\nuse_dualstack_endpoint = {v}\n")
      for v in ("true", "false", "True")],
    Case("file-fips-and-dualstack", config_file="[default]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\n"),
    Case("file-region", config_file="[default]\nregion = ap-northeast-1\n", region_name=None),
    Case("file-region-profile", env={"AWS_PROFILE": "dev"}, region_name=None,
         config_file="[default]\nregion = ap-northeast-1\n[profile dev]\nregion = sa-east-1\nuse_fips_endpoint = true\n"),
    Case("file-settings-of-other-profile-ignored", region_name="us-east-1",
         config_file="[default]\nregion = eu-west-1\n[profile dev]\nuse_dualstack_endpoint = true\n"),
    Case("file-s3-us-east-1-top-level-legacy", region_name="us-east-1",
         config_file="[default]\ns3_us_east_1_regional_endpoint = legacy\n"),
    Case("file-s3-use-arn-region-top-level", region_name="us-east-1",
         config_file="[default]\ns3_use_arn_region = false\n",
         bucket="arn:aws:s3:us-west-2:123456789012:accesspoint:myendpoint"),
    # -- config file, nested s3 block ---------------------------------------------
    *[Case(f"file-s3-addressing-{style}-{bucket}", config_file="[default]\n" + s3_block(addressing_style=style),
           bucket=bucket)
      for style in ("path", "virtual", "auto") for bucket in ("my-bucket", "my.bucket")],
    Case("file-s3-addressing-path-endpoint", config_file="[default]\n" + s3_block(addressing_style="path"),
         endpoint_url="https://minio.example.com"),
    Case("file-s3-addressing-virtual-endpoint", config_file="[default]\n" + s3_block(addressing_style="virtual"),
         endpoint_url="https://minio.example.com"),
    Case("file-s3-addressing-virtual-http-dotted", config_file="[default]\n" + s3_block(addressing_style="virtual"),
         bucket="my.bucket", use_ssl=False),
    Case("file-s3-addressing-bogus", config_file="[default]\n" + s3_block(addressing_style="bogus")),
    *[Case(f"file-s3-dualstack-{v}", config_file="[default]\n" + s3_block(use_dualstack_endpoint=v))
      for v in ("true", "false")],
    *[Case(f"file-s3-accelerate-{v}", config_file="[default]\n" + s3_block(use_accelerate_endpoint=v))
      for v in ("true", "false")],
    Case("file-s3-accelerate-dotted-bucket", config_file="[default]\n" + s3_block(use_accelerate_endpoint="true"),
         bucket="my.bucket"),
    Case("file-s3-accelerate-and-dualstack",
         config_file="[default]\n" + s3_block(use_accelerate_endpoint="true", use_dualstack_endpoint="true")),
    Case("file-s3-accelerate-path", config_file="[default]\n" + s3_block(use_accelerate_endpoint="true",
                                                                          addressing_style="path")),
    *[Case(f"file-s3-us-east-1-{v}-{r}", config_file="[default]\n" + s3_block(us_east_1_regional_endpoint=v),
           region_name=r)
      for v in ("legacy", "regional", "bogus") for r in ("us-east-1", "us-west-2")],
    Case("file-s3-payload-signing-http", config_file="[default]\n" + s3_block(payload_signing_enabled="false"),
         use_ssl=False),
    Case("file-s3-payload-signing-https", config_file="[default]\n" + s3_block(payload_signing_enabled="false")),
    Case("file-s3-use-arn-region-false", region_name="us-east-1",
         config_file="[default]\n" + s3_block(use_arn_region="false"),
         bucket="arn:aws:s3:us-west-2:123456789012:accesspoint:myendpoint"),
    Case("file-s3-block-in-profile", env={"AWS_PROFILE": "dev"},
         config_file="[default]\n" + s3_block(addressing_style="virtual") + "[profile dev]\n"
                     + s3_block(addressing_style="path")),
    Case("file-s3-block-dualstack-vs-top-level-false",
         config_file="[default]\nuse_dualstack_endpoint = false\n" + s3_block(use_dualstack_endpoint="true")),
    Case("file-s3-block-dualstack-false-vs-top-level-true",
         config_file="[default]\nuse_dualstack_endpoint = true\n" + s3_block(use_dualstack_endpoint="false")),
    # -- AWS_S3_US_EAST_1_REGIONAL_ENDPOINT, AWS_S3_USE_ARN_REGION -------------------
    *[Case(f"env-us-east-1-{v}-{r}", env={"AWS_S3_US_EAST_1_REGIONAL_ENDPOINT": v}, region_name=r)
      for v in ("legacy", "regional", "LEGACY", "bogus", "") for r in ("us-east-1", "eu-west-1")],
    Case("env-us-east-1-legacy-over-file", env={"AWS_S3_US_EAST_1_REGIONAL_ENDPOINT": "legacy"},
         config_file="[default]\n" + s3_block(us_east_1_regional_endpoint="regional"), region_name="us-east-1"),
    Case("env-us-east-1-regional-over-file", env={"AWS_S3_US_EAST_1_REGIONAL_ENDPOINT": "regional"},
         config_file="[default]\n" + s3_block(us_east_1_regional_endpoint="legacy"), region_name="us-east-1"),
    Case("config-us-east-1-over-env", env={"AWS_S3_US_EAST_1_REGIONAL_ENDPOINT": "regional"},
         config={"s3": {"us_east_1_regional_endpoint": "legacy"}}, region_name="us-east-1"),
    Case("env-use-arn-region-false", env={"AWS_S3_USE_ARN_REGION": "false"}, region_name="us-east-1",
         bucket="arn:aws:s3:us-west-2:123456789012:accesspoint:myendpoint"),
    Case("env-use-arn-region-true", env={"AWS_S3_USE_ARN_REGION": "true"}, region_name="us-east-1",
         bucket="arn:aws:s3:us-west-2:123456789012:accesspoint:myendpoint"),
    # -- precedence: Config > environment > file --------------------------------
    Case("config-fips-false-over-env-true", env={"AWS_USE_FIPS_ENDPOINT": "true"}, config={"use_fips_endpoint": False}),
    Case("config-fips-true-over-env-false", env={"AWS_USE_FIPS_ENDPOINT": "false"}, config={"use_fips_endpoint": True}),
    Case("env-fips-false-over-file-true", env={"AWS_USE_FIPS_ENDPOINT": "false"},
         config_file="[default]\nuse_fips_endpoint = true\n"),
    Case("env-fips-true-over-file-false", env={"AWS_USE_FIPS_ENDPOINT": "true"},
         config_file="[default]\nuse_fips_endpoint = false\n"),
    Case("config-dualstack-false-over-env-true", env={"AWS_USE_DUALSTACK_ENDPOINT": "true"},
         config={"use_dualstack_endpoint": False}),
    # -- client.meta.endpoint_url from botocore's legacy endpoint data ------------
    Case("config-region-us-east-1-meta", config={"region_name": "us-east-1"}, region_name=None),
    Case("config-region-us-east-1-and-argument-meta", config={"region_name": "us-east-1"}, region_name="us-east-1"),
    Case("config-region-eu-west-1-and-us-east-1-argument", config={"region_name": "eu-west-1"},
         region_name="us-east-1"),
    *[Case(f"meta-{r}", region_name=r) for r in ("aws-global", "s3-external-1", "us-iso-east-1", "eusc-de-east-1",
                                                  "xx-nowhere-1", "cn-northwest-1")],
    *[Case(f"meta-fips-dualstack-{r}", region_name=r, config={"use_fips_endpoint": True, "use_dualstack_endpoint": True})
      for r in ("us-east-1", "us-west-2", "aws-global", "us-gov-east-1")],
    Case("meta-dualstack-no-region-regional", region_name=None, config={"use_dualstack_endpoint": True},
         config_file="[default]\n" + s3_block(us_east_1_regional_endpoint="regional")),
    # -- client.meta.config.s3: the config store's s3 variable + Config.s3 ---------
    Case("meta-s3-file-block-unknown-keys", config_file="[default]\n" + s3_block(
        addressing_style="path", use_dualstack_endpoint="True", foo="bar", payload_signing_enabled="yes")),
    Case("meta-s3-file-block-and-config", config={"s3": {"addressing_style": "virtual", "extra": 1}},
         config_file="[default]\n" + s3_block(addressing_style="path", use_arn_region="false")),
    Case("meta-s3-top-level-and-env", env={"AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS": "TRUE",
                                           "AWS_S3_USE_ARN_REGION": "false"},
         config_file="[default]\ns3_use_arn_region = true\ns3_us_east_1_regional_endpoint = regional\n"),
    # -- endpoint URLs botocore refuses at client creation ------------------------
    *[Case(f"endpoint-url-{i}", endpoint_url=u) for i, u in enumerate([
        "localhost:9000", "http://a b", "notaurl", "http://", "http://[::1", "http://[::1]:9000",
        "http://[fe80::1%25eth0]:9000", "ftp://store.example", "https://-bad-.example", "https://a..b",
        "https://" + "x" * 64 + ".example", "https://store.example.:9000", "http://user:pw@store.example/base",
        "http://127.0.0.1:9000/", "https://store.example/\tx"])],
    Case("env-endpoint-url-invalid", env={"AWS_ENDPOINT_URL": "localhost:9000"}),
    Case("env-endpoint-url-s3-invalid", env={"AWS_ENDPOINT_URL_S3": "http://bad host"}),
    Case("file-endpoint-url-invalid", config_file="[default]\nendpoint_url = minio:9000\n"),
    Case("env-dualstack-false-over-file-true", env={"AWS_USE_DUALSTACK_ENDPOINT": "false"},
         config_file="[default]\nuse_dualstack_endpoint = true\n"),
    Case("config-s3-dualstack-false-over-env-true", env={"AWS_USE_DUALSTACK_ENDPOINT": "true"},
         config={"s3": {"use_dualstack_endpoint": False}}),
    Case("config-s3-dualstack-true-over-env-false", env={"AWS_USE_DUALSTACK_ENDPOINT": "false"},
         config={"s3": {"use_dualstack_endpoint": True}}),
    Case("config-s3-dualstack-false-over-file-s3-true", config={"s3": {"use_dualstack_endpoint": False}},
         config_file="[default]\n" + s3_block(use_dualstack_endpoint="true")),
    Case("config-s3-addressing-merges-with-file-s3", config={"s3": {"addressing_style": "path"}},
         config_file="[default]\n" + s3_block(use_dualstack_endpoint="true")),
    Case("config-s3-addressing-over-file-s3", config={"s3": {"addressing_style": "virtual"}}, bucket="my.bucket",
         config_file="[default]\n" + s3_block(addressing_style="path")),
    Case("config-s3-accelerate-false-over-file", config={"s3": {"use_accelerate_endpoint": False}},
         config_file="[default]\n" + s3_block(use_accelerate_endpoint="true")),
    Case("config-s3-empty-dict-keeps-file-s3", config={"s3": {}},
         config_file="[default]\n" + s3_block(addressing_style="path")),
    Case("config-region-over-env-and-file", env={"AWS_DEFAULT_REGION": "eu-west-3"}, region_name=None,
         config={"region_name": "ca-central-1"}, config_file="[default]\nregion = ap-south-1\n"),
    Case("argument-region-over-config-region", config={"region_name": "ca-central-1"}, region_name="eu-north-1"),
    Case("env-region-over-file", env={"AWS_DEFAULT_REGION": "eu-west-3"}, region_name=None,
         config_file="[default]\nregion = ap-south-1\n"),
    Case("env-region-empty", env={"AWS_DEFAULT_REGION": ""}, region_name=None,
         config_file="[default]\nregion = ap-south-1\n"),
    # -- endpoint_url sources, [services x] sections ------------------------------------
    Case("services-section", config_file="[default]\nservices = local\n" + SERVICES),
    Case("services-section-http-dotted", config_file="[default]\nservices = local\n" + SERVICES, bucket="my.bucket"),
    Case("services-section-other-service-only",
         config_file="[default]\nservices = local\n[services local]\nec2 =\n    endpoint_url = http://ec2.example\n"),
    Case("services-section-missing", config_file="[default]\nservices = nope\n"),
    Case("services-section-unreferenced", config_file="[default]\nregion = eu-west-1\n" + SERVICES),
    Case("services-section-in-profile", env={"AWS_PROFILE": "dev"},
         config_file="[default]\n[profile dev]\nservices = local\n" + SERVICES),
    Case("services-section-with-s3-addressing",
         config_file="[default]\nservices = local\n" + s3_block(addressing_style="virtual") + SERVICES),
    Case("services-section-over-global-endpoint-url",
         config_file="[default]\nendpoint_url = http://global.example:1\nservices = local\n" + SERVICES),
    Case("global-endpoint-url", config_file="[default]\nendpoint_url = http://global.example:1\n"),
    Case("global-endpoint-url-with-s3-block",
         config_file="[default]\nendpoint_url = http://global.example:1\n" + s3_block(addressing_style="virtual")),
    Case("env-endpoint-url-s3-over-services", env={"AWS_ENDPOINT_URL_S3": "http://env-s3.example"},
         config_file="[default]\nservices = local\n" + SERVICES),
    Case("env-endpoint-url-over-services", env={"AWS_ENDPOINT_URL": "http://env-global.example"},
         config_file="[default]\nservices = local\n" + SERVICES),
    Case("env-endpoint-url-s3-over-env-endpoint-url",
         env={"AWS_ENDPOINT_URL": "http://env-global.example", "AWS_ENDPOINT_URL_S3": "http://env-s3.example"}),
    Case("argument-endpoint-url-over-everything", endpoint_url="https://arg.example",
         env={"AWS_ENDPOINT_URL_S3": "http://env-s3.example"},
         config_file="[default]\nendpoint_url = http://global.example:1\nservices = local\n" + SERVICES),
    Case("env-ignore-configured-endpoint-urls", env={"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
                                                      "AWS_ENDPOINT_URL_S3": "http://env-s3.example"},
         config_file="[default]\nservices = local\n" + SERVICES),
    Case("env-ignore-false", env={"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "false"},
         config_file="[default]\nservices = local\n" + SERVICES),
    Case("file-ignore-configured-endpoint-urls",
         config_file="[default]\nignore_configured_endpoint_urls = true\nservices = local\n" + SERVICES),
    Case("config-ignore-configured-endpoint-urls", config={"ignore_configured_endpoint_urls": True},
         env={"AWS_ENDPOINT_URL": "http://env-global.example"}),
    Case("config-ignore-false-over-env-true", config={"ignore_configured_endpoint_urls": False},
         env={"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL": "http://env-global.example"}),
    Case("ignore-keeps-argument-endpoint-url", env={"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"},
         endpoint_url="https://arg.example"),
    Case("env-endpoint-url-s3-path-prefix", env={"AWS_ENDPOINT_URL_S3": "http://env-s3.example:9000/prefix"}),
    Case("env-endpoint-url-s3-trailing-slash", env={"AWS_ENDPOINT_URL_S3": "https://env-s3.example/"}),
    Case("env-endpoint-url-s3-upper-case-host", env={"AWS_ENDPOINT_URL_S3": "https://ENV-S3.Example"}),
    Case("env-endpoint-url-s3-empty", env={"AWS_ENDPOINT_URL_S3": ""}),
    Case("env-endpoint-url-s3-virtual", env={"AWS_ENDPOINT_URL_S3": "https://env-s3.example"},
         config_file="[default]\n" + s3_block(addressing_style="virtual")),
    Case("services-endpoint-url-path-prefix",
         config_file="[default]\nservices = local\n[services local]\ns3 =\n    endpoint_url = http://svc.example/base\n"),
    Case("profile-s3-block-endpoint-url",
         config_file="[default]\n" + s3_block(endpoint_url="http://nested.example:9000")),
    Case("services-section-upper-case-service",
         config_file="[default]\nservices = local\n[services local]\nS3 =\n    endpoint_url = http://svc.example\n"),
    Case("services-endpoint-and-env-fips", env={"AWS_USE_FIPS_ENDPOINT": "true"},
         config_file="[default]\nservices = local\n" + SERVICES),
    Case("services-endpoint-and-file-dualstack",
         config_file="[default]\nuse_dualstack_endpoint = true\nservices = local\n" + SERVICES),
    # -- defaults_mode (smart defaults: us_east_1_regional_endpoint among them) --------
    *[Case(f"config-defaults-mode-{m}-{r}", config={"defaults_mode": m}, region_name=r)
      for m in ("legacy", "standard", "in-region", "cross-region", "mobile") for r in ("us-east-1", "eu-west-1")],
    Case("env-defaults-mode-standard", env={"AWS_DEFAULTS_MODE": "standard"}, region_name="us-east-1"),
    Case("file-defaults-mode-standard", config_file="[default]\ndefaults_mode = standard\n", region_name="us-east-1"),
    Case("defaults-mode-standard-explicit-legacy-endpoint", config={"defaults_mode": "standard"},
         config_file="[default]\n" + s3_block(us_east_1_regional_endpoint="legacy"), region_name="us-east-1"),
    # -- the ruleset's client context: Config(client_context_params) updated with ----
    # -- the whole S3 config, over the builtins; values type-checked by the rules ----
    *[Case(f"client-context-{name}-{value}", config={"client_context_params": {name: value}}, bucket=bucket,
           region_name="us-east-1")
      for name, bucket in (("force_path_style", "my-bucket"), ("accelerate", "my-bucket"),
                           ("use_arn_region", AP_ARN), ("disable_multi_region_access_points", MRAP_ARN))
      for value in (True, False, "true", 1, None)],
    Case("client-context-camel-case-ignored", config={"client_context_params": {"ForcePathStyle": True}}),
    Case("client-context-unknown-key", config={"client_context_params": {"nope": "x"}}),
    Case("client-context-over-addressing-style", config={
        "client_context_params": {"force_path_style": True}, "s3": {"addressing_style": "virtual"}}),
    Case("client-context-false-over-addressing-path", config={
        "client_context_params": {"force_path_style": False}, "s3": {"addressing_style": "path"}}),
    Case("client-context-accelerate-with-path-style", config={
        "client_context_params": {"accelerate": True}, "s3": {"addressing_style": "path"}}),
    Case("client-context-accelerate-and-fips", config={
        "client_context_params": {"accelerate": True}, "use_fips_endpoint": True}),
    Case("client-context-path-style-with-endpoint-url", endpoint_url="https://minio.example.com",
         config={"client_context_params": {"force_path_style": False}}),
    Case("client-context-path-style-arn", bucket=AP_ARN,
         config={"client_context_params": {"force_path_style": True}}),
    Case("client-context-use-arn-region-vs-config-s3", bucket=AP_ARN, region_name="us-east-1", config={
        "client_context_params": {"use_arn_region": True}, "s3": {"use_arn_region": False}}),
    Case("client-context-s3-none-unsets", config={
        "client_context_params": {"force_path_style": True}, "s3": {"force_path_style": None}}),
    Case("client-context-vs-file-s3-block", config={"client_context_params": {"force_path_style": True}},
         config_file="[default]\n" + s3_block(force_path_style="false")),
    *[Case(f"config-s3-{key}-{value}", config={"s3": {key: value}}, bucket=bucket, region_name="us-east-1")
      for key, bucket in (("force_path_style", "my-bucket"), ("accelerate", "my-bucket"),
                          ("use_accelerate_endpoint", "my-bucket"), ("use_arn_region", AP_ARN),
                          ("s3_disable_multiregion_access_points", MRAP_ARN),
                          ("disable_multi_region_access_points", MRAP_ARN))
      for value in (True, False, "true", "false", 0)],
    *[Case(f"file-s3-context-{key}-{value}", config_file="[default]\n" + s3_block(**{key: value}), bucket=bucket,
           region_name="us-east-1")
      for key, bucket in (("force_path_style", "my-bucket"), ("accelerate", "my-bucket"),
                          ("disable_multi_region_access_points", MRAP_ARN), ("use_arn_region", AP_ARN),
                          ("s3_disable_multiregion_access_points", MRAP_ARN))
      for value in ("true", "false")],
    Case("env-disable-mrap-with-client-context-false", env={"AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS": "true"},
         config={"client_context_params": {"disable_multi_region_access_points": False}}, bucket=MRAP_ARN),
    # -- request checksum / payload settings from the sources --------------------------
    *[Case(f"env-request-checksum-{v}", env={"AWS_REQUEST_CHECKSUM_CALCULATION": v})
      for v in ("when_required", "WHEN_REQUIRED", "when_supported")],
    Case("file-request-checksum", config_file="[default]\nrequest_checksum_calculation = when_required\n"),
    Case("config-request-checksum-over-env", env={"AWS_REQUEST_CHECKSUM_CALCULATION": "when_required"},
         config={"request_checksum_calculation": "when_supported"}),
]


@contextlib.contextmanager
def sources(env: Dict[str, str], config_file: str):
    """Set ``env`` and the config file's text for the duration; restore after.
    (Hypothesis runs many examples in one test: monkeypatch cannot be used.)"""
    path = Path(os.environ["AWS_CONFIG_FILE"])
    saved_text = path.read_text()
    saved_env = {k: os.environ.get(k) for k in env}
    try:
        os.environ.update(env)
        path.write_text(config_file)
        yield
    finally:
        path.write_text(saved_text)
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def variant_error(theirs) -> bool:
    """botocore's legacy endpoints.json data refusing a FIPS/dualstack variant
    (README "Known differences": fastboto follows the endpoint rules only)."""
    return type(theirs).__name__ == "EndpointVariantError"


XFAIL: Dict[str, str] = {}


def _case_params():
    for c in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=XFAIL[c.id])] if c.id in XFAIL else []
        yield pytest.param(c, id=c.id, marks=marks)


@pytest.mark.parametrize("case", list(_case_params()))
def test_config_source(case):
    with sources(case.env, case.config_file):
        ours, theirs = both(case.client_kwargs(), case.bucket)
    assert not variant_error(theirs), "pick a case botocore's endpoint data supports"
    assert_same(ours, theirs, case)


def test_case_ids_unique():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
    assert not (set(XFAIL) - set(ids))


def test_cases_reach_different_endpoints():
    """The table is not vacuous: the sources change botocore's URL."""
    urls = set()
    for case in CASES[:40]:
        with sources(case.env, case.config_file):
            _, theirs = both(case.client_kwargs(), case.bucket)
        if isinstance(theirs, dict):
            urls.add(theirs["url"].split("?")[0])
    assert len(urls) >= 8, urls


# ---------------------------------------------------------------------------
# AWS_REGION: documented as not consulted (as botocore 1.43)
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("file_region", [None, "ap-south-1"])
def test_aws_region_is_not_consulted(file_region):
    """README "Configuration": region comes from the argument,
    AWS_DEFAULT_REGION or the profile; like botocore 1.43, AWS_REGION is not
    read. Asserted against botocore and explicitly."""
    config_file = f"[default]\nregion = {file_region}\n" if file_region else ""
    with sources({"AWS_REGION": "eu-west-3"}, config_file):
        ours, theirs = both(dict(region_name=None))
        session_region = fastboto.Session().region_name
    assert_same(ours, theirs, {"AWS_REGION": "eu-west-3", "file": file_region})
    assert ours["meta.region_name"] != "eu-west-3"
    assert "eu-west-3" not in ours["url"]
    assert session_region == file_region


# ---------------------------------------------------------------------------
# Generated combinations
# ---------------------------------------------------------------------------
BOOL_TEXT = st.sampled_from(["true", "false", "TRUE", "False"])
ENV = st.fixed_dictionaries({}, optional={
    "AWS_USE_FIPS_ENDPOINT": BOOL_TEXT,
    "AWS_USE_DUALSTACK_ENDPOINT": BOOL_TEXT,
    "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT": st.sampled_from(["legacy", "regional"]),
    "AWS_DEFAULT_REGION": st.sampled_from(["us-east-1", "eu-west-1", "cn-north-1"]),
    "AWS_ENDPOINT_URL_S3": st.sampled_from(["http://env-s3.example:9000", "https://env-s3.example"]),
    "AWS_ENDPOINT_URL": st.sampled_from(["http://env-global.example"]),
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": BOOL_TEXT,
})
FILE_TOP = st.fixed_dictionaries({}, optional={
    "region": st.sampled_from(["us-east-1", "us-west-2", "ap-southeast-2"]),
    "use_fips_endpoint": BOOL_TEXT,
    "use_dualstack_endpoint": BOOL_TEXT,
    "endpoint_url": st.sampled_from(["http://global.example:1"]),
    "services": st.just("local"),
    "s3_us_east_1_regional_endpoint": st.sampled_from(["legacy", "regional"]),
    "ignore_configured_endpoint_urls": BOOL_TEXT,
})
FILE_S3 = st.fixed_dictionaries({}, optional={
    "addressing_style": st.sampled_from(["auto", "path", "virtual"]),
    "use_dualstack_endpoint": BOOL_TEXT,
    "use_accelerate_endpoint": BOOL_TEXT,
    "us_east_1_regional_endpoint": st.sampled_from(["legacy", "regional"]),
})
CONFIG = st.fixed_dictionaries({}, optional={
    "region_name": st.sampled_from(["us-east-1", "eu-central-1"]),
    "use_fips_endpoint": st.booleans(),
    "use_dualstack_endpoint": st.booleans(),
    "ignore_configured_endpoint_urls": st.booleans(),
    "s3": st.fixed_dictionaries({}, optional={
        "addressing_style": st.sampled_from(["auto", "path", "virtual"]),
        "use_dualstack_endpoint": st.booleans(),
        "use_accelerate_endpoint": st.booleans(),
        "us_east_1_regional_endpoint": st.sampled_from(["legacy", "regional"]),
    }),
})


def render_config_file(top: Dict[str, str], s3: Dict[str, str]) -> str:
    text = "[default]\n" + "".join(f"{k} = {v}\n" for k, v in top.items())
    if s3:
        text += s3_block(**s3)
    return text + SERVICES


@settings(max_examples=int(os.environ.get("FASTBOTO_CONFIG_SOURCE_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(env=ENV, top=FILE_TOP, s3=FILE_S3, config=CONFIG,
       region=st.sampled_from([None, "us-east-1", "us-west-2", "eu-west-1", "cn-north-1", "us-gov-west-1"]),
       endpoint_url=st.sampled_from([None, None, None, "https://arg.example"]),
       bucket=st.sampled_from(["my-bucket", "my.bucket", "My_Bucket"]),
       use_ssl=st.booleans())
def test_generated_source_combinations(env, top, s3, config, region, endpoint_url, bucket, use_ssl):
    kwargs = dict(region_name=region, config=config or None, endpoint_url=endpoint_url, use_ssl=use_ssl)
    with sources(env, render_config_file(top, s3)):
        ours, theirs = both(kwargs, bucket)
    assert_same(ours, theirs, dict(env=env, file_top=top, file_s3=s3, **kwargs, bucket=bucket))


# ---------------------------------------------------------------------------
# The same settings in a profile chosen by Session(profile_name=...)
# ---------------------------------------------------------------------------
PROFILE_FILES = {
    "fips": "[profile dev]\nregion = us-west-2\nuse_fips_endpoint = true\n",
    "dualstack-nested": "[profile dev]\nregion = eu-west-1\n" + s3_block(use_dualstack_endpoint="true"),
    "path": "[profile dev]\nregion = eu-west-1\n" + s3_block(addressing_style="path"),
    "accelerate": "[profile dev]\nregion = eu-west-1\n" + s3_block(use_accelerate_endpoint="true"),
    "us-east-1-regional": "[profile dev]\nregion = us-east-1\n" + s3_block(us_east_1_regional_endpoint="regional"),
    "services": "[profile dev]\nregion = eu-west-1\nservices = local\n" + SERVICES,
    "default-differs": "[default]\nuse_fips_endpoint = true\n[profile dev]\nregion = us-west-2\n",
}


@pytest.mark.parametrize("name", list(PROFILE_FILES))
def test_profile_name_selects_the_settings(name):
    import boto3

    from support.reference import FAKE_ACCESS_KEY, FAKE_SECRET_KEY

    creds = dict(aws_access_key_id=FAKE_ACCESS_KEY, aws_secret_access_key=FAKE_SECRET_KEY)
    params = dict(Bucket="my-bucket", **PARAMS)
    with sources({}, PROFILE_FILES[name]):
        ours_client = fastboto.Session(profile_name="dev", **creds).client("s3")
        theirs_client = boto3.Session(profile_name="dev", **creds).client("s3")
        prepared = ours_client.prepare_request("put_bucket_policy", **params)
        request = capture_botocore_prepared(theirs_client, "put_bucket_policy", **params)
    assert_same(_view(prepared.url, prepared.headers, ours_client),
                _view(request.url, request.headers, theirs_client), name)
