/**
 * The step that proves a removed gateway's teardown complete: one per gateway the plan removes
 * (its compromised package's steps, its retirement once its consumers moved, or the owner's
 * decision to remove it), listing every piece (teardown.ts) and verified by a re-scan that finds
 * none of them. Its pieces are kept in the case ledger, so the step outlives the gateway's finding.
 */
import { decisionFor, type CaseDecisions } from '../case/decisions.js';
import type { CaseLedger, LedgerGateway } from '../case/ledger-entries.js';
import { isFindingOfKind } from '../model/index.js';
import type { ConsumerFinding, GatewayFinding, ScanReport } from '../model/index.js';
import { moveConsumerId, retireGatewaySteps } from './consumer-steps.js';
import { removeServiceStepId } from './service-gateway-steps.js';
import { teardownPieces, uniquePieces, type TeardownPiece, type TeardownPieceKind } from './teardown.js';
import type { ChecklistStep, GoneCheck } from './types.js';
import { joinAnd, lines, part } from './text.js';

/** What the teardown steps read of the report. */
export type TeardownStepsReport = Pick<ScanReport, 'hosts' | 'findings'> & Partial<Pick<ScanReport, 'exposures'>>;

/** How each kind of piece reads in a step's detail and the checklist view. */
export const TEARDOWN_PIECE_LABELS: Readonly<Record<TeardownPieceKind, string>> = {
  container: 'Container',
  image: 'Image',
  'database-container': 'Database container',
  volume: 'Volume',
  'config-file': 'Config file with keys',
  route: 'Proxy route',
  tunnel: 'SSH tunnel',
  unit: 'Tunnel unit',
  'updater-watch': 'Updater watch',
  'service-unit': 'Gateway service unit',
  venv: 'Virtualenv',
};

const WAITS = 'The teardown is checked once the gateway is removed and every consumer has moved off it (a consumer’s tunnel is one of its pieces).';

/** The id of a gateway's teardown step; the same whether the gateway's finding or the ledger makes it. */
export function teardownStepId(host: string, name: string): string {
  return `verify:teardown:${part(host)}/${part(name)}`;
}

/** True when a scan found compromised code in the gateway's place or judged its exposure. */
export function isJudgedGateway(gateway: Pick<GatewayFinding, 'host' | 'container'>, report: TeardownStepsReport): boolean {
  const compromised = report.findings.some(
    (finding) => isFindingOfKind(finding, 'compromised-package') && finding.host === gateway.host && finding.container === gateway.container,
  );
  return compromised || (report.exposures ?? []).some((exposure) => exposure.host === gateway.host && exposure.container === gateway.container);
}

/**
 * A teardown step per gateway the plan removes: one with compromised code in it (its package's
 * steps remove it), one retired once its consumers moved, or one the owner decided to remove. A
 * gateway the owner patches keeps running, so it has none. Pieces seen by earlier scans (the ledger) stay listed.
 */
export function gatewayTeardownSteps(
  gateways: readonly GatewayFinding[],
  report: TeardownStepsReport,
  ledger: CaseLedger | null,
  decisions: CaseDecisions | null,
): ChecklistStep[] {
  return gateways.flatMap((gateway): ChecklistStep[] => {
    const decision = decisionFor(decisions, gateway.id)?.decision;
    if (decision === 'patch') return [];
    const compromised = report.findings.some(
      (finding) => isFindingOfKind(finding, 'compromised-package') && finding.host === gateway.host && finding.container === gateway.container,
    );
    const retired = !compromised && retireGatewaySteps([gateway], report, decisions).length > 0;
    if (!compromised && !retired && decision !== 'remove') return [];
    const name = gateway.container ?? gateway.service ?? gateway.gateway;
    const inventory = teardownPieces(gateway, report);
    const kept = ledger?.gateways?.find((item) => item.id === gateway.id)?.pieces ?? [];
    const container = report.hosts.find((host) => host.name === gateway.host)?.containers.find((candidate) => candidate.name === gateway.container);
    const where = `${part(gateway.host)}/${part(name)}`;
    const consumers = report.findings
      .filter((finding): finding is ConsumerFinding => isFindingOfKind(finding, 'consumer'))
      .filter((consumer) => consumer.gatewayHost === gateway.host && consumer.gateway === name);
    return [
      teardownStep({ host: gateway.host, container: gateway.container, name, gateway: gateway.gateway }, uniquePieces([...inventory.pieces, ...kept]), inventory.gaps, {
        findingIds: [gateway.id],
        // Ids of steps this plan may not have (a retired gateway has no package steps): the plan keeps only those it has.
        blockedBy: [
          `teardown:remove-container:${where}`,
          `teardown:remove-image:${where}/${part(container?.imageDigest ?? container?.image ?? 'unknown')}`,
          `clean-up:ingress:${where}`,
          `recover:retire-gateway:${where}`,
          removeServiceStepId(gateway.host, name),
          ...consumers.map(moveConsumerId),
        ],
      }),
    ];
  });
}

