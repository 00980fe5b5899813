import { makeAirWaybill, makeContainerNo, makeExportEntryId, makeExportInvtNo, makeUscc } from './demo-codes.js';
import { OWNERS } from './demo-catalog-goods.js';
import { CUSTOMS_OFFICES } from './demo-catalog-places.js';
import { formatScaled, scaleUnits } from './demo-decimal.js';
import { DEMO_CALENDAR, type DemoRow, type DemoSku, type DemoWarehouse, type StockLedger } from './demo-model.js';
import type { DemoRandom } from './demo-random.js';
import { compactDate, formatNaiveDate, formatNaiveDateTime, MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE } from './demo-time.js';

/** Export declarations by 监管方式 for first-leg stock; transfers and others carry none. */
const TRADE_MODES: ReadonlyArray<readonly [string, number]> = [['9810', 55], ['9710', 15], ['9610', 15], ['0110', 15]];

const SEA_CARRIERS = ['COS', 'MSC', 'OOL', 'EGL'] as const;
const AIRLINE_PREFIXES = ['999', '784', '781', '880'] as const;

/** Packaging weight of one export carton in grams. */
const CARTON_GRAMS = 350;

/** Inner volume of one export carton in cubic millimetres (about 60 litres). */
const CARTON_MM3 = 60_000_000;

interface InboundDraft {
  createdAt: number;
  warehouse: DemoWarehouse;
  inboundType: string;
  tradeMode: string | null;
  exportAt: number | null;
  arrivedAt: number;
  putawayAt: number;
  updatedAt: number;
  bySea: boolean;
  ownerIndex: number;
  sourceWarehouse: string | null;
  lines: Array<{ sku: DemoSku; cartons: number; qty: number; updatedAt: number }>;
}

/**
 * Invents `count` completed inbound orders (put-away done) and records
 * their stock in the ledger. Orders are numbered in creation order, so ids,
 * numbers and created_at all ascend together.
 */
export function buildInbound(
  random: DemoRandom,
  count: number,
  warehouses: readonly DemoWarehouse[],
  skus: readonly DemoSku[],
  ledger: StockLedger,
): { orders: DemoRow[]; lines: DemoRow[] } {
  const drafts: InboundDraft[] = [];
  for (let i = 0; i < count; i++) drafts.push(draftInbound(random, warehouses, skus));
  drafts.sort((a, b) => a.createdAt - b.createdAt);

  const orders: DemoRow[] = [];
  const lines: DemoRow[] = [];
  const dailySerials = new Map<string, number>();
  const declarationSerials = new Map<string, number>();

  for (const draft of drafts) {
    const id = orders.length + 1;
    const day = compactDate(draft.createdAt);
    const serial = (dailySerials.get(day) ?? 0) + 1;
    dailySerials.set(day, serial);

    const declaration = declare(random, draft, declarationSerials);
    const owner = OWNERS[draft.ownerIndex]!;
    let grams = 0;
    let mm3 = 0;
    let valueCents = 0;
    let cartons = 0;

    draft.lines.forEach((line, index) => {
      const [length, width, height] = line.sku.sizeMm;
      grams += line.qty * line.sku.grossGrams;
      mm3 += line.qty * length * width * height;
      valueCents += line.qty * line.sku.declaredCents;
      cartons += line.cartons;
      ledger.receive(draft.warehouse.code, line.sku, line.qty, draft.putawayAt);

      lines.push({
        id: lines.length + 1,
        inbound_id: id,
        line_no: index + 1,
        sku: line.sku.sku,
        hs_code: line.sku.product.hsCode,
        qty: line.qty,
        unit_code: line.sku.unit,
        carton_count: line.cartons,
        entry_item_no: declaration.entryId === null ? null : index + 1,
        price: formatScaled(line.sku.declaredCents, 2),
        total_price: formatScaled(line.qty * line.sku.declaredCents, 2),
        is_deleted: 0,
        created_at: formatNaiveDateTime(draft.createdAt),
        updated_at: formatNaiveDateTime(line.updatedAt),
      });
    });

    orders.push({
      id,
      inbound_no: `RK${day}${String(serial).padStart(4, '0')}`,
      wh_code: draft.warehouse.code,
      inbound_type: draft.inboundType,
      trade_mode: draft.tradeMode,
      entry_id: declaration.entryId,
      invt_no: declaration.invtNo,
      export_date: draft.exportAt === null ? null : formatNaiveDate(draft.exportAt),
      bill_no: declaration.billNo,
      first_leg_tracking_no: declaration.trackingNo,
      owner_code: owner.code,
      owner_name: owner.name,
      owner_uscc: makeUscc(owner.region, owner.orgBody),
      arrived_at: formatNaiveDateTime(draft.arrivedAt),
      putaway_at: formatNaiveDateTime(draft.putawayAt),
      package_count: cartons,
      gross_weight_kg: formatScaled(grams + cartons * CARTON_GRAMS, 3),
      // Cubic millimetres to litres, i.e. thousandths of a cubic metre.
      volume_m3: formatScaled(scaleUnits(Math.max(mm3, cartons * CARTON_MM3), 1, 1_000_000), 3),
      total_value: formatScaled(valueCents, 2),
      currency: 'USD',
      status: 30,
      remark: draft.sourceWarehouse === null ? null : `由${draft.sourceWarehouse}调拨`,
      is_deleted: 0,
      created_at: formatNaiveDateTime(draft.createdAt),
      updated_at: formatNaiveDateTime(draft.updatedAt),
    });
  }

  return { orders, lines };
}

