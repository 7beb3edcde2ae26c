// The expected outcome of one real line from test/corpus, checked by the platform tests
// and summarised by `npm run corpus`.

import type { AaaRecord } from '../../../src/types.js';

export interface CorpusCase {
  /** Corpus-relative path, e.g. `syslog/cisco-asa/elastic-additional-messages.log`. */
  file: string;
  /** 1-based line number in that file (for JSON-lines files, the record's line). */
  line: number;
  /**
   * The records the line must yield, in order; each is matched on the fields given (a subset),
   * and a field given as `undefined` must be absent. `[]` means the line must yield nothing.
   */
  expect: Array<Partial<AaaRecord> & Record<string, unknown>>;
  /** Why, when the outcome is not obvious (a negative case, a peer disagreement). */
  note?: string;
}
