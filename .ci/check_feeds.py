"""Validate the server's feeds outside Rust.

    check_feeds.py BASE_URL

Every slice below is fetched as RSS, Atom and JSON Feed (with and without
content=full). RSS and Atom go through feedparser, the parser many feed
readers are built on (a feed fails when it flags anything: `bozo`), and
Python's strict XML parser. feedparser 6 does not read JSON Feed, so JSON
Feeds are checked against the rules of JSON Feed 1.1 here. Every feed's
entries must match the JSON list of the same slice (ids, order, titles).
Exits 1 on any failure.
"""

import datetime
import json
import sys
import urllib.request
import xml.dom.minidom

import feedparser

SLICES = [
    "/v1/articles?per_page=100",
    "/v1/articles?topic=the-korean-peninsula",
    "/v1/topics/the-korean-peninsula/articles?publisher=charhar-institute",
    "/v1/regions/asia/articles?sort=published_at&per_page=7",
    "/v1/authors/tokiwa-shin/articles",
    "/v1/publishers/jfir/articles",
    "/v1/series/jfir-commentary/articles",
    "/v1/articles?q=japan&per_page=50",
    "/v1/articles?published_after=2031-01-01",
]
FORMATS = {"rss": "application/rss+xml", "atom": "application/atom+xml", "jsonfeed": "application/feed+json"}


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as reply:
        return reply.headers.get("Content-Type", ""), reply.read()


def json_feed_entries(feed, problems):
    """The items of a JSON Feed, after checking it against JSON Feed 1.1."""

    def absolute(url):
        return isinstance(url, str) and url.startswith(("http://", "https://"))

    def date(value):
        try:
            datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return True
        except (AttributeError, ValueError):
            return False

    if feed.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append(f"version {feed.get('version')!r}")
    if not isinstance(feed.get("title"), str) or not feed["title"]:
        problems.append("no title")
    for key in ("home_page_url", "feed_url", "next_url"):
        if key in feed and not absolute(feed[key]):
            problems.append(f"{key} is not an absolute URL: {feed[key]!r}")
    for key in feed:
        known = {"version", "title", "home_page_url", "feed_url", "description", "user_comment", "next_url",
                 "icon", "favicon", "authors", "language", "expired", "hubs", "items"}
        if key not in known and not key.startswith("_"):
            problems.append(f"unknown top-level key {key!r} (extensions start with _)")
    items = feed.get("items")
    if not isinstance(items, list):
        problems.append("items is not a list")
        return []
    for item in items:
        if not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(f"an item without a string id: {item.get('id')!r}")
        if not isinstance(item.get("content_html"), str) and not isinstance(item.get("content_text"), str):
            problems.append(f"item {item.get('id')} has neither content_html nor content_text")
        for key in ("date_published", "date_modified"):
            if key in item and not date(item[key]):
                problems.append(f"item {item.get('id')}: {key} is not RFC 3339: {item[key]!r}")
        if "url" in item and not absolute(item["url"]):
            problems.append(f"item {item.get('id')}: url is not absolute")
        for author in item.get("authors", []):
            if not isinstance(author.get("name"), str) or ("url" in author and not absolute(author["url"])):
                problems.append(f"item {item.get('id')}: a malformed author {author!r}")
        if not all(isinstance(t, str) for t in item.get("tags", [])):
            problems.append(f"item {item.get('id')}: tags are not strings")
    return items


def main(base):
    failures = []
    checked = 0
    for path in SLICES:
        sep = "&" if "?" in path else "?"
        _, raw = fetch(base + path)
        items = json.loads(raw)["data"]
        for fmt, media_type in FORMATS.items():
            for content in ("", "&content=full"):
                url = f"{base}{path}{sep}format={fmt}{content}"
                ctype, body = fetch(url)
                problems = []
                if not ctype.startswith(media_type):
                    problems.append(f"Content-Type {ctype!r}, expected {media_type}")
                if fmt == "jsonfeed":
                    entries = json_feed_entries(json.loads(body), problems)
                else:
                    try:
                        xml.dom.minidom.parseString(body)
                    except Exception as e:  # noqa: BLE001 - any parser error fails the feed
                        problems.append(f"not well-formed XML: {e}")
                    parsed = feedparser.parse(body, response_headers={"content-type": ctype})
                    if parsed.bozo:
                        problems.append(f"feedparser flags it: {parsed.bozo_exception!r}")
                    entries = [{"id": e.get("id"), "title": e.get("title")} for e in parsed.entries]
                ids = [e.get("id") for e in entries]
                expected = [f"urn:uuid:{i['uid']}" for i in items]
                if ids != expected:
                    problems.append(f"entry ids {ids[:3]}… differ from the JSON list's {expected[:3]}…")
                titles = [e.get("title") for e in entries]
                want = ["".join(c for c in i["title"] if c in "\t\n\r" or ord(c) >= 0x20) for i in items]
                if titles != want:
                    problems.append(f"titles {titles[:2]}… differ from {want[:2]}…")
                checked += 1
                if problems:
                    failures.append((url, problems))
    # The change feed as Atom: one entry per change, as the JSON page lists them.
    for path in ("/v1/changes?limit=50", "/v1/changes?kind=article&since=10"):
        _, raw = fetch(base + path)
        changes = json.loads(raw)["data"]
        url = f"{base}{path}&format=atom"
        ctype, body = fetch(url)
        problems = []
        if not ctype.startswith("application/atom+xml"):
            problems.append(f"Content-Type {ctype!r}, expected application/atom+xml")
        parsed = feedparser.parse(body, response_headers={"content-type": ctype})
        if parsed.bozo:
            problems.append(f"feedparser flags it: {parsed.bozo_exception!r}")
        links = [next((l.get("href") for l in e.get("links", []) if l.get("rel") == "alternate"), None) for e in parsed.entries]
        if links != [base + c["url"] for c in changes]:
            problems.append(f"entry links {links[:2]}… differ from the JSON page's {[c['url'] for c in changes[:2]]}…")
        checked += 1
        if problems:
            failures.append((url, problems))
        # And as JSON Feed 1.1: an item per change, its `_change` the JSON entry.
        url = f"{base}{path}&format=jsonfeed"
        ctype, body = fetch(url)
        problems = []
        if not ctype.startswith("application/feed+json"):
            problems.append(f"Content-Type {ctype!r}, expected application/feed+json")
        items = json_feed_entries(json.loads(body), problems)
        if [i.get("_change") for i in items] != changes:
            problems.append("the items' _change differ from the JSON page's entries")
        if [i.get("url") for i in items] != [base + c["url"] for c in changes]:
            problems.append("item urls differ from the JSON page's")
        checked += 1
        if problems:
            failures.append((url, problems))
    for url, problems in failures:
        print(f"FAIL {url}")
        for p in problems:
            print(f"  {p}")
    print(f"{checked} feeds checked, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1].rstrip("/")))
