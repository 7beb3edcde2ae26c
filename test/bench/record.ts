// Benchmark bookkeeping: the machine a figure was measured on, medians, and a dated row added
// to that benchmark's table in BENCHMARKS.md (newest first), so figures are never retyped by hand.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FILE = join(ROOT, 'BENCHMARKS.md');

export function machine(): string {
  const cpu = cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  return `${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** The commit measured, marked `+` when the work tree had changes. */
export function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head}+` : head;
  } catch {
    return 'unknown';
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The nearest-rank percentile `p` (0–100) of `xs`. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/**
 * Add a row to the table under `## <section>` (created with `header` columns if missing).
 * The first columns are always the date, the machine and the commit.
 */
export function recordRow(section: string, header: string[], cells: string[], note?: string): void {
  let text = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '# Benchmarks\n\nFigures recorded by the `npm run bench:*` scripts, newest first. Medians of repeated runs.\n';
  const title = `## ${section}`;
  const row = `| ${[new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', machine(), commit(), ...cells].join(' | ')} |`;
  const at = text.indexOf(title + '\n');
  if (at < 0) {
    const cols = ['date', 'machine', 'commit', ...header];
    text = text.trimEnd() + `\n\n${title}\n\n${note ? note + '\n\n' : ''}| ${cols.join(' | ')} |\n|${cols.map(() => ' --- ').join('|')}|\n${row}\n`;
  } else {
    // Insert under the separator of the section's own table, the one whose columns start with the
    // date, the machine and the commit: a section's prose may hold tables of its own before it
    // (37 bench:ingest rows had landed in a hand-written store table that way).
    const next = text.indexOf('\n## ', at + title.length);
    const own = text.indexOf('\n| date | machine | commit |', at);
    const sep = text.indexOf('\n| ---', own < 0 || (next >= 0 && own > next) ? at : own);
    const lineEnd = text.indexOf('\n', sep + 1);
    text = text.slice(0, lineEnd + 1) + row + '\n' + text.slice(lineEnd + 1);
  }
  writeFileSync(FILE, text);
}
