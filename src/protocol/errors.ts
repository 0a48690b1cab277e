/** A typed decode failure. `field` names the offending path ("price_changes[0].price"). */
export interface DecodeError {
  kind: 'json' | 'schema' | 'unknown_event' | 'text';
  field: string;
  message: string;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: DecodeError };
