"""DEBUG records for each call on the ``fastboto.client`` logger.

The logging module is not imported for them: until the application has
imported it (and so may have configured it), nothing is logged and a call
pays one dictionary lookup.
"""

from __future__ import annotations

import sys
import time
from typing import Any, Awaitable, Callable, Optional

_DEBUG = 10  # logging.DEBUG
_logger: Optional[Any] = None


def enabled() -> bool:
    """Whether ``fastboto.client`` records DEBUG messages."""
    global _logger
    if _logger is None:
        logging = sys.modules.get("logging")
        if logging is None:
            return False
        _logger = logging.getLogger("fastboto.client")
    return bool(_logger.isEnabledFor(_DEBUG))


def _before(name: str, kwargs: dict) -> float:
    assert _logger is not None
    _logger.debug("Calling %s with parameters %s", name, sorted(kwargs))
    return time.perf_counter()


def _failed(name: str, start: float, error: BaseException) -> None:
    assert _logger is not None
    elapsed = (time.perf_counter() - start) * 1000
    _logger.debug("%s raised %s after %.1f ms: %s", name, type(error).__name__, elapsed, error)


def _after(name: str, start: float, result: dict) -> None:
    assert _logger is not None
    elapsed = (time.perf_counter() - start) * 1000
    meta = result.get("ResponseMetadata", {})
    _logger.debug(
        "%s: HTTP %s after %.1f ms, %s retries; response headers %s",
        name,
        meta.get("HTTPStatusCode"),
        elapsed,
        meta.get("RetryAttempts"),
        meta.get("HTTPHeaders"),
    )


def logged(send: Callable[..., dict], name: str, kwargs: dict) -> dict:
    """``send(name, **kwargs)`` with a record before and after. Parameter
    names are logged, not values; errors by class and message (which never
    hold secrets)."""
    start = _before(name, kwargs)
    try:
        result = send(name, **kwargs)
    except Exception as e:
        _failed(name, start, e)
        raise
    _after(name, start, result)
    return result


async def logged_async(
    send: Callable[[str, dict], Awaitable[dict]], name: str, kwargs: dict
) -> dict:
    """`logged` for an asyncio call: ``await send(name, kwargs)``."""
    start = _before(name, kwargs)
    try:
        result = await send(name, kwargs)
    except Exception as e:
        _failed(name, start, e)
        raise
    _after(name, start, result)
    return result
