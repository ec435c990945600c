/** Checklist: the plan the findings call for, phase by phase, what each step waits for, with ticks and notes the backend keeps. */
import { memo, useEffect, useRef, useState } from 'react';
import {
  TEARDOWN_PIECE_LABELS,
  goneCheckHosts,
  type ChecklistStep,
  type ChecklistStepWithProgress,
  type GoneCheck,
  type TeardownPieceOutcome,
  type TeardownPieceState,
} from '../../shared/checklist/index.js';
import type { SecretLocation } from '../../shared/model/index.js';
import { isProviderConsoleUrl } from '../../shared/domain/providers/index.js';
import { useCommands } from '../app/commands-context.js';
import { formatTime } from '../app/format.js';
import { CopyButton } from '../components/CopyButton.js';
import { EmptyState } from '../components/EmptyState.js';
import { RescanButton } from '../components/RescanButton.js';
import { useChecklistPhases, useChecklistSummary, useIsStepSaving, useOrphanedProgress, useReport, useStepLabels } from '../store/hooks.js';
import { ChecklistChart } from './ChecklistChart.js';
import { RevocationCheck } from './RevocationCheck.js';

/** The checklist view. */
export function ChecklistView() {
  const report = useReport();
  const phases = useChecklistPhases();
  const summary = useChecklistSummary();
  return (
    <section className="view" data-testid="view-checklist">
      <header className="view-header">
        <h1>Checklist</h1>
        <p className="muted">
          What to do about the findings, phase by phase: contain, eradicate, rotate, verify, recover, harden. A step that waits for
          others says so; you can still tick it. Ticks and notes are saved as you go.
        </p>
      </header>
      {!report ? (
        <EmptyState testId="checklist-empty" title="No scan yet" text="The checklist is generated from a scan's findings." />
      ) : phases.length === 0 ? (
        <EmptyState testId="checklist-empty" title="Nothing to do" text="The last scan found nothing that needs a step." />
      ) : (
        <>
          <div className="card checklist-overview">
            <div className="checklist-total" data-testid="checklist-summary">
              <span className="big-number">{summary.done}</span>
              <span className="muted">of {summary.total} steps done</span>
            </div>
            <ChecklistChart />
          </div>
          {phases.map(({ phase, title, steps }) => (
            <section className="card checklist-group" key={phase} data-testid={`checklist-phase-${phase}`}>
              <h2>
                {title}
                <span className="muted small group-count" data-testid={`checklist-phase-count-${phase}`}>
                  {steps.filter((step) => step.done).length} / {steps.length}
                </span>
              </h2>
              <ol className="steps">
                {steps.map((step) => (
                  <StepRow key={step.id} step={step} />
                ))}
              </ol>
            </section>
          ))}
        </>
      )}
      <OrphanedProgressList />
    </section>
  );
}

/** The hosts a re-scan must read to confirm a step: every host its gone check names, else the step's own host. */
function stepRescanHosts(step: ChecklistStep): string[] {
  return step.gone ? goneCheckHosts(step.gone) : step.host ? [step.host] : [];
}

/** The hosts a gone step must be read on again before it counts as verified; kept with the tick. */
function watchedHostsOf(gone: GoneCheck): string[] {
  return goneCheckHosts(gone);
}

