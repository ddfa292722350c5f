"""Answers trimmed to the installed model: a member it does not define is not sent.

The handlers answer with the newest model's members (``repositoryType``,
``imageStatus``, ``premiumStatus``, ...). An older botocore's model lacks them, and the
service that model describes never sent them: each output shape compiles once into a
function that keeps only its members, walking only into members that can hold others.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from .._model import operation_model

if TYPE_CHECKING:
    from botocore.model import ListShape, Shape, StructureShape

Trim = Callable[[Any], Any]


def trim(operation: str, output: Any) -> Any:
    """``output`` with only the members the installed model's output shape defines."""
    shape = operation_model(operation).output_shape
    if shape is None:  # pragma: no cover - every ecr-public operation has an output shape
        return output
    return _keeper(shape)(output)


@cache
def _trimmer(shape: Shape) -> Trim | None:
    """None for a shape whose values need nothing removed (scalars, lists of them)."""
    if shape.type_name == "list":
        element = _trimmer(cast("ListShape", shape).member)
        if element is None:
            return None
        return lambda items: [element(item) for item in items]
    if shape.type_name != "structure":
        return None  # ecr-public's maps (severity counts) hold scalars
    return _keeper(cast("StructureShape", shape))


@cache
def _keeper(shape: StructureShape) -> Trim:
    """A structure's members, each trimmed in turn; any other member dropped."""
    members = {name: _trimmer(member) for name, member in shape.members.items()}

    def keep(value: dict[str, Any]) -> dict[str, Any]:
        return {
            name: item if (inner := members[name]) is None else inner(item)
            for name, item in value.items()
            if name in members
        }

    return keep
