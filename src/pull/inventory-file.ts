// Inventory files that pull.inventory names (CSV or YAML) and other YAML files aaawatch reads
// beside its configuration (the credentials file), with every problem as file:line: key: message.

import { z } from 'zod';
import { ConfigError } from '../config/config-error.js';
import { csvFields } from '../csv-fields.js';
import { deviceListSchema, deviceRepeats, deviceSchema, logNameClashes, repeatMessage, type DeviceConfig, type PullConfig } from '../config/inventory.js';
import { readConfigFile } from '../config/read-file.js';
import { unreadableSecrets } from '../config/secret-reference.js';
import { platformFolders } from '../../parsers/folders.js';
import { unknownColumn, unknownPlatform } from '../config/similar.js';
import { keyName, YamlSource } from '../config/yaml-source.js';

/**
 * Parse YAML text and validate it, with every problem as `file:line: key: message`. `secrets`: the
 * environment its secrets by reference are read from, for a file whose secrets are all read as it
 * is loaded (the credentials file).
 */
export function parseYamlFile<T extends z.ZodType>(schema: T, text: string, file: string, o: { secrets?: NodeJS.ProcessEnv } = {}): z.infer<T> {
  const source = YamlSource.parse(text, file);
  const result = schema.safeParse(source.value());
  if (!result.success) throw new ConfigError(source.issues(schema, result.error.issues));
  // Each secret that cannot be read, by its line.
  const unreadable = o.secrets ? unreadableSecrets(source.value(), o.secrets) : [];
  if (unreadable.length > 0) throw new ConfigError(source.problems(unreadable));
  return result.data;
}

/** One CSV line's fields, trimmed; undefined when a quote is left open (csv-fields.ts). */
const trimmedFields = (line: string): string[] | undefined => csvFields(line)?.map((f) => f.trim());

/** Why a line did not read as CSV. */
const OPEN_QUOTE = 'a quote is left open, or text follows a closing one (a quote inside a quoted field is written "")';

// CSV holds the flat fields; SSH overrides need the YAML form.
const CSV_COLUMNS = ['name', 'address', 'platform', 'port', 'zone', 'groups', 'senders', 'lognames', 'credential', 'schedule', 'pull'] as const;

/**
 * A CSV inventory: a header naming columns (name, address, platform required; port, zone,
 * groups, senders and lognames separated by `;`, credential, schedule, pull), then one device per line.
 */
