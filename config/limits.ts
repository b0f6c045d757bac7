/**
 * Largest partner file finledger accepts, checked before a byte is read (landing and validation alike).
 * Measured (`npm run bench`): schema-validate streams ~70k rows/s per vCPU at ~150 B/row, so 1 GiB
 * (~7M rows) validates in ~100 s on one vCPU, inside the 600 s function timeout with room for slower
 * Lambda CPUs. Larger deliveries are refused with OBJECT_TOO_LARGE: ask the partner to split them.
 */
export const MAX_PARTNER_FILE_BYTES = 1024 ** 3;

/**
 * Most curated rows ready-publisher builds into one gold partition (a dataset and business date) in one invocation:
 * gold is sorted and encoded in memory. Measured (`npm run bench`, gold-build, 2 vCPU): peak RSS ≈ 1.1 GiB at 1M rows
 * and ≈ 1.8 GiB at 2M (build alone; reading the unique parts adds to it), against ready-publisher's 2 GiB. Above it
 * the date is BLOCKED by the `gold-size` gate, with this reason, instead of the function running out of memory.
 */
export const MAX_GOLD_PARTITION_ROWS = 1_200_000;

/**
 * Most rows (transactions plus settlements) settlement-match holds for one partner's matching window in one
 * invocation. Measured (`npm run bench`, settlement-match): peak RSS ≈ 0.55 GiB for 0.4M rows and ≈ 2.2 GiB for 2M,
 * against settlement-match's 2 GiB. Above it the run stops with WindowTooLargeError before reading a row.
 */
export const MAX_MATCH_WINDOW_ROWS = 1_000_000;
