"""fastboto's exceptions: botocore's names, messages and attributes.

When botocore is installed, every class here subclasses botocore's class of
the same name, so ``except botocore.exceptions.ClientError`` keeps catching
errors raised by fastboto. botocore is imported only when one of these
classes is first needed, never by ``import fastboto``.
"""

from __future__ import annotations

import functools
import sys

from typing import Any

# (name, fastboto parent(s), botocore's fmt). Parents come before children.
_SPECS = [
    ("BotoCoreError", None, "An unspecified error occurred"),
    ("ParamValidationError", "BotoCoreError", "Parameter validation failed:\n{report}"),
    ("NoCredentialsError", "BotoCoreError", "Unable to locate credentials"),
    (
        "PartialCredentialsError",
        "BotoCoreError",
        "Partial credentials found in {provider}, missing: {cred_var}",
    ),
    ("ProfileNotFound", "BotoCoreError", "The config profile ({profile}) could not be found"),
    ("ConfigParseError", "BotoCoreError", "Unable to parse config file: {path}"),
    (
        "CredentialRetrievalError",
        "BotoCoreError",
        "Error when retrieving credentials from {provider}: {error_msg}",
    ),
    (
        "ConnectionError",
        "BotoCoreError",
        "An HTTP Client failed to establish a connection: {error}",
    ),
    (
        "EndpointConnectionError",
        "ConnectionError",
        'Could not connect to the endpoint URL: "{endpoint_url}"',
    ),
    ("ConnectTimeoutError", "ConnectionError", 'Connect timeout on endpoint URL: "{endpoint_url}"'),
    ("SSLError", "ConnectionError", "SSL validation failed for {endpoint_url} {error}"),
    ("HTTPClientError", "BotoCoreError", "An HTTP Client raised an unhandled exception: {error}"),
    ("ReadTimeoutError", "HTTPClientError", 'Read timeout on endpoint URL: "{endpoint_url}"'),
    (
        "ConnectionClosedError",
        "HTTPClientError",
        "Connection was closed before we received a valid response from endpoint URL: "
        '"{endpoint_url}".',
    ),
    (
        "ProxyConnectionError",
        "ConnectionError",
        'Failed to connect to proxy URL: "{proxy_url}"',
    ),
    ("FlexibleChecksumError", "BotoCoreError", "{error_msg}"),
    ("DataNotFoundError", "BotoCoreError", "Unable to load data for: {data_path}"),
    (
        "UnknownServiceError",
        "DataNotFoundError",
        "Unknown service: '{service_name}'. Valid service names are: {known_service_names}",
    ),
    # boto3's resource errors (boto3.exceptions), both DataNotFoundErrors there too.
    (
        "UnknownAPIVersionError",
        "DataNotFoundError",
        "The '{service_name}' resource does not support an API version of: {bad_api_version}\n"
        "Valid API versions are: {available_api_versions}",
    ),
    (
        "ResourceNotExistsError",
        "DataNotFoundError",
        "The '{service_name}' resource does not exist.\nThe available resources are:\n"
        "   - {available_services}\n",
    ),
    ("EndpointResolutionError", "BotoCoreError", "{msg}"),
    ("InvalidEndpointConfigurationError", "BotoCoreError", "Invalid endpoint configuration: {msg}"),
    ("BaseEndpointResolverError", "BotoCoreError", "An unspecified error occurred"),
    ("NoRegionError", "BaseEndpointResolverError", "You must specify a region."),
    (
        "EndpointVariantError",
        "BaseEndpointResolverError",
        "Unable to construct a modeled endpoint with the following variant(s) {tags}: ",
    ),
    (
        "InvalidS3UsEast1RegionalEndpointConfigError",
        "BotoCoreError",
        "S3 us-east-1 regional endpoint option {s3_us_east_1_regional_endpoint_config} is invalid. "
        'Valid options are: "legacy", "regional"',
    ),
    (
        "InvalidS3AddressingStyleError",
        "BotoCoreError",
        "S3 addressing style {s3_addressing_style} is invalid. Valid options are: 'auto', "
        "'virtual', and 'path'",
    ),
    (
        "InvalidRetryConfigurationError",
        "BotoCoreError",
        'Cannot provide retry configuration for "{retry_config_option}". Valid retry '
        "configuration options are: {valid_options}",
    ),
    (
        "InvalidMaxRetryAttemptsError",
        "InvalidRetryConfigurationError",
        'Value provided to "max_attempts": {provided_max_attempts} must be an integer greater '
        "than or equal to {min_value}.",
    ),
    (
        "InvalidRetryModeError",
        "InvalidRetryConfigurationError",
        'Invalid value provided to "mode": "{provided_retry_mode}" must be one of: {valid_modes}',
    ),
    (
        "InvalidDefaultsMode",
        "BotoCoreError",
        "Client configured with invalid defaults mode: {mode}. Valid defaults modes include: "
        "{valid_modes}.",
    ),
    (
        "InvalidChecksumConfigError",
        "BotoCoreError",
        "Unsupported configuration value for {config_key}. Expected one of {valid_options} but "
        "got {config_value}.",
    ),
    ("InvalidConfigError", "BotoCoreError", "{error_msg}"),
    (
        "InvalidRegionError",
        "BotoCoreError",
        "Provided region_name '{region_name}' doesn't match a supported format.",
    ),
    (
        "InvalidHostLabelError",
        "BotoCoreError",
        'Invalid host label to be bound to the hostname of the endpoint: "{label}".',
    ),
    (
        "UnsupportedS3ConfigurationError",
        "BotoCoreError",
        "Unsupported configuration when using S3: {msg}",
    ),
    (
        "UnsupportedS3AccesspointConfigurationError",
        "BotoCoreError",
        "Unsupported configuration when using S3 access-points: {msg}",
    ),
    ("MissingDependencyException", "BotoCoreError", "Missing Dependency: {msg}"),
    (
        "UnsupportedSignatureVersionError",
        "BotoCoreError",
        "Signature version(s) are not supported: {signature_version}",
    ),
    (
        "UnknownSignatureVersionError",
        "BotoCoreError",
        "Unknown Signature Version: {signature_version}.",
    ),
    (
        "StubResponseError",
        "BotoCoreError",
        "Error getting response stub for operation {operation_name}: {reason}",
    ),
    (
        "StubAssertionError",
        "StubResponseError",
        "Error getting response stub for operation {operation_name}: {reason}",
    ),
    (
        "UnStubbedResponseError",
        "StubResponseError",
        "Error getting response stub for operation {operation_name}: {reason}",
    ),
    ("MetadataRetrievalError", "BotoCoreError", "Error retrieving metadata: {error_msg}"),
    (
        "InvalidIMDSEndpointError",
        "BotoCoreError",
        "Invalid endpoint EC2 Instance Metadata endpoint: {endpoint}",
    ),
    (
        "InvalidIMDSEndpointModeError",
        "BotoCoreError",
        "Invalid EC2 Instance Metadata endpoint mode: {mode} Valid endpoint modes "
        "(case-insensitive): {valid_modes}.",
    ),
    (
        "InfiniteLoopConfigError",
        "InvalidConfigError",
        "Infinite loop in credential configuration detected. Attempting to load from profile "
        "{source_profile} which has already been visited. Visited profiles: {visited_profiles}",
    ),
    (
        "RefreshWithMFAUnsupportedError",
        "BotoCoreError",
        "Cannot refresh credentials: MFA token required.",
    ),
    (
        "SSOError",
        "BotoCoreError",
        "An unspecified error happened when resolving AWS credentials or an access token from "
        "SSO.",
    ),
    ("SSOTokenLoadError", "SSOError", "Error loading SSO Token: {error_msg}"),
    (
        "UnauthorizedSSOTokenError",
        "SSOError",
        "The SSO session associated with this profile has expired or is otherwise invalid. To "
        "refresh this SSO session run aws sso login with the corresponding profile.",
    ),
    (
        "TokenRetrievalError",
        "BotoCoreError",
        "Error when retrieving token from {provider}: {error_msg}",
    ),
    ("FastbotoInternalError", "BotoCoreError", "fastboto internal error: {msg}"),
]

