/**
 * Go's big.Float formatting for %e %E %f %g %G (flags + space - 0, width, precision), as cty's
 * format() uses it: %e/%f default to 6 decimals, %g to the shortest exact representation.
 */
export interface FloatVerb {
  mode: string;
  prec: number;
  width: number;
  plus: boolean;
  space: boolean;
  minus: boolean;
  zero: boolean;
  sharp?: boolean;
}

/** Decimal digits (no trailing zeros) and the point position: value = 0.d1d2… × 10^dp. */
interface Decimal {
  digits: string;
  dp: number;
}

function decimal(abs: number, sig?: number): Decimal {
  if (abs === 0) return { digits: '', dp: 0 };
  const s = sig === undefined ? abs.toExponential() : abs.toExponential(Math.min(100, Math.max(0, sig - 1)));
  const e = s.indexOf('e');
  const digits = (s[0]! + s.slice(2, e)).replace(/0+$/, '');
  return { digits, dp: Number(s.slice(e + 1)) + 1 };
}

function fmtE(d: Decimal, prec: number, upper: boolean): string {
  let out = d.digits[0] ?? '0';
  if (prec > 0) out += `.${d.digits.slice(1, 1 + prec).padEnd(prec, '0')}`;
  const exp = d.digits === '' ? 0 : d.dp - 1;
  const ae = Math.abs(exp);
  return `${out}${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`;
}

function fmtF(d: Decimal, prec: number): string {
  let out: string;
  if (d.dp > 0) out = d.digits.slice(0, d.dp).padEnd(d.dp, '0');
  else out = '0';
  if (prec > 0) {
    let frac = '';
    for (let i = 0; i < prec; i++) {
      const k = d.dp + i;
      frac += k >= 0 && k < d.digits.length ? d.digits[k] : '0';
    }
    out += `.${frac}`;
  }
  return out;
}

function body(abs: number, v: FloatVerb): string {
  const upper = v.mode === 'E' || v.mode === 'G';
  switch (v.mode) {
    case 'e':
    case 'E': {
      const prec = v.prec < 0 ? 6 : v.prec;
      return fmtE(decimal(abs, prec + 1), prec, upper);
    }
    case 'f': {
      const prec = v.prec < 0 ? 6 : v.prec;
      if (abs >= 1e21) return fmtF(decimal(abs), prec);
      // toFixed rounds the exact binary value, as Go does; it allows at most 100 places.
      const fixed = abs.toFixed(Math.min(prec, 100));
      return prec > 100 ? fixed + '0'.repeat(prec - 100) : fixed;
    }
    default: {
      // %g / %G
      const shortest = v.prec < 0;
      let prec = v.prec === 0 ? 1 : v.prec;
      const d = shortest ? decimal(abs) : decimal(abs, prec);
      if (shortest) prec = d.digits.length;
      let eprec = prec;
      if (eprec > d.digits.length && d.digits.length >= d.dp) eprec = d.digits.length;
      if (shortest) eprec = 6;
      const exp = d.dp - 1;
      if (d.digits !== '' && (exp < -4 || exp >= eprec)) {
        if (prec > d.digits.length) prec = d.digits.length;
        return fmtE(d, prec - 1, upper);
      }
      if (prec > d.dp) prec = d.digits.length;
      return fmtF(d, Math.max(prec - d.dp, 0));
    }
  }
}

export function formatFloat(n: number, v: FloatVerb): string {
  const neg = n < 0 || Object.is(n, -0);
  const abs = Math.abs(n);
  let s: string;
  let sign = neg ? '-' : v.plus ? '+' : v.space ? ' ' : '';
  if (!Number.isFinite(abs)) {
    s = 'Inf';
    if (!neg) sign = '+';
  } else s = body(abs, v);
  const len = sign.length + s.length;
  if (v.width <= len) return sign + s;
  if (v.minus) return sign + s + ' '.repeat(v.width - len);
  if (v.zero && Number.isFinite(abs)) return sign + '0'.repeat(v.width - len) + s;
  return ' '.repeat(v.width - len) + sign + s;
}
