// Attribution: for an account that appeared, vanished or changed between two pulls (or was set by
// a syslog record), the records that explain it, said as one sentence with the evidence ids:
//
//   bob (privilege 15) on core-sw1 created 2026-11-20 14:02 UTC by jdoe from 10.1.2.3 over CLI,
//   recorded by device log and TACACS+ accounting, outside any change window
//
// The explaining record is an account record on the same device naming the account between the
// previous pull and this one (with a tolerance for clocks and delivery); the actor's session
// (login, TACACS+/RADIUS session start) gives the source address when the record has none; the
// path comes from the record (CLI, REST API, NETCONF/RESTCONF, GUI). When records by more than one
// actor fit, the latest is named and the others are listed: "several records fit".

import { accountChange } from '../../parsers/lib/account-command.js';
import { commandChanges } from '../../parsers/lib/host-commands.js';
import type { AccountFacts } from '../pull/account-changes.js';
import type { StoredRecord } from './model.js';
import { privilegeOf } from './privilege.js';
import type { ChangeWindow } from './roster.js';
import type { DeviceRef } from './scope.js';
import { keyOf, remembered } from './remembered.js';
import { minuteUtc, printable, spanText } from './text.js';
import { describeWindow, windowAt } from './windows.js';

export type ChangeKind = 'added' | 'removed' | 'changed';

/** An account change seen between two pulls (a row of `account_changes`). */
export interface ObservedChange {
  changeId: number;
  accountId: number;
  kind: ChangeKind;
  device: DeviceRef;
  account: string;
  before?: AccountFacts;
  after?: AccountFacts;
  /** The pull that showed the change. */
  seenAt: number;
  /** The successful pull before it; undefined for a device's first pull (the baseline). */
  previousPullAt?: number;
  /**
   * A syslog-made account no pull showed (judge.ts vanishedFinding): when its creation was logged,
   * the span's start in place of a previous pull.
   */
  loggedCreationAt?: number;
  snapshots: number[];
}

/** Records that may explain a change, gathered by the caller from the store. */
export interface Candidates {
  /** Account records on the device naming the account, in the window. */
  account: StoredRecord[];
  /** Sessions and AAA-server records of the actors of those records, around their time. */
  sessions: StoredRecord[];
  /** When no account record fits: other configuration records on the device in the window (a change without its command). */
  configuration: StoredRecord[];
}

export interface Attribution {
  /** An account record explains it. */
  explained: boolean;
  /** Records by more than one actor fit. */
  ambiguous: boolean;
  /** The explaining record: the latest that fits (one whose privilege matches, if any does). */
  record?: StoredRecord;
  at?: number;
  actor?: string;
  actorAddress?: string;
  path?: string;
  window?: ChangeWindow;
  sentence: string;
  evidence: { events: number[]; snapshots: number[] };
}

/** Account actions that can explain each kind of change. */
const FITS: Readonly<Record<ChangeKind, ReadonlySet<string>>> = {
  added: new Set(['account.create', 'account.modify', 'privilege.change', 'password.change', 'group.add_member']),
  removed: new Set(['account.delete']),
  changed: new Set(['account.create', 'account.modify', 'privilege.change', 'privilege.revoke', 'password.change', 'group.add_member', 'group.remove_member']),
};

const PATH_WORDS: Readonly<Record<string, string>> = {
  cli: 'CLI',
  rest: 'REST API',
  netconf: 'NETCONF/RESTCONF',
  gui: 'web GUI',
  tacacs: 'CLI (TACACS+ accounted)',
  radius: 'RADIUS',
  os: 'operating-system tools',
  cloud: 'cloud API',
};

/** A change path in words (`web GUI` for `gui`): the sentence's, the Accounts page's and the PDF's. */
export function pathWords(path: string | undefined): string | undefined {
  return path === undefined ? undefined : (PATH_WORDS[path] ?? printable(path));
}

/** Where a record was read from, for the sentence: the AAA server's accounting, or the device's own log. */
function sourceOf(r: StoredRecord): string {
  if (r.path === 'tacacs' || r.platform === 'tac-plus' || r.platform === 'cisco-ise') return 'TACACS+ accounting';
  if (r.path === 'radius' || r.platform === 'freeradius') return 'RADIUS accounting';
  return 'device log';
}

