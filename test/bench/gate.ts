// `npm run bench:gate -- BASE [NEW]`: the secret gate alone (`redactSecrets`) of two builds (their
// dist folders; NEW defaults to this worktree's dist), CPU per line over bench:parse's traffic, the
// aaa-only and mixed-random profiles' lines (bench:ingest's seeds: issue 14's bars are about those
// two) and the secret corpus's log lines. Each build runs in a process of its own, the two
// alternated, order swapped each round; medians of the rounds, and the ratio NEW/BASE.
// The two builds' outputs must be the same, byte for byte, on every set (else it stops, naming the set).
//
// Not both builds in one process: there the build loaded second ran the secret corpus 1.24-1.31x
// slower, whichever it was (1289a44 and e1286a3, each order, 2026-12-04), where in processes of
// their own the two ran it 0.94-1.04x. Its expressions whose source differs from the first build's
// ran 2-5x slower (an identical copy loaded second, which shares V8's compiled expressions, ran
// 0.99x), and with `--no-regexp-tier-up` the effect was gone: V8's regexp tiering, not the forms.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CORPUS } from '../support/corpus.js';
import { loadSecretCorpus } from '../support/secret-corpus.js';
import { writeProfile } from './profiles.js';
import { median, recordRow } from './record.js';
import { writeTrafficFile } from './traffic.js';

const SETS = ['traffic', 'aaa-only', 'secret', 'mixed-random'] as const;
type SetName = (typeof SETS)[number];
/** ns of CPU per line, per set. */
type Figures = Record<SetName, number>;
/** What one build's child reports: its figures and a digest of every output line, per set. */
interface ChildReport {
  figures: Figures;
  digests: Record<SetName, string>;
}

/** Child: one build's gate over the sets in `dir`: a warm-up pass whose outputs are digested, then `passes` timed; prints the medians and digests. */
async function child(dist: string, dir: string, passes: number): Promise<void> {
  const url = pathToFileURL(join(dist, 'parsers/lib/secrets.js')).href;
  const { redactSecrets } = (await import(url)) as { redactSecrets: (text: string) => string };
  const out = {} as Figures;
  const digests = {} as Record<SetName, string>;
  let kept = 0;
  for (const set of SETS) {
    const lines = JSON.parse(readFileSync(join(dir, set), 'utf8')) as string[];
    // The outputs of the warm-up pass, digested outside the timed passes: the two builds must agree.
    const digest = createHash('sha256');
    for (const line of lines) digest.update(redactSecrets(line) + '\n');
    digests[set] = digest.digest('hex');
    const runs: number[] = [];
    for (let p = 0; p < passes; p++) {
      const before = process.cpuUsage();
      for (const line of lines) kept += redactSecrets(line).length;
      const used = process.cpuUsage(before);
      runs.push(((used.user + used.system) * 1000) / lines.length);
    }
    out[set] = median(runs);
  }
  // `kept` is printed so the calls cannot be left out.
  process.stdout.write(JSON.stringify({ figures: out, digests, kept }) + '\n');
}

/** The commit a dist folder was built from (its worktree's HEAD), or the folder when it has none. */
function built(dist: string): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: resolve(dist, '..'), encoding: 'utf8' });
  return head.status === 0 ? head.stdout.trim() : dist;
}

function parent(base: string, next: string, rounds: number, lines: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'aaawatch-bench-gate-'));
  try {
    const read = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
    writeTrafficFile(join(dir, 'traffic.log'), lines, CORPUS);
    writeProfile(join(dir, 'aaa.log'), 'aaa-only', lines, 1, CORPUS);
    // Every line, as for the others; in serve only the half it recognises is gated (ISE's long lines
    // are among those: three quarters of the characters the gate reads there).
    writeProfile(join(dir, 'mixed.log'), 'mixed-random', lines, 750015678, CORPUS);
    const logs = loadSecretCorpus().filter((e) => e.kind === 'log').map((e) => e.text);
    // Every secret line holds a hint and costs ~15x an ordinary one: a quarter as many.
    const secret = Array.from({ length: lines >> 2 }, (_, i) => logs[i % logs.length]!);
    writeFileSync(join(dir, 'traffic'), JSON.stringify(read(join(dir, 'traffic.log'))));
    writeFileSync(join(dir, 'aaa-only'), JSON.stringify(read(join(dir, 'aaa.log'))));
    writeFileSync(join(dir, 'mixed-random'), JSON.stringify(read(join(dir, 'mixed.log'))));
    writeFileSync(join(dir, 'secret'), JSON.stringify(secret));
    const builds = { base, new: next };
    const got: Record<'base' | 'new', Figures[]> = { base: [], new: [] };
    const outputs: Partial<Record<'base' | 'new', ChildReport['digests']>> = {};
    const loads: number[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const which of r % 2 === 0 ? (['base', 'new'] as const) : (['new', 'base'] as const)) {
        const run = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', builds[which], dir, '3'], { encoding: 'utf8' });
        if (run.status !== 0) throw new Error(`bench:gate child for ${builds[which]}: ${run.stderr}`);
        const report = JSON.parse(run.stdout) as ChildReport;
        got[which].push(report.figures);
        outputs[which] ??= report.digests;
        loads.push(loadavg()[0]!);
      }
    }
    // A faster gate that changes a byte of any output is no result: a secret kept or a word lost.
    const differ = SETS.filter((set) => outputs.base![set] !== outputs.new![set]);
    if (differ.length > 0) throw new Error(`bench:gate: the two builds' outputs differ on ${differ.join(', ')}`);
    console.log('outputs: the same on every set (sha256 of every line\'s output)');
    const at = (which: 'base' | 'new', set: SetName): number => median(got[which].map((f) => f[set]));
    const load = `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`;
    const cell = (set: SetName): string => {
      const ratio = at('new', set) / at('base', set);
      console.log(`${set}: base ${at('base', set).toFixed(0)} ns/line, new ${at('new', set).toFixed(0)} ns/line, ${ratio.toFixed(3)}x`);
      return `${at('base', set).toFixed(0)} → ${at('new', set).toFixed(0)} (${ratio.toFixed(3)}×)`;
    };
    const cells = SETS.map(cell);
    console.log(`load ${load}, ${rounds} rounds`);
    // mixed-random's column is the table's last: the rows before it had none.
    recordRow(
      'bench:gate — the secret gate alone, two builds in alternated processes',
      ['base → new', 'traffic ns/line', 'aaa-only ns/line', 'secret corpus ns/line', 'rounds, load', 'mixed-random ns/line'],
      [`${built(base)} → ${built(next)}`, ...cells.slice(0, 3), `${rounds}, ${load}`, cells[3]!],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
if (args[0] === '--child') await child(args[1]!, args[2]!, Number(args[3]));
else {
  const dist = (p: string): string => (isAbsolute(p) ? p : resolve(p));
  if (!args[0]) throw new Error('usage: npm run bench:gate -- BASE_DIST [NEW_DIST] (a build\'s dist folder)');
  parent(dist(args[0]), dist(args[1] ?? 'dist'), Number(process.env.BENCH_GATE_ROUNDS ?? 6), Number(process.env.BENCH_GATE_LINES ?? 100_000));
}
