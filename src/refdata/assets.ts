// Coin names as Polymarket titles spell them → one ticker per asset.

const NAMES: Array<[RegExp, string]> = [
  [/\bbitcoin\b/i, 'BTC'],
  [/\bethereum\b/i, 'ETH'],
  [/\bsolana\b/i, 'SOL'],
  [/\bripple\b/i, 'XRP'],
  [/\bdogecoin\b/i, 'DOGE'],
  [/\bhyperliquid\b/i, 'HYPE'],
  [/\bcardano\b/i, 'ADA'],
  [/\blitecoin\b/i, 'LTC'],
  [/\bpolygon\b/i, 'MATIC'],
  [/\bshiba inu\b/i, 'SHIB'],
  [/\bethereum name service\b/i, 'ENS'],
  [/\bcrypto\.com'?s?\b/i, 'CRO'],
];

// Tickers only count in capitals (optionally "$BTC"), so words like "sol" or "eth" in prose do not.
const TICKERS = ['BTC', 'ETH', 'SOL', 'XRP', 'DOGE', 'BNB', 'HYPE', 'ADA', 'AVAX', 'LTC', 'MATIC', 'SHIB', 'ENS', 'CRO', 'LINK', 'SUI', 'TRX', 'PEPE'];

/** Distinct assets a title names, in order of first mention. */
export function mentionedAssets(title: string): string[] {
  const hits: Array<[number, string]> = [];
  let t = title;
  // "Ethereum Name Service" is ENS, not ETH.
  const ens = /\bethereum name service\b/i.exec(t);
  if (ens) {
    hits.push([ens.index, 'ENS']);
    t = t.replace(/\bethereum name service\b/gi, (s) => ' '.repeat(s.length));
  }
  for (const [re, a] of NAMES) {
    const m = re.exec(t);
    if (m) hits.push([m.index, a]);
  }
  for (const tk of TICKERS) {
    const m = new RegExp(`(?:^|[^A-Za-z0-9])\\$?${tk}(?![A-Za-z0-9])`).exec(t);
    if (m) hits.push([m.index, tk]);
  }
  // "DOGE" is also the Department of Government Efficiency.
  if (/\b(elon|musk|department|federal|government|vivek|usaid|spending|audit)\b/i.test(title)) {
    const i = hits.findIndex((h) => h[1] === 'DOGE' && !/\bdogecoin\b/i.test(title));
    if (i >= 0) hits.splice(i, 1);
  }
  hits.sort((a, b) => a[0] - b[0]);
  return [...new Set(hits.map((h) => h[1]))];
}

export function assetFromName(name: string): string | undefined {
  return mentionedAssets(name)[0];
}

/** Base asset of a reference series: "BTCUSDT" → BTC, "btc-usd" → BTC. */
export function assetFromPair(series: string): string {
  const s = series.toUpperCase();
  const m = /^([A-Z0-9]+?)(?:-?USDT|-?USDC|-?USD)$/.exec(s);
  return m ? m[1]! : s;
}
