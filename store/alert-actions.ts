// Remote commands act through the same store actions (and so the same audit
// rows) as the keys; this adapter only reads state into short plain-text
// replies. Untrusted strings (market questions) are already sanitised by the
// paper report.
import type { AlertActions } from '../src/alerts/remote.js';
import type { EngineStore } from './engine-store.js';

const money = (x: number) => `${x < 0 ? '-' : ''}$${Math.abs(x).toFixed(2)}`;

export function alertActions(store: EngineStore): AlertActions {
  const app = store.app;
  const engine = store.engine;
  const trader = () => app.paper.trader;
  const breakerLine = () => {
    const b = trader().breakerView();
    return `breaker ${b.state}${b.reason ? ` (${b.reason})` : ''}`;
  };
  return {
    status: () => {
      const s = engine.stats();
      const p = trader().summary();
      return [
        `${s.source} · ${s.paused ? 'PAUSED' : 'RUNNING'} · ${s.phase} · paper ${p.enabled ? 'ON' : 'off'}`,
        breakerLine(),
        `feed: ${s.shards.filter((x) => x.state === 'open').length}/${s.shards.length} shards open, books ${s.books.fresh}/${s.books.total} fresh${s.overload ? ', OVERLOAD' : ''}`,
        `positions ${p.open}, equity ${money(p.equity)}, signals queued ${app.queue.size}`,
      ].join('\n');
    },
    profit: () => {
      const p = trader().summary();
      return [`cash ${money(p.cash)} · equity ${money(p.equity)}`, `realized ${money(p.realized)} · unrealized ${money(p.unrealized)} · fees ${money(p.fees)}`, `orders ${p.orders} · fills ${p.fills} · refused ${p.refused}`].join('\n');
    },
    positions: () => {
      const rows = trader().portfolioPane().positions;
      if (!rows.length) return 'no open positions';
      const lines = rows.slice(0, 20).map((r) => `${r.shares} ${r.outcome || r.tokenId.slice(0, 10)} @ ${r.avgCost.toFixed(4)} → ${r.mark === null ? '—' : r.mark.toFixed(4)} (${money(r.unrealized)}) ${r.question.slice(0, 80)}`);
      if (rows.length > 20) lines.push(`… and ${rows.length - 20} more`);
      return lines.join('\n');
    },
    feed: () => {
      const s = engine.stats();
      const lines = s.shards.slice(0, 30).map((x) => `shard ${x.id} ${x.state}: ${x.assets} assets, ${x.reconnects} reconnects, ${x.gaps} gaps, ${x.staleBooks} stale${x.reason ? ` (${x.reason.slice(0, 60)})` : ''}`);
      const recent = engine.incidents.recent.slice(-5).map((i) => `${new Date(i.startMs).toISOString().slice(11, 19)} shard ${i.shard} ${i.kind}: ${i.detail.slice(0, 80)}`);
      return [`${s.phase}, books ${s.books.fresh}/${s.books.total} fresh, ${s.books.stale} stale, ${s.books.outOfSync} out of sync${s.overload ? ', OVERLOAD' : ''}`, ...lines, ...(recent.length ? ['recent incidents:', ...recent] : [])].join('\n');
    },
    pause: () => {
      if (engine.paused) return 'already paused';
      store.actions.togglePause();
      return 'paused: no new scans or entries (/resume to continue)';
    },
    resume: () => {
      const out: string[] = [];
      if (engine.paused) {
        store.actions.togglePause();
        out.push('engine running');
      }
      if (trader().breakerView().state !== 'ARMED') {
        store.actions.resume();
        out.push(store.notice || breakerLine());
      }
      return out.length ? out.join('; ') : 'already running, breaker armed';
    },
    halt: () => {
      store.actions.halt();
      return `HALTED: ${breakerLine()}`;
    },
  };
}
