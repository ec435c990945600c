import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectHostFacts } from './host-facts.js';
import { hermeticRunner, SHELLS, tempDir } from './fixtures/shell-harness.js';

describe.each(SHELLS)('host facts script under $name', (shell) => {
  it('reads hostname, OS and kernel of this machine without starting python', async () => {
    const dir = await tempDir();
    const marker = join(dir, 'marker');
    const runner = await hermeticRunner(shell, dir, { marker });

    const facts = await collectHostFacts(runner);

    expect(facts.hostname).not.toBe('unknown');
    expect(facts.os).not.toBe('unknown');
    expect(facts.kernel).toMatch(/^\d+\.\d+/);
    expect(existsSync(marker)).toBe(false);
  });
});
