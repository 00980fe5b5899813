import { makeTrackingNo, makeUscc } from './demo-codes.js';
import { BUYER_CITIES, type Market } from './demo-catalog-places.js';
import { formatScaled, scaleUnits } from './demo-decimal.js';
import { DEMO_CALENDAR, type DemoRow, type DemoSku, type DemoWarehouse, type StockLedger, type StockPosition } from './demo-model.js';
import type { DemoRandom } from './demo-random.js';
import { compactDate, formatNaiveDateTime, MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE } from './demo-time.js';

/** 01 B2C sale, 02 B2B, 03 transfer, 04 shipped back to China, 05 destroyed. */
const OUTBOUND_TYPES: ReadonlyArray<readonly [string, number]> = [['01', 92], ['02', 4], ['03', 2], ['04', 1], ['05', 1]];

const PLATFORM_CODES: Readonly<Record<string, string>> = {
  Amazon: 'AMAZON',
  eBay: 'EBAY',
  Walmart: 'WALMART',
  Shopify: 'SHOPIFY',
  'TikTok Shop': 'TIKTOK',
};

/** Packaging weight of one parcel in grams. */
const PARCEL_GRAMS = 80;

/** A shipped B2C order, as the return generator uses it. */
export interface ShippedSale {
  outboundNo: string;
  warehouse: DemoWarehouse;
  orderNo: string;
  platformName: string;
  buyerCountry: string;
  shippedAt: number;
  lines: Array<{ sku: DemoSku; qty: number }>;
}

interface OutboundDraft {
  warehouse: DemoWarehouse;
  outboundType: string;
  orderedAt: number;
  createdAt: number;
  shippedAt: number;
  updatedAt: number;
  lines: Array<{ position: StockPosition; qty: number; updatedAt: number }>;
}

/**
 * Invents `count` shipped outbound orders from stock that had arrived
 * before the order, and books the shipped units in the ledger.
 */
