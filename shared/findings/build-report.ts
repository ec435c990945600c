/** Assembles the report document (docs/report-format.md) from scanned hosts. */
import { advisorySnapshot, type AdvisoryIndex } from '../domain/advisories/advisory-index.js';
import { findCachedCompromisedArtifacts } from './cached-artifact.js';
import { findContainerRisks } from './container-risks.js';
import { findCompromisedPackages } from './compromised-package.js';
import type { CompromisedPackageFinding, ExposureVerdict, Finding, HostInventory, ScanReport, ToolInfo } from '../model/index.js';
import { assessExposures, exposureKey, type ExposureOptions } from '../domain/exposure/verdicts.js';
import { findIocs } from './ioc.js';
import { bundledIocRules, iocRulesInfo, type IocRule } from '../domain/iocs/rules.js';
import { findExecutablePth } from './executable-pth.js';
import { findContentSignatures } from './content-signature.js';
import { findRecordMismatches } from './record-mismatch.js';
import { findArtifactMismatches, isCompromiseEvidence } from './artifact-mismatch.js';
import type { KnownGoodReference } from '../domain/python/known-good.js';
import { findTopology } from './topology/topology-findings.js';
import { findHardeningGaps } from './hardening-gap.js';

/** Who builds a report when the caller does not say (tests, fixtures): the tool with no known version. */
const UNKNOWN_TOOL: ToolInfo = { name: 'blast-radius', version: 'unknown' };

/** How a report is judged beyond its inventory: the user's compromise windows and the known-good artifacts imported into the case. */
export interface JudgeOptions extends ExposureOptions {
  knownGood?: readonly KnownGoodReference[];
}

/**
 * Builds a schemaVersion 1 report: the hosts as scanned and the findings derived from them (IOC
 * hits judged by `iocRules`, the bundled rules unless given; hashed copies compared with each
 * other and with the known-good artifacts), with its provenance: `tool`, the advisory records of
 * `index` and the rules.
 */
export function buildReport(
  hosts: HostInventory[],
  index: AdvisoryIndex,
  scannedAt: Date,
  iocRules: readonly IocRule[] = bundledIocRules(),
  judging: JudgeOptions = {},
  tool: ToolInfo = UNKNOWN_TOOL,
): ScanReport {
  const { knownGood, ...exposureOptions } = judging;
  const maliciousRelease = (name: string, version: string) => index.match('PyPI', name, version).some((match) => match.malicious);
  const artifacts = findArtifactMismatches(hosts, knownGood, maliciousRelease);
  // A copy whose bytes are not its release's is judged exposed whatever its version says.
  const exposures = assessExposures(hosts, index, exposureOptions, artifacts.findings.filter(isCompromiseEvidence));
  const findings = withContainerRisks(hosts, [
    ...withVerdicts(findCompromisedPackages(hosts, index), exposures),
    ...findExecutablePth(hosts),
    ...findContentSignatures(hosts),
    ...findRecordMismatches(hosts, index),
    ...artifacts.findings,
    ...findIocs(hosts, iocRules),
    ...findCachedCompromisedArtifacts(hosts, index),
  ]);
  return {
    schemaVersion: 1,
    scannedAt: scannedAt.toISOString(),
    hosts,
    // Keys, gateways, consumers and lateral movement are weighed by what was flagged above.
    findings: [...findings, ...findTopology(hosts, findings, exposures), ...findHardeningGaps(hosts)],
    exposures,
    ...(artifacts.comparisons.length > 0 ? { copyComparisons: artifacts.comparisons } : {}),
    provenance: { tool, advisories: advisorySnapshot(index), iocRules: iocRulesInfo(iocRules) },
  };
}

/** Gives each compromised-package finding the verdict and reasons of its place and primary advisory. */
function withVerdicts(findings: CompromisedPackageFinding[], exposures: readonly ExposureVerdict[]): CompromisedPackageFinding[] {
  const byKey = new Map(exposures.map((exposure) => [exposureKey(exposure, exposure.advisories[0] ?? ''), exposure]));
  return findings.map((finding) => {
    const exposure = byKey.get(exposureKey(finding, finding.advisories[0] ?? ''));
    return exposure ? { ...finding, verdict: exposure.verdict, reasons: exposure.reasons } : finding;
  });
}

/** Appends the deployment findings (tags, sockets, updaters, build steps), which weigh containers by what was already flagged. */
function withContainerRisks(hosts: readonly HostInventory[], findings: Finding[]): Finding[] {
  return [...findings, ...findContainerRisks(hosts, findings)];
}
