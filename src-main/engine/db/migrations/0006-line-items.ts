import type Database from 'better-sqlite3'

/**
 * What a sale is made of (#12, #17): its line items, and the parts of its
 * amount that are not goods (tax, shipping, tip, a discount), in minor units of
 * the session's currency like `amount_minor`. A keypad sale has none of them:
 * '[]' and zeros. The amount stays the one figure the customer is asked for;
 * these columns explain it, checked when the sale is made.
 *
 * `success_url` and `cancel_url` are where the customer-facing payment page
 * sends the customer afterwards (StablePay's checkout sessions keep them).
 */
export function m0006LineItems(db: Database.Database): void {
  db.exec(`
    ALTER TABLE sessions ADD COLUMN line_items TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE sessions ADD COLUMN tax_minor INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sessions ADD COLUMN shipping_minor INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sessions ADD COLUMN tip_minor INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sessions ADD COLUMN discount_minor INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sessions ADD COLUMN success_url TEXT;
    ALTER TABLE sessions ADD COLUMN cancel_url TEXT;
  `)
}