export function parseInventoryCsv(text: string, file: string): DeviceConfig[] {
  const lines = text.split(/\r?\n/);
  const head = trimmedFields(lines[0] ?? '');
  if (!head) throw new ConfigError([`${file}:1: ${OPEN_QUOTE}`]);
  const header = head.map((h) => h.toLowerCase());
  const problems: string[] = [];
  for (const h of header) if (!(CSV_COLUMNS as readonly string[]).includes(h)) problems.push(`${file}:1: ${unknownColumn(h, CSV_COLUMNS)}`);
  for (const required of ['name', 'address', 'platform']) if (!header.includes(required)) problems.push(`${file}:1: missing column ${required}`);
  if (problems.length) throw new ConfigError(problems);
  const known = knownPlatforms();
  const devices: DeviceConfig[] = [];
  const lineOf: number[] = [];
  lines.slice(1).forEach((line, i) => {
    if (!line.trim() || line.trimStart().startsWith('#')) return;
    const fields = trimmedFields(line);
    if (!fields) {
      problems.push(`${file}:${i + 2}: ${OPEN_QUOTE}`);
      return;
    }
    const row: Record<string, unknown> = {};
    header.forEach((h, n) => {
      const v = fields[n];
      if (v === undefined || v === '') return;
      if (h === 'port') row[h] = /^\d+$/.test(v) ? Number(v) : v;
      else if (h === 'groups' || h === 'senders') row[h] = v.split(';').map((g) => g.trim()).filter(Boolean);
      else if (h === 'lognames') row.logNames = v.split(';').map((g) => g.trim()).filter(Boolean);
      else if (h === 'pull') row[h] = v === 'true' || v === 'yes' ? true : v === 'false' || v === 'no' ? false : v;
      else row[h] = v;
    });
    const result = deviceSchema.safeParse(row);
    if (result.success && !known.includes(result.data.platform)) problems.push(`${file}:${i + 2}: platform: ${unknownPlatform(result.data.platform, known)}`);
    else if (result.success) {
      devices.push(result.data);
      lineOf.push(i + 2);
    } else for (const issue of result.error.issues) problems.push(`${file}:${i + 2}: ${keyName(issue.path)}: ${issue.message}`);
  });
  for (const c of logNameClashes(devices)) problems.push(`${file}:${lineOf[c.device]!}: lognames: ${devices[c.device]!.logNames![c.logName]} ${c.message}`);
  for (const r of deviceRepeats(devices)) problems.push(`${file}:${lineOf[r.device]!}: ${r.key}: ${repeatMessage(r, devices, (i, key) => `line ${lineOf[i]!}'s ${key}`)}`);
  if (problems.length) throw new ConfigError(problems);
  return devices;
}

/** The platform ids, from parsers/' folders: without loading every platform's parsers, as the registry does. */
const knownPlatforms = (): string[] => platformFolders().map((f) => f.name);

/** The devices of an inventory file: `.csv`, else YAML (a list of devices, or `devices:` with one). */
export function loadInventoryFile(file: string): DeviceConfig[] {
  const read = readConfigFile(file);
  if ('problem' in read) throw new ConfigError([read.problem]);
  const last = lastRead.get(file);
  if (last?.text === read.text) return [...last.devices];
  const devices = parseInventory(read.text, file);
  lastRead.set(file, { text: read.text, devices });
  return [...devices];
}

/**
 * The last inventory read from each file, with its text: a process reads the file for each part
 * that starts (serve: ingest's names, the native keys, the pulls; check twice), and parsing a
 * YAML one of 60,000 devices took seconds each time. Read again only when its text changed.
 */
const lastRead = new Map<string, { text: string; devices: DeviceConfig[] }>();

function parseInventory(text: string, file: string): DeviceConfig[] {
  if (/\.csv$/i.test(file)) return parseInventoryCsv(text, file);
  // A device given twice, each at its line: said before by name alone, with neither file nor line.
  // A platform aaawatch does not know, at its line: it was said by pull as `device sw2: unknown
  // platform junos` with no file, and not at all for a device not pulled.
  const known = knownPlatforms();
  const list = (prefix: string): z.ZodType<DeviceConfig[]> =>
    deviceListSchema.superRefine((devices, ctx) => {
      devices.forEach((d, i) => {
        if (!known.includes(d.platform)) ctx.addIssue({ code: 'custom', path: [i, 'platform'], message: unknownPlatform(d.platform, known) });
      });
      for (const r of deviceRepeats(devices)) ctx.addIssue({ code: 'custom', path: [r.device, r.key], message: repeatMessage(r, devices, (i, key) => `${prefix}[${i}].${key}`) });
    });
  return /^devices\s*:/m.test(text) ? parseYamlFile(z.object({ devices: list('devices') }).strict(), text, file).devices : parseYamlFile(list(''), text, file);
}

/** Every device: the configuration's own, then the inventory file's; a name given twice is an error. */
export function inventory(devices: readonly DeviceConfig[], pull: PullConfig): DeviceConfig[] {
  const all = [...devices, ...(pull.inventory ? loadInventoryFile(pull.inventory) : [])];
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const d of all) {
    if (seen.has(d.name.toLowerCase())) problems.push(`${pull.inventory}: device ${d.name} is defined twice: in the configuration's devices and in this file`);
    seen.add(d.name.toLowerCase());
  }
  // Each list was checked on its own (with its lines); a log name may still clash across the two.
  if (pull.inventory && !problems.length) {
    for (const c of logNameClashes(all)) {
      const where = c.device < devices.length ? 'devices' : pull.inventory;
      problems.push(`${where}: device ${all[c.device]!.name}: logNames: ${all[c.device]!.logNames![c.logName]} ${c.message}`);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return all;
}
