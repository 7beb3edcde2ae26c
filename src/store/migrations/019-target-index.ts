// events_target (target, device) dropped (issue 14): an entry per account record, 0.11 WAL pages a
// record on a fresh aaa-only store and 0.17 on a grown one (BENCHMARKS.md, storeidx6), for one
// reader: the audit search by account with no device or actor named. Every other query naming a
// target names the device too and reads events_device_target (device, target, time); the search by
// account alone reads it once per device that holds account records (src/web/data/events.ts).
export default `
DROP INDEX events_target;
`;
