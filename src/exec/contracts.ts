// Polygon mainnet contracts the CLOB signs against, by exchange version (the
// official V2 client's table). V3 has a single exchange for both neg-risk and
// plain markets; V2 has one of each.
export type ExchangeVersion = 2 | 3;
export const CHAIN_ID = 137;

export const EXCHANGE_V2 = '0xE111180000d2663C0091e4f400237545B87B996B';
export const NEG_RISK_EXCHANGE_V2 = '0xe2222d279d744050d28e00520010520000310F59';
export const EXCHANGE_V3 = '0xe3333700cA9d93003F00f0F71f8515005F6c00Aa';
export const COLLATERAL = '0xC011a7E12a19f7B1f670d46F03B03f3342E82DFB';

/** The `verifyingContract` of an order's EIP-712 domain. */
export function exchangeAddress(version: ExchangeVersion, negRisk: boolean): `0x${string}` {
  if (version === 3) return EXCHANGE_V3;
  return negRisk ? NEG_RISK_EXCHANGE_V2 : EXCHANGE_V2;
}

export const DOMAIN_NAME = 'Polymarket CTF Exchange';
