"""botocore's ``Stubber`` for fastboto clients: canned responses and errors
for pytest suites, with botocore's checks, order and exceptions.

A stubbed call goes through what botocore runs before its ``before-call``
event: the expected-parameter assertion (registered first, so it speaks
before any validation), bucket-name and parameter validation, endpoint
resolution, serialization and the checksum step. It is never signed nor
sent, so it needs no credentials. Works on ``fastboto.client("s3")`` and on
``fastboto.aio`` clients, and through the resource layer (whose actions call
the client's methods).
"""

from __future__ import annotations

import copy
from collections import deque
from pprint import pformat
from typing import Any, Deque, Dict, Optional

from . import _core, _delegate
from . import exceptions as _exceptions
from ._client import _routed_call

__all__ = ["ANY", "Stubber"]


class _ANY:
    """Compares equal to everything (botocore's ``stub.ANY``)."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    def __repr__(self) -> str:
        return "<ANY>"


ANY = _ANY()


# S3's error shapes (botocore's `shape_for_error_code`): all have only
# string members, and most none.
_ERROR_SHAPE_MEMBERS = {code: () for code in _exceptions.MODELED_ERROR_CODES}
_ERROR_SHAPE_MEMBERS["InvalidObjectState"] = ("StorageClass", "AccessTier")


def _validate_modeled_fields(code: str, fields: Any) -> None:
    """botocore's ``_validate_response(shape_for_error_code(code), fields)``."""
    members = _ERROR_SHAPE_MEMBERS.get(code)
    if members is None:
        if fields:
            raise _exceptions.ParamValidationError(
                report="Service response should only contain ResponseMetadata.")
        return
    if not isinstance(fields, dict):
        raise _exceptions.ParamValidationError(
            report=f"Invalid type for parameter input, value: {fields}, type: {type(fields)}, "
                   "valid types: <class 'dict'>")
    problems = [
        f'Unknown parameter in input: "{key}", must be one of: {", ".join(members)}'
        for key in fields if key not in members
    ]
    problems += [
        f"Invalid type for parameter {key}, value: {value}, type: {type(value)}, "
        "valid types: <class 'str'>"
        for key, value in fields.items() if key in members and not isinstance(value, str)
    ]
    if problems:
        raise _exceptions.ParamValidationError(report="\n".join(problems))


