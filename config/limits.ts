/**
 * Largest partner file finledger accepts, checked before a byte is read (landing and validation alike). Each pass
 * over a whole file is one sequential read in one invocation (900 s). Measured on the development machine (one
 * core of 2, 1 GiB of ~150-byte transaction rows): landing's scan (SHA-256 and the card-number byte scan) 143 MiB/s,
 * so 50 GiB in ~360 s; schema-validate's chunk plan (SHA-256 and the quote-aware record-boundary scan) 449 MiB/s,
 * 164 MiB/s when every row has quoted fields, so 50 GiB in 115-315 s; rows are then validated in chunks of
 * `VALIDATION_CHUNK_BYTES` by parallel units (~70k rows/s per vCPU: ~25 s per chunk). The S3 read rate of one
 * GetObject stream in Lambda (not measured here) must stay above ~150 MiB/s for 50 GiB to land inside 900 s.
 * Larger deliveries are refused with OBJECT_TOO_LARGE: ask the partner to split them.
 */
export const MAX_PARTNER_FILE_BYTES = 50 * 1024 ** 3;

/**
 * Rows per silver Parquet part (schema-validate's valid rows, dedup's unique rows). Part lists travel in events
 * (FileValidated, RecordsDeduplicated) and registry items, and EventBridge takes 256 KiB an event: at ~170 characters
 * a key, ~1,400 parts fill one. A 50 GiB file of ~150-byte rows holds ~360M rows in 200 chunks of ~1.8M rows: ~400
 * parts at 1M rows (~70 KB; dedup's unique parts ~360), 3,600 at 100K rows (too many). schema-validate writes a part
 * one row group (`ROW_GROUP_ROWS`, 100k rows) at a time, so JavaScript holds one row group of values and the part's
 * encoded bytes (~30-60 MB), never its rows: validating 2M rows with Node's heap capped at 256 MiB peaked at 361 MiB
 * RSS in 2 parts (320 MiB in 20 parts of 100k rows), in the same 33 s.
 */
export const SILVER_PART_ROWS = 1_000_000;

/**
 * Entries per JSON Lines part (quarantine, duplicates and conflicts, match results), each part also capped at
 * 16 Mi characters (so at most ~16-32 MB of text in memory). 50k entries of ~300 characters reach the character cap:
 * a 50 GiB file quarantining 5 % of its rows (its reject rate) lists ~360 quarantine parts (~65 KB of its event).
 */
export const JSON_LINES_PART_ENTRIES = 50_000;

/**
 * Most part keys an event lists inline per part list; a longer list is written to a parts manifest and the event
 * points to it (RecordsDeduplicated v2's `duplicates` and `conflicts`, SettlementsMatched v2's `results`,
 * lib/parts-manifest/). For SettlementsMatched, a result key is ~110 characters, so 400 listed are ~44 KB; a
 * 20M-row window writes ~1,000 result parts (≈ 20k records each), which v1 listed in ~100 KB. Basis for dedup: a dedup
 * quarantine key is ~180 characters, ~190 listed with a unit folder, so 400 keys are ~76 KB; both lists at this
 * limit plus the unique parts of a 50 GiB file (~360 keys, ~68 KB) are ~222 KB of the 240 KiB
 * MAX_EVENT_DETAIL_BYTES, leaving ~20 characters a key for longer partner names (config/part-sizes.test.ts checks
 * it). A file that is all duplicates of another (~360M rows, 50k entries a part: ~7,200 parts, ~1.4 MB listed)
 * needs the manifest.
 */
export const PARTS_LISTED_INLINE_MAX = 400;

/** Files above this size are validated in chunks (a plan pass, then one unit per chunk); smaller ones whole. */
export const VALIDATE_IN_CHUNKS_ABOVE_BYTES = 256 * 1024 ** 2;

/** About this many bytes per validation chunk (cut after a record): ~25 s of one unit at the measured rate. */
export const VALIDATION_CHUNK_BYTES = 256 * 1024 ** 2;

/**
 * Files with more valid rows than this are deduplicated in units (one per slice of the key history's buckets,
 * services/dedup/units/); smaller ones whole in one invocation. ~2M rows is about a 256 MiB file.
 */
export const DEDUP_IN_UNITS_ABOVE_ROWS = 5_000_000;

/** About this many rows per dedup unit (at least one history bucket each, so at most 16 units per file). */
export const DEDUP_UNIT_ROWS = 5_000_000;

/**
 * Windows with more unique rows than this are matched in units (services/settlement-match/units/): the planner cuts
 * the window into components no pass links across, and a unit worker matches each unit in its own invocation;
 * smaller windows are matched whole (2M rows took 22 s whole, see MAX_MATCH_WINDOW_ROWS).
 */
export const MATCH_IN_UNITS_ABOVE_ROWS = 2_000_000;

/** About this many rows per matching unit (a component is never split, so one unit may hold more). */
export const MATCH_UNIT_ROWS = 1_000_000;

/** Rows per Parquet object of a unit's rows: what one unit worker holds in memory while staging an object. */
export const MATCH_UNIT_PART_ROWS = 250_000;

