import { describe, expect, it } from 'vitest';
import { compareVersions, isValidVersion, normalizeVersion, parseVersion, versionsEqual } from './pep440.js';

// The ordering example of PEP 440 ("Summary of permitted suffixes and relative ordering"),
// which packaging's own tests use, plus epochs.
const ORDERED = [
  '1.0.dev456',
  '1.0a1',
  '1.0a2.dev456',
  '1.0a12.dev456',
  '1.0a12',
  '1.0b1.dev456',
  '1.0b2',
  '1.0b2.post345.dev456',
  '1.0b2.post345',
  '1.0rc1.dev456',
  '1.0rc1',
  '1.0',
  '1.0+abc.5',
  '1.0+abc.7',
  '1.0+5',
  '1.0.post456.dev34',
  '1.0.post456',
  '1.0.15',
  '1.1.dev1',
  '2.0',
  '1!0.1',
];

describe('PEP 440 ordering', () => {
  it('sorts the PEP 440 example list (dev, pre, post, local, epoch) into its documented order', () => {
    const shuffled = [...ORDERED].reverse().sort((a, b) => a.length - b.length);

    const sorted = shuffled.sort(compareVersions);

    expect(sorted).toEqual(ORDERED);
  });

  it('orders each neighbouring pair of the example list strictly', () => {
    const pairs = ORDERED.slice(1).map((newer, index) => [ORDERED[index] as string, newer] as const);

    const orders = pairs.map(([older, newer]) => [Math.sign(compareVersions(older, newer)), Math.sign(compareVersions(newer, older))]);

    expect(orders).toEqual(pairs.map(() => [-1, 1]));
  });

  it('compares release segments numerically and at any length', () => {
    expect(compareVersions('1.82.10', '1.82.9')).toBeGreaterThan(0);
    expect(compareVersions('1.82.8', '1.83')).toBeLessThan(0);
    expect(compareVersions('2024.10.1.0.3', '2024.10.1')).toBeGreaterThan(0);
    expect(compareVersions('20240101123456789012', '20240101123456789011')).toBeGreaterThan(0);
  });

  it('treats trailing zero release segments as equal', () => {
    expect(versionsEqual('1.0', '1.0.0.0')).toBe(true);
    expect(versionsEqual('1.82.8', '1.82.8.0')).toBe(true);
  });

  it('puts a higher epoch after any version of a lower epoch', () => {
    expect(compareVersions('1!1.0', '2024.1')).toBeGreaterThan(0);
    expect(versionsEqual('0!1.0', '1.0')).toBe(true);
  });
});

describe('PEP 440 normalisation', () => {
  it('accepts the alternative spellings the specification allows and renders them canonically', () => {
    const spellings = ['1.0RC1', 'v1.0rc1', 'V1.0-rc.1', '1.0c1', '1.0pre1', '1.0preview1', ' 1.0rc1 '];

    const normalised = spellings.map(normalizeVersion);

    expect(normalised).toEqual(spellings.map(() => '1.0rc1'));
  });

  it('normalises post, dev, alpha/beta and local spellings', () => {
    expect(normalizeVersion('1.0-1')).toBe('1.0.post1');
    expect(normalizeVersion('1.0.rev2')).toBe('1.0.post2');
    expect(normalizeVersion('1.0-r')).toBe('1.0.post0');
    expect(normalizeVersion('1.0.DEV')).toBe('1.0.dev0');
    expect(normalizeVersion('1.0alpha1')).toBe('1.0a1');
    expect(normalizeVersion('1.0-beta-2')).toBe('1.0b2');
    expect(normalizeVersion('2!1.0-alpha.1-dev2+Ubuntu-1_0')).toBe('2!1.0a1.dev2+ubuntu.1.0');
    expect(normalizeVersion('01.002.0003')).toBe('1.2.3');
  });

  it('treats differently spelled equal versions as equal when comparing', () => {
    expect(versionsEqual('1.0RC1', '1.0rc1')).toBe(true);
    expect(versionsEqual('v1.82.8', '1.82.8')).toBe(true);
    expect(versionsEqual('1.0+ABC.01', '1.0+abc.1')).toBe(true);
  });

  it('sorts alphanumeric local segments before numeric ones and shorter labels first', () => {
    expect(compareVersions('1.0+abc', '1.0+1')).toBeLessThan(0);
    expect(compareVersions('1.0+abc', '1.0+abc.1')).toBeLessThan(0);
    expect(compareVersions('1.0+10', '1.0+9')).toBeGreaterThan(0);
  });
});

describe('invalid versions', () => {
  it('reports text that is not PEP 440 as invalid', () => {
    expect(parseVersion('latest')).toBeNull();
    expect(isValidVersion('1.0-foo')).toBe(false);
    expect(isValidVersion('')).toBe(false);
    expect(isValidVersion('1.0')).toBe(true);
  });

  it('falls back to comparing invalid versions as lower-cased strings instead of throwing', () => {
    expect(compareVersions('latest', 'LATEST')).toBe(0);
    expect(compareVersions('nightly', 'latest')).toBeGreaterThan(0);
    expect(compareVersions('1.0', 'latest')).toBeLessThan(0);
  });

  it('keeps an invalid version as written when asked to normalise it', () => {
    expect(normalizeVersion(' main-latest ')).toBe('main-latest');
  });
});
