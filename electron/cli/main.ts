#!/usr/bin/env node
/**
 * `blast-radius scan`: the same core as the app, for terminals, cron and CI. Progress on stderr,
 * a summary table on stdout (stderr when a report goes to stdout), reports to files or stdout.
 * Exit statuses are EXIT in args.ts, documented in USAGE: 1 --fail-on reached, 2 bad usage, 3 a
 * bug, 4 a host not fully read, 0 otherwise. The command is scan-command.ts; this file parses,
 * handles Ctrl-C and exits.
 */
import { parseArgs, USAGE, UsageError } from './args.js';
import { EXIT, scanCommand, version } from './scan-command.js';
import { collectorCommand, importCommand } from './import-command.js';

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.command === 'help') {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (args.command === 'version') {
    console.log(version());
    return EXIT.ok;
  }
  if (args.command === 'collector') return collectorCommand({ stdout: (text) => process.stdout.write(text), stderr: (line) => console.error(line) });
  const controller = new AbortController();
  process.once('SIGINT', () => {
    console.error('cancelling: hosts already read are kept in the report (Ctrl-C again to quit at once)');
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  if (args.command === 'import') return importCommand(args, { signal: controller.signal });
  return scanCommand(args, { signal: controller.signal });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`blast-radius: ${error.message}`);
      process.exit(EXIT.usage);
    }
    console.error(`blast-radius: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(EXIT.internal);
  },
);
