// The health checks as a function of what listeners and threads last reported, and the time:
// which states fail which check, and which failures stop the systemd watchdog.

import { describe, expect, it } from 'vitest';
import { alive, evaluateHealth, RECONCILE_STALL_MS, starting, STORE_STALL_MS, summary, type HealthInput } from '../../src/observe/health.js';

const NOW = 1_800_000_000_000;
const healthy = (): HealthInput => ({
  listeners: [
    { name: 'syslog udp', transport: 'udp', address: '::', port: 514, listening: true },
    { name: 'web', address: '127.0.0.1', port: 8080, listening: true },
  ],
  store: { running: true, backlog: 0, lastWrite: { at: NOW - 2000, ok: true }, pingSentAt: undefined },
  reconcile: { running: true, pingSentAt: undefined },
  backlogLimit: 64,
});

describe('health checks', () => {
  it('pass when everything listens, the store writes, the threads answer and little waits', () => {
    const r = evaluateHealth(healthy(), NOW);
    expect(r.ok).toBe(true);
    expect(alive(r)).toBe(true);
    expect(r.checks.listening.detail).toBe('syslog udp on [::]:514, web on 127.0.0.1:8080');
    expect(summary(r)).toBe('all checks pass');
  });

  it('before serve has started what they watch, every check fails as starting, and nothing feeds the watchdog', () => {
    const r = starting();
    expect(r.ok).toBe(false);
    expect(alive(r)).toBe(false);
    expect(summary(r)).toBe('listening: starting; store: starting; threads: starting; backlog: starting; writable: starting');
  });

  it('a store that cannot be written (disk full) fails `writable` with the path, but not the watchdog: a restart would lose what is kept', () => {
    const input = healthy();
    input.store = { ...input.store, backlog: 5, lastWrite: { at: NOW - 1000, ok: false, error: 'database or disk is full' }, held: { since: NOW - 42_000, failure: { error: 'database or disk is full', code: 'SQLITE_FULL' } } };
    input.storePath = () => '/var/lib/aaawatch/aaawatch.db (0 B free of 20 GiB; the filesystem is full)';
    const r = evaluateHealth(input, NOW);
    expect(r.ok).toBe(false);
    expect(r.checks.writable).toEqual({
      ok: false,
      detail: 'the store cannot be written (database or disk is full) at /var/lib/aaawatch/aaawatch.db (0 B free of 20 GiB; the filesystem is full) for 42 s: ' +
        '5 batches kept and retried, TCP, TLS and RELP reading paused, UDP records past the backlog dropped and counted (dropped.store-unwritable)',
    });
    expect(r.checks.store.ok).toBe(true);
    expect(alive(r)).toBe(true);
    // A lock another process holds is the failed write it always was.
    input.store.held = { since: NOW - 1000, failure: { error: 'database is locked', code: 'SQLITE_BUSY' } };
    input.store.lastWrite = { at: NOW - 1000, ok: false, error: 'database is locked' };
    expect(evaluateHealth(input, NOW).checks.store).toEqual({ ok: false, detail: 'the last write failed: database is locked' });
  });

  it('a store that has not written yet is ready, not failing', () => {
    const input = healthy();
    input.store.lastWrite = undefined;
    expect(evaluateHealth(input, NOW).checks.store).toEqual({ ok: true, detail: 'ready, nothing written yet' });
  });

  it('a listener that stopped fails `listening` and the watchdog', () => {
    const input = healthy();
    input.listeners[0]!.listening = false;
    const r = evaluateHealth(input, NOW);
    expect(r.checks.listening).toEqual({ ok: false, detail: 'not listening: syslog udp on [::]:514' });
    expect(alive(r)).toBe(false);
  });

  it('a store thread that does not answer within the stall limit is hung; just under it is not', () => {
    const input = healthy();
    input.store.pingSentAt = NOW - STORE_STALL_MS;
    expect(evaluateHealth(input, NOW).checks.store.ok).toBe(true);
    input.store.pingSentAt = NOW - STORE_STALL_MS - 1;
    input.store.backlog = 5;
    const r = evaluateHealth(input, NOW);
    expect(r.checks.store).toEqual({ ok: false, detail: 'the store thread has not answered for 30 s (5 batches waiting)' });
    expect(alive(r)).toBe(false);
    expect(summary(r)).toBe('store: the store thread has not answered for 30 s (5 batches waiting)');
  });

  it('a failed write fails the store until a later one commits', () => {
    const input = healthy();
    input.store.lastWrite = { at: NOW, ok: false, error: 'database is locked' };
    expect(evaluateHealth(input, NOW).checks.store).toEqual({ ok: false, detail: 'the last write failed: database is locked' });
    input.store.lastWrite = { at: NOW + 1000, ok: true };
    expect(evaluateHealth(input, NOW + 1000).checks.store.ok).toBe(true);
  });

  it('an ended thread fails `threads` (and the store), a busy reconciliation only after its longer limit', () => {
    const input = healthy();
    input.reconcile = { running: false, pingSentAt: undefined };
    expect(evaluateHealth(input, NOW).checks.threads).toEqual({ ok: false, detail: 'reconciliation thread ended' });
    input.reconcile = { running: true, pingSentAt: NOW - STORE_STALL_MS * 2 };
    expect(evaluateHealth(input, NOW).checks.threads.ok).toBe(true);
    input.reconcile.pingSentAt = NOW - RECONCILE_STALL_MS - 1;
    expect(evaluateHealth(input, NOW).checks.threads.ok).toBe(false);
    input.store.running = false;
    const r = evaluateHealth(input, NOW);
    expect(r.checks.store.ok).toBe(false);
    expect(r.checks.threads.detail).toMatch(/^store thread ended; reconciliation thread silent for \d+ s$/);
  });

  it('a backlog at its bound fails /healthz but not the watchdog: a restart would not make the store faster', () => {
    const input = healthy();
    input.store.backlog = 64;
    const r = evaluateHealth(input, NOW);
    expect(r.ok).toBe(false);
    expect(r.checks.backlog.detail).toBe('64 batches wait for the store (bound 64): new records are being dropped');
    expect(alive(r)).toBe(true);
  });

  it('fails /healthz when fewer batches wait but their text is at its bound', () => {
    const input = healthy();
    input.store.backlog = 20;
    expect(evaluateHealth(input, NOW).checks.backlog.ok).toBe(true);
    input.store.fullOfText = true;
    const r = evaluateHealth(input, NOW);
    expect(r.ok).toBe(false);
    expect(r.checks.backlog.detail).toBe('20 batches wait for the store, their text at its bound: new records are being dropped');
  });
});
