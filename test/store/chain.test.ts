// The stored evidence: batches written through the real store into a real SQLite file, the hash
// chain over them, `verify` finding tampering, and retention keeping the rest verifiable.

import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../src/config/schema.js';
import { createPipeline } from '../../src/ingest/service.js';
import { BatchStore } from '../../src/store/batch-store.js';
import Database from 'better-sqlite3';
import { eventHash, GENESIS, hashBody, hashBodyInto, verifyChain } from '../../src/store/chain.js';
import { migrate, openDatabase, type Db } from '../../src/store/db.js';
import { migrations } from '../../src/store/migrations/index.js';
import { insertAccount, insertSnapshot } from '../../src/store/pull.js';
import { knownAccounts } from '../../src/store/queries.js';
import { applyRetention } from '../../src/store/retention.js';
import type { AaaRecord } from '../../src/types.js';
import { IngestWriter } from '../../src/store/writer.js';
import { tempDir } from '../support/temp.js';

let dir: string;
let db: Db;
let config: Config;

function ingest(lines: string[], receivedAt = Date.now()): void {
  const store = new BatchStore(db, 100);
  const writer = new IngestWriter({ write: (b) => void store.write(b) }, { batchRows: 3, batchMillis: 1000, keepRejectedPerReason: 100 });
  const { pipeline } = createPipeline(config, db, writer);
  for (const l of lines) pipeline.message(l, false, '192.0.2.7', 'udp', receivedAt);
  writer.flush();
}

// IOS archive-log lines in the form the foundation issue names.
const cfg = (n: number, cmd: string): string =>
  `<189>${n}: *Nov 21 22:10:${String(n % 60).padStart(2, '0')}.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:${cmd}`;

