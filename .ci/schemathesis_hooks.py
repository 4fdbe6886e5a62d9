"""Schemathesis hooks for this API.

`cursor` takes only values the server issued for the same query (they are
signed and bound to the query's filters), so no schema can describe which
strings are valid. A schema-valid test case that carries a generated
cursor is therefore made valid the way a client would: the same request
without `cursor` and `page` is sent first, and the `meta.next_cursor` it
returns is used (or `cursor` is dropped when there is no next page).
Negative cases are left as generated, so forged cursors are still tested
and must get 400.

Some parameters apply only with some formats, which a schema cannot say
either: an export (`format=csv`, `ndjson`, or a citation format) sends the
whole result and takes `limit` rather than `page`, `per_page`, `cursor`,
`facets`, `facet_size` and `histogram`; `bom` is for CSV only; `style` for
formatted citations only. A schema-valid case is sent as a client would
send it: without the parameters its format does not take (a negative case
keeps them and must get 400).

`X-Min-Data-Version` is valid only up to the data version the server has
reached (a version a write answered), which a schema cannot say: a
schema-valid case sends it with the version `/healthz` reports, as a client
sends back what a write told it (other values must get 412, tested in
tests/api/replicas.rs).
"""

import os

import requests
import schemathesis
from schemathesis.generation.modes import GenerationMode


EXPORTS = {"csv", "ndjson", "csl", "bibtex", "ris", "bibliography", "html"}
PAGING = ("page", "per_page", "cursor", "facets", "facet_size", "histogram")


def drop_what_the_format_does_not_take(case):
    query = dict(case.query or {})
    fmt = query.get("format")
    if fmt in EXPORTS:
        for name in PAGING:
            query.pop(name, None)
    else:
        query.pop("limit", None)
    if fmt != "csv":
        query.pop("bom", None)
    if fmt not in ("bibliography", "html"):
        query.pop("style", None)
    case.query = query


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return
    if case.method.upper() == "GET" and case.query:
        drop_what_the_format_does_not_take(case)
    if case.headers and "X-Min-Data-Version" in case.headers:
        try:
            health = requests.get(os.environ["ST_BASE_URL"] + "/healthz", timeout=10).json()
            case.headers["X-Min-Data-Version"] = str(health["data_version"])
        except (requests.RequestException, ValueError, KeyError):
            case.headers.pop("X-Min-Data-Version", None)
    query = case.query or {}
    if "cursor" not in query:
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
