"""Answers as JSON text, with the entries of a listing encoded once and kept.

A describe call's answer is mostly its entries (an image's details, a repository), and
building and encoding each costs more per call than botocore's signing, the one part of
a call a mock leaves out. So a listing's handler answers with an ``Encoded`` list: each
entry's JSON text, kept on the image or repository it describes (``derived``) until that
changes, and spliced into the answer's text as it is. The bytes are the ones
``json.dumps(answer, separators=(",", ":"))`` gives for the same entries.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterable

# One encoder for every answer, json.dumps's with (",", ":") separators, made once:
# json.dumps makes its encoder again on every call. (No check for circular references:
# an answer is a tree of fresh values.)
_encoder = json.encoder.c_make_encoder(  # type: ignore[attr-defined]
    None,
    json.JSONEncoder().default,
    json.encoder.encode_basestring_ascii,
    None,
    ":",
    ",",
    False,
    False,
    True,
)


def bytes_of(value: Any) -> bytes:
    """``value``'s JSON bytes (ASCII: non-ASCII characters are escaped)."""
    return "".join(_encoder(value, 0)).encode()


class Encoded(list[bytes]):
    """A list member of an answer (at its top level), given as its items' JSON bytes."""


def dump(payload: Any) -> bytes:
    """The answer's JSON bytes, its ``Encoded`` members spliced in as they are."""
    if type(payload) is not dict or Encoded not in map(type, payload.values()):
        return bytes_of(payload)
    # Every comma of the answer separates two members, or two entries of a list: the answer
    # is its pieces joined with commas, each brace and bracket stuck to the piece beside
    # it. The entries, most of its bytes, are copied once, by that one join.
    pieces: list[bytes] = []
    for key, value in payload.items():
        name = bytes_of(key)
        if type(value) is not Encoded:
            pieces.append(name + b":" + bytes_of(value))
        elif not value:
            pieces.append(name + b":[]")
        else:
            first = len(pieces)
            pieces += value
            pieces[first] = name + b":[" + pieces[first]
            pieces[-1] += b"]"
    pieces[0] = b"{" + pieces[0]
    pieces[-1] += b"}"
    return b",".join(pieces)


def decoded(payload: dict[str, Any]) -> dict[str, Any]:
    """``payload`` with its ``Encoded`` members as plain values (to trim it to an older
    model's shapes, which the kept texts were not)."""
    return {
        key: [json.loads(text) for text in value] if type(value) is Encoded else value
        for key, value in payload.items()
    }


class Deriving(Protocol):
    """What keeps texts derived from it: an image (``Image.changed`` forgets them when it
    changes) or a repository."""

    derived: dict[Any, Any] | None


def kept(holder: Deriving, key: Hashable, build: Callable[..., Any], *args: Any) -> bytes:
    """The JSON bytes of ``build(*args)``, built once per ``key`` (a variant of the entry)
    until ``holder`` changes."""
    derived = holder.derived
    if derived is None:
        derived = holder.derived = {}
    text: bytes | None = derived.get(key)
    if text is None:
        text = derived[key] = bytes_of(build(*args))
    return text


def kept_each(
    holders: Iterable[Deriving], key: Hashable, build: Callable[..., Any], *args: Any
) -> Encoded:
    """``kept`` for each of ``holders``, ``build(*args, holder)`` building a missing one: a
    listing's entries, read where kept without a call each (a page holds up to 1,000)."""
    entries = Encoded()
    for holder in holders:
        derived = holder.derived
        text = None if derived is None else derived.get(key)
        entries.append(kept(holder, key, build, *args, holder) if text is None else text)
    return entries


def kept_while(
    holder: Deriving, key: Hashable, inputs: Hashable, build: Callable[..., Any], *args: Any
) -> bytes:
    """As ``kept``, for an entry that also reads what changes apart from ``holder``
    (``inputs``: a repository's URI names the registry's host): built again whenever
    ``inputs`` differ from the last build's."""
    derived = holder.derived
    if derived is None:
        derived = holder.derived = {}
    last = derived.get(key)
    if last is not None and last[0] == inputs:
        text: bytes = last[1]
        return text
    text = bytes_of(build(*args))
    derived[key] = (inputs, text)
    return text
