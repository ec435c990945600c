/**
 * The palette is defined once, in theme.css, for light and dark: no other stylesheet, component or
 * chart may write a colour of its own (a later view then keeps to the palette and to both themes),
 * every palette entry used exists, and the main text colours meet WCAG AA in both themes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WINDOW_BACKGROUND } from '../electron/shell/window-theme.js';
import { contrastRatio, parsePalette } from './theme-palette.js';

const RENDERER = fileURLToPath(new URL('../renderer/', import.meta.url));
const themeCss = readFileSync(join(RENDERER, 'theme.css'), 'utf8');

/** The renderer's shipped sources by path (`./views/graph.css`): not theme.css itself, tests or test support. */
function rendererSources(): Record<string, string> {
  const files = readdirSync(RENDERER, { recursive: true, encoding: 'utf8' })
    .map((file) => `./${relative(RENDERER, join(RENDERER, file)).split('\\').join('/')}`)
    .filter((file) => /\.(css|ts|tsx|html)$/.test(file) && !/\.test\.tsx?$/.test(file) && file !== './theme.css' && !file.startsWith('./test-support/'));
  return Object.fromEntries(files.map((file) => [file, readFileSync(join(RENDERER, file), 'utf8')]));
}

const sources = rendererSources();
const palette = parsePalette(themeCss);

