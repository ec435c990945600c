import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseKubernetesObjects, parseSecretList } from './kubernetes-parser.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'kubernetes');
const workloads = readFileSync(join(FIXTURES, 'get-workloads.json'), 'utf8');
const secrets = readFileSync(join(FIXTURES, 'get-secrets.json'), 'utf8');

describe('parseKubernetesObjects', () => {
  const objects = parseKubernetesObjects(workloads);

  it('reads every pod container of the List with its pod, node, owner and image id', () => {
    expect(objects.pods.map((pod) => `${pod.namespace}/${pod.pod}/${pod.container}`)).toEqual([
      'kube-system/coredns-6799fbcd5-kq2vx/coredns',
      'kube-system/node-setup-k3s-node1/node-setup',
      'kube-system/host-provisioner-std-9xk4z/provisioner',
      'ai/litellm-7d9f8b6c5d-x2kqp/litellm',
      'ai/open-webui-5d4b8f6c9-7hj2m/open-webui',
      'automation/n8n-0/n8n',
    ]);
    const litellm = objects.pods.find((pod) => pod.container === 'litellm')!;
    expect(litellm).toMatchObject({
      node: 'k3s-node1',
      owner: { kind: 'ReplicaSet', name: 'litellm-7d9f8b6c5d' },
      image: 'ghcr.io/berriai/litellm:main-latest',
      running: true,
      privileged: false,
      podIP: '10.42.0.21',
      ports: [{ name: 'http', containerPort: 4000, protocol: 'TCP' }],
    });
    expect(litellm.imageID).toMatch(/^ghcr\.io\/berriai\/litellm@sha256:[0-9a-f]{64}$/);
    expect(litellm.containerID).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads the node-setup pod as privileged, on the node\'s PID and network namespaces, with the node\'s / mounted', () => {
    const setup = objects.pods.find((pod) => pod.pod === 'node-setup-k3s-node1')!;

    expect(setup).toMatchObject({ privileged: true, hostPID: true, hostNetwork: true, owner: null, image: 'alpine:latest' });
    expect(setup.mounts).toContainEqual({ mountPath: '/host', readOnly: false, hostPath: '/' });
  });

  it('keeps env as written: inline values, Secret key references, and other sources without their value', () => {
    const litellm = objects.pods.find((pod) => pod.container === 'litellm')!;

    expect(litellm.env).toEqual([
      { name: 'OPENAI_API_KEY', secret: { name: 'litellm-secrets', key: 'OPENAI_API_KEY' } },
      { name: 'LITELLM_MASTER_KEY', secret: { name: 'litellm-secrets', key: 'LITELLM_MASTER_KEY' } },
      { name: 'LITELLM_LOG', value: 'INFO' },
      { name: 'POD_NAMESPACE', other: 'fieldRef' },
    ]);
    expect(litellm.mounts).toContainEqual({ mountPath: '/etc/litellm/keys', readOnly: true, secret: { name: 'litellm-provider-keys' } });
    expect(objects.pods.find((pod) => pod.container === 'n8n')!.envFromSecrets).toEqual([{ name: 'n8n-env', prefix: '' }]);
  });

  it('reads controllers from their pod templates, Services with their target ports, and Ingress paths', () => {
    expect(objects.workloads.map((workload) => `${workload.kind} ${workload.namespace}/${workload.name}`)).toEqual([
      'Deployment kube-system/coredns',
      'Deployment ai/litellm',
      'Deployment ai/open-webui',
      'DaemonSet kube-system/host-provisioner-std',
      'StatefulSet automation/n8n',
    ]);
    expect(objects.workloads.find((workload) => workload.kind === 'DaemonSet')).toMatchObject({ images: ['alpine:latest'], privileged: true, hostPaths: ['/'] });
    expect(objects.services.find((service) => service.name === 'litellm')).toEqual({
      namespace: 'ai',
      name: 'litellm',
      type: 'ClusterIP',
      clusterIP: '10.43.112.40',
      selector: { app: 'litellm' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: null, protocol: 'TCP' }],
    });
    expect(objects.ingresses).toEqual([{ namespace: 'ai', ingress: 'litellm', host: 'llm.home.example', path: '/', service: 'litellm', port: 80 }]);
    expect(objects.skipped).toBe(0);
  });

  it('refuses a document that is not a List, and skips items without a name', () => {
    expect(() => parseKubernetesObjects('{"kind":"Pod"}')).toThrow(/not a kubectl List/);
    expect(parseKubernetesObjects('{"apiVersion":"v1","items":[{"kind":"Pod","metadata":{}}],"kind":"List"}').skipped).toBe(1);
  });
});

describe('parseSecretList', () => {
  it('decodes every key of every Secret from base64', () => {
    const parsed = parseSecretList(secrets);

    expect(parsed.map((secret) => `${secret.namespace}/${secret.name}`)).toEqual([
      'ai/litellm-provider-keys',
      'ai/litellm-secrets',
      'ai/open-webui-secrets',
      'automation/n8n-env',
    ]);
    expect(parsed[1]).toEqual({
      namespace: 'ai',
      name: 'litellm-secrets',
      type: 'Opaque',
      data: [
        ['LITELLM_MASTER_KEY', 'sk-k8sFixtureMasterKey0a1'],
        ['OPENAI_API_KEY', 'k8sFixtureOpenaiKey7f3a9c2184d6'],
      ],
    });
  });

  it('drops a value that is not base64 or not text', () => {
    const text = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [{ kind: 'Secret', metadata: { name: 's', namespace: 'n' }, type: 'Opaque', data: { bad: '@@@', binary: Buffer.from([0, 255, 1]).toString('base64'), good: Buffer.from('value').toString('base64') } }],
    });

    expect(parseSecretList(text)[0]!.data).toEqual([['good', 'value']]);
  });
});
