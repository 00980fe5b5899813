import Database from 'better-sqlite3';
import type { SourceRow } from '../../../connectors/sources/source-types.js';
import type { CompiledMapping, MapResult } from '../../mapping-compiler.js';

/**
 * Maps every source row of a demo-wms file through a compiled mapping,
 * reading the rows the way the SQLite source returns them for this schema
 * (INTEGER as numbers, TEXT and DATE as text). Test support for the demo
 * mappings; it does no keyset paging and ignores the cursor.
 */
export function mapAllRows(filePath: string, mapping: CompiledMapping): MapResult[] {
  const db = new Database(filePath, { readonly: true, fileMustExist: true });
  try {
    const source = mapping.source;
    const from = source.table ?? `(${source.query}) AS owh_source`;
    const where = source.where === undefined ? '' : ` WHERE ${source.where}`;
    const rows = db.prepare<[], SourceRow>(`SELECT * FROM ${from}${where} ORDER BY ${source.key.join(', ')}`).all();

    const childRows = mapping.children.map((child) => {
      const childFrom = child.table ?? `(${child.query})`;
      const childWhere = child.where === undefined ? '' : ` WHERE ${child.where}`;
      const all = db.prepare<[], SourceRow>(`SELECT * FROM ${childFrom}${childWhere} ORDER BY ${child.orderBy.join(', ')}`).all();

      const byParent = new Map<string, SourceRow[]>();
      for (const row of all) {
        const parent = String(row[child.parentKey]);
        const list = byParent.get(parent) ?? [];
        list.push(row);
        byParent.set(parent, list);
      }
      return { child, byParent };
    });

    return rows.map((row) => {
      const children: Record<string, SourceRow[]> = {};
      for (const { child, byParent } of childRows) children[child.field] = byParent.get(String(row[child.parentColumn])) ?? [];
      return mapping.map(row, children);
    });
  } finally {
    db.close();
  }
}
