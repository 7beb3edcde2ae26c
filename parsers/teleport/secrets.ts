// Teleport: a recorded session's `session.command` event gives a program's arguments as a JSON
// array (`"argv":["-p","X","bob"]`, the path after it), so the Linux forms, which read a command
// line, do not see `useradd -p X` in it. A password given to useradd or usermod (`-p`/`--password`,
// useradd(8), usermod(8): the value is the next argument, or joined to `-p`) is the one secret an
// account change typed in a session carries; `--password=X` the generic forms already read.

import { form, rx, type SecretGrammar } from '../lib/secrets/grammar.js';

/** The next array element's inside, as JSON writes it. */
const ELEMENT = String.raw`"(?<vq>(?:[^"\\\n]|\\.)*)"`;

export const teleportSecrets: SecretGrammar = [
  // Only in events of useradd and usermod (by their program or path): elsewhere `-p` is a port.
  form(['"program":"useradd"', '"program":"usermod"', '/useradd"', '/usermod"'], rx()`"(?:-p|--password)"\s*,\s*${ELEMENT}|"-p(?<vj>(?:[^"\\\n]|\\.)+)"`),
];
