// The authorised roster: which accounts may exist where, at which privilege, of which type, owned
// and approved by whom, from when until when; who may create accounts (administrators), whose
// changes are expected (automation), when changes may happen (change windows), and which
// accounts must exist (break-glass). YAML holds all of it; CSV files hold account entries. Every
// problem names the file, the line and the field, as the configuration loader does.

import { z } from 'zod';
import { platformById, platforms } from '../../parsers/index.js';
import { ConfigError } from '../config/config-error.js';
import { readConfigFile } from '../config/read-file.js';
import { unknownColumn } from '../config/similar.js';
import { keyName, YamlSource } from '../config/yaml-source.js';
import { isKnownZone } from '../ingest/time.js';
import type { Scope } from './scope.js';

const accountTypes = ['human', 'service', 'shared', 'break-glass', 'vendor'] as const;
export type AccountType = (typeof accountTypes)[number];

export interface RosterEntry {
  name: string;
  scope: Scope;
  /** The highest privilege or role allowed, as written: `15`, `network-admin`, `super-user`. */
  privilege: string;
  /** Further roles allowed as they are (custom classes, profiles), whatever their rank. */
  roles: string[];
  type: AccountType;
  owner?: string;
  department?: string;
  /** Approval reference (ticket, request id). */
  approval?: string;
  approver?: string;
  /** Epoch ms: valid from the start of this day (UTC) or this instant. */
  start?: number;
  /** Epoch ms: valid until the end of this day (UTC) or this instant. */
  expires?: number;
  /** Its absence from a device in scope raises `missing-account`. */
  mustExist: boolean;
  /** `file:line` where it is written, cited in findings. */
  ref: string;
}

/** An administrator who may create accounts, or an automation account whose changes are expected. */
export interface RosterActor {
  name: string;
  scope: Scope;
  ref: string;
}

export type ChangeWindow =
  | { kind: 'weekly'; name: string; ticket?: string; scope: Scope; ref: string; days: number[]; from: number; to: number; zone: string }
  | { kind: 'once'; name: string; ticket: string; scope: Scope; ref: string; start: number; end: number };

export interface Roster {
  entries: RosterEntry[];
  administrators: RosterActor[];
  automation: RosterActor[];
  windows: ChangeWindow[];
  /** The files it was read from. */
  files: string[];
}

// --- Schema --------------------------------------------------------------------------------------

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Midnight UTC of a day that exists; undefined for one Date.UTC would roll over (2027-02-30 is 2 March). */
function dayStart(year: string, month: string, day: string): number | undefined {
  const t = Date.UTC(Number(year), Number(month) - 1, Number(day));
  const back = new Date(t);
  return back.getUTCFullYear() === Number(year) && back.getUTCMonth() === Number(month) - 1 && back.getUTCDate() === Number(day) ? t : undefined;
}

/**
 * A day (`2026-12-31`) or an instant with its zone; `end` makes a day mean its last millisecond. A
 * day that does not exist is refused in both forms: Date.parse reads `2027-02-30T10:00Z` as 2 March.
 */
