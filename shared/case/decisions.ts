/**
 * The owner's decision per AI component (a gateway the scan found): remove it and route its
 * consumers around it, or patch it in place. Kept in the case by the component's id (its gateway
 * finding's id, stable across re-scans) with the reason the owner gave; the plan follows it.
 */
import { z } from 'zod';
import { isFindingOfKind, type Finding } from '../model/index.js';

/** What the owner can decide for a component. */
export const COMPONENT_DECISIONS = ['remove', 'patch'] as const;

/** Remove (migrate consumers, tear down) or patch (upgrade to a fixed release, re-deploy pinned, then rotate). */
export type ComponentDecisionKind = (typeof COMPONENT_DECISIONS)[number];

/** Longest reason kept: a paragraph, not a file. */
export const MAX_DECISION_REASON = 2000;

/** The schema of one recorded decision, as the case keeps it. */
export const componentDecisionSchema = z
  .object({
    decision: z.enum(COMPONENT_DECISIONS),
    reason: z.string().max(MAX_DECISION_REASON),
    /** ISO time it was recorded. */
    decidedAt: z.string(),
  })
  .strict();

/** One recorded decision: which way, why, and when. */
export type ComponentDecision = z.infer<typeof componentDecisionSchema>;

/** The case's decisions by component id. */
export type CaseDecisions = Record<string, ComponentDecision>;

/** The decision recorded for a component, or null when the owner has not decided. */
export function decisionFor(decisions: CaseDecisions | null | undefined, componentId: string): ComponentDecision | null {
  return decisions && Object.hasOwn(decisions, componentId) ? decisions[componentId]! : null;
}

/**
 * Decisions given by place (`HOST/NAME`, NAME a gateway's container or service), as the CLI takes
 * them, keyed by the gateway finding each names; places that name no gateway of the report are
 * returned so the caller can say so.
 */
export function decisionsByPlace(
  findings: readonly Finding[],
  requests: ReadonlyArray<{ place: string; decision: ComponentDecisionKind }>,
  decidedAt: string,
  reason: string,
): { decisions: CaseDecisions; unmatched: string[] } {
  const decisions: CaseDecisions = {};
  const unmatched: string[] = [];
  for (const request of requests) {
    const slash = request.place.indexOf('/');
    const host = request.place.slice(0, slash);
    const name = request.place.slice(slash + 1);
    const gateways = findings.filter((finding) => isFindingOfKind(finding, 'gateway') && finding.host === host && (finding.container === name || finding.service === name));
    if (gateways.length === 0) unmatched.push(request.place);
    for (const gateway of gateways) decisions[gateway.id] = { decision: request.decision, reason, decidedAt };
  }
  return { decisions, unmatched };
}
