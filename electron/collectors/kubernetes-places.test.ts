import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledIocRules } from '../../shared/domain/iocs/rules.js';
import { kubernetesReading } from './kubernetes-places.js';
import { parseKubernetesObjects, parseSecretList } from './kubernetes-parser.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'kubernetes');
const workloadsText = readFileSync(join(FIXTURES, 'get-workloads.json'), 'utf8');
const secretsText = readFileSync(join(FIXTURES, 'get-secrets.json'), 'utf8');
const client = { kubectl: 'kubectl', kubeconfig: '/etc/rancher/k3s/k3s.yaml' };

function read(edit: (document: { items: Record<string, any>[] }) => void = () => {}) {
  const document = JSON.parse(workloadsText);
  edit(document);
  return kubernetesReading(parseKubernetesObjects(JSON.stringify(document)), parseSecretList(secretsText), bundledIocRules(), client);
}

describe('kubernetesReading', () => {
  it('reports the privileged node-setup pod and the host-provisioner DaemonSet in kube-system as IOCs', () => {
    const { iocHits } = read();

    expect(iocHits).toEqual([
      {
        ruleId: 'teampcp-k8s-node-setup-pod',
        container: 'kube-system/node-setup-k3s-node1/node-setup',
        path: 'kube-system/pod/node-setup-k3s-node1',
        matched: "privileged; the node's / mounted at /host; hostPID; hostNetwork; image alpine:latest; node k3s-node1",
      },
      {
        ruleId: 'teampcp-k8s-host-provisioner',
        container: null,
        path: 'kube-system/daemonset/host-provisioner-std',
        matched: "privileged; the node's / mounted; image alpine:latest",
      },
    ]);
  });

  it('does not report a node-setup pod that is unprivileged, or one outside kube-system', () => {
    const unprivileged = read((document) => {
      const pod = document.items.find((item) => item.metadata.name === 'node-setup-k3s-node1')!;
      pod.spec.containers[0].securityContext = {};
    });
    const elsewhere = read((document) => {
      document.items.find((item) => item.metadata.name === 'node-setup-k3s-node1')!.metadata.namespace = 'default';
    });

    expect(unprivileged.iocHits.map((hit) => hit.ruleId)).toEqual(['teampcp-k8s-host-provisioner']);
    expect(elsewhere.iocHits.map((hit) => hit.ruleId)).toEqual(['teampcp-k8s-host-provisioner']);
  });

  it('makes each pod container a container with its place, digest, mounts and the Service ports that reach it', () => {
    const { containers } = read();
    const litellm = containers.find((container) => container.name === 'ai/litellm-7d9f8b6c5d-x2kqp/litellm')!;
    const setup = containers.find((container) => container.name === 'kube-system/node-setup-k3s-node1/node-setup')!;

    expect(litellm).toMatchObject({
      image: 'ghcr.io/berriai/litellm:main-latest',
      pinnedByDigest: false,
      running: true,
      networks: [{ name: 'kubernetes:ai', ipAddress: '10.42.0.21', ipv6Address: null, aliases: [] }],
      envNames: ['OPENAI_API_KEY', 'LITELLM_MASTER_KEY', 'LITELLM_LOG', 'POD_NAMESPACE'],
      kubernetes: { namespace: 'ai', pod: 'litellm-7d9f8b6c5d-x2kqp', container: 'litellm', node: 'k3s-node1', privileged: false, services: [{ name: 'litellm', port: 80, targetPort: 4000 }] },
    });
    expect(litellm.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(litellm.repoDigests).toEqual([`ghcr.io/berriai/litellm@${litellm.imageDigest}`]);
    expect(containers.find((container) => container.name.startsWith('ai/open-webui'))!.pinnedByDigest).toBe(true);
    expect(setup.mounts).toContainEqual({ type: 'hostPath', source: '/', destination: '/host', readOnly: false, risk: 'host-root' });
    // A host-network pod has the node's address: it is not a pod network address.
    expect(setup.networks).toEqual([]);
  });

  it('turns the Ingress into a proxy route to the Service\'s cluster name', () => {
    expect(read().proxyRoutes).toEqual([
      { proxy: 'kubernetes-ingress', container: null, path: 'ai/ingress/litellm', match: 'llm.home.example/', upstreamHost: 'litellm.ai.svc.cluster.local', upstreamPort: 80 },
    ]);
  });

  it('gives the secret reader env values with Secret references resolved, every key of each Secret, and each mounted key as its file', () => {
    const { artifacts } = read();
    const env = (name: string) => artifacts.environments.find((environment) => environment.container.startsWith(name))?.variables;

    expect(env('ai/litellm')).toEqual([
      ['OPENAI_API_KEY', 'k8sFixtureOpenaiKey7f3a9c2184d6'],
      ['LITELLM_MASTER_KEY', 'sk-k8sFixtureMasterKey0a1'],
      ['LITELLM_LOG', 'INFO'],
    ]);
    expect(env('automation/n8n')).toEqual([
      ['N8N_ENCRYPTION_KEY', 'k8sFixtureN8nEncryptionKey4e8d1f'],
      ['OPENAI_BASE_URL', 'http://litellm.ai.svc.cluster.local/v1'],
      ['N8N_PORT', '5678'],
    ]);
    expect(artifacts.files.map((file) => `${file.container ?? '(cluster)'} ${file.path}`)).toEqual([
      '(cluster) ai/secret/litellm-provider-keys',
      '(cluster) ai/secret/litellm-secrets',
      '(cluster) ai/secret/open-webui-secrets',
      '(cluster) automation/secret/n8n-env',
      'ai/litellm-7d9f8b6c5d-x2kqp/litellm /etc/litellm/keys/anthropic-api-key',
    ]);
    expect(artifacts.files.every((file) => file.kind === 'kubernetes-secret')).toBe(true);
  });

  it('lists no Secrets (null) when they could not be read, and still reads the workloads', () => {
    const reading = kubernetesReading(parseKubernetesObjects(workloadsText), null, bundledIocRules(), client);

    expect(reading.cluster.secrets).toBeNull();
    expect(reading.cluster.pods).toBe(6);
    expect(reading.artifacts.files).toEqual([]);
    expect(reading.iocHits).toHaveLength(2);
  });
});
