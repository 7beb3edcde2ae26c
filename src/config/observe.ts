// Keys for watching aaawatch run: who may read /metrics and /healthz without signing in, and how
// the process log is written. Every key is documented in config/aaawatch.example.yaml.

import { z } from 'zod';
import { cidr } from './fields.js';

export const metricsSchema = z
  .object({
    /**
     * Addresses answered /metrics and /healthz without a session (a Prometheus server, a load
     * balancer's health check); from anywhere else they need a signed-in user or an API token.
     * Empty: always signed in.
     */
    allow: z.array(cidr).default(['127.0.0.1', '::1']),
  })
  .strict();

export const logSchema = z
  .object({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    /**
     * `auto`: readable lines at a terminal, JSON lines otherwise; `json` or `pretty` always. Under
     * journald each line also carries its syslog priority, whichever format.
     */
    format: z.enum(['auto', 'json', 'pretty']).default('auto'),
  })
  .strict();

export type LogConfig = z.infer<typeof logSchema>;
