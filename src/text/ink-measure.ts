// Makes Ink measure text with our memoized widest-line (widest-line.ts) instead
// of the widest-line package it depends on. The swap is done by Node's supported
// module-resolution hooks rather than package.json "overrides" or a vendored
// node_modules entry, because both of those only work in our own checkout:
// npm ignores a package's overrides when it is installed as a dependency (or
// globally from a tarball), and a bundled copy sits where Ink never looks.
//
// It must run before Ink is first imported (the CLI loads Ink lazily, after
// this). Without hooks (Node < 20.6) Ink keeps the stock widest-line: the same
// widths, only slower.
import * as nodeModule from 'node:module';
import { initialize, resolve } from './ink-measure-hooks.js';

let installed: 'sync' | 'thread' | 'none' | undefined;

interface ModuleHooksApi {
  registerHooks?: (hooks: { resolve: typeof resolve }) => unknown;
  register?: (specifier: string, parentURL: string, options: { data: unknown }) => void;
}

/** Install the redirect once; returns how (in-thread hooks, loader thread, or not at all). */
export function installInkMeasureCache(): 'sync' | 'thread' | 'none' {
  if (installed) return installed;
  const target = new URL('./widest-line.js', import.meta.url).href;
  const api = nodeModule as unknown as ModuleHooksApi;
  try {
    if (typeof api.registerHooks === 'function') {
      // Node ≥ 22.15: synchronous hooks on this thread.
      initialize({ target });
      api.registerHooks({ resolve });
      installed = 'sync';
    } else if (typeof api.register === 'function') {
      api.register('./ink-measure-hooks.js', import.meta.url, { data: { target } });
      installed = 'thread';
    } else {
      installed = 'none';
    }
  } catch {
    installed = 'none';
  }
  return installed;
}
