/**
 * The steps of a gateway systemd starts on a host (pip into a virtualenv, a release binary) once
 * the scan finds compromised code on its host or the owner decides to remove it: contain it
 * (save its journal, then stop and disable the unit, so a reboot does not start it again), then
 * remove its unit and virtualenv. Its config and environment files are teardown pieces
 * (teardown.ts): they go after the keys in them are rotated. Commands are built from names the
 * scan read, always quoted; nothing here starts the gateway's Python.
 */
import { decisionFor, type CaseDecisions } from '../case/decisions.js';
import { isFindingOfKind, type GatewayFinding, type GatewayService, type ScanReport } from '../model/index.js';
import type { ChecklistStep } from './types.js';
import { joinAnd, lines, part, shellQuote } from './text.js';

/** What the steps read of the report. */
export type ServiceGatewayReport = Pick<ScanReport, 'hosts' | 'findings'>;

/** The id of a gateway service's contain step. */
export function stopServiceStepId(host: string, unit: string): string {
  return `contain:stop-service:${part(host)}/${part(unit)}`;
}

/** The id of a gateway service's removal step. */
export function removeServiceStepId(host: string, unit: string): string {
  return `teardown:remove-service:${part(host)}/${part(unit)}`;
}

/** The unit a gateway finding names, as its host's inventory read it, or null for a container or a service not read from a unit. */
export function gatewayServiceOf(gateway: Pick<GatewayFinding, 'host' | 'container' | 'service'>, report: Pick<ScanReport, 'hosts'>): GatewayService | null {
  if (gateway.container !== null || gateway.service === undefined) return null;
  return report.hosts.find((host) => host.name === gateway.host)?.gatewayServices?.find((service) => service.unit === gateway.service) ?? null;
}

/** Contain and remove steps for each host-service gateway with compromised code on its host (or that the owner decided to remove); a patched one keeps running. */
export function serviceGatewaySteps(gateways: readonly GatewayFinding[], report: ServiceGatewayReport, decisions: CaseDecisions | null): ChecklistStep[] {
  return gateways.flatMap((gateway): ChecklistStep[] => {
    const service = gatewayServiceOf(gateway, report);
    if (!service) return [];
    const decision = decisionFor(decisions, gateway.id)?.decision;
    if (decision === 'patch') return [];
    const compromised = report.findings.some((finding) => isFindingOfKind(finding, 'compromised-package') && finding.host === gateway.host && finding.container === null);
    if (!compromised && decision !== 'remove') return [];
    const unit = shellQuote(service.unit);
    const user = service.scope === 'user';
    const systemctl = user ? 'systemctl --user' : 'sudo systemctl';
    const journal = user ? `journalctl --user-unit ${unit}` : `sudo journalctl -u ${unit}`;
    const evidence = shellQuote(`${service.unit}-journal.txt`);
    const stopId = stopServiceStepId(gateway.host, service.unit);
    const removed = [service.path, ...(service.venv !== null ? [service.venv] : [])];
    return [
      {
        id: stopId,
        phase: 'contain',
        title: `Stop and disable gateway service ${service.unit} on ${gateway.host}`,
        detail: lines(
          `${service.unit} runs ${service.program}${service.venv !== null ? ` from the virtualenv ${service.venv}` : ''}, on a host where the scan found compromised code: it holds every key it was given and sees every prompt sent through it.`,
          `Save its journal first (what the gateway did during the window is evidence), then stop it and disable it so a reboot does not start it again. Do not start it or anything in its virtualenv to look at it.`,
          user && `It is a user unit${service.user !== undefined ? ` of ${service.user}` : ''}: run the command as that user.`,
          `Its consumers lose it now; each has its own step.`,
        ),
        host: gateway.host,
        container: null,
        findingIds: [gateway.id],
        verification: 'manual',
        command: `${journal} --no-pager -o short-iso > ${evidence} 2>&1; ${systemctl} disable --now ${unit}`,
      },
      {
        id: removeServiceStepId(gateway.host, service.unit),
        phase: 'eradicate',
        title: `Remove gateway service ${service.unit} and its virtualenv from ${gateway.host}`,
        detail: lines(
          `Delete ${joinAnd(removed)}, then reload systemd. Delete nothing by running it: the virtualenv's scripts start the compromised package.`,
          (service.configPaths.length > 0 || service.environmentFiles.length > 0) &&
            `${joinAnd([...service.configPaths, ...service.environmentFiles])} held its configuration and keys: delete ${service.configPaths.length + service.environmentFiles.length === 1 ? 'it' : 'them'} once the keys in ${service.configPaths.length + service.environmentFiles.length === 1 ? 'it' : 'them'} are rotated, and put no new key there.`,
          `A re-scan confirms it: the gateway finding disappears once no unit starts it.`,
        ),
        host: gateway.host,
        container: null,
        findingIds: [gateway.id],
        verification: 'rescan',
        command: `${user ? '' : 'sudo '}rm -f -- ${shellQuote(service.path)}${service.venv !== null ? ` && ${user ? '' : 'sudo '}rm -rf -- ${shellQuote(service.venv)}` : ''} && ${systemctl} daemon-reload`,
        blockedBy: [stopId],
        blockedReason: 'A unit is stopped before its files are deleted, so it cannot restart from a half-removed virtualenv.',
      },
    ];
  });
}
