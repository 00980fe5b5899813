import { makeTrackingNo } from './demo-codes.js';
import { RETURN_REASONS } from './demo-catalog-places.js';
import { DEMO_CALENDAR, type DemoRow, type StockLedger } from './demo-model.js';
import type { ShippedSale } from './demo-outbound-rows.js';
import type { DemoRandom } from './demo-random.js';
import { compactDate, formatNaiveDateTime, MICROS_PER_DAY, MICROS_PER_HOUR } from './demo-time.js';

/** Reasons after which the goods usually come back damaged. */
const DAMAGE_REASONS = new Set<string>(['商品破损', '质量问题', '外包装破损']);

/**
 * Invents up to `count` returns of shipped B2C sales, at most one per sale,
 * and books sellable units back into stock and damaged ones into the
 * damaged bucket. Sales too recent to come back are skipped, so fewer
 * returns are made when few sales qualify.
 */
export function buildReturns(
  random: DemoRandom,
  count: number,
  sales: readonly ShippedSale[],
  ledger: StockLedger,
): { orders: DemoRow[]; lines: DemoRow[] } {
  const latestShipment = DEMO_CALENDAR.returnsReceivedUntil - 45 * MICROS_PER_DAY;
  const eligible = sales.filter((sale) => sale.shippedAt <= latestShipment);

  const drafts = random.sample(eligible, count).map((sale) => {
    const receivedAt = sale.shippedAt + random.int(7, 40) * MICROS_PER_DAY + random.int(0, 10 * MICROS_PER_HOUR);
    const createdAt = receivedAt - random.int(1, 5) * MICROS_PER_DAY;
    const updatedAt = receivedAt + random.int(MICROS_PER_HOUR, 72 * MICROS_PER_HOUR);
    return { sale, receivedAt, createdAt, updatedAt };
  });
  drafts.sort((a, b) => a.createdAt - b.createdAt);

  const orders: DemoRow[] = [];
  const lines: DemoRow[] = [];
  const dailySerials = new Map<string, number>();

  for (const { sale, receivedAt, createdAt, updatedAt } of drafts) {
    const id = orders.length + 1;
    const day = compactDate(createdAt);
    const serial = (dailySerials.get(day) ?? 0) + 1;
    dailySerials.set(day, serial);

    const reason = random.pick(RETURN_REASONS);
    const damageLikely = DAMAGE_REASONS.has(reason);
    const returned = random.sample(sale.lines, random.int(1, sale.lines.length));
    const conditions = returned.map(() => (random.chance(damageLikely ? 0.7 : 0.1) ? 2 : 1));
    const anyDamaged = conditions.includes(2);
    const disposition = anyDamaged ? random.pickWeighted([[2, 50], [3, 40], [4, 10]] as const) : random.pickWeighted([[1, 95], [9, 5]] as const);

    returned.forEach((line, index) => {
      const qty = random.int(1, line.qty);
      const condition = conditions[index]!;
      const position = ledger.position(sale.warehouse.code, line.sku.sku);
      if (condition === 1 && disposition === 1) position.restocked += qty;
      if (condition === 2 && disposition === 2) position.damaged += qty;
      position.lastMovement = Math.max(position.lastMovement, updatedAt);

      lines.push({
        id: lines.length + 1,
        return_id: id,
        line_no: index + 1,
        sku: line.sku.sku,
        qty,
        unit_code: line.sku.unit,
        item_condition: condition,
        is_deleted: 0,
        created_at: formatNaiveDateTime(createdAt),
        updated_at: formatNaiveDateTime(receivedAt),
      });
    });

    orders.push({
      id,
      return_no: `TH${day}${String(serial).padStart(4, '0')}`,
      wh_code: sale.warehouse.code,
      original_order_no: sale.orderNo,
      original_outbound_no: sale.outboundNo,
      platform_name: sale.platformName,
      return_reason: reason,
      return_tracking_no: makeTrackingNo(random.pickWeighted(sale.warehouse.template.market.carriers), random),
      buyer_country: sale.buyerCountry,
      received_at: formatNaiveDateTime(receivedAt),
      disposition,
      status: 30,
      is_deleted: 0,
      created_at: formatNaiveDateTime(createdAt),
      updated_at: formatNaiveDateTime(updatedAt),
    });
  }

  return { orders, lines };
}
