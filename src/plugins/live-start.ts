// Starting live trading from the command line: the confirmation (typed at the
// terminal, or the same phrase given to a headless run), then the session,
// wired behind the paper desk's gates, with the paper breaker and the live
// halt tied together both ways. Called only for --trade-live.
import { createInterface } from 'node:readline';
import type { App } from '../app.js';
import type { Wallet } from '../exec/wallet.js';
import { AuditLog } from '../persist/audit-log.js';
import { LiveJournal, type LiveClose } from '../persist/live-journal.js';
import type { PaperTrader } from '../paper/trader.js';
import { sanitize } from '../text/sanitize.js';
import { confirmationLines, confirmed } from './live-confirm.js';
import { LiveSession, confirmPhrase, type LiveLimits, type LiveSessionOptions } from './live-session.js';

export interface LiveStartWallet {
  wallet: Wallet;
  limits: LiveLimits;
}

export interface LiveStartOptions {
  headless: boolean;
  clob: string;
  /** The market channel URL; the user channel is its /ws/user sibling. */
  ws: string;
  /** Headless: the phrase given with --confirm-live. */
  typed?: string;
  clearHalt: boolean;
  /** Tests: the terminal's answer. */
  ask?: (prompt: string) => Promise<string>;
  session?: Partial<LiveSessionOptions>;
}

const KINDS = ['EOA', 'proxy wallet', 'Gnosis Safe', 'deposit wallet'];

/** The user channel's URL beside the market channel's. */
export function userChannelUrl(ws: string): string {
  return ws.replace(/\/ws\/market\/?$/, '') + '/ws/user';
}

function askTerminal(lines: string[]): Promise<string> {
  process.stdout.write('\u001b[2J\u001b[H' + lines.join('\n') + '\n\n  > ');
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: false });
  return new Promise((resolve) => {
    // Resolve before close(): close emits 'close' synchronously, which would answer '' first.
    rl.once('line', (l) => {
      resolve(l);
      rl.close();
      // close() paused stdin explicitly; the UI's key reader only listens, so the stream must flow again.
      process.stdin.resume();
    });
    rl.once('close', () => resolve(''));
  });
}

export async function startLive(app: App, w: LiveStartWallet, o: LiveStartOptions): Promise<LiveSession> {
  const engine = app.engine;
  const journal = new LiveJournal(engine.db);
  const saved = journal.halt();
  const facts = {
    funder: w.wallet.funder,
    signer: w.wallet.signer,
    walletKind: KINDS[w.wallet.signatureType] ?? 'wallet',
    venue: sanitize(o.clob, 120),
    limits: w.limits,
    paper: app.paper.trader.config,
    ...(o.clearHalt && saved ? { clearing: sanitize(saved.reason, 200) } : {}),
  };
  const lines = confirmationLines(facts);
  let typed: string;
  if (o.ask) typed = await o.ask(lines.join('\n'));
  else if (o.headless) {
    process.stderr.write(lines.map((l) => `polyconsole: ${l}`).join('\n') + '\n');
    if (o.typed === undefined) throw new Error(`a headless run has no screen to confirm on: give --confirm-live "${confirmPhrase(w.wallet.funder)}"`);
    typed = o.typed;
  } else typed = await askTerminal(lines);
  if (!confirmed(typed, w.wallet.funder)) throw new Error('the confirmation phrase was not typed; nothing was sent');
  const audit = new AuditLog(engine.db);
  if (o.clearHalt && saved) {
    journal.clearHalt();
    audit.record('live_clear_halt', saved.reason, null, 'cleared at start-up by the operator');
  }
  // Reconciliation inside open() may already settle a SELL: the breaker counts it, the halt follows on the first cycle.
  let opened: LiveSession | undefined;
  const link = liveBreakerLink(app.paper.trader, () => opened, () => engine.now(), () => app.queue.regate());
  const session = await LiveSession.open({
    wallet: w.wallet,
    clob: o.clob,
    userWsUrl: userChannelUrl(o.ws),
    db: engine.db,
    limits: w.limits,
    negRiskOf: (id) => engine.catalog.markets.get(id)?.negRisk,
    // Marks and template windows from the console's own books, fresh ones only.
    touchOf: (t) => {
      const b = engine.books.get(t);
      return b && b.state === 'fresh' ? { ...(b.bestBid !== undefined ? { bid: b.bestBid } : {}), ...(b.bestAsk !== undefined ? { ask: b.bestAsk } : {}) } : undefined;
    },
    log: (l) => engine.log(l),
    onHalt: (reason) => {
      // The desk's gates say so at once: the paper breaker carries the live halt.
      app.paper.trader.halt(`live: ${reason}`, engine.now());
      app.queue.regate();
    },
    onClose: (c) => link.close(c),
    ...o.session,
  });
  opened = session;
  audit.record('trade_live', 'PAPER', 'LIVE', `wallet ${facts.funder.slice(0, 6)}…${facts.funder.slice(-4)} venue ${facts.venue} per order ${w.limits.perOrderUsd} per day ${w.limits.perDayUsd}`);
  app.paper.trader.setExecutor(session.executor());
  app.live = session;
  if (session.halted) app.paper.trader.halt(`live: ${session.halted}`, engine.now());
  // Templates follow the touch of the tokens they are kept for, and drop on a tick change or a close.
  const offBooks = engine.books.onUpdate((b, kind) => {
    if (kind === 'trade' || b.state !== 'fresh' || !session.hasTemplates(b.asset)) return;
    session.onTouch(b.asset, b.bestBid, b.bestAsk);
  });
  engine.use({
    name: 'live-templates',
    onCatalog: (markets) => {
      for (const m of markets)
        for (const t of m.tokenIds) {
          if (!session.hasTemplates(t)) continue;
          if (m.closed) session.onClosed(t);
          else session.onTick(t, m.tickSize);
        }
    },
    stop: () => offBooks(),
  });
  // Both ways, every cycle: a tripped breaker halts live; a live halt keeps the
  // breaker halted (a resume — from a key or remotely — cannot un-halt live).
  engine.use({ name: 'live-guard', cycle: (now: number) => link.guard(now) });
  return session;
}

/**
 * The paper breaker and a live session kept as one: a live SELL fill settled
 * at the venue feeds the breaker (losing run, cooldown, day's P&L) as a paper
 * close does, and a trip halts live at once (cancel-all); a live halt keeps
 * the breaker halted.
 */
export function liveBreakerLink(trader: PaperTrader, session: () => LiveSession | undefined, now: () => number, regate: () => void = () => {}) {
  const guard = (at: number): void => {
    const s = session();
    if (!s) return;
    const b = trader.breakerView();
    if (s.halted) {
      if (b.state === 'ARMED') trader.halt(`live: ${s.halted}`, at);
    } else if (b.state === 'HALTED') void s.halt(`breaker: ${b.reason}`);
  };
  return {
    close: (c: LiveClose): void => {
      const at = now();
      trader.recordLiveClose(c.netMicros, at);
      regate();
      guard(at);
    },
    guard,
  };
}
