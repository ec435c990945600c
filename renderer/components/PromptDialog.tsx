/** The backend's questions mid-scan: trust an unknown host key, or unlock an encrypted key. */
import { useState, type FormEvent } from 'react';
import { useCommands } from '../app/commands-context.js';
import { useCurrentPrompt } from '../store/hooks.js';
import type { PendingPrompt } from '../store/ui-slice.js';
import { ModalDialog } from './ModalDialog.js';

/** Shows the oldest pending prompt, if any, as a native modal dialog: Escape rejects a host key or skips a key's passphrase. */
export function PromptDialog() {
  const prompt = useCurrentPrompt();
  if (!prompt) return null;
  // Keyed by prompt so a passphrase typed for one key never carries over to the next.
  return prompt.kind === 'host-key' ? <HostKeyDialog key={prompt.promptId} prompt={prompt} /> : <PassphraseDialog key={prompt.promptId} prompt={prompt} />;
}

function HostKeyDialog({ prompt }: { prompt: Extract<PendingPrompt, { kind: 'host-key' }> }) {
  const commands = useCommands();
  const reject = () => void commands.answerHostKey(prompt.promptId, false);
  return (
    <ModalDialog labelledBy="hostkey-title" testId="hostkey-dialog" onCancel={reject}>
      <h2 id="hostkey-title">Unknown host key</h2>
      <p>
        <strong data-testid="hostkey-host">{prompt.host}</strong> <span className="muted">({prompt.address})</span> is not in your
        known_hosts. Compare the fingerprint with the one the host shows (<code>ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub</code>)
        before you accept it.
      </p>
      <dl className="facts">
        <dt>Key type</dt>
        <dd data-testid="hostkey-type">{prompt.keyType}</dd>
        <dt>Fingerprint</dt>
        <dd>
          <code data-testid="hostkey-fingerprint">{prompt.fingerprint}</code>
        </dd>
      </dl>
      <div className="dialog-actions">
        <button type="button" className="button" data-testid="hostkey-reject" onClick={reject}>
          Reject
        </button>
        <button type="button" className="button primary" data-testid="hostkey-accept" onClick={() => void commands.answerHostKey(prompt.promptId, true)}>
          Accept and connect
        </button>
      </div>
    </ModalDialog>
  );
}

function PassphraseDialog({ prompt }: { prompt: Extract<PendingPrompt, { kind: 'passphrase' }> }) {
  const commands = useCommands();
  // Local to this dialog only: it never enters the store and is cleared as it is sent.
  const [passphrase, setPassphrase] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = passphrase;
    setPassphrase('');
    void commands.answerPassphrase(prompt.promptId, value);
  };
  const skip = () => {
    setPassphrase('');
    void commands.answerPassphrase(prompt.promptId, null);
  };
  return (
    <ModalDialog labelledBy="passphrase-title" testId="passphrase-dialog" onCancel={skip}>
      <form className="dialog-form" onSubmit={submit}>
        <h2 id="passphrase-title">Passphrase needed</h2>
        <p>
          The key <code data-testid="passphrase-key">{prompt.keyPath}</code> for <strong data-testid="passphrase-host">{prompt.host}</strong> is
          encrypted. The passphrase is used for this connection only and is not saved.
        </p>
        <label className="field">
          <span>Passphrase</span>
          <input
            type="password"
            autoComplete="off"
            autoFocus
            data-testid="passphrase-input"
            value={passphrase}
            onChange={(event) => setPassphrase(event.target.value)}
          />
        </label>
        <div className="dialog-actions">
          <button type="button" className="button" data-testid="passphrase-skip" onClick={skip}>
            Skip this key
          </button>
          <button type="submit" className="button primary" data-testid="passphrase-submit">
            Unlock
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
