// The recorded Comware session this platform pulls (Oxidized's `h3c` model; test/pull/corpus.test.ts
// replays it through the emulator). Its configuration is a three-line snippet: no account.

import type { PlatformRecordings } from '../../../test/support/emulator/recordings.js';

export const recordings: PlatformRecordings = {
  models: { h3c: { comment: '#' } },
  accounts: { 'h3c#5130-48G_7.1.070': [] },
  unknownCommand: (command) => `${command}\n                 ^\n % Unrecognized command found at '^' position.\n`,
};
