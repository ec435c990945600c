/**
 * The finding kinds, one module each, registered once. Everything that renders, draws, plans or
 * records findings reads a kind's parts from here and never switches on the kind's name; the
 * `satisfies` clause makes a kind the model gains without a module, or a module missing a part,
 * a compile error.
 *
 * The order is the order the checklist asks kinds for their steps (the most urgent subject
 * first: the bad code, the keys it held, where those keys lead, who consumes the gateway, then
 * clean-up and deployment); within a group the steps keep that order.
 */
import type { Finding, FindingKind } from '../model/index.js';
import { FINDING_KINDS } from '../model/index.js';
import { artifactMismatch } from './artifact-mismatch.js';
import { autoUpdater } from './auto-updater.js';
import { buildTimeInstall } from './build-time-install.js';
import { cachedCompromisedArtifact } from './cached-compromised-artifact.js';
import { compromisedPackage } from './compromised-package.js';
import { consumer } from './consumer.js';
import { contentSignature } from './content-signature.js';
import { dockerSocketMount } from './docker-socket-mount.js';
import { executablePth } from './executable-pth.js';
import { gateway } from './gateway.js';
import { hardeningGap } from './hardening-gap.js';
import { ioc } from './ioc.js';
import type { FindingFact, FindingKindSpec } from './kind-spec.js';
import { mutableImageTag } from './mutable-image-tag.js';
import { recordMismatch } from './record-mismatch.js';
import { secret } from './secret.js';
import { sshLateral } from './ssh-lateral.js';

export type { ChecklistContext, FindingFact, FindingKindSpec, FindingOf } from './kind-spec.js';

/** One spec per finding kind, each typed for its own kind. */
export type FindingKindRegistry = { readonly [K in FindingKind]: FindingKindSpec<K> };

/** Every finding kind's parts, keyed by kind. */
export const FINDING_KIND_SPECS = {
  'compromised-package': compromisedPackage,
  secret,
  'ssh-lateral': sshLateral,
  consumer,
  ioc,
  'cached-compromised-artifact': cachedCompromisedArtifact,
  'auto-updater': autoUpdater,
  'mutable-image-tag': mutableImageTag,
  'docker-socket-mount': dockerSocketMount,
  'executable-pth': executablePth,
  'content-signature': contentSignature,
  'record-mismatch': recordMismatch,
  'artifact-mismatch': artifactMismatch,
  'build-time-install': buildTimeInstall,
  gateway,
  'hardening-gap': hardeningGap,
} as const satisfies FindingKindRegistry;

/** The kinds in registry order (the checklist's order). */
export const REGISTERED_KINDS = Object.keys(FINDING_KIND_SPECS) as FindingKind[];

/** True for a finding of a kind this version knows; a newer report's other kinds are ignored (report-format.md). */
export function isKnownFinding(finding: Finding): boolean {
  return (FINDING_KINDS as readonly string[]).includes(finding.kind);
}

/** The kind's parts; typed per kind so a part receives its own finding type. */
export function kindSpec<K extends FindingKind>(kind: K): FindingKindSpec<K> {
  const registry: FindingKindRegistry = FINDING_KIND_SPECS;
  return registry[kind];
}

/** How a kind reads; a kind from a newer report reads as its own name. */
export function findingKindLabel(kind: string): string {
  return (FINDING_KIND_SPECS as Record<string, { label: string } | undefined>)[kind]?.label ?? kind;
}

/** The facts a finding's kind adds to the common fields; none for a kind this version does not know. */
export function findingFacts(finding: Finding): FindingFact[] {
  if (!isKnownFinding(finding)) return [];
  return factsOf(finding);
}

function factsOf<K extends FindingKind>(finding: Extract<Finding, { kind: K }>): FindingFact[] {
  return kindSpec(finding.kind as K).facts(finding);
}
