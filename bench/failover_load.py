#!/usr/bin/env python3
"""The load and the verdict of bench/cluster.sh's failover tests (Python 3 standard library only).

    failover_load.py run    --mode api|sql --run-dir DIR ...   # load until DIR/stop exists
    failover_load.py report --mode api|sql --run-dir DIR ...   # read DIR, check, print, exit 0/1

`run` (api mode): a writer POSTs a new article every 1/WRITE_RATE s, alternating node 1 and node 2
(each write in its own thread, at most 32 in flight: a write that hangs does not hold back the
next), and READERS threads per node GET lists, articles and — read-your-writes — an article just
written on the other node with `X-Min-Data-Version`, all with `Cache-Control: no-cache` so that
every read reaches the node's read database. Every request is a line of DIR/requests.jsonl: start
and end time, node, operation, status (0: no HTTP answer), the slug written and `X-Data-Version`.
`DIR/ready` appears once a write was acknowledged on every node.

`run` (sql mode): the same schedule with psql: each write is `INSERT ... RETURNING k` into
failover_probe on the port named in --write-port-file (re-read before each write: that is how the
orchestrator re-points the writer), each read a `SELECT count(*)` on --read-port.

`report`: phases from DIR/events.txt (written by bench/cluster.sh: `kill`, `restart_N_start`,
`restart_N_done`, `repointed`), then
  (a) every acknowledged write (a 2xx, or psql exit 0 with the row returned) is in the promoted
      database (psql), and (api) readable through both nodes;
  (b) reads: errors by phase on each node; a node's own restart (the re-pointing) is its expected
      downtime, counted apart; a read error in any other phase fails the test;
  (c) (api) writes succeed again on both nodes after the re-pointing (the load's and one more
      write per node now).
Exit status 1 when an acknowledged write is lost, a node failed reads outside its own restart, or
writes did not come back on a node.
"""

import argparse
import http.client
import json
import os
import random
import shlex
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from urllib.parse import urlsplit

TIMEOUT = 3.0
MAX_WRITES_IN_FLIGHT = 32


class RequestLog:
    """requests.jsonl, one JSON object per request, written by many threads."""

    def __init__(self, path):
        self.file = open(path, "a", buffering=1)
        self.lock = threading.Lock()

    def write(self, record):
        line = json.dumps(record, separators=(",", ":"))
        with self.lock:
            self.file.write(line + "\n")


