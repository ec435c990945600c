import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { judgedSampleReport } from '../../shared/fixtures/format-reports.js';
import type { ReportExport } from '../../shared/report-formats/index.js';
import { CommandsContext } from '../app/commands-context.js';
import { createCommands, type Commands } from '../app/commands.js';
import { createFakeApi } from '../test-support/fake-api.js';
import { ExportReport } from './ExportReport.js';
import { exportBlob } from '../app/save-file.js';

const given = vi.hoisted(() => ({ report: null as unknown }));
vi.mock('../store/hooks.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../store/hooks.js')>()),
  useReport: () => given.report,
}));

const noCommands = new Proxy({} as Commands, { get: () => async () => undefined });

function render(): string {
  return renderToStaticMarkup(
    <CommandsContext.Provider value={noCommands}>
      <ExportReport />
    </CommandsContext.Provider>,
  );
}

describe('ExportReport', () => {
  it('offers one button per format once the case has a report', () => {
    given.report = judgedSampleReport();
    const html = render();

    for (const format of ['json', 'jsonl', 'markdown', 'html', 'cyclonedx', 'sarif', 'pdf']) expect(html).toContain(`data-testid="export-${format}"`);
    expect(html).toContain('Save the report as CycloneDX 1.6 (VEX) (.cdx.json)');
    expect(html).toContain('Save the report as PDF (the HTML report printed) (.pdf)');
  });

  it('shows nothing before the first scan', () => {
    given.report = null;

    expect(render()).toBe('');
  });
});

describe('the exportReport command', () => {
  const rendered: ReportExport = { format: 'sarif', fileName: 'blast-radius-20260325T083000Z.sarif', mediaType: 'application/sarif+json', text: '{}\n' };
  const storeWith = () => {
    const errors: string[] = [];
    const journals: unknown[] = [];
    return {
      errors,
      journals,
      store: { getState: () => ({ errorRaised: (message: string) => errors.push(message), journalLoaded: (view: unknown) => journals.push(view) }) as never },
    };
  };

  it('asks the main process for the format, saves what it rendered and reads the journal that now lists the export', async () => {
    const journal = { entries: [{ seq: 1, at: '2026-03-25T09:00:00.000Z', kind: 'export' as const, format: 'sarif', fileName: rendered.fileName }], damaged: 0 };
    const fake = createFakeApi({ 'report:export': () => ({ export: rendered }), 'journal:get': () => journal });
    const saved: ReportExport[] = [];
    const { store, errors, journals } = storeWith();

    await createCommands(fake.api, store, (file) => saved.push(file)).exportReport('sarif');

    expect(fake.calls).toEqual([
      { channel: 'report:export', request: { format: 'sarif' } },
      { channel: 'journal:get', request: {} },
    ]);
    expect(saved).toEqual([rendered]);
    expect(journals).toEqual([journal]);
    expect(errors).toEqual([]);
  });

  it('says there is nothing to export when the case has no report, and reports a failure', async () => {
    const { store, errors } = storeWith();
    const saved: ReportExport[] = [];

    await createCommands(createFakeApi({ 'report:export': () => ({ export: null }) }).api, store, (file) => saved.push(file)).exportReport('html');
    await createCommands(createFakeApi({ 'report:export': () => Promise.reject(new Error('disk full')) }).api, store, (file) => saved.push(file)).exportReport('html');

    expect(saved).toEqual([]);
    expect(errors[0]).toBe('Nothing to export yet: scan some hosts first.');
    expect(errors[1]).toMatch(/The export failed.*disk full/);
  });
});

describe('exportBlob', () => {
  it('saves a printed export as its decoded bytes and a text export as UTF-8 text', async () => {
    const pdfBytes = Uint8Array.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff, 0x80]);
    const pdf = exportBlob({ format: 'pdf', fileName: 'r.pdf', mediaType: 'application/pdf', text: btoa(String.fromCharCode(...pdfBytes)), encoding: 'base64' });
    const text = exportBlob({ format: 'markdown', fileName: 'r.md', mediaType: 'text/markdown', text: 'gw · litellm\n' });

    expect(new Uint8Array(await pdf.arrayBuffer())).toEqual(pdfBytes);
    expect(pdf.type).toBe('application/pdf');
    expect(await text.text()).toBe('gw · litellm\n');
  });
});
