// Runs the platform modules over a message. Each platform rejects unrelated traffic itself, in a
// few comparisons, so offering every message to every platform stays cheap.

import type { AaaRecord, Platform, RecogniseContext, SyslogMessage } from '../types.js';

/** A message type no platform understood, and the device it is counted against (else the sender). */
export interface UnknownType {
  type: string;
  device?: string;
}

export interface Recognition {
  records: AaaRecord[];
  unknown: UnknownType[];
}

export type Recogniser = (msg: SyslogMessage) => Recognition;

/** Zone lookup for times inside messages; the default knows no zones (UTC). */
export type ZoneFor = RecogniseContext['zoneFor'];

const NO_RECORDS: AaaRecord[] = [];
const NO_UNKNOWN: UnknownType[] = [];

export function createRecogniser(platforms: readonly Platform[], zoneFor: ZoneFor = () => undefined): Recogniser {
  const active = platforms.filter((p) => p.recognise);
  let unknown = NO_UNKNOWN;
  const contexts = active.map((p): RecogniseContext => {
    const own = new Map<string, unknown>();
    return {
      state<T>(key: string, init: () => T): T {
        let v = own.get(key) as T | undefined;
        if (v === undefined) {
          v = init();
          own.set(key, v);
        }
        return v;
      },
      unknown(type: string, device?: string): void {
        if (unknown === NO_UNKNOWN) unknown = [];
        unknown.push(device === undefined ? { type } : { type, device });
      },
      zoneFor,
    };
  });
  return (msg) => {
    let records = NO_RECORDS;
    unknown = NO_UNKNOWN;
    for (let k = 0; k < active.length; k++) {
      const platform = active[k]!;
      let got: AaaRecord[];
      try {
        got = platform.recognise!(msg, contexts[k]!);
      } catch {
        // A platform bug must not cost the message: it is kept and counted as not understood.
        contexts[k]!.unknown(`${platform.id}:error`);
        continue;
      }
      if (got.length > 0) records = records === NO_RECORDS ? got : records.concat(got);
    }
    return { records, unknown };
  };
}
