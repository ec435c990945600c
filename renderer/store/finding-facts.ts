/** The labelled facts of a finding, shown above its evidence in the findings list. */
import type { Finding } from '../../shared/model/index.js';
import { describeLocation } from '../../shared/present/graph.js';

/** One labelled fact of a finding, shown above its evidence. */
export interface FindingFact {
  label: string;
  value: string;
}

/** The facts a finding's kind adds to the common fields, in the order a reader needs them. */
export function findingFacts(finding: Finding): FindingFact[] {
  const facts: (FindingFact | null)[] = (() => {
    switch (finding.kind) {
      case 'compromised-package':
        return [
          { label: 'Package', value: `${finding.package} ${finding.version}` },
          { label: 'Environment', value: finding.path },
          { label: 'Advisories', value: finding.advisories.join(', ') },
        ];
      case 'executable-pth':
        return [
          { label: 'File', value: finding.path },
          { label: 'sha256', value: finding.sha256 },
          { label: 'Owner', value: finding.package ?? 'no distribution lists it' },
        ];
      case 'record-mismatch':
        return [
          { label: 'Package', value: `${finding.package} ${finding.version}` },
          { label: 'Environment', value: finding.path },
          { label: 'Files', value: finding.files.map((file) => `${file.problem}: ${file.path}`).join('; ') },
        ];
      case 'ioc':
        return [
          { label: 'Rule', value: finding.ruleKind ? `${finding.rule} (${finding.ruleKind})` : finding.rule },
          finding.path ? { label: 'Path', value: finding.path } : null,
          finding.unit ? { label: 'Unit', value: finding.unit } : null,
          { label: 'Source', value: finding.source },
        ];
      case 'mutable-image-tag':
        return [{ label: 'Image', value: finding.image }];
      case 'auto-updater':
        return [
          { label: 'Updater', value: finding.updater },
          { label: 'Watches', value: finding.watches.length > 0 ? finding.watches.join(', ') : 'every container' },
        ];
      case 'build-time-install':
        return [
          { label: 'Image', value: finding.image },
          { label: 'Command', value: finding.command },
        ];
      case 'cached-compromised-artifact':
        return [
          { label: 'Package', value: `${finding.package} ${finding.version}` },
          { label: 'File', value: finding.path },
        ];
      case 'secret':
        return [
          { label: 'Provider', value: finding.provider },
          { label: 'Fingerprint', value: finding.fingerprint },
          { label: 'Locations', value: finding.locations.map(describeLocation).join('; ') },
        ];
      case 'gateway':
        return [
          { label: 'Gateway', value: finding.service ? `${finding.gateway} (${finding.service})` : finding.gateway },
          { label: 'Endpoints', value: finding.endpoints.join(', ') || 'none seen' },
          { label: 'Backends', value: finding.backends.join(', ') || 'none seen' },
        ];
      case 'consumer':
        return [
          { label: 'Consumer', value: `${finding.consumer} on ${finding.consumerHost}` },
          { label: 'Gateway', value: `${finding.gateway} on ${finding.gatewayHost}` },
          { label: 'Via', value: finding.via },
        ];
      case 'ssh-lateral':
        return [
          { label: 'From', value: finding.fromHost },
          { label: 'To', value: `${finding.toUser}@${finding.toHost}` },
          { label: 'Key', value: finding.keyFingerprint },
        ];
      default:
        return [];
    }
  })();
  return facts.filter((fact): fact is FindingFact => fact !== null);
}
