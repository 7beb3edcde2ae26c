// Building normalised records from what a recogniser read. One place decides the fields every
// record shares (time, device, platform), that absent values are omitted rather than empty, that
// text from the wire is bounded, and that every command passes through secret redaction.

import type {
  AccountEvent, AccountAction, ChangePath, CommandEvent, ProvisionalAccountAction, RecordBase,
  SessionAction, SessionEvent, SyslogMessage, Technique,
} from '../../src/types.js';
import { createHash } from 'node:crypto';
import { isoTime } from './record-time.js';
import { redactSecrets } from './secrets.js';

/** Names (accounts, groups, roles) longer than this are bounded: no real device allows them. */
const NAME_MAX = 256;
/** Commands are kept whole up to this size; a longer line is cut, never dropped. */
const COMMAND_MAX = 8192;

export interface Origin {
  time: string;
  device: string;
  platform: string;
}

/** Who did something, from where, by which path; each value only when the line says it. */
export interface Who {
  actor?: string | undefined;
  actorAddress?: string | undefined;
  path?: ChangePath | undefined;
}

export interface AccountChange {
  action: AccountAction | ProvisionalAccountAction;
  target: string;
  privilege?: string | undefined;
  role?: string | undefined;
  group?: string | undefined;
  technique?: Technique | undefined;
}

/** A change and who made it, for sources that name the actor with each change (hosts, cloud). */
export interface ActorChange extends AccountChange {
  actor?: string | undefined;
}

const clip = (s: string, max: number): string => (s.length > max ? s.slice(0, max) : s);

/** What a bounded name ends with: a mark and 16 hex digits of SHA-256 over the whole name. */
const NAME_MARK = '…#';
const NAME_HASH_HEX = 16;
const MARKED = new RegExp(`${NAME_MARK}[0-9a-f]{${NAME_HASH_HEX}}$`);

/**
 * An account (or actor) name as records and pulls key it: kept whole up to NAME_MAX characters;
 * a longer one is its first characters, `…#` and 16 hex digits of SHA-256 over the whole name,
 * NAME_MAX characters in all. Cutting it bare merged two names that differ only after character
 * 256 into one account (one population row, one case, one attribution). A name of exactly
 * NAME_MAX (or one fewer) characters already ending in that mark is bounded as well, so a sender cannot spell
 * another name's bounded form and be taken for it. One function for every path (syslog, native
 * TACACS+/RADIUS, import, pulls: src/pull/digest.ts), so the same long name is one account.
 */
export function accountName(name: string): string {
  // A bounded form is NAME_MAX characters, or one fewer where a surrogate pair was not cut in two.
  if (name.length < NAME_MAX - 1 || (name.length <= NAME_MAX && !MARKED.test(name))) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, NAME_HASH_HEX);
  let head = name.slice(0, NAME_MAX - NAME_MARK.length - NAME_HASH_HEX);
  // A surrogate pair cut in two would leave half a character in the stored name.
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  return head + NAME_MARK + hash;
}

// A line that changes an account yields a command record and an account record with the same
// command, and a TACACS+ command without secrets comes back from accountedCommand as it went in:
// the gate's answer for the last command is kept, so it runs once (it is a pure function of the
// text). Measured: the gate was a third of the CPU of the lines that yield records.
let lastCommand: string | undefined;
let lastRedacted = '';

// Commands the gate found no secret in, so the same command seen again (`show running-config`
// from every poll, an administrator's habits) skips the gate: it cost 2.3 µs a command on
// bench:parse's commands, about a tenth of the reading's CPU (2026-12-03, load 15); a set lookup is
// one hash of the text. Only text the gate left as it was is kept, so the set holds no secret;
// bounded in entries and length, and emptied when full (a sender inventing commands only empties
// it); each kept as a copy, as a slice would hold its whole frame.
const CLEAN = new Set<string>();
const CLEAN_MAX = 4096;
const CLEAN_LENGTH_MAX = 512;

