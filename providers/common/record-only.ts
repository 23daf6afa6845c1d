/**
 * Resource types whose cloud object, on a provider without that service, is only a record:
 * the local cloud's network is loopback, so a `network` or `security_group` there has an id
 * and echoes its configuration, and nothing else exists to create or delete.
 */
import { randomUUID } from 'node:crypto';
import { newObject, type ValueObject } from '../../core/value.js';
import type { ResourceObject, ResourceType } from '../provider.js';

export function recordOnly(defaults: (config: ValueObject, id: string) => ValueObject = () => newObject()): ResourceType {
  const object = (config: ValueObject, id: string): ResourceObject => {
    const attributes = newObject([...Object.entries(defaults(config, id)), ...Object.entries(config)]);
    return { id, attributes };
  };
  return {
    async create(_ctx, config) {
      return object(config, randomUUID());
    },
    async read(_ctx, prior) {
      return { id: prior.id, attributes: prior.attributes };
    },
    async update(_ctx, prior, config) {
      return object(config, prior.id);
    },
    async delete() {},
  };
}