function draftInbound(random: DemoRandom, warehouses: readonly DemoWarehouse[], skus: readonly DemoSku[]): InboundDraft {
  const warehouse = random.pickWeighted(warehouses.map((w) => [w, w.weight] as const));
  const ownerIndex = random.int(0, OWNERS.length - 1);
  const createdAt = random.int(DEMO_CALENDAR.inboundCreatedFrom, DEMO_CALENDAR.inboundCreatedUntil);

  // Only SKUs of this owner that existed when the order was created.
  let candidates = skus.filter((s) => s.owner.code === OWNERS[ownerIndex]!.code && s.createdAt <= createdAt);
  if (candidates.length === 0) candidates = skus.filter((s) => s.createdAt <= createdAt);
  if (candidates.length === 0) candidates = [skus[0]!];

  const otherWarehouses = warehouses.filter((w) => w !== warehouse);
  // 88 % first-leg stock, 7 % transfers (with a second warehouse), the rest other receipts.
  const typeDraw = random.int(1, 100);
  let inboundType = '99';
  if (typeDraw <= 88) inboundType = '01';
  else if (typeDraw <= 95 && otherWarehouses.length > 0) inboundType = '03';
  const tradeMode = inboundType === '01' ? random.pickWeighted(TRADE_MODES) : null;

  // First-leg transit: by sea 18-35 days, by air 3-8 days; local moves take 1-4 days.
  const bySea = random.chance(0.7);
  const exportAt = inboundType === '01' ? createdAt + random.int(1, 5) * MICROS_PER_DAY + random.int(0, 8 * MICROS_PER_HOUR) : null;
  const transitDays = inboundType !== '01' ? random.int(1, 4) : bySea ? random.int(18, 35) : random.int(3, 8);
  const arrivedAt = (exportAt ?? createdAt) + transitDays * MICROS_PER_DAY + random.int(0, 10 * MICROS_PER_HOUR);
  const putawayAt = arrivedAt + random.int(4 * MICROS_PER_HOUR, 48 * MICROS_PER_HOUR);
  const updatedAt = putawayAt + random.int(MICROS_PER_MINUTE, 30 * MICROS_PER_MINUTE);

  const lineCount = random.pickWeighted([[1, 30], [2, 25], [3, 20], [4, 15], [5, 10]] as const);
  const lines = random.sample(candidates, lineCount).map((sku) => {
    const cartons = random.int(2, 40);
    const qty = cartons * unitsPerCarton(sku);
    // Most lines are written with the order; a few are corrected at receipt.
    const corrected = random.chance(0.03);
    return { sku, cartons, qty, updatedAt: corrected ? putawayAt - random.int(1, 60) * MICROS_PER_MINUTE : createdAt };
  });

  return {
    createdAt,
    warehouse,
    inboundType,
    tradeMode,
    exportAt,
    arrivedAt,
    putawayAt,
    updatedAt,
    bySea,
    ownerIndex,
    sourceWarehouse: inboundType === '03' ? random.pick(otherWarehouses).code : null,
    lines,
  };
}

/** Returns how many units fit one export carton, between 4 and 120. */
function unitsPerCarton(sku: DemoSku): number {
  const [length, width, height] = sku.sizeMm;
  return Math.min(120, Math.max(4, Math.floor(CARTON_MM3 / (length * width * height))));
}

interface Declaration {
  entryId: string | null;
  invtNo: string | null;
  billNo: string | null;
  trackingNo: string | null;
}

/** 报关单号 for 9810/9710/0110 and 清单编号 for 9610, with serials unique per office and year. */
function declare(random: DemoRandom, draft: InboundDraft, serials: Map<string, number>): Declaration {
  if (draft.exportAt === null || draft.tradeMode === null) {
    return { entryId: null, invtNo: null, billNo: null, trackingNo: null };
  }

  const office = random.pick(CUSTOMS_OFFICES);
  const year = Number(formatNaiveDate(draft.exportAt).slice(0, 4));
  const serialKey = `${office}${year}${draft.tradeMode === '9610' ? 'E' : '0'}`;
  const serial = (serials.get(serialKey) ?? random.int(1000, 90000)) + random.int(1, 40);
  serials.set(serialKey, serial);

  const entryId = draft.tradeMode === '9610' ? null : makeExportEntryId(office, year, serial);
  const invtNo = draft.tradeMode === '9610' ? makeExportInvtNo(office, year, serial) : null;

  if (draft.bySea) {
    const carrier = random.pick(SEA_CARRIERS);
    return { entryId, invtNo, billNo: `${carrier}U${random.digits(10)}`, trackingNo: makeContainerNo(carrier, random.digits(6)) };
  }
  const awb = makeAirWaybill(random.pick(AIRLINE_PREFIXES), random.int(1_000_000, 9_999_999));
  return { entryId, invtNo, billNo: awb, trackingNo: awb };
}
