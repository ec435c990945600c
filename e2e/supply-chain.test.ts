/**
 * Blast Radius's own supply chain, held to what it asks of others: runtime dependencies pinned to
 * exact versions that the lockfile installs, and a CycloneDX SBOM of the app produced by the build
 * (`npm run build` writes `dist/blast-radius.cdx.json`, from the lockfile) that validates against
 * the published CycloneDX 1.6 schema and lists what is installed at the versions installed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cycloneDxValidator, schemaErrors } from './schemas/validators.js';

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const json = <T>(path: string): T => JSON.parse(readFileSync(root(path), 'utf8')) as T;

interface PackageJson {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  engines: { node: string };
}
interface Lockfile {
  packages: Record<string, { version?: string; dev?: boolean; name?: string }>;
}
interface Bom {
  bomFormat: string;
  specVersion: string;
  metadata: { component: { name: string; version: string } };
  components: Array<{ name: string; group?: string; version: string; purl?: string; components?: Bom['components'] }>;
}

/** Every component of a BOM, nested ones included. */
const allComponents = (components: Bom['components']): Bom['components'] => components.flatMap((component) => [component, ...allComponents(component.components ?? [])]);

const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

describe('the runtime dependencies', () => {
  it('are pinned to exact versions, the ones the lockfile installs, and new ones are saved exact', () => {
    const manifest = json<PackageJson>('package.json');
    const lock = json<Lockfile>('package-lock.json');

    expect(Object.keys(manifest.dependencies)).toContain('ssh2');
    for (const [name, spec] of Object.entries(manifest.dependencies)) {
      expect(spec, name).toMatch(EXACT_VERSION);
      expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(spec);
    }
    expect(readFileSync(root('.npmrc'), 'utf8')).toMatch(/^save-exact=true$/m);
  });
});

describe('the SBOM the build writes', () => {
  const sbomPath = root('dist/blast-radius.cdx.json');

  it('validates against the CycloneDX 1.6 schema and describes this package', () => {
    if (!existsSync(sbomPath)) throw new Error(`${sbomPath} is missing: run \`npm run build\` first`);
    const bom = json<Bom>('dist/blast-radius.cdx.json');
    const manifest = json<PackageJson>('package.json');

    expect(schemaErrors(cycloneDxValidator(), bom)).toEqual([]);
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
    expect(bom.metadata.component).toMatchObject({ name: manifest.name, version: manifest.version });
  });

  it('lists ssh2 and every other runtime dependency at the exact version installed, with its package URL', () => {
    const bom = json<Bom>('dist/blast-radius.cdx.json');
    const lock = json<Lockfile>('package-lock.json');
    const components = allComponents(bom.components);
    const versionsOf = (name: string) => components.filter((component) => component.name === name && !component.group).map((component) => component.version);

    expect(versionsOf('ssh2')).toEqual([lock.packages['node_modules/ssh2']!.version]);
    expect(components.find((component) => component.name === 'ssh2' && !component.group)?.purl).toBe(`pkg:npm/ssh2@${lock.packages['node_modules/ssh2']!.version}`);
    // Every unscoped package the lockfile installs at the top level is in it, at that version (an npm alias by its real name).
    for (const [path, entry] of Object.entries(lock.packages)) {
      const installedAs = path.replace(/^node_modules\//, '');
      if (!path.startsWith('node_modules/') || installedAs.includes('/node_modules/') || installedAs.startsWith('@')) continue;
      expect(versionsOf(entry.name ?? installedAs), installedAs).toContain(entry.version);
    }
  });
});