def http_call(base, method, path, headers=None, body=None, timeout=TIMEOUT):
    """(status, headers, body, error): status 0 when no HTTP answer came."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        hdrs = {"Connection": "close"}
        hdrs.update(headers or {})
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data, None
    except Exception as e:  # a refused connection, a reset, a timeout: no answer
        return 0, {}, b"", f"{type(e).__name__}: {e}"
    finally:
        conn.close()


def is_ok(status):
    return 200 <= status < 300


# --- run ------------------------------------------------------------------------------------------


class Load:
    def __init__(self, args):
        self.args = args
        self.run_dir = args.run_dir
        self.log = RequestLog(os.path.join(self.run_dir, "requests.jsonl"))
        self.stop = threading.Event()
        self.in_flight = threading.Semaphore(MAX_WRITES_IN_FLIGHT)
        self.acked_nodes = set()
        self.recent = {}  # node -> (slug, version) of its latest acknowledged write
        self.lock = threading.Lock()
        self.threads = []

    def mark_acked(self, node, slug, version):
        with self.lock:
            self.recent[node] = (slug, version)
            if node not in self.acked_nodes:
                self.acked_nodes.add(node)
                if len(self.acked_nodes) == self.node_count():
                    open(os.path.join(self.run_dir, "ready"), "w").close()

    def start(self, target, *args):
        t = threading.Thread(target=target, args=args, daemon=True)
        t.start()
        self.threads.append(t)

    def schedule_writes(self):
        """Every 1/rate s one write, alternating nodes, each in its own thread."""
        period = 1.0 / self.args.write_rate
        i = 0
        next_at = time.time()
        while not self.stop.is_set():
            node = i % self.node_count() + 1
            if self.in_flight.acquire(blocking=False):
                threading.Thread(target=self.write_then_release, args=(i, node), daemon=True).start()
            else:
                now = time.time()
                self.log.write({"t0": now, "t1": now, "node": node, "op": "write", "status": 0,
                                "error": "skipped: 32 writes in flight", "skipped": True})
            i += 1
            next_at += period
            delay = next_at - time.time()
            if delay > 0:
                time.sleep(delay)
            elif delay < -1.0:  # fell behind by a second: do not burst to catch up
                next_at = time.time()

    def write_then_release(self, i, node):
        try:
            self.write(i, node)
        finally:
            self.in_flight.release()

    def run(self):
        self.prepare()
        self.start(self.schedule_writes)
        for node in range(1, self.node_count() + 1):
            for r in range(self.args.readers):
                self.start(self.reader, node, random.Random(node * 1000 + r))
        stop_file = os.path.join(self.run_dir, "stop")
        while not os.path.exists(stop_file):
            time.sleep(0.05)
        self.stop.set()
        # Writes in flight finish (or time out) before the log is final.
        for _ in range(MAX_WRITES_IN_FLIGHT):
            self.in_flight.acquire(timeout=TIMEOUT + 7)
        for t in self.threads:
            t.join(timeout=TIMEOUT + 2)


class ApiLoad(Load):
    def __init__(self, args):
        super().__init__(args)
        self.nodes = args.nodes.split(",")
        self.run_id = uuid.uuid4().hex[:8]
        self.prefix = f"failover-{self.run_id}-"
        with open(os.path.join(self.run_dir, "load.json"), "w") as f:
            json.dump({"mode": "api", "prefix": self.prefix, "nodes": self.nodes}, f)

    def node_count(self):
        return len(self.nodes)

    def prepare(self):
        base = self.nodes[0]
        status, _, body, err = http_call(base, "GET", "/v1/publishers?per_page=1")
        if status != 200:
            sys.exit(f"GET /v1/publishers on {base}: {status} {err or body[:200]!r}")
        self.publisher = json.loads(body)["data"][0]["slug"]
        status, _, body, err = http_call(base, "GET", "/v1/articles?per_page=50")
        if status != 200:
            sys.exit(f"GET /v1/articles on {base}: {status} {err or body[:200]!r}")
        self.read_slugs = [a["slug"] for a in json.loads(body)["data"]]
        self.read_paths = ["/v1/articles?per_page=10", "/v1/topics", "/v1/regions"]

    def write(self, i, node):
        slug = f"{self.prefix}{i:06d}"
        record = {
            "slug": slug,
            "title": f"Failover probe {self.run_id} {i}",
            "type": "commentary",
            "language": "en",
            "published_at": "2026-12-03",
            "publisher": self.publisher,
            "summary": f"Written by bench/cluster.sh failover-test through node {node}.",
        }
        headers = {
            "Authorization": f"Bearer {self.args.key}",
            "Content-Type": "application/json",
            "Idempotency-Key": str(uuid.uuid4()),
        }
        t0 = time.time()
        status, hdrs, body, err = http_call(self.nodes[node - 1], "POST", "/v1/articles", headers,
                                            json.dumps(record).encode())
        t1 = time.time()
        version = hdrs.get("x-data-version")
        rec = {"t0": t0, "t1": t1, "node": node, "op": "write", "status": status, "slug": slug,
               "version": version}
        if not is_ok(status):
            rec["error"] = err or body[:300].decode("utf-8", "replace")
        self.log.write(rec)
        if is_ok(status):
            self.mark_acked(node, slug, version)

    def reader(self, node, rng):
        base = self.nodes[node - 1]
        other = node % self.node_count() + 1
        while not self.stop.is_set():
            headers = {"Cache-Control": "no-cache"}
            choice = rng.random()
            op = "read"
            with self.lock:
                theirs = self.recent.get(other)
            if choice < 0.25 and theirs:
                # read-your-writes across nodes: what the other node just acknowledged
                op = "ryw"
                path = f"/v1/articles/{theirs[0]}"
                if theirs[1]:
                    headers["X-Min-Data-Version"] = theirs[1]
            elif choice < 0.6:
                path = f"/v1/articles/{rng.choice(self.read_slugs)}"
            else:
                path = rng.choice(self.read_paths)
            t0 = time.time()
            status, hdrs, body, err = http_call(base, "GET", path, headers)
            rec = {"t0": t0, "t1": time.time(), "node": node, "op": op, "status": status, "path": path}
            if op == "ryw":
                rec["min_version"] = headers.get("X-Min-Data-Version")
            if not is_ok(status):
                rec["error"] = err or body[:300].decode("utf-8", "replace")
            self.log.write(rec)
            time.sleep(self.args.read_pause_ms / 1000)


class SqlLoad(Load):
    def __init__(self, args):
        super().__init__(args)
        self.psql = shlex.split(args.psql)
        self.run_id = uuid.uuid4().hex[:8]
        self.prefix = f"k-{self.run_id}-"
        with open(os.path.join(self.run_dir, "load.json"), "w") as f:
            json.dump({"mode": "sql", "prefix": self.prefix}, f)

    def node_count(self):
        return 1

    def prepare(self):
        pass

    def psql_run(self, port, command):
        env = dict(os.environ, PGCONNECT_TIMEOUT="2")
        try:
            p = subprocess.run(self.psql + ["-p", str(port), "-c", command], capture_output=True,
                               text=True, timeout=TIMEOUT + 2, env=env)
            return p.returncode, p.stdout.strip(), p.stderr.strip()
        except subprocess.TimeoutExpired:
            return -1, "", "timeout"

    def write(self, i, node):
        k = f"{self.prefix}{i:06d}"
        with open(self.args.write_port_file) as f:
            port = f.read().strip()
        t0 = time.time()
        rc, out, err = self.psql_run(port, f"INSERT INTO failover_probe (k) VALUES ('{k}') RETURNING k")
        t1 = time.time()
        ok = rc == 0 and out.splitlines()[:1] == [k]
        rec = {"t0": t0, "t1": t1, "node": node, "op": "write", "status": 200 if ok else 0, "slug": k,
               "port": port}
        if not ok:
            rec["error"] = (err or out).splitlines()[-1:] or [f"exit {rc}"]
            rec["error"] = rec["error"][0]
        self.log.write(rec)
        if ok:
            self.mark_acked(node, k, None)

    def reader(self, node, rng):
        while not self.stop.is_set():
            t0 = time.time()
            rc, out, err = self.psql_run(self.args.read_port, "SELECT count(*) FROM failover_probe")
            rec = {"t0": t0, "t1": time.time(), "node": node, "op": "read", "status": 200 if rc == 0 else 0}
            if rc != 0:
                rec["error"] = (err.splitlines() or [f"exit {rc}"])[-1]
            self.log.write(rec)
            time.sleep(self.args.read_pause_ms / 1000)


# --- report ---------------------------------------------------------------------------------------


def load_events(run_dir):
    events = {}
    with open(os.path.join(run_dir, "events.txt")) as f:
        for line in f:
            t, name, *_ = line.split(" ", 2) + [""]
            events[name.strip()] = float(t)
    return events


def load_requests(run_dir):
    with open(os.path.join(run_dir, "requests.jsonl")) as f:
        return [json.loads(line) for line in f if line.strip()]


PHASES = ["before kill", "kill -> re-pointed", "own restart", "after re-pointing"]


def phase_of(rec, node, ev):
    """Phases are per node: a node is re-pointed when its own restart is done. A request that
    overlaps the node's restart is in "own restart" (the node is down then, by design); one that
    ended before the kill is "before kill"."""
    start, done = ev.get(f"restart_{node}_start"), ev.get(f"restart_{node}_done")
    if start is not None and done is not None and rec["t1"] >= start and rec["t0"] <= done:
        return "own restart"
    if rec["t1"] < ev["kill"]:
        return "before kill"
    if rec["t0"] < (start if start is not None else ev["repointed"]):
        return "kill -> re-pointed"
    return "after re-pointing"


def short(error):
    error = (error or "").strip().replace("\n", " ")
    return error[:160]


def report(args):
    run_dir = args.run_dir
    ev = load_events(run_dir)
    reqs = load_requests(run_dir)
    with open(os.path.join(run_dir, "load.json")) as f:
        meta = json.load(f)
    prefix = meta["prefix"]
    api = args.mode == "api"
    nodes = meta.get("nodes", ["psql"])
    node_ids = list(range(1, len(nodes) + 1))
    node_name = (lambda n: f"node {n}") if api else (lambda n: "psql")
    kill = ev["kill"]
    failures = []
    warnings = []
    out = []
    p = out.append

    writes = [r for r in reqs if r["op"] == "write" and not r.get("skipped")]
    skipped = sum(1 for r in reqs if r.get("skipped"))
    acked = [r for r in writes if is_ok(r["status"])]
    t_first = min(r["t0"] for r in reqs)
    t_last = max(r["t1"] for r in reqs)

    p(f"run: {run_dir}")
    if args.settings:
        p(f"settings: {args.settings}")
    p(f"load: {t_last - t_first:.1f} s; kill -9 of the primary at +{kill - t_first:.2f} s; "
      f"promote done +{ev['promoted'] - kill:.2f} s after the kill; "
      f"re-pointing done +{ev['repointed'] - kill:.2f} s after the kill")
    for n in node_ids:
        if f"restart_{n}_start" in ev and api:
            p(f"  node {n} restart (--write-database <promoted standby>): "
              f"+{ev[f'restart_{n}_start'] - kill:.2f} s .. +{ev[f'restart_{n}_done'] - kill:.2f} s "
              f"({ev[f'restart_{n}_done'] - ev[f'restart_{n}_start']:.2f} s)")
    p("")

    # (a) every acknowledged write is in the promoted database
    query = (f"SELECT slug FROM articles WHERE slug LIKE '{prefix}%'" if api
             else f"SELECT k FROM failover_probe WHERE k LIKE '{prefix}%'")
    proc = subprocess.run(shlex.split(args.psql) + ["-c", query], capture_output=True, text=True)
    if proc.returncode != 0:
        failures.append(f"psql on the promoted database failed: {short(proc.stderr)}")
        present = set()
    else:
        present = set(proc.stdout.split())
    lost = [r for r in acked if r["slug"] not in present]
    unacked_present = sum(1 for r in writes if not is_ok(r["status"]) and r["slug"] in present)
    p("## (a) acknowledged writes")
    p(f"writes attempted: {len(writes)} (+{skipped} not sent: {MAX_WRITES_IN_FLIGHT} in flight); "
      f"acknowledged: {len(acked)}; in the promoted database: {len(acked) - len(lost)}; "
      f"LOST: {len(lost)}")
    p(f"not acknowledged but committed anyway (allowed): {unacked_present}")
    # Acknowledged after the kill, yet by the old primary: answered before the promote began (or,
    # sql mode, on the old primary's port). Committed before the kill and answered late, or
    # committed by a backend the kill of the postmaster alone left running.
    first_port = writes[0].get("port") if writes else None
    def by_old_primary(r):
        if api:
            return r["t1"] < ev["promote_start"]
        return r.get("port") == first_port
    orphaned = [r for r in acked if r["t1"] >= kill and by_old_primary(r)]
    if orphaned:
        p(f"acknowledged after the kill through the old primary (committed before it died, or by a "
          f"backend the kill orphaned): "
          f"{len(orphaned)}, the last +{max(r['t1'] for r in orphaned) - kill:.3f} s after the kill; "
          f"of them lost: {sum(1 for r in orphaned if r['slug'] not in present)}")
    acked_before_kill = [r for r in acked if r["t1"] < kill]
    if acked_before_kill:
        last = max(acked_before_kill, key=lambda r: r["t1"])
        p(f"last write acknowledged before the kill: {(kill - last['t1']) * 1000:.1f} ms before it "
          f"({'present' if last['slug'] in present else 'LOST'})")
    for r in lost[:20]:
        p(f"  lost: {r['slug']} via {node_name(r['node'])}, acknowledged {r['t1'] - kill:+.3f} s from the kill, "
          f"X-Data-Version {r.get('version')}")
    if lost:
        failures.append(f"{len(lost)} acknowledged writes are not in the promoted database")
    if api:
        max_version = max((int(r["version"]) for r in acked if (r.get("version") or "").isdigit()), default=None)
        missing_versions = sum(1 for r in acked if not r.get("version"))
        if missing_versions:
            warnings.append(f"{missing_versions} acknowledged writes had no X-Data-Version header")
        for n in node_ids:
            bad = []
            headers = {"Cache-Control": "no-cache"}
            if max_version is not None:
                headers["X-Min-Data-Version"] = str(max_version)
            for r in acked:
                status, _, body, err = http_call(nodes[n - 1], "GET", f"/v1/articles/{r['slug']}", headers)
                if status != 200:
                    bad.append((r["slug"], status, err or body[:200].decode("utf-8", "replace")))
            p(f"read back through node {n} (X-Min-Data-Version {max_version}): "
              f"{len(acked) - len(bad)}/{len(acked)} answer 200")
            for slug, status, why in bad[:5]:
                p(f"  GET /v1/articles/{slug} -> {status} {short(why)}")
            if bad:
                failures.append(f"node {n}: {len(bad)} acknowledged writes not readable through the API")
    p("")

    # (b) reads by phase
    p("## (b) reads by phase (ok / errors; a node is re-pointed once its own restart is done)")
    header = "| " + ("node" if api else "reader") + " | " + " | ".join(PHASES) + " |"
    p(header)
    p("|---|" + "---:|" * len(PHASES))
    read_errors = defaultdict(Counter)
    lost_slugs = {r["slug"] for r in lost}
    lost_reads = Counter()
    for n in node_ids:
        counts = {ph: [0, 0] for ph in PHASES}
        for r in reqs:
            if r["node"] != n or r["op"] not in ("read", "ryw"):
                continue
            if r["op"] == "ryw" and r["path"].rsplit("/", 1)[-1] in lost_slugs:
                # a read of a write that was lost: counted under (a), not as a read failure
                lost_reads["ok" if is_ok(r["status"]) else str(r["status"])] += 1
                continue
            ph = phase_of(r, n, ev)
            counts[ph][0 if is_ok(r["status"]) else 1] += 1
            if not is_ok(r["status"]):
                read_errors[(n, ph)][f"{r['op']} {r['status']} {short(r.get('error'))[:100]}"] += 1
        p(f"| {node_name(n)} | " + " | ".join(f"{c[0]} / {c[1]}" for c in counts.values()) + " |")
        for ph in ("before kill", "kill -> re-pointed", "after re-pointing"):
            if counts[ph][1]:
                failures.append(f"{node_name(n)}: {counts[ph][1]} failed reads in phase '{ph}'")
            if counts[ph][0] == 0 and ph != "kill -> re-pointed":
                failures.append(f"{node_name(n)}: no successful read in phase '{ph}'")
        if counts["kill -> re-pointed"][0] == 0:
            failures.append(f"{node_name(n)}: no successful read between the kill and the re-pointing")
    if api:
        ryw = [r for r in reqs if r["op"] == "ryw"]
        ryw_bad = [r for r in ryw if not is_ok(r["status"])]
        p(f"of which read-your-writes across nodes (X-Min-Data-Version): {len(ryw)}, failed: {len(ryw_bad)}")
        if lost_reads:
            p(f"reads of a lost write (not counted above): {sum(lost_reads.values())}, by answer: "
              + ", ".join(f"{k} x {v}" for k, v in sorted(lost_reads.items())))
    for (n, ph), c in sorted(read_errors.items()):
        for what, count in c.most_common(3):
            p(f"  {node_name(n)}, {ph}: {count} x {what}")
    p("")

    # writes by phase, and when they came back
    p("## writes by phase (acknowledged / failed)")
    p("| " + ("node" if api else "writer") + " | " + " | ".join(PHASES) + " |")
    p("|---|" + "---:|" * len(PHASES))
    outage_statuses = Counter()
    for n in node_ids:
        counts = {ph: [0, 0] for ph in PHASES}
        for r in writes:
            if r["node"] != n:
                continue
            ph = phase_of(r, n, ev)
            counts[ph][0 if is_ok(r["status"]) else 1] += 1
            if not is_ok(r["status"]) and ph != "before kill":
                outage_statuses[f"{r['status']} {short(r.get('error'))[:90]}"] += 1
        p(f"| {node_name(n)} | " + " | ".join(f"{c[0]} / {c[1]}" for c in counts.values()) + " |")
        if counts["before kill"][1]:
            warnings.append(f"{node_name(n)}: {counts['before kill'][1]} writes failed before the kill")
        if counts["after re-pointing"][0] == 0:
            failures.append(f"{node_name(n)}: no write acknowledged after the re-pointing")
        if counts["after re-pointing"][1]:
            warnings.append(f"{node_name(n)}: {counts['after re-pointing'][1]} writes failed after the re-pointing")
    p("write failures from the kill on (expected while there is no primary), by answer:")
    for what, count in outage_statuses.most_common(6):
        p(f"  {count} x {what}")
    after_kill_ok = [r for r in acked if r["t0"] >= kill]
    if after_kill_ok:
        first = min(after_kill_ok, key=lambda r: r["t1"])
        p(f"kill -> first acknowledged write again: {first['t1'] - kill:.2f} s")
        if api:
            for n in node_ids:
                mine = [r for r in after_kill_ok if r["node"] == n]
                if mine:
                    p(f"  through node {n}: {min(r['t1'] for r in mine) - kill:.2f} s")
    else:
        failures.append("no write was acknowledged after the kill")

    # (c) one more write on each node, now
    if api:
        p("")
        p("## (c) a write on each node after the test")
        for n in node_ids:
            slug = f"{prefix}final-{n}"
            body = json.dumps({"slug": slug, "title": f"Failover final write {n}", "type": "commentary",
                               "language": "en", "published_at": "2026-12-03",
                               "publisher": args_publisher(nodes[0]),
                               "summary": "After the failover."}).encode()
            status, hdrs, resp, err = http_call(nodes[n - 1], "POST", "/v1/articles",
                                                {"Authorization": f"Bearer {args.key}",
                                                 "Content-Type": "application/json"}, body)
            p(f"POST /v1/articles via node {n}: {status}, X-Data-Version {hdrs.get('x-data-version')}")
            if not is_ok(status):
                p(f"  {short(err or resp.decode('utf-8', 'replace'))}")
                failures.append(f"node {n}: a write after the test failed ({status})")
    p("")
    for w in warnings:
        p(f"WARN: {w}")
    for f_ in failures:
        p(f"FAIL: {f_}")
    p("RESULT: " + ("FAIL" if failures else "PASS") +
      f" (acknowledged {len(acked)}, lost {len(lost)})")
    print("\n".join(out))
    return 1 if failures else 0


def args_publisher(base):
    status, _, body, _ = http_call(base, "GET", "/v1/publishers?per_page=1")
    if status == 200:
        return json.loads(body)["data"][0]["slug"]
    return "charhar-institute"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=["run", "report"])
    ap.add_argument("--mode", choices=["api", "sql"], required=True)
    ap.add_argument("--run-dir", required=True)
    ap.add_argument("--nodes", help="api: comma-separated base URLs")
    ap.add_argument("--key", help="api: a write API key")
    ap.add_argument("--psql", help="sql run: psql command without -p; report: psql of the promoted database")
    ap.add_argument("--write-port-file", help="sql: file holding the port writes go to")
    ap.add_argument("--read-port", help="sql: the standby's port")
    ap.add_argument("--write-rate", type=float, default=100.0)
    ap.add_argument("--readers", type=int, default=2)
    ap.add_argument("--read-pause-ms", type=float, default=10.0)
    ap.add_argument("--settings", help="report: a line saying how the test was run")
    args = ap.parse_args()
    if args.action == "run":
        (ApiLoad if args.mode == "api" else SqlLoad)(args).run()
        return 0
    return report(args)


if __name__ == "__main__":
    sys.exit(main())
