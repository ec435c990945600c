/**
 * What a case's journal records: one entry per thing done to the case (a scan, a tick or untick,
 * a note, a decision, a window change, an export…), each with its time and its place in the
 * sequence. Names, fingerprints, counts and the owner's own words (redacted) only: never a secret
 * value. The schema is the source of the type; the journal file (electron/case/journal.ts) checks
 * every record against it when reading.
 */
import { z } from 'zod';
import { COMPONENT_DECISIONS } from './decisions.js';
import { HOST_STATUSES, PLAN_PHASES, SEVERITIES, TRUST_LEVELS } from '../model/index.js';

/** Where a step stood when the journal recorded it; absent when the plan no longer had the step. */
const stepRef = {
  stepId: z.string(),
  title: z.string().optional(),
  phase: z.enum(PLAN_PHASES).optional(),
};

const severityCounts = z.object(Object.fromEntries(SEVERITIES.map((severity) => [severity, z.number().int().min(0)])) as Record<
  (typeof SEVERITIES)[number],
  z.ZodNumber
>);

/** Every kind of event, one schema each. */
export const journalEventSchema = z.discriminatedUnion('kind', [
  /** A scan ended and was saved: which hosts, how each was read, what it found. */
  z.object({
    kind: z.literal('scan'),
    scanId: z.string(),
    scannedAt: z.string(),
    cancelled: z.boolean(),
    hosts: z.array(z.object({ name: z.string(), status: z.enum(HOST_STATUSES) })),
    /** The case's findings after this scan was merged in, by severity. */
    findings: severityCounts,
  }),
  /** A scan that ended without a report (its error is not kept: it may quote a host). */
  z.object({ kind: z.literal('scan-failed'), scanId: z.string(), hosts: z.array(z.string()) }),
  z.object({ kind: z.literal('tick'), ...stepRef }),
  z.object({ kind: z.literal('untick'), ...stepRef }),
  /** A step's note was written or changed (the note as kept, secrets redacted; '' when cleared). */
  z.object({ kind: z.literal('note'), ...stepRef, note: z.string() }),
  /** A step's choice (where a consumer moves to) was picked. */
  z.object({ kind: z.literal('choice'), ...stepRef, choice: z.string() }),
  z.object({ kind: z.literal('decision'), componentId: z.string(), decision: z.enum(COMPONENT_DECISIONS).nullable(), reason: z.string() }),
  /** A supply-chain register row's trust level or notes changed (the notes as kept, secrets redacted; '' when cleared). */
  z.object({ kind: z.literal('register'), rowId: z.string(), trust: z.enum(TRUST_LEVELS).nullable(), note: z.string() }),
  /** A compromise window narrowed or widened, or reset to the known one (`range` null). */
  z.object({ kind: z.literal('window'), windowId: z.string(), range: z.object({ start: z.string(), end: z.string() }).nullable() }),
  z.object({ kind: z.literal('export'), format: z.string(), fileName: z.string() }),
  z.object({ kind: z.literal('host-removed'), host: z.string() }),
  z.object({ kind: z.literal('revocation-check'), fingerprint: z.string(), outcome: z.string() }),
  /** The journal was opened after a crash and its torn last record dropped. */
  z.object({ kind: z.literal('journal-repaired'), droppedBytes: z.number().int().min(0) }),
]);

/** One event as the backend records it. */
export type JournalEvent = z.infer<typeof journalEventSchema>;
/** The kind of an event. */
export type JournalEventKind = JournalEvent['kind'];

/** One journal entry: its place in the journal (1, 2, …), its time (ISO) and the event. */
export const journalEntrySchema = z.intersection(z.object({ seq: z.number().int().min(1), at: z.string() }), journalEventSchema);

/** One journal entry as read back. */
export type JournalEntry = z.infer<typeof journalEntrySchema>;

/** A case's journal as read: its entries in order, and how many damaged records were skipped. */
export interface CaseJournalView {
  entries: JournalEntry[];
  /** Records that failed their checksum or schema somewhere before the end (never expected; shown, not hidden). */
  damaged: number;
}
