// A fleet of emulated devices in their own process (`tsx test/support/emulator/fleet.ts N`), so
// a test or the bench measures aaawatch's side of the connections alone. It starts N devices,
// cycling through every recording in the corpus, prints one JSON line per device
// ({name, port, model, platform}) and then `ready`, and stops when its stdin closes.

import { corpusPath } from '../corpus.js';
import { startEmulator, type RunningEmulator } from './device.js';
import { RECORDINGS } from './recordings.js';
import { corpusTranscripts } from './targets.js';
import { loadTranscript } from './transcript.js';

const count = Number(process.argv[2] ?? '1');
const transcripts = corpusTranscripts().map((f) => loadTranscript(corpusPath('ssh-sessions', f)));
const running: RunningEmulator[] = [];
for (let i = 0; i < count; i++) {
  const transcript = transcripts[i % transcripts.length]!;
  const recordings = RECORDINGS.get(transcript.model)!;
  const emu = await startEmulator({ transcript, extra: recordings.extra ?? [] });
  running.push(emu);
  const name = `emu-${String(i).padStart(4, '0')}-${transcript.name.split('#').slice(0, 2).join('-')}`;
  process.stdout.write(JSON.stringify({ name, port: emu.port, model: transcript.model, platform: recordings.platform }) + '\n');
}
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => {
  void Promise.all(running.map((e) => e.close())).then(() => process.exit(0));
});
