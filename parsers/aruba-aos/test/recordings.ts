// The recorded ArubaOS sessions this platform pulls (Oxidized's `aosw` and `arubainstant` models;
// test/pull/corpus.test.ts replays them through the emulator).
//
// The Instant recording was made with `show running-config no-encrypt` (clear text), which
// aaawatch never sends. Its answer to the plain `show running-config` is written here from that
// recording: the same lines, the contributor's placeholder values (`AAAAAAAAAABBBBBBBBBB…`) where the
// device prints its encrypted ones; the peer's stored output is compared with it as it stands.

import { corpusPath } from '../../../test/support/corpus.js';
import type { PlatformRecordings } from '../../../test/support/emulator/recordings.js';
import { loadTranscript, type Exchange } from '../../../test/support/emulator/transcript.js';

function plainRunningConfig(): Exchange {
  const t = loadTranscript(corpusPath('ssh-sessions', 'arubainstant#IAP515_8.10.0.6_VWLC#simulation.yaml'));
  const recorded = t.exchanges.find((e) => e.command === 'show running-config no-encrypt')!;
  return { command: 'show running-config', response: recorded.response.replace(/^show running-config no-encrypt/, 'show running-config') };
}

export const recordings: PlatformRecordings = {
  models: { aosw: { comment: '#', drops: [/^Building Configuration\.\.\.$/] }, arubainstant: { comment: '#' } },
  accounts: {
    'aosw#Aruba7210_8.10.0.7': [
      { name: 'admin', roles: ['root'], credentials: ['secret'] },
      { name: 'oxidized', roles: ['root'], credentials: ['secret'] },
    ],
    'arubainstant#IAP515_8.10.0.6_VWLC': [
      { name: 'oxidized', roles: [], credentials: ['secret'] },
      { name: 'rocks', roles: ['read-only'], credentials: ['secret'] },
    ],
  },
  secrets: { 'aosw#Aruba7210_8.10.0.7': ['AAAAAAAAAABBBBBBBBBB'] },
  extra: [plainRunningConfig()],
  unknownCommand: (command) => `${command}\n% Invalid input detected at '^' marker.\n\n`,
};
