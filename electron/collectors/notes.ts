/**
 * Collector notes with one extra bit the report does not carry: whether the note means part of
 * the host could not be inspected (which makes the host `partial`) or is only worth knowing.
 * Every note is made here, so this is where remote text in a note (stderr, an error's message) is
 * redacted: secrets as fingerprints, bounded, controls and bidi characters escaped.
 */
import type { CollectorNote } from '../../shared/model/index.js';
import { redactText } from '../readers/secrets/redact-text.js';

/** A collector note, plus whether it leaves a blind spot. */
export interface CollectorIssue extends CollectorNote {
  /** True when something on the host could not be inspected (docker denied, a container unreadable). */
  incomplete: boolean;
}

/** A note that leaves part of the host uninspected. */
export function blindSpot(collector: string, message: string): CollectorIssue {
  return { collector, message: redactText(message), incomplete: true };
}

/** A note worth showing that does not leave anything uninspected. */
export function remark(collector: string, message: string): CollectorIssue {
  return { collector, message: redactText(message), incomplete: false };
}

/** The notes as the report contract spells them (without the internal flag). */
export function toReportNotes(issues: readonly CollectorIssue[]): CollectorNote[] {
  return issues.map(({ collector, message }) => ({ collector, message }));
}

/** First line of a command's stderr, redacted and bounded, for quoting in a note. */
export function firstLine(stderr: string, maxChars = 300): string {
  const line = stderr.split('\n').find((candidate) => candidate.trim() !== '') ?? '';
  return redactText(line.trim(), { maxChars });
}

/** The first line of a command's stderr wrapped for a note (`: reason` by default), or nothing when it printed none. */
export function stderrSuffix(stderr: string, open = ': ', close = ''): string {
  const line = firstLine(stderr);
  return line ? `${open}${line}${close}` : '';
}
