"""Server-side conversion and validation derived from botocore's model, once for all operations.

A request's JSON is first converted as the service deserializes it: a ``null`` member is
an absent one, and blob members (base64 text on the wire) become ``bytes``, decoded once,
strictly. botocore checks required members, types and minimums on the client; maximum
lengths, patterns, enums, list sizes and numeric ranges reach the server, which answers
``InvalidParameterException``. Each input shape compiles once into a converter and a
checker function.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from .._core import messages
from . import operation_model

if TYPE_CHECKING:
    from botocore.model import ListShape, MapShape, Shape, StructureShape

# A checker returns None when the value is valid, else (path, constraint).
Violation = tuple[str, str]
Checker = Callable[[Any, str], "Violation | None"]

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "blob": (bytes,),  # decoded by convert()
    "boolean": (bool,),
    "integer": (int,),
    "long": (int,),
    "float": (int, float),
    "double": (int, float),
    "timestamp": (int, float, str),
    "structure": (dict,),
    "map": (dict,),
    "list": (list,),
}


def convert(operation: str, params: Any) -> Any:
    """``params`` as handlers see them: no ``None`` members, blobs as ``bytes``.

    A blob that is not valid base64 cannot be deserialized: ``SerializationException``.
    Values of the wrong JSON type are left for ``validate`` to refuse.
    """
    shape = operation_model(operation).input_shape
    if shape is None:  # pragma: no cover - every ecr-public operation has an input shape
        return params
    return _converter(shape)(params, "")


Converter = Callable[[Any, str], Any]


def _same(value: Any, path: str) -> Any:
    return value


@cache
def _converter(shape: Shape) -> Converter:
    if shape.type_name == "structure":
        structure = cast("StructureShape", shape)
        members = {name: _converter(member) for name, member in structure.members.items()}

        def convert_structure(value: Any, path: str) -> Any:
            if not isinstance(value, dict):
                return value
            prefix = f"{path}." if path else ""
            return {
                name: members.get(name, _same)(item, prefix + name)
                for name, item in value.items()
                if item is not None
            }

        return convert_structure

    if shape.type_name == "list":
        element = _converter(cast("ListShape", shape).member)
        if element is _same:
            return _same

        def convert_list(value: Any, path: str) -> Any:
            return [element(item, path) for item in value] if isinstance(value, list) else value

        return convert_list

    if shape.type_name == "blob":

        def convert_blob(value: Any, path: str) -> Any:
            if not isinstance(value, str):
                return value
            try:
                return base64.b64decode(value, validate=True)
            except ValueError:  # binascii.Error, or text that is not ASCII
                raise messages.error(messages.INVALID_BASE64, path=path) from None

        return convert_blob

    # Strings, numbers, booleans, timestamps; ecr-public's input has no maps.
    return _same


def validate(operation: str, params: Any) -> None:
    """Raise the ServiceError the service would send for ``params``, if any."""
    shape = operation_model(operation).input_shape
    if shape is None:  # pragma: no cover - every ecr-public operation has an input shape
        return
    violation = _checker(shape)(params, "")
    if violation is not None:
        path, constraint = violation
        raise messages.invalid_parameter(path, constraint)


def _length_checks(shape: Shape, wording: str = "must") -> Callable[[int], str | None]:
    low = shape.metadata.get("min")
    high = shape.metadata.get("max")

    def check(length: int) -> str | None:
        if high is not None and length > high:
            return f"{wording} have length less than or equal to {high}"
        if low is not None and length < low:
            return f"{wording} have length greater than or equal to {low}"
        return None

    return check


# The service framework's wording for list sizes and number ranges (as private ECR, which
# runs on the same framework, answers: docs/aws-behaviour.md, section "Renderings").
_FRAMEWORK = "Member must"


@cache
def _checker(shape: Shape) -> Checker:
    kinds = _JSON_TYPES[shape.type_name]

    def check_type(value: Any, path: str) -> None:
        if isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds):
            return
        raise messages.error(messages.UNEXPECTED_TYPE, path=path, expected=shape.type_name)

    if shape.type_name == "structure":
        structure = cast("StructureShape", shape)
        members = [(name, _checker(member)) for name, member in structure.members.items()]
        required = list(structure.required_members)

        def check_structure(value: Any, path: str) -> Violation | None:
            check_type(value, path)
            prefix = f"{path}." if path else ""
            for name in required:
                if value.get(name) is None:
                    return prefix + name, "must not be null"
            for name, check in members:
                member = value.get(name)
                if member is not None and (bad := check(member, prefix + name)) is not None:
                    return bad
            return None

        return check_structure

    if shape.type_name == "list":
        lengths = _length_checks(shape, _FRAMEWORK)
        element = _checker(cast("ListShape", shape).member)

        def check_list(value: Any, path: str) -> Violation | None:
            check_type(value, path)
            if (problem := lengths(len(value))) is not None:
                return path, problem
            for item in value:
                if (bad := element(item, path)) is not None:
                    return path, f"must satisfy constraint: [{bad[1]}]"
            return None

        return check_list

    if shape.type_name == "map":
        mapping = cast("MapShape", shape)
        key_check, value_check = _checker(mapping.key), _checker(mapping.value)
        lengths = _length_checks(shape)

        def check_map(value: Any, path: str) -> Violation | None:
            check_type(value, path)
            if (problem := lengths(len(value))) is not None:
                return path, problem
            for key, item in value.items():
                if (bad := key_check(key, path) or value_check(item, path)) is not None:
                    return bad
            return None

        return check_map

    if shape.type_name == "string":
        lengths = _length_checks(shape)
        pattern = shape.metadata.get("pattern")
        matcher = re.compile(pattern).fullmatch if pattern is not None else None
        enum = list(getattr(shape, "enum", None) or ())

        def check_string(value: Any, path: str) -> Violation | None:
            check_type(value, path)
            if (problem := lengths(len(value))) is not None:
                return path, problem
            if matcher is not None and matcher(value) is None:
                return path, f"must satisfy regular expression '{pattern}'"
            if enum and value not in enum:
                return path, f"must satisfy enum value set: [{', '.join(enum)}]"
            return None

        return check_string

    if shape.type_name == "blob":
        lengths = _length_checks(shape)

        def check_blob(value: Any, path: str) -> Violation | None:
            check_type(value, path)
            if (problem := lengths(len(value))) is not None:
                return path, problem
            return None

        return check_blob

    if shape.type_name in ("integer", "long"):
        low = shape.metadata.get("min")
        high = shape.metadata.get("max")

        def check_number(value: Any, path: str) -> Violation | None:
            check_type(value, path)
            if high is not None and value > high:
                return path, f"{_FRAMEWORK} have value less than or equal to {high}"
            if low is not None and value < low:
                return path, f"{_FRAMEWORK} have value greater than or equal to {low}"
            return None

        return check_number

    def check_plain(value: Any, path: str) -> Violation | None:
        check_type(value, path)
        return None

    return check_plain
