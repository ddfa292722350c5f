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
    from collections.abc import Callable, Hashable

# One encoder for every answer: json.dumps would make one per call (its separators are
# not the default ones).
text_of: Callable[[Any], str] = json.JSONEncoder(separators=(",", ":")).encode


class Encoded(list[str]):
    """A list member of an answer (at its top level), given as its items' JSON texts."""


def dump(payload: Any) -> bytes:
    """The answer's JSON bytes, its ``Encoded`` members spliced in as they are."""
    if type(payload) is dict and Encoded in map(type, payload.values()):
        members = [
            f"{text_of(key)}:[{','.join(value)}]"
            if type(value) is Encoded
            else f"{text_of(key)}:{text_of(value)}"
            for key, value in payload.items()
        ]
        return f"{{{','.join(members)}}}".encode()
    return text_of(payload).encode()


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


def kept(holder: Deriving, key: Hashable, build: Callable[..., Any], *args: Any) -> str:
    """The JSON text of ``build(*args)``, built once per ``key`` (a variant of the entry)
    until ``holder`` changes."""
    derived = holder.derived
    if derived is None:
        derived = holder.derived = {}
    text: str | None = derived.get(key)
    if text is None:
        text = derived[key] = text_of(build(*args))
    return text


def kept_while(
    holder: Deriving, key: Hashable, inputs: Hashable, build: Callable[..., Any], *args: Any
) -> str:
    """As ``kept``, for an entry that also reads what changes apart from ``holder``
    (``inputs``: a repository's URI names the registry's host): built again whenever
    ``inputs`` differ from the last build's."""
    derived = holder.derived
    if derived is None:
        derived = holder.derived = {}
    last = derived.get(key)
    if last is not None and last[0] == inputs:
        text: str = last[1]
        return text
    text = text_of(build(*args))
    derived[key] = (inputs, text)
    return text
