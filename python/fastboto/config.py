"""``fastboto.Config``: botocore.config.Config's keywords, checks and merge."""

from __future__ import annotations

import copy
import functools
from typing import Any, Optional

DEFAULT_TIMEOUT = 60
MAX_POOL_CONNECTIONS = 10


class Config:
    """Advanced client configuration, as ``botocore.config.Config``.

    Options fastboto does not act on yet are accepted (so existing code keeps
    working) and kept on the object.
    """

    OPTION_DEFAULTS = {
        "region_name": None,
        "signature_version": None,
        "user_agent": None,
        "user_agent_extra": None,
        "user_agent_appid": None,
        "connect_timeout": DEFAULT_TIMEOUT,
        "read_timeout": DEFAULT_TIMEOUT,
        "parameter_validation": True,
        "max_pool_connections": MAX_POOL_CONNECTIONS,
        "proxies": None,
        "proxies_config": None,
        "s3": None,
        "s3_disable_express_session_auth": None,
        "retries": None,
        "client_cert": None,
        "inject_host_prefix": None,
        "endpoint_discovery_enabled": None,
        "use_dualstack_endpoint": None,
        "use_fips_endpoint": None,
        "ignore_configured_endpoint_urls": None,
        "defaults_mode": None,
        "tcp_keepalive": None,
        "request_min_compression_size_bytes": None,
        "disable_request_compression": None,
        "client_context_params": None,
        "sigv4a_signing_region_set": None,
        "request_checksum_calculation": None,
        "response_checksum_validation": None,
        "account_id_endpoint_mode": None,
        "auth_scheme_preference": None,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._user_provided_options = self._record_user_provided_options(args, kwargs)
        config_vars = dict(self.OPTION_DEFAULTS)
        if self._user_provided_options.get("defaults_mode", "legacy") != "legacy":
            config_vars["connect_timeout"] = None
        config_vars.update(self._user_provided_options)
        # botocore's property: reads True until set (a client then resolves
        # an unset one from disable_host_prefix_injection).
        self._inject_host_prefix = "UNSET"
        for key, value in config_vars.items():
            if key == "inject_host_prefix" and key not in self._user_provided_options:
                continue
            setattr(self, key, value)
        self._validate_s3_configuration(self.s3)
        self._validate_retry_configuration(self.retries)

    @property
    def inject_host_prefix(self) -> Any:
        if self._inject_host_prefix == "UNSET":
            return True
        return self._inject_host_prefix

    @inject_host_prefix.setter
    def inject_host_prefix(self, value: Any) -> None:
        self._inject_host_prefix = value

    def _record_user_provided_options(self, args, kwargs):
        option_order = list(self.OPTION_DEFAULTS)
        user_provided_options = {}
        for key, value in kwargs.items():
            if key in self.OPTION_DEFAULTS:
                user_provided_options[key] = value
            else:
                raise TypeError(f"Got unexpected keyword argument '{key}'")
        if len(args) > len(option_order):
            raise TypeError(f"Takes at most {len(option_order)} arguments ({len(args)} given)")
        for i, arg in enumerate(args):
            if option_order[i] in user_provided_options:
                raise TypeError(f"Got multiple values for keyword argument '{option_order[i]}'")
            user_provided_options[option_order[i]] = arg
        return user_provided_options

    def _validate_s3_configuration(self, s3):
        if s3 is not None:
            addressing_style = s3.get("addressing_style")
            if addressing_style not in ["virtual", "auto", "path", None]:
                from . import exceptions

                raise exceptions.InvalidS3AddressingStyleError(s3_addressing_style=addressing_style)

    def _validate_retry_configuration(self, retries):
        valid_options = ("max_attempts", "mode", "total_max_attempts")
        valid_modes = ("legacy", "standard", "adaptive")
        if retries is None:
            return
        from . import exceptions

        for key, value in retries.items():
            if key not in valid_options:
                raise exceptions.InvalidRetryConfigurationError(
                    retry_config_option=key, valid_options=valid_options
                )
            if key == "max_attempts" and value < 0:
                raise exceptions.InvalidMaxRetryAttemptsError(
                    provided_max_attempts=value, min_value=0
                )
            if key == "total_max_attempts" and value < 1:
                raise exceptions.InvalidMaxRetryAttemptsError(
                    provided_max_attempts=value, min_value=1
                )
            if key == "mode" and value not in valid_modes:
                raise exceptions.InvalidRetryModeError(
                    provided_retry_mode=value, valid_modes=valid_modes
                )

    def merge(self, other_config: Config) -> Config:
        """A new Config with ``other_config``'s user-set values over this one's."""
        config_options = copy.copy(self._user_provided_options)
        config_options.update(other_config._user_provided_options)
        return Config(**config_options)

    def __repr__(self) -> str:
        options = ", ".join(f"{k}={v!r}" for k, v in self._user_provided_options.items())
        return f"Config({options})"


def config_from_botocore(config: Any) -> Config:
    """Accepts a botocore Config where a fastboto one is expected."""
    if isinstance(config, Config) or config is None:
        return config
    provided = getattr(config, "_user_provided_options", None)
    if provided is None:
        raise TypeError(f"config must be a fastboto.Config, not {type(config).__name__}")
    return Config(**{k: v for k, v in provided.items() if k in Config.OPTION_DEFAULTS})


# The Config options botocore's client copies from the user's Config into
# client.meta.config (args.ClientArgsCreator.compute_client_args); the rest
# (parameter_validation, defaults_mode, ...) read as their defaults there.
_COPIED_TO_META = (
    "connect_timeout",
    "read_timeout",
    "max_pool_connections",
    "proxies",
    "proxies_config",
    "client_cert",
    "tcp_keepalive",
    "user_agent_extra",
    "user_agent_appid",
    "request_min_compression_size_bytes",
    "disable_request_compression",
    "client_context_params",
    "sigv4a_signing_region_set",
    "auth_scheme_preference",
)
_ACCOUNT_ID_ENDPOINT_MODES = ("preferred", "disabled", "required")
_MIN_COMPRESSION_SIZE_RANGE = (1, 1048576)


def _ensure_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.lower() == "true"
    return False


def _invalid_config(msg: str) -> Exception:
    from . import exceptions

    return exceptions.InvalidConfigError(error_msg=msg)


def client_meta_config(config: Config | None, resolved: dict, is_unsigned: Any) -> Config:
    """``client.meta.config``: what botocore's client builds from the user's
    Config and what it resolved (region, signature version, retries, the
    environment's and config file's settings)."""
    settings = resolved["settings"]
    kwargs: dict = {
        "region_name": resolved["region_name"],
        "signature_version": "s3v4",
        "user_agent": resolved["user_agent"],
    }
    if config is not None and config.signature_version:
        kwargs["signature_version"] = config.signature_version
    if resolved["variant_dualstack"]:
        kwargs["use_dualstack_endpoint"] = True
    if resolved["variant_fips"]:
        kwargs["use_fips_endpoint"] = True
    if config is not None:
        for name in _COPIED_TO_META:
            kwargs[name] = getattr(config, name)
        kwargs["retries"] = dict(config.retries) if config.retries is not None else None
        kwargs["inject_host_prefix"] = config.inject_host_prefix
        kwargs["account_id_endpoint_mode"] = config.account_id_endpoint_mode
    _meta_retries(kwargs, settings, resolved["retry_mode"])
    if kwargs.get("connect_timeout") is None and resolved["smart_defaults"]:
        kwargs["connect_timeout"] = resolved["connect_timeout"]
    for name in ("user_agent_appid", "sigv4a_signing_region_set"):
        if kwargs.get(name) is None:
            kwargs[name] = settings.get(name)
    _meta_compression(kwargs, settings)
    kwargs["request_checksum_calculation"] = resolved["request_checksum_calculation"]
    kwargs["response_checksum_validation"] = resolved["response_checksum_validation"]
    _meta_account_id_endpoint_mode(kwargs, settings, is_unsigned)
    if config is None or config._inject_host_prefix == "UNSET":
        disabled = settings.get("disable_host_prefix_injection")
        kwargs["inject_host_prefix"] = True if disabled is None else not _ensure_boolean(disabled)
    preference = (config.auth_scheme_preference if config is not None else None) or settings.get(
        "auth_scheme_preference"
    )
    if isinstance(preference, str):
        items = (item for item in preference.split(",") if item.strip())
        preference = ",".join(item.replace(" ", "").replace("\t", "") for item in items)
    kwargs["auth_scheme_preference"] = preference
    kwargs["s3_disable_express_session_auth"] = resolved["s3_disable_express_session_auth"]
    s3 = _meta_s3(config, resolved["s3_config_store"])
    if resolved["smart_defaults"]:
        s3 = {"us_east_1_regional_endpoint": "regional", **(s3 or {})}
    if resolved["variant_dualstack"]:
        s3 = {**(s3 or {}), "use_dualstack_endpoint": True}
    kwargs["s3"] = s3
    return Config(**kwargs)


# The config-store S3 variables botocore converts with ensure_boolean.
_S3_BOOLEAN_VARIABLES = frozenset({
    "use_accelerate_endpoint", "use_dualstack_endpoint", "payload_signing_enabled",
    "use_arn_region", "s3_disable_multiregion_access_points",
})


def _meta_s3(config: Optional[Config], store: Optional[dict]) -> Optional[dict]:
    """botocore's ``compute_s3_config``: the config store's ``s3`` variable
    (its known boolean variables converted), updated with ``Config.s3``."""
    if store is not None:
        store = {
            k: (v.lower() == "true" if k in _S3_BOOLEAN_VARIABLES else v) for k, v in store.items()
        }
    client_s3 = config.s3 if config is not None else None
    if client_s3 is None:
        return store
    if store is None:
        return dict(client_s3)
    store.update(client_s3)
    return store


def _meta_retries(kwargs: dict, settings: dict, retry_mode: str) -> None:
    """botocore's _compute_retry_max_attempts and _compute_retry_mode: one
    ``total_max_attempts`` (Config's ``max_attempts`` counts retries only)."""
    retries = kwargs.get("retries")
    if retries is not None and "total_max_attempts" in retries:
        retries.pop("max_attempts", None)
    elif retries is not None and "max_attempts" in retries:
        retries["total_max_attempts"] = retries.pop("max_attempts") + 1
    elif settings.get("max_attempts") is not None:
        retries = kwargs["retries"] = retries if retries is not None else {}
        retries["total_max_attempts"] = int(settings["max_attempts"])
    if kwargs.get("retries") is None:
        kwargs["retries"] = {}
    kwargs["retries"].setdefault("mode", retry_mode)


def _meta_compression(kwargs: dict, settings: dict) -> None:
    min_size = kwargs.get("request_min_compression_size_bytes")
    if min_size is None:
        min_size = settings.get("request_min_compression_size_bytes") or 10240
    base = f'Invalid value "{min_size}" for request_min_compression_size_bytes.'
    try:
        size = int(min_size)
    except (ValueError, TypeError):
        raise _invalid_config(
            f"{base} Value must be an integer. Received {type(min_size)} instead."
        ) from None
    low, high = _MIN_COMPRESSION_SIZE_RANGE
    if not low <= size <= high:
        raise _invalid_config(f"{base} Value must be between {low} and {high}.")
    kwargs["request_min_compression_size_bytes"] = size
    disabled = kwargs.get("disable_request_compression")
    if disabled is None:
        disabled = settings.get("disable_request_compression") or False
    kwargs["disable_request_compression"] = _ensure_boolean(disabled)


def _meta_account_id_endpoint_mode(kwargs: dict, settings: dict, is_unsigned: Any) -> None:
    if is_unsigned(kwargs.get("signature_version")):
        kwargs["account_id_endpoint_mode"] = "disabled"
        return
    mode = kwargs.get("account_id_endpoint_mode")
    if mode is None:
        mode = settings.get("account_id_endpoint_mode") or "preferred"
    if isinstance(mode, str):
        mode = mode.lower()
    if mode not in _ACCOUNT_ID_ENDPOINT_MODES:
        raise _invalid_config(
            f"The configured value '{mode}' for 'account_id_endpoint_mode' is invalid. "
            f"Valid values are: {_ACCOUNT_ID_ENDPOINT_MODES}."
        )
    kwargs["account_id_endpoint_mode"] = mode


# botocore.compat's IPv6 address (RFC 6874 zone ids included) pattern.
_HEX = "[0-9A-Fa-f]{1,4}"
_LS32 = "(?:{hex}:{hex}|{ipv4})".format(hex=_HEX, ipv4=r"(?:[0-9]{1,3}\.){3}[0-9]{1,3}")
_IPV6_VARIATIONS = [
    "(?:%(hex)s:){6}%(ls32)s",
    "::(?:%(hex)s:){5}%(ls32)s",
    "(?:%(hex)s)?::(?:%(hex)s:){4}%(ls32)s",
    "(?:(?:%(hex)s:)?%(hex)s)?::(?:%(hex)s:){3}%(ls32)s",
    "(?:(?:%(hex)s:){0,2}%(hex)s)?::(?:%(hex)s:){2}%(ls32)s",
    "(?:(?:%(hex)s:){0,3}%(hex)s)?::%(hex)s:%(ls32)s",
    "(?:(?:%(hex)s:){0,4}%(hex)s)?::%(ls32)s",
    "(?:(?:%(hex)s:){0,5}%(hex)s)?::%(hex)s",
    "(?:(?:%(hex)s:){0,6}%(hex)s)?::",
]
_UNSAFE_URL_CHARS = frozenset("\t\r\n")


@functools.lru_cache(maxsize=1)
def _host_pattern():
    import re

    return re.compile(r"^((?!-)[A-Z\d-]{1,63}(?<!-)\.)*((?!-)[A-Z\d-]{1,63}(?<!-))$", re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _ipv6_pattern():
    # Compiled only for a URL whose host is not a DNS name (it costs
    # milliseconds, most of a first client's time otherwise).
    import re

    subs = {"hex": _HEX, "ls32": _LS32}
    ipv6 = "(?:" + "|".join(v % subs for v in _IPV6_VARIATIONS) + ")"
    unreserved = r"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._!\-~"
    zone_id = "(?:%25|%)(?:[" + unreserved + "]|%[a-fA-F0-9]{2})+"
    return re.compile("^" + r"\[" + ipv6 + r"(?:" + zone_id + r")?\]" + "$")


def check_endpoint_url(endpoint_url: str) -> None:
    """botocore's ``EndpointCreator.create_endpoint`` check of the client's
    endpoint URL (a custom one, or what its endpoint data gives the region):
    ``ValueError("Invalid endpoint: ...")`` unless it has a DNS or IPv6 host.
    ``urlsplit``'s own ValueError (e.g. "Invalid IPv6 URL") escapes as in botocore."""
    from urllib.parse import urlparse, urlsplit

    def valid_dns() -> bool:
        if _UNSAFE_URL_CHARS.intersection(endpoint_url):
            return False
        hostname = urlsplit(endpoint_url).hostname
        if hostname is None or len(hostname) > 255:
            return False
        if hostname[-1] == ".":
            hostname = hostname[:-1]
        return _host_pattern().match(hostname) is not None

    def valid_ipv6() -> bool:
        if _UNSAFE_URL_CHARS.intersection(endpoint_url):
            return False
        return _ipv6_pattern().match(f"[{urlparse(endpoint_url).hostname}]") is not None

    if not valid_dns() and not valid_ipv6():
        raise ValueError(f"Invalid endpoint: {endpoint_url}")
