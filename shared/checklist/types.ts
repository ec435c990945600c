/**
 * The checklist's vocabulary: the groups steps are worked in, a step and what it is verified by,
 * and the shapes progress is merged into. Types and constants only, so every other checklist
 * module can import it without importing any logic.
 */
import type { StepProgress } from '../ipc/contract.js';
import type { SecretLocation } from '../model/index.js';

/** Checklist groups in the order they are worked. */
export const CHECKLIST_GROUPS = ['contain', 'rotate', 'teardown', 'clean-up'] as const;
/** A checklist group. */
export type ChecklistGroup = (typeof CHECKLIST_GROUPS)[number];

/** How a step is confirmed: a re-scan no longer finds it, or only the user can tell. */
export type StepVerification = 'rescan' | 'manual';

/** One option of a step that asks the user to pick (where a consumer moves to); the pick is kept in its progress. */
export interface StepChoice {
  value: string;
  label: string;
  detail: string;
}

/**
 * What a re-scan must find nowhere for a step to be verified: a secret's fingerprint on every
 * host it was on, a public key in one account's authorized_keys, or a consumer pointing at a gateway.
 */
export type GoneCheck =
  | { kind: 'secret'; fingerprint: string; hosts: string[] }
  | { kind: 'authorized-key'; fingerprint: string; host: string; user: string }
  | { kind: 'consumer'; consumer: string; consumerHost: string; gateway: string; gatewayHost: string };

/**
 * A step the case ledger keeps after the latest findings stopped naming its subject: it is done by
 * evidence once a scan made after `lastSeen` reads every host of `check` and finds it nowhere.
 */
export interface KeptStep {
  /** Scan time (ISO) the subject was last seen. */
  lastSeen: string;
  check: GoneCheck;
}

/** Why a step counts as done without a tick: the scan that read every host it was on and found it nowhere. */
export interface StepEvidence {
  /** Time (ISO) of that scan. */
  scannedAt: string;
  /** The hosts it read and found it absent on. */
  hosts: string[];
}

/** One thing to do, generated from findings. */
export interface ChecklistStep {
  /** Stable: the same findings give the same id on every scan. */
  id: string;
  group: ChecklistGroup;
  title: string;
  /** Why and how, in plain text; may span several lines. */
  detail: string;
  host: string;
  container: string | null;
  findingIds: string[];
  verification?: StepVerification;
  /** A shell command to copy, when one is safe to give; remote values in it are single-quoted. */
  command?: string;
  /** Options to pick from; the picked value is kept in the step's progress (`choice`). */
  choices?: StepChoice[];
  /** An https page of the app's own table (a provider's key console) to open in the browser. */
  link?: { label: string; url: string };
  /** Every place a secret was seen: host, container, source and path or variable, never a value. */
  locations?: SecretLocation[];
  /** For `rescan` steps that are verified by absence: what must be gone, and where it was. */
  gone?: GoneCheck;
  /** Set on a step generated from the case ledger for something the latest findings no longer name. */
  kept?: KeptStep;
}

/** A step together with what the user recorded for it. */
export interface ChecklistStepWithProgress extends ChecklistStep {
  progress: StepProgress | null;
  done: boolean;
  /**
   * Ticked done, but the report the step was generated from was scanned after the tick and
   * still finds what the step removes (only for `rescan` steps; needs `scannedAt`).
   */
  stillFound: boolean;
  /**
   * For steps with `gone`: ticked, and a scan made after the tick found it nowhere and read every
   * host it was on. Never true from a scan that could not reach one of those hosts.
   */
  verified: boolean;
  /**
   * For steps with `gone` or `kept`: hosts it was on that the scan after the tick (or, for a kept
   * step, after it was last seen) did not read, so it cannot count as gone.
   */
  notScanned: string[];
  /** For `kept` steps: done without a tick, because the latest scan read every host it was on and found it nowhere. */
  doneByEvidence: StepEvidence | null;
}

/** Progress recorded for a step the current findings no longer generate; kept, never dropped. */
export interface OrphanedProgress {
  stepId: string;
  progress: StepProgress;
}

/** The checklist with progress applied. */
export interface MergedChecklist {
  steps: ChecklistStepWithProgress[];
  orphanedProgress: OrphanedProgress[];
}

/** One bar of the progress chart. */
export interface ChecklistGroupSummary {
  group: ChecklistGroup;
  total: number;
  done: number;
  remaining: number;
}

/** Totals for the progress chart; `byGroup` has every group, in order, so the axis never jumps. */
export interface ChecklistSummary {
  total: number;
  done: number;
  byGroup: ChecklistGroupSummary[];
}