/** One checklist step: tick, title (numbered within its phase by CSS), what it waits for, detail, and the extras some steps have (choice, link, locations, re-scan outcome). */
export const StepRow = memo(function StepRow({ step }: { step: ChecklistStepWithProgress }) {
  const commands = useCommands();
  const saving = useIsStepSaving(step.id);
  const { progress, done } = step;
  const savedNote = progress?.note ?? '';
  const [note, setNote] = useState(savedNote);
  const editing = useRef(false);

  // Follow the saved note (another window, or the save's answer) unless the user is typing.
  useEffect(() => {
    if (!editing.current) setNote(savedNote);
  }, [savedNote]);

  const checkId = `step-check-${step.id}`;
  return (
    <li className={done ? 'step done' : step.blocked ? 'step blocked' : 'step'} data-testid={`step-row-${step.id}`} aria-busy={saving}>
      <input
        type="checkbox"
        id={checkId}
        className="step-check"
        data-testid={checkId}
        checked={done}
        onChange={(event) =>
          void commands.setStep(step.id, event.target.checked, note, step.gone && event.target.checked ? { watchedHosts: watchedHostsOf(step.gone) } : undefined)
        }
      />
      <div className="step-body">
        <label htmlFor={checkId} className="step-title">
          {step.title}
        </label>
        {step.blocked && <WaitsFor step={step} />}
        <p className="step-detail">{step.detail}</p>
        <p className="step-meta muted small">
          {step.host && <span className="tag">{step.host}</span>}
          {step.container && <span className="tag">container {step.container}</span>}
          {progress?.done && progress.doneAt && (
            <span className="done-at" data-testid={`step-done-at-${step.id}`}>
              Done {formatTime(progress.doneAt)}
            </span>
          )}
          {step.verification && (
            <span className="verification" data-testid={`step-verification-${step.id}`}>
              {step.verification === 'rescan' ? 'A re-scan confirms it' : 'Only you can confirm it'}
            </span>
          )}
          {step.verification === 'rescan' && <RescanButton hosts={stepRescanHosts(step)} testId={`step-rescan-${step.id}`} />}
        </p>
        {step.link && isProviderConsoleUrl(step.link.url) && (
          <p className="step-link small">
            {/* Opened in the system browser: the shell sends https window-opens to openExternal and denies the window. */}
            <a href={step.link.url} target="_blank" rel="noopener noreferrer" data-testid={`step-link-${step.id}`}>
              Open {step.link.label} ↗
            </a>
          </p>
        )}
        {step.locations && step.locations.length > 0 && <LocationList stepId={step.id} locations={step.locations} />}
        {step.removedLocations && step.removedLocations.length > 0 && <RemovedLocationList step={step} />}
        {step.choices && step.choices.length > 0 && (
          <ChoicePicker step={step} onPick={(choice) => void commands.setStep(step.id, done, note, { choice })} />
        )}
        {step.command && <CommandLine stepId={step.id} command={step.command} />}
        {step.stillFound && (
          <p className="step-warning small" data-testid={`step-still-found-${step.id}`}>
            Ticked, but the latest scan (after the tick) still finds what this step removes.
          </p>
        )}
        {step.teardown && step.teardown.length > 0 && <TeardownPieceList step={step} outcomes={step.teardown} />}
        {step.routeAround && <RouteAroundText step={step} />}
        {step.gone && <GoneOutcome step={step} />}
        {!step.gone && step.kept && <KeptOutcome step={step} />}
        {step.key?.role === 'rotate' && <RevocationCheck step={step} />}
        <textarea
          className="step-note"
          data-testid={`step-note-${step.id}`}
          placeholder="Note (saved when you leave the field)"
          rows={1}
          value={note}
          onFocus={() => {
            editing.current = true;
          }}
          onChange={(event) => setNote(event.target.value)}
          onBlur={() => {
            editing.current = false;
            if (note !== savedNote) void commands.setStep(step.id, done, note);
          }}
        />
      </div>
    </li>
  );
});

/**
 * What a blocked step waits for, by the steps' numbers and titles. Ticking it anyway is allowed
 * (the owner may know what the scan cannot); a ticked blocked step says it was done out of order.
 */
function WaitsFor({ step }: { step: ChecklistStepWithProgress }) {
  const labels = useStepLabels();
  const names = step.waitsFor.map((id) => labels.get(id) ?? id);
  return (
    <p className={step.done ? 'step-warning small' : 'step-blocked small'} data-testid={`step-waits-for-${step.id}`}>
      {step.done ? 'Ticked before what it waits for: ' : 'Waits for: '}
      {names.join('; ')}.{step.blockedReason ? ` ${step.blockedReason}` : ''}
    </p>
  );
}

/** Places the old key was that another step deletes: named with that step, so the new key does not go there. */
function RemovedLocationList({ step }: { step: ChecklistStepWithProgress }) {
  const labels = useStepLabels();
  return (
    <ul className="step-locations step-removed small" data-testid={`step-removed-locations-${step.id}`}>
      {step.removedLocations!.map(({ location, stepId }, index) => (
        <li key={index} data-testid="step-removed-location">
          <span className="tag">{location.host}</span>
          <span className="tag">{location.container === null ? 'host' : `container ${location.container}`}</span>
          {location.path && <code>{location.path}</code>}
          {location.variable && <code>{location.variable}</code>}
          <span className="muted">removed by {labels.get(stepId) ?? stepId}: do not put the new key here</span>
        </li>
      ))}
    </ul>
  );
}

