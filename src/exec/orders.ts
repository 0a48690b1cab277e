// CLOB V2/V3 orders: amounts from a price on the tick grid and a size in
// hundredths of a share (integer arithmetic, so what is signed is exactly what
// was meant), the 11-field EIP-712 struct, its signature for every signature
// type (the deposit wallet's ERC-7739 envelope included), the order hash that
// is the venue's order id, and the JSON body POST /order takes.
//
// The bytes are proven identical to the official V2 client's order builder by
// a differential test; nothing here talks to the network.
import { encodeAbiParameters, hashTypedData, keccak256, toHex, type LocalAccount } from 'viem';
import { randomInt } from 'node:crypto';
import { CHAIN_ID, DOMAIN_NAME, exchangeAddress, type ExchangeVersion } from './contracts.js';
import type { SignatureType } from './wallet.js';
import { systemWall } from '../clock.js';
import { deepFreeze } from '../frozen.js';

export type OrderSide = 'BUY' | 'SELL';
export type OrderType = 'GTC' | 'GTD' | 'FOK' | 'FAK';
export const TICK_SIZES = deepFreeze(['0.1', '0.01', '0.005', '0.0025', '0.001', '0.0001'] as const);
export type TickSize = (typeof TICK_SIZES)[number];
export const BYTES32_ZERO = `0x${'0'.repeat(64)}` as const;
/** Collateral and outcome tokens both have 6 decimals. */
const UNIT = 1_000_000n;

export const ORDER_FIELDS = deepFreeze([
  { name: 'salt', type: 'uint256' },
  { name: 'maker', type: 'address' },
  { name: 'signer', type: 'address' },
  { name: 'tokenId', type: 'uint256' },
  { name: 'makerAmount', type: 'uint256' },
  { name: 'takerAmount', type: 'uint256' },
  { name: 'side', type: 'uint8' },
  { name: 'signatureType', type: 'uint8' },
  { name: 'timestamp', type: 'uint256' },
  { name: 'metadata', type: 'bytes32' },
  { name: 'builder', type: 'bytes32' },
] as const);
const ORDER_TYPE = `Order(${ORDER_FIELDS.map((f) => `${f.type} ${f.name}`).join(',')})`;
const ORDER_TYPE_HASH = keccak256(toHex(ORDER_TYPE));
const DOMAIN_TYPE_HASH = keccak256(toHex('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'));
/** The deposit wallet's ERC-7739 nested typed-data wrapper. */
const TYPED_DATA_SIGN = [
  { name: 'contents', type: 'Order' },
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
  { name: 'verifyingContract', type: 'address' },
  { name: 'salt', type: 'bytes32' },
] as const;

export class OrderError extends Error {}

/** What the caller decides; everything else is derived. Prices and sizes are decimal strings. */
export interface OrderIntent {
  tokenId: string;
  side: OrderSide;
  price: string;
  /** Shares, at most two decimals. */
  size: string;
  tick: TickSize;
  negRisk: boolean;
  version: ExchangeVersion;
  builder?: `0x${string}`;
  metadata?: `0x${string}`;
}

/** The signed struct plus the fields that travel beside it. */
export interface SignedOrder {
  salt: string;
  maker: `0x${string}`;
  signer: `0x${string}`;
  tokenId: string;
  makerAmount: string;
  takerAmount: string;
  side: OrderSide;
  signatureType: SignatureType;
  timestamp: string;
  metadata: `0x${string}`;
  builder: `0x${string}`;
  expiration: string;
  signature: `0x${string}`;
}

/** Parses a non-negative decimal string into an integer count of 10^-dp units; undefined if it has more decimals. */
export function decimalUnits(text: string, dp: number): bigint | undefined {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > dp) return undefined;
  return BigInt(m[1]!) * 10n ** BigInt(dp) + BigInt(frac.padEnd(dp, '0') || '0');
}

