import { createHash } from 'node:crypto';
import { unknownString } from '../../../core/primitives.js';
import { argString } from './args.js';
import { FunctionError, type FunctionDef } from './def.js';

/**
 * Hashes of a string's UTF-8 bytes. `uuid()` and `bcrypt()` give a different result on every
 * run, so at plan time they are unknown.
 */
function hex(alg: string): FunctionDef {
  return { name: alg, minArgs: 1, maxArgs: 1, impl: ([s]) => createHash(alg).update(argString(s!, 0), 'utf8').digest('hex') };
}

function b64(alg: string): FunctionDef {
  return {
    name: `base64${alg}`,
    minArgs: 1,
    maxArgs: 1,
    impl: ([s]) => createHash(alg).update(argString(s!, 0), 'utf8').digest('base64'),
  };
}

const NAMESPACES: Record<string, string> = {
  dns: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  url: '6ba7b811-9dad-11d1-80b4-00c04fd430c8',
  oid: '6ba7b812-9dad-11d1-80b4-00c04fd430c8',
  x500: '6ba7b814-9dad-11d1-80b4-00c04fd430c8',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidv5(ns: string, name: string): string {
  const nsId = Object.prototype.hasOwnProperty.call(NAMESPACES, ns) ? NAMESPACES[ns]! : ns;
  if (!UUID.test(nsId)) throw new FunctionError(`uuidv5() doesn't support namespace prefix ${JSON.stringify(ns)}`, 0);
  const bytes = createHash('sha1')
    .update(Buffer.from(nsId.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const hashFunctions: FunctionDef[] = [
  hex('md5'),
  hex('sha1'),
  hex('sha256'),
  hex('sha512'),
  b64('sha256'),
  b64('sha512'),
  { name: 'uuid', minArgs: 0, maxArgs: 0, impl: () => unknownString },
  { name: 'uuidv5', minArgs: 2, maxArgs: 2, impl: ([ns, n]) => uuidv5(argString(ns!, 0), argString(n!, 1)) },
  {
    name: 'bcrypt',
    minArgs: 1,
    maxArgs: 2,
    impl: ([s, cost]) => {
      argString(s!, 0);
      if (cost !== undefined) {
        const c = typeof cost === 'number' ? cost : Number(argString(cost, 1));
        if (!Number.isInteger(c) || c < 4 || c > 31) throw new FunctionError('the bcrypt cost must be a whole number from 4 to 31', 1);
      }
      return unknownString;
    },
  },
];
