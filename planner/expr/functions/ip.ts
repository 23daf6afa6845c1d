import { argInt, argString } from './args.js';
import { FunctionError, type FunctionDef } from './def.js';

/** cidrhost, cidrnetmask, cidrsubnet, cidrsubnets for IPv4 and IPv6 (bigint arithmetic). */

interface Net {
  /** Network address (host bits cleared). */
  addr: bigint;
  prefix: number;
  bits: 32 | 128;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = (n << 8n) | BigInt(Number(p));
  }
  return n;
}

function parseV6(s: string): bigint | undefined {
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    // Embedded IPv4 tail (::ffff:10.0.0.1): rewrite it as two hex groups.
    const v4 = parseV4(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !tail) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    if (head.length + tail.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    if (head.length !== 8) return undefined;
    groups = head;
  }
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(g);
  return n;
}

function hostMask(net: { prefix: number; bits: number }, prefix = net.prefix): bigint {
  return (1n << BigInt(net.bits - prefix)) - 1n;
}

function parseCidr(s: string, argIndex: number): Net {
  const slash = s.indexOf('/');
  const bad = (): never => {
    throw new FunctionError(`invalid CIDR expression: invalid CIDR address: ${s}`, argIndex);
  };
  if (slash < 0) return bad();
  const ip = s.slice(0, slash);
  const len = s.slice(slash + 1);
  const v6 = ip.includes(':');
  const bits = v6 ? 128 : 32;
  const addr = v6 ? parseV6(ip) : parseV4(ip);
  if (addr === undefined || !/^\d{1,3}$/.test(len) || Number(len) > bits) return bad();
  const prefix = Number(len);
  const net: Net = { addr: 0n, prefix, bits };
  net.addr = addr & ~hostMask(net) & ((1n << BigInt(bits)) - 1n);
  return net;
}

function formatV4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
}

function formatIp(n: bigint, bits: number): string {
  if (bits === 32) return formatV4(n);
  // IPv4-mapped addresses print as IPv4, as Go's net.IP does.
  if (n >> 32n === 0xffffn) return formatV4(n & 0xffffffffn);
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

function formatNet(addr: bigint, prefix: number, bits: number): string {
  return `${formatIp(addr, bits)}/${prefix}`;
}

function cidrhost(net: Net, num: bigint): string {
  const max = hostMask(net);
  let n = num;
  if (n < 0n) n = max - (-n - 1n);
  if (n > max || n < 0n) throw new FunctionError(`prefix of ${net.prefix} does not accommodate a host numbered ${num}`, 1);
  return formatIp(net.addr | n, net.bits);
}

function cidrsubnet(net: Net, newbits: number, num: bigint): string {
  if (newbits < 0) throw new FunctionError('newbits must not be negative', 1);
  if (newbits > 32) throw new FunctionError('may not extend prefix by more than 32 bits', 1);
  const len = net.prefix + newbits;
  if (len > net.bits) throw new FunctionError(`insufficient address space to extend prefix of ${net.prefix} by ${newbits}`, 1);
  if (num < 0n) throw new FunctionError('netnum must not be negative', 2);
  if (num > (1n << BigInt(newbits)) - 1n) {
    throw new FunctionError(`prefix extension of ${newbits} does not accommodate a subnet numbered ${num}`, 2);
  }
  return formatNet(net.addr | (num << BigInt(net.bits - len)), len, net.bits);
}

function cidrsubnets(net: Net, lengths: number[]): string[] {
  if (lengths.length === 0) return [];
  const all = (1n << BigInt(net.bits)) - 1n;
  const mask = (p: number): bigint => all & ~hostMask(net, p);
  // The subnet just before the base network, at the first requested length.
  const firstLen = Math.min(net.bits, Math.max(0, net.prefix + lengths[0]!));
  let cur = { addr: ((net.addr - 1n) & all) & mask(firstLen), prefix: firstLen };
  const out: string[] = [];
  for (let i = 0; i < lengths.length; i++) {
    const ext = lengths[i]!;
    if (ext < 1) throw new FunctionError('must extend prefix by at least one bit', i + 1);
    if (ext > 32) throw new FunctionError('may not extend prefix by more than 32 bits', i + 1);
    const len = net.prefix + ext;
    if (len > net.bits) {
      throw new FunctionError(`would extend prefix to ${len} bits, which is too long for an IPv${net.bits === 32 ? 4 : 6} address`, i + 1);
    }
    const curLast = cur.addr | hostMask(net, cur.prefix);
    const subLast = (curLast & mask(len)) | hostMask(net, len);
    const next = (subLast + 1n) & all;
    const rollover = next === 0n;
    if (rollover || (next & mask(net.prefix)) !== net.addr) {
      throw new FunctionError(
        `not enough remaining address space for a subnet with a prefix of ${len} bits after ${formatNet(cur.addr, cur.prefix, net.bits)}`,
        i + 1,
      );
    }
    cur = { addr: next & mask(len), prefix: len };
    out.push(formatNet(cur.addr, cur.prefix, net.bits));
  }
  return out;
}

export const ipFunctions: FunctionDef[] = [
  {
    name: 'cidrhost',
    minArgs: 2,
    maxArgs: 2,
    impl: ([p, h]) => cidrhost(parseCidr(argString(p!, 0), 0), BigInt(argInt(h!, 1))),
  },
  {
    name: 'cidrnetmask',
    minArgs: 1,
    maxArgs: 1,
    impl: ([p]) => {
      const net = parseCidr(argString(p!, 0), 0);
      if (net.bits !== 32) throw new FunctionError('only IPv4 networks are supported', 0);
      return formatV4(0xffffffffn & ~hostMask(net));
    },
  },
  {
    name: 'cidrsubnet',
    minArgs: 3,
    maxArgs: 3,
    impl: ([p, b, n]) => cidrsubnet(parseCidr(argString(p!, 0), 0), argInt(b!, 1), BigInt(argInt(n!, 2))),
  },
  {
    name: 'cidrsubnets',
    minArgs: 1,
    maxArgs: Infinity,
    impl: (args) => cidrsubnets(parseCidr(argString(args[0]!, 0), 0), args.slice(1).map((a, i) => argInt(a, i + 1))),
  },
];
