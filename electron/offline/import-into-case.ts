/**
 * Puts an imported collection's report into a case of a data folder (the app's or `serve`'s), as
 * the backend puts a finished scan: the latest result per host merged with the case's, every
 * finding judged again with the case's windows, known-good artifacts and loaded advisories, and a
 * `scan` event in its journal. Only the report (fingerprints, never values) reaches the case; the
 * collection file itself is never copied there.
 */
import { randomUUID } from 'node:crypto';
import type { AdvisoryIndex } from '../../shared/domain/advisories/advisory-index.js';
import type { ScanReport } from '../../shared/model/index.js';
import { mergeHostResults } from '../../shared/case/host-merge.js';
import { CaseLibrary } from '../case/case-library.js';
import { rejudgeReport } from '../core/compose.js';
import { scanEvent } from '../core/journal-events.js';

/** Merges `scan` into case `caseId` of `dataDir`; answers the case's report after the merge. */
export async function importIntoCase(dataDir: string, caseId: string, scan: ScanReport, index: AdvisoryIndex): Promise<ScanReport> {
  const library = await CaseLibrary.open(dataDir);
  const store = await library.store(caseId);
  const rejudge = rejudgeReport(index);
  const windowOverrides = await store.loadWindowOverrides();
  const knownGood = await store.loadKnownGood();
  const advisories = (await store.loadAdvisoryLoads()).flatMap((load) => load.records);
  const { report } = await store.saveMergedScan(scan, (previous) => {
    const hosts = mergeHostResults(previous, scan);
    const scannedAt = previous && Date.parse(previous.scannedAt) > Date.parse(scan.scannedAt) ? previous.scannedAt : scan.scannedAt;
    return rejudge({ ...scan, scannedAt, hosts }, windowOverrides, knownGood, advisories);
  });
  await store.journal.append(scanEvent(randomUUID(), scan, report, false));
  return report;
}
