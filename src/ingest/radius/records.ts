// A RADIUS Accounting-Request as aaawatch's normalised records, and as the text kept for it as raw
// evidence. Start, Interim-Update and Stop of one session (one `Acct-Session-Id` on one device)
// are stitched: the Stop carries what the Start said when it repeats none of it, and a session
// first heard of in an Interim-Update is recorded as started `Acct-Session-Time` before it.
// Commands (Juniper, Arista, Aruba, HP, Foundry command attributes, Cisco-AVPair `cmd=`) become command
// records, and account records when they change a local account. Network access (802.1X, MAB,
// VPN, wireless clients) is answered and never recorded: it says nothing about who administers a
// device, and its users are not device accounts. Pure, apart from the session table it is handed.

import { randomInt } from 'node:crypto';
import { accountedCommand, tacacsCommand, type Cli } from '../../../parsers/lib/account-command.js';
import { accountRecord, address, commandRecord, sessionRecord, type Origin, type Who } from '../../../parsers/lib/record.js';
import { COMWARE5_LEVEL } from '../../../parsers/lib/comware-level.js';
import { isoTime } from '../../../parsers/lib/record-time.js';
import type { AaaRecord } from '../../types.js';
import { textAt } from '../native/render.js';
import { ACCT_STATUS, VENDOR } from './dictionary.js';
import { LiveOrder } from './live-order.js';
import type { Attribute, RadiusPacket } from './packet.js';
import { ipv4, ipv6, renderRequest } from './render.js';

export const PLATFORM = 'radius';

/** Service-Type values of network access (Framed-User, Call-Check), and of device administration (Login, Administrative, NAS-Prompt). */
const NETWORK_ACCESS: ReadonlySet<number> = new Set([2, 10]);
const ADMINISTRATION: ReadonlySet<number> = new Set([1, 6, 7]);
/** NAS-Port-Type values of network access ports: Ethernet, Wireless-Other, Wireless-802.11. */
const ACCESS_PORTS: ReadonlySet<number> = new Set([15, 18, 19]);

/** What an Accounting-Request says, by meaning rather than by attribute. */
export interface AccountingFacts {
  status: number | undefined;
  serviceType: number | undefined;
  user: string | undefined;
  session: string | undefined;
  callingStation: string | undefined;
  /** NAS-Identifier (when not empty), and NAS-IP-Address, else NAS-IPv6-Address: the NAS it is for (native/device.ts). */
  nasIdentifier: string | undefined;
  nasAddress: string | undefined;
  privilege: string | undefined;
  commands: string[];
  eventTimestamp: number | undefined;
  delaySeconds: number | undefined;
  sessionSeconds: number | undefined;
  /** Attributes only network access carries: a framed address or tunnel (VLAN) assignment, or an access port type. */
  accessHints: boolean;
}

/**
 * A string attribute's value. Trailing NULs are not part of it: RFC 2865 §5 says text is not
 * NUL-terminated, yet some NASes terminate it (Cisco-AVPair `cmd=exit <cr>` and its NUL, as
 * Radiator's createavpairs hook strips), and a user `admin\0` or a level `15\0` matched no account.
 */
function text(b: Buffer, start: number, end: number): string {
  while (end > start && b[end - 1] === 0) end--;
  return textAt(b, start, end);
}

const integer = (b: Buffer, a: Attribute): number | undefined => (a.end - a.start === 4 ? b.readUInt32BE(a.start) : undefined);

/** `shell:priv-lvl=15`, `priv-lvl=15`, `shell:roles="network-admin"`, `cmd=…`: Cisco-AVPair is `protocol:attribute=value` or `attribute=value` (`*` for optional). */
function avPair(s: string): { name: string; value: string } | undefined {
  // A NAS sends the same pairs again and again (`shell:priv-lvl=15` in every request): the last
  // one read is remembered (read-only for callers), so its expression, match and strings are not
  // made again.
  if (s === lastPair.text) return lastPair.pair;
  const m = /^(?:[\w-]{1,32}:)?([\w-]{1,64})[=*]([\s\S]*)$/.exec(s);
  const pair = m ? { name: m[1]!.toLowerCase(), value: m[2]! } : undefined;
  // Kept only when short: a long value would hold its text for as long.
  if (s.length <= 256) {
    lastPair.text = s;
    lastPair.pair = pair;
  }
  return pair;
}
const lastPair: { text: string; pair: { name: string; value: string } | undefined } = { text: '', pair: undefined };

