import { describe, expect, it } from 'vitest';
import { containerPorts, isGatewayImage, serviceImageOf } from './gateway-images.js';
import type { Container } from '../../model/index.js';

describe('gateway images', () => {
  it('recognises each gateway of the table whatever the registry, tag or digest', () => {
    expect(
      [
        'ghcr.io/berriai/litellm:main-latest',
        'litellm/litellm',
        'hwdsl2/litellm-server:1',
        'ghcr.io/thushan/olla:latest',
        'localai/localai:v2',
        'vllm/vllm-openai@sha256:' + 'a'.repeat(64),
        'calciumion/new-api',
        'ghcr.io/mozilla-ai/any-llm-gateway:0.1',
      ].map((image) => serviceImageOf(image)?.kind),
    ).toEqual(['litellm', 'litellm', 'litellm', 'olla', 'localai', 'vllm', 'one-api', 'any-llm']);
  });

  it('answers "is this image a gateway?" yes for gateways and no for model backends or other images', () => {
    expect(isGatewayImage('ghcr.io/berriai/litellm:main-latest')).toBe(true);
    expect(isGatewayImage('localai/localai')).toBe(true);
    expect(isGatewayImage('ollama/ollama')).toBe(false);
    expect(isGatewayImage('ghcr.io/open-webui/open-webui:main')).toBe(false);
    expect(isGatewayImage('postgres:16')).toBe(false);
  });

  it("lists a container's published TCP ports and its image's default port, once each", () => {
    const container = {
      image: 'ghcr.io/berriai/litellm:main-latest',
      ports: [
        { containerPort: '4000/tcp', hostIp: '0.0.0.0', hostPort: '4000' },
        { containerPort: '9000/udp', hostIp: '0.0.0.0', hostPort: '9000' },
        { containerPort: '8080/tcp', hostIp: '127.0.0.1', hostPort: '8080' },
      ],
    } as Container;

    expect(containerPorts(container)).toEqual([4000, 8080]);
  });
});
