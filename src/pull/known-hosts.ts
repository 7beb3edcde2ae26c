// OpenSSH known_hosts files, for keys an operator has checked and preloaded: plain, `[host]:port`,
// wildcard, negated and hashed (`|1|salt|hash`) host patterns, and `@revoked` markers.
// `@cert-authority` lines are ignored: devices do not present host certificates.

import { createHmac } from 'node:crypto';
import { describeKey, type HostKey } from './hostkeys.js';

export interface KnownHostsEntry {
  patterns: string;
  revoked: boolean;
  key: HostKey;
  /** Line number in the file, for messages. */
  line: number;
}

export function parseKnownHosts(text: string): KnownHostsEntry[] {
  const out: KnownHostsEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const words = line.split(/\s+/);
    let revoked = false;
    if (words[0]!.startsWith('@')) {
      const marker = words.shift();
      if (marker !== '@revoked') return;
      revoked = true;
    }
    const [patterns, type, base64] = words;
    if (!patterns || !type || !base64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return;
    const key = describeKey(Buffer.from(base64, 'base64'));
    if (key.type !== type) return;
    out.push({ patterns, revoked, key, line: i + 1 });
  });
  return out;
}

/** How OpenSSH writes a host in known_hosts: bare for port 22, else `[host]:port`. */
function hostToken(host: string, port: number): string {
  return port === 22 ? host.toLowerCase() : `[${host.toLowerCase()}]:${port}`;
}

function glob(pattern: string, value: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
  return re.test(value);
}

function hashedMatch(pattern: string, token: string): boolean {
  const m = /^\|1\|([^|]+)\|([^|]+)$/.exec(pattern);
  if (!m) return false;
  return createHmac('sha1', Buffer.from(m[1]!, 'base64')).update(token).digest('base64') === m[2];
}

/** Whether a comma-separated pattern list names this host (a negated match excludes it). */
export function patternsMatch(patterns: string, host: string, port: number): boolean {
  const token = hostToken(host, port);
  if (patterns.startsWith('|')) return hashedMatch(patterns, token);
  let matched = false;
  for (const p of patterns.split(',')) {
    const negated = p.startsWith('!');
    const pattern = negated ? p.slice(1) : p;
    if (glob(pattern, token)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** The keys known_hosts lists for a device reached by any of these names at this port. */
export function knownKeysFor(entries: readonly KnownHostsEntry[], names: readonly string[], port: number): { trusted: HostKey[]; revoked: HostKey[] } {
  const trusted: HostKey[] = [];
  const revoked: HostKey[] = [];
  for (const e of entries) {
    if (!names.some((n) => patternsMatch(e.patterns, n, port))) continue;
    (e.revoked ? revoked : trusted).push(e.key);
  }
  return { trusted, revoked };
}
