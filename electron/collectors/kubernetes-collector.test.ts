import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledIocRules } from '../../shared/domain/iocs/rules.js';
import { KUBECTL_GET_SECRETS, KUBECTL_GET_WORKLOADS, collectKubernetes, readKubernetesOutput } from './kubernetes-collector.js';
import { SHELLS, hermeticRunner, tempDir, writeExecutable } from './fixtures/shell-harness.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'kubernetes');
const STANDIN = join(import.meta.dirname, '..', '..', 'e2e', 'lab', 'kubectl-standin.sh');

/** A folder with the lab's kubectl stand-in on PATH (as `kubectl` or as `k3s`), answering from the unit fixtures. */
async function cluster(dir: string, options: { as?: 'kubectl' | 'k3s'; secrets?: 'ok' | 'forbidden' } = {}) {
  const bin = join(dir, 'bin');
  const data = join(dir, 'data');
  await mkdir(bin, { recursive: true });
  await mkdir(data, { recursive: true });
  await copyFile(join(FIXTURES, 'get-workloads.json'), join(data, 'get-workloads.json'));
  await copyFile(join(FIXTURES, 'get-secrets.json'), join(data, 'get-secrets.json'));
  const standin = (await readFile(STANDIN, 'utf8')).replace(
    "exec cat \"$DATA/get-secrets.json\" ;;",
    options.secrets === 'forbidden'
      ? `printf '%s\\n' 'Error from server (Forbidden): secrets is forbidden: User "viewer" cannot list resource "secrets" in API group "" at the cluster scope' >&2; exit 1 ;;`
      : "exec cat \"$DATA/get-secrets.json\" ;;",
  );
  if (options.as === 'k3s') {
    // `k3s kubectl ARGS`: the multi-call binary's kubectl, handed the rest of the arguments.
    await writeExecutable(join(bin, 'kubectl-standin'), standin);
    await writeExecutable(join(bin, 'k3s'), `#!/bin/sh\n[ "$1" = kubectl ] || exit 1\nshift\nexec ${JSON.stringify(join(bin, 'kubectl-standin'))} "$@"\n`);
  } else await writeExecutable(join(bin, 'kubectl'), standin);
  const log = join(dir, 'kubectl.log');
  return { bin, env: { KUBECTL_STANDIN_DATA: data, KUBECTL_STANDIN_LOG: log }, log };
}

/** The argument lists the stand-in logged, one per call. */
async function calls(log: string): Promise<string[][]> {
  if (!existsSync(log)) return [];
  const text = await readFile(log, 'utf8');
  return text
    .split('call\n')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => [...chunk.matchAll(/^argv \[(.*)\]$/gm)].map((match) => match[1]!));
}

describe.each(SHELLS)('collectKubernetes under $name', (shell) => {
  it('reads the cluster through ~/.kube/config with two read-only get calls, and nothing else', async () => {
    const dir = await tempDir();
    const fake = await cluster(dir);
    await mkdir(join(dir, '.kube'));
    await writeFile(join(dir, '.kube', 'config'), 'apiVersion: v1\nkind: Config\n');
    const marker = join(dir, 'started-python');
    const runner = await hermeticRunner(shell, dir, { marker, extraBin: fake.bin, env: fake.env });

    const { reading, issues } = await collectKubernetes(runner, bundledIocRules(), new AbortController().signal);

    expect(issues).toEqual([]);
    expect(reading?.cluster).toMatchObject({ kubectl: 'kubectl', kubeconfig: join(dir, '.kube', 'config'), pods: 6, secrets: 4 });
    expect(reading?.iocHits.map((hit) => hit.path)).toEqual(['kube-system/pod/node-setup-k3s-node1', 'kube-system/daemonset/host-provisioner-std']);
    expect(await calls(fake.log)).toEqual([
      ['--kubeconfig', join(dir, '.kube', 'config'), ...KUBECTL_GET_WORKLOADS],
      ['--kubeconfig', join(dir, '.kube', 'config'), ...KUBECTL_GET_SECRETS],
    ]);
    expect(existsSync(marker)).toBe(false);
  });

  it('uses k3s kubectl and $KUBECONFIG as kubectl would, without naming a kubeconfig itself', async () => {
    const dir = await tempDir();
    const fake = await cluster(dir, { as: 'k3s' });
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker'), extraBin: fake.bin, env: { ...fake.env, KUBECONFIG: '/etc/rancher/k3s/k3s.yaml' } });

    const { reading } = await collectKubernetes(runner, bundledIocRules(), new AbortController().signal);

    expect(reading?.cluster).toMatchObject({ kubectl: 'k3s kubectl', kubeconfig: '/etc/rancher/k3s/k3s.yaml' });
    expect(await calls(fake.log)).toEqual([[...KUBECTL_GET_WORKLOADS], [...KUBECTL_GET_SECRETS]]);
  });

  it('keeps the workloads and leaves a blind spot when the login may not list Secrets', async () => {
    const dir = await tempDir();
    const fake = await cluster(dir, { secrets: 'forbidden' });
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker'), extraBin: fake.bin, env: { ...fake.env, KUBECONFIG: join(dir, 'config') } });

    const { reading, issues } = await collectKubernetes(runner, bundledIocRules(), new AbortController().signal);

    expect(reading?.cluster.secrets).toBeNull();
    expect(reading?.containers).toHaveLength(6);
    expect(issues).toEqual([
      {
        collector: 'kubernetes',
        incomplete: true,
        message: expect.stringMatching(/^kubectl get secrets failed \(exit 1\): Error from server \(Forbidden\): secrets is forbidden.*; the Secrets' keys \(and env values taken from them\) are not listed$/),
      },
    ]);
  });

  it('says nothing on a host without kubectl, and notes a kubectl without a readable kubeconfig', async () => {
    const bare = await tempDir();
    const none = await hermeticRunner(shell, bare, { marker: join(bare, 'marker') });
    const dir = await tempDir();
    const fake = await cluster(dir);
    const unconfigured = await hermeticRunner(shell, dir, { marker: join(dir, 'marker'), extraBin: fake.bin, env: fake.env });

    expect(await collectKubernetes(none, bundledIocRules(), new AbortController().signal)).toEqual({ reading: null, issues: [] });
    const without = await collectKubernetes(unconfigured, bundledIocRules(), new AbortController().signal);
    expect(without.reading).toBeNull();
    expect(without.issues).toEqual([{ collector: 'kubernetes', incomplete: false, message: expect.stringContaining('kubectl is installed but no kubeconfig is readable') }]);
    expect(await calls(fake.log)).toEqual([]);
  });
});

describe('readKubernetesOutput', () => {
  it('notes a workload list that is not JSON with kubectl\'s first stderr line, redacted', () => {
    const records = new Map([
      ['client', 'kubectl'],
      ['kubeconfig', '/root/.kube/config'],
      ['workloads', ''],
      ['workloads-stderr', 'Unable to connect to the server: dial tcp 10.0.0.1:6443: connect: connection refused\nBRRC 1\n'],
      ['end', ''],
    ]);

    expect(readKubernetesOutput(records, bundledIocRules())).toEqual({
      reading: null,
      issues: [{ collector: 'kubernetes', incomplete: true, message: 'kubectl get pods,deployments,daemonsets,statefulsets,services,ingresses failed (exit 1): Unable to connect to the server: dial tcp 10.0.0.1:6443: connect: connection refused' }],
    });
  });
});