/**
 * Rows of unique parts the matching planner downloads and reads at a time (for their keys, then again to write
 * them out to the units' objects): what it holds of the window's rows at once, and what sets the objects a unit
 * reads (about one per batch and side: 20 of each at 100M rows).
 */
export const MATCH_PLAN_BATCH_ROWS = 5_000_000;

/**
 * The DuckDB session of the matching planner (settlement-match's function has 10 GB): the cut keeps a few integers a
 * row of the window (ids, keys, labels), ≈ 15 GB with DuckDB's hash tables at 100M rows, so at MAX_MATCH_WINDOW_ROWS
 * the memory limit decides how much of it spills to /tmp (10 GB in Lambda): see MAX_MATCH_WINDOW_ROWS. Two threads,
 * as measured on the 2-core development machine.
 */
export const MATCH_PLAN_ENGINE_LIMITS = { memoryLimit: '6GB', threads: 2 } as const;

/** CopyObject copies at most 5 GiB; landing copies larger files to raw in parts (UploadPartCopy). */
export const MULTIPART_COPY_ABOVE_BYTES = 5 * 1024 ** 3;

/** Parts of a multipart copy: 50 GiB in 100 parts, far below S3's 10,000. */
export const MULTIPART_COPY_PART_BYTES = 512 * 1024 ** 2;

/**
 * Dates with more curated rows than this have their gold built in units (services/ready-publisher/units/): one per
 * range of the 256 gold buckets, each in its own invocation of ready-publisher-gold-unit; smaller dates are built
 * whole in ready-publisher's invocation. One build runs at ≈ 15k rows/s (MAX_GOLD_PARTITION_ROWS): 2M rows ≈ 130 s.
 */
export const GOLD_IN_UNITS_ABOVE_ROWS = 2_000_000;

/**
 * About this many curated rows per gold unit (whole buckets: a date of R rows has ceil(R / this) units, at most 256).
 * Measured (`npm exec -- tsx bench/gold-build.bench.ts 8000000 --units 2`, 2 vCPU at load ≈ 5): a unit of 4.0M rows
 * of an 8M-row date 125 s, peak RSS 1.38 GiB (Node heap capped at 512 MiB, DuckDB at 1 GB), /tmp 1.0 GiB. Every unit
 * also reads the whole date's unique parts, keeping its buckets' rows a part at a time: `8000000 --units 25` (312k
 * rows kept) took 14.4 s, 511 MiB, /tmp 54 MiB, so ≈ 1.3 s per 1M rows of the date read.
 */
export const GOLD_UNIT_ROWS = 4_000_000;

/**
 * Most curated rows of one gold partition (a dataset and business date). Gold is built in units above
 * GOLD_IN_UNITS_ABOVE_ROWS, so no invocation sorts more than ≈ GOLD_UNIT_ROWS rows; what grows with the date is
 * the read every unit makes of the date's unique parts (≈ 1.3 s per 1M rows locally, GOLD_UNIT_ROWS; /tmp holds the
 * unit's slice and one part) and the part list of DatasetReady (100k-row parts: 1,000 keys, ≈ 90 KB of the bus's
 * 256 KB at 100M rows). At 100M rows: 25 units of 4M rows, each ≈ 125 s of building plus ≈ 130 s of reading the
 * date and the download of its ≈ 8 GiB of unique parts (≈ 60 s at 150 MiB/s), well inside 900 s. Above it the date
 * is BLOCKED by the `gold-size` gate with this reason instead of timing out.
 */
export const MAX_GOLD_PARTITION_ROWS = 100_000_000;

/**
 * Most rows (transactions plus settlements) one partner's window may hold. Windows above MATCH_IN_UNITS_ABOVE_ROWS are
 * matched in units of ~MATCH_UNIT_ROWS, so this bounds the plan, one settlement-match invocation that never holds the
 * window's rows (services/settlement-match/units/window-cut.ts): it reads every unique part for row ids and join
 * values (a group of MATCH_PLAN_BATCH_ROWS at a time), cuts those integers into components, then reads the parts
 * again and writes each unit's rows out. Measured (`npm exec -- tsx bench/settlement-match.bench.ts --units
 * --plan-only 100000000`, globex-pay's rules with instalments, 2 vCPU at load 1-2, Node heap capped at 512 MiB,
 * DuckDB at MATCH_PLAN_ENGINE_LIMITS' 6 GB): a 100M-row window planned in 464 s (ids and keys 96 s, cut 150 s,
 * scatter to 100 units 216 s), peak RSS 7.3 GiB (the function has 10 GB), scratch peak 6.2 GiB (Lambda's /tmp: 10 GB;
 * 7.9 GiB with the edges materialised both ways), a unit of ~1M rows 11-23 s; with DuckDB at 1 GB the same plan
 * spilled 15 GB and failed in the cut (Out of Memory). 20M rows: 192.6 s at load 5 before the cut worked on keys
 * (108.5 s idle when the planner held the window whole). Above it the run stops
 * with WindowTooLargeError before reading a row. The result part list does not bound it: a run of more than
 * PARTS_LISTED_INLINE_MAX result parts publishes SettlementsMatched v2 with its results in a parts manifest.
 */
export const MAX_MATCH_WINDOW_ROWS = 100_000_000;
