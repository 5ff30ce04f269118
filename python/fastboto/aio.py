"""The asyncio client: ``async with fastboto.aio.client("s3", ...) as s3``.

The same methods, arguments, results and errors as the blocking client, as
coroutines. Calls run on fastboto's shared tokio runtime and work inside any
running event loop (Jupyter included).
"""

from __future__ import annotations

from typing import Any

from ._client import S3, _no_positional
from .session import Session

__all__ = ["AioS3", "client"]


class AioS3(S3):
    """An S3 client whose operations are coroutines."""

    def __init__(self, core: Any, config: Any) -> None:
        super().__init__(core, config)
        self._call_async = core.call_async

    def __repr__(self) -> str:
        return f"<fastboto.aio.AioS3 object at {id(self):#x}>"

    async def put_bucket_policy(self, *args: Any, **kwargs: Any) -> dict:
        _no_positional("put_bucket_policy", args)
        return await self._call_async("put_bucket_policy", **kwargs)

    async def get_bucket_policy(self, *args: Any, **kwargs: Any) -> dict:
        _no_positional("get_bucket_policy", args)
        return await self._call_async("get_bucket_policy", **kwargs)

    async def delete_bucket_policy(self, *args: Any, **kwargs: Any) -> dict:
        _no_positional("delete_bucket_policy", args)
        return await self._call_async("delete_bucket_policy", **kwargs)

    async def put_bucket_acl(self, *args: Any, **kwargs: Any) -> dict:
        _no_positional("put_bucket_acl", args)
        return await self._call_async("put_bucket_acl", **kwargs)

    async def get_bucket_acl(self, *args: Any, **kwargs: Any) -> dict:
        _no_positional("get_bucket_acl", args)
        return await self._call_async("get_bucket_acl", **kwargs)

    async def prepare_request(self, operation_name: str, **kwargs: Any):  # type: ignore[override]
        return S3.prepare_request(self, operation_name, **kwargs)

    async def close(self) -> None:  # type: ignore[override]
        S3.close(self)

    async def __aenter__(self) -> AioS3:
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.close()


def client(*args: Any, **kwargs: Any) -> AioS3:
    """An asyncio S3 client on the default session (as ``fastboto.client``)."""
    from . import _get_default_session

    return _get_default_session().aio_client(*args, **kwargs)


def _aio_client(session: Session, *args: Any, **kwargs: Any) -> AioS3:
    sync = session.client(*args, **kwargs)
    return AioS3(sync._core, sync.meta.config)
