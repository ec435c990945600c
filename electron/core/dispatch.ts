/**
 * Validates and routes a request from any transport (Electron IPC or the browser host's
 * WebSocket) to its handler. Every request is checked against the contract's zod schema first.
 */
import { requestSchemas, type Channel, type RequestOf, type ResponseOf } from '../../shared/ipc/contract.js';

/** One handler per channel. */
export type Handlers = { [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };

/** A request that names no channel or does not match its schema. */
export class BadRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadRequestError';
  }
}

/** True when `channel` is one the contract defines. */
export function isChannel(channel: unknown): channel is Channel {
  return typeof channel === 'string' && Object.hasOwn(requestSchemas, channel);
}

/** Validates `request` for `channel` and calls its handler. */
export async function dispatch(handlers: Handlers, channel: unknown, request: unknown): Promise<unknown> {
  if (!isChannel(channel)) throw new BadRequestError(`unknown channel ${JSON.stringify(channel)}`);
  const parsed = requestSchemas[channel].safeParse(request);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadRequestError(`invalid ${channel} request: ${issue?.path.join('.') || 'request'}: ${issue?.message}`);
  }
  const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
  return handler(parsed.data);
}
