// The corpus holds no FreeRADIUS lines: the platform is tested with fixtures written from
// FreeRADIUS's own default configuration (test/parsers/freeradius.test.ts).

import type { CorpusCase } from './types.js';

export const files: string[] = [];

export const cases: CorpusCase[] = [];
