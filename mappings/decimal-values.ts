import Big from 'big.js';

/** A big.js value made by this module's strict constructor. */
export type DecimalValue = Big.Big;
type BigValue = DecimalValue;
type RoundingMode = Big.RoundingMode;

/**
 * Decimal arithmetic for mapped values. This private big.js constructor runs
 * in strict mode, so it throws when handed a JS number. Every number is first
 * turned into its shortest round-trip text, which is the exact value the
 * source sent: String(0.1 + 0.2) is '0.30000000000000004'.
 */
const Decimal = Big();
Decimal.strict = true;
// Large exponents stay out of toString(); toFixed() is used for output anyway.
Decimal.NE = -40;
Decimal.PE = 60;

export type Rounding = 'halfUp' | 'halfEven' | 'down' | 'up';

const ROUNDING_MODES: Record<Rounding, RoundingMode> = {
  down: 0,
  halfUp: 1,
  halfEven: 2,
  up: 3,
};

// Exponents stop at three digits, so '1e999999999' cannot expand into a huge string.
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d{1,3})?$/i;

/** Parses a number or decimal text; returns undefined for anything else (NaN, Infinity, '', '1,5'). */
export function toDecimal(value: unknown): BigValue | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    return new Decimal(String(value));
  }

  if (typeof value === 'string') {
    const text = value.trim();
    if (!DECIMAL_TEXT.test(text)) return undefined;
    return new Decimal(text);
  }
  return undefined;
}

/** Checks whether a value can take part in decimal arithmetic or numeric comparison. */
export function isDecimalLike(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && DECIMAL_TEXT.test(value.trim());
}

/** Rounds to `scale` decimals and renders plain text; '-0.00' becomes '0.00'. */
export function roundToText(value: BigValue, scale: number, rounding: Rounding): string {
  const rounded = value.round(scale, ROUNDING_MODES[rounding]);
  const text = rounded.toFixed(scale);
  return rounded.eq('0') ? text.replace(/^-/, '') : text;
}

/** Renders a decimal as plain text with no exponent and no trailing-zero padding. */
export function plainText(value: BigValue): string {
  const text = value.toFixed();
  return value.eq('0') ? text.replace(/^-/, '') : text;
}

/** Number of digits before the decimal point, ignoring sign and leading zeros. */
export function integerDigits(value: BigValue): number {
  const whole = value.abs().round(0, ROUNDING_MODES.down).toFixed();
  return whole === '0' ? 0 : whole.length;
}

export function decimalRoundingMode(rounding: Rounding): RoundingMode {
  return ROUNDING_MODES[rounding];
}

export { Decimal };