class Stubber:
    """``Stubber(client)``: queue responses with ``add_response`` /
    ``add_client_error``, then ``activate()`` (or use ``with``)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self._queue: Deque[Dict[str, Any]] = deque()
        # botocore's own Stubber on the delegate client, for the calls
        # fastboto serves through botocore (fastboto._delegate); made when
        # the first one is queued.
        self._delegated: Any = None
        self._active = False

    def _delegated_stubber(self) -> Any:
        if self._delegated is None:
            from botocore.stub import Stubber as BotocoreStubber

            self._delegated = BotocoreStubber(self.client._delegate_client())
            if self._active:
                self._delegated.activate()
        return self._delegated

    def _is_native(self, method: str) -> bool:
        if method in self.client.meta.method_to_api_mapping:
            return True
        try:
            _delegate.delegation_of(self.client)
        except ImportError:
            return True  # refused as botocore refuses an unknown method
        return False

    def __enter__(self) -> Stubber:
        self.activate()
        return self

    def __exit__(self, exception_type: Any, exception_value: Any, traceback: Any) -> None:
        self.deactivate()

    def activate(self) -> None:
        """Makes the client answer from this stubber's queue."""
        client = self.client
        if getattr(client, "_stubber", None) is not None:
            # botocore registers its handlers under one unique id per
            # client, so a second activation changes nothing.
            return
        client._stubber = self
        self._active = True
        if self._delegated is not None:
            self._delegated.activate()
        if hasattr(client, "_acall"):
            client._acall = self._answer_async
        client._call = self._answer

    def deactivate(self) -> None:
        """Lets the client make real calls again."""
        client = self.client
        client._stubber = None
        self._active = False
        if self._delegated is not None:
            self._delegated.deactivate()
        client._call = _routed_call(client._core)
        if hasattr(client, "_acall"):
            from .aio import _real_call

            client._acall = _real_call(client._core)

    # -- queueing -----------------------------------------------------------

    def add_response(self, method: str, service_response: dict,
                     expected_params: Optional[dict] = None) -> None:
        """Queues ``service_response`` (validated against the operation's
        output shape) as the answer to the next call of ``method``."""
        if not self._is_native(method):
            self._delegated_stubber().add_response(method, service_response, expected_params)
            return
        operation_name = self._operation_name(method)
        response = service_response
        if "ResponseMetadata" in response:
            response = copy.copy(service_response)
            del response["ResponseMetadata"]
        _core.validate_stub_response(operation_name, response)
        self._queue.append({
            "operation_name": operation_name,
            "response": (200, service_response),
            "expected_params": expected_params,
        })

    def add_client_error(self, method: str, service_error_code: str = "",
                         service_message: str = "", http_status_code: int = 400,
                         service_error_meta: Optional[dict] = None,
                         expected_params: Optional[dict] = None,
                         response_meta: Optional[dict] = None,
                         modeled_fields: Optional[dict] = None) -> None:
        """Queues a ``ClientError`` (the class botocore's error factory
        gives for ``service_error_code``) for the next call of ``method``."""
        if not self._is_native(method):
            self._delegated_stubber().add_client_error(
                method, service_error_code, service_message, http_status_code,
                service_error_meta, expected_params, response_meta, modeled_fields)
            return
        parsed_response: Dict[str, Any] = {
            "ResponseMetadata": {"HTTPStatusCode": http_status_code},
            "Error": {"Message": service_message, "Code": service_error_code},
        }
        if service_error_meta is not None:
            parsed_response["Error"].update(service_error_meta)
        if response_meta is not None:
            parsed_response["ResponseMetadata"].update(response_meta)
        if modeled_fields is not None:
            _validate_modeled_fields(service_error_code, modeled_fields)
            parsed_response.update(modeled_fields)
        operation_name = self.client.meta.method_to_api_mapping.get(method)
        self._queue.append({
            "operation_name": operation_name,
            "response": (http_status_code, parsed_response),
            "expected_params": expected_params,
        })

    def assert_no_pending_responses(self) -> None:
        """Asserts that every queued response was used."""
        remaining = len(self._queue)
        if remaining != 0:
            raise AssertionError(f"{remaining} responses remaining in queue.")
        if self._delegated is not None:
            self._delegated.assert_no_pending_responses()

    # -- answering ----------------------------------------------------------

    def _operation_name(self, method: str) -> str:
        if method not in self.client.meta.method_to_api_mapping or not hasattr(self.client, method):
            raise ValueError(f"Client s3 does not have method: {method}")
        return self.client.meta.method_to_api_mapping[method]

    def _answer(self, method: str, **params: Any) -> dict:
        operation_name = self.client.meta.method_to_api_mapping[method]
        self._assert_expected_params(operation_name, params)
        self.client._core.check_stubbed(method, **params)
        self._assert_expected_call_order(operation_name)
        status, parsed = self._queue.popleft()["response"]
        if status >= 300:
            error = parsed.get("Error", {})
            code = error.get("QueryErrorCode") or error.get("Code")
            raise _exceptions.modeled_class(code)(parsed, operation_name)
        return parsed

    async def _answer_async(self, method: str, params: dict) -> dict:
        return self._answer(method, **params)

    def _assert_expected_call_order(self, operation_name: str) -> None:
        if not self._queue:
            raise _exceptions.UnStubbedResponseError(
                operation_name=operation_name,
                reason=(
                    "Unexpected API Call: A call was made but no additional "
                    "calls expected. Either the API Call was not stubbed or "
                    "it was called multiple times."
                ),
            )
        name = self._queue[0]["operation_name"]
        if name != operation_name:
            raise _exceptions.StubResponseError(
                operation_name=operation_name,
                reason=f"Operation mismatch: found response for {name}.",
            )

    def _assert_expected_params(self, operation_name: str, params: dict) -> None:
        self._assert_expected_call_order(operation_name)
        expected_params = self._queue[0]["expected_params"]
        if expected_params is None:
            return
        mismatch = any(
            param not in params or expected_params[param] != params[param]
            for param in expected_params
        ) or sorted(expected_params.keys()) != sorted(params.keys())
        if mismatch:
            raise _exceptions.StubAssertionError(
                operation_name=operation_name,
                reason=(
                    f"Expected parameters:\n{pformat(expected_params)},\n"
                    f"but received:\n{pformat(params)}"
                ),
            )
