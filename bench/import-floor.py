#!/usr/bin/env python3
"""bench/import-floor.py: the least an import can cost on this machine's disk.

Writes only the articles' bodies of a cached corpus into a new SQLite file
(one table, 2,000 rows per transaction, as the import batches them), with
Python's own sqlite3, in each journal setting given, so that the API's import
can be compared with what storing its largest column alone takes.

    bench/import-floor.py                                   # the settings below, once each
    ROUNDS=3 bench/import-floor.py WAL:NORMAL TRUNCATE:NORMAL OFF:OFF
    CORPUS=bench/cache/corpus-10000-42.ndjson bench/import-floor.py

A setting is JOURNAL_MODE:SYNCHRONOUS. WAL:NORMAL is what the service runs
with; TRUNCATE:NORMAL is a rollback journal, which a first import uses (pages
added past the file's end are written once); OFF:OFF syncs nothing and cannot
roll back: an upper bound, not a safe setting.
"""
import json
import os
import sqlite3
import sys
import tempfile
import time

corpus = os.environ.get("CORPUS", "bench/cache/corpus-100000-42.ndjson")
rounds = int(os.environ.get("ROUNDS", "1"))
settings = sys.argv[1:] or ["WAL:NORMAL", "TRUNCATE:NORMAL", "OFF:OFF"]

bodies = []
with open(corpus, "rb") as f:
    for line in f:
        if b'"kind":"article"' in line:
            bodies.append(json.loads(line).get("body") or "")
print(f"{corpus}: {len(bodies)} bodies, {sum(map(len, bodies)) / 1e6:.0f} MB")

work = tempfile.mkdtemp()
path = os.path.join(work, "floor.sqlite")
for r in range(1, rounds + 1):
    for setting in settings:
        journal, synchronous = setting.split(":")
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        c = sqlite3.connect(path, isolation_level=None)
        c.execute(f"PRAGMA journal_mode={journal}")
        c.execute(f"PRAGMA synchronous={synchronous}")
        c.execute("PRAGMA wal_autocheckpoint=16384")  # as the import sets it
        c.execute("CREATE TABLE bodies (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        started = time.time()
        for i in range(0, len(bodies), 2000):
            c.execute("BEGIN")
            c.executemany("INSERT INTO bodies (id, body) VALUES (?, ?)", enumerate(bodies[i:i + 2000], i))
            c.execute("COMMIT")
        if journal == "WAL":
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        c.close()
        took = time.time() - started
        print(f"round {r}, {setting}: {took:.2f} s, {len(bodies) / took:,.0f} bodies/s, "
              f"{os.path.getsize(path) / 1e6:.0f} MB")
for suffix in ("", "-wal", "-shm", "-journal"):
    if os.path.exists(path + suffix):
        os.remove(path + suffix)
os.rmdir(work)
