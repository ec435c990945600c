/**
 * The supply-chain register as the text reports print it (Markdown and HTML tables, the
 * CycloneDX properties): one row of plain cells per component, so every format says the same.
 * Values are raw text: each format escapes them its own way.
 */
import type { RegisterRow } from '../model/index.js';

/** The register table's columns, in order. */
export const REGISTER_COLUMNS = ['Component', 'Role', 'Installed by', 'Version', 'Pinned', 'Source', 'Publisher', 'Consumers', 'Keys held', 'Trust', 'Notes'] as const;

/** One row's cells under REGISTER_COLUMNS. */
export function registerCells(row: RegisterRow): string[] {
  return [
    `${row.kind}: ${row.name} on ${row.host}`,
    row.role,
    `${row.installedBy} (${row.installEvidence.join('; ')})`,
    row.version ?? 'unknown',
    `${row.pinning}: ${row.pinningDetail}`,
    row.source ?? 'not read',
    row.publisher.length > 0 ? row.publisher.join('; ') : 'none declared',
    [...row.consumers, ...row.uses.map((target) => `uses ${target}`)].join('; ') || 'none found',
    row.keys.join(', ') || 'none found',
    trustText(row),
    row.note,
  ];
}

/** The owner's trust level as the reports word it. */
export function trustText(row: Pick<RegisterRow, 'trust' | 'annotatedAt'>): string {
  return row.trust === null ? 'unset' : `${row.trust}${row.annotatedAt ? ` (${row.annotatedAt})` : ''}`;
}

/** One line introducing the register in a report. */
export const REGISTER_INTRODUCTION =
  "Each AI component the scan found, where it came from (from evidence the scan read; publishers are self-declared), what depends on it, and the owner's trust level and notes kept in the case.";

/** The CycloneDX properties of one register row (`blast-radius:register:*`). */
export function registerProperties(row: RegisterRow): Array<{ name: string; value: string }> {
  const property = (name: string, value: string) => ({ name: `blast-radius:register:${name}`, value });
  return [
    property('id', row.id),
    property('role', row.role),
    property('host', row.host),
    ...(row.container !== null ? [property('container', row.container)] : []),
    property('installed-by', row.installedBy),
    ...row.installEvidence.map((line) => property('install-evidence', line)),
    property('pinning', row.pinning),
    property('pinning-detail', row.pinningDetail),
    ...(row.source !== null ? [property('source', row.source)] : []),
    ...row.publisher.map((line) => property('publisher', line)),
    ...row.consumers.map((consumer) => property('consumer', consumer)),
    ...row.uses.map((target) => property('uses', target)),
    ...row.keys.map((key) => property('key', key)),
    property('trust', row.trust ?? 'unset'),
    ...(row.note !== '' ? [property('note', row.note)] : []),
    ...(row.annotatedAt !== null ? [property('annotated-at', row.annotatedAt)] : []),
  ];
}
