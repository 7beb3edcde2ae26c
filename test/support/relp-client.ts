// A minimal RELP client written from the specification (librelp doc/relp.md), sharing no code with
// the server: it writes frames as given and reads back every frame the server sends.

import net from 'node:net';

export interface ServerFrame {
  txnr: number;
  command: string;
  data: string;
}

export class RelpTestClient {
  readonly frames: ServerFrame[] = [];
  closed = false;
  private buf = '';
  private waiters: Array<() => void> = [];
  private txnr = 1;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      for (;;) {
        const m = /^(\d+) (\w+) (\d+)[ \n]/.exec(this.buf);
        if (!m) break;
        const len = Number(m[3]);
        const start = len === 0 ? m[0].length - 1 : m[0].length;
        if (this.buf.length < start + len + 1) break;
        this.frames.push({ txnr: Number(m[1]), command: m[2]!, data: this.buf.slice(start, start + len) });
        this.buf = this.buf.slice(start + len + 1);
      }
      this.wake();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static connect(port: number): Promise<RelpTestClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RelpTestClient(s)));
      s.once('error', reject);
    });
  }

  /** Send a command with the next TXNR; returns the TXNR. */
  send(command: string, data = ''): number {
    const txnr = this.txnr++;
    const body = Buffer.from(data, 'utf8');
    this.socket.write(body.length ? Buffer.concat([Buffer.from(`${txnr} ${command} ${body.length} `), body, Buffer.from('\n')]) : `${txnr} ${command} 0\n`);
    return txnr;
  }

  open(): number {
    return this.send('open', 'relp_version=0\nrelp_software=aaawatch-test\ncommands=syslog');
  }

  raw(bytes: string | Buffer): void {
    this.socket.write(bytes);
  }

  /** Resolves once `count` frames have arrived (or the connection closed). */
  async until(count: number, ms = 10_000): Promise<ServerFrame[]> {
    const deadline = Date.now() + ms;
    while (this.frames.length < count && !this.closed) {
      if (Date.now() > deadline) throw new Error(`only ${this.frames.length} of ${count} frames arrived`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.frames;
  }

  /** Resolves once the server closed the connection. */
  async ended(ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('the server did not close the connection');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
