import { describe, expect, it } from 'vitest';
import { bundledIocRules } from '../../shared/domain/iocs/rules.js';
import { hostArtifactScript } from '../collectors/artifact-collector.js';
import { containerScanParts, containerScanScript } from '../collectors/container-scan.js';
import { containerInspectScript, containerListScript } from '../collectors/docker-collector.js';
import type { InspectedContainer } from '../collectors/docker-parser.js';
import { newBoundary } from '../collectors/framing.js';
import { gatewayLogScript } from '../collectors/gateway-log-collector.js';
import { collectHostFacts } from '../collectors/host-facts.js';
import { hostFactsScript } from '../collectors/host-facts.js';
import { iocScanScript } from '../collectors/ioc-collector.js';
import { mergedDirScript } from '../collectors/container-read.js';
import { pythonScanScript } from '../collectors/python-collector.js';
import { NOT_COLLECTED, replayRunner, stepFor } from './replay-runner.js';
import type { CollectedStep } from './collection-file.js';

const ID = 'ab'.repeat(32);
const container = { id: ID, workingDir: '/srv/app', configArg: 'config.yaml' } as unknown as InspectedContainer;

describe('stepFor', () => {
  it('recognises every script a scan sends that the offline collector runs, whatever its boundary', () => {
    const b = newBoundary();
    const docker = { engine: 'docker', access: 'direct' } as const;
    expect(stepFor(hostFactsScript(b))).toEqual({ family: 'facts', key: null });
    expect(stepFor(containerListScript(b, null))).toEqual({ family: 'containers-list', key: null });
    expect(stepFor(containerListScript(b, { engine: 'docker', access: 'sudo' }))).toEqual({ family: 'containers-list-sudo', key: null });
    expect(stepFor(pythonScanScript({ boundary: b, root: '', container: false }))).toEqual({ family: 'python', key: null });
    expect(stepFor(iocScanScript({ boundary: b, root: '', rules: bundledIocRules() }))).toEqual({ family: 'iocs', key: null });
    expect(stepFor(containerInspectScript(b, docker, [ID, 'cd'.repeat(32)]))).toEqual({ family: 'containers-inspect', key: null });
    // The scan's artifact script names the containers' compose files and namespaces; the collector's searches without them.
    expect(stepFor(hostArtifactScript({ boundary: b, root: '', named: [{ kind: 'compose', path: '/srv/x/compose.yaml' }], containerPids: [{ index: 0, pid: 42 }] }))).toEqual({ family: 'artifacts', key: null });
    // …and its unit pattern names the virtualenvs the scan found (for their project's pins), which the collector cannot know.
    const hardening = { venvs: ['/opt/ollama-tools/venv'], projects: ['/opt/ollama-tools'] };
    expect(stepFor(hostArtifactScript({ boundary: b, root: '', hardening }))).toEqual({ family: 'artifacts', key: null });
    const parts = containerScanParts(bundledIocRules());
    expect(stepFor(containerScanScript(parts, { outer: b, parts: parts.map(() => newBoundary()) }, { engine: 'podman', access: 'direct' }, container))).toEqual({ family: 'container-scan', key: ID });
    expect(stepFor(gatewayLogScript(b, docker, ID, { start: '2026-03-24T10:39:00Z', end: '2026-04-01T00:00:00Z' }))).toEqual({ family: 'gateway-log', key: ID });
  });

  it('recognises nothing the offline collector does not run: a scan of another root, a container read from the host', () => {
    const b = newBoundary();
    expect(stepFor(pythonScanScript({ boundary: b, root: '/mnt/disk', container: false }))).toBeNull();
    expect(stepFor(mergedDirScript(b, '/var/lib/docker/overlay2/x/merged', 'true'))).toBeNull();
    expect(stepFor('echo hello')).toBeNull();
  });
});

describe('replayRunner', () => {
  const recorded = newBoundary();
  const facts: CollectedStep = {
    family: 'facts',
    key: null,
    boundaries: [recorded],
    stdout: new TextEncoder().encode(`\n${recorded} hostname\nweb-1\n${recorded} kernel-name\nLinux\n${recorded} kernel\n6.1.0\n${recorded} end\n`),
    stderr: '',
    exitCode: 0,
  };

  it('answers a collector with the recorded output in its own boundary, so the collector reads it as from a host', async () => {
    const runner = replayRunner({ steps: [facts], problems: [], collectedAt: null });
    await expect(collectHostFacts(runner)).resolves.toMatchObject({ hostname: 'web-1', kernel: '6.1.0' });
  });

  it('answers a script it holds no step for as a host that could not run it', async () => {
    const runner = replayRunner({ steps: [facts], problems: [], collectedAt: null });
    const result = await runner.runScript(pythonScanScript({ boundary: newBoundary(), root: '', container: false }));
    expect(result).toMatchObject({ exitCode: 127, stderr: NOT_COLLECTED, truncated: false });
    expect(result.stdout.length).toBe(0);
  });

  it('holds the recorded output to the byte limit the collector asks for', async () => {
    const runner = replayRunner({ steps: [facts], problems: [], collectedAt: null });
    const result = await runner.runScript(hostFactsScript(newBoundary()), { maxOutputBytes: 10 });
    expect(result.truncated).toBe(true);
    expect(result.stdout.length).toBe(10);
  });
});
