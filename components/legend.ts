// What every header figure, column and abbreviation on the screen means; the
// help overlay lists it after the keys and searches it with them.

export interface LegendEntry {
  term: string;
  text: string;
}

export interface LegendSection {
  title: string;
  entries: LegendEntry[];
}

export const LEGEND: readonly LegendSection[] = [
  {
    title: 'Header',
    entries: [
      { term: '◇ SIM ◆ POLYMARKET ◇ REPLAY', text: 'the market data: the embedded simulator, Polymarket, or a recorded session played back' },
      { term: '● LIVE', text: 'live trading: real orders on the venue for the wallet shown (only with --trade-live and a typed confirmation); ■ LIVE HALTED after any halt' },
      { term: '▶ RUNNING ❚❚ PAUSED', text: 'whether the engine decides (scan, arbitrage, paper); books stay fresh while paused' },
      { term: '● PAPER ON ○ OFF', text: 'paper trading on or off (t)' },
      { term: '■ HALTED', text: 'the circuit breaker has stopped new orders (R resumes after confirming)' },
      { term: '⚠ OVERLOAD', text: 'frames were shed recently: the engine could not keep up with the feed' },
      { term: 'books f/t', text: 'order books fresh / subscribed; (s stale, r resync): no recent update / out of sync, awaiting a snapshot' },
      { term: 'msg/s', text: 'WebSocket messages per second over the last publish interval, all shards: the sum of the Shards pane’s msg/s column' },
      { term: 'batch N/Ss', text: 'scan batch size (markets per batch) / scan interval in seconds (+ - ] [ change them)' },
      { term: 'budget P%', text: 'REST rate-limit budget left in the current window; ⚠ rate-limit backoff when the venue pushed back' },
      { term: 'ML VALID/UNPROV ±s[lo,hi] N rows age', text: 'the learned scorer: its walk-forward verdict, Brier skill over the market price with its 95% interval, rows the model in use was trained on, the model’s age (EXPIRED: refused, the price is used; ↻ retraining)' },
      { term: 'alerts ✓ last q ⊘', text: 'alert channels all answering (✗ n/m down), seconds since the last send, queued, held back by dedupe' },
      { term: 'HH:MM:SSZ', text: 'wall clock, UTC' },
    ],
  },
  {
    title: '1 Shards — one row per WebSocket connection',
    entries: [
      { term: 'conn ≤N', text: 'connections open; N = most assets per connection (shrinks after stalls); split = connections split' },
      { term: 'catalog N', text: 'markets in the catalog' },
      { term: '#  state', text: 'connection number; ● open ◌ conn(ecting) ↻ retry (backoff) ✕ closed · idle' },
      { term: 'assets', text: 'tokens (outcomes) subscribed on this connection' },
      { term: 'msg/s', text: 'its WebSocket messages per second; activity: the same over time, oldest left' },
      { term: 'last', text: 'age of its newest message (yellow > 3 s, red > 10 s)' },
      { term: 'recon  gaps', text: 'reconnects so far; feed gaps (periods its books may have missed updates)' },
      { term: 'stale', text: 'its books with no recent update' },
    ],
  },
  {
    title: '2 OFI — order-flow imbalance per token, 30 s window',
    entries: [
      { term: 'ofi ▲ ▼', text: 'order-flow imbalance normalised by average top-of-book depth; ▲ buying pressure, ▼ selling' },
      { term: 'history', text: 'recent normalised OFI, oldest left' },
      { term: 'flow', text: 'trade flow: taker buy size − taker sell size (k = thousand shares)' },
      { term: 'div', text: 'divergence between the YES and the NO token’s flow for the market' },
      { term: 'feed', text: 'ok, or gap: the window overlaps a feed gap or stale period (read it with care)' },
      { term: 'micro  LL_', text: 'microstructure read of the latest prints (e.g. WEAK_BULLISH); LL_ = LOW_LIQUIDITY_' },
      { term: 'ofi 30s  ofi 5m', text: 'wide pane: the same normalised OFI over the 30 s and the 5 min window (— until the token has 5 min of flow)' },
    ],
  },
  {
    title: '3 Signals — the queue, best first',
    entries: [
      { term: '#  tier', text: 'rank; ◆ AUTO(-trade) ▲ ALERT ○ WATCH · IGNOR(E) ⇄ ARB(itrage)' },
      { term: 'strategy/rel', text: 'the strategy that proposes it, or the arbitrage relation' },
      { term: 'side  entry', text: 'what would be bought or sold, and at what price' },
      { term: 'edge', text: 'validated edge per share after fees (Wilson lower bound − cost), or arbitrage net per set; — when not validated' },
      { term: 'size', text: 'shares (or sets) executing now would trade; — when the desk would not trade' },
      { term: 'ofi  conf', text: 'the market’s OFI; confidence of the signal' },
      { term: 'model', text: 'the learned scorer’s P(YES) and its difference to the YES mid (.61+.03), shown only while the scorer is VALIDATED; UNPROV(EN) or REJECT otherwise; — when its model is expired or has no price (wide terminals; always in the detail)' },
      { term: 'ML_SCORER', text: 'a row the learned scorer proposes: its probability of a side beats the executable ask after fees; only while VALIDATED; alerts, never auto-trades' },
      { term: 'rank weight', text: 'detail: rank = priority × (1 + weight); weight = the strategy’s share of the validated strategies’ recent ROI lower bounds, shrunk by n/(n+300)' },
      { term: 'gate', text: 'what blocks execution now, or ready' },
      { term: 'verdict', text: 'from 150 columns: the backtest’s verdict on the strategy, VALID(ATED), REJECT(ED) or UNPROV(EN); — for arbitrage and spikes' },
      { term: 'depth', text: 'from 150 columns: shares offered at the entry price when the signal was found (arbitrage: executable sets; k = thousand)' },
      { term: 'age', text: 'from 150 columns: time since the signal first entered the queue (10 s steps)' },
      { term: 'category', text: 'from 190 columns: the scan’s category of the (first) market; — until a scan batch has held it' },
    ],
  },
  {
    title: '4 Clusters — related markets',
    entries: [
      { term: 'category  n', text: 'category and the number of markets in the cluster (mkts in a wide pane)' },
      { term: 'uniq', text: 'wide pane: distinct questions (duplicate listings merged)' },
      { term: 'rule', text: 'wide pane: what groups them: event (one Gamma event) · series (single-market events of one Gamma series) · ladder (same names, numbers or dates differ) · single' },
      { term: 'conf  summary', text: 'confidence of the grouping (the rule’s); what the markets share' },
      { term: 'Enter: price outcome tie', text: 'the cluster’s markets, top 25 by volume (+K more): the first outcome and its price at the scan, and what ties it (same event, series …, ladder rung, duplicate question, alone)' },
      { term: 'c  u', text: 'copy the selected market’s id (c) or its polymarket.com URL (u) through OSC 52; also in Signals, OFI, positions and the details' },
    ],
  },
  {
    title: '5 Portfolio — paper positions (b: the blotter)',
    entries: [
      { term: 'cash  equity', text: 'cash; equity = cash + positions at their marks, — until every position has a mark' },
      { term: 'shares  avg', text: 'shares held and their average entry price' },
      { term: 'fees  realised', text: 'wide pane: fees paid on the position and the P&L already booked on it (partial sells)' },
      { term: 'mark  unreal.', text: 'executable bid (what selling now would get); unrealised P&L at that mark' },
      { term: 'blotter: side ✗', text: 'every fill, settlement and refusal (✗) with why; outc. = outcome; realised = P&L it booked' },
    ],
  },
];
