import { describe, expect, it } from 'vitest';
import { cleanUrl, endpointsInText, hostPortEndpoint } from './endpoint-url.js';

describe('cleanUrl', () => {
  it('drops the user, password, query and fragment, and fills in default ports', () => {
    expect(cleanUrl('http://admin:sk-proj-abcdefghijklmnop@litellm:4000/v1?key=sk-xyz#frag')).toEqual({
      url: 'http://litellm:4000/v1',
      host: 'litellm',
      port: 4000,
    });
    expect(cleanUrl('https://api.openai.com/v1')).toEqual({ url: 'https://api.openai.com/v1', host: 'api.openai.com', port: 443 });
    expect(cleanUrl('ws://gateway.lan')).toEqual({ url: 'ws://gateway.lan/', host: 'gateway.lan', port: 80 });
  });

  it('cuts a path at the first segment that looks like a token', () => {
    const slack = cleanUrl('https://hooks.slack.com/services/T01ABCDEF/B02GHIJKL/q1w2e3r4t5y6u7i8o9p0a1s2');
    expect(slack?.url).toBe('https://hooks.slack.com/services/T01ABCDEF/B02GHIJKL/…');
    expect(cleanUrl('https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage')?.url).toBe(
      'https://api.telegram.org/…',
    );
  });

  it('keeps IPv6 hosts without brackets in the host field', () => {
    expect(cleanUrl('http://[fd00::2]:11434/api')).toEqual({ url: 'http://[fd00::2]:11434/api', host: 'fd00::2', port: 11434 });
  });

  it('refuses other schemes and unexpanded placeholders', () => {
    expect(cleanUrl('postgres://u:p@db:5432/x')).toBeNull();
    expect(cleanUrl('http://${LITELLM_HOST}:4000')).toBeNull();
    expect(cleanUrl('http://<your-host>:4000')).toBeNull();
  });
});

describe('endpointsInText', () => {
  it('finds every URL of a list value', () => {
    expect(endpointsInText('http://ollama:11434;https://api.groq.com/openai/v1').map((e) => e.url)).toEqual([
      'http://ollama:11434/',
      'https://api.groq.com/openai/v1',
    ]);
  });
});

describe('hostPortEndpoint', () => {
  it('accepts host:port in address-named variables only', () => {
    expect(hostPortEndpoint('OLLAMA_HOST', 'ollama:11434')).toEqual({ url: 'ollama:11434', host: 'ollama', port: 11434 });
    expect(hostPortEndpoint('apiBase', 'gw.lan:4000')?.port).toBe(4000);
    expect(hostPortEndpoint('openai-api-base', 'gw.lan:4000')?.host).toBe('gw.lan');
    expect(hostPortEndpoint('TIMEOUT', '10:30')).toBeNull();
    expect(hostPortEndpoint('ghost', 'a:1')).toBeNull();
    expect(hostPortEndpoint('OLLAMA_HOST', '0.0.0.0')).toBeNull();
    expect(hostPortEndpoint('OLLAMA_HOST', '0.0.0.0:11434')).toBeNull();
  });
});
