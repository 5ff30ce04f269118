"""The asyncio client: ``async with fastboto.aio.client("s3", ...) as s3``.

The same methods, arguments, results and errors as the blocking client, as
coroutines. Calls run on fastboto's shared tokio runtime and work inside any
running event loop (Jupyter included).
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

from . import _core, _log, _moto
from ._client import OPERATIONS, S3, _no_positional
from .session import Session

__all__ = ["AioS3", "client"]


class _LoopBridge:
    """One per event loop: completed calls come back through a socket the
    loop watches, in batches, and are resolved on the loop's own thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._bridge = _core.AsyncBridge()
        self._futures: dict = {}
        self._next_ticket = 0
        loop.add_reader(self._bridge.fileno(), self._drain)
        self._loop = loop

    def _drain(self) -> None:
        for ticket, ok, value in self._bridge.drain():
            future = self._futures.pop(ticket, None)
            if future is None or future.done():
                continue
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    def submit(self, core: Any, operation: str, kwargs: dict) -> asyncio.Future:
        ticket = self._next_ticket
        self._next_ticket += 1
        core.submit(self._bridge, ticket, operation, **kwargs)
        future = self._loop.create_future()
        self._futures[ticket] = future
        return future


_BRIDGES: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopBridge]" = (
    weakref.WeakKeyDictionary()
)


def _bridge_for(loop: asyncio.AbstractEventLoop):
    bridge = _BRIDGES.get(loop)
    if bridge is None:
        try:
            bridge = _LoopBridge(loop)
        except NotImplementedError:  # loops without add_reader (Windows' Proactor)
            return None
        _BRIDGES[loop] = bridge
    return bridge


async def _call(core: Any, operation: str, kwargs: dict) -> dict:
    if _log.enabled():
        return await _log.logged_async(lambda name, kw: _send(core, name, kw), operation, kwargs)
    return await _send(core, operation, kwargs)


async def _send(core: Any, operation: str, kwargs: dict) -> dict:
    if _moto.active():
        # moto answers in-process, on this thread (as for aiobotocore).
        return core.call_with_responder(_moto.respond, operation, **kwargs)
    bridge = _bridge_for(asyncio.get_running_loop())
    if bridge is None:
        return await core.call_async(operation, **kwargs)
    return await bridge.submit(core, operation, kwargs)


def _real_call(core: Any):
    """The coroutine function an AioS3 sends its calls through (a Stubber
    swaps it for its own while active)."""

    def call(operation: str, kwargs: dict):
        return _call(core, operation, kwargs)

    return call


class AioS3(S3):
    """An S3 client whose operations are coroutines."""

    def __init__(self, core: Any, config: Any) -> None:
        super().__init__(core, config)
        self._acall = _real_call(core)

    def __repr__(self) -> str:
        return f"<fastboto.aio.AioS3 object at {id(self):#x}>"

    async def prepare_request(self, operation_name: str, **kwargs: Any):  # type: ignore[override]
        return S3.prepare_request(self, operation_name, **kwargs)

    async def close(self) -> None:  # type: ignore[override]
        S3.close(self)

    def __getattr__(self, name: str) -> Any:
        # Delegation (fastboto._delegate) makes blocking botocore calls,
        # which have no place on an event loop.
        raise AttributeError(
            f"'AioS3' object has no attribute '{name}': fastboto.aio serves the native "
            "calls only; use a blocking fastboto.client (which delegates the others to "
            "botocore) or aiobotocore")

    async def __aenter__(self) -> AioS3:
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.close()


def _coroutine_method(name: str, api_name: str):
    async def method(self, *args: Any, **kwargs: Any) -> dict:
        _no_positional(name, args)
        return await self._acall(name, kwargs)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"S3 ``{api_name}`` as a coroutine."
    return method


for _name, _api_name in OPERATIONS:
    setattr(AioS3, _name, _coroutine_method(_name, _api_name))


def client(*args: Any, **kwargs: Any) -> AioS3:
    """An asyncio S3 client on the default session (as ``fastboto.client``)."""
    from . import _get_default_session

    return _get_default_session().aio_client(*args, **kwargs)


def _aio_client(session: Session, *args: Any, **kwargs: Any) -> AioS3:
    sync = session.client(*args, **kwargs)
    return AioS3(sync._core, sync.meta.config)
