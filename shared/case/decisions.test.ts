import { describe, expect, it } from 'vitest';
import { LAB_FINDING_IDS, sampleLabReport } from '../fixtures/sample-report.js';
import { decisionsByPlace } from './decisions.js';

describe('decisions given by place', () => {
  it('keys a decision by the gateway finding its host and container name', () => {
    const { decisions, unmatched } = decisionsByPlace(sampleLabReport().findings, [{ place: 'gw/litellm', decision: 'patch' }], '2026-03-27T09:00:00.000Z', 'from the CLI');

    expect(decisions).toEqual({ [LAB_FINDING_IDS.gateway]: { decision: 'patch', reason: 'from the CLI', decidedAt: '2026-03-27T09:00:00.000Z' } });
    expect(unmatched).toEqual([]);
  });

  it('returns the places that name no gateway, deciding nothing for them', () => {
    const { decisions, unmatched } = decisionsByPlace(sampleLabReport().findings, [{ place: 'gw/open-webui', decision: 'remove' }, { place: 'ollama/litellm', decision: 'remove' }], '2026-03-27T09:00:00.000Z', '');

    expect(decisions).toEqual({});
    expect(unmatched).toEqual(['gw/open-webui', 'ollama/litellm']);
  });
});
