/**
 * The gateway map: each gateway in the centre, its consumers in a column on the left (unidentified
 * log clients last), what it forwards to on the right. Each edge is drawn in the style of the
 * evidence that shows the consumer uses it; each row says its evidence kinds, its requests over the
 * log window and where the plan moves it. Rows are buttons: click or Enter opens the evidence.
 */
import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import './graph.css';
import './gateway-map.css';
import {
  GATEWAY_EVIDENCE_KINDS,
  GATEWAY_EVIDENCE_LABELS,
  type ConsumerRouteTarget,
  type GatewayConsumerKind,
  type GatewayMap,
  type GatewayMapBackend,
  type GatewayMapConsumer,
} from '../../shared/present/index.js';
import { EmptyState } from '../components/EmptyState.js';
import { useGatewayMaps, useGraphNodeIds, useReport, useSelectedNodeId, useUiEvents } from '../store/hooks.js';
import { EvidencePanel } from './EvidencePanel.js';

const KIND_LABELS: Record<GatewayConsumerKind, string> = {
  container: 'container',
  'host-service': 'host service',
  tunnel: 'SSH tunnel',
  'proxy-route': 'proxy route',
  host: 'host',
  'log-client': 'unidentified log client',
};

/** What the side panel shows for an entry the blast graph does not draw. */
interface InlineEvidence {
  key: string;
  eyebrow: string;
  title: string;
  lines: string[];
}

/** The gateway map view. */
export function GatewayMapView() {
  const report = useReport();
  const maps = useGatewayMaps();
  const nodeIds = useGraphNodeIds();
  const selectedNodeId = useSelectedNodeId();
  const { nodeSelected } = useUiEvents();
  const [inline, setInline] = useState<InlineEvidence | null>(null);

  // An entry the graph draws opens the graph's evidence panel; any other shows its own lines.
  const open = useCallback(
    (nodeId: string | null, fallback: InlineEvidence) => {
      if (nodeId !== null && nodeIds.has(nodeId)) {
        setInline(null);
        nodeSelected(nodeId);
      } else {
        nodeSelected(null);
        setInline(fallback);
      }
    },
    [nodeIds, nodeSelected],
  );
  const selectedKey = inline?.key ?? selectedNodeId;

  return (
    <section className="view view-gateways" data-testid="view-gateways">
      <header className="view-header">
        <h1>Gateway map</h1>
        <p className="muted">
          Each AI gateway with everything that sends it requests, how the scan knows, and where the gateway forwards them. Click a consumer, the gateway or a backend for the evidence.
        </p>
        <EdgeLegend />
      </header>
      {!report ? (
        <EmptyState testId="gateways-empty" title="No scan yet" text="Scan your hosts to see which gateways they use." />
      ) : maps.length === 0 ? (
        <EmptyState testId="gateways-none" title="No gateway found" text="The scan recognised no AI gateway (LiteLLM or another OpenAI-compatible proxy) on the hosts it read." />
      ) : (
        <div className="gwmap-layout">
          <div className="gwmap-list">
            {maps.map((map) => (
              <GatewayMapSection key={map.id} map={map} selectedKey={selectedKey} open={open} />
            ))}
          </div>
          {inline ? <InlinePanel evidence={inline} onClose={() => setInline(null)} /> : <EvidencePanel />}
        </div>
      )}
    </section>
  );
}

/** Beyond this many consumers the gateway stays at the top of the view while the column scrolls, instead of centred beside it. */
const LONG_LIST = 12;

type Open = (nodeId: string | null, fallback: InlineEvidence) => void;

