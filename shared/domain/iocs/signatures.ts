/**
 * Content signatures: strings and patterns that mark a file's text as a known payload or a
 * payload's shape, kept as data (shared/domain/iocs/signatures.json) beside the IOC rules, each
 * with its source and how far it can be trusted. They are applied to the text of Python's
 * start-up hooks (`.pth`, `sitecustomize.py`, `usercustomize.py`) and to the files of a flagged
 * distribution; the matching happens here, in TypeScript, on text a collector read (never by
 * running anything). Pure: no Node imports.
 */
import { z } from 'zod';
import { SEVERITIES, type Severity } from '../../model/index.js';
import signaturesFile from './signatures.json' with { type: 'json' };

/** The kinds of file a signature can be applied to. */
export const SIGNATURE_TARGETS = ['pth', 'customize', 'package-file'] as const;
/** `pth`: a `.pth` file; `customize`: `sitecustomize.py` / `usercustomize.py`; `package-file`: a file of a flagged distribution. */
export type SignatureTarget = (typeof SIGNATURE_TARGETS)[number];

/** Longest piece of a matched line quoted as evidence. */
export const SIGNATURE_EXCERPT_CHARS = 160;
/** Most lines of one file a pattern is tried on (bounds the work on a hostile file). */
export const SIGNATURE_MAX_LINES = 20_000;

const noControl = (value: string): boolean => !/[\n\r\0]/.test(value);

const fixedString = z
  .string()
  .min(4, 'must be at least 4 characters (a shorter fixed string matches too much)')
  .max(200)
  .refine(noControl, 'must not contain a newline, carriage return or NUL');

const compilable = (value: string): boolean => {
  try {
    new RegExp(value, 'u');
    return true;
  } catch {
    return false;
  }
};

const signatureSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,79}$/, 'must be 2-80 characters of a-z, 0-9, . and -'),
    title: z.string().min(3).max(200),
    /** The compromise the signature belongs to; absent for a generic shape (exec of decoded text). */
    compromise: z.string().regex(/^[a-z0-9][a-z0-9-]*-\d{4}-\d{2}$/).optional(),
    severity: z.enum(SEVERITIES),
    /** `exact`: text only the payload holds; `heuristic`: a shape payloads have and benign code rarely does. */
    confidence: z.enum(['exact', 'heuristic']),
    source: z.strictObject({
      name: z.string().min(3).max(300),
      /** `primary`: the maintainer's or an advisory's own statement; `secondary`: third-party write-ups or detection rules. */
      kind: z.enum(['primary', 'secondary']),
      url: z.url({ protocol: /^https$/ }).optional(),
    }),
    targets: z.array(z.enum(SIGNATURE_TARGETS)).min(1),
    /** Fixed strings that must all appear in the file (anywhere, case-sensitive). */
    all: z.array(fixedString).min(1).max(10).optional(),
    /** A regular expression (JavaScript, `u` flag) tried on each line of the file. */
    pattern: z.string().min(4).max(500).refine(compilable, 'must be a valid regular expression').optional(),
    /** For a pattern: fixed strings one of which every matching line holds, so a collector can pick the lines to send. */
    needles: z.array(z.string().min(2).max(50).refine(noControl)).min(1).max(10).optional(),
    note: z.string().max(500).optional(),
  })
  .refine((signature) => (signature.all === undefined) !== (signature.pattern === undefined), {
    message: 'needs exactly one of all (fixed strings) or pattern',
    path: ['all'],
  })
  .refine((signature) => signature.pattern === undefined || signature.needles !== undefined, {
    message: 'a pattern needs needles (fixed strings every matching line holds)',
    path: ['needles'],
  });

const signaturesFileSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    version: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+-]{0,39}$/),
    signatures: z.array(signatureSchema).max(500),
  })
  .superRefine((file, context) => {
    const seen = new Set<string>();
    file.signatures.forEach((signature, index) => {
      if (seen.has(signature.id)) context.addIssue({ code: 'custom', message: `duplicate signature id ${JSON.stringify(signature.id)}`, path: ['signatures', index, 'id'] });
      seen.add(signature.id);
    });
  });

/** One validated content signature. */
export type ContentSignature = z.output<typeof signatureSchema>;

/** Where one signature matched a file: its id, the first line that shows it (1-based) and a bounded piece of that line. */
export interface SignatureHit {
  signature: string;
  line: number;
  excerpt: string;
}