export function buildOutbound(
  random: DemoRandom,
  count: number,
  warehouses: readonly DemoWarehouse[],
  ledger: StockLedger,
): { orders: DemoRow[]; lines: DemoRow[]; sales: ShippedSale[] } {
  const stocked = warehouses.filter((w) => ledger.positionsOf(w.code).length > 0);
  if (count > 0 && stocked.length === 0) {
    throw new RangeError('generateDemoWms: outbound orders need stock; set inbound to at least 1');
  }

  const drafts: OutboundDraft[] = [];
  for (let i = 0; i < count; i++) drafts.push(draftOutbound(random, stocked, warehouses.length, ledger));
  drafts.sort((a, b) => a.createdAt - b.createdAt);

  const orders: DemoRow[] = [];
  const lines: DemoRow[] = [];
  const sales: ShippedSale[] = [];
  const dailySerials = new Map<string, number>();
  const orderNumbers = new OrderNumbers(random);

  for (const draft of drafts) {
    const id = orders.length + 1;
    const day = compactDate(draft.createdAt);
    const serial = (dailySerials.get(day) ?? 0) + 1;
    dailySerials.set(day, serial);
    const outboundNo = `CK${day}${String(serial).padStart(4, '0')}`;

    const market = draft.warehouse.template.market;
    const owner = draft.lines[0]!.position.sku.owner;
    const isSale = draft.outboundType === '01';
    const hasBuyer = isSale || draft.outboundType === '02';
    // Sales are priced in the market's currency; stock moves at declared value in USD.
    const currency = hasBuyer ? market.currency : 'USD';
    const platformName = isSale ? random.pickWeighted(market.platforms) : null;
    const buyerCountry = hasBuyer ? random.pickWeighted(market.destinations) : null;
    const buyerCity = buyerCountry === null ? null : random.pick(BUYER_CITIES[buyerCountry] ?? [{ city: '', postal: '#####' }]);
    // Destroyed goods are not shipped, and goods sent back to China go by sea.
    let carrier: string | null = null;
    if (draft.outboundType === '04') carrier = 'COSCO Shipping';
    else if (draft.outboundType !== '05') carrier = random.pickWeighted(market.carriers);

    let valueCents = 0;
    let grams = 0;
    let units = 0;
    draft.lines.forEach((line, index) => {
      const sku = line.position.sku;
      const priceCents = hasBuyer ? salePriceCents(sku, market) : sku.declaredCents;
      valueCents += priceCents * line.qty;
      grams += sku.grossGrams * line.qty;
      units += line.qty;

      lines.push({
        id: lines.length + 1,
        outbound_id: id,
        line_no: index + 1,
        sku: sku.sku,
        qty: line.qty,
        unit_code: sku.unit,
        price: formatScaled(priceCents, 2),
        total_price: formatScaled(priceCents * line.qty, 2),
        currency,
        is_deleted: 0,
        created_at: formatNaiveDateTime(draft.createdAt),
        updated_at: formatNaiveDateTime(line.updatedAt),
      });
    });

    const packages = isSale ? 1 : Math.max(1, Math.ceil(units / 20));
    const orderNo = isSale
      ? orderNumbers.platformOrderNo(platformName!, buyerCountry!, owner.store)
      : draft.outboundType === '02'
        ? orderNumbers.purchaseOrderNo(owner.code)
        : null;

    orders.push({
      id,
      outbound_no: outboundNo,
      wh_code: draft.warehouse.code,
      outbound_type: draft.outboundType,
      platform_name: platformName,
      platform_code: platformName === null ? null : PLATFORM_CODES[platformName]!,
      store_name: isSale ? `${owner.store} ${draft.warehouse.template.country}` : null,
      order_no: orderNo,
      ordered_at: hasBuyer ? formatNaiveDateTime(draft.orderedAt) : null,
      seller_name: owner.name,
      seller_uscc: makeUscc(owner.region, owner.orgBody),
      buyer_country: buyerCountry,
      buyer_city: buyerCity?.city ?? null,
      buyer_postal_code: buyerCity === null ? null : fillPattern(random, buyerCity.postal),
      carrier,
      tracking_no: carrier === null ? null : makeTrackingNo(carrier, random),
      shipped_at: formatNaiveDateTime(draft.shippedAt),
      goods_value: formatScaled(valueCents, 2),
      // Destroyed goods leave the warehouse without transport.
      freight: carrier === null ? null : formatScaled(freightCents(random, draft.outboundType, platformName, hasBuyer ? market : null, packages), 2),
      currency,
      package_count: packages,
      gross_weight_kg: formatScaled(grams + packages * PARCEL_GRAMS, 3),
      status: 30,
      is_deleted: 0,
      created_at: formatNaiveDateTime(draft.createdAt),
      updated_at: formatNaiveDateTime(draft.updatedAt),
    });

    if (isSale) {
      sales.push({
        outboundNo,
        warehouse: draft.warehouse,
        orderNo: orderNo!,
        platformName: platformName!,
        buyerCountry: buyerCountry!,
        shippedAt: draft.shippedAt,
        lines: draft.lines.map((line) => ({ sku: line.position.sku, qty: line.qty })),
      });
    }
  }

  return { orders, lines, sales };
}

function draftOutbound(random: DemoRandom, stocked: readonly DemoWarehouse[], warehouseCount: number, ledger: StockLedger): OutboundDraft {
  const warehouse = random.pickWeighted(stocked.map((w) => [w, w.weight] as const));
  let outboundType = random.pickWeighted(OUTBOUND_TYPES);
  if (outboundType === '03' && warehouseCount < 2) outboundType = '01';

  // Only stock that arrived a day before the order can ship. Early in the
  // history nothing may have arrived yet; then the order moves to after
  // the warehouse's first arrival.
  let orderedAt = random.int(DEMO_CALENDAR.outboundOrderedFrom, DEMO_CALENDAR.outboundOrderedUntil);
  const positionsHere = ledger.positionsOf(warehouse.code);
  const withFreeStock = positionsHere.filter((p) => ledger.free(p) > 0);
  // With tiny inbound volumes everything may be sold out; then the order oversells.
  const inStock = withFreeStock.length > 0 ? withFreeStock : positionsHere;
  let available = inStock.filter((p) => p.firstArrival + MICROS_PER_DAY <= orderedAt);
  if (available.length === 0) {
    const earliest = Math.min(...inStock.map((p) => p.firstArrival));
    orderedAt = earliest + random.int(1, 10) * MICROS_PER_DAY + random.int(0, 12 * MICROS_PER_HOUR);
    available = inStock.filter((p) => p.firstArrival + MICROS_PER_DAY <= orderedAt);
  }

  // One order ships goods of one seller.
  const first = random.pick(available);
  const sameOwner = available.filter((p) => p !== first && p.sku.owner === first.sku.owner);
  const lineCount = random.pickWeighted([[1, 60], [2, 25], [3, 10], [4, 5]] as const);
  const positions = [first, ...random.sample(sameOwner, lineCount - 1)];

  const createdAt = orderedAt + random.int(MICROS_PER_MINUTE, 20 * MICROS_PER_MINUTE);
  const shippedAt = createdAt + random.int(4 * MICROS_PER_HOUR, 48 * MICROS_PER_HOUR);
  const updatedAt = shippedAt + random.int(MICROS_PER_MINUTE, 60 * MICROS_PER_MINUTE);

  const lines = positions.map((position) => {
    const requested = outboundType === '01' ? random.pickWeighted([[1, 70], [2, 20], [3, 10]] as const) : random.int(10, 120);
    const qty = Math.max(1, Math.min(requested, ledger.free(position)));
    position.shipped += qty;
    position.lastMovement = Math.max(position.lastMovement, shippedAt);
    // A few lines were edited while the order waited for picking.
    const edited = random.chance(0.02);
    return { position, qty, updatedAt: edited ? random.int(createdAt, shippedAt) : createdAt };
  });

  return { warehouse, outboundType, orderedAt, createdAt, shippedAt, updatedAt, lines };
}

