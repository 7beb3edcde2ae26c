// Palo Alto Networks PAN-OS CONFIG logs (CSV): every configuration operation with its
// administrator, client and result; the ones on administrator accounts (`mgt-config users`) and
// on the local user database are account changes.
//
// Field order from the PAN-OS "Config Log Fields" syslog reference:
//   FUTURE_USE, Receive Time, Serial Number, Type (CONFIG), Subtype, FUTURE_USE, Generated Time,
//   Host, Virtual System, Command, Admin, Client, Result, Configuration Path, [Before Change
//   Detail, After Change Detail,] Sequence Number, Action Flags, DG Hierarchy 1-4, Virtual System
//   Name, Device Name, …, High Resolution Timestamp
// The change details are present only when the log format includes them; the device name's
// position follows from where the `0x…` action flags are. Client is `Web`, `CLI` or the XML API.
//
// A configuration operation yields a command record (`set config mgt-config users  bob` as the
// command) when it succeeded; `Failed` and `Unauthorized` operations changed nothing and yield
// nothing. An operation on `mgt-config users NAME` or `local-user-database user NAME` also yields
// an account record: `set`/`edit`/`add` set the account (role from the after-change detail's
// `role-based { … }` when logged), `delete` of the entry removes it, of a part of it modifies it.
// An administrator's `preferences` (the web UI's saved log queries and display settings, which
// every administrator saves under their own entry: `set config mgt-config users bob preferences
// saved-log-query traffic …`) give the account no right and no way in: a command record only.
//
// SYSTEM logs say who logged in to the management interface (`general` subtype, as the corpus's
// line has it): `User bob logged in via Web from 10.1.1.1 using https`, a session record.

import type { AaaRecord, ChangePath, Offer, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { splitCsv } from '../lib/csv.js';
import { accountRecord, address, commandRecord, origin, sessionRecord, type AccountChange } from '../lib/record.js';
import { rfc3339 } from '../lib/stamp.js';

const PLATFORM = 'paloalto-panos';
const NONE: AaaRecord[] = [];

const F = { receiveTime: 1, type: 3, host: 7, command: 9, admin: 10, client: 11, result: 12, path: 13 } as const;

// Offered: CSV lines, a digit then a comma.
export const offer: Offer = { texts: [...'0123456789'].map((d) => `${d},`) };

export function recognise(msg: SyslogMessage, _ctx: RecogniseContext): AaaRecord[] {
  const t = msg.message;
  // `1,2021/10/25 20:25:39,serial,CONFIG,…`: a digit, a comma, the receive time.
  const c = t.charCodeAt(0);
  if (c < 48 || c > 57 || t.charCodeAt(1) !== 44) return NONE;
  const typeAt = t.indexOf(',CONFIG,');
  if (typeAt < 0 || typeAt > 64) {
    const systemAt = t.indexOf(',SYSTEM,');
    return systemAt > 0 && systemAt <= 64 && t.includes(' logged in via ') ? systemLogin(msg, t) : NONE;
  }
  const f = splitCsv(t);
  if (f[F.type] !== 'CONFIG' || f.length < 14) return NONE;
  if (f[F.result] !== 'Succeeded' && f[F.result] !== 'Submitted') return NONE;
  const verb = f[F.command] ?? '';
  const path = (f[F.path] ?? '').trim().replace(/\s+/g, ' ');
  // Device name: two fields after the DG hierarchy, which follows the `0x…` action flags.
  const flags = f[15]?.startsWith('0x') ? 15 : f[17]?.startsWith('0x') ? 17 : -1;
  const device = flags > 0 ? f[flags + 6] : undefined;
  const o = origin(msg, PLATFORM, { time: highResolutionTime(f), device: device || undefined });
  const who = { actor: f[F.admin], actorAddress: f[F.host] || undefined, path: clientPath(f[F.client] ?? '') };
  const command = path ? `${verb} ${path}` : verb;
  const records: AaaRecord[] = [commandRecord(o, who, command)];
  const change = accountChange(verb, path.split(' '), f.slice(F.path + 1).join(','));
  if (change) records.push(accountRecord(o, who, change, command));
  return records;
}

/** SYSTEM field positions (PAN-OS "System Log Fields"): Event ID, Module, Severity, Description. */
const S = { type: 3, description: 14 } as const;
const LOGIN = /^User (\S{1,256}) logged in via (\S+(?: API)?) from (\S{1,64})(?: using \S+)?$/;

function systemLogin(msg: SyslogMessage, t: string): AaaRecord[] {
  const f = splitCsv(t);
  if (f[S.type] !== 'SYSTEM') return NONE;
  const m = LOGIN.exec(f[S.description] ?? '');
  if (!m) return NONE;
  const flags = f[S.description + 2]?.startsWith('0x') ? S.description + 2 : -1;
  const device = flags > 0 ? f[flags + 6] : undefined;
  const o = origin(msg, PLATFORM, { time: highResolutionTime(f), device: device || undefined });
  return [sessionRecord(o, { actor: m[1], actorAddress: address(m[3]), path: clientPath(m[2]!) }, 'login')];
}

function clientPath(client: string): ChangePath | undefined {
  const c = client.toLowerCase();
  if (c === 'web') return 'gui';
  if (c === 'cli') return 'cli';
  return c.includes('xml') || c.includes('api') ? 'rest' : undefined;
}

function highResolutionTime(f: readonly string[]): number | undefined {
  for (let i = f.length - 1; i > F.path; i--) {
    const t = rfc3339(f[i]);
    if (t !== undefined) return t;
  }
  return undefined;
}

/** `config mgt-config users bob …` / `config shared local-user-database user alice …`. */
function accountChange(verb: string, words: string[], details: string): AccountChange | undefined {
  let at = words.indexOf('mgt-config');
  if (at >= 0 && words[at + 1] === 'users') at += 2;
  else {
    at = words.indexOf('local-user-database');
    if (at < 0 || words[at + 1] !== 'user') return undefined;
    at += 2;
  }
  const target = words[at];
  if (!target || words[at + 1] === 'preferences') return undefined;
  const deeper = words.length > at + 1;
  if (verb === 'delete') {
    return deeper ? { action: 'account.modify', target, technique: 'T1098' } : { action: 'account.delete', target, technique: 'T1531' };
  }
  if (verb !== 'set' && verb !== 'edit' && verb !== 'add') return undefined;
  // The after-change detail comes after the before-change one: its role is the last mentioned.
  let role: string | undefined;
  for (const m of details.matchAll(/role-based\s*\{\s*(?:custom\s*\{\s*profile\s+([^;\s}]+)|([\w-]+))/g)) role = m[1] ?? m[2];
  return { action: 'account.set', target, role, technique: 'T1136.001' };
}
