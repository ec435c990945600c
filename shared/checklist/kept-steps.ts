/**
 * The steps the case ledger keeps for keys, authorized keys and consumers that earlier scans saw
 * and the latest findings no longer name, each marked `kept` so the merge can count it done by
 * evidence.
 */
import type { CaseDecisions } from '../case/decisions.js';
import { authorizedKeyKey, consumerKey, type CaseLedger, type LedgerRouteChoice } from '../case/ledger-entries.js';
import { isFindingOfKind } from '../model/index.js';
import type { ScanReport } from '../model/index.js';
import type { ChecklistStep, StepChoice } from './types.js';

// The ledger restates a step's choice (it cannot import it): both shapes must stay the same.
true satisfies [StepChoice] extends [LedgerRouteChoice] ? ([LedgerRouteChoice] extends [StepChoice] ? true : false) : false;
import { goneCheckHosts } from './gone.js';
import { authorizedKeyStep, isSshKey, keySteps, replaceSshKeyStep, type KeySubject } from './key-steps.js';
import { CONSUMER_TARGETS, consumerCheck, moveConsumerId } from './consumer-steps.js';
import { keptTeardownStep } from './teardown-steps.js';
import { joinAnd, lines } from './text.js';

/**
 * Steps for what the case ledger saw and the latest findings no longer name: a key's rotate,
 * replace and verify steps, the replace step of an SSH key on each host it left, the removal of a
 * public key from authorized_keys, a consumer's move off its gateway, a removed gateway's teardown. Each is `kept`, so the merge
 * can mark it done by evidence once a scan after it was last seen reads every host it was on.
 */
export function keptSteps(report: Pick<ScanReport, 'hosts' | 'findings'>, ledger: CaseLedger, decisions: CaseDecisions | null = null): ChecklistStep[] {
  const steps: ChecklistStep[] = [];
  const secrets = new Map(
    report.findings.filter((finding) => isFindingOfKind(finding, 'secret')).map((finding) => [finding.fingerprint, finding] as const),
  );
  const gone = (what: string, lastSeen: string, hosts: readonly string[]): string =>
    `The latest findings no longer name ${what}: last seen in the scan of ${lastSeen} on ${joinAnd([...hosts])}. A later scan that reads ${hosts.length === 1 ? 'that host' : 'each of these hosts'} and finds it nowhere marks this step done by evidence.`;
  for (const item of ledger.secrets) {
    const now = secrets.get(item.fingerprint);
    if (isSshKey(item)) {
      // Per host: a private key deleted on one host while still found on another has left that one.
      const holding = new Set(now ? (now.locations.length > 0 ? now.locations.map((location) => location.host) : [now.host]) : []);
      for (const host of item.hosts.filter((candidate) => !holding.has(candidate.name))) {
        const step = replaceSshKeyStep(host.name, item.fingerprint, '', item.locations.filter((location) => location.host === host.name));
        steps.push({
          ...step,
          detail: lines(gone(`${item.fingerprint} on ${host.name}`, host.lastSeen, [host.name]), step.detail),
          findingIds: [],
          kept: { lastSeen: host.lastSeen, check: { kind: 'secret', fingerprint: item.fingerprint, hosts: [host.name] } },
        });
      }
      continue;
    }
    if (now) continue;
    const hosts = item.hosts.map((host) => host.name);
    const first = item.locations[0];
    const subject: KeySubject = {
      id: '',
      provider: item.provider,
      fingerprint: item.fingerprint,
      locations: item.locations,
      host: first?.host ?? hosts[0] ?? '',
      container: first?.container ?? null,
    };
    for (const step of keySteps(subject, item)) {
      steps.push({
        ...step,
        detail: lines(gone(item.fingerprint, item.lastSeen, hosts), step.detail),
        findingIds: [],
        kept: { lastSeen: item.lastSeen, check: { kind: 'secret', fingerprint: item.fingerprint, hosts } },
      });
    }
  }
  const lateral = new Set(
    report.findings
      .filter((finding) => isFindingOfKind(finding, 'ssh-lateral'))
      .map((finding) => authorizedKeyKey({ host: finding.toHost, user: finding.toUser, fingerprint: finding.keyFingerprint })),
  );
  for (const key of ledger.authorizedKeys.filter((candidate) => !lateral.has(authorizedKeyKey(candidate)))) {
    const step = authorizedKeyStep(key, [], report.hosts);
    steps.push({
      ...step,
      detail: lines(gone(`${key.user}'s key ${key.fingerprint} on ${key.host}`, key.lastSeen, [key.host]), step.detail),
      kept: { lastSeen: key.lastSeen, check: step.gone! },
    });
  }
  const consumers = new Set(report.findings.filter((finding) => isFindingOfKind(finding, 'consumer')).map(consumerKey));
  for (const item of ledger.consumers.filter((candidate) => !consumers.has(consumerKey(candidate)))) {
    const check = consumerCheck(item);
    const where = item.consumer === item.consumerHost ? item.consumer : `${item.consumer} on ${item.consumerHost}`;
    steps.push({
      id: moveConsumerId(item),
      phase: 'recover',
      title: `Move ${where} off ${item.gateway} on ${item.gatewayHost}`,
      detail: lines(
        `The latest findings no longer show ${where} sending requests to ${item.gateway} on ${item.gatewayHost}: last seen in the scan of ${item.lastSeen}. A later scan that reads ${joinAnd(goneCheckHosts(check))} and finds no way from it to the gateway marks this step done by evidence.`,
        `It sent its prompts and the key it used through the gateway while the gateway ran compromised code: give it a new key where it goes now.`,
      ),
      host: item.consumerHost,
      container: item.container,
      findingIds: [],
      verification: 'rescan',
      choices: item.targets && item.targets.length > 0 ? item.targets.map((choice) => ({ ...choice })) : [...CONSUMER_TARGETS],
      gone: check,
      kept: { lastSeen: item.lastSeen, check },
    });
  }
  // A removed gateway is gone from the latest findings once its teardown is done: its teardown step stays, from the ledger.
  const gateways = new Set(report.findings.filter((finding) => isFindingOfKind(finding, 'gateway')).map((finding) => finding.id));
  for (const item of (ledger.gateways ?? []).filter((candidate) => !gateways.has(candidate.id))) {
    const step = keptTeardownStep(item, ledger, decisions);
    if (step) steps.push(step);
  }
  return steps;
}
