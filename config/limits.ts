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
 * Most rows (transactions plus settlements) settlement-match holds for one partner's matching window in one
 * invocation. Measured (`npm run bench`, settlement-match): peak RSS ≈ 0.55 GiB for 0.4M rows and ≈ 2.2 GiB for 2M,
 * against settlement-match's 2 GiB. Above it the run stops with WindowTooLargeError before reading a row.
 */
export const MAX_MATCH_WINDOW_ROWS = 1_000_000;
