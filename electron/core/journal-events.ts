/**
 * What the backend writes to the case's journal for each action: pure functions from what a
 * handler did to the events to record. The owner's free text (notes, reasons) goes through the
 * same redaction as remote text, so a key pasted into a note reaches the journal as its fingerprint.
 */
import { generateChecklist } from '../../shared/checklist/checklist.js';
import type { JournalEvent } from '../../shared/case/journal-entries.js';
import type { CaseState, StepProgress } from '../../shared/ipc/contract.js';
import { SEVERITIES, type PlanPhase, type ScanReport } from '../../shared/model/index.js';
import { redactText } from '../readers/secrets/redact-text.js';

/** Longest note or reason the journal keeps; the case's own files keep the whole text. */
const MAX_JOURNAL_TEXT = 2000;

/** The owner's text as the journal keeps it: secrets replaced by fingerprints, bounded. */
export function journalText(text: string): string {
  return redactText(text, { maxChars: MAX_JOURNAL_TEXT });
}

/** A step as the journal names it: its id, and its title and phase when the current plan has it. */
export interface StepRef {
  stepId: string;
  title?: string;
  phase?: PlanPhase;
}

/** Names a step from the case's current plan (the same plan the app shows); just its id when the plan has no such step. */
export function stepRef(state: Pick<CaseState, 'report' | 'ledger' | 'decisions'>, stepId: string): StepRef {
  if (!state.report) return { stepId };
  const step = generateChecklist(state.report, state.ledger ?? null, state.decisions ?? null).find((candidate) => candidate.id === stepId);
  return step ? { stepId, title: step.title, phase: step.phase } : { stepId };
}

/**
 * The events of one `checklist:set-step`: a tick or untick when the done state changed, a note
 * when the note did, a choice when a new one was picked; nothing when the request changed nothing.
 */
export function stepEvents(ref: StepRef, before: StepProgress | undefined, after: StepProgress): JournalEvent[] {
  const events: JournalEvent[] = [];
  if (after.done !== (before?.done ?? false)) events.push({ kind: after.done ? 'tick' : 'untick', ...ref });
  if (after.note !== (before?.note ?? '')) events.push({ kind: 'note', ...ref, note: journalText(after.note) });
  if (after.choice !== undefined && after.choice !== before?.choice) events.push({ kind: 'choice', ...ref, choice: journalText(after.choice) });
  return events;
}

/** A finished scan: its hosts with how each was read, and the case's findings by severity once it was merged in. */
export function scanEvent(scanId: string, scan: ScanReport, caseReport: ScanReport, cancelled: boolean): JournalEvent {
  const findings = Object.fromEntries(SEVERITIES.map((severity) => [severity, caseReport.findings.filter((finding) => finding.severity === severity).length])) as Record<
    (typeof SEVERITIES)[number],
    number
  >;
  return {
    kind: 'scan',
    scanId,
    scannedAt: scan.scannedAt,
    cancelled,
    hosts: scan.hosts.map((host) => ({ name: host.name, status: host.status })),
    findings,
  };
}
