// One command's output from what the device sent after it was typed: the echo of the command
// and the prompt that followed are not output; a device error means the command failed.

import { renderLines, withoutControls } from './terminal.js';

/**
 * The rendered text the device printed between the command's echo and the closing prompt (last
 * line), byte for byte: every line keeps its end, its trailing blanks, and the blank lines before
 * the prompt (a snapshot is what the device sent). The echo ends with the command as typed (a
 * prompt may precede it); a late prompt or blank line from before the command, ahead of the echo,
 * goes with it. Without a prompt (an exec channel), the whole output as rendered.
 */
export function commandOutput(raw: string, command: string, closedByPrompt: boolean): string {
  const lines = renderLines(raw);
  if (closedByPrompt) lines.pop();
  const echo = command ? lines.slice(0, 3).findIndex((l) => withoutControls(l).trimEnd().endsWith(command)) : -1;
  const output = lines.slice(echo + 1);
  // Before a prompt, every line ended with the newline that put the prompt on a line of its own.
  return closedByPrompt ? output.map((l) => l + '\n').join('') : output.join('\n');
}

/** Devices report a failed command at the top of its output; a configuration may quote error-like text further down. */
export function commandError(output: string, errors: readonly RegExp[]): string | undefined {
  const head = output.split('\n', 6).join('\n');
  for (const re of errors) {
    const m = re.exec(head);
    if (m) {
      const start = head.lastIndexOf('\n', m.index) + 1;
      const end = head.indexOf('\n', m.index);
      return head.slice(start, end < 0 ? undefined : end).trim().slice(0, 200);
    }
  }
  return undefined;
}
