// Signing off the event loop. An EIP-712 signature costs milliseconds of CPU
// (secp256k1 in JavaScript); done on the main thread during a template refill
// it delays whatever decision arrives meanwhile, which is exactly the order
// the templates exist to make fast. A worker thread holds its own account for
// the key and signs typed data; the main thread only builds the struct and
// posts a message. The account handed out is an ordinary viem LocalAccount, so
// `signOrder` (and with it the bytes, proven identical to the official client)
// does not change.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { toAccount } from 'viem/accounts';
import type { LocalAccount, TypedDataDefinition } from 'viem';
import type { Secret } from './secret.js';

// Plain CommonJS so the same code runs from the compiled build and from the
// TypeScript sources under the test runner; viem is loaded by absolute path.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { privateKeyToAccount } = require(workerData.viemAccounts);
const account = privateKeyToAccount(workerData.key);
workerData.key = '';
parentPort.postMessage({ ready: account.address });
parentPort.on('message', (m) => {
  account.signTypedData(m.typedData).then(
    (signature) => parentPort.postMessage({ id: m.id, signature }),
    (err) => parentPort.postMessage({ id: m.id, error: String((err && err.message) || err).slice(0, 200) }),
  );
});
`;

interface Pending {
  resolve: (sig: `0x${string}`) => void;
  reject: (err: Error) => void;
}

export class SigningWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private closed = false;
  /** Signatures made in the worker (tests, status). */
  signed = 0;
  readonly ready: Promise<void>;
  /** A LocalAccount whose typed-data signatures are made in the worker. */
  readonly account: LocalAccount;

  constructor(privateKey: Secret, address: `0x${string}`) {
    const viemAccounts = createRequire(import.meta.url).resolve('viem/accounts');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { key: privateKey.reveal(), viemAccounts } });
    this.worker.unref();
    this.ready = new Promise((resolve, reject) => {
      const first = (m: { ready?: string }) => {
        if (m.ready === undefined) return;
        this.worker.off('message', first);
        if (m.ready.toLowerCase() !== address.toLowerCase()) reject(new Error('the signing worker holds a different key than the wallet'));
        else resolve();
      };
      this.worker.on('message', first);
      this.worker.once('error', (e) => reject(new Error(`signing worker failed to start: ${e.message}`)));
    });
    this.worker.on('message', (m: { id?: number; signature?: `0x${string}`; error?: string }) => {
      if (m.id === undefined) return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.signature) {
        this.signed++;
        p.resolve(m.signature);
      } else p.reject(new Error(`signing failed: ${m.error ?? 'unknown'}`));
    });
    this.worker.on('error', (e) => this.failAll(`signing worker failed: ${e.message}`));
    this.worker.on('exit', () => this.failAll('signing worker stopped'));
    this.account = toAccount({
      address,
      signTypedData: (typedData) => this.signTypedData(typedData as TypedDataDefinition),
      signMessage: () => Promise.reject(new Error('the signing worker signs orders only')),
      signTransaction: () => Promise.reject(new Error('the signing worker signs orders only')),
    });
  }

  private signTypedData(typedData: TypedDataDefinition): Promise<`0x${string}`> {
    if (this.closed) return Promise.reject(new Error('signing worker is closed'));
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, typedData });
    });
  }

  private failAll(why: string): void {
    for (const p of this.pending.values()) p.reject(new Error(why));
    this.pending.clear();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failAll('signing worker is closed');
    await this.worker.terminate();
  }
}
