// VERIFY.txt's commands as an auditor runs them: read from the text (`   $ …` lines and what each
// prints), then run in one clean bash.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Step {
  command: string;
  /** What VERIFY.txt says it prints. */
  prints: string[];
}

/** The commands (`   $ …`) and, on the lines right after each, what it prints. */
export function steps(verify: string): Step[] {
  const out: Step[] = [];
  let open: Step | undefined;
  for (const line of verify.split('\n')) {
    if (line.startsWith('   $ ')) out.push((open = { command: line.slice(5), prints: [] }));
    else if (open && line.startsWith('     ') && line.trim()) open.prints.push(line.trim());
    else open = undefined;
  }
  return out;
}

/**
 * Run the steps in one bash, in `cwd`, each output told apart; returns what each printed and the
 * exit code. As an auditor's clean shell: no environment (`env -i`), no profile, only what is on
 * bash's default PATH.
 */
export async function runSteps(list: readonly Step[], cwd: string): Promise<{ outputs: string[]; code: number }> {
  const script = list.map((s, i) => `echo "@@step ${i}"\n${s.command}`).join('\n');
  const r = await run('env', ['-i', 'bash', '--noprofile', '--norc', '-e', '-c', script], { cwd, maxBuffer: 64 * 1024 * 1024 }).catch((e: { code: number; stdout: string }) => e);
  const text = 'stdout' in r ? r.stdout : '';
  const outputs = text.split(/^@@step \d+\n/m).slice(1).map((o) => o.trim());
  return { outputs, code: 'code' in r && typeof r.code === 'number' ? r.code : 0 };
}


/** VERIFY.txt's record checks (steps 6 to 8: every record's hash, the records cited, the links and heads), found by what each reads. */
export function recordChecks(list: readonly Step[]): { hashes: Step; cited: Step; links: Step } {
  const find = (test: (c: string) => boolean): Step => {
    const found = list.filter((s) => test(s.command));
    if (found.length !== 1) throw new Error(`VERIFY.txt has ${found.length} such steps`);
    return found[0]!;
  };
  return {
    hashes: find((c) => c.includes('records.jsonl | while read')),
    cited: find((c) => c.startsWith('grep ') && c.includes('report.json')),
    links: find((c) => c.endsWith('chain-heads.txt records.jsonl')),
  };
}
