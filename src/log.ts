// The process log (pino, JSON lines on stdout: what journald and log shippers expect).
// Fields that could carry a secret are censored at the logger, whatever a caller passes.

import { pino, type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'aaawatch' },
    redact: {
      paths: ['password', 'secret', 'passphrase', 'key', 'community', '*.password', '*.secret', '*.passphrase', '*.key'],
      censor: '<redacted>',
    },
  });
}

export type { Logger };
