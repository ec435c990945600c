/**
 * The supply-chain register rides in every report format the app exports: each AI component with
 * the owner's trust level and notes, the notes escaped where the format needs it.
 */
import { describe, expect, it } from 'vitest';
import { registerReport } from '../fixtures/format-reports.js';
import { LAB_FINDING_IDS, sampleLabReport } from '../fixtures/sample-report.js';
import type { RegisterRow } from '../model/index.js';
import { caseReport } from './case-export.js';
import { renderReport } from './registry.js';

const NOTE = 'Replace: <script>alert(1)</script> & pin by digest';

describe('the supply-chain register in every format', () => {
  it('JSON carries every row with its trust and note', () => {
    const rows = (JSON.parse(renderReport('json', registerReport())) as { register: RegisterRow[] }).register;

    expect(rows.map((row) => row.kind)).toEqual(['litellm', 'ollama', 'open-webui', 'ollama', 'summarizer.service', 'litellm']);
    expect(rows.find((row) => row.id === LAB_FINDING_IDS.gateway)).toMatchObject({ trust: 'distrusted', note: NOTE });
  });

  it('JSON lines gives each row a line of its own after the findings', () => {
    const lines = renderReport('jsonl', registerReport()).trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const register = lines.filter((line) => line['record'] === 'register');

    expect(register).toHaveLength(6);
    expect(lines.slice(-6)).toEqual(register);
    expect(register[0]).toMatchObject({ id: LAB_FINDING_IDS.gateway, trust: 'distrusted', note: NOTE, installedBy: 'image', source: 'ghcr.io' });
  });

  it('Markdown has a register table with the trust level and the note escaped', () => {
    const markdown = renderReport('markdown', registerReport());
    const section = markdown.slice(markdown.indexOf('## Supply-chain register'));

    expect(section).toContain('| Component | Role | Installed by |');
    expect(section).toContain('litellm: litellm on gw');
    expect(section).toContain('distrusted (2026-03-26T10:00:00.000Z)');
    expect(section).toContain('Replace: \\<script\\>alert(1)\\</script\\> &amp; pin by digest');
    expect(section).not.toContain('<script>');
  });

  it('HTML has a register table whose note is escaped, never markup', () => {
    const html = renderReport('html', registerReport());

    expect(html).toContain('<h2>Supply-chain register</h2>');
    expect(html).toContain('Replace: &lt;script&gt;alert(1)&lt;/script&gt; &amp; pin by digest');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<td>trusted (2026-03-26T10:05:00.000Z)</td>');
  });

  it('CycloneDX lists each component as an application with its provenance and trust as properties', () => {
    const bom = JSON.parse(renderReport('cyclonedx', registerReport())) as { components: Array<{ type: string; 'bom-ref': string; name: string; version?: string; properties: Array<{ name: string; value: string }> }> };
    const gateway = bom.components.find((component) => component['bom-ref'] === `register:${LAB_FINDING_IDS.gateway}`)!;

    expect(gateway).toMatchObject({ type: 'application', name: 'litellm: litellm', version: '1.82.8' });
    const property = (name: string) => gateway.properties.filter((entry) => entry.name === `blast-radius:register:${name}`).map((entry) => entry.value);
    expect(property('trust')).toEqual(['distrusted']);
    expect(property('note')).toEqual([NOTE]);
    expect(property('source')).toEqual(['ghcr.io']);
    expect(property('pinning')).toEqual(['tag']);
  });

  it('SARIF carries the register in the run properties', () => {
    const log = JSON.parse(renderReport('sarif', registerReport())) as { runs: Array<{ properties: { supplyChainRegister?: RegisterRow[] } }> };

    expect(log.runs[0]!.properties.supplyChainRegister?.find((row) => row.id === LAB_FINDING_IDS.gateway)).toMatchObject({ trust: 'distrusted', note: NOTE });
  });

  it("the app's export adds the register with the case's annotations; a report without AI components has none", () => {
    const state = { report: sampleLabReport(), progress: {}, windowOverrides: {}, registerAnnotations: { [LAB_FINDING_IDS.gateway]: { trust: 'review' as const, note: 'ask the vendor', updatedAt: '2026-03-26T11:00:00.000Z' } } };

    const exported = caseReport(state)!;

    expect(exported.register?.find((row) => row.id === LAB_FINDING_IDS.gateway)).toMatchObject({ trust: 'review', note: 'ask the vendor' });
    expect(caseReport({ ...state, report: { ...sampleLabReport(), hosts: [], findings: [] } })!.register).toBeUndefined();
  });
});
