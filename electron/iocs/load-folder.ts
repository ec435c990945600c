/**
 * Reads a folder of extra IOC rules files (`*.json`, `*.yaml`, `*.yml`, each `{ schemaVersion: 1,
 * rules: [...] }`), so a user can add indicators from a newer write-up without a new build. One
 * unreadable or malformed file is reported and skipped; it never hides the others. The rules are
 * data: the collector passes their strings and paths to the host quoted, never as code.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { IocRulesError, parseIocRulesText, type IocRule } from '../../shared/domain/iocs/rules.js';

/** Why one file of the folder was not loaded. */
export interface IocRulesFileError {
  fileName: string;
  message: string;
}

/** The rules a folder yielded, in file-name order, and the files that failed. */
export interface IocRulesFolder {
  rules: IocRule[];
  errors: IocRulesFileError[];
}

const RULES_FILE = /\.(json|ya?ml)$/i;

/** Loads every rules file directly in `dir` (hidden files skipped); rejects only when the folder itself cannot be read. */
export async function loadIocRulesFolder(dir: string): Promise<IocRulesFolder> {
  const entries = await readdir(dir, { withFileTypes: true });
  const fileNames = entries
    .filter((entry) => entry.isFile() && RULES_FILE.test(entry.name) && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
  const folder: IocRulesFolder = { rules: [], errors: [] };
  const ids = new Map<string, string>();
  for (const fileName of fileNames) {
    try {
      const rules = parseIocRulesText(fileName, await readFile(join(dir, fileName), 'utf8'));
      // Two extra files defining one id would make "which one ran" depend on file order: refuse the later file.
      const clash = rules.find((rule) => ids.has(rule.id));
      if (clash) throw new IocRulesError(fileName, [`rule id ${JSON.stringify(clash.id)} is already defined in ${ids.get(clash.id)}`]);
      for (const rule of rules) ids.set(rule.id, fileName);
      folder.rules.push(...rules);
    } catch (error) {
      const message = error instanceof IocRulesError ? error.problems.join('; ') : error instanceof Error ? error.message : String(error);
      folder.errors.push({ fileName, message });
    }
  }
  return folder;
}