/** Price in millionths, checked on the tick grid and strictly inside (0, 1). */
export function priceMicros(price: string, tick: TickSize): bigint {
  const p = decimalUnits(price, 6);
  const t = decimalUnits(tick, 6)!;
  if (p === undefined || p % t !== 0n) throw new OrderError(`price ${price} is not on the ${tick} tick grid`);
  if (p < t || p > UNIT - t) throw new OrderError(`price ${price} is outside [${tick}, ${1 - Number(tick)}]`);
  return p;
}

/**
 * Maker and taker amounts in base units (6 decimals). A BUY gives USDC and
 * takes shares; a SELL the reverse. On the grid the product size × price is
 * exact, so no rounding happens.
 */
export function orderAmounts(side: OrderSide, price: string, size: string, tick: TickSize): { makerAmount: bigint; takerAmount: bigint } {
  const p = priceMicros(price, tick);
  const centi = decimalUnits(size, 2);
  if (centi === undefined || centi === 0n) throw new OrderError(`size ${size} must be positive with at most two decimals`);
  const shares = centi * 10_000n;
  const usdc = (centi * p) / 100n;
  return side === 'BUY' ? { makerAmount: usdc, takerAmount: shares } : { makerAmount: shares, takerAmount: usdc };
}

/** A salt as the official client makes one: an integer below 2^53 so the JSON number is exact. */
export function newSalt(): string {
  return String(randomInt(1, 2 ** 47));
}

export interface SignerSpec {
  account: LocalAccount;
  /** The maker (funds); the signer's own address for an EOA. */
  funder: `0x${string}`;
  signatureType: SignatureType;
}

export function orderDomain(version: ExchangeVersion, negRisk: boolean) {
  return { name: DOMAIN_NAME, version: String(version), chainId: CHAIN_ID, verifyingContract: exchangeAddress(version, negRisk) } as const;
}

function messageOf(o: Omit<SignedOrder, 'signature' | 'expiration'>) {
  return {
    salt: BigInt(o.salt),
    maker: o.maker,
    signer: o.signer,
    tokenId: BigInt(o.tokenId),
    makerAmount: BigInt(o.makerAmount),
    takerAmount: BigInt(o.takerAmount),
    side: o.side === 'BUY' ? 0 : 1,
    signatureType: o.signatureType,
    timestamp: BigInt(o.timestamp),
    metadata: o.metadata,
    builder: o.builder,
  };
}

/** The EIP-712 hash of an order: the venue's order id. */
export function orderHash(o: Omit<SignedOrder, 'signature' | 'expiration'>, version: ExchangeVersion, negRisk: boolean): `0x${string}` {
  return hashTypedData({ domain: orderDomain(version, negRisk), types: { Order: ORDER_FIELDS }, primaryType: 'Order', message: messageOf(o) });
}

/** The unsigned struct for an intent (salt and timestamp fixed by the caller for templates and tests). */
export function orderStruct(intent: OrderIntent, who: SignerSpec, salt = newSalt(), timestampMs: number = systemWall(), expiration = 0): Omit<SignedOrder, 'signature'> {
  const { makerAmount, takerAmount } = orderAmounts(intent.side, intent.price, intent.size, intent.tick);
  if (!/^\d+$/.test(intent.tokenId)) throw new OrderError(`token id ${intent.tokenId} is not a decimal integer`);
  // A deposit wallet signs as itself: the signer field is the wallet, the key behind it signs the envelope.
  const signer = who.signatureType === 3 ? who.funder : who.account.address;
  return {
    salt,
    maker: who.funder,
    signer,
    tokenId: intent.tokenId,
    makerAmount: makerAmount.toString(),
    takerAmount: takerAmount.toString(),
    side: intent.side,
    signatureType: who.signatureType,
    metadata: intent.metadata ?? BYTES32_ZERO,
    builder: intent.builder ?? BYTES32_ZERO,
    timestamp: String(timestampMs),
    expiration: String(expiration),
  };
}