beforeEach(() => {
  dir = tempDir();
  config = configSchema.parse({ store: { path: join(dir, 'a.db') } });
  db = openDatabase(config.store.path);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('stored records and the hash chain', () => {
  it('stores recognised messages and their records, secrets removed, and the chain verifies', () => {
    const at = Date.UTC(2026, 10, 21, 22, 10, 5);
    ingest([cfg(1, 'interface Gi1/0/1'), cfg(2, 'username bob privilege 15 password 0 Cleartext1'), '<13>Nov 21 22:10:01 h1 app: chatter'], at);
    const events = db.prepare('SELECT kind, action, target, command, device FROM events ORDER BY id').all();
    expect(events).toEqual([
      { kind: 'command', action: 'command', target: null, command: 'interface Gi1/0/1', device: '192.0.2.7' },
      { kind: 'command', action: 'command', target: null, command: 'username bob privilege 15 password 0 <redacted>', device: '192.0.2.7' },
      { kind: 'account', action: 'account.create', target: 'bob', command: 'username bob privilege 15 password 0 <redacted>', device: '192.0.2.7' },
    ]);
    const kept = db.prepare('SELECT raw, received_at, transport, source, time_text FROM events ORDER BY id').all() as Array<{ raw: string }>;
    expect(kept.map((r) => r.raw).join('\n')).not.toContain('Cleartext1');
    // Each record carries the message it came from; the two records of one message carry the same.
    expect(kept[2]).toEqual(kept[1]);
    expect(kept[0]).toEqual({ raw: cfg(1, 'interface Gi1/0/1'), received_at: at, transport: 'udp', source: '192.0.2.7', time_text: '*Nov 21 22:10:01.123 UTC' });
    // A message a record came from is not kept a second time; chatter is only counted.
    expect(db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 0 });
    const report = verifyChain(db);
    expect([report.ok, report.checked]).toEqual([true, 3]);
  });

  it('a second `username bob` on the same device modifies; `no username bob` deletes; knowledge survives a restart', () => {
    ingest([cfg(1, 'username bob privilege 1 secret *')]);
    ingest([cfg(2, 'username bob privilege 15 secret *'), cfg(3, 'username carol secret *')]);
    expect(knownAccounts(db).sort()).toEqual([['192.0.2.7', 'bob'], ['192.0.2.7', 'carol']]);
    ingest([cfg(4, 'no username carol')]);
    const actions = db.prepare("SELECT target, action FROM events WHERE kind = 'account' ORDER BY id").all();
    expect(actions).toEqual([
      { target: 'bob', action: 'account.create' },
      { target: 'bob', action: 'account.modify' },
      { target: 'carol', action: 'account.create' },
      { target: 'carol', action: 'account.delete' },
    ]);
    expect(knownAccounts(db)).toEqual([['192.0.2.7', 'bob']]);
  });

  it('an account the last pull showed is known: `username` for it modifies, and the device is found by address', () => {
    config = configSchema.parse({
      store: { path: config.store.path },
      devices: [{ name: 'core-sw1', address: '192.0.2.7', platform: 'cisco-ios' }],
    });
    const snapshotId = insertSnapshot(db, { device: 'core-sw1', platform: 'cisco-ios', taken_at: 1, hash: 'h', config: 'username alice privilege 15 secret 9 <redacted>', bytes: 10 });
    insertAccount(db, { device: 'core-sw1', name: 'alice', privilege: '15', roles: '[]', credentials: '["secret"]', lines: '[]', at: 1, snapshotId });
    ingest([cfg(1, 'username alice privilege 1 secret *'), cfg(2, 'username mallory privilege 15 secret *')]);
    const actions = db.prepare("SELECT device, target, action FROM events WHERE kind = 'account' ORDER BY id").all();
    expect(actions).toEqual([
      { device: 'core-sw1', target: 'alice', action: 'account.modify' },
      { device: 'core-sw1', target: 'mallory', action: 'account.create' },
    ]);
  });

  it('names the first broken row when a stored record or its message is edited', () => {
    ingest([1, 2, 3, 4].map((n) => cfg(n, `interface Gi1/0/${n}`)));
    db.prepare("UPDATE events SET command = 'interface Gi9/9/9' WHERE id = 3").run();
    expect(verifyChain(db).broken).toEqual({ id: 3, reason: 'its content or message was changed' });
    db.prepare("UPDATE events SET command = 'interface Gi1/0/3' WHERE id = 3").run();
    expect(verifyChain(db).ok).toBe(true);
    db.prepare("UPDATE events SET raw = replace(raw, 'admin', 'mallory') WHERE id = 2").run();
    expect(verifyChain(db).broken).toEqual({ id: 2, reason: 'its content or message was changed' });
  });

  it('names the row after a removed one', () => {
    ingest([1, 2, 3].map((n) => cfg(n, `interface Gi1/0/${n}`)));
    db.prepare('DELETE FROM events WHERE id = 2').run();
    expect(verifyChain(db)).toMatchObject({ ok: false, checked: 1, broken: { id: 3 } });
  });

  it('retention removes old records from the front and the rest still verifies', () => {
    const day = 86_400_000;
    ingest([cfg(1, 'interface a'), cfg(2, 'interface b')], Date.now() - 10 * day);
    ingest([cfg(3, 'interface c')], Date.now());
    expect(applyRetention(db, 5)).toEqual({ events: 2, messages: 0, senders: 0 });
    expect(verifyChain(db)).toMatchObject({ ok: true, checked: 1 });
    ingest([cfg(4, 'interface d')]);
    expect(verifyChain(db)).toMatchObject({ ok: true, checked: 2 });
    // An old row put back in front of the anchor is caught.
    db.prepare(
      `INSERT INTO events (id, kind, action, time, device, platform, received_at, transport, prev_hash, hash)
       VALUES (1, 'command', 'command', 0, 'x', 'x', 0, 'udp', zeroblob(32), zeroblob(32))`,
    ).run();
    expect(verifyChain(db).broken?.id).toBe(1);
  });

  it('with every message kept, a message with records is kept once (in its records), and old messages go with retention', () => {
    config.store.storeAllMessages = true;
    const day = 86_400_000;
    ingest([cfg(1, 'interface a'), '<13>Nov 21 22:10:01 h1 app: old chatter'], Date.now() - 10 * day);
    ingest(['<13>Nov 21 22:10:02 h1 app: new chatter'], Date.now());
    expect(db.prepare('SELECT raw, program FROM messages ORDER BY id').all()).toEqual([
      { raw: '<13>Nov 21 22:10:01 h1 app: old chatter', program: 'app' },
      { raw: '<13>Nov 21 22:10:02 h1 app: new chatter', program: 'app' },
    ]);
    expect(db.prepare('SELECT raw FROM events').all()).toEqual([{ raw: cfg(1, 'interface a') }]);
    expect(applyRetention(db, 5)).toEqual({ events: 1, messages: 1, senders: 0 });
    expect(db.prepare('SELECT raw FROM messages').all()).toEqual([{ raw: '<13>Nov 21 22:10:02 h1 app: new chatter' }]);
  });

  it('a multi-line message with tabs (octet-counted RFC 5424) is stored whole, and the chain verifies', () => {
    const line = `<29>1 2026-11-21T22:10:01.123Z mx1 mgd 4242 UI_CMDLINE_READ_LINE [junos@2636.1.1.1.2.29 username="admin" command="set system login user bob class super-user"] User 'admin', command 'set system login user bob class super-user'\n\tsecond line\twith tabs`;
    ingest([line]);
    const raws = (db.prepare('SELECT raw FROM events').all() as Array<{ raw: string }>).map((r) => r.raw);
    expect(raws.length).toBeGreaterThan(0);
    expect(new Set(raws)).toEqual(new Set([line]));
    expect(verifyChain(db).ok).toBe(true);
  });

  it('a value with a lone surrogate (from a JSON escape) is stored so that the chain still verifies', () => {
    const store = new BatchStore(db, 10);
    const writer = new IngestWriter({ write: (b) => void store.write(b) }, { batchRows: 10, batchMillis: 1000, keepRejectedPerReason: 10 });
    const { pipeline } = createPipeline(config, db, writer);
    const msg = pipeline.reader.read('<13>Nov 21 22:10:01 h1 app: x', false, '192.0.2.7', 'udp', Date.now()).msg;
    const record: AaaRecord = {
      kind: 'account', action: 'account.create', time: new Date().toISOString(), device: 'aws:1', platform: 'aws-cloudtrail',
      actor: 'eve\ud800', target: 'bob\udc00x', technique: 'T1136.003',
    };
    writer.addMessage(msg, 'aws:1', '{"userName":"bob\\udc00x"}', [record]);
    writer.flush();
    expect(db.prepare('SELECT actor, target FROM events').get()).toEqual({ actor: 'eve\ufffd', target: 'bob\ufffdx' });
    expect(verifyChain(db)).toMatchObject({ ok: true, checked: 1 });
  });

  it('a record is hashed as SHA-256 of the hash before it and its body\'s UTF-8, whatever its length and characters', () => {
    // Characters of every UTF-8 width, a body past the hasher's first buffer (4 KiB), and bodies of
    // one length before and after it grew (the hasher keeps a view of its buffer per length).
    for (const body of ['["session"]', `["a","é€𝄞${'x'.repeat(5000)}"]`, '€'.repeat(3000), '["session"]', '["sessioN"]', `["${'y'.repeat(4100)}"]`]) {
      const prev = createHash('sha256').update(body).digest();
      const want = createHash('sha256').update(prev).update(Buffer.from(body, 'utf8')).digest();
      expect(hashBody(prev, body).equals(want)).toBe(true);
      const out = Buffer.alloc(32);
      expect(hashBodyInto(prev, body, out)).toBe(out);
      expect(out.equals(want)).toBe(true);
    }
  });

  it('a long command with characters of every UTF-8 width is stored between two others and the chain verifies', () => {
    const long = `interface Gi1/0/1 description é€𝄞 ${'x'.repeat(6000)}`;
    ingest([cfg(1, 'interface Gi1/0/2'), cfg(2, long), cfg(3, 'interface Gi1/0/3')]);
    expect((db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(3);
    expect(verifyChain(db)).toMatchObject({ ok: true, checked: 3 });
  });

  it('two writers (serve and import) extend one chain instead of forking it', () => {
    const a = new BatchStore(db, 10);
    const other = openDatabase(config.store.path);
    const b = new BatchStore(other, 10);
    const w1 = new IngestWriter({ write: (x) => void a.write(x) }, { batchRows: 1, batchMillis: 1000, keepRejectedPerReason: 10 });
    const w2 = new IngestWriter({ write: (x) => void b.write(x) }, { batchRows: 1, batchMillis: 1000, keepRejectedPerReason: 10 });
    const p1 = createPipeline(config, db, w1).pipeline;
    const p2 = createPipeline(config, other, w2).pipeline;
    for (let n = 1; n <= 6; n++) (n % 2 ? p1 : p2).message(cfg(n, `interface ${n}`), false, '192.0.2.7', 'tcp');
    // Both hand over what they still gather (traffic counters) before a database closes, as serve and import do.
    w1.flush();
    w2.flush();
    other.close();
    expect(verifyChain(db)).toMatchObject({ ok: true, checked: 6 });
  });
});

describe('counters, traffic and kept rejects', () => {
  it('counts unrecognised traffic per device and program, keeps malformed inputs, bounded per reason', () => {
    const store = new BatchStore(db, 2);
    const writer = new IngestWriter({ write: (b) => void store.write(b) }, { batchRows: 1000, batchMillis: 1000, keepRejectedPerReason: 2 });
    const { pipeline } = createPipeline(config, db, writer);
    for (let i = 0; i < 5; i++) pipeline.message('<13>Nov 21 22:10:01 h1 cron[1]: job', false, '192.0.2.7', 'udp');
    for (let i = 0; i < 4; i++) pipeline.message(`<999>bad ${i}`, false, '192.0.2.8', 'udp');
    writer.flush();
    expect(db.prepare('SELECT device, program, messages, recognised FROM traffic ORDER BY device').all()).toEqual([
      { device: '192.0.2.8', program: '-', messages: 4, recognised: 0 },
      { device: 'h1', program: 'cron', messages: 5, recognised: 0 },
    ]);
    expect(db.prepare("SELECT value FROM counters WHERE name = 'malformed.bad-pri'").get()).toEqual({ value: 4 });
    const kept = db.prepare("SELECT raw FROM rejects WHERE reason = 'bad-pri' ORDER BY id").all() as Array<{ raw: Buffer }>;
    expect(kept.map((r) => r.raw.toString())).toEqual(['<999>bad 2', '<999>bad 3']);
  });

  it('spoofed program names fold into (other) after 200 per device and hour', () => {
    const store = new BatchStore(db, 0);
    const writer = new IngestWriter({ write: (b) => void store.write(b) }, { batchRows: 100_000, batchMillis: 1000, keepRejectedPerReason: 0 });
    const { pipeline } = createPipeline(config, db, writer);
    for (let i = 0; i < 500; i++) pipeline.message(`<13>Nov 21 22:10:01 h1 prog${i}: x`, false, '192.0.2.7', 'udp');
    writer.flush();
    expect(db.prepare("SELECT count(*) AS n FROM traffic WHERE device = 'h1'").get()).toEqual({ n: 201 });
    expect(db.prepare("SELECT messages FROM traffic WHERE program = '(other)'").get()).toEqual({ messages: 300 });
  });
});

describe('migration 006: records carry their messages', () => {
  it('moves each message into the records that came from it; ids, hashes and the chain are unchanged', () => {
    const path = join(dir, 'v5.db');
    const old = new Database(path);
    for (const m of migrations.slice(0, 5)) old.exec(m);
    old.pragma('user_version = 5');
    const raw = (n: number): string => cfg(n, `interface Gi1/0/${n}`);
    const insertMessage = old.prepare(
      `INSERT INTO messages (received_at, time, time_text, time_quality, source, transport, device, platform, raw)
       VALUES (?, ?, '*Nov 21 22:10:01.123 UTC', 'exact', '192.0.2.7', 'tcp', 'r1', ?, ?)`,
    );
    const insertEvent = old.prepare(
      `INSERT INTO events (message_id, kind, action, time, device, platform, command, prev_hash, hash)
       VALUES (?, 'command', 'command', ?, 'r1', 'cisco-ios', ?, ?, ?)`,
    );
    let head: Buffer = GENESIS;
    for (let n = 1; n <= 3; n++) {
      const id = Number(insertMessage.run(1000 + n, n, 'cisco-ios', raw(n)).lastInsertRowid);
      const fields = {
        kind: 'command', action: 'command', time: n, device: 'r1', platform: 'cisco-ios', actor: null, actor_address: null,
        target: null, privilege: null, role: null, grp: null, path: null, technique: null, command: `interface Gi1/0/${n}`,
        session: null, container: null, raw: raw(n),
      };
      const hash = eventHash(head, fields);
      insertEvent.run(id, n, fields.command, head, hash);
      head = hash;
    }
    // A message kept because every message was kept, with no record: it stays.
    insertMessage.run(2000, 4, null, '<13>Nov 21 22:10:01 h1 app: chatter');
    old.close();

    const migrated = openDatabase(path);
    try {
      expect(migrated.pragma('user_version', { simple: true })).toBe(migrations.length);
      expect(migrated.prepare('SELECT id, raw, received_at, transport, source FROM events ORDER BY id').all()).toEqual(
        [1, 2, 3].map((n) => ({ id: n, raw: raw(n), received_at: 1000 + n, transport: 'tcp', source: '192.0.2.7' })),
      );
      expect(migrated.prepare('SELECT raw FROM messages').all()).toEqual([{ raw: '<13>Nov 21 22:10:01 h1 app: chatter' }]);
      expect(verifyChain(migrated)).toMatchObject({ ok: true, checked: 3, head: head.toString('hex') });
      // Migrating again changes nothing.
      migrate(migrated);
      expect(verifyChain(migrated)).toMatchObject({ ok: true, checked: 3 });
    } finally {
      migrated.close();
    }
  });
});