/** A command as records carry it: cut to size, every secret redacted. */
export function redactCommand(command: string): string {
  const c = clip(command, COMMAND_MAX);
  // The gate's own answer comes back when a command with a secret makes a command record and then
  // an account record (accountedCommand's output is commandRecord's input): the gate is idempotent
  // (test/parsers/secret-idempotent.test.ts), so that answer is its own redaction, without a second run.
  if (c === lastCommand || c === lastRedacted) return lastRedacted;
  if (CLEAN.has(c)) {
    // Kept as the last answer too: accountedCommand's result comes back from commandRecord (and
    // accountRecord) as this same string, answered then by a comparison instead of a second lookup
    // (both calls for bench:ingest's TACACS+ commands, creations and their gate runs included:
    // 0.71 → 0.68 µs a command, in-process, alternated, 2026-12-05, load 20).
    lastCommand = lastRedacted = c;
    return c;
  }
  const redacted = redactSecrets(c);
  lastCommand = c;
  lastRedacted = redacted;
  if (redacted === c && c.length <= CLEAN_LENGTH_MAX) {
    if (CLEAN.size >= CLEAN_MAX) CLEAN.clear();
    CLEAN.add((c + ' ').slice(0, -1));
  }
  return redacted;
}

/**
 * The fields every record of one message shares. `device` is the header's hostname, else the
 * device name the body carries (FortiOS `devname`, PAN-OS device name), else the sender address.
 * `time` is the header's; a body stamp is used only when the header had none (`received`).
 */
export function origin(msg: SyslogMessage, platform: string, body?: { time?: number | undefined; device?: string | undefined }): Origin {
  let t = msg.time;
  const bodyTime = body?.time;
  if (msg.timeQuality === 'received' && bodyTime !== undefined && Number.isFinite(bodyTime)) t = bodyTime;
  if (!Number.isFinite(t) || Math.abs(t) > 8.64e15) t = msg.receivedAt;
  const device = msg.hostname ?? (body?.device ? clip(body.device, NAME_MAX) : undefined) ?? msg.source ?? 'unknown';
  return { time: isoTime(t), device, platform };
}

function addWho(r: RecordBase, who: Who): void {
  if (who.actor) r.actor = accountName(who.actor);
  if (who.actorAddress) r.actorAddress = clip(who.actorAddress, NAME_MAX);
  if (who.path) r.path = who.path;
}

export function commandRecord(o: Origin, who: Who, command: string, privilege?: string): CommandEvent {
  const r: CommandEvent = { kind: 'command', time: o.time, device: o.device, platform: o.platform, action: 'command', command: '' };
  addWho(r, who);
  r.command = redactCommand(command);
  if (privilege) r.privilege = clip(privilege, NAME_MAX);
  return r;
}

export function sessionRecord(o: Origin, who: Who, action: SessionAction, extra?: { privilege?: string | undefined; session?: string | undefined }): SessionEvent {
  const r: SessionEvent = { kind: 'session', time: o.time, device: o.device, platform: o.platform, action };
  addWho(r, who);
  if (extra?.privilege) r.privilege = clip(extra.privilege, NAME_MAX);
  if (extra?.session) r.session = clip(extra.session, NAME_MAX);
  return r;
}

export function accountRecord(o: Origin, who: Who, change: AccountChange, command?: string): AccountEvent {
  const r: AccountEvent = {
    kind: 'account', time: o.time, device: o.device, platform: o.platform, action: change.action,
    target: accountName(change.target),
  };
  addWho(r, who);
  if (change.privilege) r.privilege = clip(change.privilege, NAME_MAX);
  if (change.role) r.role = clip(change.role, NAME_MAX);
  if (change.group) r.group = clip(change.group, NAME_MAX);
  if (change.technique) r.technique = change.technique;
  if (command) r.command = redactCommand(command);
  return r;
}

/** An IPv4 or IPv6 address as devices print them (no port, no brackets). */
function isIpAddress(s: string): boolean {
  return /^(?:\d{1,3}\.){3}\d{1,3}$/.test(s) || (s.includes(':') && /^[0-9A-Fa-f:.]{2,45}$/.test(s));
}

/** An IPv4 address written IPv4-mapped (`::ffff:10.9.9.9`, as a dual-stack socket reports one: ASA 111010, Windows 4624). */
const MAPPED = /^::ffff:((?:\d{1,3}\.){3}\d{1,3})$/i;

/**
 * The address when `s` is a real one; `0.0.0.0`, `::` and placeholders say nobody. An IPv4-mapped
 * address is its IPv4 address, so an attribution says "from 10.9.9.9" however the device wrote it
 * (as inventory addresses are compared: README, sender-mismatch).
 */
export function address(s: string | undefined): string | undefined {
  if (!s || s === '0.0.0.0' || s === '::') return undefined;
  if (!isIpAddress(s)) return undefined;
  return MAPPED.exec(s)?.[1] ?? s;
}
