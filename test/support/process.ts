// A process a test started (`aaawatch serve`): its output as it comes, waits on what it says, and
// a stop that waits for it to exit; and one run of the built command to its end.

import { execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { REPO } from './corpus.js';

/** How a command ended: its exit status and what it wrote. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built `aaawatch` with `args`, no configuration but what they name (AAAWATCH_CONFIG emptied), `env` added. */
export function aaawatch(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO, 'dist/src/cli.js'), ...args], { env: { ...process.env, AAAWATCH_CONFIG: '', ...env }, maxBuffer: 1 << 24 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

export interface Watched {
  /** Everything it wrote so far, stdout and stderr. */
  output(): string;
  /** Resolves when its output contains `text`; rejects if it exits first, or after `ms` when given. */
  said(text: string, ms?: number): Promise<void>;
  /** SIGTERM, then its exit code once it has exited. */
  stop(): Promise<number | null>;
}

export function watch(child: ChildProcess): Watched {
  let out = '';
  const waiting = new Set<() => void>();
  const collect = (d: Buffer): void => {
    out += d.toString();
    for (const check of waiting) check();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = once(child, 'exit') as Promise<[number | null]>;
  return {
    output: () => out,
    said(text, ms) {
      return new Promise((resolve, reject) => {
        // A process that runs on without saying it fails the test here, with what it did say.
        const late = ms === undefined ? undefined : setTimeout(() => {
          waiting.delete(check);
          reject(new Error(`did not say "${text}" within ${ms / 1000} s:\n${out}`));
        }, ms);
        const check = (): void => {
          if (!out.includes(text)) return;
          clearTimeout(late);
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
        check();
        void exited.then(() => {
          if (!waiting.has(check)) return;
          clearTimeout(late);
          waiting.delete(check);
          reject(new Error(`exited before saying "${text}":\n${out}`));
        });
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const [code] = await exited;
      return code;
    },
  };
}