const SOURCE_ORDER = ['device log', 'TACACS+ accounting', 'RADIUS accounting'];

/** The distinct sources of some records, the device's own log first. */
function sourcesOf(records: readonly StoredRecord[]): string[] {
  return [...new Set(records.map(sourceOf))].sort((a, b) => SOURCE_ORDER.indexOf(a) - SOURCE_ORDER.indexOf(b));
}

const SESSION_STARTS = new Set(['login', 'session.start']);

/** Corroborating records are the same change as accounted elsewhere, within this long. */
export const SAME_CHANGE_MS = 60_000;

/** Whether a command line acts on `account`: a device CLI's (`username bob …`, `set system login user bob …`) or a host tool's (`useradd bob`). */
export function commandNames(command: string, account: string): boolean {
  // A command that does not hold the name cannot name it: most commands near a change are others, read no further.
  if (account === '' || !command.includes(account)) return false;
  return accountChange(command, 'relayed')?.target === account || commandChanges(command).some((c) => c.target === account);
}

/**
 * The command records that account for the same change as `record` elsewhere (the AAA server's
 * accounting, the device's own command log): by the same actor within SAME_CHANGE_MS, and naming
 * the account. The same person's commands about another account a few seconds apart (an ASA's
 * 111008/111010 for `username tac1 …` beside tac2's 502101) are not evidence about this one.
 */
function sameChange(sessions: readonly StoredRecord[], record: StoredRecord, account: string): StoredRecord[] {
  return sessions.filter(
    (s) =>
      s.kind === 'command' && (record.actor === undefined || s.actor === record.actor) && Math.abs(s.time - record.time) <= SAME_CHANGE_MS &&
      s.command !== undefined && commandNames(s.command, account),
  );
}

/**
 * Who made a change, and the commands that corroborate it: the record's actor and theirs; for a
 * record naming no one (an ASA's 502101 as the syslog guide prints it, without `Executed by:`;
 * FTD's), the one actor whose commands of the same change name the account (111008/111010
 * `username vendor-tac …`). Commands by two people naming it leave it unnamed, and lend it no
 * address or path: neither is known to be its maker's.
 */
function namedBy(record: StoredRecord, commands: StoredRecord[]): { actor: string | undefined; corroborating: StoredRecord[] } {
  if (record.actor !== undefined) return { actor: record.actor, corroborating: commands };
  const actors = new Set(commands.map((c) => c.actor));
  const actor = actors.size === 1 ? [...actors][0] : undefined;
  return { actor, corroborating: actor === undefined ? [] : commands };
}

/**
 * Path and address from the same change's command where the record names none: an ASA's 502101
 * says who added the user, its 111010 for the same command by whom says from which application
 * (`running 'ASDM'`) and address. The nearest in time first.
 */
function fromCommands(record: StoredRecord, commands: readonly StoredRecord[]): { path?: string; actorAddress?: string } {
  const near = [...commands].sort((a, b) => Math.abs(a.time - record.time) - Math.abs(b.time - record.time) || a.id - b.id);
  const path = record.path ?? near.find((c) => c.path !== undefined)?.path;
  const actorAddress = record.actorAddress ?? near.find((c) => c.actorAddress !== undefined)?.actorAddress;
  return { ...(path !== undefined ? { path } : {}), ...(actorAddress !== undefined ? { actorAddress } : {}) };
}

/** The actor's latest session start at or before `t` that gives an address. */
function sessionOf(sessions: readonly StoredRecord[], actor: string, t: number): StoredRecord | undefined {
  let best: StoredRecord | undefined;
  for (const s of sessions) {
    if (s.kind !== 'session' || !SESSION_STARTS.has(s.action) || s.actor !== actor || s.time > t || !s.actorAddress) continue;
    if (!best || s.time > best.time) best = s;
  }
  return best;
}

/** `privilege 15`, `role network-admin` — what an account holds, from its facts on its platform. */
function heldLabel(platform: string, facts: AccountFacts | undefined): string | undefined {
  if (!facts) return undefined;
  const level = privilegeOf(platform, facts.privilege, facts.roles);
  return level.facets.length ? level.label : undefined;
}

const labels = remembered<string | undefined>(4096);

