"""``fastboto.Session``: boto3.Session's constructor, properties and factories."""

from __future__ import annotations

import os
import re
import string
import sys
import _thread
from typing import Any, NamedTuple, Optional

from . import _core, _delegate
from .config import Config, check_endpoint_url, client_meta_config, config_from_botocore

SUPPORTED_SERVICES = ("s3",)
_DELEGATE_LOCK = _thread.allocate_lock()
# The services boto3 has resource models for besides S3: fastboto refuses
# these with botocore's UnknownServiceError, as its clients do (boto3 would
# build them), the rest with boto3's ResourceNotExistsError.
_BOTO3_RESOURCES = (
    "cloudformation", "cloudwatch", "dynamodb", "ec2", "glacier", "iam", "sns", "sqs",
)
# The one S3 API version botocore and boto3 have models for.
S3_API_VERSION = "2006-03-01"


class _Unsigned:
    """Sentinel for anonymous requests, as ``botocore.UNSIGNED``."""

    def __copy__(self):
        return self

    def __deepcopy__(self, memodict):
        return self

    def __repr__(self) -> str:
        return "UNSIGNED"


UNSIGNED = _Unsigned()


def _is_unsigned(value: Any) -> bool:
    if value is UNSIGNED:
        return True
    botocore = sys.modules.get("botocore")
    return botocore is not None and value is getattr(botocore, "UNSIGNED", object())


_USER_AGENT = (
    f"fastboto/{_core.__version__} ua/2.1 os/{sys.platform} "
    f"lang/python#{sys.version_info[0]}.{sys.version_info[1]}.{sys.version_info[2]} "
    f"md/pyimpl#{sys.implementation.name}"
)


class ReadOnlyCredentials(NamedTuple):
    access_key: str
    secret_key: str
    token: Optional[str]
    account_id: Optional[str] = None

    def __repr__(self) -> str:
        return (
            f"ReadOnlyCredentials(access_key={self.access_key!r}, secret_key='****', token=..., "
            f"account_id={self.account_id!r})"
        )


class Credentials:
    """Resolved credentials, as botocore.credentials.Credentials. Its repr
    never shows the secret key or the token."""

    __slots__ = ("access_key", "secret_key", "token", "method", "account_id")

    def __init__(
        self,
        access_key: str,
        secret_key: str,
        token: Optional[str] = None,
        method: Optional[str] = None,
        account_id: Optional[str] = None,
    ) -> None:
        self.access_key = access_key
        self.secret_key = secret_key
        self.token = token
        self.method = method
        self.account_id = account_id

    def get_frozen_credentials(self) -> ReadOnlyCredentials:
        return ReadOnlyCredentials(self.access_key, self.secret_key, self.token, self.account_id)

    def __repr__(self) -> str:
        return f"<fastboto Credentials access_key={self.access_key!r} method={self.method!r}>"


class RefreshableCredentials(Credentials):
    """Temporary credentials (botocore.credentials.RefreshableCredentials):
    each read refreshes them first when they are about to expire. Shared by
    the session and its clients."""

    __slots__ = ("_handle",)

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    @property  # type: ignore[override]
    def method(self) -> str:
        return self._handle.method

    @property  # type: ignore[override]
    def access_key(self) -> str:
        return self._handle.frozen()[0]

    @property  # type: ignore[override]
    def secret_key(self) -> str:
        return self._handle.frozen()[1]

    @property  # type: ignore[override]
    def token(self) -> Optional[str]:
        return self._handle.frozen()[2]

    @property  # type: ignore[override]
    def account_id(self) -> Optional[str]:
        return self._handle.frozen()[3]

    def get_frozen_credentials(self) -> ReadOnlyCredentials:
        return ReadOnlyCredentials(*self._handle.frozen())

    def __repr__(self) -> str:
        # Reading the key could refresh (and fail); the repr never does.
        return f"<fastboto RefreshableCredentials method={self.method!r}>"


def _credentials_from(handle: Any) -> Credentials:
    if handle.refreshable:
        return RefreshableCredentials(handle)
    access_key, secret_key, token, account_id = handle.frozen()
    return Credentials(access_key, secret_key, token, handle.method, account_id)


