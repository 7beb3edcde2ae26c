// The recorded ASA session this platform pulls (test/pull/corpus.test.ts replays it).

import type { PlatformRecordings } from '../../../test/support/emulator/recordings.js';

export const recordings: PlatformRecordings = {
  models: { asa: { comment: '!', drops: [/^:/] } },
  accounts: { 'asa#5512_9.12-4-67_single-context': [{ name: 'oxidized', roles: [], credentials: ['password'] }] },
};