function recordLabel(platform: string, r: StoredRecord): string | undefined {
  if (r.privilege === undefined && r.role === undefined) return undefined;
  return labels(keyOf([platform, r.privilege, r.role]), () =>
    heldLabel(platform, { ...(r.privilege !== undefined ? { privilege: r.privilege } : {}), roles: r.role ? [r.role] : [], credentials: [] }));
}

interface SentenceParts {
  account: string;
  /** `privilege 15`; shown in brackets after the account. */
  held?: string;
  device: DeviceRef;
  /** `created`, `deleted`, `changed (privilege 1 → privilege 15)`, `given privilege 15`. */
  verb: string;
  at: number;
  actor?: string;
  actorAddress?: string;
  path?: string;
  sources: string[];
  windows: readonly ChangeWindow[];
}

/** The sentence for a change whose record is known. */
function sentence(p: SentenceParts): { text: string; window: ChangeWindow | undefined } {
  const window = windowAt(p.windows, p.device, p.at);
  const parts = [`${printable(p.account)}${p.held ? ` (${p.held})` : ''} on ${printable(p.device.name)} ${p.verb} ${minuteUtc(p.at)}`];
  parts.push(p.actor ? `by ${printable(p.actor)}` : 'by an unnamed actor');
  if (p.actorAddress) parts.push(`from ${printable(p.actorAddress)}`);
  const path = pathWords(p.path);
  let text = parts.join(' ');
  if (path) text += ` over ${path}`;
  if (p.sources.length) text += `, recorded by ${p.sources.join(' and ')}`;
  text += window ? `, inside ${describeWindow(window)}` : ', outside any change window';
  return { text, window };
}

function verbFor(change: ObservedChange): string {
  if (change.kind === 'added') return 'created';
  if (change.kind === 'removed') return 'deleted';
  const before = heldLabel(change.device.platform, change.before);
  const after = heldLabel(change.device.platform, change.after);
  if (before !== after) return `changed (${before ?? 'no privilege stated'} → ${after ?? 'no privilege stated'})`;
  const creds = (f: AccountFacts | undefined): string => (f ? [...f.credentials].sort().join(', ') || 'none' : 'none');
  if (creds(change.before) !== creds(change.after)) return `changed (credentials ${creds(change.before)} → ${creds(change.after)})`;
  return 'changed';
}

function betweenPulls(change: ObservedChange): string {
  if (change.loggedCreationAt !== undefined) return `between its logged creation at ${minuteUtc(change.loggedCreationAt)} and the pull of ${minuteUtc(change.seenAt)}`;
  return change.previousPullAt === undefined
    ? `before the first pull at ${minuteUtc(change.seenAt)}`
    : `between the pulls of ${minuteUtc(change.previousPullAt)} and ${minuteUtc(change.seenAt)}`;
}

/** When a record's change happened: its device's stamp, or its receipt where the stamp was not believed (model.ts receivedAt). */
const when = (r: StoredRecord): number => r.receivedAt ?? r.time;

const byTime = (a: StoredRecord, b: StoredRecord): number => when(a) - when(b) || a.id - b.id;

/** For a record picked by its receipt: how far its device's clock was off, and which way. */
function clockNote(r: StoredRecord): string {
  if (r.receivedAt === undefined) return '';
  const off = r.time - r.receivedAt;
  return `; the device's clock disagreed by ${spanText(off)} (${off < 0 ? 'behind' : 'ahead'}: stamped ${minuteUtc(r.time)}, received ${minuteUtc(r.receivedAt)})`;
}

