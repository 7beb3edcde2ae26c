// Replaying a recorded session (transcript.ts) on one SSH session's stream: the login banner
// and prompt, each command's echo and output as the device sent them, `--More--` pages,
// `enable` with its password question, and the switches that reproduce field failures (see
// EmulatorOptions in device.ts). It runs behind ssh2's Server (device.ts) and behind a real
// OpenSSH sshd's ForceCommand (forcecommand.ts).

import { RECORDINGS } from './recordings.js';
import type { Exchange, Transcript } from './transcript.js';

export interface ReplayOptions {
  transcript: Transcript;
  /** Printed before the recorded login text. */
  banner?: string;
  /** "Press any key to continue" before the prompt; nothing more until a key arrives. */
  pressAnyKey?: boolean;
  /**
   * Start unprivileged (`host>`) and make `enable` ask for this secret. Recordings whose own
   * `enable` answer asks `Password:` (ASA) always ask; this is the secret they expect.
   */
  enableSecret?: string;
  /** Write every answer in pieces of this many bytes, this many ms apart. */
  chunk?: { size: number; delayMs: number };
  /** Add prompt-like lines to the configuration and pause right after each, before its newline. */
  promptLikeLines?: { lines: string[]; pauseMs: number };
  /** `\r` before every prompt and `\r\r\n` line ends, as some devices send. */
  strayCr?: boolean;
  /** Stop answering: after login (no prompt ever), or when the configuration command arrives. */
  hang?: 'login' | 'command';
  /** Page answers longer than this many lines behind a `--More--` prompt. */
  pageLines?: number;
  /** Answers for commands the recording lacks (test-authored, e.g. RouterOS `/user print detail`). */
  extra?: Exchange[];
  /**
   * Awaited when a shell session opens, before anything is written: what the device does while a
   * client logs in (test/reconcile/cli-pull-login.test.ts has it log a `username` then).
   */
  atLogin?: () => Promise<void>;
}

/** What a replay needs of a session's stream (an ssh2 ServerChannel, or stdio under sshd). */
export interface SessionStream {
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  write(text: string): unknown;
  end(): unknown;
  readonly writable: boolean;
}

export interface Replayer {
  /** An interactive shell session, until the client says exit. */
  shell(stream: SessionStream): Promise<void>;
  /** One exec channel's command. */
  exec(stream: SessionStream, command: string, exit: (code: number) => void): Promise<void>;
}

export const DEFAULT_ENABLE = 'Emulator-Enable-42';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The prompt a recording ends its login with (its last line). */
function recordedPrompt(t: Transcript): string {
  const lines = t.initPrompt.split('\n');
  return lines[lines.length - 1] ?? '';
}

