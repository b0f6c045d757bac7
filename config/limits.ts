/**
 * Largest partner file finledger accepts, checked before a byte is read (landing and validation alike).
 * Measured (`npm run bench`): schema-validate streams ~70k rows/s per vCPU at ~150 B/row, so 1 GiB
 * (~7M rows) validates in ~100 s on one vCPU, inside the 600 s function timeout with room for slower
 * Lambda CPUs. Larger deliveries are refused with OBJECT_TOO_LARGE: ask the partner to split them.
 */
export const MAX_PARTNER_FILE_BYTES = 1024 ** 3;
