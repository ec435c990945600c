/**
 * The CLI's questions to the user. A passphrase is asked only on an interactive terminal, with
 * echo off; without a terminal (cron, CI) the key is skipped, never waited on. Host keys are not
 * asked: the CLI refuses unknown ones unless --accept-new.
 */
import type { HostPrompts } from '../hosts/host-directory.js';

/** Prompts that read from the controlling terminal when there is one. */
export function terminalPrompts(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): HostPrompts {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    confirmHostKey: async () => false,
    askPassphrase: (question, signal) => {
      if (!input.isTTY) return Promise.resolve(null);
      // One question at a time: concurrent hosts must not interleave keystrokes.
      const answer = queue.then(() => readHidden(input, output, `Passphrase for ${question.keyPath} (${question.host}), empty to skip: `, signal));
      queue = answer.catch(() => undefined);
      return answer.then((text) => (text === '' ? null : text));
    },
  };
}

function readHidden(input: NodeJS.ReadStream, output: NodeJS.WriteStream, prompt: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    output.write(prompt);
    let typed = '';
    const finish = (value: string) => {
      input.setRawMode(false);
      input.pause();
      input.removeListener('data', onData);
      signal?.removeEventListener('abort', onAbort);
      output.write('\n');
      resolve(value);
    };
    const onAbort = () => finish('');
    const onData = (chunk: Buffer) => {
      for (const character of chunk.toString('utf8')) {
        if (character === '\r' || character === '\n') return finish(typed);
        if (character === '\u0003') return finish(''); // Ctrl-C skips the key; the scan's own handler stops the scan
        if (character === '\u007f' || character === '\b') typed = typed.slice(0, -1);
        else typed += character;
      }
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}
