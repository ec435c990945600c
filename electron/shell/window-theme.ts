/**
 * The window's colour before the renderer paints, per OS theme: the same as `--bg` of each theme
 * in renderer/theme.css (e2e/theme.test.ts compares them), so a dark desktop never flashes white.
 */
export const WINDOW_BACKGROUND = { light: '#f5f6f8', dark: '#0c111d' } as const;

/** The background for the OS theme Electron reports (nativeTheme.shouldUseDarkColors). */
export const windowBackground = (dark: boolean): string => (dark ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light);
