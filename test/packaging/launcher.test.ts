// The Debian package's launcher (/usr/bin/aaawatch and launch.cjs), run from a copy laid out as the
// package lays it out: it finds node, defaults to the service's configuration, and refuses a Node.js
// whose ABI the package's native module was not built for, saying what it found and what it needs.

import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

const exec = promisify(execFile);
const dir = tempDir('aaawatch-launcher-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A package tree under `dir/<name>` whose cli.js prints what it was started with; `abi` stands for the build's. */
function layout(name: string, abi: string, config?: string): string {
  const root = join(dir, name);
  const lib = join(root, 'usr/lib/aaawatch');
  mkdirSync(join(lib, 'dist/src'), { recursive: true });
  writeFileSync(join(lib, 'dist/src/cli.js'), 'console.log(JSON.stringify({ args: process.argv.slice(2), config: process.env.AAAWATCH_CONFIG ?? null }));\n');
  writeFileSync(join(lib, 'package.json'), '{"type":"module"}\n');
  const launch = readFileSync(join(REPO, 'packaging/deb/launch.cjs'), 'utf8').replace('@NODE_ABI@', abi).replace('@NODE_MAJOR@', '20');
  writeFileSync(join(lib, 'launch.cjs'), launch);
  const sh = readFileSync(join(REPO, 'packaging/deb/aaawatch.sh'), 'utf8')
    .replaceAll('@NODE_MAJOR@', '20')
    .replaceAll('/usr/lib/aaawatch/', `${lib}/`)
    .replaceAll('/etc/aaawatch/aaawatch.yaml', config ?? join(root, 'etc/aaawatch/aaawatch.yaml'));
  const bin = join(root, 'usr/bin/aaawatch');
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  writeFileSync(bin, sh);
  chmodSync(bin, 0o755);
  return bin;
}

const run = async (bin: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await exec(bin, ['stats', '--json'], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

describe('the package launcher', () => {
  const path = `${join(process.execPath, '..')}:/usr/bin:/bin`;

  it('runs aaawatch with the node on the PATH and the service configuration when none is named', async () => {
    const config = join(dir, 'service.yaml');
    writeFileSync(config, '');
    const bin = layout('ok', process.versions.modules, config);
    const r = await run(bin, { PATH: path });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ args: ['stats', '--json'], config });
    const named = await run(bin, { PATH: path, AAAWATCH_CONFIG: '/elsewhere.yaml' });
    expect(JSON.parse(named.stdout).config).toBe('/elsewhere.yaml');
  });

  it('refuses a Node.js of another ABI than the package was built for, and says which', async () => {
    const r = await run(layout('abi', '999'), { PATH: path });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`this aaawatch package was built for Node.js 20 (module ABI 999); ${process.execPath} is ${process.version} (ABI ${process.versions.modules}).`);
  });

  it('says so when no node can be found, or AAAWATCH_NODE names none', async () => {
    const bin = layout('none', process.versions.modules);
    const missing = await run(bin, { PATH: join(dir, 'empty') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Node.js 20 (20.19 or newer) is needed and none was found on the PATH');
    const wrong = await run(bin, { PATH: path, AAAWATCH_NODE: '/nonexistent/node' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('AAAWATCH_NODE is /nonexistent/node, which is not an executable file');
  });
});
