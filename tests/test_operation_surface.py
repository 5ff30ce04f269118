"""Every operation the Rust core implements is a method of the sync and aio
clients and of the typed stub, under botocore's names: adding an operation is
one core module (src/ops/) plus its `.pyi` signature, nothing else."""

from __future__ import annotations

import ast
import asyncio
import inspect
from pathlib import Path

import botocore.session
import pytest

import fastboto
import fastboto.aio
from fastboto import _core

STUB = Path(fastboto.__file__).with_name("_client.pyi")


def _botocore_s3():
    return botocore.session.Session().create_client(
        "s3", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")


def _stub_methods(class_name: str) -> set:
    tree = ast.parse(STUB.read_text())
    (cls,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name]
    return {n.name for n in cls.body if isinstance(n, ast.FunctionDef)}


def test_core_table_uses_botocore_names():
    mapping = _botocore_s3().meta.method_to_api_mapping
    assert _core.OPERATIONS, "the core reports no operations"
    for method, api in _core.OPERATIONS:
        assert mapping[method] == api


def test_clients_and_stub_have_every_operation():
    client = fastboto.client("s3", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    stubbed = _stub_methods("S3")
    for method, api in _core.OPERATIONS:
        assert callable(getattr(client, method)), method
        assert getattr(type(client), method).__name__ == method
        assert client.meta.method_to_api_mapping[method] == api
        assert method in stubbed, f"_client.pyi does not type {method}"
        assert inspect.iscoroutinefunction(getattr(fastboto.aio.AioS3, method)), method
    assert client.meta.method_to_api_mapping == dict(_core.OPERATIONS)


@pytest.mark.parametrize("method", [m for m, _ in _core.OPERATIONS])
def test_positional_arguments_refused_as_botocore(method):
    theirs = _botocore_s3()
    with pytest.raises(TypeError) as expected:
        getattr(theirs, method)("bucket")
    ours = fastboto.client("s3", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    with pytest.raises(TypeError) as got:
        getattr(ours, method)("bucket")
    assert str(got.value) == str(expected.value)

    async def aio_call():
        async with fastboto.aio.client("s3", region_name="us-east-1", aws_access_key_id="a",
                                       aws_secret_access_key="b") as s3:
            await getattr(s3, method)("bucket")

    with pytest.raises(TypeError) as got_aio:
        asyncio.run(aio_call())
    assert str(got_aio.value) == str(expected.value)


def test_typed_stub_is_generated_from_the_core_table():
    """`_client.pyi`'s TypedDicts and methods are what tools/gen_stubs.py
    makes of the core's operation table: an operation added to the core and
    not to the stub (or a member renamed) fails here."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "tools" / "gen_stubs.py"
    spec = importlib.util.spec_from_file_location("gen_stubs", path)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    committed = (Path(__file__).resolve().parents[1] / "python" / "fastboto" / "_client.pyi").read_text()
    assert gen.render(committed, _core.describe_operations()) == committed, "run python3 tools/gen_stubs.py"


def test_described_members_are_botocores():
    """The table the stub is made from has botocore's input members and
    required ones, operation by operation."""
    model = botocore.session.Session().get_service_model("s3")
    for op in _core.describe_operations():
        theirs = model.operation_model(op["api"]).input_shape
        ours = {m["name"]: m["required"] for m in op["input"]["members"]}
        assert ours == {name: name in theirs.required_members for name in theirs.members}, op["api"]
