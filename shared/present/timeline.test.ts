import { describe, expect, it } from 'vitest';
import { SAMPLE } from '../fixtures/sample-report.js';
import { LITELLM_WINDOW, deepReport, exposure } from '../fixtures/deep-report.js';
import { buildTimeline } from './timeline.js';

describe('buildTimeline', () => {
  it('is empty when no exposure has a compromise window', () => {
    const report = deepReport();
    report.exposures = [exposure(SAMPLE.litellmContainer, 'unknown', null)];

    expect(buildTimeline(report)).toEqual([]);
    expect(buildTimeline(null)).toEqual([]);
  });

  it('plots the affected container and the updater-watched one against the window, with its source', () => {
    const [window, ...others] = buildTimeline(deepReport());

    expect(others).toEqual([]);
    expect(window).toMatchObject({ id: 'litellm-2026-03-24', start: LITELLM_WINDOW.start, end: LITELLM_WINDOW.end });
    expect(window!.source).toContain('security-update-march-2026');
    expect(window!.rows.map((row) => [row.label, row.verdict, row.watchedBy])).toEqual([
      ['litellm · gw', 'exposed', []],
      ['open-webui · gw', null, ['watchtower']],
    ]);
  });

  it('places each time before, during or after the window and leaves out Docker\'s "never"', () => {
    const [window] = buildTimeline(deepReport());

    const dots = window!.series.flatMap((series) => series.points.map((point) => `${point.label} ${point.event} ${point.relation}`));

    expect(dots).toEqual([
      'litellm · gw image-built during',
      'open-webui · gw image-built before',
      'litellm · gw created during',
      'open-webui · gw created before',
      'litellm · gw started during',
    ]);
  });

  it('spans the x axis over every dot and the window', () => {
    const [window] = buildTimeline(deepReport());

    expect(window!.domain[0]).toBeLessThan(Date.parse('2026-03-01T08:00:00Z'));
    expect(window!.domain[1]).toBeGreaterThan(Date.parse(LITELLM_WINDOW.end));
  });

  it('ticks the x axis inside its range and at the start of the window', () => {
    const [window] = buildTimeline(deepReport());
    const [low, high] = window!.domain;

    expect(window!.ticks).toContain(Date.parse(LITELLM_WINDOW.start));
    expect(window!.ticks.every((tick) => tick >= low && tick <= high)).toBe(true);
    expect(window!.ticks).toEqual([...window!.ticks].sort((a, b) => a - b));
  });

  it('keeps the worst verdict of a container with several affected packages', () => {
    const report = deepReport();
    report.exposures = [exposure(SAMPLE.litellmContainer, 'not-exposed'), exposure(SAMPLE.litellmContainer, 'likely-exposed')];

    expect(buildTimeline(report)[0]!.rows[0]!.verdict).toBe('likely-exposed');
  });

  it('says so when the user changed the window the report used', () => {
    const report = deepReport();
    report.exposures = [exposure(SAMPLE.litellmContainer, 'exposed', { ...LITELLM_WINDOW, end: '2026-03-24T11:19:00Z' })];

    expect(buildTimeline(report)[0]!.source).toContain('Changed by the user to 2026-03-24T10:39:00Z – 2026-03-24T11:19:00Z');
  });
});
