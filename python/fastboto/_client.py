"""The low-level S3 client: boto3's method names and behaviour, each call
handed to the Rust core in one step."""

from __future__ import annotations

from typing import Any

from . import _core, _delegate, _log, _moto
from . import exceptions as _exceptions_module
from .config import Config

_SECRET_HEADERS = ("authorization", "x-amz-security-token", "x-amz-s3session-token")


class PreparedRequest:
    """A signed request that was not sent (``client.prepare_request``)."""

    __slots__ = ("method", "url", "headers", "body")

    def __init__(self, method: str, url: str, headers: dict, body: bytes) -> None:
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body

    def _shown_headers(self, include_secrets: bool) -> dict:
        if include_secrets:
            return dict(self.headers)
        return {
            k: ("<redacted>" if k.lower() in _SECRET_HEADERS else v)
            for k, v in self.headers.items()
        }

    def to_curl(self, include_secrets: bool = False) -> str:
        """A curl command for this request. The signature and session token
        are redacted unless ``include_secrets=True``."""
        import shlex

        parts = ["curl", "-X", self.method, shlex.quote(self.url)]
        for name, value in self._shown_headers(include_secrets).items():
            parts += ["-H", shlex.quote(f"{name}: {value}")]
        if self.body:
            parts += ["--data-binary", shlex.quote(self.body.decode("utf-8", "replace"))]
        return " ".join(parts)

    def __repr__(self) -> str:
        return (
            f"<PreparedRequest method={self.method!r} url={self.url!r} "
            f"headers={self._shown_headers(False)!r} body={len(self.body)} bytes>"
        )


class ClientMeta:
    """``client.meta``: region, endpoint and config of the client."""

    def __init__(self, core: Any, config: Config) -> None:
        self._core = core
        self.region_name = core.region_name
        self.config = config
        self.partition = core.partition
        self.method_to_api_mapping = dict(OPERATIONS)

    @property
    def endpoint_url(self) -> str:
        # Resolved on first use: it needs the endpoint rules, which a client
        # that is never called should not pay for.
        return self._core.endpoint_url

    @property
    def service_model(self):
        return _ServiceModel()


class _ServiceModel:
    service_name = "s3"
    signing_name = "s3"
    protocol = "rest-xml"


class ClientExceptions:
    """``client.exceptions``: botocore's modeled S3 error classes."""

    def __getattr__(self, name: str) -> type:
        if name == "ClientError" or name in _exceptions_module.MODELED_ERROR_CODES:
            return getattr(_exceptions_module, name)
        raise AttributeError(name)

    def from_code(self, error_code: str) -> type:
        return _exceptions_module.modeled_class(error_code)

    def __dir__(self) -> list:
        modeled = {"ClientError", *_exceptions_module.MODELED_ERROR_CODES}
        return sorted(set(object.__dir__(self)) | modeled)


def _no_positional(name: str, args: tuple) -> None:
    if args:
        raise TypeError(f"{name}() only accepts keyword arguments.")


#: (method name, API name) of every operation the core implements; each
#: becomes a method of the clients (`_client.pyi` types them).
OPERATIONS: "list[tuple[str, str]]" = list(_core.OPERATIONS)


def _routed_call(core: Any):
    """The core's blocking call, answered by moto while its ``mock_aws`` is
    active (``fastboto._moto``) and logged when ``fastboto.client`` logs
    DEBUG (``fastboto._log``)."""
    call = core.call
    call_with_responder = core.call_with_responder
    mocked = _moto.active
    respond = _moto.respond
    logging_on = _log.enabled

    def mocked_call(name: str, **kwargs: Any) -> dict:
        return call_with_responder(respond, name, **kwargs)

    def routed(name: str, **kwargs: Any) -> dict:
        send = mocked_call if mocked() else call
        if logging_on():
            return _log.logged(send, name, kwargs)
        return send(name, **kwargs)

    return routed


def _operation_method(name: str, api_name: str):
    def method(self, *args: Any, **kwargs: Any) -> dict:
        _no_positional(name, args)
        return self._call(name, **kwargs)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"S3 ``{api_name}`` (as ``boto3.client('s3').{name}``)."
    return method


class S3:
    """A low-level S3 client (what ``boto3.client("s3")`` returns)."""

    def __init__(self, core: Any, config: Config) -> None:
        self._core = core
        self._call = _routed_call(core)  # a Stubber (fastboto.stub) swaps it while active
        self._stubber = None
        self.meta = ClientMeta(core, config)
        self.exceptions = ClientExceptions()

    def __repr__(self) -> str:
        return f"<fastboto.client.S3 object at {id(self):#x}>"

    def prepare_request(self, operation_name: str, **kwargs: Any) -> PreparedRequest:
        """Validates and signs a call exactly as it would be sent, without
        sending it. ``operation_name`` is the method name (``put_bucket_policy``)."""
        method, url, header_list, body = self._core.prepare(operation_name, **kwargs)
        return PreparedRequest(method, url, dict(header_list), body)

    def can_paginate(self, operation_name: str) -> bool:
        if operation_name in _NATIVE:
            return False
        try:
            return bool(self._delegate_client().can_paginate(operation_name))
        except ImportError:
            return False

    def _delegate_client(self) -> Any:
        return _delegate.delegation_of(self).client()

    def __getattr__(self, name: str) -> Any:
        # Any other boto3 S3 client attribute is the delegate boto3 client's
        # (fastboto._delegate): made on first use, botocore imported then.
        if not _delegate.delegated_name(name):
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        try:
            delegate = self._delegate_client()
        except ImportError:
            raise _delegate.missing("S3", name) from None
        return getattr(delegate, name)

    def close(self) -> None:
        """Closes the client's pooled connections (and its delegate's)."""
        self._core.close()
        try:
            _delegate.delegation_of(self).close()
        except ImportError:
            pass

    def __enter__(self) -> S3:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


for _name, _api_name in OPERATIONS:
    setattr(S3, _name, _operation_method(_name, _api_name))

_NATIVE = frozenset(name for name, _ in OPERATIONS)
