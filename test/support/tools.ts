// Real tools some tests drive (logger, loggen, sshd, chromium). Outside CI a missing tool skips
// the test with a reason; with CI=true it fails, because .ci/run installs every one of them.

import { execFileSync } from 'node:child_process';

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
