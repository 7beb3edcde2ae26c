// Reads the YAML configuration and validates it, naming the file, line and key of every error.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import type { z } from 'zod';
import type { Platform } from '../types.js';
import { ConfigError } from './config-error.js';
import { postgresUrlProblem, type secret } from './fields.js';
import { deviceRepeats, repeatMessage } from './inventory.js';
import { listenersOf } from './listeners.js';
import { readConfigFile } from './read-file.js';
import { configSchema, type Config } from './schema.js';
import { readSecret, references, unreadableSecrets } from './secret-reference.js';
import { unknownPlatform } from './similar.js';
import { keyName, YamlSource } from './yaml-source.js';

/** Why a key or secret cannot name a device by an inventory address that is a host name (and no `senders`). */
export const hostNameKeyProblem = (name: string, address: string): string =>
  `${name}'s address ${address} is a host name, and a key is bound to the addresses a device sends from: list them in its senders, or in sources`;

export { ConfigError };

/** The embedded defaults: what `npm start` runs with when no file is given. */
export function defaultConfig(): Config {
  return configSchema.parse({});
}

/** Parse and validate configuration text against the platforms aaawatch knows; `file` is used in messages only. */
export function parseConfig(text: string, file: string, platforms: readonly Platform[]): Config {
  const { source, config } = validated(text, file);
  checkSemantics(source, config, platforms);
  return config;
}

/**
 * Where a configuration read from YAML, and each secret it gives by reference, was written: for
 * what is found wrong after it is loaded (a port serve cannot have, a secret unset when a command
 * reads it), named by file and line as the loader's own problems are.
 */
const written = new WeakMap<object, { source: YamlSource; path: PropertyKey[] }>();

/** Problems at keys of a loaded configuration, as `file:line: key: message` (by key alone for the embedded defaults). */
export function configProblems(config: Config, list: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }>): ConfigError {
  const source = written.get(config)?.source;
  return new ConfigError(source ? source.problems(list) : list.map(({ path, message }) => `${keyName(path)}: ${message}`));
}

/** A secret reference's problem, at its line when it was read from a configuration file, else by `key`. */
export function secretProblem(ref: z.infer<typeof secret>, key: string, message: string): ConfigError {
  const at = typeof ref === 'object' ? written.get(ref) : undefined;
  return new ConfigError([at ? at.source.problem(at.path, message).text : `${key}: ${message}`]);
}

/** The text read as YAML and checked against the schema; `file` read from disk, which may not be empty. */
function validated(text: string, file: string, o: { fromFile?: boolean } = {}): { source: YamlSource; config: Config } {
  const source = YamlSource.parse(text, file);
  // A file given is meant to say something: one deployed empty (a template not filled, a copy cut
  // short) would run on the embedded defaults, as if it had not been given, and look configured.
  if (o.fromFile && source.empty()) throw new ConfigError([`${file}: the file is empty (or only comments): give the configuration in it, or no --config for the embedded defaults`]);
  const result = configSchema.safeParse(source.value());
  if (!result.success) throw new ConfigError(source.issues(configSchema, result.error.issues));
  written.set(result.data, { source, path: [] });
  for (const { path, ref } of references(result.data)) written.set(ref, { source, path });
  return { source, config: result.data };
}

function checkSemantics(
  source: YamlSource,
  config: Config,
  platforms: readonly Platform[],
  more: ReadonlyArray<{ path: PropertyKey[]; message: string }> = [],
): void {
  const problems = [...semanticProblems(config, platforms), ...more];
  if (problems.length > 0) throw new ConfigError(source.problems(problems));
}

/** Checks that need more than one key, or knowledge outside the file (platform ids, readable files). */
function semanticProblems(config: Config, platforms: readonly Platform[]): Array<{ path: PropertyKey[]; message: string }> {
  const platformById = (id: string): Platform | undefined => platforms.find((p) => p.id === id);
  const problems: Array<{ path: PropertyKey[]; message: string }> = [];
  if (config.store.url !== undefined && config.collector === undefined) {
    problems.push({ path: ['store', 'url'], message: 'a shared PostgreSQL store needs collector: a name for this collector' });
  }
  const names = new Map<string, number>();
  config.devices.forEach((d, i) => {
    if (!platformById(d.platform)) {
      problems.push({
        path: ['devices', i, 'platform'],
        message: unknownPlatform(d.platform, platforms.map((p) => p.id)),
      });
    }
    if (!names.has(d.name.toLowerCase())) names.set(d.name.toLowerCase(), i);
  });
  for (const r of deviceRepeats(config.devices)) {
    problems.push({ path: ['devices', r.device, r.key], message: repeatMessage(r, config.devices, (i, key) => `devices[${i}].${key}`) });
  }
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
        const at = names.get(name.toLowerCase());
        const d = at === undefined ? undefined : config.devices[at];
        if (!d) problems.push({ path: ['ingest', section, list, i, 'devices', j], message: `no device named "${name}" in devices` });
        else if (isIP(d.address) === 0 && !d.senders?.length) problems.push({ path: ['ingest', section, list, i, 'devices', j], message: hostNameKeyProblem(name, d.address) });
      }));
    }
  }
  problems.push(...portClashes(config));
  // Every file this one names that serve reads at start, by its own line: a missing one was said
  // by the reader without the key that named it.
  for (const [at, path] of namedFiles(config)) {
    const problem = fileProblem(path, at.at(-1));
    if (problem) problems.push({ path: at, message: problem });
  }
  return problems;
}

const EVERY_ADDRESS = new Set(['::', '0.0.0.0', '::0']);

/**
 * Two of serve's own listeners on one port of one protocol (RELP given the syslog TCP port, the web
 * on TACACS+'s), which serve met as EADDRINUSE naming neither key: said at the second.
 */
