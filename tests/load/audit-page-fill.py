#!/usr/bin/env python3
"""Fills a scratch SQLite audit database with N decisions for measuring the auditor's page's paging.

    tests/load/audit-page-fill.py SEED_DB OUT_DB N [RARE_EVERY]

SEED_DB is a database written by `serve` (a few real decisions and their archived revision); OUT_DB gets N decisions
cloned from those records in turn, one chain from genesis with every hash and link correct (so `serve` starts on it and
`audit verify` passes), recorded 15 s apart ending now, asked by four callers in turn. The rule `rare-measure-rule`
is added to every RARE_EVERY-th decision (default 200000), for the worst case of a rule filter: as a benefit note in
the record and in its rule_ids column, so that the two agree as `serve` checks (replaying such a decision reports the
note the rule set never gives).
"""
import datetime
import hashlib
import json
import sqlite3
import sys
import uuid

seed_path, out_path, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
rare_every = int(sys.argv[4]) if len(sys.argv) > 4 else 200_000
callers = ["dev-key", "ward-7-tablet", "community-app", "clinic-north"]

seed = sqlite3.connect(seed_path)
templates = [(json.loads(r), v, rev, json.loads(ids)) for r, v, rev, ids in
             seed.execute("SELECT record, verdict, revision, rule_ids FROM entries WHERE kind = 'decision' ORDER BY sequence")]
if not templates:
    sys.exit("the seed database holds no decisions")
schema = [s for (s,) in seed.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")]

out = sqlite3.connect(out_path)
out.execute("PRAGMA journal_mode = WAL")
out.execute("PRAGMA synchronous = OFF")
for statement in schema:
    out.execute(statement)
out.execute("PRAGMA user_version = %d" % seed.execute("PRAGMA user_version").fetchone()[0])
# The archive as the seed holds it (every column the layout has); the seed's verified point belongs to its own chain.
for table in ("revisions", "revision_files"):
    columns = [c[1] for c in seed.execute(f"PRAGMA table_info({table})")]
    out.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                    seed.execute(f"SELECT {', '.join(columns)} FROM {table}"))

end = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
start = end - datetime.timedelta(seconds=15 * count)
prev = "0" * 64
batch = []
for i in range(count):
    record, verdict, revision, rule_ids = templates[i % len(templates)]
    record = dict(record)
    at = (start + datetime.timedelta(seconds=15 * i)).strftime("%Y-%m-%dT%H:%M:%S.0000000Z")
    sequence = i + 1
    millis = int((start + datetime.timedelta(seconds=15 * i)).timestamp() * 1000)
    entry_id = str(uuid.UUID(int=(millis << 80) | (0x7 << 76) | (sequence & ((1 << 62) - 1)) | (0x2 << 62)))
    ids = list(rule_ids)
    if sequence % rare_every == 0:
        # Sorted by UTF-16 code units, as the service orders rule ids (the ids are ASCII).
        ids = sorted(set(ids) | {"rare-measure-rule"})
        record["benefits"] = sorted(set(record.get("benefits", [])) | {"rare-measure-rule"})
    record.update(sequence=sequence, prev_hash=prev, recorded_at=at, decision_id=entry_id, caller=callers[i % len(callers)])
    text = json.dumps(record, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    entry_hash = hashlib.sha256(text.encode()).hexdigest()
    batch.append((sequence, "decision", entry_id, at, verdict, revision, json.dumps(ids, separators=(",", ":")), text, prev, entry_hash))
    prev = entry_hash
    if len(batch) == 50_000:
        out.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
        out.commit()
        batch.clear()
        print(f"{sequence} decisions", file=sys.stderr)
out.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
out.commit()
out.execute("PRAGMA wal_checkpoint(TRUNCATE)")
out.close()
print(f"{count} decisions in {out_path}; first {start.isoformat()}, last {end.isoformat()}")
