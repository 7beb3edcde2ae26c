// Oxidized's recorded SSH sessions (`#simulation.yaml`, see test/corpus/README.md): what a
// device printed at login and, for each command sent, the exact bytes it answered. The YAML block
// scalars carry Ruby string escapes (`\r`, `\e`, `\x20`, `\"`), which are undone here, as
// Oxidized's own test helper does with `String#undump`.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'yaml';

export interface Exchange {
  /** What was sent, without its trailing newline (`show running-config`; a lone space for a pager). */
  command: string;
  /** What the device answered: its echo, the output and the next prompt. */
  response: string;
}

export interface Transcript {
  /** File name, e.g. `ios#C9200L-24P-4G_17.09.04a#simulation.yaml`. */
  name: string;
  /** Oxidized's model name, the part before the first `#` (`ios`, `junos`, `routeros`). */
  model: string;
  /** Banners and the first prompt; empty for exec-mode recordings. */
  initPrompt: string;
  /** In the order recorded; a command may repeat (each `--More--` page is a `' '` entry). */
  exchanges: Exchange[];
}

const SIMPLE: Record<string, string> = { n: '\n', t: '\t', r: '\r', e: '\x1b', s: ' ', a: '\x07', b: '\b', f: '\f', v: '\v', '"': '"', '\\': '\\', "'": "'", '#': '#' };

/** Ruby double-quoted string escapes → the characters they stand for. */
export function undump(text: string): string {
  return text.replace(/\\(u\{[0-9a-fA-F ]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/gs, (whole, esc: string) => {
    if (esc.startsWith('u{')) return esc.slice(2, -1).trim().split(/\s+/).map((h) => String.fromCodePoint(parseInt(h, 16))).join('');
    if (esc.length === 5 && esc[0] === 'u') return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (esc[0] === 'x' && esc.length > 1) return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (/^[0-7]+$/.test(esc)) return String.fromCharCode(parseInt(esc, 8));
    return SIMPLE[esc] ?? (esc === '\n' ? '' : whole.slice(1));
  });
}

export function parseTranscript(text: string, name: string): Transcript {
  const doc = parse(text) as { init_prompt?: string | null; commands?: unknown };
  const entries: Array<[string, unknown]> = Array.isArray(doc.commands)
    ? (doc.commands as Array<Record<string, unknown>>).flatMap((item) => Object.entries(item))
    : Object.entries((doc.commands ?? {}) as Record<string, unknown>);
  return {
    name,
    model: name.split('#')[0]!,
    initPrompt: undump(doc.init_prompt ?? ''),
    exchanges: entries.map(([key, value]) => ({
      command: key.replace(/\n$/, ''),
      response: undump(typeof value === 'string' ? value : ''),
    })),
  };
}

export function loadTranscript(path: string): Transcript {
  return parseTranscript(readFileSync(path, 'utf8'), basename(path));
}
