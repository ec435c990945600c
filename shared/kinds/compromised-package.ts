/** An installed distribution an advisory covers: the code the incident is about. */
import { compromisedPackageSteps } from '../checklist/package-steps.js';
import type { CompromisedPackageFinding, HostInventory, PythonEnvironment, PythonPackage } from '../model/index.js';
import { flaggedPackageCount, findPackage, plural, type FlaggedPackages, type GraphCanvas } from '../present/graph-canvas.js';
import { environmentNodeId, packageNodeId, type EnvironmentNode, type PackageNode } from '../present/graph-model.js';
import type { FindingKindSpec } from './kind-spec.js';

/** The compromised-package kind. */
export const compromisedPackage: FindingKindSpec<'compromised-package'> = {
  label: 'Compromised package',
  facts: (finding) => [
    { label: 'Package', value: `${finding.package} ${finding.version}` },
    { label: 'Python environment', value: finding.path },
    { label: 'Advisories', value: finding.advisories.join(', ') || 'none listed' },
    ...(finding.verdict ? [{ label: 'Verdict', value: finding.verdict }] : []),
  ],
  graph: { packages: drawPackage },
  checklist: (findings, { report, decisions }) => compromisedPackageSteps(findings, report, decisions ?? null),
  ledger: null,
};

/** Draws the package's environment (once) and the package in it, compromised, with everything that holds it reached. */
function drawPackage(finding: CompromisedPackageFinding, canvas: GraphCanvas): void {
  const host = canvas.ensureHost(finding.host);
  const holder = canvas.place(finding.host, finding.container);
  const environmentId = environmentNodeId(host.name, finding.container, finding.path);
  const environment = findEnvironment(host, finding) ?? { path: finding.path, container: finding.container, packages: [] };
  if (!canvas.nodes.has(environmentId)) {
    canvas.nodes.set(environmentId, environmentNode(host.name, environment, environmentId, canvas.flaggedPackages));
    canvas.link(holder, environmentId);
  }
  const packageId = packageNodeId(host.name, finding.container, finding.path, finding.package, finding.version);
  if (!canvas.nodes.has(packageId)) {
    const pkg = findPackage(environment, finding) ?? { name: finding.package, version: finding.version };
    canvas.nodes.set(packageId, packageNode(packageId, pkg, finding));
    canvas.link(environmentId, packageId);
  }
  canvas.compromise(finding, packageId);
}

function findEnvironment(host: HostInventory, finding: CompromisedPackageFinding): PythonEnvironment | undefined {
  return host.pythonEnvironments.find((environment) => environment.container === finding.container && environment.path === finding.path);
}

function environmentNode(host: string, environment: PythonEnvironment, id: string, flaggedPackages: FlaggedPackages): EnvironmentNode {
  const flagged = flaggedPackageCount(host, environment, flaggedPackages);
  return {
    id,
    kind: 'environment',
    label: environment.path,
    sublabel: `${plural(environment.packages.length, 'package')}, ${flagged} flagged`,
    status: 'clean',
    findingIds: [],
    marks: [],
    evidence: [
      `Path: ${environment.path}`,
      environment.container === null ? `On host ${host}, outside any container` : `In container ${environment.container} on ${host}`,
      `${plural(environment.packages.length, 'package')} installed, ${flagged} flagged`,
    ],
    data: environment,
  };
}

function packageNode(id: string, pkg: PythonPackage, finding: CompromisedPackageFinding): PackageNode {
  return {
    id,
    kind: 'package',
    label: `${pkg.name} ${pkg.version}`,
    sublabel: '',
    status: 'clean',
    findingIds: [],
    marks: [],
    evidence: [`${pkg.name} ${pkg.version} in ${finding.path}`, ...(pkg.metadataPath ? [`Metadata: ${pkg.metadataPath}`] : [])],
    data: pkg,
  };
}
