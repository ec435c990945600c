/**
 * The app's export: the case's report as the app shows it (the plan with the owner's ticks and
 * decisions, the revocation checks kept, the supply-chain register with the owner's trust and notes) rendered in one format, with the file name to save it as.
 */
import { generateChecklist, mergeProgress } from '../checklist/checklist.js';
import { planSteps } from '../checklist/report-plan.js';
import type { CaseState } from '../ipc/contract.js';
import type { ScanReport } from '../model/index.js';
import { supplyChainRegister } from '../present/supply-chain-register.js';
import type { ReportExport, ReportFormat } from './formats.js';
import { REPORT_RENDERERS } from './registry.js';

/** The case's report with its plan as ticked and decided, and its revocation checks; null when the case has no report. */
export function caseReport(state: CaseState): ScanReport | null {
  const { report } = state;
  if (!report) return null;
  const steps = generateChecklist(report, state.ledger ?? null, state.decisions ?? null);
  const merged = mergeProgress(steps, state.progress, {
    scannedAt: report.scannedAt,
    hosts: report.hosts,
    findings: report.findings,
    ...(state.revocationChecks ? { revocationChecks: state.revocationChecks } : {}),
  });
  const checks = Object.values(state.revocationChecks ?? {});
  const register = supplyChainRegister(report, state.registerAnnotations ?? null);
  return { ...report, plan: planSteps(merged.steps), ...(checks.length > 0 ? { revocationChecks: checks } : {}), ...(register.length > 0 ? { register } : {}) };
}

/** The case's report rendered in `format`, named `blast-radius-<scan time>.<extension>`; null when there is nothing to export. */
export function exportCaseReport(state: CaseState, format: ReportFormat): ReportExport | null {
  const report = caseReport(state);
  if (!report) return null;
  const renderer = REPORT_RENDERERS[format];
  const stamp = report.scannedAt.replace(/\.\d+Z$/, 'Z').replace(/[^0-9A-Za-z]/g, '');
  return { format, fileName: `blast-radius-${stamp}.${renderer.extension}`, mediaType: renderer.mediaType, text: renderer.render(report) };
}
