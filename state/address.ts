import { StateError } from './errors.js';

export interface ParsedAddress {
  mode: 'managed' | 'data';
  type: string;
  name: string;
  indexKey: number | string | null;
}

const ADDRESS = /^(data\.)?([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[(.*)\])?$/s;

/**
 * Splits a resource instance address: `TYPE.NAME`, `TYPE.NAME[0]`, `TYPE.NAME["key"]`,
 * `data.TYPE.NAME…`. Index keys must be written canonically (decimal integers without leading
 * zeros; strings JSON-quoted), so one instance has exactly one address.
 */
export function parseAddress(address: string): ParsedAddress {
  const m = typeof address === 'string' ? ADDRESS.exec(address) : null;
  if (!m) throw invalid(address, 'expected TYPE.NAME, TYPE.NAME[0] or TYPE.NAME["key"]');
  const [, data, type, name, index] = m;
  let indexKey: number | string | null = null;
  if (index !== undefined) {
    if (/^(0|[1-9][0-9]*)$/.test(index)) indexKey = Number(index);
    else if (index.startsWith('"')) {
      try {
        const key: unknown = JSON.parse(index);
        if (typeof key === 'string' && JSON.stringify(key) === index) indexKey = key;
      } catch {
        /* reported below */
      }
    }
    if (indexKey === null) throw invalid(address, 'an index is a non-negative integer or a double-quoted string, e.g. [0] or ["a"]');
  }
  return { mode: data ? 'data' : 'managed', type: type!, name: name!, indexKey };
}

function invalid(address: unknown, detail: string): StateError {
  return new StateError('invalid-address', `invalid resource address ${JSON.stringify(address)}`, detail);
}
