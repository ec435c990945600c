import { describe, expect, it } from 'vitest';
import { gatewayOfCommand, moduleOf } from './gateway-commands.js';

describe('gatewayOfCommand', () => {
  it('recognises the gateways by program, python module and served app', () => {
    expect(gatewayOfCommand(['/opt/x/venv/bin/litellm', '--port', '4000'])).toEqual({ kind: 'litellm', matched: 'program litellm' });
    expect(gatewayOfCommand(['/usr/bin/python3.11', '-u', '-m', 'litellm.proxy.proxy_cli'])).toEqual({ kind: 'litellm', matched: 'module litellm.proxy.proxy_cli' });
    expect(gatewayOfCommand(['/srv/v/bin/uvicorn', '--port', '8080', 'litellm.proxy.proxy_server:app'])).toEqual({ kind: 'litellm', matched: 'app litellm.proxy.proxy_server:app' });
    expect(gatewayOfCommand(['python3', '-m', 'uvicorn', 'litellm.proxy.proxy_server:app'])?.kind).toBe('litellm');
    expect(gatewayOfCommand(['/usr/local/bin/vllm', 'serve', 'model'])?.kind).toBe('vllm');
    expect(gatewayOfCommand(['/usr/local/bin/local-ai'])?.kind).toBe('localai');
  });

  it('leaves other programs alone, a script named like a module included', () => {
    expect(gatewayOfCommand(['/usr/bin/ollama', 'serve'])).toBeNull();
    expect(gatewayOfCommand(['/usr/bin/python3', '/srv/litellm/app.py'])).toBeNull();
    expect(gatewayOfCommand(['/usr/bin/uvicorn', 'myapp.main:app'])).toBeNull();
    expect(moduleOf(['python3', '-c', 'import litellm'])).toBeNull();
  });
});
