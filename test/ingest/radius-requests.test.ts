// What RadiusRequests.handle keeps of a packet: nothing that views it. A batched reader hands over
// its own slot and reads into it again after the call (radius/listener.ts), so every answer and
// every record must be what the packet said when it arrived, retransmissions that wait for the
// first's commit included. A real pipeline, writer and gate; the sink commits when the test says.

import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { CommitGate } from '../../src/ingest/native/commit.js';
import { NativeDevices } from '../../src/ingest/native/device.js';
import { Pipeline } from '../../src/ingest/pipeline.js';
import { RadiusRequests, type Requester } from '../../src/ingest/radius/requests.js';
import { createReader } from '../../src/ingest/service.js';
import type { IngestBatch } from '../../src/store/batch.js';
import { IngestWriter } from '../../src/store/writer.js';

const SECRET = Buffer.from('slot-secret');
const attr = (type: number, value: Buffer): Buffer => Buffer.concat([Buffer.from([type, value.length + 2]), value]);
const int = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/** An Accounting-Request Start of `session`, sent `delay` seconds late, signed as RFC 2866 §3 says. */
function start(identifier: number, session: string, delay: number): Buffer {
  const attrs = Buffer.concat([
    attr(40, int(1)), attr(1, Buffer.from('alice')), attr(44, Buffer.from(session)), attr(32, Buffer.from('nas-1')), attr(6, int(7)),
    attr(31, Buffer.from('192.0.2.7')), attr(41, int(delay)),
  ]);
  const p = Buffer.concat([Buffer.from([4, identifier, 0, 0]), Buffer.alloc(16), attrs]);
  p.writeUInt16BE(p.length, 2);
  createHash('md5').update(p).update(SECRET).digest().copy(p, 4);
  return p;
}

/** Whether `answer` is the Accounting-Response to `request`: its identifier, and MD5(answer with the request's authenticator, secret). */
function answers(answer: Buffer | undefined, request: Buffer): boolean {
  if (!answer || answer[0] !== 5 || answer[1] !== request[1]) return false;
  const signed = Buffer.from(answer);
  request.copy(signed, 4, 4, 20);
  return createHash('md5').update(signed).update(SECRET).digest().equals(answer.subarray(4, 20));
}

const turns = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe('RadiusRequests.handle keeps no view of the packet', () => {
  it('answers and stores what each packet said, though the reader reads into its slot again after each call', async () => {
    const batches: IngestBatch[] = [];
    const commits: Array<() => void> = [];
    const writer = new IngestWriter(
      { write: (b) => (batches.push(b), new Promise<void>((resolve) => commits.push(resolve))) },
      { batchRows: 1000, batchMillis: 60_000, keepRejectedPerReason: 0 },
    );
    const pipeline = new Pipeline(createReader(defaultConfig(), []).reader, writer, { storeAllMessages: false });
    const requests = new RadiusRequests(
      { duplicateCacheSize: 64, duplicateSeconds: 60, maxSessions: 64, maxPending: 64 },
      { pipeline, writer, gate: new CommitGate(writer), devices: new NativeDevices([], []), log: pino({ level: 'silent' }) },
    );
    const got: Array<{ peer: number; answer: Buffer }> = [];
    const from = (peer: number): Requester => ({ source: '192.0.2.1', peer, secrets: [SECRET], reply: (answer) => got.push({ peer, answer }) });
    const slot = Buffer.alloc(4096);
    const t0 = Date.now();
    const arrive = (packet: Buffer, peer: number, at: number): void => {
      packet.copy(slot);
      requests.handle(slot.subarray(0, packet.length), from(peer), at);
      // The reader's next read.
      slot.fill(0xee);
    };

    const first = start(1, 'sess-1', 0);
    // The same request again, and the NAS's own retransmission with a longer Acct-Delay-Time (a
    // new Identifier and authenticator), both while the first waits for its commit.
    const again = first;
    const later = start(2, 'sess-1', 3);
    arrive(first, 1, t0);
    arrive(again, 1, t0 + 1000);
    // Sent 3 s after the first, with its delay: the same moment.
    arrive(later, 2, t0 + 3000);
    await turns(3);
    expect(got).toEqual([]);
    expect(batches).toHaveLength(1);
    commits.shift()!();
    await turns(3);

    const byPeer = (peer: number): Buffer[] => got.filter((g) => g.peer === peer).map((g) => g.answer);
    expect(byPeer(1)).toHaveLength(2);
    expect(byPeer(1).every((a) => answers(a, first))).toBe(true);
    expect(byPeer(2)).toHaveLength(1);
    expect(answers(byPeer(2)[0], later)).toBe(true);
    // One session start stored, its raw line the first request's attributes.
    const lines = batches.flatMap((b) => b.records);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('session.start');
    expect(lines[0]).toContain('User-Name=alice\\tAcct-Session-Id=sess-1\\tNAS-Identifier=nas-1');
    expect(lines[0]).not.toMatch(/\\xee|î/);
  });
});
