// The recorded IOS sessions this platform pulls (test/pull/corpus.test.ts replays them).

import type { PlatformRecordings } from '../../../test/support/emulator/recordings.js';

export const recordings: PlatformRecordings = {
  models: {
    ios: {
      comment: '!',
      drops: [/^Building configuration\.\.\.$/, /^Current configuration : \d+ bytes$/],
      rewrites: [[/^\s+expression \S+$/, /^\s+expression <value removed>$/]],
    },
  },
  accounts: {
    'ios#C9200L-24P-4G_17.09.04a': [
      { name: 'oxidized', roles: [], credentials: ['secret'] },
      { name: 'rocks', roles: [], credentials: ['secret'] },
    ],
    'ios#asr920_16.8.1b': [{ name: 'root', roles: [], credentials: ['secret'] }],
  },
  secrets: { 'ios#asr920_16.8.1b': ['ABCDEFGH1234', 'secret 5 password'] },
};
