import type Database from 'better-sqlite3'

/**
 * Catalog and cart (#17): the products a till sells by tapping, and each
 * till's sale screen mode (keypad or products).
 *
 * A price is INTEGER minor units of `currency` (the shop's when it was set):
 * 12 integer digits and 3 decimals stay far below 2^53. A picture is a small
 * BLOB (the engine caps it and checks its bytes are the type it claims), kept
 * apart from the list the sale screen reads so 2,000 products list quickly.
 * A sale keeps its own copy of each line's name and price (the session's
 * line_items), so editing or deleting a product never changes a past sale.
 */
export function m0008Products(db: Database.Database): void {
  db.exec(`
    CREATE TABLE products (
      id TEXT PRIMARY KEY,
      merchant_id TEXT NOT NULL,
      name TEXT NOT NULL,
      name_zh TEXT,
      price_minor INTEGER NOT NULL CHECK (price_minor > 0),
      currency TEXT NOT NULL,
      category TEXT,
      color TEXT,
      tax_rate_bp INTEGER NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
      active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      image BLOB,
      image_type TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX products_by_name ON products (merchant_id, active, category, name);

    ALTER TABLE tills ADD COLUMN sale_mode TEXT NOT NULL DEFAULT 'keypad' CHECK (sale_mode IN ('keypad', 'products'));
  `)
}
