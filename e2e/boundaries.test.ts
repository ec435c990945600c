/**
 * The boundary check (`.dependency-cruiser.cjs`, run by `npm run check:boundaries`) fails on each
 * kind of wrong import. A probe tree in a temp folder holds one offending file per rule plus
 * controls that must pass; it is cruised with the real configuration, so the git tree is never
 * touched.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A file of the probe tree and the one rule it must break, or null for a control that must pass. */
interface Probe {
  path: string;
  source: string;
  breaks: string | null;
}

const PROBES: readonly Probe[] = [
  { path: 'electron/scan/probe-electron.ts', source: "import { app } from 'electron';\nexport const probe = app;\n", breaks: 'only-shell-imports-electron' },
  { path: 'electron/shell/probe-electron.ts', source: "import { app } from 'electron';\nexport const probe = app;\n", breaks: null },
  { path: 'shared/model/probe-node.ts', source: "import { readFileSync } from 'node:fs';\nexport const probe = readFileSync;\n", breaks: 'shared-no-node' },
  { path: 'shared/model/probe-node.test.ts', source: "import { readFileSync } from 'node:fs';\nexport const probe = readFileSync;\n", breaks: null },
  { path: 'shared/model/probe-react.ts', source: "import { useState } from 'react';\nexport const probe = useState;\n", breaks: 'shared-only-pure-packages' },
  { path: 'shared/model/probe-zod.ts', source: "import { z } from 'zod';\nexport const probe = z;\n", breaks: null },
  { path: 'shared/present/probe-scan.ts', source: "import { scan } from '../../electron/scan/scan.js';\nexport const probe = scan;\n", breaks: 'shared-not-to-app-code' },
  { path: 'electron/collectors/probe-findings.ts', source: "import { ioc } from '../../shared/findings/ioc.js';\nexport const probe = ioc;\n", breaks: 'collectors-not-to-findings' },
  { path: 'electron/readers/probe-collector.ts', source: "import { collect } from '../collectors/collect.js';\nexport const probe = collect;\n", breaks: 'readers-not-to-collectors' },
  { path: 'shared/model/probe-domain.ts', source: "import { rules } from '../domain/rules.js';\nexport const probe = rules;\n", breaks: 'model-at-the-bottom' },
  { path: 'shared/domain/probe-findings.ts', source: "import { ioc } from '../findings/ioc.js';\nexport const probe = ioc;\n", breaks: 'domain-below-findings' },
  { path: 'shared/domain/probe-model.ts', source: "import { model } from '../model/index.js';\nexport const probe = model;\n", breaks: null },
  { path: 'shared/findings/probe-present.ts', source: "import { graph } from '../present/graph.js';\nexport const probe = graph;\n", breaks: 'findings-below-presentation' },
  { path: 'shared/findings/probe-present.test.ts', source: "import { graph } from '../present/graph.js';\nexport const probe = graph;\n", breaks: null },
  { path: 'renderer/views/probe-deep.ts', source: "import { graph } from '../../shared/present/graph.js';\nexport const probe = graph;\n", breaks: 'renderer-via-shared-entry-points' },
  { path: 'renderer/views/probe-entry.ts', source: "import { graph } from '../../shared/present/index.js';\nexport const probe = graph;\n", breaks: null },
  { path: 'renderer/views/probe-fixture.ts', source: "import { sample } from '../../shared/fixtures/sample-report.js';\nexport const probe = sample;\n", breaks: 'renderer-fixtures-only-in-tests' },
  { path: 'renderer/views/probe-fixture.test.ts', source: "import { sample } from '../../shared/fixtures/sample-report.js';\nexport const probe = sample;\n", breaks: null },
  { path: 'renderer/views/probe-scan.ts', source: "import { scan } from '../../electron/scan/scan.js';\nexport const probe = scan;\n", breaks: 'renderer-not-to-electron-code' },
  { path: 'renderer/views/probe-node.ts', source: "import { join } from 'node:path';\nexport const probe = join;\n", breaks: 'renderer-no-node' },
  { path: 'electron/scan/probe-lab.ts', source: "import { lab } from '../../e2e/lab/lab.js';\nexport const probe = lab;\n", breaks: 'app-not-to-tests' },
  { path: 'electron/scan/probe-missing.ts', source: "import { gone } from './missing.js';\nexport const probe = gone;\n", breaks: 'not-to-unresolvable' },
];

