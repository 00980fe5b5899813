import type { Owner, Product } from './demo-catalog-goods.js';
import type { WarehouseTemplate } from './demo-catalog-places.js';
import { naiveMicros } from './demo-time.js';

/** Tables of the demo schema in insertion order; lines follow their orders. */
export const DEMO_WMS_TABLES = [
  'wh_warehouse',
  'wh_sku',
  'wh_inbound_order',
  'wh_inbound_line',
  'wh_outbound_order',
  'wh_outbound_line',
  'wh_return_order',
  'wh_return_line',
  'wh_inventory',
] as const;

/** One row for better-sqlite3, keyed by column name. */
export type DemoRow = Record<string, string | number | null>;

/** Rows to insert, by table, in insertion (id) order. */
export type DemoTables = Record<string, DemoRow[]>;

/**
 * The calendar of the invented history. Everything happens between January
 * 2025 and November 2026, before the demo runs, so a reader whose upper
 * bound is "now minus a safety lag" reads every row.
 */
export const DEMO_CALENDAR = {
  /** The WMS went live: warehouse master rows were entered. */
  goLive: naiveMicros(2025, 1, 3, 10, 0, 0),
  /** Most SKUs arrived in one bulk import and share this updated_at to the microsecond. */
  skuBulkImport: naiveMicros(2025, 1, 6, 9, 30, 0),
  /** Later SKUs were created one by one until this time. */
  skuCreatedUntil: naiveMicros(2026, 6, 30),
  /** A few SKUs were listed after the last shipment and were never stocked. */
  unstockedSkusFrom: naiveMicros(2026, 10, 20),
  unstockedSkusUntil: naiveMicros(2026, 10, 31),
  inboundCreatedFrom: naiveMicros(2025, 1, 8),
  inboundCreatedUntil: naiveMicros(2026, 8, 31),
  outboundOrderedFrom: naiveMicros(2025, 2, 1),
  outboundOrderedUntil: naiveMicros(2026, 10, 15),
  /** Master data edits happen up to this time. */
  editsUntil: naiveMicros(2026, 10, 15),
  /** No return is received after this time. */
  returnsReceivedUntil: naiveMicros(2026, 11, 10),
} as const;

export interface DemoWarehouse {
  code: string;
  template: WarehouseTemplate;
  /** Relative share of orders; larger warehouses get more. */
  weight: number;
}

export interface DemoSku {
  sku: string;
  product: Product;
  owner: Owner;
  ownerUscc: string;
  unit: string;
  declaredCents: number;
  /** Typical retail price in US cents, before conversion to the market's currency. */
  retailUsdCents: number;
  grossGrams: number;
  netGrams: number;
  sizeMm: readonly [number, number, number];
  createdAt: number;
}

/** Stock movements of one warehouse and SKU, collected while documents are invented. */
export interface StockPosition {
  warehouse: string;
  sku: DemoSku;
  firstArrival: number;
  lastMovement: number;
  received: number;
  shipped: number;
  restocked: number;
  damaged: number;
}

/** Stock positions by warehouse code, in the order the SKUs first arrived. */
export class StockLedger {
  private readonly byWarehouse = new Map<string, Map<string, StockPosition>>();

  /** Records a put-away; the first one sets the arrival time. */
  receive(warehouse: string, sku: DemoSku, qty: number, at: number): void {
    let positions = this.byWarehouse.get(warehouse);
    if (positions === undefined) {
      positions = new Map();
      this.byWarehouse.set(warehouse, positions);
    }

    const position = positions.get(sku.sku);
    if (position === undefined) {
      positions.set(sku.sku, { warehouse, sku, firstArrival: at, lastMovement: at, received: qty, shipped: 0, restocked: 0, damaged: 0 });
      return;
    }
    position.received += qty;
    position.firstArrival = Math.min(position.firstArrival, at);
    position.lastMovement = Math.max(position.lastMovement, at);
  }

  /** Returns the position of a stocked SKU; throws when the SKU never arrived there. */
  position(warehouse: string, sku: string): StockPosition {
    const position = this.byWarehouse.get(warehouse)?.get(sku);
    if (position === undefined) throw new Error(`StockLedger: ${sku} was never received in ${warehouse}`);
    return position;
  }

  /** Units that can still ship: received and restocked minus shipped. */
  free(position: StockPosition): number {
    return position.received + position.restocked - position.shipped;
  }

  positionsOf(warehouse: string): StockPosition[] {
    return [...(this.byWarehouse.get(warehouse)?.values() ?? [])];
  }

  warehouses(): string[] {
    return [...this.byWarehouse.keys()];
  }
}
