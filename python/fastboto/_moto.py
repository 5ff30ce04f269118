"""moto's ``mock_aws`` for fastboto clients.

moto answers boto3's requests from a handler on botocore's ``before-send``
event (``moto.core.models.botocore_stubber``), enabled while a mock is
active. fastboto's clients do not go through botocore's events, so while
that handler is enabled each request fastboto has validated, serialized
and signed is handed to it here, as botocore hands its own
(an ``AWSPreparedRequest``); what moto declines (a URL no mocked service
matches, e.g. a custom ``endpoint_url``) goes to the network, as boto3's
would. Nothing here imports moto or botocore until moto has been imported.
"""

from __future__ import annotations

import sys
from typing import Any, List, Optional, Tuple


def active() -> bool:
    """Whether a moto mock is active (moto imported and its stubber on)."""
    models = sys.modules.get("moto.core.models")
    if models is None:
        return False
    stubber = getattr(models, "botocore_stubber", None)
    return bool(getattr(stubber, "enabled", False))


def respond(
    method: str, url: str, headers: List[Tuple[str, str]], body: bytes
) -> Optional[Tuple[int, List[Tuple[str, str]], bytes]]:
    """moto's answer to one request, or None to let it go to the network."""
    from botocore.awsrequest import AWSPreparedRequest
    from botocore.compat import HTTPHeaders

    stubber: Any = sys.modules["moto.core.models"].botocore_stubber
    prepared_headers = HTTPHeaders()
    for name, value in headers:
        prepared_headers[name] = value
    request = AWSPreparedRequest(method, url, prepared_headers, body, stream_output=False)
    response = stubber(event_name="before-send.s3", request=request)
    if response is None:
        return None
    headers_out = [(str(name), str(value)) for name, value in response.headers.items()]
    return response.status_code, headers_out, response.content
