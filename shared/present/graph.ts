/**
 * The blast-radius graph of a scan: hosts, their containers, the Python environments in either,
 * and the flagged packages in those environments. A package with a finding is `compromised`;
 * everything that holds it (its environment, its container, its host) is `reached` and carries
 * the finding ids and the worst severity, so the UI can paint the path from a host to the bad
 * code. Hosts whose scan never got in are `failed`: unknown, which is not the same as clean.
 *
 * Collapsing: every host and every container is a node, but an environment is a node only when
 * it holds a flagged package. A homelab host easily has a dozen site-packages folders with
 * hundreds of clean distributions; drawing them buries the one that matters. What is left out
 * is still counted: host and container nodes carry `environments` ({ total, shown, packages })
 * and say it in their sublabel ("3 Python environments (1 flagged) · 212 packages"). The
 * Inventory view lists every environment and package.
 *
 * Every other finding kind attaches to the node it is about (a container's deployment findings to
 * the container, an IOC or a .pth file to its host, container or environment) and lists its id
 * there and on every holder, so clicking a node shows all its findings. Only high and critical
 * ones raise a node to `reached`: a medium "mutable tag" on every container would paint the whole
 * graph and hide the path to the bad code. Marks (`updater`, `socket`, `ioc`) say what a node is
 * whatever its status, and `updates` edges run from an auto-updater to each container it watches.
 *
 * Keys and AI traffic: each secret (by fingerprint, never a value) is one `key` node with a
 * `holds` edge from every host or container it was seen in, and an `authenticates` edge to its
 * `provider` node. A gateway has `routes` edges to its backends (a scanned host or container, an
 * `endpoint` node for any other URL, a provider node for a provider name); each consumer has a
 * `consumes` edge to the gateway, through a `tunnel` or `route` node when it goes through an SSH
 * forward or a reverse proxy. `lateral` edges run from a host holding a private SSH key to a host
 * whose authorized_keys accepts it. *
 * This module assembles the graph; what each finding kind draws is the graph part of its module
 * in shared/kinds/, run stage by stage (GRAPH_STAGES) over the findings in report order.
 */
import { watchSetOf } from '../domain/containers/auto-updaters.js';
import { isKnownFinding, kindSpec } from '../kinds/registry.js';
import type { CompromisedPackageFinding, Finding, ScanReport } from '../model/index.js';
import { isFindingOfKind } from '../model/index.js';
import { GRAPH_STAGES, GraphCanvas, type GraphStage } from './graph-canvas.js';
import { containerNodeId, type BlastGraph, type BlastNode, type NodeEvidence } from './graph-model.js';

export * from './graph-model.js';
export { describeLocation } from './describe-location.js';

/** Builds the blast-radius graph of a report: every host and container, flagged environments and packages, and every finding on its node. */
export function buildBlastGraph(report: Pick<ScanReport, 'hosts' | 'findings'>): BlastGraph {
  // Kinds this module does not know are left out (report-format.md: consumers ignore them).
  const known = report.findings.filter(isKnownFinding);
  const packages = known.filter((finding) => isFindingOfKind(finding, 'compromised-package'));
  const canvas = new GraphCanvas(known, packages);
  canvas.drawHosts(report.hosts);

  for (const stage of GRAPH_STAGES) {
    for (const finding of known) drawFinding(finding, stage, canvas);
    // The inventory says what findings may not: an older report, or an updater or socket not judged a risk.
    if (stage === 'attached') markFromInventory(canvas);
  }

  const packageOrder = new Map(packages.map((finding, index) => [finding.id, index]));
  for (const node of canvas.nodes.values()) finishPackageNode(node, packages, packageOrder);
  return { nodes: [...canvas.nodes.values()], edges: [...canvas.edges.values()], findings: known };
}

/** Runs a finding's graph part when its kind draws in `stage`. */
function drawFinding<K extends Finding['kind']>(finding: Extract<Finding, { kind: K }>, stage: GraphStage, canvas: GraphCanvas): void {
  kindSpec(finding.kind as K).graph[stage]?.(finding, canvas);
}

/** Updater and socket marks, and updates edges, from the containers themselves. */
function markFromInventory(canvas: GraphCanvas): void {
  for (const host of canvas.hostsByName.values()) {
    for (const container of host.containers) {
      const id = containerNodeId(host.name, container.name);
      if (!canvas.nodes.has(id)) continue;
      if ((container.mounts ?? []).some((mount) => mount.risk === 'engine-socket')) canvas.addMark(id, 'socket');
      const set = watchSetOf(container, host.containers);
      if (!set) continue;
      canvas.addMark(id, 'updater');
      for (const watched of set.watches) {
        canvas.addUpdateEdge(id, containerNodeId(host.name, watched), set.updates.includes(watched) ? 'updates' : 'notifies');
      }
    }
  }
}

function finishPackageNode(node: BlastNode, findings: readonly CompromisedPackageFinding[], order: ReadonlyMap<string, number>): void {
  if (node.kind !== 'package') return;
  // The primary advisory of each of its findings in report order (looked up by id: a graph of thousands of packages read them all per node); aliases are in the evidence.
  const own = [...new Set(node.findingIds.flatMap((id) => order.get(id) ?? []))].sort((a, b) => a - b);
  const primaries = own.map((index) => findings[index]!.advisories[0]);
  node.sublabel = [node.severity, ...new Set(primaries)].filter(Boolean).join(' · ');
}

/** The evidence panel's content for one node, or null when the id is not in the graph (a stale selection). */
export function selectNodeEvidence(graph: BlastGraph, nodeId: string): NodeEvidence | null {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const node = byId.get(nodeId);
  if (!node) return null;
  const parentOf = new Map(graph.edges.filter((edge) => edge.kind === 'contains').map((edge) => [edge.target, edge.source]));
  const ancestors: BlastNode[] = [];
  for (let id = parentOf.get(nodeId); id !== undefined && ancestors.length < graph.nodes.length; id = parentOf.get(id)) {
    const ancestor = byId.get(id);
    if (ancestor) ancestors.unshift(ancestor);
  }
  const wanted = new Set(node.findingIds);
  return { node, evidence: node.evidence, findings: graph.findings.filter((finding) => wanted.has(finding.id)), ancestors };
}