export function parseWhen(v: string, end: boolean): number | undefined {
  const d = DAY.exec(v);
  if (d) {
    const t = dayStart(d[1]!, d[2]!, d[3]!);
    return t === undefined ? undefined : end ? t + 86_399_999 : t;
  }
  const i = INSTANT.exec(v);
  if (!i || dayStart(i[1]!, i[2]!, i[3]!) === undefined) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

const when = (end: boolean) =>
  z.string().transform((v, ctx) => {
    const t = parseWhen(v.trim(), end);
    if (t === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be a date (2026-12-31) or a time with its zone (2026-12-31T18:00:00Z)' });
      return z.NEVER;
    }
    return t;
  });

const list = z
  .union([z.string().min(1), z.array(z.string().min(1))])
  .transform((v) => (typeof v === 'string' ? [v] : v));

const platformName = z.string().refine((p) => platformById(p) !== undefined, {
  message: `unknown platform (known: ${platforms.map((p) => p.id).join(', ')})`,
});

const scopeFields = {
  devices: list.optional(),
  groups: list.optional(),
  platforms: z.union([platformName, z.array(platformName)]).transform((v) => (typeof v === 'string' ? [v] : v)).optional(),
};

const name = z.string().min(1).max(256).refine((v) => v.trim() === v && !/[\s\u0000-\u001f]/.test(v), 'must be an account name without spaces or control characters');

const entrySchema = z
  .object({
    name,
    ...scopeFields,
    privilege: z
      .union([z.number().int().min(0).max(15), z.string().min(1).max(64)], { error: 'required: the highest privilege allowed, a level 0-15 or a role (network-admin, super-user, …)' })
      .transform(String),
    roles: list.default([]),
    type: z.enum(accountTypes),
    owner: z.string().min(1).optional(),
    department: z.string().min(1).optional(),
    approval: z.string().min(1).optional(),
    approver: z.string().min(1).optional(),
    start: when(false).optional(),
    expires: when(true).optional(),
    mustExist: z.boolean().optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (!e.devices && !e.groups && !e.platforms) {
      ctx.addIssue({ code: 'custom', path: ['devices'], message: 'say where the account is allowed: devices, groups or platforms ("*" for every device)' });
    }
    if (e.start !== undefined && e.expires !== undefined && e.expires < e.start) {
      ctx.addIssue({ code: 'custom', path: ['expires'], message: 'is before start' });
    }
  });

const actorSchema = z.union([
  name,
  z.object({ name, ...scopeFields }).strict(),
]);

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const clock = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day, like "22:00"')
  .transform((v) => Number(v.slice(0, 2)) * 60 + Number(v.slice(3)));

const windowSchema = z
  .object({
    name: z.string().min(1),
    ticket: z.string().min(1).optional(),
    ...scopeFields,
    days: z.array(z.enum(DAYS)).min(1).optional(),
    from: clock.optional(),
    to: clock.optional(),
    zone: z.string().refine(isKnownZone, 'must be an IANA time zone, like Europe/Berlin or UTC').optional(),
    start: when(false).optional(),
    end: when(true).optional(),
  })
  .strict()
  .superRefine((w, ctx) => {
    if (w.days) {
      for (const k of ['start', 'end'] as const) if (w[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], message: 'a recurring window (days) has from/to, not start/end' });
      if (w.from === undefined) ctx.addIssue({ code: 'custom', path: ['from'], message: 'required for a recurring window' });
      if (w.to === undefined) ctx.addIssue({ code: 'custom', path: ['to'], message: 'required for a recurring window' });
      if (w.from !== undefined && w.from === w.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'equals from' });
      return;
    }
    for (const k of ['from', 'to', 'zone'] as const) if (w[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], message: 'only for a recurring window (give days)' });
    if (w.start === undefined) ctx.addIssue({ code: 'custom', path: ['start'], message: 'required for a one-off window (or give days for a recurring one)' });
    if (w.end === undefined) ctx.addIssue({ code: 'custom', path: ['end'], message: 'required for a one-off window' });
    if (w.ticket === undefined) ctx.addIssue({ code: 'custom', path: ['ticket'], message: 'required for a one-off window: the change ticket that approved it' });
    if (w.start !== undefined && w.end !== undefined && w.end <= w.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'is not after start' });
  });

const rosterSchema = z
  .object({
    accounts: z.array(entrySchema).default([]),
    administrators: z.array(actorSchema).default([]),
    automation: z.array(actorSchema).default([]),
    changeWindows: z.array(windowSchema).default([]),
  })
  .strict();

type EntryInput = z.infer<typeof entrySchema>;
type ActorInput = z.infer<typeof actorSchema>;
type WindowInput = z.infer<typeof windowSchema>;

function scopeOf(s: { devices?: string[] | undefined; groups?: string[] | undefined; platforms?: string[] | undefined }): Scope {
  return { devices: s.devices ?? [], groups: s.groups ?? [], platforms: s.platforms ?? [] };
}

function entryFrom(e: EntryInput, ref: string): RosterEntry {
  return {
    name: e.name, scope: scopeOf(e), privilege: e.privilege, roles: e.roles, type: e.type,
    owner: e.owner, department: e.department, approval: e.approval, approver: e.approver, start: e.start, expires: e.expires,
    // Break-glass accounts exist to be there when everything else fails: absent is a finding unless said otherwise.
    mustExist: e.mustExist ?? e.type === 'break-glass',
    ref,
  };
}

