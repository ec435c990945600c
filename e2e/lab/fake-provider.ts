/**
 * A fake key provider on 127.0.0.1 for the revocation check's tests: no test contacts a real
 * provider. Its URL space is `/<scenario>/<provider><the provider's endpoint path>`, so a test
 * picks what each provider answers through the check's injected `originFor`. Every request is
 * recorded (method, path, headers) so tests can assert where the key travelled. The `echo-*`
 * scenarios answer with the key in their body and headers, as a hostile server might.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { revocationEndpoint } from '../../shared/domain/providers/index.js';

/** What the fake answers. */
export type FakeScenario = 'live' | 'revoked' | 'server-error' | 'rate-limited' | 'hang' | 'redirect' | 'forbidden' | 'echo-live' | 'echo-revoked';

/** One request the fake received. */
export interface FakeRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** A running fake provider. */
export interface FakeProvider {
  /** The origin a provider's check should use for a scenario. */
  origin(scenario: FakeScenario, provider: string): string;
  readonly requests: FakeRequest[];
  stop(): Promise<void>;
}

/** The key as the request carried it, whatever header the provider uses. */
function presentedKey(headers: IncomingHttpHeaders): string {
  const bearer = /^Bearer (.+)$/.exec(String(headers['authorization'] ?? ''));
  return bearer?.[1] ?? String(headers['x-api-key'] ?? headers['x-goog-api-key'] ?? '');
}

function refuse(response: ServerResponse, provider: string, echoed: string): void {
  // Gemini refuses an invalid key with 400 and reason API_KEY_INVALID; the others with 401.
  const google = provider === 'google';
  response.writeHead(google ? 400 : 401, { 'content-type': 'application/json', ...(echoed ? { 'x-echo': echoed } : {}) });
  response.end(
    JSON.stringify(
      google
        ? { error: { code: 400, message: `API key not valid ${echoed}`, status: 'INVALID_ARGUMENT', details: [{ reason: 'API_KEY_INVALID', key: echoed }] } }
        : { error: { message: `Incorrect API key provided: ${echoed}`, type: 'invalid_request_error' } },
    ),
  );
}

/** Starts the fake on an ephemeral loopback port. */
export async function startFakeProvider(): Promise<FakeProvider> {
  const requests: FakeRequest[] = [];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((request, response) => {
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    const [, scenario, provider, ...rest] = (request.url ?? '').split('/');
    const expected = revocationEndpoint(provider ?? '');
    if (request.method !== 'GET' || !expected || `/${rest.join('/')}` !== expected.path || !presentedKey(request.headers)) {
      response.writeHead(404).end();
      return;
    }
    const key = presentedKey(request.headers);
    switch (scenario as FakeScenario) {
      case 'live':
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}');
        return;
      case 'echo-live':
        response.writeHead(200, { 'content-type': 'application/json', 'x-echo': key }).end(JSON.stringify({ data: [], key }));
        return;
      case 'revoked':
        refuse(response, provider!, '');
        return;
      case 'echo-revoked':
        refuse(response, provider!, key);
        return;
      case 'forbidden':
        response.writeHead(403, { 'content-type': 'application/json' }).end(`{"error":"${key}"}`);
        return;
      case 'server-error':
        response.writeHead(500, { 'content-type': 'text/plain' }).end(`upstream failed for ${key}`);
        return;
      case 'rate-limited':
        response.writeHead(429, { 'retry-after': '30' }).end();
        return;
      case 'redirect':
        response.writeHead(302, { location: `/live/${provider}${expected.path}?key=${encodeURIComponent(key)}` }).end();
        return;
      case 'hang':
        hanging.push(response);
        return;
      default:
        response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: (scenario, provider) => `http://127.0.0.1:${port}/${scenario}/${provider}`,
    requests,
    stop: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An origin on loopback where nothing listens: connection refused. */
export async function refusedOrigin(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
