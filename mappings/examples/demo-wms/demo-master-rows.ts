import { makeEan13, makeUscc } from './demo-codes.js';
import { OWNERS, PRODUCTS } from './demo-catalog-goods.js';
import { DOMESTIC_CONTACTS, OPERATORS, WAREHOUSE_TEMPLATES } from './demo-catalog-places.js';
import { formatScaled, scaleUnits } from './demo-decimal.js';
import { DEMO_CALENDAR, type DemoRow, type DemoSku, type DemoWarehouse } from './demo-model.js';
import type { DemoRandom } from './demo-random.js';
import { formatNaiveDateTime, MICROS_PER_DAY, MICROS_PER_SECOND } from './demo-time.js';

/** The WMS product name the demo warehouses report. */
const WMS_NAME = 'demo-wms 3.2';

/** Share of SKUs that came in with the bulk import (percent). */
const BULK_IMPORT_PERCENT = 60;

/** Builds the warehouse master rows from the first `count` templates. */
export function buildWarehouses(random: DemoRandom, count: number): { rows: DemoRow[]; warehouses: DemoWarehouse[] } {
  const rows: DemoRow[] = [];
  const warehouses: DemoWarehouse[] = [];

  for (let i = 0; i < count; i++) {
    const template = WAREHOUSE_TEMPLATES[i]!;
    const operator = OPERATORS[i % OPERATORS.length]!;
    const contact = DOMESTIC_CONTACTS[i % DOMESTIC_CONTACTS.length]!;
    const createdAt = DEMO_CALENDAR.goLive + i * 90 * MICROS_PER_SECOND;
    const updatedAt = random.int(createdAt + MICROS_PER_DAY, DEMO_CALENDAR.editsUntil);
    const usedPercent = random.int(62, 94);
    const leased = template.ownership === 2;

    rows.push({
      id: i + 1,
      wh_code: template.code,
      wh_name: template.name,
      wh_name_en: template.nameEn,
      continent: template.continent,
      country_iso3: template.country,
      state_province: template.state,
      city: template.city,
      address: template.address,
      postal_code: template.postalCode,
      latitude: formatScaled(template.latitudeMicro, 6),
      longitude: formatScaled(template.longitudeMicro, 6),
      area_m2: formatScaled(template.areaCenti, 2),
      used_area_m2: formatScaled(scaleUnits(template.areaCenti, usedPercent, 100), 2),
      // Racked storage about six metres high.
      capacity_m3: formatScaled(template.areaCenti * 6, 2),
      ownership: template.ownership,
      wh_type: template.whType,
      status: 1,
      lease_start: leased ? `${template.openedOn.slice(0, 4)}-01-01` : null,
      lease_end: leased ? `${Number(template.openedOn.slice(0, 4)) + 8}-12-31` : null,
      daily_order_capacity: template.dailyOrderCapacity,
      staff_total: template.staffTotal,
      staff_overseas: template.staffOverseas,
      service_types: template.serviceTypes,
      wms_name: WMS_NAME,
      contact_name: contact.name,
      contact_phone: contact.phone,
      contact_email: contact.email,
      overseas_contact_name: template.overseasContact.name,
      overseas_contact_phone: template.overseasContact.phone,
      overseas_contact_email: template.overseasContact.email,
      operator_name: operator.name,
      operator_uscc: makeUscc(operator.region, operator.orgBody),
      opened_on: template.openedOn,
      remark: null,
      is_deleted: 0,
      created_at: formatNaiveDateTime(createdAt),
      updated_at: formatNaiveDateTime(updatedAt),
    });
    warehouses.push({ code: template.code, template, weight: template.dailyOrderCapacity });
  }

  return { rows, warehouses };
}

/**
 * Builds `count` SKUs by walking the products and their variants. Ids follow
 * creation time: the bulk import first, then SKUs listed one by one, and
 * last a few listed so late that no document uses them.
 */
