// How the store thread groups the batches it is handed into transactions (src/store/writer-worker.ts).

/**
 * Group commit: batches wait in the store thread until together they hold this many rows, or the
 * first of them has waited GROUP_MS, or someone waits to acknowledge them (ThreadSink.hurry). A
 * commit costs per page it changes, and the indexes that lead with the device or the actor change
 * a page per device or actor in the transaction, however few rows each has: inserting aaa-only
 * rows (2,800 devices, six indexes on events) cost 30 µs per row in transactions of 500, 25 in
 * 1,000, 18 in 3,000, 16–18 in 5,000–8,000 (scratch measurement, one thread, shared machine). The
 * reader hands over 500 rows at a time (larger batches cost it in garbage collection, see
 * ingest.batchRows), and the store thread, which allocates little, holds them for the group.
 */
export const GROUP_ROWS = 4000;
/** Batches that close a group whatever their rows: below ThreadSink's HIGH_WATER, so a group never pauses the listeners. */
export const GROUP_BATCHES = 10;
/**
 * How long a batch waits for others at most: a record is stored within batchMillis plus this. As
 * long as the reader takes to hand over GROUP_ROWS at 16,000 records/s; at 4,000/s a group holds
 * 1,000 rows (25 µs per row), where 100 ms held 400 (30 µs).
 */
export const GROUP_MS = 250;
