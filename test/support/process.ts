// A process a test started (`aaawatch serve`): its output as it comes, waits on what it says, and
// a stop that waits for it to exit.

import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface Watched {
  /** Everything it wrote so far, stdout and stderr. */
  output(): string;
  /** Resolves when its output contains `text`; rejects if it exits first. */
  said(text: string): Promise<void>;
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
    said(text) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (!out.includes(text)) return;
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
        check();
        void exited.then(() => {
          if (!waiting.has(check)) return;
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
