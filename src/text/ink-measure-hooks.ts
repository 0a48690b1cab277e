// Module resolution hooks (node:module) that answer Ink's `import widestLine
// from 'widest-line'` with our memoized widest-line.ts. Only imports made from
// inside Ink's own package are redirected; everything else resolves as usual.
// Runs in Node's loader (its own thread under module.register).

interface ResolveContext {
  parentURL?: string;
}
interface ResolveResult {
  url: string;
  shortCircuit?: boolean;
  format?: string | null;
}
type NextResolve = (specifier: string, context: ResolveContext) => ResolveResult | Promise<ResolveResult>;

let target: string | undefined;

/** `data.target`: the file URL of the memoized module. */
export function initialize(data: { target: string }): void {
  target = data.target;
}

/** Is this import Ink's own `widest-line`? Works for npm, pnpm (.pnpm/ink@x/node_modules/ink/) and Windows URLs. */
export function redirects(specifier: string, parentURL: string | undefined): boolean {
  return specifier === 'widest-line' && parentURL !== undefined && parentURL.includes('/node_modules/ink/');
}

export function resolve(specifier: string, context: ResolveContext, next: NextResolve): ResolveResult | Promise<ResolveResult> {
  if (target && redirects(specifier, context.parentURL)) return { url: target, shortCircuit: true, format: 'module' };
  return next(specifier, context);
}
