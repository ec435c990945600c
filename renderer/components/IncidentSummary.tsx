/**
 * The incident at a glance, above every view: hosts with malicious code, hosts reached from them,
 * keys to rotate, gateways and their clients, hosts not fully read. Each tile opens the view that
 * lists what it counts.
 */
import type { ReactNode } from 'react';
import type { HostVerdict, IncidentSummary as Summary } from '../../shared/present/index.js';
import { SEVERITIES } from '../../shared/model/index.js';
import { useIncidentSummary, useUiEvents } from '../store/hooks.js';

/** How each host verdict reads, and the badge class that colours it (shared with the hosts table). */
export const VERDICT_LABELS: Readonly<Record<HostVerdict, { label: string; badge: string }>> = {
  compromised: { label: 'Compromised', badge: 'status-compromised' },
  reached: { label: 'Reached', badge: 'status-reached' },
  'not-read': { label: 'Not read', badge: 'status-failed' },
  partial: { label: 'Partial', badge: 'status-partial' },
  clean: { label: 'Clean', badge: 'status-clean' },
};

/** Host names listed in a tile before the rest are counted. */
const LISTED_NAMES = 3;

/** The summary band; nothing before the first scan. */
export function IncidentSummary() {
  const summary = useIncidentSummary();
  const { viewChosen, findingsOfKindOpened } = useUiEvents();
  if (!summary) return null;
  const { compromisedHosts, reachedHosts, keys, gateways, notFullyRead } = summary;
  const critical = keys.bySeverity.critical;
  return (
    <section className="incident-summary" aria-label="Incident summary" data-testid="incident-summary">
      <Tile
        id="compromised"
        label="Hosts with malicious code"
        count={compromisedHosts.length}
        tone={compromisedHosts.length > 0 ? 'alert' : 'ok'}
        title="Malicious code, an IOC, or a place judged exposed: open the blast radius"
        onOpen={() => viewChosen('graph')}
      >
        {compromisedHosts.length > 0 ? listNames(compromisedHosts) : 'none found in what was read'}
      </Tile>
      <Tile
        id="reached"
        label="Hosts reached"
        count={reachedHosts.length}
        tone={reachedHosts.length > 0 ? 'warn' : 'ok'}
        title="Holding a key exposed elsewhere, reachable over SSH from a compromised host, or using an exposed gateway: open the blast radius"
        onOpen={() => viewChosen('graph')}
      >
        {reachedHosts.length > 0 ? listNames(reachedHosts) : 'none'}
      </Tile>
      <Tile
        id="keys"
        label="Keys to rotate"
        count={keys.total}
        tone={critical > 0 ? 'alert' : keys.total > 0 ? 'warn' : 'ok'}
        title="Critical: held where compromised code ran. Open the keys in the findings"
        onOpen={() => findingsOfKindOpened('secret')}
      >
        {keys.total > 0 ? severityBreakdown(keys.bySeverity) : 'none found'}
      </Tile>
      <Tile
        id="gateways"
        label="Gateways"
        count={gateways.length}
        tone={gateways.some((gateway) => gateway.exposed) ? 'alert' : 'ok'}
        title={gatewayDetail(summary)}
        onOpen={() => findingsOfKindOpened('gateway')}
      >
        {gateways.length > 0 ? (
          <>
            <span data-testid="summary-consumers">{summary.consumers}</span> {summary.consumers === 1 ? 'consumer' : 'consumers'} ·{' '}
            {gateways.some((gateway) => gateway.logRead) ? (
              <>
                <span data-testid="summary-unidentified">{summary.unidentifiedClients}</span> unidentified
              </>
            ) : (
              'logs not read'
            )}
          </>
        ) : (
          'none found'
        )}
      </Tile>
      <Tile
        id="unread"
        label="Not fully read"
        count={notFullyRead.length}
        tone={notFullyRead.length > 0 ? 'warn' : 'ok'}
        title={notFullyRead.map((entry) => `${entry.host}: ${entry.reason === 'failed-attempt' ? 'latest attempt failed' : entry.status}`).join('\n') || 'Every host was read fully'}
        onOpen={() => viewChosen('hosts')}
      >
        {notFullyRead.length > 0 ? unreadBreakdown(summary) : 'every host read'}
      </Tile>
    </section>
  );
}

function Tile({
  id,
  label,
  count,
  tone,
  title,
  onOpen,
  children,
}: {
  id: string;
  label: string;
  count: number;
  tone: 'alert' | 'warn' | 'ok';
  title: string;
  onOpen: () => void;
  children: ReactNode;
}) {
  return (
    <button type="button" className={`summary-tile tone-${tone}`} data-testid={`summary-tile-${id}`} title={title} onClick={onOpen}>
      <span className="summary-label">{label}</span>
      <span className="summary-number" data-testid={`summary-${id}`}>
        {count}
      </span>
      <span className="summary-breakdown">{children}</span>
    </button>
  );
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, LISTED_NAMES).join(', ');
  return names.length > LISTED_NAMES ? `${shown} +${names.length - LISTED_NAMES} more` : shown;
}

function severityBreakdown(bySeverity: Summary['keys']['bySeverity']): ReactNode {
  const parts = SEVERITIES.filter((severity) => bySeverity[severity] > 0).map((severity) => (
    <span key={severity} data-testid={`summary-keys-${severity}`}>
      {bySeverity[severity]} {severity}
    </span>
  ));
  return parts.flatMap((part, index) => (index === 0 ? [part] : [' · ', part]));
}

function unreadBreakdown({ notFullyRead }: Summary): string {
  const count = (reason: Summary['notFullyRead'][number]['reason']) => notFullyRead.filter((entry) => entry.reason === reason).length;
  const parts = [
    [count('not-read'), 'not read'],
    [count('partial'), 'partial'],
    [count('failed-attempt'), 'latest attempt failed'],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}`)
    .join(' · ');
}

function gatewayDetail({ gateways }: Summary): string {
  if (gateways.length === 0) return 'No gateway found';
  return gateways
    .map((gateway) => {
      const clients = gateway.logRead ? `${gateway.unidentifiedClients} unidentified ${gateway.unidentifiedClients === 1 ? 'client' : 'clients'}` : 'log not read';
      return `${gateway.name} on ${gateway.host}${gateway.exposed ? ' (exposed)' : ''}: ${gateway.consumerIds.length} ${gateway.consumerIds.length === 1 ? 'consumer' : 'consumers'}, ${clients}`;
    })
    .join('\n');
}
