/**
 * The packaging configuration (package.json "build", read by electron-builder) keeps the Electron
 * fuses flipped and the app in an asar archive. electron-builder itself cannot run here (it
 * downloads Electron), so its own fuse mapping is run against a stand-in binary instead.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const repoRoot = new URL('../../', import.meta.url);

interface PackageJson {
  devDependencies: Record<string, string>;
  build: { asar?: unknown; electronFuses?: Record<string, unknown> };
}

const readPackageJson = async (): Promise<PackageJson> =>
  JSON.parse(await readFile(new URL('package.json', repoRoot), 'utf8')) as PackageJson;

/** The fuses issue 10 asks for, plus the file:// privileges the app no longer needs since it serves app://. */
const EXPECTED_FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  enableCookieEncryption: true,
  grantFileProtocolExtraPrivileges: false,
};

/** The fuse sentinel @electron/fuses looks for in an Electron binary (its constants.js). */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's default wire, by FuseV1Options index: RunAsNode … GrantFileProtocolExtraPrivileges, WasmTrapHandlers. */
const DEFAULT_WIRE = '101100011';

describe('the packaging configuration', () => {
  it('lists every fuse setting in the electron-builder config', async () => {
    const { build } = await readPackageJson();

    expect(build.electronFuses).toEqual(EXPECTED_FUSES);
  });

  it('packages the app as an asar archive, which OnlyLoadAppFromAsar needs', async () => {
    const { build } = await readPackageJson();

    expect(build.asar).toBe(true);
  });

  it("names only fuse options electron-builder's schema knows, so none is silently dropped", async () => {
    const { build } = await readPackageJson();
    const schema = require('app-builder-lib/scheme.json') as {
      definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
    };

    expect(Object.keys(schema.definitions.FuseOptionsV1.properties)).toEqual(expect.arrayContaining(Object.keys(build.electronFuses ?? {})));
  });

  it('pins @electron/fuses to the version electron-builder loads', async () => {
    const { devDependencies } = await readPackageJson();
    const loaded = require(require.resolve('@electron/fuses/package.json', { paths: [require.resolve('app-builder-lib')] })) as { version: string };

    expect(devDependencies['@electron/fuses']).toBe(loaded.version);
  });

  it("flips a packaged binary's fuses as configured, through electron-builder's own fuse mapping", async () => {
    const { build } = await readPackageJson();
    const { LinuxPackager } = (await import('electron-builder')) as unknown as {
      LinuxPackager: { prototype: { generateFuseConfig(fuses: unknown): Promise<Record<string, unknown>> } };
    };
    const fuses = require('@electron/fuses') as {
      flipFuses(path: string, config: Record<string, unknown>): Promise<unknown>;
      getCurrentFuseWire(path: string): Promise<Record<string, unknown>>;
      FuseV1Options: Record<string, number>;
    };
    const dir = await mkdtemp(join(tmpdir(), 'fuses-'));
    const binary = join(dir, 'blast-radius');
    await writeFile(binary, Buffer.concat([Buffer.from('ELF…'), Buffer.from(SENTINEL), Buffer.from([1, DEFAULT_WIRE.length]), Buffer.from(DEFAULT_WIRE), Buffer.from('…')]));

    try {
      const config = await LinuxPackager.prototype.generateFuseConfig.call({}, build.electronFuses);
      await fuses.flipFuses(binary, config);
      const wire = await fuses.getCurrentFuseWire(binary);

      const state = (name: string) => String.fromCharCode(wire[fuses.FuseV1Options[name]!] as number);
      expect({
        RunAsNode: state('RunAsNode'),
        EnableNodeOptionsEnvironmentVariable: state('EnableNodeOptionsEnvironmentVariable'),
        EnableNodeCliInspectArguments: state('EnableNodeCliInspectArguments'),
        EnableEmbeddedAsarIntegrityValidation: state('EnableEmbeddedAsarIntegrityValidation'),
        OnlyLoadAppFromAsar: state('OnlyLoadAppFromAsar'),
        EnableCookieEncryption: state('EnableCookieEncryption'),
        GrantFileProtocolExtraPrivileges: state('GrantFileProtocolExtraPrivileges'),
      }).toEqual({
        RunAsNode: '0',
        EnableNodeOptionsEnvironmentVariable: '0',
        EnableNodeCliInspectArguments: '0',
        EnableEmbeddedAsarIntegrityValidation: '1',
        OnlyLoadAppFromAsar: '1',
        EnableCookieEncryption: '1',
        GrantFileProtocolExtraPrivileges: '0',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