function actorFrom(a: ActorInput, ref: string): RosterActor {
  return typeof a === 'string' ? { name: a, scope: scopeOf({}), ref } : { name: a.name, scope: scopeOf(a), ref };
}

function windowFrom(w: WindowInput, ref: string): ChangeWindow {
  const scope = scopeOf(w);
  if (w.days) {
    return {
      kind: 'weekly', name: w.name, ...(w.ticket ? { ticket: w.ticket } : {}), scope, ref,
      days: w.days.map((d) => DAYS.indexOf(d)), from: w.from!, to: w.to!, zone: w.zone ?? 'UTC',
    };
  }
  return { kind: 'once', name: w.name, ticket: w.ticket!, scope, ref, start: w.start!, end: w.end! };
}

// --- YAML ----------------------------------------------------------------------------------------

/** A YAML roster; `file` names it in messages and references. */
export function parseRosterYaml(text: string, file: string): Roster {
  const source = YamlSource.parse(text, file);
  const result = rosterSchema.safeParse(source.value());
  if (!result.success) throw new ConfigError(source.issues(rosterSchema, result.error.issues));
  const ref = (path: PropertyKey[]): string => `${file}:${source.lineOf(path) ?? 0}`;
  const r = result.data;
  return {
    entries: r.accounts.map((e, i) => entryFrom(e, ref(['accounts', i]))),
    administrators: r.administrators.map((a, i) => actorFrom(a, ref(['administrators', i]))),
    automation: r.automation.map((a, i) => actorFrom(a, ref(['automation', i]))),
    windows: r.changeWindows.map((w, i) => windowFrom(w, ref(['changeWindows', i]))),
    files: [file],
  };
}

// --- CSV -----------------------------------------------------------------------------------------

/** RFC 4180 records with the line each starts on (a quoted field may span lines). */
export function csvRecords(text: string): Array<{ line: number; fields: string[] }> {
  const out: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let any = false;
  const endRecord = (): void => {
    fields.push(field);
    if (any || fields.length > 1 || field !== '') out.push({ line: start, fields });
    fields = [];
    field = '';
    any = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      quoted = true;
      any = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      any = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else field += ch;
  }
  if (field !== '' || fields.length || any) endRecord();
  return out;
}

const CSV_COLUMNS = ['name', 'devices', 'groups', 'platforms', 'privilege', 'roles', 'type', 'owner', 'department', 'approval', 'approver', 'start', 'expires', 'mustexist'] as const;
const LIST_COLUMNS = new Set(['devices', 'groups', 'platforms', 'roles']);

/**
 * A CSV roster of account entries: a header naming columns (name, privilege and type required;
 * devices, groups, platforms and roles are `;`-separated lists; mustExist is true/false), then one
 * entry per record. Lines starting with `#` are comments.
 */
export function parseRosterCsv(text: string, file: string): Roster {
  const records = csvRecords(text.replace(/^\ufeff/, '')).filter((r) => !(r.fields.length === 1 && r.fields[0]!.trim().startsWith('#')));
  const header = (records.shift()?.fields ?? []).map((h) => h.trim().toLowerCase());
  const problems: string[] = [];
  header.forEach((h) => {
    if (!(CSV_COLUMNS as readonly string[]).includes(h)) problems.push(`${file}:1: ${unknownColumn(h, CSV_COLUMNS)}`);
  });
  for (const required of ['name', 'privilege', 'type']) if (!header.includes(required)) problems.push(`${file}:1: missing column ${required}`);
  if (problems.length) throw new ConfigError(problems);
  const entries: RosterEntry[] = [];
  for (const { line, fields } of records) {
    if (fields.every((f) => f.trim() === '')) continue;
    if (fields[0]!.trimStart().startsWith('#')) continue;
    if (fields.length > header.length) {
      problems.push(`${file}:${line}: ${fields.length} fields, the header has ${header.length}`);
      continue;
    }
    const row: Record<string, unknown> = {};
    header.forEach((h, n) => {
      const v = fields[n]?.trim();
      if (v === undefined || v === '') return;
      const key = h === 'mustexist' ? 'mustExist' : h;
      if (LIST_COLUMNS.has(h)) row[key] = v.split(';').map((x) => x.trim()).filter(Boolean);
      else if (h === 'mustexist') row[key] = /^(true|yes|1)$/i.test(v) ? true : /^(false|no|0)$/i.test(v) ? false : v;
      else if (h === 'privilege' && /^\d+$/.test(v)) row[key] = Number(v);
      else row[key] = v;
    });
    const result = entrySchema.safeParse(row);
    if (result.success) entries.push(entryFrom(result.data, `${file}:${line}`));
    else for (const issue of result.error.issues) problems.push(`${file}:${line}: ${keyName(issue.path)}: ${issue.message}`);
  }
  if (problems.length) throw new ConfigError(problems);
  return { entries, administrators: [], automation: [], windows: [], files: [file] };
}

