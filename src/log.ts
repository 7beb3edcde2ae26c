// The process log (pino, JSON lines on stdout: what journald and log shippers expect).
// Fields that could carry a secret are censored at the logger, whatever a caller passes.

import { pino, type Logger } from 'pino';

/** `stream` 2 puts the log on stderr, for one-shot commands whose stdout carries their results. */
export function createLogger(level: string, stream: 1 | 2 = 1): Logger {
  return pino(
    {
      level,
      base: { app: 'aaawatch' },
      redact: {
        paths: ['password', 'secret', 'passphrase', 'key', 'community', '*.password', '*.secret', '*.passphrase', '*.key'],
        censor: '<redacted>',
      },
    },
    pino.destination(stream),
  );
}

export type { Logger };