/** Retail price in the market's currency: .99 endings, whole tens for JPY. */
function salePriceCents(sku: DemoSku, market: Market): number {
  const local = scaleUnits(sku.retailUsdCents, market.per100Usd, 100);
  if (market.currency === 'JPY') return Math.ceil(local / 1000) * 1000;
  return Math.floor(local / 100) * 100 + 99;
}

/** Freight in the sale's currency, or in USD when `market` is null (stock moves). */
function freightCents(random: DemoRandom, outboundType: string, platformName: string | null, market: Market | null, packages: number): number {
  // Amazon orders are mostly sold with free shipping.
  if (outboundType === '01' && (platformName === 'Amazon' ? random.chance(0.75) : random.chance(0.3))) return 0;

  const usdCents = (outboundType === '01' ? random.int(399, 999) : random.int(1500, 4500)) * packages;
  if (market === null) return usdCents;

  const local = scaleUnits(usdCents, market.per100Usd, 100);
  // The yen has no minor unit.
  return market.currency === 'JPY' ? scaleUnits(local, 1, 100) * 100 : local;
}

/** Fills a postal pattern: '#' becomes a digit and '@' a capital letter. */
function fillPattern(random: DemoRandom, pattern: string): string {
  const letters = 'ABDEFGHJLNPQRSTUWXYZ';
  let text = '';
  for (const char of pattern) {
    if (char === '#') text += String(random.int(0, 9));
    else if (char === '@') text += letters.charAt(random.int(0, letters.length - 1));
    else text += char;
  }
  return text;
}

/** Sales platform order numbers in each platform's usual shape, unique within the run. */
class OrderNumbers {
  private readonly used = new Set<string>();
  private readonly storeCounters = new Map<string, number>();
  private purchaseCounter = 0;

  constructor(private readonly random: DemoRandom) {}

  platformOrderNo(platform: string, buyerCountry: string, store: string): string {
    const random = this.random;
    for (;;) {
      let orderNo: string;
      switch (platform) {
        case 'Amazon': {
          let region = '20';
          if (buyerCountry === 'USA' || buyerCountry === 'CAN') region = '11';
          if (buyerCountry === 'JPN') region = '25';
          orderNo = `${region}${random.int(1, 6)}-${random.digits(7)}-${random.digits(7)}`;
          break;
        }
        case 'eBay':
          orderNo = `${random.digits(2)}-${random.digits(5)}-${random.digits(5)}`;
          break;
        case 'Walmart':
          orderNo = `10${random.digits(13)}`;
          break;
        case 'TikTok Shop':
          orderNo = `57${random.digits(16)}`;
          break;
        default: {
          // Shopify numbers count up per store, behind a prefix the merchant chooses.
          const next = (this.storeCounters.get(store) ?? 1000) + 1;
          this.storeCounters.set(store, next);
          orderNo = `${initials(store)}-${next}`;
        }
      }
      if (!this.used.has(orderNo)) {
        this.used.add(orderNo);
        return orderNo;
      }
    }
  }

  purchaseOrderNo(ownerCode: string): string {
    this.purchaseCounter += 1;
    return `PO-${ownerCode}-${String(this.purchaseCounter).padStart(5, '0')}`;
  }
}

function initials(store: string): string {
  return store
    .split(' ')
    .map((word) => word.charAt(0).toUpperCase())
    .join('');
}
