// loggen (syslog-ng-core) as the benchmarks drive it, and what they poll: a counter until it
// stops growing, a TCP port until it listens.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { sleep } from './process.js';

export interface Loggen {
  sent: number;
  seconds: number;
  /** The sender's own CPU time (user + system): near its wall time, the sender was the limit. */
  cpuSeconds: number;
}

export function loggen(args: string[]): Promise<Loggen> {
  return new Promise((resolve, reject) => {
    // bash's `time` reports the sender's CPU when it exits (TIMEFORMAT keeps it one parsable line).
    const p = spawn('bash', ['-c', 'TIMEFORMAT="cpu %U %S"; time loggen "$@"', 'loggen', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', () => {
      const m = /average rate = [\d.]+ msg\/sec, count=(\d+), time=([\d.]+)/.exec(out);
      const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(out);
      if (!m || !cpu) reject(new Error(`loggen said: ${out.slice(-400)}`));
      else resolve({ sent: Number(m[1]), seconds: Number(m[2]), cpuSeconds: Number(cpu[1]) + Number(cpu[2]) });
    });
  });
}

/**
 * Poll `count` until it stops growing; returns the final count and when it last grew. With
 * `expected` (what a TCP sender sent, every message of which must arrive), it returns once the
 * count reaches it, and a count short of it is waited on for `shortMs` without growth, not `quietMs`:
 * a receiver that stops reading for a while behind its busy store (TCP holds the rest) is not
 * taken for one that lost them (seeds24: a round at load 14 stopped counting 14,062 short after
 * 1.5 s without growth, and the same seed passed when run again).
 */
export async function settle(count: () => number, quietMs = 1500, expected = Infinity, shortMs = 60_000): Promise<{ n: number; at: number }> {
  let n = count();
  let at = Date.now();
  for (;;) {
    if (n >= expected) return { n, at };
    await sleep(100);
    const m = count();
    if (m !== n) {
      n = m;
      at = Date.now();
    } else if (Date.now() - at > (expected === Infinity ? quietMs : shortMs)) return { n, at };
  }
}

export const portOpen = (port: number): boolean => {
  const hex = ':' + port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'utf8').split('\n').some((l) => l.includes(hex) && / 0A /.test(l));
};
