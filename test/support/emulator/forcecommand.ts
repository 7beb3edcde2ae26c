// A recorded device behind a real OpenSSH sshd: its `ForceCommand` runs this with a recording's
// path. A shell session (SSH_ORIGINAL_COMMAND unset) replays the login and answers commands on
// the PTY sshd allocated; an exec session answers the one command. sshd does the SSH: its key
// exchange, host key, authentication and PTY are the real thing.

import { loadTranscript } from './transcript.js';
import { replayer, type SessionStream } from './replay.js';

const transcript = loadTranscript(process.argv[2]!);
const replay = replayer({ transcript }, []);

const stdio: SessionStream = {
  on: (event, listener) => process.stdin.on(event, listener),
  write: (text) => process.stdout.write(text),
  end: () => process.stdout.end(() => process.exit(0)),
  get writable() {
    return process.stdout.writable;
  },
};

const command = process.env.SSH_ORIGINAL_COMMAND;
if (command) {
  await replay.exec(stdio, command, (code) => {
    process.exitCode = code;
  });
} else {
  // The device, not the PTY, echoes what is typed (the recording holds its echo).
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  process.stdin.on('end', () => process.exit(0));
  await replay.shell(stdio);
}
