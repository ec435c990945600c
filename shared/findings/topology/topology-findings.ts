/**
 * The topology findings of a scan, in the order the report lists them: keys, gateways, their
 * consumers, and SSH lateral movement. They weigh places by the exposure verdicts and the
 * compromise findings already made, so they come last.
 */
import type { ExposureVerdict, Finding, HostInventory } from '../../model/index.js';
import { findConsumers } from './consumers.js';
import { exposedPlaces } from './exposed-places.js';
import { findGateways, recogniseGateways } from './gateways.js';
import { findSshLateral } from './lateral.js';
import { findSecrets } from './secret-findings.js';

/** Secret, gateway, consumer and ssh-lateral findings for `hosts`, given the findings and verdicts made before them. */
export function findTopology(hosts: readonly HostInventory[], findings: readonly Finding[], exposures: readonly ExposureVerdict[]): Finding[] {
  const exposed = exposedPlaces(findings, exposures);
  const gateways = recogniseGateways(hosts);
  return [
    ...findSecrets(hosts, exposed, gateways),
    ...findGateways(hosts, exposed, gateways),
    ...findConsumers(hosts, gateways, exposed),
    ...findSshLateral(hosts, exposed),
  ];
}