function GatewayMapSection({ map, selectedKey, open }: { map: GatewayMap; selectedKey: string | null; open: Open }) {
  const frame = useRef<HTMLDivElement>(null);
  const edges = useEdges(frame, map);
  const unidentified = map.consumers.filter((consumer) => consumer.unidentified);
  return (
    <article className="gwmap-card" data-testid="gwmap" data-gateway={map.id} aria-label={`Gateway ${map.name} on ${map.host}`}>
      <header className="gwmap-head">
        <h2>
          {map.name} <span className="muted">on {map.host}</span>
        </h2>
        <span className={`badge ${map.exposed ? 'status-compromised' : 'status-clean'}`}>{map.exposed ? 'exposed' : 'not judged exposed'}</span>
        <p className="muted small" data-testid="gwmap-summary">
          {map.consumers.length - unidentified.length} {map.consumers.length - unidentified.length === 1 ? 'consumer' : 'consumers'}
          {map.log
            ? `, ${unidentified.length} unidentified ${unidentified.length === 1 ? 'client' : 'clients'}; ${map.log.requests} requests from ${map.log.clients} ${map.log.clients === 1 ? 'address' : 'addresses'} logged ${shortTime(map.log.window.start)} – ${shortTime(map.log.window.end)}${map.log.selfRequests > 0 ? ` (${map.log.selfRequests} from the gateway itself)` : ''}${map.log.truncated ? ', newest part only' : ''}`
            : '; its access log was not read, so clients no scan accounts for are unknown'}
        </p>
      </header>
      <div className={`gwmap${map.consumers.length > LONG_LIST ? ' long' : ''}`} ref={frame}>
        <svg className="gwmap-edges" aria-hidden="true">
          {edges.paths.map((path) => (
            <path key={path.key} d={path.d} className={`gwmap-edge gwmap-edge-${path.kind}${path.key === selectedKey ? ' selected' : ''}`} />
          ))}
        </svg>
        <ol className="gwmap-consumers" aria-label="Consumers">
          {map.consumers.length === 0 && <li className="muted small gwmap-none">No consumer found.</li>}
          {map.consumers.map((consumer) => (
            <li key={consumer.id}>
              <ConsumerRow consumer={consumer} selected={selectedKey === consumer.id || (consumer.nodeId !== null && selectedKey === consumer.nodeId)} open={open} />
            </li>
          ))}
        </ol>
        <div className="gwmap-centre">
          <button
            type="button"
            className={`gwmap-gateway${map.exposed ? ' exposed' : ''}${selectedKey === map.nodeId ? ' selected' : ''}`}
            data-testid="gwmap-gateway"
            data-edge-anchor="gateway"
            onClick={() => open(map.nodeId, { key: map.nodeId, eyebrow: 'AI gateway', title: `${map.name} on ${map.host}`, lines: map.evidenceLines })}
          >
            <span className="gwmap-gateway-mark" aria-hidden="true">
              ⇄
            </span>
            <span className="gwmap-gateway-kind">{map.gateway} gateway</span>
            <span className="gwmap-gateway-name">{map.name}</span>
            <span className="gwmap-sub">{map.host}</span>
            {map.endpoints.length > 0 && <span className="gwmap-sub mono">{map.endpoints.join(' · ')}</span>}
          </button>
        </div>
        <ol className="gwmap-backends" aria-label="Backends and providers">
          {map.backends.length === 0 && <li className="muted small">No backend seen.</li>}
          {map.backends.map((backend) => (
            <li key={backend.id}>
              <BackendRow backend={backend} selected={selectedKey === backend.nodeId} open={open} />
            </li>
          ))}
        </ol>
      </div>
    </article>
  );
}