function portClashes(config: Config): Array<{ path: PropertyKey[]; message: string }> {
  const on = listenersOf(config);
  const problems: Array<{ path: PropertyKey[]; message: string }> = [];
  on.forEach((l, n) => {
    const other = on.slice(0, n).find((o) => o.proto === l.proto && o.port === l.port && (o.host === l.host || EVERY_ADDRESS.has(o.host) || EVERY_ADDRESS.has(l.host)));
    if (other) problems.push({ path: [...l.at, 'port'], message: `${l.proto} port ${l.port} is also ${keyName(other.at)}'s: two listeners cannot share it` });
  });
  return problems;
}

/** The PEM block a TLS key names: a certificate (and a CA bundle) or a private key. */
const PEM_BLOCK: Record<string, { block: RegExp; what: string } | undefined> = {
  cert: { block: /-----BEGIN (?:TRUSTED )?CERTIFICATE-----/, what: 'certificate (-----BEGIN CERTIFICATE-----)' },
  ca: { block: /-----BEGIN (?:TRUSTED )?CERTIFICATE-----/, what: 'certificate (-----BEGIN CERTIFICATE-----)' },
  key: { block: /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----/, what: 'private key (-----BEGIN … PRIVATE KEY-----)' },
};

/**
 * What is wrong with a file the configuration names, if anything: not there, a directory, or for
 * a certificate or key not the PEM block it must hold (DER, the two swapped, a path to something
 * else), which serve met only as OpenSSL's "no start line", naming no key. A file this user may not
 * read passes: a command run by another user than serve's need not read serve's key.
 */
function fileProblem(path: string, key: PropertyKey | undefined): string | undefined {
  if (!existsSync(path)) return `file not found: ${path}`;
  if (statSync(path).isDirectory()) return `${path} is a directory, not a file`;
  const pem = typeof key === 'string' ? PEM_BLOCK[key] : undefined;
  if (!pem) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
  return pem.block.test(text) ? undefined : `${path} holds no ${pem.what}: a PEM file is wanted${/PRIVATE KEY-----/.test(text) && key !== 'key' ? ' (this one holds a private key: cert and key swapped?)' : ''}`;
}

/** The files a configuration names (certificates, keys, the roster, inventory and credentials files), each with its key's path. */
function namedFiles(config: Config): Array<[PropertyKey[], string]> {
  const out: Array<[PropertyKey[], string]> = [];
  const add = (at: PropertyKey[], path: string | undefined): void => {
    if (path !== undefined) out.push([at, path]);
  };
  const tlsSections = [
    [['ingest', 'tls'], config.ingest.tls], [['ingest', 'tacacs', 'tls'], config.ingest.tacacs.tls], [['ingest', 'relp', 'tls'], config.ingest.relp.tls], [['ingest', 'radius', 'tls'], config.ingest.radius.tls],
  ] as const;
  for (const [at, tls] of tlsSections) for (const key of ['cert', 'key', 'ca'] as const) add([...at, key], tls[key]);
  for (const key of ['cert', 'key'] as const) add(['web', 'tls', key], config.web.tls[key] || undefined);
  config.reconcile.alerts.syslog.forEach((d, i) => {
    for (const key of ['ca', 'cert', 'key'] as const) add(['reconcile', 'alerts', 'syslog', i, key], d[key]);
  });
  const roster = config.reconcile.roster;
  if (typeof roster === 'string') add(['reconcile', 'roster'], roster);
  else roster?.forEach((file, i) => add(['reconcile', 'roster', i], file));
  add(['pull', 'inventory'], config.pull.inventory);
  add(['pull', 'credentialsFile'], config.pull.credentialsFile);
  return out;
}

/**
 * `secrets`: also every secret given by reference is readable, each named by its line: all of them
 * (`check`, serve), or those under the keys a command reads (`pull`: its credentials).
 */
export async function loadConfig(file: string | undefined, o: { secrets?: boolean | ReadonlyArray<readonly PropertyKey[]> } = {}): Promise<Config> {
  if (!file) return defaultConfig();
  const read = readConfigFile(file);
  if ('problem' in read) throw new ConfigError([read.problem]);
  const { source, config } = validated(read.text, file, { fromFile: true });
  // The platform registry loads every platform's parsers, most of a command's start: only
  // imported when there are devices to check against it.
  const platforms = config.devices.length > 0 ? (await import('../../parsers/index.js')).platforms : [];
  const keys: ReadonlyArray<readonly PropertyKey[]> = o.secrets === true ? [[]] : o.secrets || [];
  const wanted = (path: readonly PropertyKey[]): boolean => keys.some((key) => key.every((k, i) => path[i] === k));
  const secrets = keys.length > 0 ? [...unreadableSecrets(source.value()), ...referencedUrlProblems(config)].filter((p) => wanted(p.path)) : [];
  checkSemantics(source, config, platforms, secrets);
  return config;
}

/** A PostgreSQL URL given by { env } or { file }, checked as one written in the file is. */
function referencedUrlProblems(config: Config): Array<{ path: PropertyKey[]; message: string }> {
  const url = config.store.url;
  if (url === undefined || typeof url === 'string') return [];
  const read = readSecret(url);
  const problem = 'value' in read && read.value !== '' ? postgresUrlProblem(read.value) : undefined;
  return problem ? [{ path: ['store', 'url'], message: `the URL in ${'env' in url ? `environment variable ${url.env}` : url.file} ${problem}` }] : [];
}

/** The value of a secret given inline, by environment variable or by file; `key` names it in errors. */
export function resolveSecret(value: z.infer<typeof secret>, key: string): string {
  const read = readSecret(value);
  if ('problem' in read) throw secretProblem(value, key, read.problem);
  return read.value;
}
