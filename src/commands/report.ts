// `aaawatch report --format accounts|findings|decisions|json|pdf|evidence --out FILE`,
// `aaawatch verify-export FILE` and `aaawatch signing-key`: the auditor's exports from the shell
// (logged in the activity log like the web's), the check of an evidence pack, and the public key
// that check needs.

import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { platforms } from '../../parsers/index.js';
import { configuredRoster, inventoryRefs } from '../report/document.js';
import { verifyEvidence } from '../report/evidence.js';
import { printable } from '../reconcile/text.js';
import { exportPeriod, scopeFrom, scopeListProblem, scopeProblem } from '../report/period.js';
import { loadOrCreateSigningKey, loadSigningKey, readPublicKey, signingKeyPath } from '../report/signing.js';
import type { ExportName } from '../report/render.js';
import { openWebAccess } from '../web/data/open.js';
import { cliUser, configFrom, printJson, withConfig, type ConfigOptions, UsageError } from './common.js';

const FORMAT_FILES: Readonly<Record<string, ExportName>> = {
  accounts: 'accounts.csv', csv: 'accounts.csv', findings: 'findings.csv', decisions: 'decisions.csv', json: 'report.json', pdf: 'report.pdf', evidence: 'evidence.zip',
};

interface ReportOptions extends ConfigOptions {
  format: string;
  out: string;
  from?: string;
  to?: string;
  devices?: string;
  groups?: string;
  platforms?: string;
}