/** Colour literals: hex, rgb()/hsl() functions, and colour keywords given as a value. */
const COLOUR_PATTERNS = [
  /(?<![&\w])#(?:[0-9a-f]{8}|[0-9a-f]{6}|[0-9a-f]{3,4})\b/gi,
  /\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(/gi,
  /(?:color|background(?:-color)?|fill|stroke|border(?:-[a-z]+)*|outline(?:-color)?)\s*[:=]\s*\{?\s*['"]?(?:white|black|red|green|blue|gr[ae]y|orange|yellow|purple|pink|silver)\b/gi,
];

/** Every colour literal in a source, with its line. */
function colourLiterals(source: string): string[] {
  return source.split('\n').flatMap((line, index) =>
    COLOUR_PATTERNS.flatMap((pattern) => [...line.matchAll(pattern)].map((match) => `line ${index + 1}: ${match[0]} in ${line.trim()}`)),
  );
}

describe('the theme', () => {
  it('finds the sources it polices (stylesheets, components, charts)', () => {
    const files = Object.keys(sources);

    expect(files).toEqual(expect.arrayContaining(['./styles.css', './graph/blast-nodes.css', './views/graph.css', './views/TimelineChart.tsx', './graph/to-flow.ts']));
  });

  it('spots a colour written outside the palette, in CSS or in a component', () => {
    expect(colourLiterals('.x { color: #ff0000; }')).toHaveLength(1);
    expect(colourLiterals("<Bar fill='#12b76a' />")).toHaveLength(1);
    expect(colourLiterals('box-shadow: 0 0 0 3px rgba(45, 91, 208, 0.35);')).toHaveLength(1);
    expect(colourLiterals('.x { background: white; }')).toHaveLength(1);
    expect(colourLiterals('<rect fill="black" />')).toHaveLength(1);
    expect(colourLiterals(".x { color: var(--text); } document.getElementById('root'); &#9656;")).toEqual([]);
  });

  it('has no colour outside theme.css: every stylesheet, component and chart reads the palette', () => {
    const offenders = Object.entries(sources).flatMap(([file, source]) => colourLiterals(source).map((hit) => `${file} ${hit}`));

    expect(offenders).toEqual([]);
  });

  it('defines every palette entry a source uses', () => {
    // Defined in a stylesheet (`--name:`), or set by a component (`setProperty('--name', …)`, `{ '--name': … }`).
    const defined = new Set(Object.values(sources).flatMap((source) => [...source.matchAll(/--([a-z0-9-]+)\s*:|['"`]--([a-z0-9-]+)['"`]/g)].map(([, css, script]) => (css ?? script)!)));
    for (const name of Object.keys(palette.light)) defined.add(name);
    const used = Object.entries(sources).flatMap(([file, source]) =>
      [...source.matchAll(/var\(--([a-z0-9-]+)/g)].map(([, name]) => name!).filter((name) => !name.startsWith('xy-')).map((name) => `${file} --${name}`),
    );

    expect(used.filter((entry) => !defined.has(entry.split(' --')[1]!))).toEqual([]);
  });

  it('gives the dark theme its own value for every colour of the light one', () => {
    const darkBlock = themeCss.slice(themeCss.indexOf('@media (prefers-color-scheme: dark)'));
    const colours = Object.entries(palette.light).filter(([, value]) => /^#|rgba?\(/.test(value)).map(([name]) => name);
    // A colour left to the light value would be a light patch in the dark theme: each is restated there, even where it happens to agree.
    const missing = colours.filter((name) => !new RegExp(`--${name}\\s*:`).test(darkBlock));

    expect(missing).toEqual([]);
  });

  // Text colours on the backgrounds they are drawn on; all at normal size, so AA means 4.5:1.
  const TEXT_PAIRS: [foreground: string, backgrounds: string[]][] = [
    ['text', ['bg', 'surface', 'surface-2', 'surface-3']],
    ['text-2', ['bg', 'surface', 'surface-2', 'surface-3']],
    ['muted', ['bg', 'surface', 'surface-2']],
    ['accent', ['surface', 'bg', 'accent-soft']],
    ['on-accent', ['accent-fill', 'accent-fill-hover']],
    ['compromised', ['surface', 'compromised-soft']],
    ['compromised-text', ['surface', 'compromised-soft']],
    ['reached', ['surface', 'reached-soft']],
    ['clean', ['surface', 'clean-soft']],
    ['failed-text', ['failed-soft']],
    ['unknown', ['unknown-soft']],
    ['nav-text', ['nav-bg']],
    ['nav-strong', ['nav-bg']],
    ['nav-muted', ['nav-bg']],
    ['code-text', ['code-bg']],
    ['code-link', ['code-bg']],
    ['chart-tick', ['surface']],
    ['chart-label', ['surface']],
    ['mark-updater', ['surface']],
    ['mark-socket', ['surface']],
    ['gw-env-url', ['surface']],
    ['gw-shared-network', ['surface']],
    ['gw-published-port', ['surface']],
    ['gw-ssh-tunnel', ['surface']],
    ['gw-proxy-route', ['surface']],
    ['gw-live-connection', ['surface']],
    ['gw-gateway-log', ['surface']],
    ['gw-gateway-db', ['surface']],
  ];

  for (const theme of ['light', 'dark'] as const) {
    it(`keeps text at WCAG AA (4.5:1) in the ${theme} theme`, () => {
      const colours = palette[theme];
      const failures = TEXT_PAIRS.flatMap(([foreground, backgrounds]) =>
        backgrounds
          .map((background) => ({ pair: `--${foreground} on --${background}`, ratio: contrastRatio(colours[foreground]!, colours[background]!) }))
          .filter(({ ratio }) => ratio < 4.5)
          .map(({ pair, ratio }) => `${pair}: ${ratio.toFixed(2)}`),
      );

      expect(failures).toEqual([]);
    });
  }

  it('opens the Electron window on the theme background, so a dark desktop never flashes white', () => {
    expect(WINDOW_BACKGROUND).toEqual({ light: palette.light.bg, dark: palette.dark.bg });
  });

  it('is dark in the dark theme and light in the light one', () => {
    expect(contrastRatio(palette.light.bg!, '#ffffff')).toBeLessThan(1.2);
    expect(contrastRatio(palette.dark.bg!, '#000000')).toBeLessThan(1.3);
    expect(contrastRatio(palette.dark.surface!, '#000000')).toBeLessThan(1.5);
  });
});
