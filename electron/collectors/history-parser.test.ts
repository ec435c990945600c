import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildInstallSteps, classifyInstallCommand, maskSecrets, parseImageHistory } from './history-parser.js';

const fixture = (name: string): Promise<string> => readFile(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseImageHistory', () => {
  it('reads Docker 28 history printed with --format {{json .}}, one object a line, HTML-escaped', async () => {
    const entries = parseImageHistory(await fixture('docker-history.jsonl'));

    expect(entries).toHaveLength(11);
    expect(entries[0]).toEqual({ createdBy: 'CMD ["--port" "4000"]', createdAt: '2026-03-24T10:41:06Z' });
    expect(entries[5]!.createdBy).toContain('--find-links=/wheels/ && rm -f *.whl');
  });

  it('reads Podman history printed with --format json, one array', async () => {
    const docker = parseImageHistory(await fixture('docker-history.jsonl'));

    expect(parseImageHistory(await fixture('podman-history.json'))).toEqual(docker);
  });

  it('skips a cut-off last line and anything that is not a history row', () => {
    const text = '{"CreatedBy":"RUN /bin/sh -c true # buildkit","CreatedAt":"2026-01-01T00:00:00Z"}\n{"CreatedBy":"RUN /bin/sh -c pip ins';

    expect(parseImageHistory(text)).toEqual([{ createdBy: 'RUN /bin/sh -c true # buildkit', createdAt: '2026-01-01T00:00:00Z' }]);
    expect(parseImageHistory('[1, null, {"ID":"x"}]')).toEqual([]);
    expect(parseImageHistory('')).toEqual([]);
  });
});

describe('classifyInstallCommand', () => {
  const pinned = (command: string): boolean[] => classifyInstallCommand(command).map((step) => step.hashPinned);

  it('flags pip install from the live index without --require-hashes', () => {
    const [step] = classifyInstallCommand('RUN /bin/sh -c pip install --no-cache-dir "litellm[proxy]==1.82.8" # buildkit', '2026-03-24T11:19:02Z');

    expect(step).toEqual({
      command: 'RUN /bin/sh -c pip install --no-cache-dir "litellm[proxy]==1.82.8"',
      tool: 'pip',
      hashPinned: false,
      reason: 'pip install from the live index without --require-hashes',
      createdAt: '2026-03-24T11:19:02Z',
    });
  });

  it('accepts pip install --require-hashes -r requirements.txt as hash-pinned', () => {
    expect(pinned('RUN /bin/sh -c pip install --require-hashes -r requirements.txt # buildkit')).toEqual([true]);
  });

  it('treats pip install -r requirements.txt without --require-hashes as unpinned, because the file is not visible', () => {
    const [step] = classifyInstallCommand('RUN /bin/sh -c pip install -r requirements.txt # buildkit');

    expect(step!.hashPinned).toBe(false);
    expect(step!.reason).toMatch(/requirements file requirements\.txt is not visible .* treated as unpinned/);
  });

  it('judges each install of a chained RUN line on its own flags', () => {
    expect(pinned('RUN /bin/sh -c pip install --require-hashes -r base.txt && pip3 install litellm; python3 -m pip install --no-index /wheels/*')).toEqual([true, false, true]);
  });

  it('recognises uv pip install, poetry install and the classic builder\'s /bin/sh -c form', () => {
    expect(classifyInstallCommand('RUN /bin/sh -c uv pip install --system --require-hashes -r requirements.txt # buildkit').map((s) => [s.tool, s.hashPinned])).toEqual([['uv pip', true]]);
    expect(classifyInstallCommand('RUN |1 POETRY_VERSION=1.8.3 /bin/sh -c poetry install --no-root').map((s) => [s.tool, s.hashPinned])).toEqual([['poetry', false]]);
    expect(classifyInstallCommand('/bin/sh -c pip3.11 install requests').map((s) => s.tool)).toEqual(['pip']);
  });

  it('ignores metadata steps and commands that only mention pip', () => {
    expect(classifyInstallCommand('/bin/sh -c #(nop)  LABEL note=pip install litellm')).toEqual([]);
    expect(classifyInstallCommand('ENV PIP_INSTALL="pip install x"')).toEqual([]);
    expect(classifyInstallCommand('RUN /bin/sh -c pipx install black # buildkit')).toEqual([]);
    expect(classifyInstallCommand('RUN /bin/sh -c pip download litellm # buildkit')).toEqual([]);
  });

  it('masks index credentials and tokens and cuts the command at 300 characters', () => {
    const [step] = classifyInstallCommand(`RUN /bin/sh -c GH_TOKEN=ghp_abc pip install --index-url https://user:s3cret@pypi.example/simple litellm ${'x'.repeat(400)}`);

    expect(step!.command).not.toMatch(/s3cret|ghp_abc/);
    expect(step!.command).toContain('https://***@pypi.example/simple');
    expect(step!.command).toHaveLength(300);
    expect(maskSecrets('PIP_PASSWORD=hunter2 pip install x')).toBe('PIP_PASSWORD=*** pip install x');
  });
});

describe('buildInstallSteps', () => {
  it('lists the install steps oldest first, as the Dockerfile ran them', async () => {
    const steps = buildInstallSteps(parseImageHistory(await fixture('docker-history.jsonl')));

    expect(steps.map((step) => [step.createdAt, step.hashPinned])).toEqual([
      ['2026-03-24T10:40:58Z', true],
      ['2026-03-24T10:41:03Z', false],
      ['2026-03-24T10:41:05Z', false],
    ]);
  });
});
