// Malformed native packets per sender (issue 18: a wrong key, and now a packet that does not read,
// "counted per source and shown on the device page"): a TACACS+ packet with flags, a sequence or a
// length a client may not send, a RADIUS packet that does not parse, with the reason the global
// counter names it by. The rows already there read none.
export default `
ALTER TABLE native_senders ADD COLUMN malformed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE native_senders ADD COLUMN last_malformed INTEGER;
ALTER TABLE native_senders ADD COLUMN last_malformed_reason TEXT;
`;