function ConsumerRow({ consumer, selected, open }: { consumer: GatewayMapConsumer; selected: boolean; open: Open }) {
  return (
    <button
      type="button"
      className={`gwmap-row gwmap-consumer${consumer.unidentified ? ' unidentified' : ''}${selected ? ' selected' : ''}`}
      data-testid="gwmap-consumer"
      data-consumer-id={consumer.id}
      data-name={consumer.name}
      data-host={consumer.host ?? ''}
      data-kind={consumer.kind}
      data-edge={consumer.edge}
      data-edge-anchor={consumer.id}
      aria-pressed={selected}
      onClick={() =>
        open(consumer.nodeId, {
          key: consumer.id,
          eyebrow: consumer.unidentified ? 'Unidentified gateway client' : `Consumer (${KIND_LABELS[consumer.kind]})`,
          title: consumer.host ? `${consumer.name} on ${consumer.host}` : consumer.name,
          lines: consumer.evidenceLines,
        })
      }
    >
      <span className="gwmap-line">
        <span className="gwmap-name" title={consumer.name}>
          {consumer.name}
        </span>
        <span className="gwmap-sub gwmap-where">{consumer.host ? `${KIND_LABELS[consumer.kind]} on ${consumer.host}` : KIND_LABELS[consumer.kind]}</span>
        <span className="gwmap-requests" data-testid="gwmap-requests" title={consumer.addresses.length > 0 ? `logged from ${consumer.addresses.join(', ')}` : 'not in the log'}>
          {consumer.requests === null ? '–' : `${consumer.requests} req`}
        </span>
      </span>
      <span className="gwmap-line">
        <span className="gwmap-chips">
          {consumer.evidence.map((kind) => (
            <span key={kind} className={`gwmap-chip gwmap-chip-${kind}${kind === consumer.edge ? ' main' : ''}`} data-testid="gwmap-evidence">
              {GATEWAY_EVIDENCE_LABELS[kind]}
            </span>
          ))}
        </span>
        <RouteAroundTarget target={consumer.routeAroundTarget} answer={consumer.routeAround} />
      </span>
    </button>
  );
}

/**
 * Where the plan moves this consumer: the target picked on its move step and whether a re-scan
 * verified the move; before a pick, whether it could route around at all.
 */
function RouteAroundTarget({ target, answer }: { target: ConsumerRouteTarget | null; answer: GatewayMapConsumer['routeAround'] }) {
  if (target !== null && target.choice !== null) {
    const state = target.verified ? 'verified' : target.done ? 'moved, not verified yet' : 'to do';
    return (
      <span className={`gwmap-route ${target.verified ? 'verified' : target.done ? 'done' : 'open'}`} data-testid="gwmap-route-target" data-choice={target.choice} data-verified={target.verified} title={`${target.choiceLabel ?? target.choice} · ${state}`}>
        → {target.choiceLabel ?? target.choice} · {state}
      </span>
    );
  }
  if (answer === null) return null;
  const text = target !== null ? 'target not picked' : answer === 'yes' ? 'can route around' : answer === 'check' ? 'route around: check path' : 'no route around seen';
  return (
    <span className={`gwmap-route ${answer === 'yes' ? 'open' : 'check'}`} data-testid="gwmap-route-target" data-choice="" title={text}>
      {text}
    </span>
  );
}

function BackendRow({ backend, selected, open }: { backend: GatewayMapBackend; selected: boolean; open: Open }) {
  const kind = backend.kind === 'provider' ? 'provider' : backend.kind === 'model-server' ? 'model server' : 'backend URL';
  return (
    <button
      type="button"
      className={`gwmap-row gwmap-backend${selected ? ' selected' : ''}`}
      data-testid="gwmap-backend"
      data-name={backend.label}
      data-edge-anchor={backend.id}
      onClick={() =>
        open(backend.nodeId, {
          key: backend.nodeId,
          eyebrow: kind,
          title: backend.label,
          lines: [
            ...(backend.models.length > 0 ? [`Models routed here: ${backend.models.join(', ')}`] : ['No model of the gateway config names it']),
            ...backend.keys.map((key) => `The gateway holds key ${key} for it`),
          ],
        })
      }
    >
      <span className="gwmap-line">
        <span className="gwmap-name" title={backend.label}>
          {backend.label}
        </span>
      </span>
      <span className="gwmap-line">
        <span className="gwmap-sub">
          {kind}
          {backend.models.length > 0 ? ` · ${backend.models.join(', ')}` : ''}
          {backend.keys.length > 0 ? ` · ${backend.keys.length} ${backend.keys.length === 1 ? 'key' : 'keys'} held` : ''}
        </span>
      </span>
    </button>
  );
}

