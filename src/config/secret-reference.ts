// Secrets given by reference in a YAML file (`{ env: NAME }`, `{ file: PATH }`): read one, or
// find every one that cannot be read, by its path in the file.

import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { secret } from './fields.js';

/** A secret's value, or why it cannot be read. */
export function readSecret(value: z.infer<typeof secret>, env: NodeJS.ProcessEnv = process.env): { value: string } | { problem: string } {
  if (typeof value === 'string') return { value };
  if ('env' in value) {
    const v = env[value.env];
    return v === undefined ? { problem: `environment variable ${value.env} is not set` } : { value: v };
  }
  try {
    return { value: readFileSync(value.file, 'utf8').replace(/\r?\n$/, '') };
  } catch (err) {
    return { problem: `cannot read ${value.file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
}

/** A secret given by reference: `{ env: NAME }` or `{ file: PATH }`, the only one-key maps of those names the schema has. */
function isReference(value: object): value is z.infer<typeof secret> & object {
  const keys = Object.keys(value);
  const ref = value as Record<string, unknown>;
  return keys.length === 1 && (typeof ref.env === 'string' || typeof ref.file === 'string');
}

/** Every secret `value` gives by reference, with its path. */
export function references(value: unknown, path: PropertyKey[] = []): Array<{ path: PropertyKey[]; ref: z.infer<typeof secret> & object }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => references(v, [...path, i]));
  if (typeof value !== 'object' || value === null) return [];
  if (isReference(value)) return [{ path, ref: value }];
  return Object.entries(value).flatMap(([k, v]) => references(v, [...path, k]));
}

/**
 * Every secret the file gives by reference that cannot be read now, at its path: `check` names
 * them by line, where a command that does not use a secret need not have it.
 */
export function unreadableSecrets(value: unknown, env: NodeJS.ProcessEnv = process.env): Array<{ path: PropertyKey[]; message: string }> {
  return references(value).flatMap(({ path, ref }) => {
    const read = readSecret(ref, env);
    if ('problem' in read) return [{ path, message: read.problem }];
    // Empty is a mistake wherever a secret goes (a variable exported blank, a file truncated), and
    // was said at use without the file or line: a key `the secret is empty`, or a password refused.
    if (read.value === '') return [{ path, message: 'env' in ref ? `environment variable ${ref.env} is set but empty` : `${ref.file} is empty` }];
    return [];
  });
}
