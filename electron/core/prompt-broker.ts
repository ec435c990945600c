/**
 * Questions the main process must ask the user mid-scan (accept an unknown host key, unlock an
 * encrypted key): each becomes a push with a prompt id, and waits for the matching answer.
 * Unanswered prompts are refused when the scan is cancelled, so no connection hangs forever.
 */
import { randomUUID } from 'node:crypto';
import type { Pushes } from '../../shared/ipc/contract.js';

type Emit = <P extends 'prompt:host-key' | 'prompt:passphrase'>(channel: P, payload: Pushes[P]) => void;

/** Tracks open prompts and routes answers back to the code that asked. */
export class PromptBroker {
  private readonly pending = new Map<string, (answer: boolean | string | null) => void>();

  constructor(private readonly emit: Emit) {}

  /** Asks whether to trust an unknown host key; resolves false when refused or abandoned. */
  confirmHostKey(question: Omit<Pushes['prompt:host-key'], 'promptId'>, signal?: AbortSignal): Promise<boolean> {
    return this.ask((promptId) => this.emit('prompt:host-key', { promptId, ...question }), signal, false).then(
      (answer) => answer === true,
    );
  }

  /** Asks for a key's passphrase; resolves null when the user skips the key. The value is never kept. */
  askPassphrase(question: Omit<Pushes['prompt:passphrase'], 'promptId'>, signal?: AbortSignal): Promise<string | null> {
    return this.ask((promptId) => this.emit('prompt:passphrase', { promptId, ...question }), signal, null).then(
      (answer) => (typeof answer === 'string' ? answer : null),
    );
  }

  /** Delivers an answer; false when no such prompt is open (already answered, or never asked). */
  answer(promptId: string, answer: boolean | string | null): boolean {
    const resolve = this.pending.get(promptId);
    if (!resolve) return false;
    this.pending.delete(promptId);
    resolve(answer);
    return true;
  }

  private ask(
    send: (promptId: string) => void,
    signal: AbortSignal | undefined,
    refusal: boolean | null,
  ): Promise<boolean | string | null> {
    if (signal?.aborted) return Promise.resolve(refusal);
    const promptId = randomUUID();
    return new Promise((resolve) => {
      const onAbort = () => this.answer(promptId, refusal);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(promptId, (answer) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(answer);
      });
      send(promptId);
    });
  }
}
