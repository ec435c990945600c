/**
 * Reading the palette of renderer/theme.css and judging its contrast (WCAG 2.x relative luminance):
 * used by the theme test, so the rule "text reads in both themes" is checked, not hoped for.
 */

/** Custom property name (without `--`) to its value, per theme; dark is complete (light values where dark sets none). */
export interface Palette {
  light: Record<string, string>;
  dark: Record<string, string>;
}

const DECLARATION = /--([a-z0-9-]+)\s*:\s*([^;]+);/g;

function declarations(block: string): Record<string, string> {
  return Object.fromEntries([...block.matchAll(DECLARATION)].map(([, name, value]) => [name!, value!.trim()]));
}

/** The light palette (the first `:root` block) and the dark one (the `:root` inside `prefers-color-scheme: dark`). */
export function parsePalette(css: string): Palette {
  const darkAt = css.indexOf('@media (prefers-color-scheme: dark)');
  if (darkAt < 0) throw new Error('theme.css has no dark block');
  const light = declarations(css.slice(0, darkAt));
  return { light, dark: { ...light, ...declarations(css.slice(darkAt)) } };
}

/** An opaque `#rgb` or `#rrggbb` colour as 0–255 channels; anything else is not a plain colour. */
export function parseHex(colour: string): [number, number, number] | null {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour.trim());
  if (!match) return null;
  const hex = match[1]!.length === 3 ? [...match[1]!].map((digit) => digit + digit).join('') : match[1]!;
  return [0, 2, 4].map((at) => parseInt(hex.slice(at, at + 2), 16)) as [number, number, number];
}

/** WCAG relative luminance of an sRGB colour. */
export function luminance([r, g, b]: readonly [number, number, number]): number {
  const linear = (channel: number) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG contrast ratio of two plain colours, from 1 to 21. */
export function contrastRatio(foreground: string, background: string): number {
  const fg = parseHex(foreground);
  const bg = parseHex(background);
  if (!fg || !bg) throw new Error(`not a plain colour: ${fg ? background : foreground}`);
  const [high, low] = [luminance(fg), luminance(bg)].sort((a, b) => b - a) as [number, number];
  return (high + 0.05) / (low + 0.05);
}
