"""Wall-clock time, looked up at each call so that freezegun controls every timestamp."""

from __future__ import annotations

import datetime as _dt


def now() -> _dt.datetime:
    # Attribute lookups at call time: freezegun replaces ``datetime.datetime``.
    return _dt.datetime.now(_dt.timezone.utc)


def epoch(moment: _dt.datetime) -> float:
    """The JSON protocol's timestamp form (epoch seconds)."""
    return moment.timestamp()