# Python built-in exceptions botocore lets escape from a credential provider.
_BUILTINS = {
    "ValueError": ValueError,
    "KeyError": KeyError,
    "TypeError": TypeError,
    "RuntimeError": RuntimeError,
    "OSError": OSError,
    "FileNotFoundError": FileNotFoundError,
    "PermissionError": PermissionError,
    "IsADirectoryError": IsADirectoryError,
    "IndexError": IndexError,
    "AttributeError": AttributeError,
}

# Error codes botocore's error factory turns into classes for S3.
MODELED_ERROR_CODES = (
    "AccessDenied",
    "AnnotationLimitExceeded",
    "AnnotationNameTooLong",
    "BucketAlreadyExists",
    "BucketAlreadyOwnedByYou",
    "EncryptionTypeMismatch",
    "IdempotencyParameterMismatch",
    "InvalidAnnotationName",
    "InvalidObjectState",
    "InvalidPrefix",
    "InvalidRequest",
    "InvalidWriteOffset",
    "NoSuchAnnotation",
    "NoSuchBucket",
    "NoSuchKey",
    "NoSuchPart",
    "NoSuchUpload",
    "ObjectAlreadyInActiveTierError",
    "ObjectNotInActiveTierError",
    "TooManyParts",
    "UnsupportedMediaType",
)