function unprivilegedForm(prompt: string): string {
  return prompt.replace(/#(\s*)$/, '>$1');
}

function privilegedForm(prompt: string): string {
  return prompt.replace(/>(\s*)$/, '#$1');
}

/**
 * A model's pager prompt and what the device writes, once answered, to take it off the screen. IOS
 * steps back with backspaces (the FortiGate recordings show the `\r` form); Comware and VRP move the
 * cursor left with `ESC[nD` over the pager, blank it and move back (`  ---- More ----\x1b[16D` and
 * 16 blanks, VRP also 42 of each: what scripts that read these devices strip, e.g. index file ids
 * 17779772203, 45967160372).
 */
function pagerOf(model: string): { more: string; erase: string } {
  const backspaces = (more: string): { more: string; erase: string } => ({ more, erase: '\b'.repeat(more.length) + ' '.repeat(more.length) + '\b'.repeat(more.length) });
  const cursorLeft = (n: number): { more: string; erase: string } => ({ more: '  ---- More ----', erase: `\x1b[${n}D${' '.repeat(n)}\x1b[${n}D` });
  if (model === 'asa') return backspaces('<--- More --->');
  if (model === 'h3c') return cursorLeft(16);
  if (model === 'vrp') return cursorLeft(42);
  return backspaces(' --More-- ');
}

class Answers {
  private readonly queues = new Map<string, string[]>();

  constructor(exchanges: readonly Exchange[]) {
    for (const e of exchanges) this.queues.set(e.command, [...(this.queues.get(e.command) ?? []), e.response]);
  }

  /** The next recorded answer (a repeated command, like each `--More--` page, answers in order; the last one repeats). */
  next(command: string): string | undefined {
    const q = this.queues.get(command);
    if (!q) return undefined;
    return q.length > 1 ? q.shift() : q[0];
  }
}

function unknownCommand(model: string, command: string): string {
  const own = RECORDINGS.get(model)?.unknownCommand;
  return own ? own(command) : `${command}\n% Invalid input detected at '^' marker.\n\n`;
}

/** A replayer for these options; every command line it receives is appended to `received`. */
export function replayer(o: ReplayOptions, received: string[]): Replayer {
  const enableSecret = o.enableSecret ?? DEFAULT_ENABLE;
  const loginPrompt = recordedPrompt(o.transcript);
  // The prompt without its mode character: a recorded answer ending in a line that starts with it ends with a prompt.
  const base = loginPrompt.replace(/^\r+/, '').replace(/\s*[#>$%]\s*$/, '');
  const model = o.transcript.model;

  /** What the device writes: line ends and prompts as this emulated device sends them. */
  const shape = (text: string): string => (o.strayCr ? text.replace(/\n/g, '\r\r\n') : text);

  const write = async (stream: SessionStream, text: string, pauses: readonly number[] = []): Promise<void> => {
    const cuts = new Set(pauses);
    const size = o.chunk?.size ?? text.length;
    let at = 0;
    while (at < text.length) {
      const nextCut = [...cuts].filter((c) => c > at).sort((a, b) => a - b)[0];
      const end = Math.min(at + Math.max(1, size), text.length, nextCut ?? Infinity);
      if (!stream.writable) return;
      stream.write(text.slice(at, end));
      at = end;
      if (cuts.has(at)) await sleep(o.promptLikeLines!.pauseMs);
      else if (o.chunk && at < text.length) await sleep(o.chunk.delayMs);
    }
  };

  /** The configuration answer with the prompt-like lines added near its end, and where to pause. */
  const withPromptLikeLines = (response: string): { text: string; pauses: number[] } => {
    if (!o.promptLikeLines) return { text: response, pauses: [] };
    const lines = response.split('\n');
    const at = Math.max(1, lines.length - 6);
    const before = lines.slice(0, at).join('\n') + '\n';
    const pauses: number[] = [];
    let text = before;
    for (const l of o.promptLikeLines.lines) {
      text += l;
      pauses.push(text.length);
      text += '\n';
    }
    return { text: text + lines.slice(at).join('\n'), pauses };
  };

  const shell = async (stream: SessionStream): Promise<void> => {
    const answers = new Answers([...o.transcript.exchanges, ...(o.extra ?? [])]);
    // The emulator may start a privileged recording unprivileged, to make `enable` ask.
    let enabled = o.enableSecret === undefined && !/>\s*$/.test(loginPrompt);
    const show = (p: string): string => (o.strayCr ? '\r' : '') + (enabled ? privilegedForm(p) : unprivilegedForm(p));
    let prompt = loginPrompt;
    let input = '';
    let waiter: (() => void) | undefined;
    let started = false;
    let busy = false;

    const nextInput = async (): Promise<string> => {
      while (!input) await new Promise<void>((resolve) => (waiter = resolve));
      const text = input;
      input = '';
      return text;
    };
    const nextLine = async (): Promise<string> => {
      let line = '';
      while (!/[\r\n]/.test(line)) line += await nextInput();
      const end = /[\r\n]/.exec(line)!.index;
      input = line.slice(end + 1).replace(/^\n/, '') + input;
      return line.slice(0, end);
    };

    const answer = async (command: string): Promise<void> => {
      if (command === 'enable' && (o.enableSecret !== undefined || answers.next('enable')?.includes('Password:'))) {
        await write(stream, 'enable\n' + 'Password: ');
        const secret = await nextLine();
        received.push('<enable secret>');
        if (secret === enableSecret) enabled = true;
        await write(stream, shape(secret === enableSecret ? '\n' : '\n% Access denied\n\n') + show(prompt));
        return;
      }
      let recorded = answers.next(command);
      if (recorded === undefined) {
        await write(stream, shape(unknownCommand(model, command)) + show(prompt));
        return;
      }
      if (o.hang === 'command' && !/^(?:terminal|set cli)\b/.test(command)) {
        await write(stream, command + '\n');
        return;
      }
      // A recorded page that ends in the device's pager continues with the recorded `' '` answer.
      while (/--More--\s*$/.test(recorded)) {
        await write(stream, recorded);
        const key = await nextInput();
        received.push('<space>');
        const more = key.startsWith(' ') ? answers.next(' ') : undefined;
        if (more === undefined) return;
        recorded = more;
      }
      // A recorded answer ends with the prompt the device showed next; it is re-sent in this session's form.
      const cut = recorded.lastIndexOf('\n');
      const last = recorded.slice(cut + 1);
      const endsWithPrompt = last.replace(/^\r+/, '').startsWith(base);
      if (endsWithPrompt) prompt = last;
      // Another user's prompt (the recording switched user with `sudo su -`, which this session did
      // not): the device's answer ends there all the same, and this session's own prompt follows.
      const endsWithOtherPrompt = !endsWithPrompt && cut >= 0 && /^\S+@\S+[#$] ?$/.test(last.replace(/^\r+/, ''));
      const { text, pauses } = withPromptLikeLines(endsWithPrompt || endsWithOtherPrompt ? recorded.slice(0, cut + 1) : recorded);
      await page(stream, shape(text), pauses, nextInput);
      await write(stream, show(prompt));
    };

    const drain = async (): Promise<void> => {
      if (busy || !started) return;
      busy = true;
      try {
        while (input) {
          const m = /[\r\n]/.exec(input);
          if (!m) return;
          const command = input.slice(0, m.index).trim();
          input = input.slice(m.index + 1).replace(/^\n/, '');
          if (!command) {
            await write(stream, '\n' + show(prompt));
            continue;
          }
          received.push(command);
          if (/^(?:exit|quit|logout)$/.test(command)) {
            stream.end();
            return;
          }
          await answer(command);
        }
      } finally {
        busy = false;
      }
    };

    stream.on('data', (data: Buffer) => {
      input += data.toString('utf8');
      if (waiter) {
        const w = waiter;
        waiter = undefined;
        w();
      } else {
        void drain();
      }
    });

    if (o.atLogin) await o.atLogin();
    if (o.banner) await write(stream, shape(o.banner));
    if (o.pressAnyKey) {
      await write(stream, 'Press any key to continue');
      await nextInput();
      await write(stream, '\r\n');
    }
    if (o.hang === 'login') return;
    await write(stream, shape(o.transcript.initPrompt.slice(0, o.transcript.initPrompt.length - loginPrompt.length)) + show(prompt));
    started = true;
    await drain();
  };

  /** Write an answer, `pageLines` lines at a time behind a pager prompt. */
  const page = async (stream: SessionStream, text: string, pauses: number[], nextInput: () => Promise<string>): Promise<void> => {
    if (!o.pageLines) return write(stream, text, pauses);
    const { more, erase } = pagerOf(model);
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i += o.pageLines) {
      const last = i + o.pageLines >= lines.length;
      await write(stream, lines.slice(i, i + o.pageLines).join('\n') + (last ? '' : '\n'));
      if (last) break;
      await write(stream, more);
      const key = await nextInput();
      received.push('<space>');
      if (key !== ' ') return;
      await write(stream, erase);
    }
  };

  const exec = async (stream: SessionStream, command: string, exit: (code: number) => void): Promise<void> => {
    received.push(command);
    const recorded = new Answers([...o.transcript.exchanges, ...(o.extra ?? [])]).next(command);
    if (o.hang === 'command') return;
    if (recorded === undefined) {
      await write(stream, unknownCommand(model, command));
      exit(1);
    } else {
      await write(stream, shape(recorded));
      exit(0);
    }
    stream.end();
  };

  return { shell, exec };
}
