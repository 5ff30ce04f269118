"""DEBUG records for each call on the ``fastboto.client`` logger.

The logging module is not imported for them: until the application has
imported it (and so may have configured it), nothing is logged and a call
pays one dictionary lookup.
"""

from __future__ import annotations

import sys
import time
from typing import Any, Callable, Optional

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


def logged(send: Callable[..., dict], name: str, kwargs: dict) -> dict:
    """``send(name, **kwargs)`` with a record before and after. Parameter
    names are logged, not values; errors by class and message (which never
    hold secrets)."""
    assert _logger is not None
    _logger.debug("Calling %s with parameters %s", name, sorted(kwargs))
    start = time.perf_counter()
    try:
        result = send(name, **kwargs)
    except Exception as e:
        elapsed = (time.perf_counter() - start) * 1000
        _logger.debug("%s raised %s after %.1f ms: %s", name, type(e).__name__, elapsed, e)
        raise
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
    return result