// --- Files ---------------------------------------------------------------------------------------

function emptyRoster(): Roster {
  return { entries: [], administrators: [], automation: [], windows: [], files: [] };
}

function mergeRosters(rosters: readonly Roster[]): Roster {
  const out = emptyRoster();
  for (const r of rosters) {
    out.entries.push(...r.entries);
    out.administrators.push(...r.administrators);
    out.automation.push(...r.automation);
    out.windows.push(...r.windows);
    out.files.push(...r.files);
  }
  return out;
}

/**
 * Characters of a wildcard or pattern (`svc-*`, `^svc`, `admin[0-9]`, `a|b`): roster names are
 * literal — an entry matches the account of exactly that name (in any case on Windows and Entra
 * ID) — so such a name silently matches nothing on a device that does not hold that very string.
 * Not `$` (a Windows computer account, a Samba machine account end in it) nor `\` (DOMAIN\user).
 */
const PATTERN_CHARACTERS = /[*?[\]^|]/g;

/**
 * Warnings for roster names that look like patterns (PATTERN_CHARACTERS), each naming its file,
 * line and key: accounts, administrators and automation, as `aaawatch check` prints them. Not
 * errors: a device may hold an account of that very name.
 */
export function patternNameWarnings(roster: Roster): string[] {
  const out: string[] = [];
  const seen = new Map<string, number>();
  const keyOf = (section: string, ref: string): string => {
    // YAML names the entry by its place in its file's list; a CSV roster by its column.
    const file = ref.slice(0, ref.lastIndexOf(':'));
    if (/\.csv$/i.test(file)) return 'name';
    const at = `${file}\u0000${section}`;
    const i = seen.get(at) ?? 0;
    seen.set(at, i + 1);
    return section === 'accounts' ? `accounts[${i}].name` : `${section}[${i}]`;
  };
  const check = (section: string, name: string, ref: string): void => {
    const key = keyOf(section, ref);
    const found = [...new Set(name.match(PATTERN_CHARACTERS) ?? [])];
    if (found.length) {
      out.push(`${ref}: ${key}: ${JSON.stringify(name)} holds ${found.join(' ')}: roster names are literal (no wildcards or patterns), so it matches only an account named exactly that`);
    }
  };
  for (const e of roster.entries) check('accounts', e.name, e.ref);
  for (const a of roster.administrators) check('administrators', a.name, a.ref);
  for (const a of roster.automation) check('automation', a.name, a.ref);
  return out;
}

/** The roster files a configuration names, read and merged (`.csv` as CSV, anything else as YAML). */
export function loadRoster(files: string | readonly string[]): Roster {
  const problems: string[] = [];
  const rosters: Roster[] = [];
  for (const file of typeof files === 'string' ? [files] : files) {
    const read = readConfigFile(file, 'the roster');
    if ('problem' in read) {
      problems.push(read.problem);
      continue;
    }
    try {
      rosters.push(/\.csv$/i.test(file) ? parseRosterCsv(read.text, file) : parseRosterYaml(read.text, file));
    } catch (err) {
      if (err instanceof ConfigError) problems.push(...err.problems);
      else throw err;
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return mergeRosters(rosters);
}