export function buildSkus(random: DemoRandom, count: number): { rows: DemoRow[]; skus: DemoSku[] } {
  const bulkCount = Math.floor((count * BULK_IMPORT_PERCENT) / 100);
  const unstockedCount = Math.min(3, Math.floor(count / 50));
  const laterCount = count - bulkCount - unstockedCount;

  const createdTimes = [
    ...Array.from({ length: bulkCount }, () => DEMO_CALENDAR.skuBulkImport),
    ...sortedTimes(random, laterCount, DEMO_CALENDAR.skuBulkImport + MICROS_PER_DAY, DEMO_CALENDAR.skuCreatedUntil),
    ...sortedTimes(random, unstockedCount, DEMO_CALENDAR.unstockedSkusFrom, DEMO_CALENDAR.unstockedSkusUntil),
  ];

  const rows: DemoRow[] = [];
  const skus: DemoSku[] = [];
  const barcodeSerials = new Set<string>();

  for (let i = 0; i < count; i++) {
    const product = PRODUCTS[i % PRODUCTS.length]!;
    const round = Math.floor(i / PRODUCTS.length);
    const variant = product.variants[round % product.variants.length]!;
    const generation = Math.floor(round / product.variants.length);
    const sku = `${product.code}-${variant.code}${generation > 0 ? `-${generation + 1}` : ''}`;
    const owner = OWNERS[product.ownerIndex]!;
    const createdAt = createdTimes[i]!;

    // Variants differ a little in weight and price, as real catalogues do.
    const grossGrams = scaleUnits(product.grams, random.int(90, 115), 100);
    const netGrams = scaleUnits(grossGrams, random.int(78, 92), 100);
    const declaredCents = scaleUnits(product.priceCents, random.int(92, 112), 100);
    const skuData: DemoSku = {
      sku,
      product,
      owner,
      ownerUscc: makeUscc(owner.region, owner.orgBody),
      unit: product.unit,
      declaredCents,
      retailUsdCents: scaleUnits(declaredCents, random.int(220, 350), 100),
      grossGrams,
      netGrams,
      sizeMm: product.sizeMm,
      createdAt,
    };

    // Most bulk-imported SKUs were never edited and keep the shared time;
    // the late listings are too new to have been edited.
    const editable = createdAt < DEMO_CALENDAR.editsUntil;
    const edited = editable && (createdAt !== DEMO_CALENDAR.skuBulkImport || random.chance(0.3));
    const updatedAt = edited ? random.int(createdAt, DEMO_CALENDAR.editsUntil) : createdAt;
    const [length, width, height] = product.sizeMm;
    const name = `${product.zh} ${variant.zh}`;
    const nameEn = `${product.en}, ${variant.en}`;
    const legalQty = product.legalUnit === '035' ? formatScaled(netGrams, 3) : formatScaled(1000, 3);

    rows.push({
      id: i + 1,
      sku,
      sku_name: name,
      sku_name_en: nameEn,
      hs_code: product.hsCode,
      spec: `品牌:${product.brand ?? '无品牌'}|型号:${sku}|${variant.zh}|${product.specExtra}`,
      brand: product.brand,
      barcode: makeEan13(uniqueBarcodeBody(random, barcodeSerials)),
      origin_country: product.origin,
      unit_code: product.unit,
      legal_unit_code: product.legalUnit,
      legal_qty: legalQty,
      declared_price: formatScaled(declaredCents, 2),
      currency: 'USD',
      gross_weight_kg: formatScaled(grossGrams, 3),
      net_weight_kg: formatScaled(netGrams, 3),
      length_cm: formatScaled(length, 1),
      width_cm: formatScaled(width, 1),
      height_cm: formatScaled(height, 1),
      owner_code: owner.code,
      owner_name: owner.name,
      owner_uscc: skuData.ownerUscc,
      is_deleted: 0,
      created_at: formatNaiveDateTime(createdAt),
      updated_at: formatNaiveDateTime(updatedAt),
    });
    skus.push(skuData);
  }

  return { rows, skus };
}

function sortedTimes(random: DemoRandom, count: number, from: number, until: number): number[] {
  return Array.from({ length: count }, () => random.int(from, until)).sort((a, b) => a - b);
}

/** 12 digits starting with the GS1 China prefix 69, unique within the run. */
function uniqueBarcodeBody(random: DemoRandom, used: Set<string>): string {
  for (;;) {
    const body = `69${random.int(0, 9)}${random.digits(9)}`;
    if (!used.has(body)) {
      used.add(body);
      return body;
    }
  }
}
