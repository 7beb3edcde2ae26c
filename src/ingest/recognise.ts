// Runs the platform modules over a message. Each platform rejects unrelated traffic itself, in a
// few comparisons, so offering every message to every platform stays cheap.

import type { AaaRecord, Platform, RecogniseContext, SyslogMessage } from '../types.js';

export interface Recognition {
  records: AaaRecord[];
  /** Message types that looked like AAA/configuration traffic but matched no known form. */
  unknown: string[];
}

export type Recogniser = (msg: SyslogMessage) => Recognition;

const NONE: AaaRecord[] = [];

export function createRecogniser(platforms: readonly Platform[]): Recogniser {
  const active = platforms.filter((p) => p.recognise);
  const states = new Map<string, Map<string, unknown>>();
  let unknown: string[] = [];
  const contexts = active.map((p): RecogniseContext => {
    const own = new Map<string, unknown>();
    states.set(p.id, own);
    return {
      state<T>(key: string, init: () => T): T {
        let v = own.get(key) as T | undefined;
        if (v === undefined) {
          v = init();
          own.set(key, v);
        }
        return v;
      },
      unknown(type: string): void {
        unknown.push(type);
      },
    };
  });
  return (msg) => {
    let records = NONE;
    unknown = [];
    for (let k = 0; k < active.length; k++) {
      let got: AaaRecord[];
      try {
        got = active[k]!.recognise!(msg, contexts[k]!);
      } catch {
        // A platform bug must not cost the message: keep it as not understood.
        unknown.push(`${active[k]!.id}:error`);
        continue;
      }
      if (got.length > 0) records = records === NONE ? got : records.concat(got);
    }
    return { records, unknown: unknown.length ? unknown : (NONE as unknown as string[]) };
  };
}
