/**
 * Python's rounding and number formatting, for the gptme-compatible modes. gptme prints `round(x, 3)` and
 * `f"{x:.0%}"`; Python rounds the exact binary value of x half to even (0.5625 -> 0.562, 62.5% -> 62%),
 * where JavaScript's `toFixed` and `Math.round` send ties away from zero. Exact decimal expansion with
 * BigInt: a finite double is m * 2^e, and for e < 0 that is m * 5^-e / 10^-e.
 */

interface ExactDecimal {
  negative: boolean;
  /** The value is digits / 10^scale, exactly. */
  digits: bigint;
  scale: number;
}

function exactDecimal(x: number): ExactDecimal {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const negative = hi >>> 31 === 1;
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent: number;
  if (biased === 0) exponent = -1074;
  else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  if (exponent >= 0) return { negative, digits: mantissa << BigInt(exponent), scale: 0 };
  return { negative, digits: mantissa * 5n ** BigInt(-exponent), scale: -exponent };
}

/** The exact value rounded half to even at `places` decimals, as digits / 10^places. */
function roundedDigits(value: ExactDecimal, places: number): bigint {
  if (value.scale <= places) return value.digits * 10n ** BigInt(places - value.scale);
  const divisor = 10n ** BigInt(value.scale - places);
  const quotient = value.digits / divisor;
  const twiceRemainder = (value.digits % divisor) * 2n;
  if (twiceRemainder > divisor) return quotient + 1n;
  if (twiceRemainder < divisor) return quotient;
  return quotient % 2n === 0n ? quotient : quotient + 1n;
}

function withPoint(digits: bigint, places: number, negative: boolean): string {
  let text = digits.toString();
  if (places > 0) {
    text = text.padStart(places + 1, '0');
    text = `${text.slice(0, -places)}.${text.slice(-places)}`;
  }
  return negative ? `-${text}` : text;
}

function checkPlaces(places: number): void {
  if (!Number.isInteger(places) || places < 0 || places > 100) throw new RangeError(`decimal places must be 0..100, got ${places}`);
}

/** Python's `f"{x:.{places}f}"`. */
export function pythonFixed(x: number, places: number): string {
  checkPlaces(places);
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const value = exactDecimal(x);
  return withPoint(roundedDigits(value, places), places, value.negative);
}

/** Python's `f"{x:.{places}%}"`: x * 100 in floating point (as CPython does), then fixed, then `%`. */
export function pythonPercent(x: number, places: number): string {
  return `${pythonFixed(x * 100, places)}%`;
}

/** Python's `round(x, places)`: the exact value rounded half to even, read back as the nearest double. */
export function pythonRound(x: number, places: number): number {
  return Number(pythonFixed(x, places));
}

/** Python's `repr(float)`: the same shortest digits as JavaScript, written the way Python writes them. */
export function pythonRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, exp] = x.toExponential().split('e') as [string, string];
  const exponent = Number(exp);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const pointAt = exponent + 1;
  let text: string;
  if (pointAt <= 0) text = `0.${'0'.repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) text = `${digits}${'0'.repeat(pointAt - digits.length)}.0`;
  else text = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return negative ? `-${text}` : text;
}
