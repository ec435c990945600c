import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_INDEX_URL, CONTENT_SECURITY_POLICY, contentTypeFor, resolveAppPath, serveAppRequest } from './app-protocol.js';

const SECRET = 'TOP-SECRET-OUTSIDE-THE-RENDERER';

/** A build folder `renderer/` with a secret file beside it, a look-alike sibling and symlinks in and out. */
async function makeTree(): Promise<{ base: string; root: string; secretPath: string }> {
  const base = await realpath(await mkdtemp(join(tmpdir(), 'app-protocol-')));
  const root = join(base, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await mkdir(join(base, 'renderer-evil'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Blast Radius</title>');
  await writeFile(join(root, 'assets', 'app.js'), 'export const app = 1;');
  await writeFile(join(root, 'assets', 'app.css'), 'body { margin: 0 }');
  await writeFile(join(root, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(root, 'assets', 'data.bin'), 'bytes');
  const secretPath = join(base, 'secret.txt');
  await writeFile(secretPath, SECRET);
  await writeFile(join(base, 'renderer-evil', 'x.txt'), SECRET);
  await symlink(secretPath, join(root, 'escape.js'));
  await symlink(base, join(root, 'outside'));
  await symlink(join(root, 'assets', 'app.js'), join(root, 'inside.js'));
  await symlink(root, join(base, 'linked-root'));
  return { base, root, secretPath };
}

let tree: Awaited<ReturnType<typeof makeTree>>;
beforeEach(async () => {
  tree = await makeTree();
});
afterEach(async () => {
  await rm(tree.base, { recursive: true, force: true });
});

const get = (url: string, root = tree.root) => serveAppRequest({ url, method: 'GET' }, root);
const text = (body: Uint8Array | null) => (body === null ? '' : Buffer.from(body).toString('utf8'));

/**
 * Paths that climb from the build folder to `secret.txt` beside it (or to the look-alike sibling
 * folder) when decoded or normalised naively: one per encoding a traversal is known to use.
 */
const TRAVERSALS: readonly [string, string][] = [
  ['literal dot segments', '../secret.txt'],
  ['dot segments inside a folder', 'assets/../../secret.txt'],
  ['encoded dots', '%2e%2e/secret.txt'],
  ['upper-case encoded dots', '%2E%2E/secret.txt'],
  ['half-encoded dots', '.%2e/secret.txt'],
  ['the other half encoded', '%2e./secret.txt'],
  ['encoded dots inside a folder', 'assets/%2e%2e/%2e%2e/secret.txt'],
  ['an encoded slash', '..%2fsecret.txt'],
  ['an upper-case encoded slash', '..%2Fsecret.txt'],
  ['dots and slash all encoded', '%2e%2e%2fsecret.txt'],
  ['double-encoded dots', '%252e%252e/secret.txt'],
  ['double-encoded dots and slash', '%252e%252e%252fsecret.txt'],
  ['a raw backslash', '..\\secret.txt'],
  ['an encoded backslash', '..%5csecret.txt'],
  ['dots and backslashes all encoded', '%2e%2e%5csecret.txt'],
  ['overlong UTF-8 dots (2 bytes)', '%c0%ae%c0%ae/secret.txt'],
  ['overlong UTF-8 slash (2 bytes)', '..%c0%afsecret.txt'],
  ['overlong UTF-8 dots (3 bytes)', '%e0%80%ae%e0%80%ae/secret.txt'],
  ['overlong UTF-8 backslash', '..%c1%9csecret.txt'],
  ['fullwidth dots', '%ef%bc%8e%ef%bc%8e/secret.txt'],
  ['a division slash', '..%e2%88%95secret.txt'],
  ['a NUL after the dots', '..%00/secret.txt'],
  ['a NUL-truncated name', 'escape.js%00.html'],
  ['three dots (Windows strips trailing dots)', '.../secret.txt'],
  ['dots and a trailing space', '..%20/secret.txt'],
  ['a look-alike sibling folder', '../renderer-evil/x.txt'],
  ['an encoded look-alike sibling folder', '..%2frenderer-evil%2fx.txt'],
  ['a non-standard %u escape', '%u002e%u002e/secret.txt'],
  ['a malformed escape', '%2/secret.txt'],
];

describe('serveAppRequest confines every path to the build folder', () => {
  it.each(TRAVERSALS)('answers 404 to %s', async (_name, path) => {
    const response = await get(`app://renderer/${path}`);

    expect(response.status).toBe(404);
    expect(text(response.body)).not.toContain(SECRET);
  });

  it.each(TRAVERSALS)('never resolves %s outside the folder', (_name, path) => {
    const resolved = resolveAppPath(`app://renderer/${path}`, tree.root);

    if (resolved !== null) {
      const rel = relative(tree.root, resolved);
      expect(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)).toBe(false);
    }
  });

  it('answers 404 to absolute paths in the URL path', async () => {
    const probes = [
      `app://renderer/${tree.secretPath}`,
      `app://renderer/${encodeURIComponent(tree.secretPath)}`,
      'app://renderer//etc/passwd',
      'app://renderer/%2fetc%2fpasswd',
      'app://renderer/C:/Windows/win.ini',
      'app://renderer/C:%5cWindows%5cwin.ini',
      'app://renderer/%5c%5cserver%5cshare%5csecret.txt',
    ];

    const statuses = await Promise.all(probes.map(async (url) => (await get(url)).status));

    expect(statuses).toEqual(probes.map(() => 404));
  });

  it('answers 404 to URLs of another scheme, host, port or with credentials', async () => {
    const probes = [
      `file://${tree.secretPath}`,
      'https://renderer/index.html',
      'app://evil/index.html',
      'app://renderer.evil/index.html',
      'app://renderer:8080/index.html',
      'app://user:pw@renderer/index.html',
      'app:/index.html',
      'app:index.html',
      'not a url',
    ];

    const statuses = await Promise.all(probes.map(async (url) => (await get(url)).status));

    expect(statuses).toEqual(probes.map(() => 404));
  });

  it('answers 404 to a symlinked file that points outside the folder', async () => {
    const response = await get('app://renderer/escape.js');

    expect(response.status).toBe(404);
    expect(text(response.body)).not.toContain(SECRET);
  });

  it('answers 404 to a file reached through a symlinked folder that points outside', async () => {
    const response = await get('app://renderer/outside/secret.txt');

    expect(response.status).toBe(404);
    expect(text(response.body)).not.toContain(SECRET);
  });

  it('serves a symlink that stays inside the folder', async () => {
    const response = await get('app://renderer/inside.js');

    expect(response.status).toBe(200);
    expect(text(response.body)).toBe('export const app = 1;');
  });

  it('serves from a root reached through a symlink (as /tmp is on macOS)', async () => {
    const response = await get(APP_INDEX_URL, join(tree.base, 'linked-root'));

    expect(response.status).toBe(200);
  });

  it('gives a refused traversal the same answer as a missing file, so nothing outside can be probed', async () => {
    const refused = await get('app://renderer/..%2fsecret.txt');
    const missing = await get('app://renderer/no-such-file.js');

    expect(refused).toEqual(missing);
  });

  it('answers 404 to a folder, with or without a trailing slash', async () => {
    const statuses = [(await get('app://renderer/assets')).status, (await get('app://renderer/assets/')).status];

    expect(statuses).toEqual([404, 404]);
  });
});

describe('serveAppRequest serves the build', () => {
  it.each(['app://renderer/index.html', 'app://renderer/', 'app://renderer', 'app://RENDERER/index.html'])(
    'serves the page for %s with the content security policy',
    async (url) => {
      const response = await get(url);

      expect(response.status).toBe(200);
      expect(text(response.body)).toContain('<title>Blast Radius</title>');
      expect(response.headers['Content-Type']).toBe('text/html; charset=utf-8');
      expect(response.headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers['X-Content-Type-Options']).toBe('nosniff');
    },
  );

  it('strips the query and the fragment, whatever they hold', async () => {
    const response = await get('app://renderer/assets/app.js?v=../../secret.txt#/../../secret.txt');

    expect(response.status).toBe(200);
    expect(text(response.body)).toBe('export const app = 1;');
  });

  it.each([
    ['assets/app.js', 'text/javascript; charset=utf-8'],
    ['assets/app.css', 'text/css; charset=utf-8'],
    ['assets/logo.svg', 'image/svg+xml'],
    ['assets/data.bin', 'application/octet-stream'],
  ])('serves %s as %s', async (path, type) => {
    const response = await get(`app://renderer/${path}`);

    expect(response.status).toBe(200);
    expect(response.headers['Content-Type']).toBe(type);
    expect(response.headers['Content-Length']).toBe(String(response.body?.byteLength));
  });

  it('answers HEAD with the headers and no body', async () => {
    const response = await serveAppRequest({ url: APP_INDEX_URL, method: 'HEAD' }, tree.root);

    expect(response.status).toBe(200);
    expect(response.body).toBeNull();
    expect(response.headers['Content-Type']).toBe('text/html; charset=utf-8');
  });

  it('refuses any method but GET and HEAD', async () => {
    const response = await serveAppRequest({ url: APP_INDEX_URL, method: 'POST' }, tree.root);

    expect(response.status).toBe(405);
    expect(response.body).toBeNull();
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  it('allows scripts only from the app origin', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/u);
      return [name, sources] as const;
    }));

    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
  });

  it('maps extensions case-insensitively', () => {
    expect(contentTypeFor('/x/APP.JS')).toBe('text/javascript; charset=utf-8');
  });
});