/**
 * The pair at `b[start, end)`: the last one read when its octets are that pair's text, in ASCII,
 * compared where they lie; else read from its text. The text of the pair every request repeats
 * was a string made (a call into C++) only to be compared.
 */
function avPairAt(b: Buffer, start: number, end: number): { name: string; value: string } | undefined {
  while (end > start && b[end - 1] === 0) end--;
  const last = lastPair.text;
  if (end - start === last.length) {
    let i = 0;
    for (; i < last.length; i++) {
      const c = b[start + i]!;
      // Non-ASCII octets are text by their encoding (`text`), not one character each: read.
      if (c >= 0x80 || c !== last.charCodeAt(i)) break;
    }
    if (i === last.length && i > 0) return lastPair.pair;
  }
  return avPair(text(b, start, end));
}

export function accountingFacts(p: RadiusPacket): AccountingFacts {
  const b = p.bytes;
  const f: AccountingFacts = {
    status: undefined, serviceType: undefined, user: undefined, session: undefined, callingStation: undefined, nasIdentifier: undefined, nasAddress: undefined,
    privilege: undefined, commands: [], eventTimestamp: undefined, delaySeconds: undefined, sessionSeconds: undefined, accessHints: false,
  };
  let nasIdentifier: string | undefined;
  let nasAddress: string | undefined;
  let level: string | undefined;
  let role: string | undefined;
  /** A role named only when nothing better is (Fortinet-Group-Name, PaloAlto-Panorama-Admin-Role). */
  let group: string | undefined;
  for (const a of p.attributes) {
    const { start, end } = a;
    if (a.vendor === undefined) {
      switch (a.type) {
        case 1: f.user ??= text(b, start, end); break;
        case 4: if (end - start === 4) nasAddress ??= ipv4(b, start); break;
        case 6: f.serviceType ??= integer(b, a); break;
        case 8: case 64: case 81: case 168: f.accessHints = true; break;
        case 61: if (ACCESS_PORTS.has(integer(b, a) ?? -1)) f.accessHints = true; break;
        case 31: f.callingStation ??= text(b, start, end); break;
        case 32: nasIdentifier ??= text(b, start, end); break;
        case 40: f.status ??= integer(b, a); break;
        case 41: f.delaySeconds ??= integer(b, a); break;
        case 44: f.session ??= text(b, start, end); break;
        case 46: f.sessionSeconds ??= integer(b, a); break;
        case 55: f.eventTimestamp ??= integer(b, a); break;
        case 95: if (end - start === 16) nasAddress ??= ipv6(b, start); break;
        default: break;
      }
      continue;
    }
    const t = a.vendorType;
    switch (a.vendor) {
      case VENDOR.Cisco:
      case VENDOR.Arista: {
        // Cisco-AVPair and Arista-AVPair: the same `shell:priv-lvl=15`, `shell:roles="…"`, `cmd=…` pairs.
        if (t !== 1) {
          if (a.vendor !== VENDOR.Arista) break;
          if (t === 5) f.commands.push(text(b, start, end));
          else if (t === 2) level ??= integer(b, a)?.toString();
          else if (t === 3) role ??= text(b, start, end);
          break;
        }
        const pair = avPairAt(b, start, end);
        if (!pair) break;
        if (pair.name === 'priv-lvl') level ??= pair.value;
        else if (pair.name === 'roles') role ??= pair.value.replace(/^"|"$/g, '');
        else if (pair.name === 'cmd' && pair.value.trim() !== '') f.commands.push(pair.value);
        break;
      }
      case VENDOR.Juniper:
        if (t === 8 || t === 9) f.commands.push(text(b, start, end));
        else if (t === 1) role ??= text(b, start, end);
        break;
      case VENDOR.HP:
        if (t === 2) f.commands.push(text(b, start, end));
        else if (t === 1) level ??= integer(b, a)?.toString();
        else if (t === 25) role ??= text(b, start, end);
        break;
      case VENDOR.Aruba:
        if (t === 46) f.commands.push(text(b, start, end));
        else if (t === 4) role ??= text(b, start, end);
        break;
      case VENDOR.Fortinet:
        // The access profile is the admin's rights; the group only names whom they were granted to.
        if (t === 6) role ??= text(b, start, end);
        else if (t === 1) group ??= text(b, start, end);
        break;
      case VENDOR.Huawei:
        // VRP's levels are 0–15 already.
        if (t === 29) level ??= integer(b, a)?.toString();
        break;
      case VENDOR.H3C:
        if (t === 29) {
          const n = integer(b, a);
          level ??= n === undefined ? undefined : (COMWARE5_LEVEL[String(n)] ?? String(n));
        } else if (t === 155) role ??= text(b, start, end);
        break;
      case VENDOR.Mikrotik:
        // The RouterOS group the login was given (`full`, `write`, `read`, or one of its own).
        if (t === 3) role ??= text(b, start, end);
        break;
      case VENDOR.Foundry:
        // Its level is not read: FastIron's 0 is the most privileged, 5 the least.
        if (t === 2) f.commands.push(text(b, start, end));
        break;
      case VENDOR.PaloAlto:
        // The firewall's admin role, else Panorama's.
        if (t === 1) role ??= text(b, start, end);
        else if (t === 3) group ??= text(b, start, end);
        break;
      default:
        break;
    }
  }
  f.nasIdentifier = nasIdentifier || undefined;
  f.nasAddress = nasAddress;
  f.privilege = level ?? role ?? group;
  return f;
}

