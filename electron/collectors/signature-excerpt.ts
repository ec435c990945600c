/**
 * Makes a content signature's excerpt safe to keep without hiding the evidence: the text between
 * the signatures' own strings is redacted (a key on the matched line becomes its fingerprint),
 * while the strings themselves, public and the very reason for the match, stay readable even
 * when they look like a secret (the stager's base64 blob does).
 */
import { signatureNeedles } from '../../shared/domain/iocs/signatures.js';
import type { SignatureHit } from '../../shared/model/index.js';
import { redactText } from '../readers/secrets/redact-text.js';

/** Longest excerpt kept after redaction (placeholders are longer than what they replace). */
const EXCERPT_MAX_CHARS = 240;

/** The hits with each excerpt redacted between the signatures' fixed strings. */
export function safeSignatureHits(hits: readonly SignatureHit[]): SignatureHit[] {
  const needles = [...new Set([...signatureNeedles('pth'), ...signatureNeedles('customize'), ...signatureNeedles('package-file')])].filter((needle) => needle.length >= 8);
  return hits.map((hit) => ({ ...hit, excerpt: redactBetween(hit.excerpt, needles) }));
}

function redactBetween(text: string, needles: readonly string[]): string {
  const pieces: string[] = [];
  let rest = text;
  for (;;) {
    let at = -1;
    let found = '';
    for (const needle of needles) {
      const index = rest.indexOf(needle);
      if (index >= 0 && (at < 0 || index < at)) {
        at = index;
        found = needle;
      }
    }
    if (at < 0) break;
    pieces.push(redactPiece(rest.slice(0, at)), found);
    rest = rest.slice(at + found.length);
  }
  pieces.push(redactPiece(rest));
  const joined = pieces.join('');
  return joined.length > EXCERPT_MAX_CHARS ? `${joined.slice(0, EXCERPT_MAX_CHARS - 1)}…` : joined;
}

function redactPiece(piece: string): string {
  return piece === '' ? '' : redactText(piece, { maxChars: EXCERPT_MAX_CHARS });
}
