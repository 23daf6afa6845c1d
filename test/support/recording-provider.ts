/**
 * An in-process provider for testing the applier's scheduling: every object is a record with an
 * id, calls are logged with their start and end, and a test can make a call slow or fail. It
 * stands in for our own Provider interface (what the applier calls), not for any cloud API.
 */
import { newObject, type ValueObject } from '../../core/value.js';
import { ProviderError, type Provider, type ProviderContext, type ResourceObject, type ResourceType } from '../../providers/provider.js';

export interface Call {
  op: 'create' | 'update' | 'delete' | 'read';
  address: string;
  config?: ValueObject;
  id?: string;
  start: number;
  end?: number;
  aborted?: boolean;
}

export interface Behaviour {
  delayMs?: number;
  /** Fail with this message. */
  fail?: string;
  /** Fail, but report the object as created (recorded tainted). */
  failPartial?: string;
  /** Wait for the abort signal instead of finishing. */
  hang?: boolean;
}

export class RecordingProvider implements Provider {
  readonly name = 'test';
  readonly calls: Call[] = [];
  readonly objects = new Map<string, ValueObject>();
  behaviour: (op: Call['op'], address: string) => Behaviour = () => ({});
  private seq = 0;
  private running = 0;
  maxConcurrent = 0;

  resourceType(): ResourceType {
    const run = async (op: Call['op'], ctx: ProviderContext, config: ValueObject | undefined, id: string | undefined, result: () => ResourceObject | undefined) => {
      const call: Call = { op, address: ctx.address, ...(config ? { config } : {}), ...(id ? { id } : {}), start: performance.now() };
      this.calls.push(call);
      this.running++;
      this.maxConcurrent = Math.max(this.maxConcurrent, this.running);
      try {
        const b = this.behaviour(op, ctx.address);
        if (b.hang) {
          await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
          call.aborted = true;
          throw new ProviderError(`${ctx.address}: aborted`);
        }
        if (b.delayMs) await new Promise((r) => setTimeout(r, b.delayMs));
        if (b.fail) throw new ProviderError(b.fail);
        const r = result();
        if (b.failPartial) throw new ProviderError(b.failPartial, r);
        return r;
      } finally {
        this.running--;
        call.end = performance.now();
      }
    };
    const object = (config: ValueObject, id: string): ResourceObject => {
      const attributes = newObject([...Object.entries(config), ['id', id]]);
      this.objects.set(id, attributes);
      return { id, attributes };
    };
    return {
      create: async (ctx, config) => (await run('create', ctx, config, undefined, () => object(config, `id-${++this.seq}`)))!,
      update: async (ctx, prior, config) => (await run('update', ctx, config, prior.id, () => object(config, prior.id)))!,
      delete: async (ctx, prior) => {
        await run('delete', ctx, undefined, prior.id, () => undefined);
        this.objects.delete(prior.id);
      },
      read: async (ctx, prior) => run('read', ctx, undefined, prior.id, () => {
        const o = this.objects.get(prior.id);
        return o ? { id: prior.id, attributes: o } : undefined;
      }),
    };
  }

  async close(): Promise<void> {}

  /** The order calls started in, as `op address`. */
  order(): string[] {
    return this.calls.map((c) => `${c.op} ${c.address}`);
  }

  call(op: Call['op'], address: string): Call {
    const c = this.calls.find((x) => x.op === op && x.address === address);
    if (!c) throw new Error(`no ${op} of ${address}; calls: ${this.order().join(', ')}`);
    return c;
  }
}
