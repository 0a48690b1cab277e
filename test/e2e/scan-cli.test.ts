// `polyconsole scan --json` prints exactly the seed-000 contract (zod schema,
// ≤ 3,600 characters); `categorize --json` prints one row per market.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, tempDir } from '../helpers/paths.js';
import { runAsync } from '../helpers/proc.js';
import { scanOutputSchema, SCAN_OUTPUT_MAX_CHARS } from '../../src/scan/index.js';
import { Simulator } from '../../src/sim/simulator.js';
import { loadTemplates } from '../../src/sim/world.js';

const cli = (args: string[]) => runAsync(process.execPath, [CLI, ...args], { timeout: 120_000 });

describe('scan and categorize commands', { timeout: 180_000 }, () => {
  it('scan --json on the embedded simulator: the contract, within 3,600 characters, with priced review items', async () => {
    const r = await cli(['scan', '--json', '--markets', '600', '--batch-size', '300']);
    expect(r.status, r.stderr).toBe(0);
    const text = r.stdout.trim();
    expect(text.length).toBeLessThanOrEqual(SCAN_OUTPUT_MAX_CHARS);
    const out = scanOutputSchema.parse(JSON.parse(text));
    expect(out.dedupe_summary.input_items).toBe(300);
    expect(out.next_batch_plan.stop_reason).toBe('ok');
  });

  it('scan --json --catalog reads a saved Gamma /markets dump ({markets:[…]}) offline', async () => {
    const sim = new Simulator({ seed: 5, markets: 250, speed: 60, rate: 10, clockStart: 'manual' });
    const { gamma } = await sim.start();
    const page = await (await fetch(`${gamma}/markets?limit=100`)).json();
    await sim.stop();
    const file = join(tempDir(), 'dump.json');
    writeFileSync(file, JSON.stringify({ markets: page }));
    const r = await cli(['scan', '--json', '--catalog', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(scanOutputSchema.parse(JSON.parse(r.stdout)).dedupe_summary.input_items).toBe(100);
  });

  it('categorize --json: one {id, question, family, category} per market; a missing file is one line and exit 1', async () => {
    const r = await cli(['categorize', '--json', '--markets', '120']);
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    // The 120 simulator markets asked for, plus the real-shaped catalog on top of them.
    expect(rows).toHaveLength(120 + Math.round(120 * loadTemplates().catalog!.share));
    expect(Object.keys(rows[0]).sort()).toEqual(['category', 'family', 'id', 'question']);
    const bad = await cli(['categorize', '--catalog', '/nonexistent/dump.json']);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
