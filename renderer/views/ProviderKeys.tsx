/** A provider node's evidence: its key console, the keys that authenticate to it, and each key's rotate steps with their links and commands. */
import { providerConsole, isProviderConsoleUrl } from '../../shared/domain/providers/index.js';
import { describeLocation, type ProviderNode } from '../../shared/present/index.js';
import { CopyButton } from '../components/CopyButton.js';
import { useProviderKeys } from '../store/hooks.js';

/** Lists the provider's keys (fingerprints only) and the plan's steps for each, in plan order. */
export function ProviderKeys({ node }: { node: ProviderNode }) {
  const keys = useProviderKeys();
  const console = providerConsole(node.data.provider);
  return (
    <section className="provider-keys" data-testid="evidence-provider-keys">
      <h3>Keys for {console?.name ?? node.label}</h3>
      {console && (
        <p className="small">
          {/* Opened in the system browser: the shell sends https window-opens to openExternal and denies the window. */}
          <a href={console.url} target="_blank" rel="noopener noreferrer" data-testid="provider-console-link">
            Open the {console.name} key console ↗
          </a>
          {console.hint && <span className="muted"> {console.hint}</span>}
        </p>
      )}
      {keys.length === 0 ? (
        <p className="muted small" data-testid="provider-no-keys">
          No key the scan found authenticates to this provider; gateways route to it.
        </p>
      ) : (
        keys.map(({ key, steps }) => (
          <article className="provider-key" key={key.id} data-testid={`provider-key-${key.data.fingerprint}`}>
            <h4>
              {key.label} <span className={`badge status-${key.status}`}>{key.status}</span>
            </h4>
            <p className="copy-row small">
              <code data-testid="provider-key-fingerprint">{key.data.fingerprint}</code>
              <CopyButton text={key.data.fingerprint} what="fingerprint" testId="copy-fingerprint" />
            </p>
            <ul className="evidence-lines">
              {key.data.locations.map((location, index) => (
                <li key={index} className="copy-row">
                  <span>{describeLocation(location)}</span>
                  {location.path && <CopyButton text={location.path} what="path" />}
                </li>
              ))}
            </ul>
            {steps.length === 0 ? (
              <p className="muted small">No step in the plan for this key.</p>
            ) : (
              <ol className="provider-key-steps" data-testid="provider-key-steps">
                {steps.map((step) => (
                  <li key={step.id} data-testid={`provider-step-${step.id}`} data-done={step.done ? 'true' : 'false'}>
                    <span className={step.done ? 'tag tag-running' : 'tag'}>{step.done ? 'done' : 'open'}</span> {step.title}
                    {step.link && isProviderConsoleUrl(step.link.url) && (
                      <>
                        {' '}
                        <a href={step.link.url} target="_blank" rel="noopener noreferrer" className="small">
                          Open {step.link.label} ↗
                        </a>
                      </>
                    )}
                    {step.command && (
                      <div className="copy-row">
                        <code className="small">{step.command}</code>
                        <CopyButton text={step.command} what="command" testId="copy-command" />
                      </div>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </article>
        ))
      )}
    </section>
  );
}
