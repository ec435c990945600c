/** The checklist room's public entry point: the remediation plan, its phases and its progress, and the plan as reports carry it. */
export * from './checklist.js';
export { planSteps, reportPlan } from './report-plan.js';
export { revocationKeyOf, rotateStepRevocation, type RotateStepRevocation } from './revocation.js';
