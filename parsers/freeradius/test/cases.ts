// The corpus holds no FreeRADIUS lines: the platform is tested with fixtures written from
// FreeRADIUS's own default configuration (parsers/freeradius/test/freeradius.test.ts).

import type { CorpusCase } from '../../../test/parsers/cases/types.js';

export const files: string[] = [];

export const cases: CorpusCase[] = [];
