// Why a pull failed, in words an engineer can act on. Messages never carry a secret: they are
// built from fixed text, counts and device error lines, and scrubbed of credentials before they
// are logged or stored.

import type { HostKey } from './hostkeys.js';

export type PullFailure =
  | 'connect' // TCP refused or unreachable, or the handshake did not finish in time
  | 'algorithms' // no key exchange / cipher / host key algorithm in common
  | 'auth' // every authentication method was refused
  | 'host-key-changed' // the device presented a different key than the one pinned
  | 'enable' // enable refused, or a secret was asked for and none is configured
  | 'timeout' // a command got no answer within its timeout
  | 'command' // the device said a command failed
  | 'incomplete' // the configuration ended before its end marker
  | 'too-large' // more output, or a longer line, than the configured bounds
  | 'closed' // the device closed the session
  | 'config'; // aaawatch's own setup for this device is wrong (no credential, unknown platform)

// Retrying these would repeat the same answer, or lock an account out.
const FINAL: ReadonlySet<PullFailure> = new Set(['algorithms', 'auth', 'host-key-changed', 'enable', 'command', 'too-large', 'config']);

export class PullError extends Error {
  constructor(
    readonly failure: PullFailure,
    message: string,
  ) {
    super(message);
    this.name = 'PullError';
  }

  get retryable(): boolean {
    return !FINAL.has(this.failure);
  }
}

/** The device presented a key other than the trusted one: the pull stops before logging in. */
export class HostKeyChanged extends PullError {
  constructor(
    readonly presented: HostKey,
    readonly expected: string[],
  ) {
    super('host-key-changed', `host key changed: the device presented ${presented.type} ${presented.fingerprint}, expected ${expected.join(' or ')}`);
  }
}

/** A PullError for anything thrown below the session layer (ssh2, sockets). */
export function asPullError(err: unknown): PullError {
  if (err instanceof PullError) return err;
  const e = err as { message?: unknown; code?: unknown; level?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (/no matching|handshake failed/i.test(message)) {
    return new PullError('algorithms', `${message.slice(0, 200)} (the device may need legacy algorithms: set ssh.legacy or ssh.algorithms for it)`);
  }
  if (e?.level === 'client-authentication' || /authentication methods failed/i.test(message)) {
    return new PullError('auth', 'authentication failed (every method offered was refused)');
  }
  if (/timed out while waiting for handshake/i.test(message)) return new PullError('connect', 'no SSH handshake within the connect timeout');
  if (code) return new PullError('connect', `cannot connect: ${code}`);
  return new PullError('closed', message.slice(0, 200));
}
