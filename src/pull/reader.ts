// Reading one SSH channel: text accumulates until a decision about it holds (a prompt, a
// password question), under an idle timeout, an overall deadline and size bounds. Whatever the
// device sends, the wait ends: with a value, or with a PullError.

import { StringDecoder } from 'node:string_decoder';
import { PullError } from './errors.js';

export interface ReadLimits {
  /** Most bytes one command may produce (a configuration larger than this fails the pull). */
  maxBytes: number;
  /** Longest line, in characters. */
  maxLineLength: number;
  /**
   * Quiet time after a decision holds before it is taken: a prompt-like line that more output
   * follows within this time was not the prompt.
   */
  settleMs: number;
}

export interface WaitOptions {
  /** No data for this long fails the wait. */
  idleMs: number;
  /** Absolute time (epoch ms) the whole pull must end by. */
  deadline: number;
  /** What is being waited for, for the error message (`login`, `show running-config`). */
  what: string;
  /** A longer quiet time than the limits' settle time, for this wait only. */
  settleMs?: number;
}

/** The events of an ssh2 channel the reader uses. */
export interface ReadableChannel {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  stderr?: { on(event: 'data', listener: (chunk: Buffer) => void): unknown };
}

export class ChannelReader {
  private text = '';
  private lineStart = 0;
  private bytes = 0;
  private closed = false;
  private failure: PullError | undefined;
  private notify: (() => void) | undefined;
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    channel: ReadableChannel,
    private readonly limits: ReadLimits,
  ) {
    channel.on('data', (chunk) => this.append(chunk));
    // Devices write errors to stderr on exec channels; they are part of what the command said.
    channel.stderr?.on('data', (chunk) => this.append(chunk));
    channel.on('close', () => {
      this.closed = true;
      this.notify?.();
    });
    // A channel error (the connection reset mid-command) ends the read; it must not reach the process.
    channel.on('error', (err) => {
      this.failure ??= new PullError('closed', `the session failed: ${err.message.slice(0, 200)}`);
      this.notify?.();
    });
  }

  private append(chunk: Buffer): void {
    if (this.failure) return;
    this.bytes += chunk.length;
    if (this.bytes > this.limits.maxBytes) {
      this.failure = new PullError('too-large', `more than ${this.limits.maxBytes} bytes of output (raise pull.maxConfigBytes if this is genuine)`);
    } else {
      const added = this.decoder.write(chunk);
      // Every line the chunk ends or continues, the first one including what came before it.
      let from = 0;
      let length = this.text.length - this.lineStart;
      for (let nl = added.indexOf('\n'); ; nl = added.indexOf('\n', from)) {
        length += (nl < 0 ? added.length : nl) - from;
        if (length > this.limits.maxLineLength) {
          this.failure = new PullError('too-large', `a line longer than ${this.limits.maxLineLength} characters`);
          break;
        }
        if (nl < 0) break;
        this.lineStart = this.text.length + nl + 1;
        from = nl + 1;
        length = 0;
      }
      this.text += added;
    }
    this.notify?.();
  }

  /** Everything read since the last take, which starts the next read afresh. */
  take(): string {
    const t = this.text;
    this.text = '';
    this.lineStart = 0;
    this.bytes = 0;
    return t;
  }

  /** Forget the line the cursor is on (a pager prompt that has been answered). */
  dropTrailingLine(): void {
    this.text = this.text.slice(0, this.lineStart);
  }

  /**
   * Wait until `decide` returns a value for the text read so far and no more data arrives for the
   * settle time. `decide` runs once per arrival of data (it may answer pagers as a side effect).
   */
  wait<T>(decide: (text: string) => T | undefined, o: WaitOptions): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settle: NodeJS.Timeout | undefined;
      let idle: NodeJS.Timeout | undefined;
      const overall = setTimeout(() => finish(new PullError('timeout', `${o.what}: the pull's overall time limit ran out`)), Math.max(0, o.deadline - Date.now()));
      const finish = (result: PullError | { value: T }): void => {
        clearTimeout(overall);
        clearTimeout(settle);
        clearTimeout(idle);
        this.notify = undefined;
        if (result instanceof PullError) reject(result);
        else resolve(result.value);
      };
      const armIdle = (): void => {
        clearTimeout(idle);
        idle = setTimeout(() => finish(new PullError('timeout', `${o.what}: no answer for ${o.idleMs / 1000} s`)), o.idleMs);
      };
      const check = (): void => {
        if (this.failure) return finish(this.failure);
        clearTimeout(settle);
        let value: T | undefined;
        try {
          value = decide(this.text);
        } catch (err) {
          return finish(err instanceof PullError ? err : new PullError('closed', String(err)));
        }
        if (value !== undefined) {
          const decided = { value };
          settle = setTimeout(() => finish(decided), o.settleMs ?? this.limits.settleMs);
        } else if (this.closed) {
          return finish(new PullError('closed', `${o.what}: the device closed the session`));
        }
        armIdle();
      };
      this.notify = check;
      check();
    });
  }

  /** Wait for the channel to close (exec channels), returning everything it sent. */
  untilClosed(o: WaitOptions): Promise<string> {
    return this.wait(() => (this.closed ? this.text : undefined), o);
  }
}
