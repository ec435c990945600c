/**
 * The case's journal as the timeline lists it: one row per entry, newest last, each with a
 * short label of its kind, a sentence saying what was done and, where there is one, a detail line
 * (the note, the reason, the hosts and what they held).
 */
import type { JournalEntry, JournalEventKind } from '../case/journal-entries.js';
import { KNOWN_WINDOWS } from '../domain/exposure/compromise-windows.js';
import { SEVERITIES } from '../model/index.js';
import { PLAN_PHASE_TITLES } from '../checklist/types.js';
import { REPORT_RENDERERS } from '../report-formats/registry.js';

/** How each kind of entry is labelled in the timeline. */
export const JOURNAL_KIND_LABELS: Readonly<Record<JournalEventKind, string>> = {
  scan: 'Scan',
  'scan-failed': 'Scan failed',
  tick: 'Ticked',
  untick: 'Unticked',
  note: 'Note',
  choice: 'Choice',
  decision: 'Decision',
  register: 'Register',
  window: 'Window',
  export: 'Export',
  'host-removed': 'Host removed',
  'revocation-check': 'Revocation check',
  'journal-repaired': 'Journal repaired',
};

/** One row of the timeline. */
export interface JournalRow {
  seq: number;
  /** ISO time of the entry. */
  at: string;
  kind: JournalEventKind;
  label: string;
  /** What was done, as one sentence. */
  text: string;
  /** The note, reason or counts behind it; null when the sentence says it all. */
  detail: string | null;
}

/** A step as the row names it: its title (from the entry, or the current plan) with its phase, or its id. */
function stepName(entry: { stepId: string; title?: string; phase?: keyof typeof PLAN_PHASE_TITLES }, titles: ReadonlyMap<string, string>): string {
  const title = entry.title ?? titles.get(entry.stepId) ?? entry.stepId;
  return entry.phase ? `${PLAN_PHASE_TITLES[entry.phase]}: ${title}` : title;
}

/** A compromise window by its title when it is a known one. */
function windowName(windowId: string): string {
  return KNOWN_WINDOWS.find((window) => window.id === windowId)?.title ?? windowId;
}

/** An ISO instant to the minute, in UTC, as the windows are written. */
function minute(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The sentence and detail of one entry. */
function describe(entry: JournalEntry, titles: ReadonlyMap<string, string>): Pick<JournalRow, 'text' | 'detail'> {
  switch (entry.kind) {
    case 'scan': {
      const unread = entry.hosts.filter((host) => host.status !== 'ok');
      const counts = SEVERITIES.filter((severity) => entry.findings[severity] > 0).map((severity) => `${entry.findings[severity]} ${severity}`);
      const hosts = entry.hosts.length === 1 ? '1 host' : `${entry.hosts.length} hosts`;
      return {
        text: `${entry.cancelled ? 'Cancelled scan' : 'Scanned'} ${hosts}: ${entry.hosts.map((host) => host.name).join(', ')}`,
        detail: [
          unread.length > 0 ? `not fully read: ${unread.map((host) => `${host.name} (${host.status})`).join(', ')}` : 'every host fully read',
          counts.length > 0 ? `case findings: ${counts.join(', ')}` : 'no findings in the case',
        ].join('; '),
      };
    }
    case 'scan-failed':
      return { text: `The scan of ${entry.hosts.join(', ')} failed`, detail: null };
    case 'tick':
      // The row's label says ticked or unticked; the text names the step.
      return { text: stepName(entry, titles), detail: null };
    case 'untick':
      return { text: stepName(entry, titles), detail: null };
    case 'note':
      return entry.note === '' ? { text: `Cleared the note on ${stepName(entry, titles)}`, detail: null } : { text: `Note on ${stepName(entry, titles)}`, detail: entry.note };
    case 'choice':
      return { text: `Picked ${entry.choice} for ${stepName(entry, titles)}`, detail: null };
    case 'decision':
      return entry.decision === null
        ? { text: `Cleared the decision on ${entry.componentId}`, detail: null }
        : { text: `Decided to ${entry.decision} ${entry.componentId}`, detail: entry.reason || null };
    case 'register':
      return {
        text: entry.trust === null ? `Trust of ${entry.rowId} unset` : `Marked ${entry.rowId} ${entry.trust}`,
        detail: entry.note || null,
      };
    case 'window':
      return entry.range === null
        ? { text: `Reset the window "${windowName(entry.windowId)}" to the known one`, detail: null }
        : { text: `Set the window "${windowName(entry.windowId)}"`, detail: `${minute(entry.range.start)} to ${minute(entry.range.end)}` };
    case 'export': {
      const format = Object.hasOwn(REPORT_RENDERERS, entry.format) ? REPORT_RENDERERS[entry.format as keyof typeof REPORT_RENDERERS].label : entry.format;
      return { text: `Exported the report as ${format}`, detail: entry.fileName };
    }
    case 'host-removed':
      return { text: `Removed ${entry.host} from the case`, detail: null };
    case 'revocation-check':
      return { text: `Asked the provider whether ${entry.fingerprint} still works: ${entry.outcome}`, detail: null };
    case 'journal-repaired':
      return { text: 'Opened the journal after a crash and dropped its torn last record', detail: `${entry.droppedBytes} bytes dropped; every record before it kept` };
    default: {
      const unknown: never = entry;
      throw new Error(`unknown journal entry ${JSON.stringify(unknown)}`);
    }
  }
}

/** The journal's entries as timeline rows, in the order they were written; `titles` names steps the entries do not. */
export function journalRows(entries: readonly JournalEntry[], titles: ReadonlyMap<string, string> = new Map()): JournalRow[] {
  return entries.map((entry) => ({ seq: entry.seq, at: entry.at, kind: entry.kind, label: JOURNAL_KIND_LABELS[entry.kind], ...describe(entry, titles) }));
}
