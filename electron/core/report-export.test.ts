import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledAdvisoryIndex } from '../../shared/domain/advisories/index.js';
import { judgedSampleReport, TEST_TOOL } from '../../shared/fixtures/format-reports.js';
import type { ResponseOf } from '../../shared/ipc/contract.js';
import type { PlanStep } from '../../shared/model/index.js';
import { REPORT_FORMATS, REPORT_RENDERERS } from '../../shared/report-formats/index.js';
import { CaseStore } from '../case/case-store.js';
import { AppBackend, NO_PDF_PRINTER } from './app-backend.js';
import type { PdfPrinter } from '../../shared/report-formats/pdf.js';
import { rejudgeReport } from './compose.js';
import { BadRequestError, dispatch } from './dispatch.js';

/** A backend over a fresh case folder; nothing but the case is used. */
async function backend(printPdf?: PdfPrinter) {
  const store = await CaseStore.open(await mkdtemp(join(tmpdir(), 'report-export-')));
  const app = new AppBackend({
    store,
    hosts: { list: async () => [], add: async () => Promise.reject(new Error('not used')), targets: async () => Promise.reject(new Error('not used')) },
    runScan: async () => Promise.reject(new Error('not used')),
    rejudge: rejudgeReport(bundledAdvisoryIndex()),
    windowIds: [],
    emit: () => undefined,
    revocation: { check: async () => Promise.reject(new Error('not used')), forget: () => undefined },
    ...(printPdf ? { printPdf } : {}),
  });
  return { store, handlers: app.handlers() };
}

const exportAs = async (handlers: Awaited<ReturnType<typeof backend>>['handlers'], format: string) =>
  (await dispatch(handlers, 'report:export', { format })) as ResponseOf<'report:export'>;

describe('report:export', () => {
  it('answers null while the case has no report', async () => {
    const { handlers } = await backend();

    expect(await exportAs(handlers, 'html')).toEqual({ export: null });
  });

  it("renders the case's report in every format, named by its scan time and the format's extension", async () => {
    const { store, handlers } = await backend();
    await store.saveReport(judgedSampleReport());

    for (const format of REPORT_FORMATS) {
      const { export: rendered } = await exportAs(handlers, format);
      expect(rendered?.fileName, format).toBe(`blast-radius-20260325T083000Z.${REPORT_RENDERERS[format].extension}`);
      expect(rendered?.mediaType, format).toBe(REPORT_RENDERERS[format].mediaType);
      expect(rendered?.text, format).toContain(TEST_TOOL.version);
      expect(rendered?.text, format).toContain('MAL-2026-2144');
    }
  });

  it("carries the owner's ticks in the plan, as the app shows it", async () => {
    const { store, handlers } = await backend();
    await store.saveReport(judgedSampleReport());
    const untouched = JSON.parse((await exportAs(handlers, 'json')).export!.text) as { plan: PlanStep[] };
    const step = untouched.plan.find((candidate) => candidate.state === 'open')!;
    await store.setStep(step.id, true, 'done by hand', new Date('2026-03-26T00:00:00Z'));

    const ticked = JSON.parse((await exportAs(handlers, 'json')).export!.text) as { plan: PlanStep[] };

    expect(ticked.plan.find((candidate) => candidate.id === step.id)?.state).toBe('done');
  });

  it('refuses a format it does not know', async () => {
    const { handlers } = await backend();

    await expect(dispatch(handlers, 'report:export', { format: 'docx' })).rejects.toBeInstanceOf(BadRequestError);
  });

  it('exports PDF as the HTML export printed, in base64, named like the others', async () => {
    const printed: string[] = [];
    const { store, handlers } = await backend(async (html) => {
      printed.push(html);
      return Uint8Array.from(Buffer.from('%PDF-1.7 printed'));
    });
    await store.saveReport(judgedSampleReport());

    const { export: pdf } = await exportAs(handlers, 'pdf');

    expect(printed).toEqual([(await exportAs(handlers, 'html')).export!.text]);
    expect(pdf).toMatchObject({ format: 'pdf', fileName: 'blast-radius-20260325T083000Z.pdf', mediaType: 'application/pdf', encoding: 'base64' });
    expect(Buffer.from(pdf!.text, 'base64').toString()).toBe('%PDF-1.7 printed');
  });

  it('refuses PDF with a message where nothing can print, and answers null before the first scan', async () => {
    const { store, handlers } = await backend();
    expect(await exportAs(handlers, 'pdf')).toEqual({ export: null });
    await store.saveReport(judgedSampleReport());

    await expect(exportAs(handlers, 'pdf')).rejects.toThrow(NO_PDF_PRINTER);
  });
});
