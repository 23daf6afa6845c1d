import { unknownString } from '../../../core/primitives.js';
import { argString } from './args.js';
import { FunctionError, type FunctionDef } from './def.js';

/**
 * timestamp (unknown at plan time), formatdate, timeadd and timecmp on RFC 3339 timestamps.
 * Instants are bigint nanoseconds since the epoch plus the written UTC offset.
 */
interface Instant {
  ns: bigint;
  /** Offset from UTC in minutes, as written. */
  offset: number;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const NS_PER_S = 1_000_000_000n;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): { y: number; m: number; d: number } {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

export function parseTimestamp(s: string, argIndex: number): Instant {
  const m = RFC3339.exec(s);
  const bad = (why: string): never => {
    throw new FunctionError(`not a valid RFC3339 timestamp: ${why}`, argIndex);
  };
  if (!m) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) bad("missing required time introducer 'T'");
    return bad(`${JSON.stringify(s)} is not of the form 2006-01-02T15:04:05Z07:00`);
  }
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12) bad('month out of range');
  const dim = mo === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[mo - 1]!;
  if (d < 1 || d > dim) bad('day out of range');
  if (h > 23) bad('hour must be between 0 and 23 inclusive');
  if (mi > 59) bad('minute out of range');
  if (sec > 59) bad('second out of range');
  let offset = 0;
  if (m[8] !== 'Z') {
    const oh = Number(m[8]!.slice(1, 3));
    const om = Number(m[8]!.slice(4, 6));
    if (oh >= 24) bad('timezone hour out of range');
    if (om >= 60) bad('timezone minute out of range');
    offset = (m[8]![0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const localSeconds = BigInt(daysFromCivil(y, mo, d)) * 86400n + BigInt(h * 3600 + mi * 60 + sec);
  const frac = m[7] ? BigInt(m[7].padEnd(9, '0')) : 0n;
  return { ns: (localSeconds - BigInt(offset * 60)) * NS_PER_S + frac, offset };
}

interface Fields {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  weekday: number;
}

function fields(t: Instant): Fields {
  let secs = t.ns / NS_PER_S;
  if (t.ns < 0n && t.ns % NS_PER_S !== 0n) secs -= 1n;
  const local = Number(secs) + t.offset * 60;
  const days = Math.floor(local / 86400);
  const rem = local - days * 86400;
  const { y, m, d } = civilFromDays(days);
  return { y, mo: m, d, h: Math.floor(rem / 3600), mi: Math.floor((rem % 3600) / 60), s: rem % 60, weekday: (((days + 4) % 7) + 7) % 7 };
}

function pad(n: number, w = 2): string {
  const s = String(Math.abs(n)).padStart(w, '0');
  return n < 0 ? `-${s}` : s;
}

function offsetText(offset: number, colon: boolean): string {
  const a = Math.abs(offset);
  return `${offset < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}${colon ? ':' : ''}${pad(a % 60)}`;
}

export function formatRfc3339(t: Instant): string {
  const f = fields(t);
  const zone = t.offset === 0 ? 'Z' : offsetText(t.offset, true);
  return `${pad(f.y, 4)}-${pad(f.mo)}-${pad(f.d)}T${pad(f.h)}:${pad(f.mi)}:${pad(f.s)}${zone}`;
}

function formatDate(spec: string, t: Instant): string {
  const f = fields(t);
  let out = '';
  let i = 0;
  const verb = (tok: string, forms: Record<number, () => string>, rule: string): void => {
    const form = forms[tok.length];
    if (!form) throw new FunctionError(`invalid date format verb ${JSON.stringify(tok)}: ${rule}`, 0);
    out += form();
  };
  while (i < spec.length) {
    const c = spec[i]!;
    if (c === "'") {
      if (spec[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      let j = i + 1;
      let lit = '';
      for (; j < spec.length; j++) {
        if (spec[j] === "'") {
          if (spec[j + 1] === "'") {
            lit += "'";
            j++;
            continue;
          }
          break;
        }
        lit += spec[j];
      }
      if (j >= spec.length) throw new FunctionError("unterminated literal '", 0);
      out += lit;
      i = j + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) {
      out += c;
      i++;
      continue;
    }
    let j = i;
    while (spec[j] === c) j++;
    const tok = spec.slice(i, j);
    i = j;
    const h12 = f.h % 12 === 0 ? 12 : f.h % 12;
    switch (c) {
      case 'Y':
        verb(tok, { 2: () => pad(f.y % 100), 4: () => pad(f.y, 4) }, 'year must either be "YY" or "YYYY"');
        break;
      case 'M':
        verb(tok, { 1: () => String(f.mo), 2: () => pad(f.mo), 3: () => MONTHS[f.mo - 1]!.slice(0, 3), 4: () => MONTHS[f.mo - 1]! }, 'month must be "M", "MM", "MMM", or "MMMM"');
        break;
      case 'D':
        verb(tok, { 1: () => String(f.d), 2: () => pad(f.d) }, 'day of month must either be "D" or "DD"');
        break;
      case 'E':
        verb(tok, { 3: () => WEEKDAYS[f.weekday]!.slice(0, 3), 4: () => WEEKDAYS[f.weekday]! }, 'day of week must either be "EEE" or "EEEE"');
        break;
      case 'h':
        verb(tok, { 1: () => String(f.h), 2: () => pad(f.h) }, '24-hour must either be "h" or "hh"');
        break;
      case 'H':
        verb(tok, { 1: () => String(h12), 2: () => pad(h12) }, '12-hour must either be "H" or "HH"');
        break;
      case 'A':
      case 'a':
        verb(tok, { 2: () => (f.h < 12 ? 'AM' : 'PM')[c === 'A' ? 'toUpperCase' : 'toLowerCase']() }, `must be "${c}${c}"`);
        break;
      case 'm':
        verb(tok, { 1: () => String(f.mi), 2: () => pad(f.mi) }, 'minute must either be "m" or "mm"');
        break;
      case 's':
        verb(tok, { 1: () => String(f.s), 2: () => pad(f.s) }, 'second must either be "s" or "ss"');
        break;
      case 'Z':
        verb(
          tok,
          {
            1: () => (t.offset === 0 ? 'Z' : offsetText(t.offset, true)),
            3: () => (t.offset === 0 ? 'UTC' : offsetText(t.offset, false)),
            4: () => offsetText(t.offset, false),
            5: () => offsetText(t.offset, true),
          },
          'timezone must be Z, ZZZZ, or ZZZZZ',
        );
        break;
      default:
        throw new FunctionError(`invalid date format verb ${JSON.stringify(tok)}`, 0);
    }
  }
  return out;
}

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  'µs': 1000n,
  'μs': 1000n,
  ms: 1_000_000n,
  s: NS_PER_S,
  m: 60n * NS_PER_S,
  h: 3600n * NS_PER_S,
};

/** Go's time.ParseDuration, in nanoseconds. */
export function parseDuration(s: string, argIndex: number): bigint {
  const bad = (): never => {
    throw new FunctionError(`time: invalid duration ${JSON.stringify(s)}`, argIndex);
  };
  let rest = s;
  let neg = false;
  if (rest[0] === '-' || rest[0] === '+') {
    neg = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') bad();
  let total = 0n;
  const part = /^(\d*)(?:\.(\d*))?([a-zµμ]+)/;
  while (rest !== '') {
    const m = part.exec(rest);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) return bad();
    const unit = UNITS[m[3]!];
    if (unit === undefined) throw new FunctionError(`time: unknown unit ${JSON.stringify(m[3])} in duration ${JSON.stringify(s)}`, argIndex);
    total += BigInt(m[1] || '0') * unit;
    if (m[2]) total += (BigInt(m[2]) * unit) / 10n ** BigInt(m[2].length);
    rest = rest.slice(m[0].length);
  }
  if (total > 9_223_372_036_854_775_807n) bad();
  return neg ? -total : total;
}

export const timeFunctions: FunctionDef[] = [
  { name: 'timestamp', minArgs: 0, maxArgs: 0, impl: () => unknownString },
  { name: 'plantimestamp', minArgs: 0, maxArgs: 0, impl: () => unknownString },
  {
    name: 'formatdate',
    minArgs: 2,
    maxArgs: 2,
    impl: ([spec, ts]) => {
      const t = parseTimestamp(argString(ts!, 1), 1);
      return formatDate(argString(spec!, 0), t);
    },
  },
  {
    name: 'timeadd',
    minArgs: 2,
    maxArgs: 2,
    impl: ([ts, d]) => {
      const t = parseTimestamp(argString(ts!, 0), 0);
      return formatRfc3339({ ns: t.ns + parseDuration(argString(d!, 1), 1), offset: t.offset });
    },
  },
  {
    name: 'timecmp',
    minArgs: 2,
    maxArgs: 2,
    impl: ([a, b]) => {
      const x = parseTimestamp(argString(a!, 0), 0).ns;
      const y = parseTimestamp(argString(b!, 1), 1).ns;
      return x < y ? -1 : x > y ? 1 : 0;
    },
  },
];
