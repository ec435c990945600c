/**
 * The rooms' boundaries, checked by `npm run check:boundaries` (part of `npm test`).
 * Each rule says why it exists (the `err-long` output prints that reason beside a violation).
 * Paths are relative to the repository root; `node_modules/` may resolve through a symlink,
 * so npm targets are matched anywhere in the path.
 */

/** A test file: tests may reach further than the code they test. */
const TEST_FILE = '\\.test\\.tsx?$';

/** The renderer's doors into shared/: one index.ts per room (domain/ has one per area). */
const SHARED_ENTRY_POINT = '^shared/(?:[^/]+|domain/[^/]+)/index\\.ts$';

/** The npm packages shared/ may use: pure, and bundled for both Node and the browser. */
const SHARED_NPM_ALLOWED = '(?:^|/)node_modules/(?:zod|yaml)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'only-shell-imports-electron',
      comment:
        'Only electron/shell/ may import the Electron runtime: it cannot be fetched on CI or in the ' +
        'lab, and the scan, CLI, browser host and tests must all run in plain Node.',
      severity: 'error',
      from: { pathNot: '^electron/shell/' },
      to: { path: '(?:^|/)node_modules/electron/|^electron$' },
    },
    {
      name: 'shared-no-node',
      comment:
        'shared/ runs in the renderer as well as in Node, so it may not import Node built-ins ' +
        '(tsconfig.shared.json also keeps Node and DOM types out). Its tests run in Node and may.',
      severity: 'error',
      from: { path: '^shared/', pathNot: TEST_FILE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shared-only-pure-packages',
      comment:
        'shared/ may use only zod and yaml from npm: anything else (React, ssh2, ws, ...) ties the ' +
        'pure model and judgements to one process or to the DOM.',
      severity: 'error',
      from: { path: '^shared/', pathNot: TEST_FILE },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'],
        pathNot: SHARED_NPM_ALLOWED,
      },
    },
    {
      name: 'shared-not-to-app-code',
      comment:
        'shared/ is the bottom of the flow: electron/ and renderer/ build on it, never the other way, ' +
        'or the pure code would drag a process (and its runtime) along with it.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(?:electron|renderer)/' },
    },
    {
      name: 'collectors-not-to-findings',
      comment:
        'Collectors gather what a host says; findings judge it. A collector that imports a finding ' +
        'producer mixes the two, so a scan could no longer be re-judged from its collected facts.',
      severity: 'error',
      from: { path: '^electron/collectors/' },
      to: { path: '^shared/findings/' },
    },
    {
      name: 'readers-not-to-collectors',
      comment:
        'Readers turn collected text into facts and do no I/O: a reader that imports a collector or ' +
        'the scan would run (or depend on) the host round trips it is meant to be independent of, ' +
        'and could no longer be tested on a fixture alone.',
      severity: 'error',
      from: { path: '^electron/readers/' },
      to: { path: '^electron/(?:collectors|scan)/' },
    },
    {
      name: 'model-at-the-bottom',
      comment:
        'shared/model/ is the report contract everything else reads; it depends on nothing else in ' +
        'shared/, so the published schema is generated from it alone.',
      severity: 'error',
      from: { path: '^shared/model/', pathNot: TEST_FILE },
      to: { path: '^shared/(?!model/)' },
    },
    {
      name: 'domain-below-findings',
      comment:
        'shared/domain/ is knowledge (advisories, windows, IOC rules, images, providers) that findings, ' +
        'views and collectors all consult; it never depends on what is built from it.',
      severity: 'error',
      from: { path: '^shared/domain/', pathNot: TEST_FILE },
      to: { path: '^shared/(?:findings|present|checklist|case|kinds|ipc)/' },
    },
    {
      name: 'findings-below-presentation',
      comment:
        'shared/findings/ judges inventories into a report; how a finding is drawn, planned or kept ' +
        '(present/, checklist/, case/, kinds/) builds on the report, never the other way round.',
      severity: 'error',
      from: { path: '^shared/findings/', pathNot: TEST_FILE },
      to: { path: '^shared/(?:present|checklist|case|kinds|ipc)/' },
    },
    {
      name: 'renderer-via-shared-entry-points',
      comment:
        "The renderer uses shared/ only through each room's index.ts, so a room can rearrange its " +
        'files without touching views and the public surface stays visible in one file. Renderer ' +
        'tests may also use the shared sample reports in shared/fixtures/.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^shared/', pathNot: [SHARED_ENTRY_POINT, '^shared/fixtures/'] },
    },
    {
      name: 'renderer-fixtures-only-in-tests',
      comment: 'The sample reports in shared/fixtures/ are test data; the shipped renderer never shows them.',
      severity: 'error',
      from: { path: '^renderer/', pathNot: TEST_FILE },
      to: { path: '^shared/fixtures/' },
    },
    {
      name: 'renderer-not-to-electron-code',
      comment:
        'The renderer is a sandboxed browser page (also served by the browser test host): it reaches ' +
        'the main process only through window.api, never by importing electron/ code.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^electron/' },
    },
    {
      name: 'renderer-no-node',
      comment:
        'The renderer is bundled for a sandboxed page without Node integration: a Node built-in ' +
        'would fail at runtime. Its tests run in Node and may use them.',
      severity: 'error',
      from: { path: '^renderer/', pathNot: TEST_FILE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'app-not-to-tests',
      comment:
        'Shipped code never imports the e2e lab or a test file: they pull in test runners and lab ' +
        'hosts that are not packaged.',
      severity: 'error',
      from: { path: '^(?:electron|renderer)/', pathNot: [TEST_FILE, '^renderer/test-support/'] },
      to: { path: ['^e2e/', TEST_FILE, '^renderer/test-support/'] },
    },
    {
      name: 'no-circular-in-shared',
      comment:
        'shared/ flows one way (model -> domain -> findings -> present/checklist -> case); a cycle ' +
        'means two modules are one module in two files, and makes load order matter.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^shared/', circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        'Every import must resolve to a file or package; otherwise the rules above could not see ' +
        'where it points and would pass by default.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(?:dist|release)/' },
    // Type-only imports count: a boundary crossed only by a type is still crossed.
    tsPreCompilationDeps: true,
    // Reads paths and NodeNext resolution (`./x.js` means `./x.ts`) the way tsc does.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
