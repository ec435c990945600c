/**
 * `blast-radius collector` and `blast-radius import`: the offline collection script on stdout, and
 * collection files read into a report (and, with --data-dir and --case, into a case) through the
 * scan's own collectors and findings (electron/offline/). Everything else, reports, --fail-on and
 * the exit statuses, is `scan`'s (scan-command.ts).
 */
import { offlineCollectorScript } from '../offline/collector-script.js';
import { collectedAt, collectImportedHost, collectionTargets, readCollections } from '../offline/import-collection.js';
import { importIntoCase } from '../offline/import-into-case.js';
import { toolInfo } from '../scan/tool-info.js';
import type { ImportArgs } from './offline-args.js';
import { scanCommand, type ScanCommandOptions } from './scan-command.js';
import { UsageError } from './args.js';

/** What `collector` says on stderr, so a user piping the script to a file reads it once. */
export const COLLECTOR_WARNING =
  'blast-radius: the collection script is on stdout. Its output HOLDS SECRETS (every key it finds, in clear): keep the output like a password file, import it with `blast-radius import FILE`, then delete it.';

/** Prints the collection script on stdout and the warning on stderr. */
export function collectorCommand(io: { stdout(text: string): void; stderr(line: string): void }): number {
  io.stdout(offlineCollectorScript(toolInfo().version));
  io.stderr(COLLECTOR_WARNING);
  return 0;
}

/** Runs `blast-radius import`; answers the exit status (the same as `scan`'s). */
export async function importCommand(args: ImportArgs, options: ScanCommandOptions): Promise<number> {
  const io = options.io ?? { stdout: (text: string | Uint8Array) => process.stdout.write(text), stderr: (line: string) => console.error(line) };
  let collections;
  try {
    collections = await readCollections(args.files, args.hosts[0] ?? null);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!args.quiet) {
    io.stderr('the collection files hold secrets in clear: only fingerprints go into the report or the case; delete the files once imported');
  }
  const { files: _files, caseId, dataDir, command: _import, ...scanArgs } = args;
  return scanCommand(
    { ...scanArgs, command: 'scan', hosts: collections.map((entry) => entry.name) },
    {
      ...options,
      offline: {
        targets: collectionTargets(collections),
        collect: collectImportedHost,
        collectedAt: collectedAt(collections),
        ...(dataDir && caseId ? { intoCase: (report, index) => importIntoCase(dataDir, caseId, report, index) } : {}),
      },
    },
  );
}