# Error codes of the STS, SSO and SSO-OIDC operations the credential providers call,
# and the class names botocore's error factory gives them (its shape names).
_NESTED_SERVICE_ERRORS = {
    "sts": {
        "ExpiredTokenException": "ExpiredTokenException",
        "ExpiredTradeInTokenException": "ExpiredTradeInTokenException",
        "IDPCommunicationError": "IDPCommunicationErrorException",
        "IDPRejectedClaim": "IDPRejectedClaimException",
        "InsufficientSessionLifetime": "InsufficientSessionLifetimeException",
        "InvalidAttestationDocument": "InvalidAttestationDocumentException",
        "InvalidAuthorizationMessageException": "InvalidAuthorizationMessageException",
        "InvalidContextAssertion": "InvalidContextAssertionException",
        "InvalidIdentityToken": "InvalidIdentityTokenException",
        "InvalidSubjectCredentials": "InvalidSubjectCredentialsException",
        "InvalidWorkloadIdentityConfiguration": "InvalidWorkloadIdentityConfigurationException",
        "JWTPayloadSizeExceededException": "JWTPayloadSizeExceededException",
        "MalformedCertificateSigningRequestException":
            "MalformedCertificateSigningRequestException",
        "MalformedPolicyDocument": "MalformedPolicyDocumentException",
        "OutboundWebIdentityFederationDisabledException":
            "OutboundWebIdentityFederationDisabledException",
        "PackedPolicyTooLarge": "PackedPolicyTooLargeException",
        "RegionDisabledException": "RegionDisabledException",
        "RegionalSignerUnavailableException": "RegionalSignerUnavailableException",
        "ResourceNotFoundException": "ResourceNotFoundException",
        "SessionDurationEscalationException": "SessionDurationEscalationException",
        "SignerNotConfiguredException": "SignerNotConfiguredException",
    },
    "sso": {
        "InvalidRequestException": "InvalidRequestException",
        "ResourceNotFoundException": "ResourceNotFoundException",
        "TooManyRequestsException": "TooManyRequestsException",
        "UnauthorizedException": "UnauthorizedException",
    },
    "sso-oidc": {
        "AccessDeniedException": "AccessDeniedException",
        "AuthorizationPendingException": "AuthorizationPendingException",
        "ExpiredTokenException": "ExpiredTokenException",
        "InternalServerException": "InternalServerException",
        "InvalidClientException": "InvalidClientException",
        "InvalidClientMetadataException": "InvalidClientMetadataException",
        "InvalidGrantException": "InvalidGrantException",
        "InvalidRedirectUriException": "InvalidRedirectUriException",
        "InvalidRequestException": "InvalidRequestException",
        "InvalidRequestRegionException": "InvalidRequestRegionException",
        "InvalidScopeException": "InvalidScopeException",
        "SlowDownException": "SlowDownException",
        "UnauthorizedClientException": "UnauthorizedClientException",
        "UnsupportedGrantTypeException": "UnsupportedGrantTypeException",
    },
}
_NESTED_OPERATIONS = {
    "AssumeRole": "sts",
    "AssumeRoleWithWebIdentity": "sts",
    "GetRoleCredentials": "sso",
    "CreateToken": "sso-oidc",
}
_nested_classes: dict = {}