/** What a session's Start said, for the Interim-Updates and the Stop that repeat none of it. */
interface SessionState {
  actor: string | undefined;
  actorAddress: string | undefined;
  privilege: string | undefined;
}

/** An open session as the table keeps it: what its Start said, and where it is filed. */
export interface OpenSession extends SessionState {
  readonly device: string;
  readonly session: string;
  /** Still in the table: false once forgotten or set again (its place in the order is then skipped). */
  live: boolean;
  /** Its session id's key (`sessionKey`), and the next session of its device under the same key. */
  readonly key: number;
  next: OpenSession | undefined;
  /** When its id was first set on its device (renewals keep it): the order a restart ends sessions in. */
  readonly since: number;
}

/**
 * A session id as a 30-bit FNV-1a hash of its characters from `basis`: the table's key. A small
 * integer is found in a large Map without reading the keys it is compared with, where a string key
 * read each candidate's string in its chain, one cache miss a candidate in a table of up to 100,000
 * (ids under one key are chained and told apart by the id itself). The basis is drawn for each
 * table, so ids made to share a key under one (a chain to walk at every request) share none under
 * another.
 */
export function sessionKey(session: string, basis: number): number {
  let h = basis;
  for (let i = 0; i < session.length; i++) h = Math.imul(h ^ session.charCodeAt(i), 0x01000193);
  return h >>> 2;
}

/**
 * Open sessions by device and `Acct-Session-Id`, bounded: past `max` the oldest are forgotten (a
 * Stop then carries only what it says itself). Filed by device, then by session id, so no key is
 * joined from the two: the table holds up to 100,000 sessions that Starts keep renewing, and a
 * joined key was three strings per session (a concatenation and its flattened copy), besides a
 * wrapper per entry, for every scavenge to copy and every major collection to mark; now a session
 * is one object and the strings the request already had.
 */
export class SessionTable {
  private readonly byDevice = new Map<string, Map<number, OpenSession>>();
  /** Sessions in the order they were last set. */
  private readonly order = new LiveOrder<OpenSession>();
  private count = 0;
  private sets = 0;

  /** `basis`: of the keys' hash (`sessionKey`); a table's own, drawn at random, unless a test needs ids to collide. */
  constructor(
    private readonly max: number,
    private readonly basis = randomInt(2 ** 32),
  ) {
    if (!exercised) {
      exercised = true;
      exercise();
    }
  }

  get size(): number {
    return this.count;
  }

  get(device: string, session: string): SessionState | undefined {
    for (let e = this.byDevice.get(device)?.get(sessionKey(session, this.basis)); e; e = e.next) if (e.session === session) return e;
    return undefined;
  }

  /** The session as its latest request left it, now the most recent. */
  set(device: string, session: string, s: SessionState): void {
    let sessions = this.byDevice.get(device);
    if (!sessions) {
      sessions = new Map();
      this.byDevice.set(device, sessions);
    }
    const key = sessionKey(session, this.basis);
    const first = sessions.get(key);
    let before = first;
    while (before && before.session !== session) before = before.next;
    if (before) {
      before.live = false;
      this.unlink(sessions, before, first!);
    } else this.count++;
    const open: OpenSession = {
      actor: s.actor, actorAddress: s.actorAddress, privilege: s.privilege, device, session, live: true, key, next: sessions.get(key), since: before ? before.since : this.sets++,
    };
    sessions.set(key, open);
    this.order.push(open, this.count);
    while (this.count > this.max) this.forget(this.order.oldest()!);
  }

