"""``fastboto.Config``: botocore.config.Config's keywords, checks and merge."""

from __future__ import annotations

import copy
from typing import Any

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
        for key, value in config_vars.items():
            setattr(self, key, value)
        self._validate_s3_configuration(self.s3)
        self._validate_retry_configuration(self.retries)

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