/** Signs an order struct for its exchange version and neg-risk flag. */
export async function signOrder(o: Omit<SignedOrder, 'signature'>, who: SignerSpec, version: ExchangeVersion, negRisk: boolean): Promise<SignedOrder> {
  const domain = orderDomain(version, negRisk);
  const message = messageOf(o);
  if (o.signatureType !== 3) {
    const signature = await who.account.signTypedData({ domain, types: { Order: ORDER_FIELDS }, primaryType: 'Order', message });
    return { ...o, signature };
  }
  // ERC-7739: the key signs TypedDataSign(contents=Order, wallet domain), and
  // the envelope carries what the wallet needs to rebuild that hash on chain.
  const inner = await who.account.signTypedData({
    domain,
    types: { TypedDataSign: TYPED_DATA_SIGN, Order: ORDER_FIELDS },
    primaryType: 'TypedDataSign',
    message: { contents: message, name: 'DepositWallet', version: '1', chainId: BigInt(CHAIN_ID), verifyingContract: o.signer, salt: BYTES32_ZERO },
  });
  const signature = `${inner}${appDomainSeparator(version, negRisk).slice(2)}${contentsHash(message).slice(2)}${toHex(ORDER_TYPE).slice(2)}${ORDER_TYPE.length.toString(16).padStart(4, '0')}` as `0x${string}`;
  return { ...o, signature };
}

const domainSeps = new Map<string, `0x${string}`>();
function appDomainSeparator(version: ExchangeVersion, negRisk: boolean): `0x${string}` {
  const k = `${version}:${negRisk}`;
  let s = domainSeps.get(k);
  if (!s) {
    const d = orderDomain(version, negRisk);
    s = keccak256(
      encodeAbiParameters(
        [{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }, { type: 'uint256' }, { type: 'address' }],
        [DOMAIN_TYPE_HASH, keccak256(toHex(d.name)), keccak256(toHex(d.version)), BigInt(d.chainId), d.verifyingContract],
      ),
    );
    domainSeps.set(k, s);
  }
  return s;
}

function contentsHash(m: ReturnType<typeof messageOf>): `0x${string}` {
  return keccak256(
    encodeAbiParameters(
      [{ type: 'bytes32' }, ...ORDER_FIELDS.map((f) => ({ type: f.type }))],
      [ORDER_TYPE_HASH, m.salt, m.maker, m.signer, m.tokenId, m.makerAmount, m.takerAmount, m.side, m.signatureType, m.timestamp, m.metadata, m.builder],
    ),
  );
}

/** Builds and signs in one go. */
export async function buildSignedOrder(intent: OrderIntent, who: SignerSpec, opts: { salt?: string; timestampMs?: number; expiration?: number } = {}): Promise<SignedOrder> {
  const s = orderStruct(intent, who, opts.salt, opts.timestampMs, opts.expiration);
  return signOrder(s, who, intent.version, intent.negRisk);
}

/** The POST /order body, field for field as the official client serialises it (salt as a JSON number). */
export function orderPayload(o: SignedOrder, owner: string, orderType: OrderType, postOnly = false, deferExec = false): string {
  if (postOnly && (orderType === 'FOK' || orderType === 'FAK')) throw new OrderError('post-only is allowed with GTC and GTD only');
  return JSON.stringify({
    deferExec,
    postOnly,
    order: {
      salt: Number(o.salt),
      maker: o.maker,
      signer: o.signer,
      tokenId: o.tokenId,
      makerAmount: o.makerAmount,
      takerAmount: o.takerAmount,
      side: o.side,
      signatureType: o.signatureType,
      timestamp: o.timestamp,
      expiration: o.expiration,
      metadata: o.metadata,
      builder: o.builder,
      signature: o.signature,
    },
    owner,
    orderType,
  });
}

/** The venue keeps a one-minute security margin on GTD: an order meant to live `lifetimeS` seconds expires at now + 60 + lifetime. */
export function gtdExpiration(nowMs: number, lifetimeS: number): number {
  if (!(lifetimeS > 0)) throw new OrderError('a GTD order needs a positive lifetime');
  return Math.floor(nowMs / 1000) + 60 + Math.ceil(lifetimeS);
}

export { ORDER_TYPE };
