import { describe, expect, test } from 'vitest';
import { Semaphore } from './semaphore.js';

describe('Semaphore', () => {
  test('hands out at most its limit, then serves waiters in arrival order', async () => {
    const slots = new Semaphore(2);
    const order: string[] = [];
    const a = await slots.acquire();
    await slots.acquire();
    const c = slots.acquire().then((release) => (order.push('c'), release));
    const d = slots.acquire().then((release) => (order.push('d'), release));
    expect(slots.inUse).toBe(2);

    a();
    a(); // idempotent: a second release frees nothing more
    await c;
    expect(order).toEqual(['c']);
    expect(slots.inUse).toBe(2);
    (await c)();
    await d;
    expect(order).toEqual(['c', 'd']);
  });

  test('a lowered limit holds new permits back until fewer than it are held', async () => {
    const slots = new Semaphore(3);
    const held = await Promise.all([slots.acquire(), slots.acquire(), slots.acquire()]);
    slots.lower(1);
    let granted = false;
    const next = slots.acquire().then((release) => ((granted = true), release));

    held[0]!();
    held[1]!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(granted).toBe(false);
    held[2]!();
    await next;
    expect(granted).toBe(true);
    expect(slots.limit).toBe(1);
  });

  test('never lowers below one nor raises the limit', () => {
    const slots = new Semaphore(2);
    slots.lower(0);
    expect(slots.limit).toBe(1);
    slots.lower(5);
    expect(slots.limit).toBe(1);
  });

  test('a waiter whose signal aborts leaves the queue without taking a permit', async () => {
    const slots = new Semaphore(1);
    const release = await slots.acquire();
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    release();
    expect(slots.inUse).toBe(0);
  });
});
