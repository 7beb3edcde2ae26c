// A PDF's text as a reader other than aaawatch extracts it: Poppler's pdftotext (installed by
// .ci/run), in its reading order, where each table cell's lines come out together. Runs of white
// space are one space, so a cell's wrapped lines read as one phrase.

import { execFileSync } from 'node:child_process';
import { requireTool } from './tools.js';

/** The text of `pdf`, or undefined outside CI when pdftotext is missing (under CI, requireTool throws). */
export function pdfWords(pdf: Uint8Array): string | undefined {
  const tool = requireTool('pdftotext');
  if (!tool) return undefined;
  return execFileSync(tool, ['-enc', 'UTF-8', '-', '-'], { input: pdf, maxBuffer: 64 * 1024 * 1024 }).toString('utf8').replace(/\s+/g, ' ');
}

/** The text of `pdf` laid out as on the page (`pdftotext -layout`), line by line, no-break spaces as spaces; undefined as pdfWords. */
export function pdfLines(pdf: Uint8Array): string[] | undefined {
  const tool = requireTool('pdftotext');
  if (!tool) return undefined;
  return execFileSync(tool, ['-layout', '-enc', 'UTF-8', '-', '-'], { input: pdf, maxBuffer: 64 * 1024 * 1024 }).toString('utf8').replace(/\u00a0/g, ' ').split('\n');
}
