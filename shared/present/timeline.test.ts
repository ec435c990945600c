import { describe, expect, it } from 'vitest';
import { SAMPLE } from '../fixtures/sample-report.js';
import { LITELLM_WINDOW, deepReport, exposure } from '../fixtures/deep-report.js';
import { buildTimeline, timeAxis } from './timeline.js';

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

describe('timeAxis', () => {
  const at = (iso: string) => Date.parse(iso);

  it('ticks whole hours, reading the time, when the range is under three days', () => {
    const anchor = at('2026-03-24T10:39:00Z');
    const { ticks, tickLabels } = timeAxis([at('2026-03-24T08:00:00Z'), at('2026-03-24T18:30:00Z')], anchor);

    expect(ticks).toContain(anchor);
    expect(tickLabels[0]).toBe('Mar 24 08:00');
    expect(tickLabels).toContain('10:39');
    expect(tickLabels.slice(1).every((label) => /^\d\d:\d\d$/.test(label))).toBe(true);
    expect(ticks.filter((tick) => tick !== anchor).every((tick) => tick % (60 * 60 * 1000) === 0)).toBe(true);
    expect(new Set(tickLabels).size).toBe(tickLabels.length);
  });

  it('names the day again where an hourly axis crosses midnight', () => {
    const { tickLabels } = timeAxis([at('2026-03-24T18:00:00Z'), at('2026-03-25T09:00:00Z')], at('2026-03-24T19:00:00Z'));

    expect(tickLabels.some((label) => label.startsWith('Mar 25 '))).toBe(true);
    expect(new Set(tickLabels).size).toBe(tickLabels.length);
  });

  it('ticks whole days, never two alike, over weeks, and adds the year past four months', () => {
    const weeks = timeAxis([at('2026-03-01T08:00:00Z'), at('2026-03-25T00:00:00Z')], at('2026-03-24T10:39:00Z'));
    const year = timeAxis([at('2025-06-01T00:00:00Z'), at('2026-03-25T00:00:00Z')], at('2026-03-24T10:39:00Z'));

    expect(weeks.ticks.length).toBeLessThanOrEqual(9);
    expect(new Set(weeks.tickLabels).size).toBe(weeks.tickLabels.length);
    expect(weeks.tickLabels).toContain('Mar 24');
    expect(year.tickLabels.every((label) => /^[A-Z][a-z]{2} \d{1,2} 20\d\d$/.test(label))).toBe(true);
    expect(new Set(year.tickLabels).size).toBe(year.tickLabels.length);
  });
});

