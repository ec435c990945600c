import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../../e2e/pdf-text.js';
import { chromiumPdfPrinter } from './chromium-printer.js';
import { CHROMIUM_MISSING, findChromium } from './find-chromium.js';

describe('chromiumPdfPrinter', () => {
  let server: Server;
  let origin = '';
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'text/css' }).end('h1 { color: red }');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('prints a page to a PDF whose text is the page text', async () => {
    const pdf = await chromiumPdfPrinter()('<!doctype html><meta charset="utf-8"><h1>Compromised: litellm 1.82.8</h1><p>gateway · nas</p>');
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const { pages, text } = await pdfText(pdf);
    expect(pages).toBe(1);
    expect(text).toContain('Compromised: litellm 1.82.8');
    expect(text).toContain('gateway · nas');
  });

  it('loads nothing from the network while printing, loopback included, even for a page without a CSP', async () => {
    // Prove the trap works first: the same server answers a plain fetch.
    await fetch(`${origin}/probe`);
    expect(requests).toEqual(['/probe']);
    const page = `<!doctype html><link rel="stylesheet" href="${origin}/style.css"><img src="${origin}/image.png"><img src="http://example.invalid/x.png">
      <script>fetch('${origin}/script')</script><iframe src="${origin}/frame"></iframe><h1>printed offline</h1>`;
    const { text } = await pdfText(await chromiumPdfPrinter()(page));
    expect(text).toContain('printed offline');
    expect(requests).toEqual(['/probe']);
  });

  it('names what to install when no Chromium is on PATH', async () => {
    const saved = { path: process.env['PATH'], env: process.env['BLAST_RADIUS_CHROMIUM'] };
    process.env['PATH'] = '/nonexistent';
    delete process.env['BLAST_RADIUS_CHROMIUM'];
    try {
      expect(findChromium({ platform: 'linux' })).toBeNull();
      await expect(chromiumPdfPrinter()('<p>x</p>')).rejects.toThrow(CHROMIUM_MISSING);
      expect(CHROMIUM_MISSING).toMatch(/apt install chromium/);
    } finally {
      process.env['PATH'] = saved.path;
      if (saved.env !== undefined) process.env['BLAST_RADIUS_CHROMIUM'] = saved.env;
    }
  });

  it('refuses a named executable that is not there instead of falling back to another browser', () => {
    expect(() => findChromium({ explicit: '/nonexistent/chromium' })).toThrow(/no Chromium executable at "\/nonexistent\/chromium" \(given by --chromium\)/);
    expect(() => findChromium({ env: { BLAST_RADIUS_CHROMIUM: '/nonexistent/chrome', PATH: '/usr/bin' } })).toThrow(/BLAST_RADIUS_CHROMIUM/);
  });

  it('reports a Chromium that writes no PDF as a failure, not an empty file', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'fake-chromium-'));
    try {
      const fake = join(folder, 'chromium');
      await writeFile(fake, '#!/bin/sh\nexit 3\n');
      await chmod(fake, 0o755);
      await expect(chromiumPdfPrinter({ executable: fake })('<p>x</p>')).rejects.toThrow(/did not print the report: exit 3/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
