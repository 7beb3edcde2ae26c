// `aaawatch report --format csv|json|pdf|evidence --out FILE`, `aaawatch verify-export FILE`
// and `aaawatch signing-key`: the auditor's exports from the shell, the check of an evidence
// pack, and the public key that check needs.

import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { buildDocument, configuredRoster } from '../report/document.js';
import { loadOrCreateSigningKey, loadSigningKey, readPublicKey, signingKeyPath } from '../report/signing.js';
import { parseUtc } from '../web/time.js';
import { configFrom, openExisting, printJson, withConfig, type ConfigOptions, UsageError } from './common.js';

const FORMAT_FILES = { csv: 'reconciliation.csv', json: 'reconciliation.json', pdf: 'report.pdf', evidence: 'evidence.zip' } as const;
type Format = keyof typeof FORMAT_FILES;

export function registerReport(program: Command): void {
  withConfig(program.command('report'))
    .description('export the reconciliation: CSV, JSON, PDF, or a signed evidence pack (zip) holding all three')
    .requiredOption('--format <format>', 'csv, json, pdf or evidence')
    .requiredOption('--out <file>', 'where to write it')
    .option('--from <date>', 'start of the review period, UTC (default: 90 days ago)')
    .action(async (opts: ConfigOptions & { format: string; out: string; from?: string }) => {
      if (!Object.hasOwn(FORMAT_FILES, opts.format)) throw new UsageError('--format must be csv, json, pdf or evidence');
      const format = opts.format as Format;
      const now = Date.now();
      const from = parseUtc(opts.from);
      if (opts.from !== undefined && (from === undefined || from >= now)) throw new UsageError('--from: a UTC date before now, like 2026-08-01');
      const config = configFrom(opts);
      const roster = configuredRoster(config);
      const db = openExisting(config);
      try {
        const doc = buildDocument(db, config, roster, { now, by: `${userInfo().username} (command line)`, ...(from !== undefined ? { from } : {}) });
        // Loaded here, not with the command line: pdfkit costs every other command most of a second.
        const { renderExport } = await import('../report/render.js');
        const { sha256Hex } = await import('../report/evidence.js');
        const data = await renderExport(FORMAT_FILES[format], doc, () => loadOrCreateSigningKey(signingKeyPath(config)));
        writeFileSync(opts.out, data, { mode: 0o640 });
        process.stdout.write(`${opts.out}: ${format}, ${doc.rows.length} reconciliation rows, ${doc.findings.length} findings, ${data.byteLength} bytes, sha256 ${sha256Hex(data)}\n`);
      } finally {
        db.close();
      }
    });

  withConfig(program.command('verify-export'))
    .description("check an evidence pack: the signature over its manifest, every file's SHA-256, and that it holds nothing else")
    .argument('<file>', 'the evidence pack (zip)')
    .option('--public-key <file>', "the appliance's public key (PEM) — default: this appliance's signing key")
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: ConfigOptions & { publicKey?: string; json?: boolean }) => {
      const publicKey = opts.publicKey
        ? readPublicKey(readFileSync(opts.publicKey, 'utf8'))
        : loadSigningKey(signingKeyPath(configFrom(opts))).publicKey;
      const { verifyEvidence } = await import('../report/evidence.js');
      const result = verifyEvidence(readFileSync(file), publicKey);
      if (opts.json) printJson(result);
      else {
        for (const f of result.files) process.stdout.write(`${f.ok ? 'ok  ' : 'BAD '} ${f.name.padEnd(22)} ${String(f.bytes).padStart(9)} bytes  sha256 ${f.sha256}\n`);
        if (result.ok) {
          const h = result.header!;
          process.stdout.write(
            `evidence pack OK: signed by key ${result.publicKeySha256}\n` +
              `generated ${h.generatedAt} by ${h.generatedBy} on ${h.appliance}, aaawatch ${h.version}, period ${h.period.from} – ${h.period.to}\n`,
          );
        } else {
          process.stdout.write(`evidence pack FAILED:\n${result.problems.map((p) => `  - ${p}`).join('\n')}\n`);
        }
      }
      process.exitCode = result.ok ? 0 : 1;
    });

  withConfig(program.command('signing-key'))
    .description("print this appliance's public signing key (PEM) and its fingerprint, for checking evidence packs elsewhere")
    .option('--out <file>', 'write the PEM to this file instead')
    .action((opts: ConfigOptions & { out?: string }) => {
      const key = loadOrCreateSigningKey(signingKeyPath(configFrom(opts)));
      if (opts.out) writeFileSync(opts.out, key.publicKeyPem);
      else process.stdout.write(key.publicKeyPem);
      process.stderr.write(`fingerprint (SHA-256 of the Ed25519 public key): ${key.fingerprint}\n`);
    });
}
