// Whether a device's running configuration makes it auditable: its commands accounted to an AAA
// server, its configuration changes written to syslog (what the platform modules read), and a
// logging host pointing at this collector. Read from the latest redacted snapshot by the
// platform's own `audit`; a platform without a setting for one of these (no command accounting)
// gets only the checks that apply, and a platform without `audit` gets none. The commands named
// in details are the vendors' own.

import { platformById } from '../../parsers/index.js';
import type { AuditCheck } from '../types.js';

export type { AuditCheck, AuditCheckName } from '../types.js';

/** The auditability checks that apply to this platform, read from a (redacted) configuration. */
export function auditability(platform: string, config: string, collectors: readonly string[]): AuditCheck[] {
  return platformById(platform)?.audit?.(config, collectors) ?? [];
}
