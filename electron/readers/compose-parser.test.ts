import { describe, expect, it } from 'vitest';
import { composeLabels, composeService } from './compose-parser.js';

const LABELS = {
  'com.docker.compose.project': 'ai-gateway',
  'com.docker.compose.project.config_files': '/srv/ai-gateway/compose.yaml,/srv/ai-gateway/compose.override.yaml',
  'com.docker.compose.project.working_dir': '/srv/ai-gateway',
  'com.docker.compose.service': 'litellm',
};

describe('compose labels and files', () => {
  it('reads the project, service, working folder and config files Docker Compose labels a container with', () => {
    expect(composeLabels(LABELS)).toEqual({
      project: 'ai-gateway',
      service: 'litellm',
      workingDir: '/srv/ai-gateway',
      configFiles: ['/srv/ai-gateway/compose.yaml', '/srv/ai-gateway/compose.override.yaml'],
    });
    expect(composeLabels({ 'org.opencontainers.image.version': '1' })).toBeNull();
    expect(composeLabels({ ...LABELS, 'com.docker.compose.project.config_files': 'compose.yaml,/ok.yaml,/bad\n.yaml' })?.configFiles).toEqual(['/ok.yaml']);
  });

  it('reports the image as written and env_file paths, the override file winning', () => {
    const files = new Map([
      ['/srv/ai-gateway/compose.yaml', 'services:\n  litellm:\n    image: ghcr.io/berriai/litellm:main-latest\n    env_file: .env\n  db:\n    image: postgres:16\n'],
      ['/srv/ai-gateway/compose.override.yaml', `services:\n  litellm:\n    image: ghcr.io/berriai/litellm@sha256:${'a'.repeat(64)}\n    env_file:\n      - path: ./litellm.env\n        required: false\n`],
    ]);

    const service = composeService(composeLabels(LABELS)!, files);

    expect(service).toMatchObject({ image: `ghcr.io/berriai/litellm@sha256:${'a'.repeat(64)}`, imagePinnedByDigest: true, envFiles: ['./litellm.env'] });
    expect(service.problem).toBeUndefined();
  });

  it('says why when a file is unreadable or not YAML, and never guesses a pin', () => {
    const files = new Map<string, string | null>([
      ['/srv/ai-gateway/compose.yaml', null],
      ['/srv/ai-gateway/compose.override.yaml', 'services: [unclosed'],
    ]);

    const service = composeService(composeLabels(LABELS)!, files);

    expect(service.imagePinnedByDigest).toBeNull();
    expect(service.problem).toMatch(/compose\.yaml could not be read; .*compose\.override\.yaml is not valid YAML/);
  });

  it('refuses a billion-laughs file instead of expanding it', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((name, index) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[index]}`).join(',')}]`), 'services:\n  litellm:\n    image: *i'].join('\n');

    const service = composeService(composeLabels({ ...LABELS, 'com.docker.compose.project.config_files': '/c.yaml' })!, new Map([['/c.yaml', bomb]]));

    expect(service.image).toBeNull();
    expect(service.problem).toMatch(/not valid YAML/);
  });

  it('says a compose file is not YAML without quoting its text, which may hold a key', () => {
    const key = `gsk_${'Zq8vN2kL5pX9wR3tB7mC4yH6'.repeat(2)}1234`;
    const broken = `services:\n  litellm:\n    image: ghcr.io/berriai/litellm:main-latest\n    environment:\n\tGROQ_API_KEY: ${key}\n   x: [\n`;

    const service = composeService(composeLabels({ ...LABELS, 'com.docker.compose.project.config_files': '/c.yaml' })!, new Map([['/c.yaml', broken]]));

    expect(service.problem).toMatch(/\/c\.yaml is not valid YAML \(.*line \d+, column \d+/);
    expect(service.problem).not.toContain(key.slice(4, 20));
    expect(service.problem).not.toContain('GROQ_API_KEY');
  });
});
