// Every line of test/corpus/syslog/arista-eos/ and what it must yield (see test/parsers/cases/types.ts). The corpus
// holds no syslog from this platform yet (only SSH sessions for some), so there are no cases:
// parsers/arista-eos/test/arista-eos.test.ts covers each message type with fixtures written from the vendor's
// documented formats. Add cases here when the corpus gains lines.

import type { CorpusCase } from '../../../test/parsers/cases/types.js';

export const files: string[] = [];

export const cases: CorpusCase[] = [];