  delete(device: string, session: string): void {
    const sessions = this.byDevice.get(device);
    for (let e = sessions?.get(sessionKey(session, this.basis)); e; e = e.next) {
      if (e.session === session) {
        this.forget(e);
        return;
      }
    }
  }

  /** A device restarted (Accounting-On/Off): its sessions are over. Returns them, in the order their ids were first set. */
  forgetDevice(device: string): OpenSession[] {
    const sessions = this.byDevice.get(device);
    if (!sessions) return [];
    const ended: OpenSession[] = [];
    for (const first of sessions.values()) for (let e: OpenSession | undefined = first; e; e = e.next) ended.push(e);
    ended.sort((a, b) => a.since - b.since);
    for (const open of ended) open.live = false;
    this.count -= ended.length;
    this.byDevice.delete(device);
    return ended;
  }

  private forget(open: OpenSession): void {
    open.live = false;
    this.count--;
    const sessions = this.byDevice.get(open.device)!;
    this.unlink(sessions, open, sessions.get(open.key)!);
    if (sessions.size === 0) this.byDevice.delete(open.device);
  }

  /** `open` out of its key's chain, which starts at `first`. */
  private unlink(sessions: Map<number, OpenSession>, open: OpenSession, first: OpenSession): void {
    if (first === open) {
      if (open.next) sessions.set(open.key, open.next);
      else sessions.delete(open.key);
    } else {
      let p = first;
      while (p.next !== open) p = p.next!;
      p.next = open.next;
    }
    open.next = undefined;
  }
}

let exercised = false;
/** FNV-1a's offset basis, under which the exercise's pairs of ids share a key. */
export const FNV_BASIS = 0x811c9dc5;

/**
 * Every path of the table, run once before the first table is used, on a small table of its own:
 * as for the duplicate cache (duplicates.ts `exercise`), the table's first overflow (100,000
 * sessions in) otherwise deoptimised `readAccounting`, which inlines `set`. 400 requests: sessions
 * set, renewed, forgotten as the oldest, deleted, a device forgotten, ids under one key (the two of
 * each pair share theirs under FNV's own basis) found, renewed and forgotten at either end of their chain; the arrival
 * order compacted.
 */
function exercise(): void {
  const table = new SessionTable(4, FNV_BASIS);
  const state: SessionState = { actor: 'a', actorAddress: undefined, privilege: undefined };
  // Strings made at run time, as a request's are (see the duplicate cache's `exercise`).
  const text = (s: string): string => Buffer.from(s).toString('latin1');
  const devices = ['d0', 'd1'].map(text);
  const sessions = ['s13818', 's136662', 's13866', 's136678', 's4', 's5'].map(text);
  for (let i = 0; i < 400; i++) {
    const device = devices[i & 1]!;
    // Renewed more often than new, so forgotten places pile up and the order is compacted.
    const session = sessions[i % 97 < 90 ? (i >> 1) & 3 : i % 6]!;
    table.get(device, session);
    table.set(device, session, state);
    if (i % 11 === 0) table.delete(device, sessions[(i >> 1) % 6]!);
    if (i % 37 === 0) table.forgetDevice(device);
  }
}

/** Network access rather than device administration: said by Service-Type, or shown by what only access carries. */
export function isNetworkAccess(f: AccountingFacts): boolean {
  if (f.serviceType !== undefined && NETWORK_ACCESS.has(f.serviceType)) return true;
  return f.accessHints && (f.serviceType === undefined || !ADMINISTRATION.has(f.serviceType));
}

export interface RadiusContext {
  device: string;
  cli: Cli;
  receivedAt: number;
}

export interface RadiusReading {
  records: AaaRecord[];
  raw: string;
  time: number;
  timeText: string | undefined;
}

