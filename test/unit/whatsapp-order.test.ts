// The order a WhatsApp line handles messages in.
import { describe, expect, it } from 'vitest';
import { InboundOrder } from '../../src/bot/whatsapp/inbound-order.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('inbound order', () => {
  it('handles one chat’s messages one after another, chats side by side', async () => {
    const order = new InboundOrder(() => undefined);
    const done: string[] = [];
    const handle = (name: string, ms: number) => async () => {
      await sleep(ms);
      done.push(name);
    };
    order.run('a', handle('a1', 40)); // slow first message must not be overtaken
    order.run('a', handle('a2', 0));
    order.run('b', handle('b1', 10));
    await order.settled();
    expect(done).toEqual(['b1', 'a1', 'a2']);
  });

  it('holds live messages while unread ones are read back, then lets them go in order', async () => {
    const order = new InboundOrder(() => undefined);
    const done: string[] = [];
    const handle = (name: string) => async () => {
      done.push(name);
    };
    order.hold();
    order.live('a', handle('live 1')); // arrived during the read-back
    order.run('a', handle('unread 1'));
    order.run('a', handle('unread 2'));
    order.live('a', handle('live 2'));
    await order.settled();
    expect(done).toEqual(['unread 1', 'unread 2']);
    order.release();
    await order.settled();
    expect(done).toEqual(['unread 1', 'unread 2', 'live 1', 'live 2']);
  });

  it('keeps going after a failed message and reports the failure', async () => {
    const errors: unknown[] = [];
    const order = new InboundOrder((err) => errors.push(err));
    const done: string[] = [];
    order.run('a', async () => {
      throw new Error('boom');
    });
    order.run('a', async () => {
      done.push('next');
    });
    await order.settled();
    expect(done).toEqual(['next']);
    expect(errors).toHaveLength(1);
  });
});
