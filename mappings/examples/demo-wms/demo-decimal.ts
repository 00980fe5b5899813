/**
 * Decimal text for the demo WMS. Amounts are computed as whole numbers of
 * their smallest unit (cents, grams, millimetres) and only formatted at the
 * end, so no binary float ever reaches a decimal column.
 */

/** Formats an integer count of 10^-scale units, e.g. (1999, 2) → '19.99'. */
export function formatScaled(units: number, scale: number): string {
  if (!Number.isSafeInteger(units)) {
    throw new RangeError(`formatScaled: units must be a safe integer, got ${units}`);
  }

  const sign = units < 0 ? '-' : '';
  const digits = String(Math.abs(units)).padStart(scale + 1, '0');
  if (scale === 0) return sign + digits;
  return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** Parses decimal text with exactly `scale` decimals back to an integer unit count. */
export function parseScaled(text: string, scale: number): number {
  const pattern = scale === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${scale}}$`);
  if (!pattern.test(text)) {
    throw new RangeError(`parseScaled: expected a decimal with ${scale} decimals, got "${text}"`);
  }
  return Number(text.replace('.', ''));
}

/** Multiplies a unit count by a ratio and rounds half away from zero, in integers. */
export function scaleUnits(units: number, numerator: number, denominator: number): number {
  const product = units * numerator;
  if (!Number.isSafeInteger(product)) {
    throw new RangeError(`scaleUnits: ${units} × ${numerator} is too large for exact integer arithmetic`);
  }

  const quotient = Math.trunc(product / denominator);
  const remainder = product - quotient * denominator;
  const roundsAway = Math.abs(remainder) * 2 >= Math.abs(denominator);
  return roundsAway ? quotient + Math.sign(product) * Math.sign(denominator) : quotient;
}
