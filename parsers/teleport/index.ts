// Teleport audit log: users created, updated (their roles), deleted and locked, passwords changed,
// and user-management programs run inside recorded SSH sessions (`session.command`: `useradd`,
// `userdel`, `gpasswd` … typed on a node through Teleport), from the audit events' JSON (`event`,
// `code`, `time`, `user`, `cluster_name`; one event per syslog message, as the event handler plugin,
// Fluentd and Filebeat forward them).
//
// Event names and codes from Teleport's audit event reference: a code ends in `I` when the action
// took place, `W`/`E` when it was refused or failed, which change nothing. A user's roles are its
// privileges: `user.create`/`user.update` give the whole list, kept as one role text in the order
// given; a bot's own `user.update` at each certificate renewal changes none. A role's definition
// (`role.created`, `role.deleted`) changes what a role allows, not who holds it; access requests
// and SSO connectors change no account either.

import type { AaaRecord, Platform, SyslogMessage } from '../../src/types.js';
import { commandChanges } from '../lib/host-commands.js';
import { asArray, field, parseJsonObject, text, textAt, type JsonObject } from '../lib/json-fields.js';
import { accountRecord, type AccountChange, type Origin, type Who } from '../lib/record.js';
import { parseIsoLike, recordTime } from '../lib/record-time.js';

const NONE: AaaRecord[] = [];
const PLATFORM = 'teleport';
/** Teleport codes: `T` or `TLK`…, digits and letters, and the outcome letter last (`T1002I`, `TLK00I`). */
const CODE = /^T[0-9A-Z]{3,8}[IWE]$/;
/** Roles kept from one event at most: a user holds a handful; more is no real event. */
const MAX_ROLES = 32;
/** Arguments of a session command read at most (host-commands reads 64 words). */
const MAX_ARGV = 64;

const named = (target: string | undefined, c: Omit<AccountChange, 'target'>): AccountChange[] => (target ? [{ ...c, target }] : []);

/** The roles an event gives, as one text: `access, editor`. */
function rolesOf(e: JsonObject): string | undefined {
  const roles = asArray(field(e, 'roles')).slice(0, MAX_ROLES).flatMap((r) => { const t = text(r); return t ? [t] : []; });
  return roles.length ? roles.join(', ') : undefined;
}

/** The command line a session command ran: its path (else program) and arguments. */
function commandLine(e: JsonObject): string | undefined {
  const program = textAt(e, 'path') ?? textAt(e, 'program');
  if (program === undefined) return undefined;
  const args = asArray(field(e, 'argv')).slice(0, MAX_ARGV).flatMap((a) => { const t = text(a); return t ? [t] : []; });
  return [program, ...args].join(' ');
}

function changes(event: string, e: JsonObject, actor: string | undefined): AccountChange[] {
  switch (event) {
    case 'user.create':
      return named(textAt(e, 'name'), { action: 'account.create', role: rolesOf(e), technique: 'T1136.003' });
    case 'user.update': {
      // A Machine ID bot saves its own user at each certificate renewal (Teleport 17 bumps the
      // bot's generation counter: every 20 minutes in a real cluster's log), `user` the bot itself,
      // its roles as they were. Read as a change, each renewal was one more privilege grant.
      if (textAt(e, 'bot_name') !== undefined && textAt(e, 'name') === actor) return [];
      const role = rolesOf(e);
      return named(textAt(e, 'name'), role ? { action: 'privilege.change', role, technique: 'T1098.003' } : { action: 'account.modify', technique: 'T1098' });
    }
    case 'user.delete':
      return named(textAt(e, 'name'), { action: 'account.delete', technique: 'T1531' });
    // A user changing their own password: `user` is both who and whose.
    case 'user.password_change':
      return named(actor, { action: 'password.change', technique: 'T1098' });
    // A lock keeps a user out (as a suspension does) until it is removed or expires.
    case 'lock.created':
      return named(textAt(e, 'target', 'user'), { action: 'account.modify', technique: 'T1531' });
    case 'lock.deleted':
      return named(textAt(e, 'target', 'user'), { action: 'account.modify', technique: 'T1098' });
  }
  return [];
}

function recognise(msg: SyslogMessage): AaaRecord[] {
  const s = msg.message;
  // JSON objects only; the text is parsed once for every JSON platform (lib/json-fields.ts).
  if (s.charCodeAt(0) !== 123) return NONE;
  const e = parseJsonObject(s);
  const event = textAt(e, 'event');
  const code = textAt(e, 'code');
  if (!e || event === undefined || code === undefined || !CODE.test(code) || !code.endsWith('I')) return NONE;
  const actor = textAt(e, 'user');
  const time = recordTime(msg, parseIsoLike(textAt(e, 'time')));
  if (event === 'session.command') {
    // The program ran on a node, in a session of `user` logged in as `login`; only a program that
    // exited 0 changed anything.
    if (text(field(e, 'return_code')) !== '0') return NONE;
    const command = commandLine(e);
    const node = textAt(e, 'server_hostname') ?? textAt(e, 'server_id');
    if (command === undefined || node === undefined) return NONE;
    const found = commandChanges(command, textAt(e, 'login'));
    const origin: Origin = { time, device: node, platform: PLATFORM };
    // The command line is not copied onto the record: the stored event holds it, its argv array
    // read by this platform's secret form (secrets.ts), while the Linux forms that would read the
    // joined text miss `useradd -pX`.
    return found.map((c) => accountRecord(origin, { actor, path: 'cli' }, c));
  }
  const found = changes(event, e, actor);
  if (found.length === 0) return NONE;
  const cluster = textAt(e, 'cluster_name');
  const origin: Origin = { time, device: cluster ? `teleport:${cluster}` : 'teleport', platform: PLATFORM };
  const who: Who = { actor: event === 'lock.created' || event === 'lock.deleted' ? textAt(e, 'updated_by') ?? actor : actor, path: 'cloud' };
  return found.map((c) => accountRecord(origin, who, c));
}

export const teleport: Platform = {
  id: PLATFORM,
  name: 'Teleport',
  recognise,
  // Offered: JSON objects.
  offer: { texts: ['{'] },
  // `editor` manages users and roles (Teleport 6 and later); `admin` is the older preset.
  privileges: { superuser: /(?:^|,\s*)(?:editor|admin)(?:\s*,|$)/i },
};
