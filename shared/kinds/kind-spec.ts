/**
 * What a finding kind means across the app, as one record per kind (registry.ts lists them):
 * its label, its facts, what it draws in the blast-radius graph, the checklist steps it asks for
 * and what the case ledger keeps of it. Every part is required, so a kind added to the model
 * without one is a compile error; a kind with nothing to say in a part says so with `null`.
 */
import type { CaseDecisions } from '../case/decisions.js';
import type { CaseLedger } from '../case/ledger-entries.js';
import type { ChecklistStep } from '../checklist/types.js';
import type { Finding, FindingKind, ScanReport } from '../model/index.js';
import type { GraphCanvas, GraphStage } from '../present/graph-canvas.js';

/** The finding type of one kind. */
export type FindingOf<K extends FindingKind> = Extract<Finding, { kind: K }>;

/** One labelled value of a finding, shown identically by the evidence panel, the findings list and every report format. */
export interface FindingFact {
  label: string;
  value: string;
}

/** Draws one finding into the graph at one stage. */
export type GraphDraw<K extends FindingKind> = (finding: FindingOf<K>, canvas: GraphCanvas) => void;

/** What the checklist's step builders may read besides the kind's own findings. */
export interface ChecklistContext {
  report: Pick<ScanReport, 'hosts' | 'findings'> & Partial<Pick<ScanReport, 'exposures'>>;
  ledger: CaseLedger | null;
  /** The owner's remove-or-patch decisions by component id; absent or null when none were recorded. */
  decisions?: CaseDecisions | null;
}

/** What a ledger part may read of the scan besides the finding: its hosts, other findings and verdicts. */
export type LedgerReport = Pick<ScanReport, 'findings'> & Partial<Pick<ScanReport, 'hosts' | 'exposures'>>;

/** Everything one finding kind means. */
export interface FindingKindSpec<K extends FindingKind> {
  /** How the kind reads in the findings list, the filters and the evidence panel. */
  label: string;
  /** The kind's own fields as labelled values, in the order a reader needs them (the common fields are not repeated). */
  facts(finding: FindingOf<K>): FindingFact[];
  /** What the kind draws, per stage of graph-canvas.ts' GRAPH_STAGES (a finding is drawn once per stage listed). */
  graph: Partial<Record<GraphStage, GraphDraw<K>>>;
  /** The steps the kind's findings (all of them, in report order) ask for; null when it asks for none. */
  checklist: ((findings: readonly FindingOf<K>[], context: ChecklistContext) => ChecklistStep[]) | null;
  /**
   * Records a finding in the case ledger, for kinds whose steps are verified by absence; null for
   * the others. `report` is the scan's inventory and findings, when the merge has them.
   */
  ledger: ((ledger: CaseLedger, finding: FindingOf<K>, scannedAt: string, report?: LedgerReport) => void) | null;
}

/** Draws a finding on the container or host it names: the default for findings about a place. */
export function attachToPlace(finding: Finding, canvas: GraphCanvas): void {
  canvas.attach(finding, canvas.place(finding.host, finding.container));
}
