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

    from .._core.errors import ServiceError

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


Converter = Callable[[Any, str], Any]


def convert(operation: str, params: Any) -> Any:
    """``params`` as handlers see them: no ``None`` members, blobs as ``bytes``.

    A blob that is not valid base64 cannot be deserialized: ``SerializationException``.
    Values of the wrong JSON type are left for ``validate`` to refuse.
    """
    return _input(operation)[0](params, "")


@cache
def _input(operation: str) -> tuple[Converter, Checker]:
    """The operation's input converter and checker, looked up once per operation (every
    call of it runs them)."""
    shape = operation_model(operation).input_shape
    if shape is None:  # pragma: no cover - every ecr-public operation has an input shape
        return _same, _valid
    return _converter(shape), _checker(shape)


def _same(value: Any, path: str) -> Any:  # pragma: no cover - a marker, never called
    """Marks a shape whose values need no converting (its holder leaves them as they are)."""
    return value


def _valid(value: Any, path: str) -> Violation | None:  # pragma: no cover - see _input
    return None


@cache
def _converter(shape: Shape) -> Converter:
    if shape.type_name == "structure":
        structure = cast("StructureShape", shape)
        # Only the members that need converting (blobs, and what holds them) are called.
        members = {
            name: convert
            for name, member in structure.members.items()
            if (convert := _converter(member)) is not _same
        }

        def convert_structure(value: Any, path: str) -> Any:
            if not isinstance(value, dict):
                return value
            prefix = f"{path}." if path else ""
            return {
                name: item
                if (convert := members.get(name)) is None
                else convert(item, prefix + name)
                for name, item in value.items()
                if item is not None
            }

        def drop_nulls(value: Any, path: str) -> Any:
            if not isinstance(value, dict):
                return value
            return {name: item for name, item in value.items() if item is not None}

        return convert_structure if members else drop_nulls

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
    violation = _input(operation)[1](params, "")
    if violation is not None:
        path, constraint = violation
        raise messages.invalid_parameter(path, constraint)


def _length_problem(shape: Shape, wording: str = "must") -> Callable[[int], str]:
    """What a value of a length outside ``shape``'s bounds violates (checkers compare the
    bounds themselves, and call this only for a value out of them)."""
    high = shape.metadata.get("max")

    def problem(length: int) -> str:
        if high is not None and length > high:
            return f"{wording} have length less than or equal to {high}"
        return f"{wording} have length greater than or equal to {shape.metadata.get('min')}"

    return problem


# The service framework's wording for list sizes and number ranges (as private ECR, which
# runs on the same framework, answers: docs/aws-behaviour.md, section "Renderings").
_FRAMEWORK = "Member must"


def _unexpected(path: str, shape: Shape) -> ServiceError:
    return messages.error(messages.UNEXPECTED_TYPE, path=path, expected=shape.type_name)


@cache
def _checker(shape: Shape) -> Checker:
    """The shape's checker. Each checks its value's JSON type itself, and its lengths, not
    through further calls: every request runs the checkers of its members."""
    kinds = _JSON_TYPES[shape.type_name]
    low, high = shape.metadata.get("min"), shape.metadata.get("max")

    if shape.type_name == "structure":
        structure = cast("StructureShape", shape)
        members = [(name, _checker(member)) for name, member in structure.members.items()]
        required = list(structure.required_members)

        def check_structure(value: Any, path: str) -> Violation | None:
            if not isinstance(value, dict):
                raise _unexpected(path, shape)
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
        problem = _length_problem(shape, _FRAMEWORK)
        element = _checker(cast("ListShape", shape).member)

        def check_list(value: Any, path: str) -> Violation | None:
            if not isinstance(value, list):
                raise _unexpected(path, shape)
            if (high is not None and len(value) > high) or (low is not None and len(value) < low):
                return path, problem(len(value))
            for item in value:
                if (bad := element(item, path)) is not None:
                    return path, f"must satisfy constraint: [{bad[1]}]"
            return None

        return check_list

    if shape.type_name == "map":
        mapping = cast("MapShape", shape)
        key_check, value_check = _checker(mapping.key), _checker(mapping.value)
        problem = _length_problem(shape)

        def check_map(value: Any, path: str) -> Violation | None:
            if not isinstance(value, dict):
                raise _unexpected(path, shape)
            if (high is not None and len(value) > high) or (low is not None and len(value) < low):
                return path, problem(len(value))
            for key, item in value.items():
                if (bad := key_check(key, path) or value_check(item, path)) is not None:
                    return bad
            return None

        return check_map

    if shape.type_name == "string":
        problem = _length_problem(shape)
        pattern = shape.metadata.get("pattern")
        matcher = re.compile(pattern).fullmatch if pattern is not None else None
        enum = list(getattr(shape, "enum", None) or ())

        def check_string(value: Any, path: str) -> Violation | None:
            if not isinstance(value, str):
                raise _unexpected(path, shape)
            if (high is not None and len(value) > high) or (low is not None and len(value) < low):
                return path, problem(len(value))
            if matcher is not None and matcher(value) is None:
                return path, f"must satisfy regular expression '{pattern}'"
            if enum and value not in enum:
                return path, f"must satisfy enum value set: [{', '.join(enum)}]"
            return None

        return check_string

    if shape.type_name == "blob":
        problem = _length_problem(shape)

        def check_blob(value: Any, path: str) -> Violation | None:
            if not isinstance(value, bytes):
                raise _unexpected(path, shape)
            if (high is not None and len(value) > high) or (low is not None and len(value) < low):
                return path, problem(len(value))
            return None

        return check_blob

    def check_type(value: Any, path: str) -> None:
        # bool is an int to isinstance: only a shape that takes booleans takes one.
        if isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds):
            return
        raise _unexpected(path, shape)

    if shape.type_name in ("integer", "long"):

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
