// Device credentials: from the credentials file (which may hold secrets inline, so it must be
// readable by its owner only), from references in the main configuration (environment
// variables, files, key files, ssh-agent). Values are wrapped in Secret as soon as they are read.

import { statSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, secretProblem } from '../config/load.js';
import { credentialReferenceSchema, type PullConfig } from '../config/inventory.js';
import { readConfigFile } from '../config/read-file.js';
import { parseYamlFile } from './inventory-file.js';
import { Secret } from './secret.js';

export interface Credential {
  name: string;
  username: string;
  password?: Secret;
  enableSecret?: Secret;
  privateKey?: Secret;
  passphrase?: Secret;
  /** ssh-agent socket path. */
  agent?: string;
}

const inlineOrReference = z.union([z.string(), z.object({ env: z.string().min(1) }).strict(), z.object({ file: z.string().min(1) }).strict()]);

const fileSchema = z.record(
  z.string(),
  credentialReferenceSchema.extend({ password: inlineOrReference.optional(), enableSecret: inlineOrReference.optional(), passphrase: inlineOrReference.optional() }).strict(),
);

type SecretSource = z.infer<typeof inlineOrReference>;

/** Refuse a file that holds secrets and can be read by anyone but its owner. */
export function requirePrivate(file: string, what: string): void {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (err) {
    throw new ConfigError([`${file}: cannot read ${what}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`]);
  }
  if ((mode & 0o077) !== 0) {
    throw new ConfigError([
      `${file}: ${what} must be readable by its owner only, but its mode is ${(mode & 0o777).toString(8).padStart(4, '0')}; run: chmod 600 ${file}`,
    ]);
  }
}

function readPrivate(file: string, what: string): string {
  requirePrivate(file, what);
  const read = readConfigFile(file, what);
  if ('problem' in read) throw new ConfigError([read.problem]);
  return read.text;
}

function resolve(source: SecretSource | undefined, key: string, env: NodeJS.ProcessEnv): Secret | undefined {
  if (source === undefined) return undefined;
  if (typeof source === 'string') return new Secret(source);
  if ('env' in source) {
    const v = env[source.env];
    if (v === undefined) throw secretProblem(source, key, `environment variable ${source.env} is not set`);
    return new Secret(v);
  }
  return new Secret(readPrivate(source.file, key).replace(/\r?\n$/, ''));
}

function credential(name: string, c: z.infer<(typeof fileSchema)['valueType']>, where: string, env: NodeJS.ProcessEnv): Credential {
  const key = (field: string): string => `${where}.${name}.${field}`;
  let agent: string | undefined;
  if (c.agent === true) {
    agent = env.SSH_AUTH_SOCK;
    if (!agent) throw new ConfigError([`${key('agent')}: SSH_AUTH_SOCK is not set, so there is no ssh-agent to use`]);
  } else if (typeof c.agent === 'string') {
    agent = c.agent;
  }
  const out: Credential = { name, username: c.username };
  const password = resolve(c.password, key('password'), env);
  const enableSecret = resolve(c.enableSecret, key('enableSecret'), env);
  const passphrase = resolve(c.passphrase, key('passphrase'), env);
  if (password) out.password = password;
  if (enableSecret) out.enableSecret = enableSecret;
  if (passphrase) out.passphrase = passphrase;
  if (c.privateKey) out.privateKey = new Secret(readPrivate(c.privateKey, `the private key of credential ${name}`));
  if (agent) out.agent = agent;
  return out;
}

/** Every credential by name, from the credentials file and the configuration's references. */
export function loadCredentials(pull: PullConfig, env: NodeJS.ProcessEnv = process.env): Map<string, Credential> {
  const out = new Map<string, Credential>();
  if (pull.credentialsFile) {
    const file = pull.credentialsFile;
    const parsed = parseYamlFile(fileSchema, readPrivate(file, 'the credentials file'), file, { secrets: env });
    for (const [name, c] of Object.entries(parsed)) out.set(name, credential(name, c, file, env));
  }
  for (const [name, c] of Object.entries(pull.credentials)) {
    if (out.has(name)) throw new ConfigError([`pull.credentials.${name}: also defined in ${pull.credentialsFile}; define it once`]);
    out.set(name, credential(name, c, 'pull.credentials', env));
  }
  return out;
}
