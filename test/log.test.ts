// The process log in each place it is written: JSON lines to a pipe or file, readable lines at a
// terminal (a real pseudo-terminal, from util-linux `script`), and under journald (JOURNAL_STREAM
// naming the very file stdout is) each line led by its syslog priority. Run in a child process,
// as serve runs it, with the built logger.

import { execFile, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from './support/corpus.js';
import { tempDir } from './support/temp.js';
import { requireTool } from './support/tools.js';

const exec = promisify(execFile);
const LOG = join(REPO, 'dist/src/log.js');
const SCRIPT = `import { createLogger } from ${JSON.stringify(LOG)};
const log = createLogger({ level: 'debug', format: process.argv[1] });
log.debug('d-line'); log.info({ password: 'hunter2', device: 'r1' }, 'i-line'); log.warn('w-line'); log.error('e-line'); log.fatal('f-line');`;
const args = (format: string): string[] => ['--input-type=module', '-e', SCRIPT, format];

const dir = tempDir('aaawatch-log-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run with stdout on a file; `journal`: JOURNAL_STREAM set to that file's device and inode (or another's). */
async function toFile(format: string, journal: 'this file' | 'another file' | 'none'): Promise<string[]> {
  const out = join(dir, `out-${format}-${journal.replace(' ', '-')}.log`);
  const fd = openSync(out, 'w');
  const st = statSync(journal === 'another file' ? dir : out, { bigint: true });
  const env = { ...process.env, JOURNAL_STREAM: journal === 'none' ? '' : `${st.dev}:${st.ino}` };
  await new Promise<void>((resolve, reject) => {
    const p = spawn(process.execPath, args(format), { stdio: ['ignore', fd, 'inherit'], env });
    p.on('error', reject);
    p.on('exit', () => resolve());
  });
  closeSync(fd);
  return readFileSync(out, 'utf8').split('\n').filter(Boolean);
}

describe('log format', () => {
  it('writes JSON lines to a pipe, secrets censored', async () => {
    const { stdout } = await exec(process.execPath, args('auto'), { env: { ...process.env, JOURNAL_STREAM: '' } });
    const lines = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string; password?: string });
    expect(lines.map((l) => [l.level, l.msg])).toEqual([[20, 'd-line'], [30, 'i-line'], [40, 'w-line'], [50, 'e-line'], [60, 'f-line']]);
    expect(lines[1]!.password).toBe('<redacted>');
  });

  it('writes readable lines at a terminal', async (ctx) => {
    if (!requireTool('script')) ctx.skip('util-linux script is not installed');
    const command = [process.execPath, ...args('auto')].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const { stdout } = await exec('script', ['-q', '-e', '-c', command, '/dev/null'], { env: { ...process.env, JOURNAL_STREAM: '' } });
    const text = stdout.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r/g, '');
    expect(text).not.toContain('{"level"');
    expect(text).toMatch(/^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}\] INFO: i-line$/m);
    expect(text).toMatch(/^\s+password: "<redacted>"$/m);
    expect(text).toMatch(/^\[.*\] WARN: w-line$/m);
    expect(text).not.toContain('hunter2');
  });

  it('`log.format: pretty` writes readable lines to a file too, `json` writes JSON', async () => {
    const pretty = await toFile('pretty', 'none');
    expect(pretty.some((l) => /\] ERROR: e-line$/.test(l))).toBe(true);
    const json = await toFile('json', 'none');
    expect(json.every((l) => l.startsWith('{"level":'))).toBe(true);
  });

  it('under journald every line carries the syslog priority of its level', async () => {
    const lines = await toFile('auto', 'this file');
    expect(lines.map((l) => l.slice(0, 3))).toEqual(['<7>', '<6>', '<4>', '<3>', '<2>']);
    expect(lines.map((l) => (JSON.parse(l.slice(3)) as { msg: string }).msg)).toEqual(['d-line', 'i-line', 'w-line', 'e-line', 'f-line']);
    // Readable and journald: one line per entry, so the priority covers all of it.
    const pretty = await toFile('pretty', 'this file');
    expect(pretty).toHaveLength(5);
    expect(pretty[1]).toMatch(/^<6>\[.*\] INFO: i-line \{"password":"<redacted>","device":"r1"\}$/);
  });

  it('passes every string it writes through the secret gate: messages, fields, errors', async () => {
    const script = `import { createLogger } from ${JSON.stringify(LOG)};
const log = createLogger({ level: 'info', format: 'json' });
log.info('pull of r1 failed at: username bob secret 0 LogSecret1');
log.warn({ line: 'snmp-server community LogSecret2 RO', device: 'r1' }, 'kept');
log.error({ err: new Error('cannot read: enable password 7 LogSecret3') }, 'failed');`;
    const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, JOURNAL_STREAM: '' } });
    const lines = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; line?: string; err?: { message: string; stack: string } });
    expect(lines[0]!.msg).toBe('pull of r1 failed at: username bob secret 0 <redacted>');
    expect(lines[1]!.line).toBe('snmp-server community <redacted> RO');
    expect(lines[2]!.err!.message).toBe('cannot read: enable password 7 <redacted>');
    expect(stdout).not.toMatch(/LogSecret/);
  });

  it('a JOURNAL_STREAM naming another file (stdout was redirected) adds no priority', async () => {
    const lines = await toFile('auto', 'another file');
    expect(lines.every((l) => l.startsWith('{"level":'))).toBe(true);
  });
});
