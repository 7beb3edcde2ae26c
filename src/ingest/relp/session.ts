// One RELP session as the server sees it (librelp doc/relp.md, "COMMAND SEMANTICS"): `open` with
// its offers first, then `syslog` commands, then `close`. Pure: a frame in, what to do about it
// out; the listener does the I/O and decides when a `syslog` is answered (after its commit).

import type { RelpFrame } from './frame.js';

/** What the listener does with a frame. */
export type RelpStep =
  /** A message to store; answered `200 OK` once committed. */
  | { kind: 'syslog'; txnr: number; data: Buffer; truncatedFrom: number | undefined }
  /** The session opens: answered with the offers once the sender's earlier sessions have settled (see resends.ts). */
  | { kind: 'open'; txnr: number; text: string }
  /** Answer in turn, then end the session: `clean` when the client closed it (it holds every answer). */
  | { kind: 'end'; txnr: number; text: string; clean: boolean }
  /** A protocol violation: counted and kept, answered when it had a transaction, then the connection is closed. */
  | { kind: 'violation'; reason: RelpViolation; txnr: number | undefined; text: string };

export type RelpViolation = 'relp-bad-txnr' | 'relp-not-open' | 'relp-bad-offers' | 'relp-unsupported-command';

/** The RELP protocol versions this server speaks: librelp clients offer 0 (1.11) or 1. */
const MAX_VERSION = 1;
/** librelp wraps TXNR at 999,999,999 back to 1. */
const MAX_TXNR = 999_999_999;

export interface Offers {
  /** Offer name → its values (`commands=syslog,eventlog` → ['syslog', 'eventlog']). */
  [name: string]: string[];
}

/** An `open` command's data: offers one per line, `name[=value[,value…]]`. */
export function parseOffers(data: Buffer): Offers {
  const offers: Offers = {};
  for (const line of data.toString('latin1').split('\n')) {
    if (line === '') continue;
    const eq = line.indexOf('=');
    const name = eq < 0 ? line : line.slice(0, eq);
    offers[name] = eq < 0 ? [] : line.slice(eq + 1).split(',');
  }
  return offers;
}

export class RelpSession {
  private expected = 1;
  private open = false;

  constructor(private readonly software: string) {}

  /** The session was opened (a `syslog` now is a message). */
  get opened(): boolean {
    return this.open;
  }

  receive(f: RelpFrame): RelpStep {
    // TXNR 0 carries hints, which get no answer; a client sends none this server knows.
    if (f.txnr === 0) return { kind: 'violation', reason: 'relp-unsupported-command', txnr: undefined, text: '' };
    if (f.txnr !== this.expected) return { kind: 'violation', reason: 'relp-bad-txnr', txnr: undefined, text: '' };
    this.expected = this.expected === MAX_TXNR ? 1 : this.expected + 1;
    switch (f.command) {
      case 'open':
        return this.opening(f);
      case 'syslog':
        if (!this.open) return { kind: 'violation', reason: 'relp-not-open', txnr: f.txnr, text: '500 session not open' };
        return { kind: 'syslog', txnr: f.txnr, data: f.data, truncatedFrom: f.truncatedFrom };
      case 'close':
        return { kind: 'end', txnr: f.txnr, text: '200 OK', clean: true };
      default:
        // `starttls`, `rsp` from a client, anything newer: this server does not offer them.
        return { kind: 'violation', reason: 'relp-unsupported-command', txnr: f.txnr, text: '500 command not supported' };
    }
  }

  private opening(f: RelpFrame): RelpStep {
    if (this.open) return { kind: 'violation', reason: 'relp-not-open', txnr: f.txnr, text: '500 protocol error: connection already open' };
    const offers = parseOffers(f.data);
    const version = offers['relp_version']?.[0];
    if (version === undefined || !/^\d{1,9}$/.test(version)) {
      return { kind: 'violation', reason: 'relp-bad-offers', txnr: f.txnr, text: '500 relp_version offer missing' };
    }
    this.open = true;
    const lines = ['200 OK', `relp_version=${Math.min(Number(version), MAX_VERSION)}`, `relp_software=${this.software}`];
    // Only the optional commands both sides know are offered back (and `syslog` is the only one here).
    if (offers['commands']?.includes('syslog')) lines.push('commands=syslog');
    return { kind: 'open', txnr: f.txnr, text: lines.join('\n') };
  }
}
