import { makeUscc } from './demo-codes.js';
import { formatScaled } from './demo-decimal.js';
import type { DemoRow, DemoWarehouse, StockLedger } from './demo-model.js';
import type { DemoRandom } from './demo-random.js';
import { formatNaiveDateTime, MICROS_PER_MINUTE } from './demo-time.js';

/**
 * Builds one stock row per warehouse and SKU that ever arrived there, from
 * the movements in the ledger: on hand = received − shipped + restocked,
 * split into available and locked. The stock job rewrites a row shortly
 * after its last movement, which sets its updated_at.
 */
export function buildInventory(random: DemoRandom, warehouses: readonly DemoWarehouse[], ledger: StockLedger): DemoRow[] {
  const rows: DemoRow[] = [];

  for (const warehouse of warehouses) {
    const positions = ledger.positionsOf(warehouse.code).sort((a, b) => a.firstArrival - b.firstArrival);

    for (const position of positions) {
      const sku = position.sku;
      const onHand = Math.max(0, position.received + position.restocked - position.shipped);
      const locked = random.chance(0.3) ? random.int(0, Math.min(onHand, 6)) : 0;
      const available = onHand - locked;
      const inTransit = random.chance(0.15) ? random.int(2, 20) * 24 : 0;
      const updatedAt = position.lastMovement + random.int(MICROS_PER_MINUTE, 30 * MICROS_PER_MINUTE);

      rows.push({
        id: rows.length + 1,
        wh_code: warehouse.code,
        sku: sku.sku,
        owner_code: sku.owner.code,
        owner_name: sku.owner.name,
        owner_uscc: makeUscc(sku.owner.region, sku.owner.orgBody),
        available_qty: available,
        locked_qty: locked,
        in_transit_qty: inTransit,
        damaged_qty: position.damaged,
        unit_code: sku.unit,
        inventory_value: formatScaled(available * sku.declaredCents, 2),
        currency: 'USD',
        created_at: formatNaiveDateTime(position.firstArrival),
        updated_at: formatNaiveDateTime(updatedAt),
      });
    }
  }

  return rows;
}