/** The records of a request whose facts (`accountingFacts`) the receiver already read to name its device. */
export function readAccounting(p: RadiusPacket, f: AccountingFacts, ctx: RadiusContext, sessions: SessionTable): RadiusReading {
  // The event happened Acct-Delay-Time seconds before it arrived (RFC 2866 §5.2), unless it says when.
  const stamp = f.eventTimestamp !== undefined && f.eventTimestamp > 0 ? f.eventTimestamp * 1000 : undefined;
  const time = stamp ?? ctx.receivedAt - Math.min(f.delaySeconds ?? 0, 86_400 * 7) * 1000;
  const reading: RadiusReading = { records: [], raw: renderRequest(p), time, timeText: stamp === undefined ? undefined : `Event-Timestamp=${f.eventTimestamp}` };
  if (f.status === ACCT_STATUS.AccountingOn || f.status === ACCT_STATUS.AccountingOff) {
    // The NAS restarted (or is going down): every session open on it ended (RFC 2866 §5.1), as
    // FreeRADIUS's accounting-on query closes them. Each admin session the table knows ends here,
    // with what its Start said; after it, a session id the NAS counts again from 1 is a new one.
    const o: Origin = { time: isoTime(time), device: ctx.device, platform: PLATFORM };
    for (const open of sessions.forgetDevice(ctx.device)) {
      const who: Who = { actor: open.actor, actorAddress: open.actorAddress, path: 'radius' };
      reading.records.push(sessionRecord(o, who, 'session.stop', { privilege: open.privilege, session: open.session }));
    }
    return reading;
  }
  if (isNetworkAccess(f)) return reading;
  const said: SessionState = { actor: f.user || undefined, actorAddress: address(f.callingStation), privilege: f.privilege };
  // A Start that says who, from where and at which level takes nothing from its session's earlier
  // requests, so the table is not asked: a lookup that misses in a table of up to 100,000 sessions
  // (facts and records of bench:aaa's Starts in a tight loop, a full table: ~0.2-0.3 µs of ~6).
  const whole = f.status === ACCT_STATUS.Start && said.actor !== undefined && said.actorAddress !== undefined && said.privilege !== undefined;
  const known = f.session === undefined || whole ? undefined : sessions.get(ctx.device, f.session);
  const state: SessionState = whole ? said : {
    actor: said.actor ?? known?.actor,
    actorAddress: said.actorAddress ?? known?.actorAddress,
    privilege: said.privilege ?? known?.privilege,
  };
  const o: Origin = { time: isoTime(time), device: ctx.device, platform: PLATFORM };
  const who: Who = { actor: state.actor, actorAddress: state.actorAddress, path: 'radius' };
  if (f.commands.length > 0) {
    // Read as TACACS+ accounting's `cmd=` is (one interpreter for a command whichever protocol
    // carries it): NX-OS's modes and outcome, Junos's change log; a command that did not run is not recorded.
    for (const c of f.commands) {
      const said = tacacsCommand(c, 'stop', ctx.cli);
      if (said?.kind === 'command') {
        reading.records.push(commandRecord(o, who, said.command, state.privilege));
        if (said.change) reading.records.push(accountRecord(o, who, said.change, said.changed));
      } else if (said !== undefined || c.trim() === 'login') {
        // Junos's `login` and `logout` mark a session in TACACS+ only: here they are commands typed.
        reading.records.push(commandRecord(o, who, accountedCommand(c), state.privilege));
      }
    }
    return reading;
  }
  const extra = { privilege: state.privilege, session: f.session };
  if (f.status === ACCT_STATUS.Start) {
    reading.records.push(sessionRecord(o, who, 'session.start', extra));
    if (f.session !== undefined) sessions.set(ctx.device, f.session, state);
  } else if (f.status === ACCT_STATUS.InterimUpdate) {
    if (f.session !== undefined && !known) {
      const started = time - Math.min(f.sessionSeconds ?? 0, 86_400 * 365) * 1000;
      reading.records.push(sessionRecord({ ...o, time: isoTime(started) }, who, 'session.start', extra));
    }
    if (f.session !== undefined) sessions.set(ctx.device, f.session, state);
  } else if (f.status === ACCT_STATUS.Stop) {
    reading.records.push(sessionRecord(o, who, 'session.stop', extra));
    if (f.session !== undefined) sessions.delete(ctx.device, f.session);
  } else if (f.status === ACCT_STATUS.Failed) {
    // A session that did not start (RFC 2866 §5.1): for device administration, a login refused.
    reading.records.push(sessionRecord(o, who, 'login.failed', extra));
  }
  return reading;
}