/** Attribute one observed change to the records that explain it. Pure: the caller gathers candidates. */
export function attributeChange(change: ObservedChange, candidates: Candidates, windows: readonly ChangeWindow[]): Attribution {
  const platform = change.device.platform;
  const fitting = candidates.account
    .filter((r) => r.kind === 'account' && r.target === change.account && r.device === change.device.name && FITS[change.kind].has(r.action))
    .sort(byTime);
  const held = heldLabel(platform, change.after ?? change.before);
  const snapshots = change.snapshots;

  if (fitting.length === 0) {
    const what = change.kind === 'added' ? 'appeared' : change.kind === 'removed' ? 'vanished' : verbFor(change);
    const config = [...candidates.configuration].sort(byTime);
    let text = `${printable(change.account)}${held ? ` (${held})` : ''} on ${printable(change.device.name)} ${what} ${betweenPulls(change)}; no record explains it`;
    if (config.length) {
      const names = [...new Set(config.map((r) => (r.actor ? printable(r.actor) : 'an unnamed actor')))];
      const last = config[config.length - 1]!;
      text += ` (the configuration was changed by ${names.join(', ')}, last at ${minuteUtc(last.time)}, without the command being logged)`;
    }
    return { explained: false, ambiguous: false, sentence: text, evidence: { events: config.map((r) => r.id), snapshots } };
  }

  // The record whose privilege matches what the pull shows, else the latest.
  const wanted = change.after?.privilege;
  const matching = wanted !== undefined ? fitting.filter((r) => r.privilege === wanted) : [];
  const record = (matching.length ? matching : fitting)[(matching.length ? matching : fitting).length - 1]!;
  const actors = new Map<string, StoredRecord>();
  for (const r of fitting) actors.set((r.actor ?? '').toLowerCase(), r);
  const ambiguous = actors.size > 1;

  // Corroborating records of the same actor (the device's log and the AAA server's accounting of the same change).
  const sameActor = fitting.filter((r) => (r.actor ?? '').toLowerCase() === (record.actor ?? '').toLowerCase());
  const { actor, corroborating } = namedBy(record, sameChange(candidates.sessions, record, change.account));
  const told = fromCommands(record, corroborating);
  const session = actor ? sessionOf(candidates.sessions, actor, record.time) : undefined;
  const actorAddress = told.actorAddress ?? session?.actorAddress;
  const sources = sourcesOf([...sameActor, ...corroborating]);

  const verb = change.kind === 'changed' ? verbFor(change) : change.kind === 'added' ? 'created' : 'deleted';
  const s = sentence({
    // A change names the before and after in its verb.
    account: change.account, held: change.kind === 'changed' ? undefined : held, device: change.device, verb, at: when(record),
    actor, actorAddress, path: told.path, sources, windows,
  });
  let text = s.text + clockNote(record);
  if (ambiguous) {
    const others = [...actors.values()].filter((r) => r !== record && (r.actor ?? '').toLowerCase() !== (record.actor ?? '').toLowerCase());
    text += `; several records fit: ${others.map((r) => `${r.actor ? printable(r.actor) : 'an unnamed actor'} at ${minuteUtc(when(r))}`).join(', ')} as well`;
  }
  const events = [...new Set([...fitting, ...corroborating, ...(session ? [session] : [])].map((r) => r.id))].sort((a, b) => a - b);
  return {
    explained: true, ambiguous, record, at: when(record), actor, actorAddress, path: told.path, window: s.window,
    sentence: text, evidence: { events, snapshots },
  };
}

/**
 * The sentence for an account record the moment it is stored (account-created): the same words,
 * with the privilege the record gives.
 */
export function attributeRecord(
  record: StoredRecord,
  device: DeviceRef,
  candidates: Pick<Candidates, 'sessions'>,
  windows: readonly ChangeWindow[],
): Attribution {
  const { actor, corroborating } = namedBy(record, record.target === undefined ? [] : sameChange(candidates.sessions, record, record.target));
  const told = fromCommands(record, corroborating);
  const session = actor ? sessionOf(candidates.sessions, actor, record.time) : undefined;
  const actorAddress = told.actorAddress ?? session?.actorAddress;
  const held = recordLabel(device.platform, record);
  const verb =
    record.action === 'account.create' ? 'created'
    : record.action === 'group.add_member' ? `added to group ${printable(record.group ?? '?')}`
    : held ? `given ${held}` : 'changed';
  const s = sentence({
    account: record.target ?? '', held: record.action === 'account.create' ? held : undefined, device, verb, at: record.time,
    actor, actorAddress, path: told.path, sources: sourcesOf([record, ...corroborating]), windows,
  });
  const events = [...new Set([record.id, ...corroborating.map((r) => r.id), ...(session ? [session.id] : [])])].sort((a, b) => a - b);
  return {
    explained: true, ambiguous: false, record, at: record.time, actor, actorAddress, path: told.path, window: s.window,
    sentence: s.text, evidence: { events, snapshots: [] },
  };
}
