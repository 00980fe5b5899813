import { computeUsccCheckChar } from '../../../connectors/platform/formats.js';
import type { DemoRandom } from './demo-random.js';

/**
 * Identifiers and document numbers with the structure and check digits of
 * the real schemes, filled with invented serials.
 */

/** GB 11714 organisation code: 8 body characters and a mod-11 check (10 → X, 11 → 0). */
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

function organisationCode(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(body8.charAt(i)) * ORG_CODE_WEIGHTS[i]!;

  const check = 11 - (sum % 11);
  if (check === 10) return `${body8}X`;
  if (check === 11) return `${body8}0`;
  return body8 + String(check);
}

/**
 * Builds a 统一社会信用代码 for an enterprise: '9' (market regulator),
 * '1' (company), the 6-digit region, a 9-character organisation code and
 * the GB 32100 check character.
 */
export function makeUscc(region6: string, orgBody8: string): string {
  if (!/^\d{6}$/.test(region6) || !/^\d{8}$/.test(orgBody8)) {
    throw new RangeError(`makeUscc: expected a 6-digit region and 8 digits, got "${region6}" and "${orgBody8}"`);
  }

  const first17 = `91${region6}${organisationCode(orgBody8)}`;
  return first17 + computeUsccCheckChar(first17);
}

/** 报关单号: customs office, year, '0' for export, 9-digit serial. */
export function makeExportEntryId(office4: string, year: number, serial: number): string {
  return `${office4}${year}0${String(serial).padStart(9, '0')}`;
}

/** 清单编号 of an export list: customs office, year, 'E', 9-digit serial. */
export function makeExportInvtNo(office4: string, year: number, serial: number): string {
  return `${office4}${year}E${String(serial).padStart(9, '0')}`;
}

/** Appends the EAN-13 check digit to 12 digits (weights 1 and 3 from the left). */
export function makeEan13(first12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12.charAt(i)) * (i % 2 === 0 ? 1 : 3);
  return first12 + String((10 - (sum % 10)) % 10);
}

/** UPU S10 item number (postal tracking): 2 letters, 8 digits, check digit, country. */
export function makeS10(service2: string, serial8: string, country2: string): string {
  const weights = [8, 6, 4, 2, 3, 5, 9, 7];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(serial8.charAt(i)) * weights[i]!;

  let checkDigit = 11 - (sum % 11);
  if (checkDigit === 10) checkDigit = 0;
  if (checkDigit === 11) checkDigit = 5;
  return `${service2}${serial8}${checkDigit}${country2}`;
}

/** Air waybill number: 3-digit airline prefix, 7-digit serial and its mod-7 check digit. */
export function makeAirWaybill(prefix3: string, serial7: number): string {
  return `${prefix3}-${String(serial7).padStart(7, '0')}${serial7 % 7}`;
}

/** ISO 6346 container number: owner code, 'U', 6-digit serial and its check digit. */
export function makeContainerNo(owner3: string, serial6: string): string {
  const body = `${owner3}U${serial6}`;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += containerCharValue(body.charAt(i)) * 2 ** i;
  return body + String((sum % 11) % 10);
}

/** ISO 6346 letter values: A = 10 upwards, skipping multiples of 11. */
function containerCharValue(char: string): number {
  if (/\d/.test(char)) return Number(char);

  let value = 10;
  for (let code = 'A'.charCodeAt(0); code < char.charCodeAt(0); code++) {
    value += 1;
    if (value % 11 === 0) value += 1;
  }
  return value;
}

/** Letters used by the carriers' invented tracking numbers. */
const UPPER = 'ABCDEFGHJKLMNPRSTUVWXYZ';

/** Returns a tracking number in the shape a carrier prints. */
export function makeTrackingNo(carrier: string, random: DemoRandom): string {
  switch (carrier) {
    case 'USPS':
      return `9400${random.digits(18)}`;
    case 'UPS':
      return `1Z${pickLetters(random, 3)}${random.digits(3)}03${random.digits(8)}`;
    case 'FedEx':
      return random.digits(12);
    case 'Royal Mail':
      return makeS10('TT', random.digits(8), 'GB');
    case 'Evri':
      return `H${random.digits(15)}`;
    case 'DHL Paket':
      return `00340434${random.digits(12)}`;
    case 'DPD':
      return `0${random.digits(13)}`;
    case 'Hermes':
      return `H100${random.digits(16)}`;
    case 'Yamato':
    case 'Sagawa':
      return random.digits(12);
    case 'Japan Post':
      return makeS10('EJ', random.digits(8), 'JP');
    case 'Canada Post':
      return random.digits(16);
    case 'An Post':
      return makeS10('CE', random.digits(8), 'IE');
    case 'COSCO Shipping':
      return `COSU${random.digits(10)}`;
    default:
      return `${pickLetters(random, 2)}${random.digits(12)}`;
  }
}

function pickLetters(random: DemoRandom, count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += UPPER.charAt(random.int(0, UPPER.length - 1));
  return text;
}
