"""Wall-clock time, looked up at each call so that freezegun controls every timestamp."""

from __future__ import annotations

import datetime as _dt


def now() -> _dt.datetime:
    # Attribute lookups at call time: freezegun replaces ``datetime.datetime``.
    return _dt.datetime.now(_dt.timezone.utc)


def now_in_seconds() -> _dt.datetime:
    """Image push and tag times: whole seconds, as the AWS CLI's ``describe-images`` and
    ``describe-image-tags`` examples show them (``2024-07-23T11:32:49-05:00``)."""
    return now().replace(microsecond=0)


def now_in_milliseconds() -> _dt.datetime:
    """Repository creation times: whole milliseconds, as the AWS CLI's
    ``create-repository`` example shows them (``2024-07-07T00:07:56.526000-05:00``)."""
    moment = now()
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