/**
 * The teardown step of a gateway the ledger saw and the latest findings no longer name (after a
 * teardown it is gone from every scan), kept when the plan removed it: done by evidence once a scan
 * after it was last seen reads every host of its pieces and finds none of them.
 */
export function keptTeardownStep(item: LedgerGateway, ledger: CaseLedger, decisions: CaseDecisions | null): ChecklistStep | null {
  const decision = decisionFor(decisions, item.id)?.decision;
  if (decision === 'patch' || (!item.judged && decision !== 'remove')) return null;
  const moves = ledger.consumers.filter((consumer) => consumer.gatewayHost === item.host && consumer.gateway === item.name).map(moveConsumerId);
  const step = teardownStep(item, item.pieces, [], { findingIds: [], blockedBy: moves });
  return {
    ...step,
    detail: lines(
      `The latest findings no longer name gateway ${item.name} on ${item.host}: last seen in the scan of ${item.lastSeen}. This step is kept from the case ledger with every piece any scan saw.`,
      step.detail,
    ),
    kept: { lastSeen: item.lastSeen, check: step.gone! },
  };
}

/** The step itself: every piece named with why it belongs, what the inventory could not tell, and the check a re-scan runs. */
function teardownStep(
  gateway: { host: string; container: string | null; name: string; gateway: string },
  pieces: readonly TeardownPiece[],
  gaps: readonly string[],
  context: { findingIds: string[]; blockedBy: string[] },
): ChecklistStep {
  const check: GoneCheck = { kind: 'teardown', gatewayHost: gateway.host, gateway: gateway.name, pieces: pieces.map((piece) => ({ ...piece })) };
  const hosts = [...new Set([gateway.host, ...pieces.map((piece) => piece.host)])];
  return {
    id: teardownStepId(gateway.host, gateway.name),
    phase: 'recover',
    title: `Verify that ${gateway.gateway} gateway ${gateway.name} on ${gateway.host} is torn down completely`,
    detail: lines(
      `Removing the container is not the whole teardown: its database, the files that held its keys, the routes and tunnels that led to it and an updater's watch can each bring it back or keep its keys readable. Each piece below must be gone:`,
      ...pieces.map((piece) => `- ${TEARDOWN_PIECE_LABELS[piece.kind]} ${piece.name}${piece.path !== undefined && piece.path !== piece.name ? ` (${piece.path})` : ''} on ${piece.host}: ${piece.why}`),
      pieces.length === 0 && `The inventory lists no piece of it; check its host by hand.`,
      ...gaps.map((gap) => `Not in the inventory: ${gap}`),
      `A re-scan verifies it: once a scan after your tick reads ${joinAnd(hosts)} and finds none of these, the step is verified; a piece still found is named with where it remains.`,
    ),
    host: gateway.host,
    container: gateway.container,
    findingIds: [...context.findingIds],
    verification: 'rescan',
    gone: check,
    ...(context.blockedBy.length > 0 ? { blockedBy: [...new Set(context.blockedBy)], blockedReason: WAITS } : {}),
  };
}
