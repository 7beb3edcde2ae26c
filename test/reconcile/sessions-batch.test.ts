// account-created reads a step's sessions together (store.sessionsAt): each key must get exactly
// what lastLoginOf and commandsNear give it alone, over devices, actors, logins with and without an
// address, stamps that tie, busy actors past one look, keys with nothing, repeated keys, and more
// keys than one statement takes.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandsNear, lastLoginOf, sessionsAt, type ActorAt } from '../../src/reconcile/store.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { IndexMover } from '../../src/store/index-moves.js';
import { sessionKeys, sessionRows, type SessionRow } from '../support/session-rows.js';

const T = Date.UTC(2026, 10, 20, 9, 0);
const LOOKBACK = 12 * 3_600_000;
const SPAN = 60_000;
let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

/** A deterministic generator, so a failure repeats. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function store(rows: SessionRow[]): void {
  const insert = db.prepare(
    `INSERT INTO events (kind, action, time, device, platform, actor, actor_address, command, received_at, transport, prev_hash, hash)
     VALUES (?, ?, ?, ?, 'cisco-ios', ?, ?, ?, ?, 'tcp', x'00', x'00')`,
  );
  db.transaction(() => {
    for (const r of rows) insert.run(r.kind, r.action, r.time, r.device, r.actor, r.address, r.kind === 'command' ? `cmd ${r.time}` : null, r.time);
  })();
  new IndexMover(db).moveAll();
}

const alone = (k: ActorAt): { login?: number; commands: number[] } => {
  const login = lastLoginOf(db, k.device, k.actor, k.time - LOOKBACK, k.time);
  return { ...(login ? { login: login.id } : {}), commands: commandsNear(db, k.device, k.actor, k.time, SPAN, 3).map((r) => r.id) };
};

describe('sessionsAt', () => {
  it('gives every key what lastLoginOf and commandsNear give it alone, records whole', () => {
    const r = rng(14);
    const devices = ['core-sw1', 'core-sw2', 'edge-r1', 'edge-r2'];
    const actors = ['jdoe', 'asmith', 'svc-auto'];
    const rows = sessionRows(r, T, devices, actors);
    store(rows);
    const keys: ActorAt[] = sessionKeys(r, T, devices, actors);
    const together = sessionsAt(db, keys, LOOKBACK, SPAN, 3);
    expect(together.map((s) => ({ ...(s.login ? { login: s.login.id } : {}), commands: s.commands.map((c) => c.id) }))).toEqual(keys.map(alone));
    // Not a test of nothing: most keys found a login and commands, and the busy actor its six.
    expect(together.filter((s) => s.login).length).toBeGreaterThan(150);
    expect(together.filter((s) => s.commands.length === 6).length).toBeGreaterThan(150);
    expect(together[300]!.commands).toHaveLength(6);
    // The records themselves, not only their ids.
    keys.forEach((k, i) => {
      expect(together[i]!.login).toEqual(lastLoginOf(db, k.device, k.actor, k.time - LOOKBACK, k.time));
      expect(together[i]!.commands).toEqual(commandsNear(db, k.device, k.actor, k.time, SPAN, 3));
    });
  });

  it('reads the commands the actor table has not taken yet from events: its move behind the device table\'s', () => {
    const r = rng(23);
    const devices = ['core-sw1', 'edge-r1'];
    const actors = ['jdoe', 'asmith', 'svc-auto'];
    store(sessionRows(r, T, devices, actors));
    // As if the actor table's last move stopped halfway (store.ts ACTOR_COMMAND reads what lies past it from events).
    const half = Math.floor((db.prepare('SELECT max(id) FROM events').pluck().get() as number) / 2);
    db.prepare('DELETE FROM events_by_actor WHERE id > ?').run(half);
    db.prepare(`UPDATE index_moves SET moved = ?, upto = ?, key = '' WHERE name = 'actor'`).run(half, half);
    const keys = sessionKeys(r, T, devices, actors);
    const together = sessionsAt(db, keys, LOOKBACK, SPAN, 3);
    expect(together.map((s) => ({ ...(s.login ? { login: s.login.id } : {}), commands: s.commands.map((c) => c.id) }))).toEqual(keys.map(alone));
    expect(together.flatMap((s) => s.commands).filter((c) => c.id > half).length).toBeGreaterThan(50);
  });

  it('gives nothing for no keys', () => {
    expect(sessionsAt(db, [], LOOKBACK, SPAN, 3)).toEqual([]);
  });
});