export function registerReport(program: Command): void {
  withConfig(program.command('report'))
    .description('export the account review: the population (CSV), findings, decisions, JSON, PDF, or a signed evidence pack holding all of it with the records it cites')
    .requiredOption('--format <format>', 'accounts (or csv), findings, decisions, json, pdf or evidence')
    .requiredOption('--out <file>', 'where to write it')
    .option('--from <date>', 'start of the review period, UTC (default: 90 days before --to)')
    .option('--to <date>', 'end of the review period, UTC: the whole day, minute or second given (default: now)')
    .option('--devices <list>', 'scope: device names or globs, comma-separated (default: every device)')
    .option('--groups <list>', 'scope: inventory groups, comma-separated')
    .option('--platforms <list>', 'scope: platforms, comma-separated')
    .action(async (opts: ReportOptions) => {
      const name = Object.hasOwn(FORMAT_FILES, opts.format) ? FORMAT_FILES[opts.format]! : undefined;
      if (!name) throw new UsageError('--format must be accounts, findings, decisions, json, pdf or evidence');
      const now = Date.now();
      const period = exportPeriod(opts.from, opts.to, now);
      if ('problem' in period) throw new UsageError(period.problem.replace(/^(from|to):/, '--$1:'));
      const list = (v: string | undefined): string[] => (v ?? '').split(',').map((x) => x.trim()).filter(Boolean);
      const tooMany = scopeListProblem('devices', list(opts.devices)) ?? scopeListProblem('groups', list(opts.groups)) ?? scopeListProblem('platforms', list(opts.platforms));
      if (tooMany) throw new UsageError(`--${tooMany}`);
      const scope = scopeFrom(list(opts.devices), list(opts.groups), list(opts.platforms));
      const config = await configFrom(opts);
      const inventory = [...inventoryRefs(config).values()];
      const known = { groups: [...new Set(inventory.flatMap((d) => d.groups))].sort(), platforms: platforms.map((p) => p.id).sort() };
      // Groups and platforms are checked before the store is opened; device names need the store's.
      const wrong = scopeProblem({ ...scope, devices: [] }, { ...known, devices: [] });
      if (wrong) throw new UsageError(`--${wrong.startsWith('group') ? 'groups' : 'platforms'}: ${wrong}`);
      const roster = configuredRoster(config);
      const access = await openWebAccess(config, { connections: 1, mustExist: true });
      const unknown = scope.devices.length ? scopeProblem(scope, { ...known, devices: [...inventory.map((d) => d.name), ...(await access.deviceNames())] }) : undefined;
      if (unknown) {
        await access.close();
        throw new UsageError(`--devices: ${unknown}`);
      }
      const by = cliUser();
      const fd = openFile(opts.out, () => openSync(opts.out, 'w', 0o640));
      let written = false;
      try {
        const hash = createHash('sha256');
        let bytes = 0;
        const doc = await access.review(config, roster, { now, by, ...period, scope }, async (doc, write) => {
          await write(name, () => loadOrCreateSigningKey(signingKeyPath(config)), (chunk) => {
            hash.update(chunk);
            bytes += chunk.byteLength;
            writeSync(fd, chunk);
          }, basename(opts.out));
          return doc;
        });
        const sha256 = hash.digest('hex');
        await access.logActivity({ at: now, user: by, address: null, action: 'export', detail: { file: name, out: opts.out, rows: doc.rows.length, findings: doc.findings.length, bytes, sha256, period: doc.header.period, scope: doc.header.scope } });
        process.stdout.write(`${opts.out}: ${name}, ${doc.rows.length} accounts, ${doc.findings.length} findings, ${doc.decisions.length} decisions, ${bytes} bytes, sha256 ${sha256}\n`);
        written = true;
      } finally {
        closeSync(fd);
        // An export that failed part way is not left behind to be taken for a whole one.
        if (!written) rmSync(opts.out, { force: true });
        await access.close();
      }
    });

  withConfig(program.command('verify-export'))
    .description("check an evidence pack: the signature over its manifest, every file's SHA-256, and that it holds nothing else")
    .argument('<file>', 'the evidence pack (zip)')
    .option('--public-key <file>', "the appliance's public key (PEM) — default: this appliance's signing key")
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: ConfigOptions & { publicKey?: string; json?: boolean }) => {
      // The pack first: a wrong path is the likelier mistake, and is said before any key is looked for.
      const pack = openFile(file, () => readFileSync(file));
      const publicKey = opts.publicKey
        ? readPublicKey(openFile(opts.publicKey, () => readFileSync(opts.publicKey!, 'utf8')))
        : loadSigningKey(signingKeyPath(await configFrom(opts))).publicKey;
      const result = verifyEvidence(pack, publicKey);
      if (opts.json) printJson(result);
      else {
        // A pack checked is untrusted until it verifies: its file names (and the problems naming them) are
        // shown as text, so an escape sequence in one cannot erase or hide a verdict on the terminal.
        for (const f of result.files) process.stdout.write(`${f.ok ? 'ok  ' : 'BAD '} ${printable(f.name).padEnd(22)} ${String(f.bytes).padStart(9)} bytes  sha256 ${f.sha256}\n`);
        if (result.ok) {
          const h = result.header!;
          process.stdout.write(
            `evidence pack OK: signed by key ${result.publicKeySha256}\n` +
              printable(`generated ${h.generatedAt} by ${h.generatedBy} on ${h.appliance}, aaawatch ${h.version}, period ${h.period.from} – ${h.period.to}`, 4000) + '\n',
          );
        } else {
          process.stdout.write(`evidence pack FAILED:\n${result.problems.map((p) => `  - ${printable(p, 4000)}`).join('\n')}\n`);
        }
      }
      process.exitCode = result.ok ? 0 : 1;
    });

  withConfig(program.command('signing-key'))
    .description("print this appliance's public signing key (PEM) and its fingerprint, for checking evidence packs elsewhere")
    .option('--out <file>', 'write the PEM to this file instead')
    .action(async (opts: ConfigOptions & { out?: string }) => {
      const key = loadOrCreateSigningKey(signingKeyPath(await configFrom(opts)));
      if (opts.out) writeFileSync(opts.out, key.publicKeyPem);
      else process.stdout.write(key.publicKeyPem);
      process.stderr.write(`fingerprint (SHA-256 of the Ed25519 public key): ${key.fingerprint}\n`);
    });
}

/** `open()`, with a failure said by the path and the system's code (`cannot read x.zip: ENOENT`), not a stack. */
function openFile<T>(path: string, open: () => T): T {
  try {
    return open();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined) throw err;
    throw new Error(`cannot open ${path}: ${code}`);
  }
}
