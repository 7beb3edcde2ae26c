// Is the collector working? Five checks over what the listeners and threads last reported: each
// listener bound, the store thread writing (or idle), the threads alive and answering, the store's
// backlog under its bound, the store writable (not full, no I/O error). A pure function of that state and the time, so it is tested with any
// state and clock; `/healthz` answers it, and the systemd watchdog is fed only while the checks
// that a restart could cure pass.

import type { StoreThreadState } from '../store/writer-thread.js';

export interface ListenerState {
  /** `syslog udp`, `syslog tcp`, `web`… */
  name: string;
  /** A syslog listener's transport (`received.<transport>` counts what it receives). */
  transport?: string;
  address: string;
  port: number;
  listening: boolean;
}

/** A worker thread as its owner last saw it: alive, and when an unanswered ping was sent. */
export interface ThreadState {
  running: boolean;
  pingSentAt: number | undefined;
}

export interface HealthInput {
  listeners: ListenerState[];
  store: StoreThreadState;
  reconcile: ThreadState | undefined;
  backlogLimit: number;
  /** Where the store is, and its filesystem's free space (store-failure.ts whereStored), asked only when it matters. */
  storePath?: () => string;
}

export interface CheckResult {
  ok: boolean;
  detail: string;
}

export type CheckName = 'listening' | 'store' | 'threads' | 'backlog' | 'writable';

export interface HealthReport {
  ok: boolean;
  checks: Record<CheckName, CheckResult>;
}

/**
 * The store thread answers a ping after the batches before it; this long without an answer and it
 * is taken as hung (a batch of 500 records takes milliseconds; a busy SQLite lock gives up in 5 s).
 */
export const STORE_STALL_MS = 30_000;
/** The reconciliation thread answers between runs, and a full run over a large store takes seconds to minutes. */
export const RECONCILE_STALL_MS = 10 * 60_000;

/**
 * Checks a restart can cure, which feed the systemd watchdog. A backlog at its bound means the
 * store is slower than what arrives: restarting would lose what waits in memory and in the
 * kernel's buffers and make the store no faster, so it fails /healthz but not the watchdog. A
 * store that cannot be written (disk full) is no better after a restart either, and the batches
 * kept for it would be lost.
 */
export const LIVENESS_CHECKS: readonly CheckName[] = ['listening', 'store', 'threads'];

const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`;

function listening(listeners: ListenerState[]): CheckResult {
  const down = listeners.filter((l) => !l.listening);
  const where = (l: ListenerState): string => `${l.name} on ${l.address.includes(':') ? `[${l.address}]` : l.address}:${l.port}`;
  if (down.length) return { ok: false, detail: `not listening: ${down.map(where).join(', ')}` };
  return { ok: true, detail: listeners.length ? listeners.map(where).join(', ') : 'no listeners configured' };
}

function store(s: StoreThreadState, now: number): CheckResult {
  if (!s.running) return { ok: false, detail: 'the store thread has ended' };
  // A full disk or an I/O error is no better after a restart (see LIVENESS_CHECKS); a lock
  // another process holds is reported as the failed write it is.
  if (s.held && !/^SQLITE_(BUSY|LOCKED)/.test(s.held.failure.code ?? '')) return { ok: true, detail: 'running; writes held, retrying (see writable)' };
  if (s.pingSentAt !== undefined && now - s.pingSentAt > STORE_STALL_MS) {
    return { ok: false, detail: `the store thread has not answered for ${seconds(now - s.pingSentAt)} (${s.backlog} batches waiting)` };
  }
  if (s.lastWrite && !s.lastWrite.ok) return { ok: false, detail: `the last write failed: ${s.lastWrite.error ?? 'unknown error'}` };
  if (!s.lastWrite) return { ok: true, detail: 'ready, nothing written yet' };
  return { ok: true, detail: `last write committed ${seconds(now - s.lastWrite.at)} ago` };
}

function threads(s: StoreThreadState, reconcile: ThreadState | undefined, now: number): CheckResult {
  const problems: string[] = [];
  if (!s.running) problems.push('store thread ended');
  if (reconcile && !reconcile.running) problems.push('reconciliation thread ended');
  else if (reconcile?.pingSentAt !== undefined && now - reconcile.pingSentAt > RECONCILE_STALL_MS) {
    problems.push(`reconciliation thread silent for ${seconds(now - reconcile.pingSentAt)}`);
  }
  if (problems.length) return { ok: false, detail: problems.join('; ') };
  return { ok: true, detail: reconcile ? 'store and reconciliation threads running' : 'store thread running' };
}

function backlog(s: StoreThreadState, limit: number): CheckResult {
  if (s.fullOfText) return { ok: false, detail: `${s.backlog} batches wait for the store, their text at its bound: new records are being dropped` };
  if (s.backlog >= limit) return { ok: false, detail: `${s.backlog} batches wait for the store (bound ${limit}): new records are being dropped` };
  return { ok: true, detail: `${s.backlog} of at most ${limit} batches waiting` };
}

function writable(s: StoreThreadState, now: number, where: string | undefined): CheckResult {
  if (!s.held) return { ok: true, detail: 'the store takes writes' };
  return {
    ok: false,
    detail: `the store cannot be written (${s.held.failure.error})${where ? ` at ${where}` : ''} for ${seconds(now - s.held.since)}: ` +
      `${s.backlog} batches kept and retried, TCP, TLS and RELP reading paused, UDP records past the backlog dropped and counted (dropped.store-unwritable)`,
  };
}

export function evaluateHealth(input: HealthInput, now: number): HealthReport {
  const checks: Record<CheckName, CheckResult> = {
    listening: listening(input.listeners),
    store: store(input.store, now),
    threads: threads(input.store, input.reconcile, now),
    backlog: backlog(input.store, input.backlogLimit),
    writable: writable(input.store, now, input.storePath?.()),
  };
  return { ok: Object.values(checks).every((c) => c.ok), checks };
}

/** Before the listeners are bound and the store is ready, every check fails: not serving yet. */
export function starting(): HealthReport {
  const check: CheckResult = { ok: false, detail: 'starting' };
  return { ok: false, checks: { listening: check, store: check, threads: check, backlog: check, writable: check } };
}

/** Whether the watchdog may be fed: every check a restart could cure passes. */
export function alive(report: HealthReport): boolean {
  return LIVENESS_CHECKS.every((c) => report.checks[c].ok);
}

/** One line for systemd's STATUS= and the log: what is wrong, or that all is well. */
export function summary(report: HealthReport): string {
  const failing = (Object.entries(report.checks) as Array<[CheckName, CheckResult]>).filter(([, c]) => !c.ok);
  return failing.length ? failing.map(([name, c]) => `${name}: ${c.detail}`).join('; ') : 'all checks pass';
}
