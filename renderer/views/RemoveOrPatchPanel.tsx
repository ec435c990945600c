/**
 * Remove or patch, decided with evidence: a gateway's consumers (each with its way around it), the
 * keys it holds, its backends, the prompts it sees and its exposure, and the owner's decision with
 * its reason, which the plan follows and the case keeps.
 */
import { useState } from 'react';
import type { ComponentDecisionKind } from '../../shared/case/index.js';
import type { AiComponent, ComponentVerdict } from '../../shared/present/index.js';
import { useCommands } from '../app/commands-context.js';
import { useAiComponent, useIsDecisionSaving } from '../store/hooks.js';

const VERDICT_TEXT: Record<ComponentVerdict, string> = {
  exposed: 'Exposed',
  'likely-exposed': 'Likely exposed',
  unknown: 'Exposure unknown: assume exposed',
  'not-exposed': 'Not exposed',
  'not-judged': 'Not judged: no advisory covers anything in it',
};

const DECISION_TEXT: Record<ComponentDecisionKind, string> = {
  remove: 'Remove: move its consumers, tear it down',
  patch: 'Patch: upgrade to a fixed release, re-deploy pinned by digest, then rotate',
};

/** The panel of one gateway finding; renders nothing when the component is not in the report. */
export function RemoveOrPatchPanel({ componentId }: { componentId: string }) {
  const component = useAiComponent(componentId);
  if (!component) return null;
  return (
    <section className="remove-or-patch" data-testid={`remove-or-patch-${component.id}`}>
      <h3>Remove or patch</h3>
      <p className="small" data-testid="rop-prompts">
        {component.prompts}
      </p>
      <p className="small">
        <span className={`badge verdict-${component.verdict === 'not-judged' ? 'unknown' : component.verdict}`} data-testid="rop-verdict" data-verdict={component.verdict}>
          {VERDICT_TEXT[component.verdict]}
        </span>
      </p>
      <ul className="evidence-lines" data-testid="rop-verdict-reasons">
        {component.verdictReasons.map((reason, index) => (
          <li key={index}>{reason}</li>
        ))}
      </ul>
      <ConsumerList component={component} />
      <h4>Keys it holds ({component.keys.length})</h4>
      <ul className="evidence-lines" data-testid="rop-keys">
        {component.keys.length === 0 && <li className="muted">None fingerprinted: its environment and config still count.</li>}
        {component.keys.map((key) => (
          <li key={key.findingId} data-testid="rop-key">
            {key.provider} <code>{key.fingerprint}</code>
            {key.where.length > 0 && <span className="muted"> · {key.where.join(', ')}</span>}
          </li>
        ))}
      </ul>
      <h4>Backends ({component.backends.length})</h4>
      <ul className="evidence-lines" data-testid="rop-backends">
        {component.backends.map((backend) => (
          <li key={backend} data-testid="rop-backend">
            <code>{backend}</code>
            {component.models.some((model) => model.backend === backend) && (
              <span className="muted">
                {' '}
                · {component.models.filter((model) => model.backend === backend).map((model) => model.name).join(', ')}
              </span>
            )}
          </li>
        ))}
      </ul>
      <DecisionForm component={component} />
    </section>
  );
}

function ConsumerList({ component }: { component: AiComponent }) {
  return (
    <>
      <h4>Consumers ({component.consumers.length}): could I delete it and route around it?</h4>
      <ul className="evidence-lines" data-testid="rop-consumers">
        {component.consumers.length === 0 && <li className="muted">The scan identified none: look in its access logs and your services' base URLs.</li>}
        {component.consumers.map((consumer) => (
          <li key={consumer.findingId} data-testid={`rop-consumer-${consumer.name}`} data-route-around={consumer.routeAround}>
            <strong>{consumer.name}</strong>
            {consumer.host !== consumer.name && <span className="muted"> on {consumer.host}</span>} <span className="muted">({consumer.via})</span>
            <p className="small" data-testid="rop-route-around">
              {consumer.answer}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}

function DecisionForm({ component }: { component: AiComponent }) {
  const commands = useCommands();
  const saving = useIsDecisionSaving(component.id);
  const [reason, setReason] = useState(component.decision?.reason ?? '');
  const decide = (decision: ComponentDecisionKind | null) => void commands.setDecision(component.id, decision, decision ? reason : '');
  return (
    <div className="decision" data-testid="rop-decision">
      {component.decision ? (
        <p className="small" data-testid="rop-recorded" data-decision={component.decision.decision}>
          Decided: <strong>{DECISION_TEXT[component.decision.decision]}</strong>
          {component.decision.reason && <> — “{component.decision.reason}”</>} <span className="muted">({component.decision.decidedAt})</span>
        </p>
      ) : (
        <p className="small muted" data-testid="rop-undecided">
          Not decided yet: the plan tears it down. "Used by everything" is a reason to remove.
        </p>
      )}
      <label className="small" htmlFor={`rop-reason-${component.id}`}>
        Reason
      </label>
      <textarea
        id={`rop-reason-${component.id}`}
        className="step-note"
        data-testid="rop-reason"
        maxLength={2000}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
      />
      <div className="badge-row">
        <button type="button" className="button small-button" data-testid="rop-remove" disabled={saving} onClick={() => decide('remove')}>
          Remove
        </button>
        <button type="button" className="button small-button" data-testid="rop-patch" disabled={saving} onClick={() => decide('patch')}>
          Patch
        </button>
        {component.decision && (
          <button type="button" className="link-button small" data-testid="rop-clear" disabled={saving} onClick={() => decide(null)}>
            Clear
          </button>
        )}
      </div>
    </div>
  );
}
