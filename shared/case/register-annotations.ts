/**
 * The owner's trust level and notes per AI component of the supply-chain register, kept in the
 * case by the register row's id (stable across re-scans) in `register.json`, and carried into every
 * report the app exports. The notes are the owner's own words, kept whole in the case; the journal
 * and the reports take them redacted.
 */
import { z } from 'zod';
import { trustLevelSchema } from '../model/index.js';

/** Longest note kept: a few paragraphs, not a file. */
export const MAX_REGISTER_NOTE = 4000;

/** The schema of one component's annotation, as the case keeps it. */
export const registerAnnotationSchema = z
  .object({
    /** null: unset. */
    trust: trustLevelSchema.nullable(),
    note: z.string().max(MAX_REGISTER_NOTE),
    /** ISO time it was last changed. */
    updatedAt: z.string(),
  })
  .strict();

/** One component's trust level and notes. */
export type RegisterAnnotation = z.infer<typeof registerAnnotationSchema>;

/** The case's annotations by register row id. */
export type RegisterAnnotations = Record<string, RegisterAnnotation>;

/** The annotation kept for a row, or null when the owner has set nothing. */
export function annotationFor(annotations: RegisterAnnotations | null | undefined, rowId: string): RegisterAnnotation | null {
  return annotations && Object.hasOwn(annotations, rowId) ? annotations[rowId]! : null;
}
