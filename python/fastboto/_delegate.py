"""What fastboto does not implement natively, served by botocore and boto3.

A fastboto client answers its native calls itself; any other attribute a
boto3 S3 client has (``list_objects_v2``, ``get_paginator``, ``get_waiter``,
``generate_presigned_url``, ``upload_file``, ...) comes from a boto3 client
made on first use with the same arguments the fastboto client was given
(region, endpoint URL, ``use_ssl``, ``verify``, ``Config``, keys), on a
botocore session of the same profile and region whose only credential
source is the fastboto session's own (so temporary credentials are found
and refreshed once, for both). Resources and Session methods are delegated
the same way. Native calls never import botocore; the first delegated use
imports boto3/botocore once (about 100-300 ms).
"""

from __future__ import annotations

import _thread
from typing import Any, Optional

_INSTALL_HINT = (
    "fastboto serves the bucket access-control calls natively and every other S3 "
    "call through botocore, which is not installed (pip install boto3)"
)


def missing(owner: str, name: str) -> AttributeError:
    """The AttributeError for a name fastboto lacks and cannot delegate."""
    return AttributeError(f"'{owner}' object has no attribute '{name}': {_INSTALL_HINT}")


def delegation_of(client: Any) -> "Delegation":
    """The client's Delegation; ImportError for a client without one (an
    asyncio client), as for a missing botocore."""
    delegation = getattr(client, "__dict__", {}).get("_delegation")
    if delegation is None:
        raise ImportError("this client has no delegate")
    return delegation


def delegated_name(name: str) -> bool:
    """Names worth asking boto3 for: public ones (dunder lookups by copy,
    pickle and friends must fail fast without importing botocore)."""
    return not name.startswith("_")


def _shared_credentials(handle: Any) -> Any:
    """A fastboto session's credentials as a botocore ``Credentials`` (its
    signers call ``get_frozen_credentials`` on every signing; fastboto
    refreshes them)."""
    from botocore.credentials import Credentials, ReadOnlyCredentials

    class SharedCredentials(Credentials):
        def __init__(self) -> None:  # no static keys: every read asks the handle
            self.method = handle.method

        def get_frozen_credentials(self) -> Any:
            return ReadOnlyCredentials(*handle.frozen())

        access_key = property(lambda self: self.get_frozen_credentials().access_key)
        secret_key = property(lambda self: self.get_frozen_credentials().secret_key)
        token = property(lambda self: self.get_frozen_credentials().token)
        account_id = property(lambda self: self.get_frozen_credentials().account_id)

    return SharedCredentials()


def _shared_credential_resolver(session: Any) -> Any:
    from botocore.credentials import CredentialProvider, CredentialResolver

    class FastbotoSession(CredentialProvider):
        METHOD = "fastboto-session"

        def load(self) -> Any:
            handle = session._credential_handle()
            return _shared_credentials(handle) if handle is not None else None

    return CredentialResolver([FastbotoSession()])


def boto3_session(session: Any) -> Any:
    """The boto3 Session (or, without boto3, the botocore session) a fastboto
    Session delegates to: its botocore session when it was given one, else
    one of the same profile and region with the fastboto session's
    credentials as its only source."""
    try:
        import botocore.session
    except ImportError:
        raise ImportError(_INSTALL_HINT) from None
    if session._botocore_session is not None:
        core = session._botocore_session
    else:
        core = botocore.session.Session(profile=session._explicit_profile)
        if session._explicit_region is not None:
            core.set_config_variable("region", session._explicit_region)
        core.register_component("credential_provider", _shared_credential_resolver(session))
    try:
        import boto3.session
    except ImportError:
        return core
    return boto3.session.Session(botocore_session=core)


def botocore_config(config: Any) -> Any:
    """A fastboto Config as botocore's (a botocore Config as it is)."""
    if config is None or type(config).__module__.startswith("botocore"):
        return config
    import botocore
    import botocore.config

    from .session import _is_unsigned

    options = dict(config._user_provided_options)
    if _is_unsigned(options.get("signature_version")):
        options["signature_version"] = botocore.UNSIGNED
    return botocore.config.Config(**options)


def _as_fastboto(error: BaseException) -> Optional[BaseException]:
    """botocore's exception as fastboto's class of the same name (which
    subclasses it), so `except fastboto_client.exceptions.NoSuchBucket:` and
    `except fastboto.exceptions.ClientError:` catch delegated calls' errors
    as they catch native ones; None when fastboto has no such class."""
    import botocore.exceptions

    from . import exceptions as ours

    if isinstance(error, botocore.exceptions.ClientError):
        code = error.response.get("Error", {}).get("Code")
        return ours.modeled_class(code)(error.response, error.operation_name)
    cls = getattr(ours, type(error).__name__, None)
    if not (isinstance(cls, type) and issubclass(cls, type(error))):
        return None
    try:
        return cls(**getattr(error, "kwargs", {}))
    except Exception:  # noqa: BLE001 - a class fastboto words differently: keep botocore's
        return None


def _translate_errors(client: Any) -> Any:
    """Makes every call of a botocore client (its methods, paginators,
    waiters and the resources on it) raise fastboto's exception classes."""
    make_api_call = client._make_api_call

    def translated(operation_name: str, api_params: dict) -> Any:
        try:
            return make_api_call(operation_name, api_params)
        except Exception as error:
            ours = _as_fastboto(error)
            if ours is None:
                raise
            raise ours.with_traceback(error.__traceback__) from None

    client._make_api_call = translated
    return client


class Delegation:
    """The boto3 client and resource a fastboto client delegates to, made on
    first use (once, whatever the threads) with the client's arguments."""

    def __init__(self, session: Any, client_kwargs: dict) -> None:
        self._session = session
        self._kwargs = client_kwargs
        self._lock = _thread.allocate_lock()
        self._client: Any = None
        self._resource: Any = None

    def _arguments(self) -> dict:
        kwargs = dict(self._kwargs)
        kwargs["config"] = botocore_config(kwargs.get("config"))
        return {k: v for k, v in kwargs.items() if v is not None}

    def client(self) -> Any:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    client = self._session._delegate().client("s3", **self._arguments())
                    self._client = _translate_errors(client)
        return self._client

    def close(self) -> None:
        """Closes the delegate client's connections, if it was made."""
        if self._client is not None:
            self._client.close()

    def resource(self) -> Any:
        if self._resource is None:
            with self._lock:
                if self._resource is None:
                    delegate = self._session._delegate()
                    if not hasattr(delegate, "resource"):
                        raise ImportError(
                            "fastboto serves S3 resources it lacks through boto3, which is not "
                            "installed (pip install boto3)")
                    resource = delegate.resource("s3", **self._arguments())
                    _translate_errors(resource.meta.client)
                    self._resource = resource
        return self._resource
