/** A scripted BlastRadiusApi for unit tests: answers from a handler table and lets the test push events. */
import { createApi, type BlastRadiusApi, type Channel, type Pushes, type PushChannel, type RequestOf, type ResponseOf } from '../../shared/ipc/index.js';

/** Handlers the test provides; a missing one rejects like an unknown channel would. */
export type FakeHandlers = { [C in Channel]?: (request: RequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>> };

/** The fake API, the calls it received, and a way to push. */
export interface FakeApi {
  api: BlastRadiusApi;
  calls: { channel: Channel; request: unknown }[];
  push<P extends PushChannel>(channel: P, payload: Pushes[P]): void;
  listenerCount(channel: PushChannel): number;
}

/** Creates a fake API over `handlers`. */
export function createFakeApi(handlers: FakeHandlers): FakeApi {
  const calls: FakeApi['calls'] = [];
  const listeners = new Map<PushChannel, Set<(payload: never) => void>>();
  const api = createApi(
    (async (channel: Channel, request: unknown) => {
      calls.push({ channel, request });
      const handler = handlers[channel] as ((request: unknown) => unknown) | undefined;
      if (!handler) throw new Error(`no handler for ${channel}`);
      return handler(request);
    }) as Parameters<typeof createApi>[0],
    (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
  );
  return {
    api,
    calls,
    push(channel, payload) {
      for (const listener of listeners.get(channel) ?? []) (listener as (payload: Pushes[typeof channel]) => void)(payload);
    },
    listenerCount: (channel) => listeners.get(channel)?.size ?? 0,
  };
}
