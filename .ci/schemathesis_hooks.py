"""Schemathesis hooks for this API.

`cursor` takes only values the server issued for the same query (they are
signed and bound to the query's filters), so no schema can describe which
strings are valid. A schema-valid test case that carries a generated
cursor is therefore made valid the way a client would: the same request
without `cursor` and `page` is sent first, and the `meta.next_cursor` it
returns is used (or `cursor` is dropped when there is no next page).
Negative cases are left as generated, so forged cursors are still tested
and must get 400.
"""

import os

import requests
import schemathesis
from schemathesis.generation.modes import GenerationMode


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    query = case.query or {}
    if "cursor" not in query or case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return
    base = os.environ["ST_BASE_URL"]
    first = {k: v for k, v in query.items() if k not in ("cursor", "page")}
    try:
        reply = requests.get(base + case.formatted_path, params=first, timeout=10)
        issued = reply.json().get("meta", {}).get("next_cursor") if reply.ok else None
    except (requests.RequestException, ValueError):
        issued = None
    case.query = dict(first)
    if issued:
        case.query["cursor"] = issued
