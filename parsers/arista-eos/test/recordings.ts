// The recorded EOS session this platform pulls (test/pull/corpus.test.ts replays it).

import type { PlatformRecordings } from '../../../test/support/emulator/recordings.js';

export const recordings: PlatformRecordings = {
  models: { eos: { comment: '!' } },
  accounts: { 'eos#DCS-7050SX3-48YC8_4.29.2F': [] },
};