/** Every place a key was seen: host, container or host itself, source, path and variable (never a value). */
function LocationList({ stepId, locations }: { stepId: string; locations: readonly SecretLocation[] }) {
  return (
    <ul className="step-locations small" data-testid={`step-locations-${stepId}`}>
      {locations.map((location, index) => (
        <li key={index} data-testid="step-location">
          <span className="tag">{location.host}</span>
          <span className="tag">{location.container === null ? 'host' : `container ${location.container}`}</span>
          <span className="muted">{location.source}</span>
          {location.path && <code>{location.path}</code>}
          {location.variable && <code>{location.variable}</code>}
        </li>
      ))}
    </ul>
  );
}

/** How each state of a teardown piece reads. */
const PIECE_STATE_TEXT: Readonly<Record<TeardownPieceState, string>> = { gone: 'gone', present: 'still there', 'not-read': 'not read' };

/** Each piece of a gateway's teardown with its state in the scan that judges the step, and where it remains or what was not read. */
function TeardownPieceList({ step, outcomes }: { step: ChecklistStepWithProgress; outcomes: readonly TeardownPieceOutcome[] }) {
  return (
    <ul className="step-locations step-teardown small" data-testid={`step-teardown-${step.id}`}>
      {outcomes.map(({ piece, state, reason }, index) => (
        <li key={index} data-testid="step-teardown-piece" data-state={state}>
          <span className={`tag piece-${state}`}>{PIECE_STATE_TEXT[state]}</span>
          <span className="muted">{TEARDOWN_PIECE_LABELS[piece.kind]}</span>
          <code>{piece.name}</code>
          <span className="tag">{piece.host}</span>
          {piece.path !== undefined && piece.path !== piece.name && <code>{piece.path}</code>}
          {reason && <span className="muted">{reason}</span>}
        </li>
      ))}
    </ul>
  );
}

