#!/usr/bin/env node
/**
 * Generates shared/domain/advisories/bundled-data.ts from a folder of OSV advisory files, so the app
 * matches packages offline. Every *.json / *.yaml / *.yml file is embedded unchanged (as a
 * JSON string literal, which round-trips any text byte for byte); SOURCES.md's provenance
 * table is copied into the header. The output has no timestamp, so an unchanged folder
 * regenerates an identical file.
 *
 * Usage: node electron/tools/bundle-advisories.mjs <advisory folder> [--check]
 *   --check  exit 1 when the checked-in file differs from what the folder would generate (CI).
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUTPUT = fileURLToPath(new URL('../../shared/domain/advisories/bundled-data.ts', import.meta.url));
const ADVISORY_FILE = /\.(json|ya?ml)$/i;

async function main(argv) {
  const check = argv.includes('--check');
  const folderArgument = argv.find((argument) => !argument.startsWith('--'));
  if (!folderArgument) {
    console.error('usage: bundle-advisories.mjs <advisory folder> [--check]');
    return 2;
  }
  const folder = resolve(folderArgument);
  const names = (await readdir(folder, { withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
  const advisoryNames = names.filter((name) => ADVISORY_FILE.test(name));
  const skipped = names.filter((name) => !ADVISORY_FILE.test(name) && name !== 'SOURCES.md');
  if (skipped.length > 0) console.warn(`skipped (not .json/.yaml/.yml): ${skipped.join(', ')}`);
  if (advisoryNames.length === 0) {
    console.error(`no advisory files in ${folder}`);
    return 1;
  }

  const files = await Promise.all(
    advisoryNames.map(async (fileName) => ({ fileName, text: await readFile(resolve(folder, fileName), 'utf8') })),
  );
  const provenance = names.includes('SOURCES.md') ? provenanceTable(await readFile(resolve(folder, 'SOURCES.md'), 'utf8')) : [];
  const output = render(files, provenance, basename(folder));

  if (check) {
    const current = await readFile(OUTPUT, 'utf8').catch(() => '');
    if (current !== output) {
      console.error(`${OUTPUT} is out of date; run: node electron/tools/bundle-advisories.mjs ${folderArgument}`);
      return 1;
    }
    console.log(`${OUTPUT} is up to date (${files.length} files)`);
    return 0;
  }
  await writeFile(OUTPUT, output, 'utf8');
  console.log(`wrote ${OUTPUT} (${files.length} files)`);
  return 0;
}

// The markdown table rows (lines starting with "|") of SOURCES.md, plus its numbered notes,
// which explain choices a reader of the table would otherwise question.
function provenanceTable(markdown) {
  const lines = markdown.split(/\r?\n/);
  const table = lines.filter((line) => line.trimStart().startsWith('|'));
  const notesStart = lines.findIndex((line) => line.trim() === 'Notes');
  const notes = notesStart === -1 ? [] : ['', 'Notes', ...lines.slice(notesStart + 1).filter((line) => line.trim() !== '')];
  return [...table, ...notes];
}

function render(files, provenance, folderName) {
  // A "*/" inside a copied line would end the header comment early.
  const comment = (line) => ` *${line === '' ? '' : ` ${line.replaceAll('*/', '*\\/')}`}`;
  const header = [
    '/**',
    comment('GENERATED FILE: do not edit. Regenerate with'),
    comment(`\`node electron/tools/bundle-advisories.mjs <path to ${folderName}>\`.`),
    comment(''),
    comment('Real public OSV records (ossf/malicious-packages, github/advisory-database,'),
    comment('pypa/advisory-database), embedded byte for byte so advisory matching works offline.'),
    ...(provenance.length > 0 ? [comment(''), comment('Provenance (from SOURCES.md):'), comment(''), ...provenance.map(comment)] : []),
    ' */',
  ];
  const body = files.map((file) => `  {\n    fileName: ${JSON.stringify(file.fileName)},\n    text: ${JSON.stringify(file.text)},\n  },`);
  return [
    ...header,
    '',
    '/** The bundled advisory files, in file-name order, with their text exactly as published. */',
    'export const BUNDLED_ADVISORY_FILES: ReadonlyArray<{ fileName: string; text: string }> = [',
    ...body,
    '];',
    '',
  ].join('\n');
}

process.exitCode = await main(process.argv.slice(2));
