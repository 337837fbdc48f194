-- One chain for every writer, serialised by the database: a writer takes the chain's lock, reads the head (it must
-- hash its records after it), inserts and commits while holding the lock, so commits are one at a time.
BEGIN;
SELECT pg_advisory_xact_lock(42);
SELECT coalesce(max(sequence), 0) AS size FROM chain_bench WHERE chain_id = 0 \gset
INSERT INTO chain_bench (chain_id, sequence, record, prev_hash, entry_hash)
SELECT 0, :size + g, repeat('x', 1000), md5(g::text) || md5(g::text), md5((:size + g)::text) || md5(g::text)
FROM generate_series(1, :batch) AS g;
COMMIT;
