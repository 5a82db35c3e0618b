// Drops a table set's indexes and constraints for a bulk load and puts them back exactly:
// loading into bare heaps and building each index once (sorted) is several times faster than
// maintaining five B-trees row by row. The definitions are read from the catalog of the
// freshly migrated database, so what comes back is what the migrations created; `restore`
// checks that the catalog afterwards says the same thing, name for name.
import type pg from 'pg';

export interface SchemaObjects {
  /** CREATE INDEX statements of plain indexes (not backing a constraint). */
  indexes: Array<{ table: string; name: string; sql: string }>;
  /** Primary-key and unique constraints: ALTER TABLE … ADD CONSTRAINT … */
  keys: Array<{ table: string; name: string; sql: string }>;
  /** Foreign keys on the tables; added last, since they need the referenced keys. */
  foreignKeys: Array<{ table: string; name: string; sql: string }>;
}

export async function readSchemaObjects(client: pg.Client, tables: string[]): Promise<SchemaObjects> {
  const indexes = await client.query<{ table: string; name: string; sql: string }>(
    `SELECT c.relname AS table, i.relname AS name, pg_get_indexdef(x.indexrelid) AS sql
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
     WHERE c.relname = ANY($1) AND c.relnamespace = current_schema()::regnamespace
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype IN ('p', 'u'))
     ORDER BY 1, 2`,
    [tables],
  );
  const constraints = await client.query<{ table: string; name: string; type: string; def: string }>(
    `SELECT c.relname AS table, k.conname AS name, k.contype AS type, pg_get_constraintdef(k.oid) AS def
     FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
     WHERE c.relname = ANY($1) AND c.relnamespace = current_schema()::regnamespace AND k.contype IN ('p', 'u', 'f')
     ORDER BY 1, 2`,
    [tables],
  );
  const alter = (r: { table: string; name: string; def: string }) => ({
    table: r.table,
    name: r.name,
    sql: `ALTER TABLE ${quote(r.table)} ADD CONSTRAINT ${quote(r.name)} ${r.def}`,
  });
  return {
    indexes: indexes.rows,
    keys: constraints.rows.filter((r) => r.type !== 'f').map(alter),
    foreignKeys: constraints.rows.filter((r) => r.type === 'f').map(alter),
  };
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function dropForLoad(client: pg.Client, objects: SchemaObjects): Promise<void> {
  // Foreign keys before the keys they reference.
  for (const f of objects.foreignKeys) await client.query(`ALTER TABLE ${quote(f.table)} DROP CONSTRAINT ${quote(f.name)}`);
  for (const k of objects.keys) await client.query(`ALTER TABLE ${quote(k.table)} DROP CONSTRAINT ${quote(k.name)}`);
  for (const i of objects.indexes) await client.query(`DROP INDEX ${quote(i.name)}`);
}

/**
 * Builds every key and index again on `clients` in parallel (largest tables first, each
 * client taking the next statement), then the foreign keys, then compares the catalog with
 * `objects`. `onBuilt` reports each statement's time.
 */
export async function restoreAfterLoad(
  clients: pg.Client[],
  objects: SchemaObjects,
  tables: string[],
  tableOrder: string[],
  onBuilt: (name: string, ms: number) => void,
): Promise<void> {
  const rank = (t: string) => (tableOrder.includes(t) ? tableOrder.indexOf(t) : tableOrder.length);
  // Keys first within a table: a foreign key added later needs its referenced key.
  const queue = [...objects.keys, ...objects.indexes].sort((a, b) => rank(a.table) - rank(b.table));
  const worker = async (client: pg.Client) => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const started = performance.now();
      await client.query(next.sql).catch((err: Error) => {
        throw new Error(`rebuilding ${next.name} on ${next.table} failed: ${err.message}`);
      });
      onBuilt(next.name, performance.now() - started);
    }
  };
  await Promise.all(clients.map(worker));
  for (const f of objects.foreignKeys) {
    const started = performance.now();
    await clients[0].query(f.sql).catch((err: Error) => {
      throw new Error(`re-adding foreign key ${f.name} on ${f.table} failed (the loaded rows break it): ${err.message}`);
    });
    onBuilt(f.name, performance.now() - started);
  }
  const after = await readSchemaObjects(clients[0], tables);
  const describe = (o: SchemaObjects) => JSON.stringify([o.indexes, o.keys, o.foreignKeys]);
  if (describe(after) !== describe(objects)) {
    throw new Error(`indexes or constraints differ from the migrated schema after the bulk load:\nbefore ${describe(objects)}\nafter  ${describe(after)}`);
  }
}
