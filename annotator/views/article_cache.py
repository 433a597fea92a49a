"""The annotate page's highlighted article, rendered once per text and claim set.

Rendering a long article with hundreds of highlights is most of the page's server time, and
the same annotator reloads the same unchanged page all day. The cache key is a digest of
everything the rendering reads: the text, and the rows the highlights are drawn from (claim
and suggestion ids, offsets, fragments) as the page just read them from the database. So:

- a saved, moved, deleted or reviewed-away claim changes the rows, hence the key: the page is
  never stale, whatever wrote to the database (views, API, admin, imports, another host);
- the rows are the viewer's own (their claims, or the gold set, and the suggestions they
  may see), and every highlight names its claim id: two viewers whose pages show different
  claims never share a key, so a blind annotator can never be served another's highlights.
  Two requests share an entry only when their HTML is identical by construction.

The "rendered" cache (settings.CACHES) is per process and bounded; a miss costs one render.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import caches

from annotator.highlights import Mark, render

CACHE = "rendered"


def rendered(text: str, rows: object, marks: Callable[[], list[Mark]]) -> str:
    """``render(text, marks())``, from the cache when ``text`` and ``rows`` (what ``marks``
    builds its highlights from; anything with a deterministic repr) were rendered before."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16)
    digest.update(repr(rows).encode())
    key = f"article:{digest.hexdigest()}"
    cache = caches[CACHE]
    html = cache.get(key)
    if html is None:
        html = render(text, marks())
        cache.set(key, html)
    return html
