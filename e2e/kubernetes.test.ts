/**
 * The built CLI (`npm run build:node`) scanning a k3s node of the lab (KUBERNETES_HOSTS): its own
 * `kubectl` (a stand-in replaying kubectl 1.30's JSON, refusing anything but the two read-only
 * `get` calls) shows the campaign's privileged node-setup pod and host-provisioner DaemonSet in
 * kube-system, a LiteLLM gateway pod behind Service and Ingress `litellm`, the pods that call it by
 * its Service name, and the Secrets they take their keys from. The report names each of them,
 * keys by fingerprint only; only `get` ever ran, and no interpreter started.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumerFinding, GatewayFinding, IocFinding, ScanReport, SecretFinding } from '../shared/model/index.js';
import { KUBECTL_GET_SECRETS, KUBECTL_GET_WORKLOADS } from '../electron/collectors/kubernetes-collector.js';
import { KUBECTL_STANDIN_LOG, kubectlCalls } from './lab/kubectl-standin.js';
import { KUBERNETES_HOSTS } from './lab/lab-hosts.js';
import { startLab, type Lab } from './lab/lab.js';
import { labCliEnv, requireBuiltCli, runCliScan } from './cli-run.js';
import { expectedFingerprint, KUBERNETES_SECRETS, leakNeedles } from './lab/planted-secrets.js';

const GATEWAY_POD = 'ai/litellm-7d9f8b6c5d-x2kqp/litellm';

let lab: Lab;
let outputDir: string;
let report: ScanReport;
let reportText: string;
let exitCode: number;
let stderr: string;
let stdout: string;

beforeAll(async () => {
  requireBuiltCli();
  outputDir = await mkdtemp(join(tmpdir(), 'blast-radius-k8s-'));
  lab = await startLab({ hosts: KUBERNETES_HOSTS });
  const scan = await runCliScan(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'k3s'], { json: join(outputDir, 'report.json') }, { env: labCliEnv(outputDir) });
  exitCode = scan.code;
  stdout = scan.stdout;
  stderr = scan.stderr;
  reportText = scan.reportText;
  report = scan.report;
}, 180_000);

afterAll(async () => {
  await lab?.stop();
  if (outputDir) await rm(outputDir, { recursive: true, force: true });
});

const findings = <K extends ScanReport['findings'][number]['kind']>(kind: K) =>
  report.findings.filter((finding): finding is Extract<ScanReport['findings'][number], { kind: K }> => finding.kind === kind);

describe('a k3s node read through its own kubectl', () => {
  it('reads the cluster with k3s\'s kubeconfig, running only the two read-only get calls', async () => {
    expect(exitCode, stderr).toBe(0);
    const host = report.hosts.find((candidate) => candidate.name === 'k3s')!;
    expect(host.status).toBe('ok');
    expect(host.kubernetes).toMatchObject({ kubectl: 'kubectl', kubeconfig: '/etc/rancher/k3s/k3s.yaml', pods: 6, secrets: 4 });
    expect(host.kubernetes!.workloads.map((workload) => `${workload.kind} ${workload.namespace}/${workload.name}`)).toContain('DaemonSet kube-system/host-provisioner-std');

    const log = await readFile(join(lab.rootOf('k3s'), KUBECTL_STANDIN_LOG), 'utf8');
    const kubeconfig = ['--kubeconfig', '/etc/rancher/k3s/k3s.yaml'];
    expect(kubectlCalls(log)).toEqual([
      [...kubeconfig, ...KUBECTL_GET_WORKLOADS],
      [...kubeconfig, ...KUBECTL_GET_SECRETS],
    ]);
  });

  it('reports the privileged node-setup pod and the host-provisioner DaemonSet in kube-system as critical IOCs', () => {
    const iocs = findings('ioc').map((finding: IocFinding) => [finding.rule, finding.severity, finding.container, finding.path]);

    expect(iocs).toEqual(
      expect.arrayContaining([
        ['teampcp-k8s-node-setup-pod', 'critical', 'kube-system/node-setup-k3s-node1/node-setup', 'kube-system/pod/node-setup-k3s-node1'],
        ['teampcp-k8s-host-provisioner', 'critical', null, 'kube-system/daemonset/host-provisioner-std'],
      ]),
    );
    const setup = findings('ioc').find((finding) => finding.rule === 'teampcp-k8s-node-setup-pod')!;
    expect(setup.evidence[0]).toContain("privileged; the node's / mounted at /host; hostPID; hostNetwork; image alpine:latest");
  });

  it('reports the LiteLLM pod as a gateway reached at its Service\'s cluster name, holding the provider keys of its Secrets', () => {
    const gateway = findings('gateway').find((finding: GatewayFinding) => finding.container === GATEWAY_POD)!;

    expect(gateway).toMatchObject({ host: 'k3s', gateway: 'litellm' });
    expect(gateway.endpoints).toEqual(['litellm.ai.svc.cluster.local:80']);
    expect(gateway.backends).toEqual(expect.arrayContaining(['openai', 'anthropic']));
  });

  it('finds its consumers by the Service name they call: Open WebUI by the short name, n8n from another namespace', () => {
    const consumers = findings('consumer')
      .filter((finding: ConsumerFinding) => finding.gateway === GATEWAY_POD)
      .map((finding) => [finding.consumer, finding.via])
      .sort();

    expect(consumers).toEqual([
      ['ai/open-webui-5d4b8f6c9-7hj2m/open-webui', 'shared-network'],
      ['automation/n8n-0/n8n', 'shared-network'],
    ]);
    const n8n = findings('consumer').find((finding) => finding.consumer === 'automation/n8n-0/n8n')!;
    expect(n8n.evidence.join('\n')).toContain('litellm.ai.svc.cluster.local:80 is Service ai/litellm of the cluster on host k3s, which forwards port 80 to pod container ai/litellm-7d9f8b6c5d-x2kqp/litellm port 4000');
  });

  it('reports each key of the Secrets by fingerprint, in the Secret and where each pod takes it', () => {
    const secrets = findings('secret');
    for (const id of ['k8s-openai', 'k8s-anthropic', 'k8s-litellm-master', 'k8s-litellm-virtual'] as const) {
      const planted = KUBERNETES_SECRETS[id];
      const finding = secrets.find((candidate: SecretFinding) => candidate.fingerprint === expectedFingerprint(planted));
      expect(finding, id).toBeDefined();
      expect(finding!.provider, id).toBe(planted.provider);
      for (const location of planted.locations) expect(finding!.locations, `${id} at ${JSON.stringify(location)}`).toContainEqual(location);
    }
  });

  it('flags the gateway pod\'s mutable tag, not the pod deployed by digest', () => {
    const mutable = findings('mutable-image-tag').map((finding) => finding.container);

    expect(mutable).toContain(GATEWAY_POD);
    expect(mutable).not.toContain('ai/open-webui-5d4b8f6c9-7hj2m/open-webui');
  });

  it('writes no Secret value, in clear or base64, anywhere in the report or the output streams, and starts no interpreter', async () => {
    const written = [reportText, stdout, stderr].join('\n');
    for (const secret of Object.values(KUBERNETES_SECRETS)) {
      for (const needle of [...leakNeedles(secret.value), Buffer.from(secret.value).toString('base64')]) {
        expect(written.includes(needle), `a piece of ${secret.id}`).toBe(false);
      }
    }
    expect(await lab.trippedTraps()).toEqual([]);
  });
});