def _nested_modeled_class(service: str, code: str | None) -> type:
    classes = _build()
    name = _NESTED_SERVICE_ERRORS[service].get(code or "")
    if name is None:
        return classes["ClientError"]
    key = (service, name)
    if key not in _nested_classes:
        _nested_classes[key] = type(name, (classes["ClientError"],), {"__module__": __name__})
    return _nested_classes[key]


# Classes are built on first use (module __getattr__), so botocore is only
# imported when an exception is actually needed.
__all__ = [name for name, _, _ in _SPECS] + ["ClientError"]  # noqa: F822


class _StandaloneBotoCoreError(Exception):
    """botocore's BotoCoreError, for when botocore is not installed."""

    fmt = "An unspecified error occurred"

    def __init__(self, **kwargs: Any) -> None:
        msg = self.fmt.format(**kwargs)
        Exception.__init__(self, msg)
        self.kwargs = kwargs

    def __reduce__(self):  # pragma: no cover - pickling support as botocore
        return _exception_from_packed_args, (self.__class__, None, self.kwargs)


def _exception_from_packed_args(exception_cls, args=None, kwargs=None):
    args = args or ()
    kwargs = kwargs or {}
    return exception_cls(*args, **kwargs)


class _StandaloneClientError(Exception):
    """botocore's ClientError, for when botocore is not installed."""

    MSG_TEMPLATE = (
        "An error occurred ({error_code}) when calling the {operation_name} "
        "operation{retry_info}: {error_message}"
    )

    def __init__(self, error_response, operation_name):
        retry_info = self._get_retry_info(error_response)
        error = error_response.get("Error", {})
        msg = self.MSG_TEMPLATE.format(
            error_code=error.get("Code", "Unknown"),
            error_message=error.get("Message", "Unknown"),
            operation_name=operation_name,
            retry_info=retry_info,
        )
        super().__init__(msg)
        self.response = error_response
        self.operation_name = operation_name

    def _get_retry_info(self, response):
        retry_info = ""
        if "ResponseMetadata" in response:
            metadata = response["ResponseMetadata"]
            if metadata.get("MaxAttemptsReached", False):
                if "RetryAttempts" in metadata:
                    retry_info = f" (reached max retries: {metadata['RetryAttempts']})"
        return retry_info

    def __reduce__(self):  # pragma: no cover
        return self.__class__, (self.response, self.operation_name)


_built: dict[str, type] = {}


def _build() -> dict[str, type]:
    if _built:
        return _built
    try:
        import botocore.exceptions as botocore_exceptions
    except ImportError:
        botocore_exceptions = None
    for name, parent, fmt in _SPECS:
        bases: list[type] = []
        theirs = getattr(botocore_exceptions, name, None) if botocore_exceptions else None
        if theirs is not None:
            bases.append(theirs)
        if isinstance(parent, tuple):
            bases.extend(_built[p] for p in parent)
        elif parent is not None:
            bases.append(_built[parent])
        elif theirs is None:
            bases.append(_StandaloneBotoCoreError)
        if name == "StubAssertionError" and theirs is None:
            bases.append(AssertionError)  # as botocore's
        cls = type(name, tuple(bases), {"fmt": fmt, "__module__": __name__})
        _built[name] = cls
    client_base = botocore_exceptions.ClientError if botocore_exceptions else _StandaloneClientError
    _built["ClientError"] = type("ClientError", (client_base,), {"__module__": __name__})
    for code in MODELED_ERROR_CODES:
        _built[code] = type(code, (_built["ClientError"],), {"__module__": __name__})
    return _built