/** Validates a signatures document; throws naming each problem. */
export function parseSignatures(document: unknown, origin: string): ContentSignature[] {
  const result = signaturesFileSchema.safeParse(document);
  if (result.success) return result.data.signatures;
  throw new Error(`${origin}: ${result.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('; ')}`);
}

let bundled: readonly ContentSignature[] | undefined;

/** The signatures shipped with the app, validated once; throws if they do not validate (a build defect). */
export function bundledSignatures(): readonly ContentSignature[] {
  bundled ??= Object.freeze(parseSignatures(signaturesFile, 'shared/domain/iocs/signatures.json'));
  return bundled;
}

/** The bundled signatures file's release. */
export function bundledSignaturesVersion(): string {
  return signaturesFile.version;
}

/** The signature with this id among `signatures`, if any. */
export function signatureById(id: string, signatures: readonly ContentSignature[] = bundledSignatures()): ContentSignature | undefined {
  return signatures.find((signature) => signature.id === id);
}

/** The most severe severity of the given signatures (info when none). */
export function worstSeverity(signatures: readonly ContentSignature[]): Severity {
  let worst = SEVERITIES.length - 1;
  for (const signature of signatures) worst = Math.min(worst, SEVERITIES.indexOf(signature.severity));
  return SEVERITIES[worst] ?? 'info';
}

/**
 * Every signature for `target` that `text` matches, with the first line showing it. `all`
 * signatures need every string somewhere in the text (the line quoted is the first string's);
 * pattern signatures are tried line by line. Lines are split as Python splits source.
 */
export function matchSignatures(text: string, target: SignatureTarget, signatures: readonly ContentSignature[] = bundledSignatures()): SignatureHit[] {
  const lines = text
    .split(/\r\n|[\n\r]/)
    .slice(0, SIGNATURE_MAX_LINES)
    .map((line, index) => ({ line: index + 1, text: line }));
  return matchSignatureLines(lines, target, signatures);
}

/** A numbered line, or a piece of one (a collector may send only the pieces around its needles). */
export interface NumberedLine {
  line: number;
  text: string;
}

/** matchSignatures over lines (or pieces of lines) that keep their numbers in the file. */
export function matchSignatureLines(lines: readonly NumberedLine[], target: SignatureTarget, signatures: readonly ContentSignature[] = bundledSignatures()): SignatureHit[] {
  const hits: SignatureHit[] = [];
  for (const signature of signatures) {
    if (!signature.targets.includes(target)) continue;
    const hit = signature.all ? matchAll(lines, signature.all) : matchPattern(lines, new RegExp(signature.pattern!, 'u'));
    if (hit) hits.push({ signature: signature.id, ...hit });
  }
  return hits;
}

/**
 * The fixed strings a collector greps for to find every line any signature for `target` could
 * match: each `all` string and each pattern's needles.
 */
export function signatureNeedles(target: SignatureTarget, signatures: readonly ContentSignature[] = bundledSignatures()): string[] {
  const needles = signatures.filter((signature) => signature.targets.includes(target)).flatMap((signature) => signature.all ?? signature.needles ?? []);
  return [...new Set(needles)];
}

function matchAll(lines: readonly NumberedLine[], strings: readonly string[]): Omit<SignatureHit, 'signature'> | null {
  let first: Omit<SignatureHit, 'signature'> | null = null;
  for (const [position, needle] of strings.entries()) {
    const found = lines.find((line) => line.text.includes(needle));
    if (!found) return null;
    if (position === 0) first = { line: found.line, excerpt: excerptAt(found.text, found.text.indexOf(needle), needle.length) };
  }
  return first;
}

function matchPattern(lines: readonly NumberedLine[], pattern: RegExp): Omit<SignatureHit, 'signature'> | null {
  for (const line of lines) {
    const match = pattern.exec(line.text);
    if (match) return { line: line.line, excerpt: excerptAt(line.text, match.index, match[0].length) };
  }
  return null;
}

/** A bounded piece of `line` around a match, marked with … where it was cut. */
export function excerptAt(line: string, start: number, length: number): string {
  const room = Math.max(0, SIGNATURE_EXCERPT_CHARS - length);
  const from = Math.max(0, start - Math.floor(room / 4));
  const to = Math.min(line.length, from + Math.max(SIGNATURE_EXCERPT_CHARS, length));
  return `${from > 0 ? '…' : ''}${line.slice(from, to)}${to < line.length ? '…' : ''}`;
}
