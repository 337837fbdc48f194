-- One chain per writer (per instance): the writer knows its head, so a batch is one INSERT statement (autocommit)
-- on its own chain; no writer waits for another. The records are ~1 KB, like a decision record.
INSERT INTO chain_bench (chain_id, sequence, record, prev_hash, entry_hash)
SELECT :client_id, h.size + g, repeat('x', 1000), md5(g::text) || md5(g::text), md5((h.size + g)::text) || md5(g::text)
FROM (SELECT coalesce(max(sequence), 0) AS size FROM chain_bench WHERE chain_id = :client_id) AS h,
     generate_series(1, :batch) AS g;
