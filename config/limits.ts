/**
 * Largest partner file finledger accepts, checked before a byte is read (landing and validation alike).
 * Measured (`npm run bench`): schema-validate streams ~70k rows/s per vCPU at ~150 B/row, so 1 GiB
 * (~7M rows) validates in ~100 s on one vCPU, inside the 600 s function timeout with room for slower
 * Lambda CPUs. Larger deliveries are refused with OBJECT_TOO_LARGE: ask the partner to split them.
 */
export const MAX_PARTNER_FILE_BYTES = 1024 ** 3;

/**
 * Most curated rows ready-publisher builds into one gold partition (a dataset and business date) in one invocation.
 * Gold is sorted in DuckDB (1 GB memory limit, spill to /tmp) and streamed into the Parquet writer a chunk at a time,
 * so memory no longer grows with the day; time does, and one invocation has 900 s. Measured (`npm run bench -- micro
 * gold-build`, 2 vCPU shared with a crash campaign at load ≈ 7, so slower than an idle core): 2M rows 123 s,
 * 5M rows 335 s (≈ 15k rows/s at both sizes), peak RSS 1.25 GiB and 1.35 GiB (Node heap capped at 512 MiB, DuckDB
 * at 1 GB) against the function's 2 GiB, /tmp peak 0.33 GiB and 1.1 GiB of its 10 GiB. At that rate 10M rows take
 * ≈ 670 s, leaving room for S3 reads and the part uploads inside 900 s. Above it the date is BLOCKED by the
 * `gold-size` gate with this reason instead of timing out on every retry; 100M rows (≈ 110 min at that rate) need
 * a partitioned build.
 */
export const MAX_GOLD_PARTITION_ROWS = 10_000_000;

/**
 * Most rows (transactions plus settlements) settlement-match matches for one partner's window in one invocation.
 * Matching is SQL in DuckDB (1 GB memory limit, spill to /tmp) with results streamed out a chunk at a time, so memory
 * grows only slowly with the window; time and /tmp grow with it, and one invocation has 900 s. Measured
 * (`bench/settlement-match.bench.ts`: globex-pay's rules with instalments, Node heap capped at 512 MiB, 2 vCPU shared
 * with a crash campaign at load ≈ 2): 2M rows 22 s (31 s of CPU), 5M rows 64 s (90 s CPU), 10M rows 128 s (188 s CPU),
 * 1.5-2× the wall time at load ≈ 5; peak RSS 1.18, 1.45 and 1.60 GiB (Node and DuckDB) against the function's 2 GiB;
 * /tmp peak 0.09, 1.1 and 3.5 GiB of its 10 GiB. At 10M rows a 2 GiB Lambda (≈ 1.2 vCPU) needs ≈ 160 s for that CPU
 * work plus the S3 reads and ≈ 3 GiB of result uploads, inside 900 s. Above it the run stops with WindowTooLargeError
 * before reading a row (the in-memory matcher it replaced needed 2.2 GiB for 2M rows, hence the 1M limit before).
 */
export const MAX_MATCH_WINDOW_ROWS = 10_000_000;
