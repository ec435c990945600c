/**
 * Images of AI gateways (OpenAI-compatible proxies that hold provider keys and see every prompt)
 * and of model backends, with the port each listens on by default. Data, with where each fact
 * comes from, so a new gateway is one entry. The one answer to "is this image a gateway?" for the
 * topology, the container findings and the checklist. Pure: no Node imports.
 */
import type { Container } from '../../model/index.js';
import { imageRepository } from './image-reference.js';

/** What an image is: a gateway or a backend, its kind, and the port it serves on unless told otherwise. */
export interface ServiceImage {
  role: 'gateway' | 'backend';
  /** `litellm`, `olla`, `localai`, `vllm`, `one-api`, `any-llm`, `ollama`. */
  kind: string;
  defaultPort: number;
}

interface ImageRule extends ServiceImage {
  /** Whether a repository (`imageRepository`) is this service. */
  matches: (repository: string) => boolean;
}

const exactly =
  (...repositories: string[]) =>
  (repository: string): boolean =>
    repositories.includes(repository);

/** The recognised images, gateways first. */
const IMAGE_RULES: readonly ImageRule[] = [
  // berriai/litellm, litellm/litellm, litellm-database, hwdsl2/litellm-server…: the proxy listens on 4000 (LiteLLM docs, `--port 4000`).
  { role: 'gateway', kind: 'litellm', defaultPort: 4000, matches: (repository) => repository.includes('litellm') },
  // ghcr.io/thushan/olla: compose example publishes 40114:40114.
  { role: 'gateway', kind: 'olla', defaultPort: 40114, matches: exactly('thushan/olla') },
  // LocalAI serves its OpenAI-compatible API on 8080; go-skynet/local-ai is its older name.
  { role: 'gateway', kind: 'localai', defaultPort: 8080, matches: exactly('localai/localai', 'go-skynet/local-ai') },
  // vLLM's OpenAI-compatible server image listens on 8000.
  { role: 'gateway', kind: 'vllm', defaultPort: 8000, matches: exactly('vllm/vllm-openai') },
  // One API and its fork New API ("access all LLMs through the standard OpenAI API format"), `-p 3000:3000`.
  { role: 'gateway', kind: 'one-api', defaultPort: 3000, matches: exactly('justsong/one-api', 'songquanpeng/one-api', 'calciumion/new-api') },
  // Mozilla.ai's any-llm gateway: `any-llm-gateway serve`, GATEWAY_PORT=8000.
  { role: 'gateway', kind: 'any-llm', defaultPort: 8000, matches: (repository) => /(?:^|\/)any-llm(?:$|[-/])/.test(repository) },
  // Ollama binds 11434 (Ollama docs, "Serving Ollama").
  { role: 'backend', kind: 'ollama', defaultPort: 11434, matches: exactly('ollama/ollama') },
];

/** The default port of each gateway kind, for gateways known from a config file alone. */
export const GATEWAY_DEFAULT_PORTS: Readonly<Record<string, number>> = Object.fromEntries(
  IMAGE_RULES.map((rule) => [rule.kind, rule.defaultPort]),
);

/** What an image reference is, or null when it is neither a gateway nor a backend this module knows. */
export function serviceImageOf(reference: string): ServiceImage | null {
  const repository = imageRepository(reference);
  const rule = IMAGE_RULES.find((candidate) => candidate.matches(repository));
  return rule ? { role: rule.role, kind: rule.kind, defaultPort: rule.defaultPort } : null;
}

/** True for an image of an AI gateway (LiteLLM, Olla, LocalAI, vLLM, One API, any-llm): what consumers' keys and prompts flow through. */
export function isGatewayImage(reference: string): boolean {
  return serviceImageOf(reference)?.role === 'gateway';
}

/** The ports a container listens on as far as the inventory tells: published container ports and its image's default. */
export function containerPorts(container: Container): number[] {
  const ports = (container.ports ?? [])
    .filter((port) => !/\/(?:udp|sctp)$/i.test(port.containerPort))
    .map((port) => Number.parseInt(port.containerPort, 10))
    .filter((port) => Number.isInteger(port));
  const service = serviceImageOf(container.image);
  if (service) ports.push(service.defaultPort);
  return [...new Set(ports)];
}
