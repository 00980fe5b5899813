-- demo-wms: an invented overseas-warehouse WMS schema for SQLite, shaped the
-- way a Chinese WMS vendor's database often looks. The demo generator fills it
-- with invented data; the demo mappings read it.
--
-- Conventions:
-- * ids are INTEGER PRIMARY KEY (SQLite rowid aliases).
-- * Decimal amounts, weights, areas and coordinates are TEXT holding the
--   digits (scale noted per column), because a column declared DECIMAL or
--   NUMERIC would get SQLite's NUMERIC affinity and turn '12.50' into the
--   binary float 12.5.
-- * Quantities are whole units and therefore INTEGER.
-- * Times are naive Asia/Shanghai wall-clock text 'YYYY-MM-DD HH:MM:SS.ffffff'
--   and dates are 'YYYY-MM-DD'.
-- * Documents refer to warehouses by wh_code and to goods by sku, as many
--   WMS products do. Lines refer to their order by id.
-- * Every table has updated_at; the (updated_at, id) index serves the keyset
--   reads of the change cursor.

CREATE TABLE wh_warehouse (
  id INTEGER PRIMARY KEY,
  wh_code TEXT NOT NULL UNIQUE,
  wh_name TEXT NOT NULL,
  wh_name_en TEXT,
  continent TEXT,                       -- AS, EU, NA, SA, AF, OC
  country_iso3 TEXT NOT NULL,           -- ISO 3166-1 alpha-3
  state_province TEXT,
  city TEXT NOT NULL,
  address TEXT NOT NULL,
  postal_code TEXT,
  latitude TEXT,                        -- WGS-84 degrees, scale 6
  longitude TEXT,                       -- WGS-84 degrees, scale 6
  area_m2 TEXT NOT NULL,                -- scale 2
  used_area_m2 TEXT,                    -- scale 2
  capacity_m3 TEXT,                     -- scale 2
  ownership INTEGER NOT NULL CHECK (ownership IN (1, 2, 3)),  -- 1 owned, 2 leased, 3 partner-operated
  wh_type INTEGER NOT NULL CHECK (wh_type IN (1, 2, 3, 9)),  -- 1 public 3PL, 2 self-operated, 3 platform, 9 other
  status INTEGER NOT NULL CHECK (status IN (1, 2, 3)),       -- 1 operating, 2 under construction, 3 closed
  lease_start DATE,                     -- 'YYYY-MM-DD', leased warehouses only
  lease_end DATE,
  daily_order_capacity INTEGER,
  staff_total INTEGER,
  staff_overseas INTEGER,
  service_types TEXT,                   -- comma-separated codes, e.g. '01,02,03'
  wms_name TEXT,
  contact_name TEXT,
  contact_phone TEXT,
  contact_email TEXT,
  overseas_contact_name TEXT,
  overseas_contact_phone TEXT,
  overseas_contact_email TEXT,
  operator_name TEXT NOT NULL,
  operator_uscc TEXT NOT NULL,          -- 统一社会信用代码, 18 characters
  opened_on DATE,                       -- 'YYYY-MM-DD'
  remark TEXT,
  is_deleted INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX ix_wh_warehouse_updated ON wh_warehouse (updated_at, id);

CREATE TABLE wh_sku (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  sku_name TEXT NOT NULL,               -- Chinese name
  sku_name_en TEXT,
  hs_code TEXT NOT NULL,                -- 10 digits
  spec TEXT NOT NULL,                   -- 规格型号 / declaration elements
  brand TEXT,
  barcode TEXT,                         -- EAN-13
  origin_country TEXT,                  -- ISO 3166-1 alpha-3
  unit_code TEXT NOT NULL,              -- customs unit code, e.g. 007 个, 011 件
  legal_unit_code TEXT,                 -- customs legal unit, often 035 千克
  legal_qty TEXT,                       -- legal quantity per unit, scale 3
  declared_price TEXT NOT NULL,         -- scale 2
  currency TEXT NOT NULL,               -- ISO 4217
  gross_weight_kg TEXT,                 -- scale 3
  net_weight_kg TEXT,                   -- scale 3
  length_cm TEXT,                       -- scale 1
  width_cm TEXT,                        -- scale 1
  height_cm TEXT,                       -- scale 1
  owner_code TEXT NOT NULL,             -- 货主 (seller) code
  owner_name TEXT NOT NULL,
  owner_uscc TEXT NOT NULL,
  is_deleted INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX ix_wh_sku_updated ON wh_sku (updated_at, id);

CREATE TABLE wh_inbound_order (
  id INTEGER PRIMARY KEY,
  inbound_no TEXT NOT NULL UNIQUE,      -- 'RK' + yyyymmdd + 4-digit daily serial
  wh_code TEXT NOT NULL,
  inbound_type TEXT NOT NULL,           -- 01 export stock (first leg), 02 return, 03 transfer, 99 other
  trade_mode TEXT,                      -- 监管方式 9810 / 9710 / 9610 / 0110, NULL for transfers
  entry_id TEXT,                        -- 报关单号, 18 digits, for 9810 / 9710 / 0110
  invt_no TEXT,                         -- 清单编号, for 9610
  export_date DATE,
  bill_no TEXT,                         -- bill of lading or air waybill
  first_leg_tracking_no TEXT,           -- container or air waybill number
  owner_code TEXT NOT NULL,
  owner_name TEXT NOT NULL,
  owner_uscc TEXT,
  arrived_at TEXT,
  putaway_at TEXT,                      -- put-away finished
  package_count INTEGER,
  gross_weight_kg TEXT,                 -- scale 3
  volume_m3 TEXT,                       -- scale 3
  total_value TEXT,                     -- scale 2
  currency TEXT,
  status INTEGER NOT NULL,              -- 10 created, 20 arrived, 30 put away
  remark TEXT,
  is_deleted INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX ix_wh_inbound_order_updated ON wh_inbound_order (updated_at, id);

CREATE TABLE wh_inbound_line (
  id INTEGER PRIMARY KEY,
  inbound_id INTEGER NOT NULL REFERENCES wh_inbound_order (id),
  line_no INTEGER NOT NULL,
  sku TEXT NOT NULL,
  hs_code TEXT,
  qty INTEGER NOT NULL,
  unit_code TEXT NOT NULL,
  carton_count INTEGER,
  entry_item_no INTEGER,                -- 报关单项号, when a declaration exists
  price TEXT,                           -- scale 2
  total_price TEXT,                     -- scale 2
  is_deleted INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (inbound_id, line_no)
);
CREATE INDEX ix_wh_inbound_line_updated ON wh_inbound_line (updated_at, id);
CREATE INDEX ix_wh_inbound_line_parent ON wh_inbound_line (inbound_id);

CREATE TABLE wh_outbound_order (
  id INTEGER PRIMARY KEY,
  outbound_no TEXT NOT NULL UNIQUE,     -- 'CK' + yyyymmdd + 4-digit daily serial
  wh_code TEXT NOT NULL,
  outbound_type TEXT NOT NULL,          -- 01 B2C sale, 02 B2B, 03 transfer, 04 return home, 05 destruction, 99 other
  platform_name TEXT,                   -- Amazon, eBay, Walmart, Shopify, TikTok Shop
  platform_code TEXT,
  store_name TEXT,
  order_no TEXT,                        -- the sales platform's order number
  ordered_at TEXT,
  seller_name TEXT,
  seller_uscc TEXT,
  buyer_country TEXT,                   -- ISO 3166-1 alpha-3; no buyer name, street or phone is stored
  buyer_city TEXT,
  buyer_postal_code TEXT,
  carrier TEXT,
  tracking_no TEXT,
  shipped_at TEXT,
  goods_value TEXT,                     -- scale 2
  freight TEXT,                         -- scale 2
  currency TEXT,
  package_count INTEGER,
  gross_weight_kg TEXT,                 -- scale 3
  status INTEGER NOT NULL,              -- 10 created, 20 picked, 30 shipped
  is_deleted INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX ix_wh_outbound_order_updated ON wh_outbound_order (updated_at, id);

CREATE TABLE wh_outbound_line (
  id INTEGER PRIMARY KEY,
  outbound_id INTEGER NOT NULL REFERENCES wh_outbound_order (id),
  line_no INTEGER NOT NULL,
  sku TEXT NOT NULL,
  qty INTEGER NOT NULL,
  unit_code TEXT NOT NULL,
  price TEXT,                           -- scale 2, in the order's currency
  total_price TEXT,                     -- scale 2
  currency TEXT,
  is_deleted INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (outbound_id, line_no)
);
CREATE INDEX ix_wh_outbound_line_updated ON wh_outbound_line (updated_at, id);
CREATE INDEX ix_wh_outbound_line_parent ON wh_outbound_line (outbound_id);

-- One row per warehouse and stocked SKU; the rows have no delete flag and
-- are zeroed instead, as stock tables usually are.
CREATE TABLE wh_inventory (
  id INTEGER PRIMARY KEY,
  wh_code TEXT NOT NULL,
  sku TEXT NOT NULL,
  owner_code TEXT NOT NULL,
  owner_name TEXT NOT NULL,
  owner_uscc TEXT,
  available_qty INTEGER NOT NULL,
  locked_qty INTEGER NOT NULL,          -- reserved for open orders
  in_transit_qty INTEGER NOT NULL,      -- booked on a first-leg shipment
  damaged_qty INTEGER NOT NULL,
  unit_code TEXT NOT NULL,
  inventory_value TEXT,                 -- scale 2, available stock at declared price
  currency TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (wh_code, sku)
);
CREATE INDEX ix_wh_inventory_updated ON wh_inventory (updated_at, id);

CREATE TABLE wh_return_order (
  id INTEGER PRIMARY KEY,
  return_no TEXT NOT NULL UNIQUE,       -- 'TH' + yyyymmdd + 4-digit daily serial
  wh_code TEXT NOT NULL,
  original_order_no TEXT,
  original_outbound_no TEXT,
  platform_name TEXT,
  return_reason TEXT,
  return_tracking_no TEXT,
  buyer_country TEXT,
  received_at TEXT NOT NULL,
  disposition INTEGER,                  -- 1 restock, 2 repair, 3 destroy, 4 ship back to China, 9 other
  status INTEGER NOT NULL,              -- 10 announced, 20 received, 30 processed
  is_deleted INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX ix_wh_return_order_updated ON wh_return_order (updated_at, id);

CREATE TABLE wh_return_line (
  id INTEGER PRIMARY KEY,
  return_id INTEGER NOT NULL REFERENCES wh_return_order (id),
  line_no INTEGER NOT NULL,
  sku TEXT NOT NULL,
  qty INTEGER NOT NULL,
  unit_code TEXT NOT NULL,
  item_condition INTEGER NOT NULL,      -- 1 sellable, 2 damaged
  is_deleted INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (return_id, line_no)
);
CREATE INDEX ix_wh_return_line_updated ON wh_return_line (updated_at, id);
CREATE INDEX ix_wh_return_line_parent ON wh_return_line (return_id);
