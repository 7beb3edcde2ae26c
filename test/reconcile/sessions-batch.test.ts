// account-created reads a step's sessions together (store.sessionsAt): each key must get exactly
// what lastLoginOf and commandsNear give it alone, over devices, actors, logins with and without an
// address, stamps that tie, busy actors past one look, keys with nothing, repeated keys, and more
// keys than one statement takes.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandsNear, lastLoginOf, sessionsAt, type ActorAt } from '../../src/reconcile/store.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { IndexMover } from '../../src/store/index-moves.js';

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

function store(rows: Array<{ kind: 'session' | 'command'; action: string; time: number; device: string; actor: string; address: string | null }>): void {
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
    const rows: Parameters<typeof store>[0] = [];
    for (let i = 0; i < 3000; i++) {
      const device = devices[Math.floor(r() * devices.length)]!;
      const actor = actors[Math.floor(r() * actors.length)]!;
      // Seconds, so stamps often tie; some logins carry no address (lastLoginOf passes them over).
      const time = T + Math.floor(r() * 1800) * 1000 - 900_000;
      const login = r() < 0.2;
      rows.push({ kind: login ? 'session' : 'command', action: login ? (r() < 0.5 ? 'login' : 'session.start') : 'command', time, device, actor, address: login && r() < 0.7 ? '192.0.2.7' : null });
    }
    // An automation account with more commands on one device in a minute than one look reads.
    for (let s = 0; s < 80; s++) rows.push({ kind: 'command', action: 'command', time: T + s * 500, device: 'core-sw1', actor: 'svc-bulk', address: null });
    store(rows);
    const keys: ActorAt[] = [];
    for (let i = 0; i < 300; i++) {
      keys.push({ device: devices[Math.floor(r() * devices.length)]!, actor: actors[Math.floor(r() * actors.length)]!, time: T + Math.floor(r() * 2400) * 1000 - 1_200_000 });
    }
    keys.push({ device: 'core-sw1', actor: 'svc-bulk', time: T + 20_000 }, { device: 'core-sw1', actor: 'svc-bulk', time: T + 20_000 });
    keys.push({ device: 'nowhere', actor: 'jdoe', time: T }, { device: 'core-sw1', actor: 'nobody', time: T });
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

  it('gives nothing for no keys', () => {
    expect(sessionsAt(db, [], LOOKBACK, SPAN, 3)).toEqual([]);
  });
});
