/** A small button that copies one value (a fingerprint, a path, a command) to the clipboard; the renderer only ever has fingerprints, never a secret. */
import { useState } from 'react';

/** Copies `text`; says "Copied" once it is on the clipboard. */
export function CopyButton({ text, what, testId }: { text: string; what: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    navigator.clipboard?.writeText(text).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <button type="button" className="link-button small copy-button" data-testid={testId} data-copy={text} aria-label={`Copy ${what}`} onClick={copy}>
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}
