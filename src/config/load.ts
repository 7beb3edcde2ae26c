// Reads the YAML configuration and validates it, naming the file, line and key of every error.

import { existsSync, readFileSync } from 'node:fs';
import { platformById, platforms } from '../../parsers/index.js';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import type { z } from 'zod';
import type { secret } from './fields.js';
import { configSchema, type Config } from './schema.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** The embedded defaults: what `npm start` runs with when no file is given. */
export function defaultConfig(): Config {
  return configSchema.parse({});
}

/** Position of the node at `path`, or of its nearest existing ancestor (for a missing key). */
function lineOf(doc: ReturnType<typeof parseDocument>, counter: LineCounter, path: PropertyKey[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as Node | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) {
      // For a missing key, point at its parent map's first line rather than the end of the file.
      return counter.linePos(node.range[0]).line;
    }
    if (n === 0 && doc.contents && (isMap(doc.contents) || isSeq(doc.contents)) && doc.contents.range) {
      return counter.linePos(doc.contents.range[0]).line;
    }
  }
  return undefined;
}

export function keyName(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : (i ? '.' : '') + String(p))).join('') || '(top level)';
}

/** Parse and validate configuration text; `file` is used in messages only. */
export function parseConfig(text: string, file: string): Config {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const line = e.linePos?.[0]?.line ?? counter.linePos(e.pos[0]).line;
        return `${file}:${line}: ${e.message.split('\n')[0]}`;
      }),
    );
  }
  const value = doc.toJS() ?? {};
  const result = configSchema.safeParse(value);
  if (result.success) {
    const problems = semanticProblems(result.data);
    if (problems.length === 0) return result.data;
    throw new ConfigError(
      problems.map(({ path, message }) => {
        const line = lineOf(doc, counter, path);
        return `${file}${line ? `:${line}` : ''}: ${keyName(path)}: ${message}`;
      }),
    );
  }
  throw new ConfigError(
    result.error.issues.map((issue) => {
      let path = issue.path;
      let message = issue.message;
      if (issue.code === 'unrecognized_keys') {
        path = [...issue.path, issue.keys[0] ?? ''];
        message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
      }
      const line = lineOf(doc, counter, path);
      return `${file}${line ? `:${line}` : ''}: ${keyName(path)}: ${message}`;
    }),
  );
}

/** Checks that need more than one key, or knowledge outside the file (platform ids, readable files). */
function semanticProblems(config: Config): Array<{ path: PropertyKey[]; message: string }> {
  const problems: Array<{ path: PropertyKey[]; message: string }> = [];
  const names = new Map<string, number>();
  config.devices.forEach((d, i) => {
    if (!platformById(d.platform)) {
      problems.push({
        path: ['devices', i, 'platform'],
        message: `unknown platform "${d.platform}" (known: ${platforms.map((p) => p.id).join(', ')})`,
      });
    }
    const lower = d.name.toLowerCase();
    const earlier = names.get(lower);
    if (earlier !== undefined) problems.push({ path: ['devices', i, 'name'], message: `duplicate of devices[${earlier}].name` });
    else names.set(lower, i);
  });
  // A device to pull needs a credential: named here, or in the credentials file (checked when read).
  config.devices.forEach((d, i) => {
    const platform = platformById(d.platform);
    if (!d.pull || !platform?.ssh || config.pull.credentialsFile) return;
    const name = d.credential ?? config.pull.defaultCredential;
    if (!(name in config.pull.credentials)) {
      problems.push({
        path: ['devices', i, d.credential ? 'credential' : 'name'],
        message: `no credential named "${name}" to pull it with: add pull.credentials.${name}, or set pull: false for a device whose logs are all you want`,
      });
    }
  });
  // Native accounting secrets name inventory devices; an inventory file is read at start, so only
  // the devices of this file can be checked here.
  if (!config.pull.inventory) {
    const native = [['tacacs', 'keys', config.ingest.tacacs.keys], ['radius', 'secrets', config.ingest.radius.secrets]] as const;
    for (const [section, list, entries] of native) {
      entries.forEach((e, i) => e.devices.forEach((name, j) => {
        if (!names.has(name.toLowerCase())) problems.push({ path: ['ingest', section, list, i, 'devices', j], message: `no device named "${name}" in devices` });
      }));
    }
  }
  for (const [at, tls] of [[['ingest', 'tls'], config.ingest.tls], [['ingest', 'tacacs', 'tls'], config.ingest.tacacs.tls]] as const) {
    for (const key of ['cert', 'key', 'ca'] as const) {
      const path = tls[key];
      if (path !== undefined && !existsSync(path)) problems.push({ path: [...at, key], message: `file not found: ${path}` });
    }
  }
  return problems;
}

export function loadConfig(file: string | undefined): Config {
  if (!file) return defaultConfig();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`]);
  }
  return parseConfig(text, file);
}

/** The value of a secret given inline, by environment variable or by file; `key` names it in errors. */
export function resolveSecret(value: z.infer<typeof secret>, key: string): string {
  if (typeof value === 'string') return value;
  if ('env' in value) {
    const v = process.env[value.env];
    if (v === undefined) throw new ConfigError([`${key}: environment variable ${value.env} is not set`]);
    return v;
  }
  try {
    return readFileSync(value.file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new ConfigError([`${key}: cannot read ${value.file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`]);
  }
}
