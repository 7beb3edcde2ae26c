// A stored message says how it arrived beyond its text: `raw_bytes`, its exact bytes when they
// were not valid UTF-8 (`raw` then holds its escaped form, src/store/raw-bytes.ts), and
// `truncated`, set when it was longer than ingest.maxMessageBytes and only its start was kept.
// Rows stored before this kept a non-UTF-8 frame as its Latin-1 reading; they stay as they are.
export default `
ALTER TABLE events ADD COLUMN raw_bytes BLOB;
ALTER TABLE events ADD COLUMN truncated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN raw_bytes BLOB;
ALTER TABLE messages ADD COLUMN truncated INTEGER NOT NULL DEFAULT 0;
`;