/** Two shared modules importing each other: the cycle is reported once, from either end. */
const CYCLE: readonly Probe[] = [
  { path: 'shared/findings/probe-cycle-a.ts', source: "import { b } from './probe-cycle-b.js';\nexport const a = (): number => b() + 1;\n", breaks: 'no-circular-in-shared' },
  { path: 'shared/findings/probe-cycle-b.ts', source: "import { a } from './probe-cycle-a.js';\nexport const b = (): number => a() - 1;\n", breaks: 'no-circular-in-shared' },
];

/** Harmless modules the probes import, so each import resolves and only the rule under test fires. */
const TARGETS: Readonly<Record<string, string>> = {
  'shared/findings/ioc.ts': 'export const ioc = 1;\n',
  'shared/model/index.ts': 'export const model = 1;\n',
  'shared/domain/rules.ts': 'export const rules = 1;\n',
  'electron/collectors/collect.ts': 'export const collect = 1;\n',
  'shared/present/graph.ts': 'export const graph = 1;\n',
  'shared/present/index.ts': "export * from './graph.js';\n",
  'shared/fixtures/sample-report.ts': 'export const sample = 1;\n',
  'electron/scan/scan.ts': 'export const scan = 1;\n',
  'e2e/lab/lab.ts': 'export const lab = 1;\n',
};

let tree = '';
let violations: IViolation[] = [];
/** Violations of severity error: the CLI exits non-zero when this is above 0. */
let errors = 0;

beforeAll(async () => {
  tree = await mkdtemp(join(tmpdir(), 'boundaries-'));
  const files = { ...TARGETS, ...Object.fromEntries([...PROBES, ...CYCLE].map((probe) => [probe.path, probe.source])) };
  for (const [path, source] of Object.entries(files)) {
    await mkdir(dirname(join(tree, path)), { recursive: true });
    await writeFile(join(tree, path), source);
  }
  // The probes import real packages (electron, react, zod): resolve them from the repository.
  await symlink(join(ROOT, 'node_modules'), join(tree, 'node_modules'), 'dir');

  const options = await extractDepcruiseOptions(join(ROOT, '.dependency-cruiser.cjs'));
  const tsConfig = extractTSConfig(join(ROOT, 'tsconfig.json'));
  const { output } = await cruise(['shared', 'electron', 'renderer'], { ...options, baseDir: tree }, {}, { tsConfig });
  ({ violations, error: errors } = (output as ICruiseResult).summary);
});

afterAll(async () => {
  if (tree !== '') await rm(tree, { recursive: true, force: true });
});

/** The rules broken by imports from one file of the probe tree. */
function rulesBrokenBy(path: string): string[] {
  return violations.filter((violation) => violation.from === path).map((violation) => violation.rule.name);
}

describe('the boundary check', () => {
  it.each(PROBES.filter((probe) => probe.breaks !== null))('flags $path as breaking $breaks', ({ path, breaks }) => {
    expect(rulesBrokenBy(path)).toEqual([breaks]);
  });

  it.each(PROBES.filter((probe) => probe.breaks === null))('lets $path pass', ({ path }) => {
    expect(rulesBrokenBy(path)).toEqual([]);
  });

  it('flags an import cycle inside shared/', () => {
    const cyclic = violations.filter((violation) => violation.rule.name === 'no-circular-in-shared');
    expect(cyclic.length).toBeGreaterThan(0);
    for (const violation of cyclic) expect(CYCLE.map((probe) => probe.path)).toContain(violation.from);
  });

  it('fails the run, and every rule of the configuration has a probe that breaks it', async () => {
    const { default: config } = (await import(join(ROOT, '.dependency-cruiser.cjs'))) as { default: { forbidden: { name: string }[] } };
    const broken = new Set(violations.map((violation) => violation.rule.name));
    expect(errors).toBe(violations.length);
    expect(errors).toBeGreaterThan(0);
    expect([...broken].sort()).toEqual(config.forbidden.map((rule) => rule.name).sort());
  });
});
