/**
 * Containers in depth, end to end: the built CLI scans the lab's gw host and the report answers
 * INCIDENT.md's "could it have been re-pulled?" and "was there a build-time path?" — litellm on a
 * mutable tag, Watchtower (with the Docker socket) watching it, pip installs without hashes in the
 * litellm image's history, and the digest-pinned open-webui left alone. Needs `npm run build:node`.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Container, Finding, ScanReport } from '../shared/model/index.js';
import { startLab, type Lab } from './lab/lab.js';
import { PLANTED_SECRETS } from './lab/planted-secrets.js';
import { labCliEnv, requireBuiltCli, runCliScan } from './cli-run.js';

const isRoot = process.getuid?.() === 0;

let lab: Lab;
let outputDir: string;
let report: ScanReport;
let reportText: string;

const container = (name: string): Container => {
  const found = report.hosts[0]!.containers.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no container ${name} in the report`);
  return found;
};
const findings = (kind: Finding['kind'], name: string): Finding[] => report.findings.filter((finding) => finding.kind === kind && finding.container === name);

// The lab needs root (sshd must setuid and chroot, mknod: e2e/lab/README.md); CI runs as root, so this runs there.
describe.skipIf(!isRoot)('blast-radius scan --host gw: containers in depth', () => {
  beforeAll(async () => {
    requireBuiltCli();
    outputDir = await mkdtemp(join(tmpdir(), 'blast-radius-containers-'));
    lab = await startLab({ only: ['gw'] });
    const scan = await runCliScan(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'gw'], { json: join(outputDir, 'out.json') }, { env: labCliEnv(outputDir) });
    // Any exit status will do (the report is judged below); no status at all is a CLI that never finished.
    if (scan.code === -1) throw new Error(`the scan did not finish: ${scan.stderr}`);
    reportText = scan.reportText;
    report = scan.report;
  });

  afterAll(async () => {
    await lab?.stop();
  });

  it('flags litellm, deployed from ghcr.io/berriai/litellm:main-latest, as a mutable tag with its image facts', () => {
    const [finding] = findings('mutable-image-tag', 'litellm');

    expect(finding).toMatchObject({ id: 'mutable-image-tag:gw:container=litellm', severity: 'high', image: 'ghcr.io/berriai/litellm:main-latest' });
    expect(finding!.evidence).toEqual(
      expect.arrayContaining([
        'RepoDigests: ghcr.io/berriai/litellm@sha256:a2c9c9cfb0428e7ac7b91d6d29e40b8536ff8ae70a318744afdf8f92305f00f9',
        'Image built 2026-03-24T11:21:47.590331822Z',
        'Compose service litellm (/srv/ai-gateway/compose.yaml) writes image: ghcr.io/berriai/litellm:main-latest',
      ]),
    );
    expect(container('litellm')).toMatchObject({
      pinnedByDigest: false,
      restartPolicy: expect.any(String) as string,
      compose: { project: 'ai-gateway', service: 'litellm', image: 'ghcr.io/berriai/litellm:main-latest', imagePinnedByDigest: false, envFiles: ['.env'] },
    });
  });

  it('reports Watchtower watching litellm, high because litellm holds the compromised package', () => {
    const [finding] = findings('auto-updater', 'watchtower');

    expect(finding).toMatchObject({ kind: 'auto-updater', severity: 'high', updater: 'watchtower' });
    const watches = finding?.kind === 'auto-updater' ? finding.watches : [];
    expect(watches).toEqual(expect.arrayContaining(['litellm', 'open-webui', 'watchtower']));
    // The stopped container is not watched: Watchtower only looks at running ones without --include-stopped.
    expect(watches).not.toContain('old-litellm');
  });

  it('finds the build-time pip installs without hashes in the litellm image history', () => {
    const [finding] = findings('build-time-install', 'litellm');

    expect(finding).toMatchObject({ severity: 'high', image: 'ghcr.io/berriai/litellm:main-latest', command: 'RUN /bin/sh -c pip install PyJWT==2.9.0 --no-cache-dir' });
    expect(container('litellm').buildInstalls?.map((step) => step.hashPinned)).toEqual([true, false, false]);
  });

  it('flags the Docker socket mounted into watchtower', () => {
    expect(findings('docker-socket-mount', 'watchtower')).toMatchObject([{ severity: 'high', id: 'docker-socket-mount:gw:container=watchtower' }]);
    expect(container('watchtower').mounts).toEqual([
      { type: 'bind', source: '/var/run/docker.sock', destination: '/var/run/docker.sock', readOnly: false, risk: 'engine-socket' },
    ]);
  });

  it('leaves open-webui, pinned by digest with hash-checked installs, without any finding about its own image', () => {
    expect(container('open-webui')).toMatchObject({
      image: 'ghcr.io/open-webui/open-webui@sha256:1bbbd343d55f3fdd95413b5dfc4fcc1fdee10dc3a143130f8fd7dfe5cf23ea57',
      pinnedByDigest: true,
      compose: { imagePinnedByDigest: true },
    });
    // What it holds and whom it talks to are findings of their own (the virtual key it presents, its
    // use of the exposed gateway); nothing about its image, its installs or its Python.
    const kinds = report.findings.filter((finding) => finding.container === 'open-webui').map((finding) => finding.kind);
    expect([...new Set(kinds)].sort()).toEqual(['consumer', 'secret']);
  });

  it('keeps environment variable names and none of their values', () => {
    expect(container('litellm').envNames).toEqual(expect.arrayContaining(['LITELLM_MASTER_KEY', 'OPENAI_API_KEY', 'DATABASE_URL']));
    const { 'litellm-master': master, openai, postgres, 'litellm-virtual': consumer } = PLANTED_SECRETS;
    for (const secret of [master.value, openai.value, postgres.value, consumer.value]) {
      expect(reportText).not.toContain(secret);
    }
  });

  it('reads the running containers through docker exec when their /proc/PID/root is not there to read (the stand-in\'s /proc holds no process roots)', () => {
    const running = report.hosts[0]!.containers.filter((candidate) => candidate.running);

    expect(running.length).toBeGreaterThan(0);
    expect(running.map((candidate) => `${candidate.name} ${candidate.readVia}`)).toEqual(running.map((candidate) => `${candidate.name} exec`));
  });

  it('ran no trapped interpreter and no name as a command', async () => {
    expect(await lab.trippedTraps()).toEqual([]);
    expect(await lab.whereExists('/tmp/pwned')).toEqual([]);
  });
});