def __getattr__(name: str) -> type:
    classes = _build()
    try:
        cls = classes[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = cls
    return cls


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def modeled_class(code: str | None) -> type:
    """The class botocore's error factory would raise for an error code."""
    classes = _build()
    if code in MODELED_ERROR_CODES:
        return classes[code]
    return classes["ClientError"]


@functools.lru_cache(maxsize=None)
def _resource_not_exists_class(with_boto3: bool) -> type:
    bases: list[type] = [_build()["DataNotFoundError"]]
    if with_boto3:
        import boto3.exceptions

        bases.insert(0, boto3.exceptions.ResourceNotExistsError)

    def __init__(self, service_name, available_services, has_low_level_client):
        msg = "The '{}' resource does not exist.\nThe available resources are:\n   - {}\n".format(
            service_name, "\n   - ".join(available_services)
        )
        if has_low_level_client:
            msg = (
                f"{msg}\nConsider using a boto3.client('{service_name}') "
                f"instead of a resource for '{service_name}'"
            )
        # As boto3: not DataNotFoundError's __init__ (another signature).
        Exception.__init__(self, msg)

    namespace = {"__init__": __init__, "__module__": __name__}
    return type("ResourceNotExistsError", tuple(bases), namespace)


def resource_not_exists(service_name: str, available: list, has_low_level_client: bool):
    """boto3's ResourceNotExistsError (a DataNotFoundError); a subclass of
    boto3's own class when boto3 is imported."""
    cls = _resource_not_exists_class("boto3.exceptions" in sys.modules)
    return cls(service_name, available, has_low_level_client)


@functools.lru_cache(maxsize=None)
def _parser_error_class() -> type:
    try:
        from dateutil.parser import ParserError
    except ImportError:  # botocore (and so dateutil) is not installed

        class ParserError(ValueError):
            def __str__(self) -> str:
                try:
                    return self.args[0] % self.args[1:]
                except (TypeError, IndexError):
                    return super().__str__()

    return ParserError


def _os_error(cls: type, msg: str) -> Exception:
    """``OSError(errno, strerror, filename)`` from its ``str()``
    (``[Errno 2] No such file or directory: 'x'``), so the attributes are
    Python's too."""
    import ast
    import re

    match = re.fullmatch(r"\[Errno (-?\d+)\] (.*?): ('.*'|\".*\")", msg, re.DOTALL)
    if match is None:
        return cls(msg)
    try:
        filename = ast.literal_eval(match.group(3))
    except (ValueError, SyntaxError):
        return cls(msg)
    error = cls(int(match.group(1)), match.group(2), filename)
    return error if str(error) == msg else cls(msg)


def _json_decode_error(doc: str) -> Exception:
    """The JSONDecodeError botocore's ``json.loads`` raises for what a
    credential_process printed (the document stays out of the message)."""
    import json

    try:
        json.loads(doc)
    except json.JSONDecodeError as e:
        return e
    # JSON Python reads but the core does not (NaN, lone surrogate escapes).
    classes = _build()
    return classes["CredentialRetrievalError"](
        provider="custom-process",
        error_msg=(
            "credential_process printed JSON fastboto cannot read "
            "(NaN, Infinity or a lone surrogate)"
        ),
    )


def _from_core(class_name: str, kwargs: dict, response: Any, operation_name: str) -> Exception:
    """Called by the Rust core to build the exception for one of its errors."""
    builtin = _BUILTINS.get(class_name)
    if builtin is not None:
        msg = kwargs.get("msg", "")
        if builtin is KeyError:
            import ast

            return KeyError(ast.literal_eval(msg))
        if issubclass(builtin, OSError):
            return _os_error(builtin, msg)
        return builtin(msg)
    if class_name == "JSONDecodeError":
        return _json_decode_error(kwargs["doc"])
    if class_name == "ParserError":
        # dateutil's, as botocore's credential providers let it escape;
        # its str() is args[0] % args[1:].
        reason, _, value = kwargs.get("msg", "").partition(": ")
        return _parser_error_class()(f"{reason}: %s", value)
    classes = _build()
    if class_name == "ClientError":
        error = response.get("Error", {})
        code = error.get("QueryErrorCode") or error.get("Code")
        service = _NESTED_OPERATIONS.get(operation_name)
        if service is not None:
            return _nested_modeled_class(service, code)(response, operation_name)
        return modeled_class(code)(response, operation_name)
    if class_name == "RecursionError":
        return RecursionError(kwargs["msg"])
    if class_name == "EndpointVariantError":
        kwargs["tags"] = kwargs["tags"].split(",")
    cls = classes.get(class_name, classes["BotoCoreError"])
    return cls(**kwargs)
