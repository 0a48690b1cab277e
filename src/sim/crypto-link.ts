// Ties the simulator's crypto up/down families to the hidden price paths the
// reference-data server quotes: the family's latent becomes ln(S(t)/S(start))
// of the coin's path (clamped at the window end), its volatility the path's,
// and its market carries the rules text real up/down windows carry, so the
// resolver maps it and the outcome is exactly "end ≥ start" on the path.
import type { CryptoPaths } from './crypto-paths.js';

const YEAR_DAYS = 365.25;

export interface PathLink {
  asset: string;
  startMs: number;
  endMs: number;
  /** Latent at venue time t: ln(S(min(t, end)) / S(start)). */
  at(t: number): number;
}

export function linkUpDown(paths: CryptoPaths, asset: string, startMs: number, endMs: number): PathLink {
  const s0 = () => paths.price(asset, startMs)!;
  return {
    asset,
    startMs,
    endMs,
    at: (t) => (t <= startMs ? 0 : Math.log(paths.price(asset, Math.min(t, endMs))! / s0())),
  };
}

/** The path's volatility in the world's units (log per √day). */
export function sigmaPerSqrtDay(paths: CryptoPaths, asset: string): number {
  return (paths.coins[asset]?.sigma ?? 0.5) / Math.sqrt(YEAR_DAYS);
}

const NAMES: Record<string, string> = { BTC: 'Bitcoin', ETH: 'Ethereum', SOL: 'Solana', XRP: 'XRP', DOGE: 'Dogecoin', BNB: 'BNB', HYPE: 'Hyperliquid' };

/** Rules text and source of a real up/down window (Chainlink data stream wording). */
export function upDownRules(asset: string): { description: string; resolutionSource: string } {
  const name = NAMES[asset] ?? asset;
  const stream = `https://data.chain.link/streams/${asset.toLowerCase()}-usd`;
  return {
    resolutionSource: stream,
    description:
      `This market will resolve to "Up" if the ${name} price at the end of the time range specified in the title is greater than or equal to the price at the beginning of that range. Otherwise, it will resolve to "Down".\n` +
      `The resolution source for this market is information from Chainlink, specifically the ${asset}/USD data stream available at ${stream}.\n` +
      `Please note that this market is about the price according to Chainlink data stream ${asset}/USD, not according to other sources or spot markets.`,
  };
}