class Session:
    """A set of credentials, region and profile (as ``boto3.Session``)."""

    def __init__(
        self,
        aws_access_key_id: Optional[str] = None,
        aws_secret_access_key: Optional[str] = None,
        aws_session_token: Optional[str] = None,
        region_name: Optional[str] = None,
        botocore_session: Any = None,
        profile_name: Optional[str] = None,
        aws_account_id: Optional[str] = None,
    ) -> None:
        given = (aws_access_key_id, aws_secret_access_key, aws_session_token, aws_account_id)
        keys_given = aws_access_key_id is not None and aws_secret_access_key is not None
        if any(given) and aws_account_id is not None and not keys_given:
            # boto3's _account_id_set_without_credentials
            from . import exceptions

            raise exceptions.NoCredentialsError()
        self._explicit = {
            "aws_access_key_id": aws_access_key_id,
            "aws_secret_access_key": aws_secret_access_key,
            "aws_session_token": aws_session_token,
            "aws_account_id": aws_account_id,
        }
        # botocore's Session._credentials: found once, shared by every client
        # of this session that has no keys of its own.
        self._credential_cache = _core.CredentialCache()
        self._botocore_session = botocore_session
        self._explicit_region = region_name
        self._explicit_profile = profile_name
        resolved = _core.resolve_session(
            {**self._explicit, "region_name": region_name, "profile_name": profile_name}
        )
        self._profile_name = resolved["profile_name"]
        self._region_name = resolved["region_name"]
        self._available_profiles = resolved["available_profiles"]

    def __repr__(self) -> str:
        return f"Session(region_name={self.region_name!r})"

    @property
    def profile_name(self) -> str:
        return self._profile_name

    @property
    def region_name(self) -> Optional[str]:
        return self._region_name

    @property
    def available_profiles(self) -> list:
        return list(self._available_profiles)

    def get_available_services(self) -> list:
        return list(SUPPORTED_SERVICES)

    def get_available_resources(self) -> list:
        return list(SUPPORTED_SERVICES)

    def get_credentials(self) -> Optional[Credentials]:
        if self._botocore_session is not None:
            borrowed = self._borrowed_credentials()
            if borrowed is not None:
                return borrowed
        handle = self._credential_handle()
        return _credentials_from(handle) if handle is not None else None

    def _credential_handle(self) -> Any:
        """The session's credential source (found once, then shared)."""
        return self._credential_cache.get(
            {
                **self._explicit,
                "region_name": self._explicit_region,
                "profile_name": self._explicit_profile,
            }
        )

    def _delegate(self) -> Any:
        """The boto3 Session what fastboto lacks is delegated to (made once)."""
        delegate = self.__dict__.get("_delegate_session")
        if delegate is None:
            with _DELEGATE_LOCK:
                delegate = self.__dict__.get("_delegate_session")
                if delegate is None:
                    delegate = _delegate.boto3_session(self)
                    self._delegate_session = delegate
        return delegate

    def __getattr__(self, name: str) -> Any:
        # Session methods fastboto lacks (get_available_regions,
        # get_partition_for_region, ...) are boto3's.
        if not _delegate.delegated_name(name):
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        try:
            delegate = self._delegate()
        except ImportError:
            raise _delegate.missing(type(self).__name__, name) from None
        return getattr(delegate, name)

    def _borrowed_credentials(self) -> Optional[Credentials]:
        creds = self._botocore_session.get_credentials()
        if creds is None:
            return None
        frozen = creds.get_frozen_credentials()
        return Credentials(
            frozen.access_key,
            frozen.secret_key,
            frozen.token,
            getattr(creds, "method", None),
            getattr(creds, "account_id", None),
        )

    def client(
        self,
        service_name: str,
        region_name: Optional[str] = None,
        api_version: Optional[str] = None,
        use_ssl: bool = True,
        verify: Any = None,
        endpoint_url: Optional[str] = None,
        aws_access_key_id: Optional[str] = None,
        aws_secret_access_key: Optional[str] = None,
        aws_session_token: Optional[str] = None,
        config: Optional[Config] = None,
        aws_account_id: Optional[str] = None,
    ):
        """A low-level S3 client (as ``boto3.Session.client``)."""
        from ._client import S3

        if service_name not in SUPPORTED_SERVICES:
            from . import exceptions

            raise exceptions.UnknownServiceError(
                service_name=service_name,
                known_service_names=", ".join(SUPPORTED_SERVICES),
            )
        if api_version is not None and api_version != S3_API_VERSION:
            from . import exceptions

            # botocore's loader path: os.path.join(service, api_version, "service-2")
            data_path = "/".join(part for part in (service_name, api_version, "service-2") if part)
            raise exceptions.DataNotFoundError(data_path=data_path)
        delegation = _delegate.Delegation(self, {
            "region_name": region_name,
            "api_version": api_version,
            "use_ssl": use_ssl,
            "verify": verify,
            "endpoint_url": endpoint_url,
            "aws_access_key_id": aws_access_key_id,
            "aws_secret_access_key": aws_secret_access_key,
            "aws_session_token": aws_session_token,
            "aws_account_id": aws_account_id,
            "config": config,
        })
        config = config_from_botocore(config)
        config_region_name = config.region_name if config is not None else None
        if region_name is None and config is not None and config.region_name is not None:
            region_name = config.region_name
        if region_name is None:
            region_name = self._region_name

        client_credentials = {
            "client.aws_access_key_id": aws_access_key_id,
            "client.aws_secret_access_key": aws_secret_access_key,
            "client.aws_session_token": aws_session_token,
            "client.aws_account_id": aws_account_id,
        }
        if aws_access_key_id is None and aws_secret_access_key is None:
            borrowed = self._borrowed_credentials() if self._botocore_session else None
            if borrowed is not None:
                client_credentials = {
                    "client.aws_access_key_id": borrowed.access_key,
                    "client.aws_secret_access_key": borrowed.secret_key,
                    "client.aws_session_token": borrowed.token,
                    "client.aws_account_id": borrowed.account_id,
                }

        options: dict = {
            **self._explicit,
            **client_credentials,
            "region_name": region_name,
            "profile_name": self._explicit_profile,
            "credential_cache": self._credential_cache,
            "config_region_name": config_region_name,
            "endpoint_url": endpoint_url,
            "use_ssl": use_ssl,
            "user_agent": _USER_AGENT,
        }
        if isinstance(verify, str):
            options["ca_bundle"] = verify
        elif verify is not None:
            options["verify"] = bool(verify)
        _check_region_name(region_name)
        if config_region_name is not None and not isinstance(config_region_name, str):
            # Read only where botocore's legacy lookup falls back to it.
            try:
                _check_region_name(config_region_name)
            except TypeError as e:
                options["config_region_name_type_error"] = str(e)
            options["config_region_name"] = None
        deferred = _flatten_config(config, options) if config is not None else None
        core = _core.CoreClient(options)
        # botocore builds its user agent once the endpoint is known, and
        # makes its HTTP session (timeouts) after checking the endpoint URL.
        if deferred and deferred.user_agent:
            raise deferred.user_agent[0](core.resolved_config()["user_agent"])
        check_endpoint_url(core.endpoint_url)
        if deferred and deferred.http_session:
            raise deferred.http_session[0]
        client = S3(core, client_meta_config(config, core.resolved_config(), _is_unsigned))
        client._delegation = delegation
        return client

    def aio_client(self, *args: Any, **kwargs: Any):
        """An asyncio S3 client (``fastboto.aio``) with ``client()``'s arguments."""
        from .aio import _aio_client

        return _aio_client(self, *args, **kwargs)

    def resource(
        self,
        service_name: str,
        region_name: Optional[str] = None,
        api_version: Optional[str] = None,
        use_ssl: bool = True,
        verify: Any = None,
        endpoint_url: Optional[str] = None,
        aws_access_key_id: Optional[str] = None,
        aws_secret_access_key: Optional[str] = None,
        aws_session_token: Optional[str] = None,
        config: Optional[Config] = None,
    ):
        """An S3 resource (as ``boto3.Session.resource``)."""
        from . import exceptions
        from .resources import S3ServiceResource

        if service_name not in SUPPORTED_SERVICES and service_name not in _BOTO3_RESOURCES:
            # boto3 has no resource model for it either: its error, over
            # fastboto's one resource (and no client to suggest).
            raise exceptions.resource_not_exists(service_name, list(SUPPORTED_SERVICES), False)
        wrong_version = api_version is not None and api_version != S3_API_VERSION
        if service_name in SUPPORTED_SERVICES and wrong_version:
            raise exceptions.UnknownAPIVersionError(
                service_name=service_name,
                bad_api_version=api_version,
                available_api_versions=S3_API_VERSION,
            )
        client = self.client(
            service_name,
            region_name=region_name,
            api_version=api_version,
            use_ssl=use_ssl,
            verify=verify,
            endpoint_url=endpoint_url,
            aws_access_key_id=aws_access_key_id,
            aws_secret_access_key=aws_secret_access_key,
            aws_session_token=aws_session_token,
            config=config,
        )
        return S3ServiceResource(client)


