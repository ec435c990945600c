/**
 * The checklist's vocabulary: the phases steps are worked in, a step, what it waits for and what
 * it is verified by, and the shapes progress is merged into. Types and constants only, so every
 * other checklist module can import it without importing any logic.
 */
import type { StepProgress } from '../ipc/contract.js';
import type { PlanPhase, SecretLocation } from '../model/index.js';
import type { TeardownPiece, TeardownPieceOutcome } from './teardown.js';

export { PLAN_PHASES, type PlanPhase } from '../model/index.js';

/** How each phase is headed in the app and the reports. */
export const PLAN_PHASE_TITLES: Readonly<Record<PlanPhase, string>> = {
  contain: 'Contain',
  eradicate: 'Eradicate',
  rotate: 'Rotate',
  verify: 'Verify',
  recover: 'Recover',
  harden: 'Harden',
};

/** A host, or one container on it. */
export interface PlanPlaceRef {
  host: string;
  container: string | null;
}

/** Which of a key's steps a step is: the key is rotated at its issuer, put back in place, verified gone. */
export interface KeyStepRole {
  fingerprint: string;
  role: 'rotate' | 'replace' | 'verify';
}

/** A place where a key was seen that another step of the plan deletes: the new key must not go there. */
export interface RemovedLocation {
  location: SecretLocation;
  /** The step that deletes it. */
  stepId: string;
}

/** How a step is confirmed: a re-scan no longer finds it, or only the user can tell. */
export type StepVerification = 'rescan' | 'manual';

/** One option of a step that asks the user to pick (where a consumer moves to); the pick is kept in its progress. */
export interface StepChoice {
  value: string;
  label: string;
  detail: string;
  /** For a consumer's move: the concrete target, kept so a re-scan can check the consumer points at it. */
  route?: RouteTarget;
}

/** Where a consumer's move takes it: a direct backend, another router, or a provider's SDK. */
export interface RouteTarget {
  kind: 'direct-backend' | 'other-router' | 'provider-sdk';
  /** The backend URL, the router's name, or the provider. */
  backend: string;
  /** The gateway's models that go there (empty when not known). */
  models: string[];
  /** The URL the consumer is configured with once moved; null for a provider's SDK or when not known. */
  url: string | null;
  /** The scanned place the target is; null when the scan does not resolve it (then the URL is compared). */
  place: { host: string; container: string | null; port: number | null } | null;
  /** A systemd unit for the SSH tunnel the consumer reaches the target through, when it needs one. */
  tunnel?: { unitName: string; unitText: string; host: string };
}

/** What the scan after the tick says about a consumer's move to its chosen target. */
export interface RouteAroundOutcome {
  /** The chosen target, as its URL or name. */
  target: string;
  /** True when the consumer's configured URLs now land on the target (for a provider's SDK: when it left the gateway). */
  pointsAtTarget: boolean;
  /** Where each of its URLs points now, one line each (`http://127.0.0.1:11434 (OPENAI_BASE_URL in /opt/chat-app/.env)`), or why none was read. */
  evidence: string[];
}

/**
 * What a re-scan must find nowhere for a step to be verified: a secret's fingerprint on every
 * host it was on, a public key in one account's authorized_keys, a consumer pointing at a gateway,
 * or any piece of a removed gateway (teardown.ts).
 */
export type GoneCheck =
  | { kind: 'secret'; fingerprint: string; hosts: string[] }
  | { kind: 'authorized-key'; fingerprint: string; host: string; user: string }
  | { kind: 'consumer'; consumer: string; consumerHost: string; gateway: string; gatewayHost: string }
  | { kind: 'teardown'; gatewayHost: string; gateway: string; pieces: TeardownPiece[] };

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
  phase: PlanPhase;
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
  /** Ids of the steps this one waits for; each comes earlier in the plan. */
  blockedBy?: string[];
  /** Why it waits for them. */
  blockedReason?: string;
  /** The place this step cuts off (isolating a host contains every container on it): the plan's containment. */
  contains?: PlanPlaceRef;
  /** The place whose compromised code or persistence this step deletes: the plan's eradication. */
  eradicates?: PlanPlaceRef;
  /** The container this step deletes, with the env files only it used: no new key is put there. */
  removes?: { host: string; container: string; envFiles: string[] };
  /** For a key's steps: which key, and which of its steps. */
  key?: KeyStepRole;
  /** For a key's replace step: places the old key was that another step deletes (`locations` lists the others). */
  removedLocations?: RemovedLocation[];
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
  /**
   * True while a step it waits for is not done. A blocked step can still be ticked (the owner may
   * know better than the scan); the view then warns that it was ticked out of order.
   */
  blocked: boolean;
  /** The ids of the steps it waits for that are not done yet, in plan order. */
  waitsFor: string[];
  /**
   * For a teardown step: each piece as the scan judging the step sees it (after the tick, or after
   * it was last seen for a kept step; the latest scan otherwise).
   */
  teardown?: TeardownPieceOutcome[];
  /** For a consumer's move with a target picked: whether the scan after the tick finds it pointing there. */
  routeAround?: RouteAroundOutcome;
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

/** One bar of the progress chart: one phase. */
export interface PlanPhaseSummary {
  phase: PlanPhase;
  total: number;
  done: number;
  remaining: number;
}

/** Totals for the progress chart; `byPhase` has every phase, in order, so the axis never jumps. */
export interface ChecklistSummary {
  total: number;
  done: number;
  byPhase: PlanPhaseSummary[];
}