/** Where a consumer moves to; the pick is saved with the step's progress like a tick. */
function ChoicePicker({ step, onPick }: { step: ChecklistStepWithProgress; onPick(choice: string): void }) {
  const picked = step.progress?.choice ?? '';
  const selected = step.choices?.find((choice) => choice.value === picked);
  const id = `step-choice-${step.id}`;
  return (
    <div className="step-choice">
      <label htmlFor={id} className="small">
        Move it to
      </label>{' '}
      <select id={id} data-testid={id} value={picked} onChange={(event) => onPick(event.target.value)}>
        <option value="">Not decided yet</option>
        {step.choices?.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
      {selected && <p className="muted small step-choice-detail">{selected.detail}</p>}
      {selected?.route?.tunnel && (
        <div className="step-tunnel-unit" data-testid={`step-tunnel-unit-${step.id}`}>
          <p className="small">
            Save as <code>/etc/systemd/system/{selected.route.tunnel.unitName}</code> on {step.host}, then run{' '}
            <code>systemctl daemon-reload && systemctl enable --now {selected.route.tunnel.unitName}</code>
            {selected.route.url && (
              <>
                {' '}
                and point it at <code>{selected.route.url}</code>
              </>
            )}
            .
          </p>
          <CopyBlock testId={`step-tunnel-unit-text-${step.id}`} text={selected.route.tunnel.unitText} />
        </div>
      )}
    </div>
  );
}

/** A block of text to copy as is (a unit file). */
function CopyBlock({ testId, text }: { testId: string; text: string }) {
  return (
    <div className="step-command">
      <pre data-testid={testId}>{text}</pre>
      <CopyButton text={text} what="unit file" />
    </div>
  );
}

/** What the scan after the tick says about a consumer's move to its picked target. */
function RouteAroundText({ step }: { step: ChecklistStepWithProgress }) {
  const outcome = step.routeAround!;
  const consumer = step.gone?.kind === 'consumer' ? step.gone.consumer : step.title;
  const picked = step.choices?.find((choice) => choice.value === step.progress?.choice);
  return outcome.pointsAtTarget ? (
    <p className="step-verified small" data-testid={`step-route-around-${step.id}`}>
      Verified: {picked?.route?.kind === 'provider-sdk' ? outcome.evidence.join(' ') : `${consumer} now points at ${outcome.evidence.join('; ')}`}
    </p>
  ) : (
    <p className="step-warning small" data-testid={`step-route-around-${step.id}`}>
      Not verified: {consumer} is not pointing at the chosen target {outcome.target}: {outcome.evidence.join('; ')}
    </p>
  );
}

/** The scan that showed a kept step's subject gone, in words: which scan, which hosts it read. */
function evidenceText(step: ChecklistStepWithProgress): string {
  const evidence = step.doneByEvidence!;
  const at = formatTime(evidence.scannedAt);
  const check = step.kept?.check;
  if (check?.kind === 'teardown') {
    return `every piece of ${check.gateway}'s teardown is gone: the scan of ${at} read ${evidence.hosts.join(', ')}.`;
  }
  if (check?.kind === 'consumer') {
    return `${check.consumer} no longer points at ${check.gateway}: the scan of ${at} read ${evidence.hosts.join(', ')} and found no way from it to the gateway.`;
  }
  return `not found on any host in the scan of ${at} (read ${evidence.hosts.join(', ')}).`;
}

/** Hosts the latest scan did not read, which keep a step from counting as verified. */
function NotRead({ step, after }: { step: ChecklistStepWithProgress; after: string }) {
  return (
    <p className="step-warning small" data-testid={`step-not-scanned-${step.id}`}>
      Not verified: {step.notScanned.join(', ')} could not be read by the scan {after}, so it may still be there.
    </p>
  );
}

/** A rotate or replace step of something the latest findings no longer name: done by evidence, blocked by a host not read, or waiting. */
function KeptOutcome({ step }: { step: ChecklistStepWithProgress }) {
  if (step.doneByEvidence) {
    return (
      <p className="step-verified small" data-testid={`step-evidence-${step.id}`}>
        Done by evidence: {evidenceText(step)}
      </p>
    );
  }
  if (step.notScanned.length > 0) return <NotRead step={step} after="after it was last seen" />;
  return (
    <p className="muted small" data-testid={`step-kept-${step.id}`}>
      No longer in the latest findings; kept from an earlier scan. Re-scan its hosts to confirm it is gone.
    </p>
  );
}

/** What the scans say about a step verified by absence: verified, not yet re-scanned, or blocked by a host not read. */
function GoneOutcome({ step }: { step: ChecklistStepWithProgress }) {
  if (step.doneByEvidence) {
    return (
      <p className="step-verified small" data-testid={`step-verified-${step.id}`}>
        Verified by re-scan: {evidenceText(step)}
      </p>
    );
  }
  if (step.kept && !step.verified && (!step.progress?.done || step.notScanned.length > 0)) return <KeptOutcome step={step} />;
  if (!step.done) return null;
  if (step.verified) {
    return (
      <p className="step-verified small" data-testid={`step-verified-${step.id}`}>
        Verified: a scan after the tick read every host it was on and found it nowhere.
      </p>
    );
  }
  if (step.notScanned.length > 0) {
    return (
      <p className="step-warning small" data-testid={`step-not-scanned-${step.id}`}>
        Not verified: {step.notScanned.join(', ')} could not be read by the scan after the tick, so it may still be there.
      </p>
    );
  }
  if (step.stillFound || step.routeAround) return null;
  return (
    <p className="muted small" data-testid={`step-awaiting-rescan-${step.id}`}>
      Re-scan to verify.
    </p>
  );
}

function CommandLine({ stepId, command }: { stepId: string; command: string }) {
  return (
    <div className="step-command">
      <code data-testid={`step-command-${stepId}`}>{command}</code>
      <CopyButton text={command} what="command" testId={`step-copy-${stepId}`} />
    </div>
  );
}

function OrphanedProgressList() {
  const orphans = useOrphanedProgress();
  if (orphans.length === 0) return null;
  return (
    <section className="card orphans" data-testid="checklist-orphans">
      <h2>From an earlier scan</h2>
      <p className="muted small">Progress recorded for steps the latest scan no longer calls for. It is kept, not lost.</p>
      <ul>
        {orphans.map(({ stepId, progress }) => (
          <li key={stepId} data-testid={`orphan-row-${stepId}`}>
            <span className={progress.done ? 'tag tag-running' : 'tag'}>{progress.done ? 'done' : 'open'}</span>
            <code className="small">{stepId}</code>
            {progress.note && <span className="orphan-note">{progress.note}</span>}
            <span className="muted small">{formatTime(progress.updatedAt)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
