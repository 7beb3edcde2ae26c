// Throughput on AAA-heavy feeds (issue 14). The actor index carries the device and kind after the
// time: finding an actor's commands on one device near a moment (attribution's corroborating
// records, an account's sessions on the timeline) reads the actor's index entries in that window
// and skips the other devices' from the entry itself, where it looked up each entry's row before.
// Attribution of an account-created record spent 37% of the reconcile thread in that lookup on
// the aaa-only profile (10 administrators across 2,800 devices). Index entries grow by the device
// name; the number of entries written per record is unchanged.
export default `
DROP INDEX events_actor;
CREATE INDEX events_actor ON events(actor, time, device, kind);
`;
