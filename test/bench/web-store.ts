// The store bench:web and bench:web-under-load read: records spread over 90 days, 2,000 devices
// and 400 actors; findings of every kind and status, each citing records and two snapshots; 20
// pulled accounts per device, and the accounts the account records name. Deterministic (seeded).

import { mulberry32 } from '../support/random.js';
import type { Db } from '../../src/store/db.js';
import { IndexMover } from '../../src/store/index-moves.js';

export const DEVICES = 2000;
export const ACTORS = 400;
/** Pulled accounts per device: 20, or BENCH_PULLED_ACCOUNTS (bench:web's sorted views at 50,000 and 200,000 population rows). */
const ACCOUNTS_PER_DEVICE = Number(process.env.BENCH_PULLED_ACCOUNTS ?? 20);
export const DAY = 86_400_000;
export const KINDS = ['unauthorised-account', 'privilege-mismatch', 'expired-authorisation', 'missing-account', 'dormant-account', 'account-created', 'unlogged-change', 'telemetry-gap', 'pull-failed', 'host-key-changed'];
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
const STATUSES = ['open', 'open', 'open', 'acknowledged', 'accepted', 'resolved'];

export const device = (i: number): string => `sw-${String(i).padStart(4, '0')}.dc${i % 7}`;
export const actor = (i: number): string => `user${String(i).padStart(3, '0')}`;

/** Fill an empty store: `records` records and `findings` findings, ending `now`. */
export function build(db: Db, now: number, records: number, findings: number): void {
  const r = mulberry32(42);
  const start = now - 90 * DAY;
  const event = db.prepare(
    `INSERT INTO events (kind, action, time, device, platform, actor, actor_address, target, privilege, path, command, raw,
       received_at, transport, source, prev_hash, hash)
     VALUES (?, ?, ?, ?, 'juniper-junos', ?, ?, ?, ?, 'cli', ?, ?, ?, 'tcp', '192.0.2.1', ?, ?)`,
  );
  const hash = Buffer.alloc(32);
  const COMMANDS = ['show running-config', 'configure terminal', 'interface ge-0/0/1 description uplink', 'show interfaces terse', 'set system syslog host 192.0.2.10 any notice', 'show log messages'];
  const BATCH = 50_000;
  for (let done = 0; done < records; done += BATCH) {
    db.transaction(() => {
      for (let i = done; i < Math.min(records, done + BATCH); i++) {
        // In time order, as ingest stores them.
        const time = start + Math.floor((i / records) * 90 * DAY);
        const d = device(Math.floor(r() * DEVICES));
        const a = actor(Math.floor(r() * ACTORS));
        const roll = r();
        const kind = roll < 0.7 ? 'command' : roll < 0.9 ? 'session' : 'account';
        const action = kind === 'command' ? 'command' : kind === 'session' ? 'login' : 'account.create';
        const target = kind === 'account' ? `acct${Math.floor(r() * 5000)}` : null;
        const command = kind === 'command' ? COMMANDS[Math.floor(r() * COMMANDS.length)]! : kind === 'account' ? `set system login user ${target} class super-user` : null;
        const raw = `<29>1 ${new Date(time).toISOString()} ${d} mgd 4242 UI_CMDLINE_READ_LINE [junos@2636 username="${a}" command="${command ?? ''}"]`;
        event.run(kind, action, time, d, a, `10.${i % 250}.${(i >> 8) % 250}.${i % 200}`, target, kind === 'account' ? 'super-user' : null, command, raw, time, hash, hash);
      }
    })();
  }
  const snapshot = db.prepare(`INSERT INTO snapshots (device, platform, taken_at, hash, config, bytes) VALUES (?, 'juniper-junos', ?, ?, ?, ?)`);
  const snapshotIds: Array<[number, number]> = [];
  db.transaction(() => {
    for (let d = 0; d < DEVICES; d++) {
      const base = Array.from({ length: 400 }, (_, k) => `set interfaces ge-0/0/${k} description "port ${k} of ${device(d)}"`).join('\n');
      const a = Number(snapshot.run(device(d), now - 2 * DAY, `a${d}`, `${base}\nset system login user admin class super-user\n`, base.length).lastInsertRowid);
      const b = Number(snapshot.run(device(d), now - DAY, `b${d}`, `${base}\nset system login user admin class super-user\nset system login user acct${d} class super-user\n`, base.length).lastInsertRowid);
      snapshotIds.push([a, b]);
    }
  })();
  // What pulls leave: 20 local accounts per device, present since the first snapshot, and each device's pull state and syslog.
  const account = db.prepare(
    `INSERT INTO accounts (device, name, privilege, roles, credentials, lines, first_seen, last_seen, first_snapshot_id, last_snapshot_id)
     VALUES (?, ?, ?, '[]', '["secret"]', '[]', ?, ?, ?, ?)`,
  );
  const pulled = db.prepare('INSERT INTO pull_state (device, last_attempt, last_success, snapshot_id, failures) VALUES (?, ?, ?, ?, 0)');
  const heard = db.prepare('INSERT INTO device_activity (device, source, first_seen, last_seen) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (let d = 0; d < DEVICES; d++) {
      const [a, b] = snapshotIds[d]!;
      for (let k = 0; k < ACCOUNTS_PER_DEVICE; k++) account.run(device(d), `acct${(d * 7 + k * 13) % 5000}`, k % 5 ? '1' : '15', now - 2 * DAY, now - DAY, a, b);
      pulled.run(device(d), now - DAY, now - DAY, b);
      heard.run(device(d), `192.0.2.${d % 250}`, start, now);
    }
  })();
  const finding = db.prepare(
    `INSERT INTO findings (kind, severity, device, account, status, summary, attribution, evidence, first_seen, last_seen, occurrences, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
  );
  const history = db.prepare(`INSERT INTO finding_history (finding_id, at, by, from_status, to_status, reason, severity) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (let i = 0; i < findings; i++) {
      const d = i % DEVICES;
      const kind = KINDS[i % KINDS.length]!;
      const severity = SEVERITIES[Math.floor(r() * SEVERITIES.length)]!;
      const status = STATUSES[Math.floor(r() * STATUSES.length)]!;
      const account = `acct${i}`;
      const at = now - Math.floor(r() * 90 * DAY);
      const events = Array.from({ length: 5 }, () => 1 + Math.floor(r() * records));
      const [a, b] = snapshotIds[d]!;
      const sentence = `${account} (privilege 15) on ${device(d)} created ${new Date(at).toISOString()} by ${actor(i % ACTORS)} from 10.1.2.3 over SSH CLI`;
      const id = Number(finding.run(kind, severity, device(d), account, status, sentence, sentence, JSON.stringify({ events, snapshots: [a, b] }), at, at, at).lastInsertRowid);
      history.run(id, at, 'aaawatch', null, 'open', null, severity);
      if (status !== 'open') history.run(id, at + 3_600_000, actor(i % ACTORS), 'open', status, 'reviewed in the quarterly access review', severity);
    }
  })();
  // Into the index tables, as the store thread (or an import) leaves what it stored (src/store/index-moves.ts).
  new IndexMover(db).moveAll();
}

