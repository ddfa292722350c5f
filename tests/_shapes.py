"""The validator of answers against botocore's shapes, shared by the output-shape tests and
the fuzzer: a structure has its required members and no member the model does not define,
a list holds valid items, a map valid keys and values, a string is a string (in its enum,
of its length, matching its pattern), an integer or long an int (never a bool, a long
within 64 bits), a boolean a bool, a timestamp a datetime once parsed (epoch seconds on
the wire), a blob bytes (base64 on the wire). Output lists are not held to their ``min``:
BatchDeleteImage answers ``"imageIds": []`` when nothing was deleted, as the service does.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import re
from typing import Any

LONG = (-(2**63), 2**63 - 1)
INTEGER = (-(2**31), 2**31 - 1)


def violations(shape, value: Any, *, raw: bool, path: str = "$") -> list[str]:
    """Every way ``value`` departs from ``shape`` (empty when it conforms).

    ``raw`` validates a JSON body (timestamps as numbers, blobs as base64 strings); otherwise
    botocore's parsed answer (datetimes, bytes).
    """
    kind = shape.type_name
    found: list[str] = []
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: expected an object, got {type(value).__name__}"]
        for name in shape.required_members:
            if name not in value:
                found.append(f"{path}: required member {name!r} missing")
        for name, item in value.items():
            member = shape.members.get(name)
            if member is None:
                found.append(f"{path}: member {name!r} not in {shape.name}")
            else:
                found += violations(member, item, raw=raw, path=f"{path}.{name}")
        return found
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: expected a list, got {type(value).__name__}"]
        high = shape.metadata.get("max")
        if high is not None and len(value) > high:
            found.append(f"{path}: {len(value)} items, more than {high}")
        for index, item in enumerate(value):
            found += violations(shape.member, item, raw=raw, path=f"{path}[{index}]")
        return found
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: expected a map, got {type(value).__name__}"]
        for key, item in value.items():
            found += violations(shape.key, key, raw=raw, path=f"{path}<key>")
            found += violations(shape.value, item, raw=raw, path=f"{path}[{key!r}]")
        return found
    if kind == "string":
        return _string(shape, value, path)
    if kind in ("integer", "long"):
        low, high = LONG if kind == "long" else INTEGER
        if not isinstance(value, int) or isinstance(value, bool):
            return [f"{path}: expected an int, got {type(value).__name__}"]
        if not low <= value <= high:
            return [f"{path}: {value} out of the {kind} range"]
        minimum = shape.metadata.get("min")
        if minimum is not None and value < minimum:
            return [f"{path}: {value} under the minimum {minimum}"]
        return []
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{path}: expected a bool, got {value!r}"]
    if kind in ("double", "float"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return [] if ok else [f"{path}: expected a number, got {value!r}"]
    if kind == "timestamp":
        if raw:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            return [] if ok else [f"{path}: expected epoch seconds, got {value!r}"]
        ok = isinstance(value, datetime.datetime) and value.tzinfo is not None
        return [] if ok else [f"{path}: expected an aware datetime, got {value!r}"]
    if kind == "blob":
        if not raw:
            return [] if isinstance(value, bytes) else [f"{path}: expected bytes"]
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, TypeError, ValueError):
            return [f"{path}: expected a base64 string, got {value!r:.40}"]
        return []
    return [f"{path}: no check for {kind}"]  # pragma: no cover - unused by ecr-public


def _string(shape, value: Any, path: str) -> list[str]:
    if not isinstance(value, str):
        return [f"{path}: expected a string, got {type(value).__name__}"]
    found = []
    enum = getattr(shape, "enum", None)
    if enum and value not in enum:
        found.append(f"{path}: {value!r} not in {shape.name} {enum}")
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and len(value) < low:
        found.append(f"{path}: length {len(value)} under {low}")
    if high is not None and len(value) > high:
        found.append(f"{path}: length {len(value)} over {high}")
    pattern = shape.metadata.get("pattern")
    if pattern is not None and re.search(pattern, value) is None:
        found.append(f"{path}: {value!r} does not match {pattern}")
    return found
