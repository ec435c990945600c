/** Turns whatever a failed call threw into one readable sentence for the error banner. */

/** The message of a failed call, without Electron's "Error invoking remote method" wrapper. */
export function errorMessage(error: unknown, action?: string): string {
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : 'Unknown error';
  const message = raw.replace(/^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/, '').trim() || 'Unknown error';
  return action ? `${action}: ${message}` : message;
}