function InlinePanel({ evidence, onClose }: { evidence: InlineEvidence; onClose: () => void }) {
  return (
    <aside className="evidence-panel" data-testid="gwmap-inline-evidence" aria-label={`Evidence for ${evidence.title}`}>
      <header className="evidence-header">
        <div>
          <p className="eyebrow">{evidence.eyebrow}</p>
          <h2 data-testid="evidence-title">{evidence.title}</h2>
        </div>
        <button type="button" className="link-button" data-testid="evidence-close" onClick={onClose} aria-label="Close evidence">
          Close
        </button>
      </header>
      <ul className="evidence-lines">
        {evidence.lines.map((line, index) => (
          <li key={index}>{line}</li>
        ))}
      </ul>
    </aside>
  );
}

function EdgeLegend() {
  return (
    <ul className="legend" data-testid="gwmap-legend" aria-label="Edge kinds">
      {GATEWAY_EVIDENCE_KINDS.map((kind) => (
        <li key={kind}>
          <svg width="26" height="10" aria-hidden="true">
            <line x1="1" y1="5" x2="25" y2="5" className={`gwmap-edge gwmap-edge-${kind}`} />
          </svg>
          {GATEWAY_EVIDENCE_LABELS[kind]}
        </li>
      ))}
    </ul>
  );
}

interface EdgePaths {
  paths: Array<{ key: string; d: string; kind: string }>;
}

/**
 * The edges of one map, measured from the laid-out rows: from each consumer's right edge to the
 * gateway, from the gateway to each backend. The gateway column is sticky, so edges follow scrolling.
 */
function useEdges(frame: RefObject<HTMLDivElement | null>, map: GatewayMap): EdgePaths {
  const [edges, setEdges] = useState<EdgePaths>({ paths: [] });
  useLayoutEffect(() => {
    const root = frame.current;
    if (!root) return undefined;
    let pending = 0;
    const measure = (): void => {
      pending = 0;
      const box = root.getBoundingClientRect();
      const anchor = (key: string) => root.querySelector<HTMLElement>(`[data-edge-anchor="${CSS.escape(key)}"]`)?.getBoundingClientRect() ?? null;
      const gateway = anchor('gateway');
      if (!gateway) return;
      const left = { x: gateway.left - box.left, y: gateway.top + gateway.height / 2 - box.top };
      const right = { x: gateway.right - box.left, y: left.y };
      const paths: EdgePaths['paths'] = [];
      for (const consumer of map.consumers) {
        const row = anchor(consumer.id);
        if (row) paths.push({ key: consumer.id, kind: consumer.edge, d: curve({ x: row.right - box.left, y: row.top + row.height / 2 - box.top }, left) });
      }
      for (const backend of map.backends) {
        const row = anchor(backend.id);
        if (row) paths.push({ key: backend.nodeId, kind: 'routes', d: curve(right, { x: row.left - box.left, y: row.top + row.height / 2 - box.top }) });
      }
      setEdges({ paths });
    };
    const schedule = (): void => {
      if (pending === 0) pending = requestAnimationFrame(measure);
    };
    measure();
    const observer = new ResizeObserver(schedule);
    observer.observe(root);
    document.addEventListener('scroll', schedule, true);
    return () => {
      observer.disconnect();
      document.removeEventListener('scroll', schedule, true);
      if (pending !== 0) cancelAnimationFrame(pending);
    };
  }, [frame, map]);
  return edges;
}

function curve(from: { x: number; y: number }, to: { x: number; y: number }): string {
  const bend = Math.max(24, (to.x - from.x) / 2);
  return `M ${from.x} ${from.y} C ${from.x + bend} ${from.y}, ${to.x - bend} ${to.y}, ${to.x} ${to.y}`;
}

function shortTime(iso: string): string {
  return iso.replace(/:00(?:\.000)?Z$/, 'Z').replace('T', ' ');
}

