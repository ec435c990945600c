/**
 * Known `.pth` files, as data: the hashes of files known to be malicious, and the benign files that
 * installers write with an executable line. A benign rule matches by file name AND by the exact
 * shape of every executable line, so a payload dropped under a benign name is not waved through.
 */

/** A `.pth` file whose bytes are known to be malicious. */
export interface KnownMaliciousPth {
  /** sha256 of the whole file, lowercase hex. */
  sha256: string;
  /** The name it was shipped under (evidence only: the match is by hash). */
  fileName: string;
  /** What it is, for the finding's title. */
  label: string;
  /** Where the hash comes from. */
  source: string;
}

/** A `.pth` file an installer writes on purpose, with the executable lines it is known to hold. */
export interface KnownBenignPth {
  id: string;
  /** Who writes it and why, for the finding's evidence. */
  label: string;
  /** The file names it is written under. */
  fileName: RegExp;
  /** Every executable line of the file must match one of these. */
  lines: readonly RegExp[];
  /** Where its content was checked. */
  source: string;
}

/** Malicious `.pth` files by hash. */
export const KNOWN_MALICIOUS_PTH: readonly KnownMaliciousPth[] = [
  {
    sha256: '71e35aef03099cd1f2d6446734273025a163597de93912df321ef118bf135238',
    fileName: 'litellm_init.pth',
    label: 'litellm 1.82.8 credential stealer (TeamPCP, 24 March 2026)',
    source:
      'shared/INCIDENT.md (LiteLLM 1.82.8 entry); the file is referenced by GHSA-5mg7-485q-xm76 (inspector.pypi.io …/litellm-1.82.8/litellm_init.pth)',
  },
];

// One line of setuptools' legacy namespace-package template, with its %-placeholders as regex.
const NSPKG_NAME = String.raw`'[A-Za-z_][\w.]*'`;
const NSPKG_PTH = String.raw`\('[A-Za-z_]\w*'(?:, '[A-Za-z_]\w*')*,?\)`;
const NSPKG_ROOT = String.raw`sys\._getframe\(1\)\.f_locals\['sitedir'\]`;

function nspkgLine(template: readonly string[]): RegExp {
  const escaped = template.map((line) =>
    line
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replaceAll('%\\(pkg\\)r', NSPKG_NAME)
      .replaceAll('%\\(parent\\)r', NSPKG_NAME)
      .replaceAll('%\\(child\\)r', NSPKG_NAME)
      .replaceAll('%\\(pth\\)r', NSPKG_PTH)
      .replaceAll('%\\(root\\)s', NSPKG_ROOT),
  );
  const multi = escaped.pop()!;
  // setuptools joins the template with ';' and adds the parent/child line only for dotted packages.
  return new RegExp(`^${escaped.join(';')}(?:;${multi})?\\s*$`);
}

// setuptools/namespaces.py `_nspkg_tmpl` (+ `_nspkg_tmpl_multi`), the has_mfs era and the current one.
const NSPKG_HAS_MFS = nspkgLine([
  'import sys, types, os',
  'has_mfs = sys.version_info > (3, 5)',
  'p = os.path.join(%(root)s, *%(pth)r)',
  "importlib = has_mfs and __import__('importlib.util')",
  "has_mfs and __import__('importlib.machinery')",
  'm = has_mfs and sys.modules.setdefault(%(pkg)r, importlib.util.module_from_spec(importlib.machinery.PathFinder.find_spec(%(pkg)r, [os.path.dirname(p)])))',
  'm = m or sys.modules.setdefault(%(pkg)r, types.ModuleType(%(pkg)r))',
  "mp = (m or []) and m.__dict__.setdefault('__path__',[])",
  '(p not in mp) and mp.append(p)',
  'm and setattr(sys.modules[%(parent)r], %(child)r, m)',
]);
const NSPKG_CURRENT = nspkgLine([
  'import sys, types, os',
  'p = os.path.join(%(root)s, *%(pth)r)',
  "importlib = __import__('importlib.util')",
  "__import__('importlib.machinery')",
  'm = sys.modules.setdefault(%(pkg)r, importlib.util.module_from_spec(importlib.machinery.PathFinder.find_spec(%(pkg)r, [os.path.dirname(p)])))',
  'm = m or sys.modules.setdefault(%(pkg)r, types.ModuleType(%(pkg)r))',
  "mp = (m or []) and m.__dict__.setdefault('__path__',[])",
  '(p not in mp) and mp.append(p)',
  'm and setattr(sys.modules[%(parent)r], %(child)r, m)',
]);

/** Benign `.pth` files with executable lines, matched by name and by the shape of each executable line. */
export const KNOWN_BENIGN_PTH: readonly KnownBenignPth[] = [
  {
    id: 'setuptools-distutils-precedence',
    label: "setuptools' distutils shim (distutils-precedence.pth)",
    fileName: /^distutils-precedence\.pth$/,
    // Older setuptools defaulted to 'stdlib'; the text is fixed otherwise (trailing '; ' included).
    lines: [
      /^import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os\.environ\.get\(var, '(?:local|stdlib)'\) == 'local'; enabled and __import__\('_distutils_hack'\)\.add_shim\(\);?\s*$/,
    ],
    source: 'pypa/setuptools setup.py install_with_pth._pth_contents',
  },
  {
    id: 'virtualenv',
    label: "virtualenv's interpreter patch (_virtualenv.pth)",
    fileName: /^_virtualenv\.pth$/,
    lines: [/^import _virtualenv\s*$/],
    source: 'pypa/virtualenv create/via_global_ref/_virtualenv.py (written as _virtualenv.pth)',
  },
  {
    id: 'setuptools-editable-finder',
    label: 'setuptools editable install finder (pip install -e)',
    fileName: /^__editable__\..+\.pth$/,
    lines: [/^import (__editable___\w+_finder); \1\.install\(\)\s*$/],
    source: 'pypa/setuptools setuptools/command/editable_wheel.py (_finder_template, "import {finder}; {finder}.install()")',
  },
  {
    id: 'setuptools-nspkg',
    label: 'setuptools legacy namespace package (-nspkg.pth)',
    fileName: /-nspkg\.pth$/,
    lines: [NSPKG_HAS_MFS, NSPKG_CURRENT],
    source: 'pypa/setuptools setuptools/namespaces.py Installer._nspkg_tmpl, joined with ";"',
  },
  {
    id: 'pywin32',
    label: "pywin32's DLL bootstrap (pywin32.pth, Windows)",
    fileName: /^pywin32\.pth$/,
    lines: [/^import pywin32_bootstrap\s*$/],
    source: 'mhammond/pywin32 pywin32.pth ("win32", "win32\\lib", "Pythonwin", "import pywin32_bootstrap")',
  },
];
