// SQL lives only in src/persist/: every other module calls a repository. This
// scans the source tree for SQL statements and for statement calls on a
// database handle (.prepare, .exec, .pragma, .transaction) outside that folder.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';

const SQL = [
  /\bSELECT\s+(?:DISTINCT\s+)?[\w*(][^;`'"]*?\bFROM\s+\w/,
  /\bINSERT\s+(?:OR\s+(?:REPLACE|IGNORE|ABORT|FAIL|ROLLBACK)\s+)?INTO\s+\w/,
  /\bREPLACE\s+INTO\s+\w/,
  /\bUPDATE\s+\w+\s+SET\s/,
  /\bDELETE\s+FROM\s+\w/,
  /\b(?:CREATE|DROP|ALTER)\s+(?:TEMP\s+|TEMPORARY\s+|UNIQUE\s+)?(?:TABLE|INDEX|VIEW|TRIGGER)\b/,
  /\bPRAGMA\s+\w+/,
];
// A statement call on a database handle. RegExp#exec is everywhere, so .exec
// counts only on a receiver that names a database.
const CALL = [/\.(?:prepare|pragma|transaction)\s*\(/, /\b(?:db|database|sqlite|conn)\s*\.\s*exec\s*\(/i, /\bthis\.db\.exec\s*\(/];

/** The first SQL statement or database call in a source text, or undefined. */
function firstSql(text: string): string | undefined {
  for (const re of [...SQL, ...CALL]) {
    const m = re.exec(text);
    if (m) return m[0].slice(0, 60);
  }
  return undefined;
}

function sources(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (/\.(?:ts|tsx|mts|js|mjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('SQL only in src/persist/', () => {
  it('no file outside src/persist/ holds a SQL statement or calls a statement method on a database', () => {
    const files = sources(join(ROOT, 'src'));
    const outside = files.filter((f) => !relative(ROOT, f).split('\\').join('/').startsWith('src/persist/'));
    expect(outside.length).toBeGreaterThan(50);
    const offenders = outside.flatMap((f) => {
      const hit = firstSql(readFileSync(f, 'utf8'));
      return hit === undefined ? [] : [`${relative(ROOT, f)}: ${hit}`];
    });
    expect(offenders).toEqual([]);
    // The repositories themselves are found by the same scan (it is not blind).
    const inside = files.filter((f) => !outside.includes(f));
    expect(inside.filter((f) => firstSql(readFileSync(f, 'utf8')) !== undefined).length).toBeGreaterThanOrEqual(8);
  });

  it('recognises statements and database calls, and leaves prose and RegExp#exec alone', () => {
    for (const sql of [
      "db.prepare('SELECT id FROM fills WHERE id > ?')",
      '`SELECT COUNT(*) AS n FROM orders`',
      "'INSERT OR REPLACE INTO price_snapshots (token_id) VALUES (?)'",
      "'UPDATE orders SET status = ? WHERE id = ?'",
      "'DELETE FROM alert_updates WHERE at < ?'",
      'CREATE TABLE IF NOT EXISTS x (a INTEGER)',
      "this.db.exec('VACUUM')",
      'this.db.transaction(() => {})()',
    ]) {
      expect(firstSql(sql), sql).toBeDefined();
    }
    for (const prose of ['/^(\\d+)$/.exec(text)', 'GAME_SLUG.exec(slug)', "'Select a market from the list'", "'update the book, then delete stale rows'"]) {
      expect(firstSql(prose), prose).toBeUndefined();
    }
  });
});
