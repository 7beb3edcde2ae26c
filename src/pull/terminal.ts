// What a terminal would show for device output: devices redraw lines with `\r` (pager erasure
// `\r         \r`, a prompt that starts with `\r`), step back with `\b` or a cursor-left escape,
// and colour or clear with ANSI escapes. Prompts and pagers are recognised on the rendered text, never the bytes.
// Output keeps every other character the device sent, control characters too: a vertical tab or
// a NUL between a keyword and its value is the configuration's text (dropped, `secret\vX` became
// `secretX`, a value fused to its keyword that the secret gate could not find).

const ERASE_LINE = /\x1b\[2K/g;
const ERASE_TO_END = /\x1b\[0?K/g;
// Cursor left n columns (`ESC[nD`, read where it stands): how Comware and VRP step back over their
// `---- More ----` to blank it. Left to the escapes dropped, it left the blanks as text and the
// next line behind them (`<42 blanks>vlan batch 10`, a prompt the profile no longer matched).
const CURSOR_LEFT = /\x1b\[(\d*)D/y;
const ANSI = /\x1b(?!\[\d*D)(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78DEHMc])/g;
// A private-use character stands for "erase to end of line" while the line is replayed.
const CUT = '\uE000';
// Characters a line cannot show (tab stays): not part of a prompt or pager line.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f]/g;
const SPECIAL = /[\r\b\x1b\x00-\x08\x0b-\x1f\x7f]/;

/**
 * One line (no `\n`) as displayed: carriage returns overwrite from the start, backspaces step
 * back. Blanks the cursor later moved back over (how a pager prompt is erased: `\b\b  \b\b`,
 * `\r   \r`) are not text, so they do not trail the line; blanks written as text stay. Other
 * control characters are dropped, or with `controls: 'keep'` (output text) kept where they stand.
 */
export function renderLine(raw: string, controls: 'drop' | 'keep' = 'drop'): string {
  if (!SPECIAL.test(raw)) return raw;
  const text = raw.replace(/\r+$/, '').replace(ERASE_LINE, '\r' + CUT).replace(ERASE_TO_END, CUT).replace(ANSI, '');
  let out: string[] = [];
  let erased: boolean[] = [];
  let cursor = 0;
  // Each step back passes a blank written before, so they cost no more than the line's length.
  const back = (steps: number): void => {
    for (let k = Math.min(steps, cursor); k > 0; k--) if (out[--cursor] === ' ') erased[cursor] = true;
  };
  let at = 0;
  let skip = 0;
  for (const ch of text) {
    at += ch.length;
    if (skip > 0) {
      skip--;
      continue;
    }
    if (ch === '\x1b') {
      CURSOR_LEFT.lastIndex = at - 1;
      const left = CURSOR_LEFT.exec(text);
      if (left) {
        // The rest of the escape (`[`, digits, `D`) is read.
        skip = left[0].length - 1;
        back(Number(left[1]) || 1);
        continue;
      }
    }
    if (ch === '\r') {
      for (let i = 0; i < cursor; i++) if (out[i] === ' ') erased[i] = true;
      cursor = 0;
    } else if (ch === '\b') {
      back(1);
    } else if (ch === CUT) {
      out = out.slice(0, cursor);
      erased = erased.slice(0, cursor);
    } else if (controls === 'keep' || !CONTROL.test(ch)) {
      out[cursor] = ch;
      erased[cursor++] = false;
    }
  }
  while (out.length && out[out.length - 1] === ' ' && erased[out.length - 1]) {
    out.pop();
    erased.pop();
  }
  return out.join('');
}

/** Device output as displayed lines, with the control characters the device wrote in them. */
export function renderLines(raw: string): string[] {
  return raw.split('\n').map((line) => renderLine(line, 'keep'));
}

/** A rendered line without its control characters (an echo followed by a bell, `show inventory\a`). */
export function withoutControls(line: string): string {
  return line.replace(CONTROLS, '');
}

/** The rendered text after the last newline: where a prompt or a pager waits. */
export function trailingLine(raw: string): string {
  return renderLine(raw.slice(raw.lastIndexOf('\n') + 1));
}
