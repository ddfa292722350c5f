"""The tag list, paged as the distribution-spec pages it."""

from __future__ import annotations

import bisect
import json
import re
import urllib.parse
from typing import TYPE_CHECKING

from .._core.images import tag_names
from . import errors
from .context import JSON, ok

if TYPE_CHECKING:
    from .context import Context, Response

# ASCII digits only (str.isdigit() takes "²" too), and no more than 18 of them: a count
# larger than anything a registry holds is refused, as one that is no number.
_COUNT = re.compile(r"[0-9]{1,18}")


def listing(ctx: Context) -> Response:
    """The tags in lexical order, ``n`` at a time after ``last`` (distribution-spec)."""
    query = ctx.request.query
    count = query.get("n")
    if count is not None and not _COUNT.fullmatch(count):
        raise errors.error(errors.COUNT_INVALID, n=count)
    with ctx.state.lock:
        tags = tag_names(ctx.repository())
    start = bisect.bisect_right(tags, query["last"]) if "last" in query else 0
    stop = len(tags) if count is None else min(start + int(count), len(tags))
    page, more = tags[start:stop], stop < len(tags)
    headers = {"Content-Type": JSON}
    if more and page:
        link = urllib.parse.urlencode({"n": count, "last": page[-1]})
        headers["Link"] = f'</v2/{ctx.name}/tags/list?{link}>; rel="next"'
    return ok(200, headers, json.dumps({"name": ctx.name, "tags": page}).encode())
