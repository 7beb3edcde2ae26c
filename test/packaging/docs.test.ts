// The manual page and bash completion the Debian package ships, generated from the command tree:
// man(1) renders the page without a warning and it names every command and option; bash, given
// the completion, completes commands, options, declared values and file names. And the tree a
// command line gets (programFor): only its command's module, each command as the whole tree has it.

import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Option, type Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { bashCompletion } from '../../packaging/docs/completion.js';
import { commandsOf, manPage, roff } from '../../packaging/docs/man.js';
import { createProgram, programFor } from '../../src/program.js';
import { tempDir } from '../support/temp.js';
import { requireTool } from '../support/tools.js';

const exec = promisify(execFile);
const dir = tempDir('aaawatch-docs-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('aaawatch(1)', () => {
  it('escapes what roff would read as markup', () => {
    expect(roff('.PP is not a request\n\'also not\na-b \\n')).toBe('\\&.PP is not a request\n\\&\'also not\na\\-b \\en');
  });

  // LANG=C renders with groff's ASCII device, which lacks glyphs a UTF-8 terminal has.
  it.for(['C', 'C.UTF-8'])('renders with man -l under LANG=%s, without warnings, naming every command and option', async (lang, ctx) => {
    if (!requireTool('man')) ctx.skip('man-db is not installed');
    const program = await createProgram();
    const page = join(dir, `aaawatch-${lang}.1`);
    writeFileSync(page, manPage(program, { version: '9.8.7', date: new Date('2026-11-30T12:00:00Z') }));
    const env = { ...process.env, LANG: lang, LC_ALL: lang, MANWIDTH: '100', MAN_KEEP_FORMATTING: '', PAGER: 'cat' };
    const { stdout, stderr } = await exec('man', ['--warnings=all', '-l', page], { env });
    expect(stderr).toBe('');
    const text = stdout.replace(/.\x08/g, '');
    expect(text).toMatch(/^AAAWATCH\(1\)\s+User Commands\s+AAAWATCH\(1\)$/m);
    expect(text).toMatch(/^aaawatch 9\.8\.7\s+2026-11-30\s+AAAWATCH\(1\)$/m);
    const help = program.createHelp();
    for (const { cmd } of commandsOf(program, help)) {
      // `…` is written as three dots in every locale (roff's GLYPHS).
      expect(text).toContain(help.commandUsage(cmd).replace(/…/g, '...'));
      for (const o of help.visibleOptions(cmd)) expect(text).toContain(help.optionTerm(o).replace(/…/g, '...'));
    }
    expect(text).toContain('/etc/aaawatch/aaawatch.yaml');
  });

  it('punctuation outside ASCII renders in the C locale as something near it, without a warning', async (ctx) => {
    if (!requireTool('man')) ctx.skip('man-db is not installed');
    const page = join(dir, 'glyphs.1');
    writeFileSync(page, `.TH X 1\n.SH NAME\nx \\- y\n.SH DESCRIPTION\n${roff('a… b— c→ d≤ e\u00a0f é\n…starts a line')}\n`);
    const { stdout, stderr } = await exec('man', ['--warnings=all', '-l', page], { env: { ...process.env, LANG: 'C', LC_ALL: 'C', MANWIDTH: '100', PAGER: 'cat' } });
    expect(stderr).toBe('');
    expect(stdout.replace(/.\x08/g, '')).toContain('a... b-- c-> d<= e f e ...starts a line');
  });
});

describe('bash completion', () => {
  const complete = async (words: string[], extra?: (p: Command) => void): Promise<string[]> => {
    const program = await createProgram();
    extra?.(program);
    const file = join(dir, 'completion.bash');
    writeFileSync(file, bashCompletion(program));
    const script = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _aaawatch; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const { stdout } = await exec('bash', ['-c', script, 'bash', file, ...words], { cwd: dir });
    return stdout.split('\n').filter(Boolean).sort();
  };

  it('completes commands and sub-commands', async () => {
    expect(await complete(['aaawatch', 'ver'])).toEqual(['verify', 'verify-export']);
    expect(await complete(['aaawatch', 'user', ''])).toEqual(['add', 'list', 'remove', 'token']);
    expect(await complete(['aaawatch', 'finding', 'a'])).toEqual(['accept', 'ack']);
  });

  it('completes the options of the command typed, past options and their values', async () => {
    expect(await complete(['aaawatch', 'user', 'add', '--r'])).toEqual(['--replace', '--role']);
    expect(await complete(['aaawatch', 'stats', '--hours', '12', '--'])).toEqual(['--config', '--help', '--hours', '--json']);
  });

  it('completes file names after a file option, declared choices after theirs, nothing after free values', async () => {
    writeFileSync(join(dir, 'collector.yaml'), '');
    expect(await complete(['aaawatch', 'serve', '--config', 'coll'])).toEqual(['collector.yaml']);
    expect(await complete(['aaawatch', 'stats', '--hours', ''])).toEqual([]);
    const withChoices = (p: Command): void => {
      p.commands.find((c) => c.name() === 'stats')!.addOption(new Option('--unit <unit>').choices(['hours', 'days']));
    };
    expect(await complete(['aaawatch', 'stats', '--unit', ''], withChoices)).toEqual(['days', 'hours']);
  });
});

/** Every command under `cmd`, with its path of names. */
function commandsUnder(cmd: Command, path: string[] = []): Array<{ path: string[]; cmd: Command }> {
  return cmd.commands.flatMap((c) => [{ path: [...path, c.name()], cmd: c }, ...commandsUnder(c, [...path, c.name()])]);
}

function find(program: Command, path: string[]): Command | undefined {
  let at: Command | undefined = program;
  for (const name of path) at = at?.commands.find((c) => c.name() === name);
  return at;
}

describe('the command tree of a command line', () => {
  it('holds the command named, described as in the whole tree, and not every other command', async () => {
    const whole = await createProgram();
    const all = commandsUnder(whole);
    expect(whole.commands.length).toBeGreaterThan(15);
    for (const { path, cmd } of all) {
      const program = await programFor([...path, '--json']);
      expect(program.commands.length, path.join(' ')).toBeLessThan(whole.commands.length);
      expect(find(program, path)?.helpInformation(), path.join(' ')).toBe(cmd.helpInformation());
    }
  });

  it('is the whole tree for help, no command, or a command it does not know', async () => {
    const names = (await createProgram()).commands.map((c) => c.name());
    for (const args of [[], ['--help'], ['-h'], ['help'], ['help', 'stats'], ['frobnicate'], ['--frobnicate', 'stats']]) {
      expect((await programFor(args)).commands.map((c) => c.name()), args.join(' ')).toEqual(names);
    }
  });

  it('has no commands for --version, and the same top as the whole tree', async () => {
    const whole = await createProgram();
    for (const args of [['--version'], ['-V']]) {
      const program = await programFor(args);
      expect(program.commands).toEqual([]);
      expect(program.version()).toBe(whole.version());
      expect(program.description()).toBe(whole.description());
    }
  });
});
