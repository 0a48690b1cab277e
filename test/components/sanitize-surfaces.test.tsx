// Every terminal surface gets hostile text and shows it clean: the one
// sanitiser, the status line and footer (real EngineStore → real App render),
// incident detail, the `status` command (text and JSON), the HTML report.
import React from 'react';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Engine } from '../../src/engine.js';
import { App as CoreApp } from '../../src/app.js';
import { openDatabase } from '../../src/persist/db.js';
import { EngineStore } from '../../store/engine-store.js';
import { App } from '../../components/App.js';
import { formatStatus, readStatus } from '../../src/status.js';
import { renderHtmlReport } from '../../src/backtest/html.js';
import { isTerminalSafe, sanitize } from '../../src/text/sanitize.js';
import { renderSized } from '../helpers/render.js';
import { tempDir } from '../helpers/paths.js';

/** Each attack, labelled; every one must vanish from every surface. */
const ATTACKS: [string, string][] = [
  ['OSC retitle (BEL)', '\u001b]0;pwned-title\u0007'],
  ['OSC retitle (ST)', '\u001b]2;pwned-title\u001b\\'],
  ['clear screen', '\u001b[2J'],
  ['cursor home', '\u001b[H'],
  ['SGR colour', '\u001b[31;1m'],
  ['8-bit CSI', '\u009b2J'],
  ['8-bit OSC', '\u009d0;pwned-title\u009c'],
  ['DCS', '\u001bPq#0;2;0;0;0\u001b\\'],
  ['NUL', '\u0000'],
  ['BEL', '\u0007'],
  ['backspace', '\u0008'],
  ['carriage return', '\r'],
  ['line feed', '\n'],
  ['DEL', '\u007f'],
  ['C1 NEL', '\u0085'],
  ['RLO', '\u202e'],
  ['LRI', '\u2066'],
  ['PDI', '\u2069'],
  ['ALM U+061C', '\u061c'],
  ['word joiner U+2060', '\u2060'],
  ['zero width space', '\u200b'],
  ['BOM', '\ufeff'],
  ['soft hyphen', '\u00ad'],
  ['tag char', '\u{E0041}'],
  ['line separator', '\u2028'],
];
const hostile = (label: string) => `Will ${label} pass${ATTACKS.map(([, a]) => a).join('')} or not?`;
const BAD = ATTACKS.map(([, a]) => a).filter((a) => a !== '\u001b[31;1m' && a !== '\n');

function assertClean(text: string, where: string): void {
  for (const [name, a] of ATTACKS) {
    if (name === 'SGR colour' || name === 'line feed') continue; // Ink's own output has colours and newlines
    expect(text.includes(a), `${name} reached ${where}`).toBe(false);
  }
  expect(text, where).not.toContain('pwned-title');
}

describe('one sanitiser', () => {
  it('removes each control, escape, bidi and Cf character', () => {
    for (const [name, a] of ATTACKS) {
      const out = sanitize(`a${a}b`);
      expect(isTerminalSafe(out), name).toBe(true);
      expect(out, name).not.toContain('pwned');
      expect(out.startsWith('a') && out.endsWith('b'), name).toBe(true);
    }
    expect(BAD.length).toBeGreaterThan(20);
  });

  it('status line, footer and incident detail: a real store rendered by the real UI', () => {
    const { db } = openDatabase(':memory:');
    const engine = new Engine({ kind: 'SIM', gammaUrl: 'http://127.0.0.1:1', clobUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1' }, db);
    const store = new EngineStore(new CoreApp(engine), { hz: 5 });
    engine.statusLine = `catalog unavailable: GET x → 500 ${hostile('status')}`;
    engine.incidents.open({ shard: 0, kind: 'gap', startMs: 0, assets: 1, detail: hostile('incident') });
    engine.log(hostile('log'));
    store.publish();
    const snap = store.getSnapshot();
    expect(isTerminalSafe(snap.status.line)).toBe(true);
    expect(snap.status.line).toContain('500 Will status pass or not?');
    expect(snap.incidents.every((i) => isTerminalSafe(i.detail))).toBe(true);
    expect(engine.logLines.every(isTerminalSafe)).toBe(true);
    const r = renderSized(<App store={store} />, 140, 40);
    try {
      assertClean(r.frames.join(''), 'the rendered UI');
      expect(r.lastFrame()).toContain('Will status pass or not?');
    } finally {
      r.unmount();
      db.close();
    }
  });

  it('`status` output (text and JSON) from a database holding hostile titles and actions', () => {
    const path = join(tempDir(), 'hostile.db');
    const { db } = openDatabase(path);
    db.prepare("INSERT INTO markets (id, condition_id, question, outcomes, token_ids, updated_at) VALUES ('m1', 'c1', ?, '[]', '[]', 0)").run(hostile('title'));
    db.prepare("INSERT INTO positions (token_id, market_id, shares, cost_micros, updated_at) VALUES ('t1', 'm1', 10, 5000000, 0)").run();
    db.prepare("INSERT INTO operator_actions (ts, action, old_value, new_value, detail) VALUES (0, 'execute', ?, ?, ?)").run(hostile('old'), hostile('new'), hostile('detail'));
    db.prepare("INSERT INTO tracker_state (name, json, cycle, updated_at) VALUES ('breaker', ?, 1, 0)").run(JSON.stringify({ state: 'HALTED', reason: hostile('breaker') }));
    db.close();
    const report = readStatus(path);
    const text = formatStatus(report);
    assertClean(text, 'status text');
    expect(text).toContain('Will title pass or not?');
    expect(text).toContain('Will breaker pass or not?');
    // JSON escapes C0 itself, but not C1, bidi or Cf: those must be gone already.
    assertClean(JSON.stringify(report), 'status --json');
  });

  it('the HTML report', () => {
    const html = renderHtmlReport([], { title: hostile('report'), source: hostile('source') });
    assertClean(html, 'HTML report');
    expect(html).toContain('Will report pass or not?');
  });
});