def _check_region_name(region_name: Any) -> None:
    """botocore's ``validate_region_name`` is a ``re.match``: a region that
    is not a str fails there with Python's own TypeError, before anything
    else. (The region's value is checked by the core.)"""
    if region_name is not None and not isinstance(region_name, str):
        re.match(r"^(?![0-9]+$)(?!-)[a-zA-Z0-9-]{,63}(?<!-)$", region_name)


#: ``botocore.useragent._USERAGENT_ALLOWED_CHARACTERS`` (a str: botocore's
#: ``c in`` it fails for a non-str character as this does).
_USERAGENT_ALLOWED = string.ascii_letters + string.digits + "!$%&'*+-.^_`|~,"


def _timeout_error(value: Any, name: str) -> Optional[ValueError]:
    """urllib3's ``Timeout._validate_timeout``, which botocore's HTTP session
    runs on ``connect_timeout`` and ``read_timeout`` at client creation."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ValueError("Timeout cannot be a boolean value. It must be an int, float or None.")
    wrong_type = ValueError(
        "Timeout value %s was %s, but it must be an int, float or None." % (name, value)
    )
    try:
        float(value)
    except (TypeError, ValueError):
        return wrong_type
    except OverflowError as e:  # an int past float's range escapes urllib3
        return e
    try:
        if value <= 0:
            return ValueError(
                "Attempted to set %s timeout to %s, but the timeout cannot be set to a value "
                "less than or equal to 0." % (name, value)
            )
    except TypeError:
        return wrong_type
    return None


def _socket_timeout_error(seconds: float) -> Optional[str]:
    """What ``socket.settimeout`` says of a timeout urllib3 let through (NaN,
    one past the clock's range): botocore's every send fails on it."""
    import socket

    with socket.socket() as sock:
        try:
            sock.settimeout(seconds)
        except (OverflowError, ValueError) as e:
            return str(e)
    return None


def _sequence_item_error(index: int, value: Any):
    """The TypeError of botocore's ``" ".join(components)`` over a user-agent
    component that is not a str, at this client's component ``index``."""
    return TypeError(f"sequence item {index}: expected str instance, {type(value).__name__} found")


class _DeferredErrors(NamedTuple):
    """What botocore raises for a Config later in client creation: when it
    builds the user agent (each makes its error from the built string), and
    when it makes its HTTP session."""

    user_agent: list
    http_session: list


def _user_agent_options(config: Config, options: dict) -> list:
    """botocore's user agent from the Config: a `user_agent` replaces the
    whole string (then only a truthy extra is joined to it); otherwise a
    truthy appid is sanitized character by character and a truthy extra
    joined last. Values that are not str fail there as in botocore: returns
    those errors, each a function of the built user agent."""
    errors: list = []
    extra, appid = config.user_agent_extra, config.user_agent_appid
    if isinstance(extra, str):
        options["user_agent_extra"] = extra
    if isinstance(appid, str):
        options["user_agent_appid"] = appid
    if config.user_agent is not None:
        if not isinstance(config.user_agent, str):
            errors.append(lambda _ua, v=config.user_agent: _sequence_item_error(0, v))
        else:
            options["user_agent_override"] = config.user_agent
            if extra and not isinstance(extra, str):
                errors.append(lambda _ua, v=extra: _sequence_item_error(1, v))
    else:
        if appid and not isinstance(appid, str):
            try:
                options["user_agent_appid"] = "".join(
                    c if c in _USERAGENT_ALLOWED or c == "#" else "-" for c in appid
                )
            except TypeError as e:
                errors.append(lambda _ua, e=e: e)
        if extra and not isinstance(extra, str):
            # At its place after every component of the built string.
            errors.append(lambda ua, v=extra: _sequence_item_error(len(ua.split(" ")), v))
    if appid is not None and not isinstance(appid, str):
        # botocore then warns about an appid over 50 characters: len().
        try:
            len(appid)
        except TypeError as e:
            errors.append(lambda _ua, e=e: e)
    return errors


def _flatten_config(config: Config, options: dict) -> _DeferredErrors:
    """Puts the Config's settings into the core's options; returns the
    errors botocore raises for them later in client creation."""
    http_session_errors: list = []
    send_errors: dict = {}
    if _is_unsigned(config.signature_version):
        options["unsigned"] = True
    elif config.signature_version is not None:
        options["signature_version"] = str(config.signature_version)
    user_agent_errors = _user_agent_options(config, options)
    for name, urllib3_name in (("connect_timeout", "connect"), ("read_timeout", "read")):
        value = getattr(config, name, None)
        error = _timeout_error(value, urllib3_name)
        if error is not None:
            http_session_errors.append(error)
        elif value is not None:
            seconds = float(value)
            options[name] = seconds
            if not 0 < seconds <= 1e9:
                send_errors[name] = _socket_timeout_error(seconds)
    pool = config.max_pool_connections
    if isinstance(pool, int):
        # urllib3 keeps every connection when its pool size is <= 0.
        options["max_pool_connections"] = min(max(int(pool), 0), 2**32 - 1)
    elif pool is not None:
        # botocore creates the client; urllib3's `range(maxsize)` fails on
        # each send.
        try:
            range(pool)
        except TypeError as e:
            send_errors["max_pool_connections"] = str(e)
    for name in (
        "defaults_mode",
        "ignore_configured_endpoint_urls",
        "tcp_keepalive",
        "use_fips_endpoint",
        "use_dualstack_endpoint",
        "request_checksum_calculation",
        "response_checksum_validation",
        "sigv4a_signing_region_set",
    ):
        value = getattr(config, name, None)
        if value is not None:
            options[name] = value
    client_cert = getattr(config, "client_cert", None)
    if isinstance(client_cert, (str, os.PathLike)):
        options["client_cert"] = (os.fspath(client_cert), None)
    elif isinstance(client_cert, tuple):
        # botocore's `self._cert_file, self._key_file = client_cert`.
        cert, key = client_cert
        options["client_cert"] = (os.fspath(cert), os.fspath(key))
    if isinstance(config.proxies, dict):
        # botocore: an empty dict means no proxy (the environment unread).
        # botocore's proxy_url_for: a falsy entry (None, "") is no proxy.
        options["proxies"] = [(str(k), str(v)) for k, v in config.proxies.items() if v]
    elif config.proxies is not None:
        # botocore's proxy lookup (`proxies.get(scheme)`) fails on each send.
        try:
            config.proxies.get("https")
            options["proxies"] = [(str(k), str(v)) for k, v in dict(config.proxies).items() if v]
        except Exception as e:  # noqa: BLE001 - botocore wraps whatever it is
            send_errors["proxies"] = str(e)
    # In the order botocore's send meets them: the proxy lookup, the pool,
    # connecting; urllib3 arms the read timeout once the request is written.
    for name in ("proxies", "max_pool_connections", "connect_timeout"):
        if send_errors.get(name):
            options["send_error"] = send_errors[name]
            break
    if send_errors.get("read_timeout"):
        options["read_error"] = send_errors["read_timeout"]
    # botocore turns validation off for any falsy value (None included).
    options["parameter_validation"] = bool(config.parameter_validation)
    if isinstance(config.client_context_params, dict):
        options["client_context_params"] = config.client_context_params
    for section in ("s3", "retries"):
        for key, value in (getattr(config, section, None) or {}).items():
            options[f"{section}.{key}"] = value
    return _DeferredErrors(user_agent_errors, http_session_errors)
