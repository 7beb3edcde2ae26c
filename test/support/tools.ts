// Real tools some tests drive (logger, loggen, sshd, chromium). Outside CI a missing tool skips
// the test with a reason; with CI=true it fails, because .ci/run installs every one of them.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestContext } from 'vitest';

export function which(tool: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Path of a required tool; throws under CI when it is missing, returns undefined elsewhere. */
export function requireTool(tool: string): string | undefined {
  const found = which(tool);
  if (!found && process.env.CI === 'true') {
    throw new Error(`${tool} is not installed; .ci/run must install it`);
  }
  return found;
}

/**
 * Path of a tool a test needs. Missing outside CI, the test is skipped and reported with the
 * reason; under CI it fails.
 */
export function toolOrSkip(ctx: TestContext, tool: string): string {
  const found = requireTool(tool);
  if (!found) ctx.skip(`${tool} is not installed`);
  return found!;
}

/**
 * rsyslogd: on the PATH, or unpacked by .ci/run under /opt/aaawatch-test-tools (rsyslog and
 * syslog-ng cannot be installed together as Debian packages). With its module directory.
 */
export function rsyslog(): { rsyslogd: string; modules: string } | undefined {
  const unpacked = '/opt/aaawatch-test-tools/rsyslog';
  const candidates = [
    { rsyslogd: which('rsyslogd'), modules: '/usr/lib/x86_64-linux-gnu/rsyslog' },
    { rsyslogd: existsSync(`${unpacked}/usr/sbin/rsyslogd`) ? `${unpacked}/usr/sbin/rsyslogd` : undefined, modules: `${unpacked}/usr/lib/x86_64-linux-gnu/rsyslog` },
  ];
  const found = candidates.find((c) => c.rsyslogd && existsSync(`${c.modules}/omrelp.so`));
  if (!found && process.env.CI === 'true') throw new Error('rsyslogd with omrelp is not installed; .ci/run must unpack it');
  return found ? { rsyslogd: found.rsyslogd!, modules: found.modules } : undefined;
}
