-- Two ways to keep a hash chain shared by several writers, measured with pgbench (see run.sh).
SET client_min_messages = warning;
DROP TABLE IF EXISTS chain_bench;
CREATE TABLE chain_bench (
  chain_id  int    NOT NULL,
  sequence  bigint NOT NULL,
  record    text   NOT NULL,
  prev_hash text   NOT NULL,
  entry_hash text  NOT NULL,
  PRIMARY KEY (chain_id, sequence)
);
