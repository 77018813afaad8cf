import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { viteStaticCopy } from 'vite-plugin-static-copy';

/**
 * Cross-origin isolation (COOP + COEP) for dev and preview, so that
 * SharedArrayBuffer and threaded wasm are available where we opt into them.
 * Every resource the app loads is same-origin, so `require-corp` costs nothing.
 */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The app's Content-Security-Policy: everything from its own origin. WebAssembly needs
 * 'wasm-unsafe-eval' (compiling wasm, not evaluating JS); threaded wasm starts its pthreads as
 * blob: workers that importScripts a blob: copy of its own module (made by the page's own code, never
 * from imported content); recharts sets inline styles; grids are drawn from data:/blob: URLs.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The policy as a meta tag in the built page (the dev server's hot reload needs inline scripts). */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'growlab:csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}

/**
 * tfjs-backend-wasm starts its pthreads from the *text* of its module factory
 * (`factory.toString()` in a Blob). That text reads `_scriptDir`, a variable of the factory's
 * closure, which the minifier renames (or inlines) and which the pthread worker never has, so
 * threaded wasm would hang in the production build. Make it a global property instead: property
 * names survive minification, and the factory already copes with it being undefined.
 */
function wasmThreadsSafe(): Plugin {
  return {
    name: 'growlab:wasm-threads-safe',
    transform(code, id) {
      if (!id.includes('tfjs-backend-wasm-threaded-simd.js')) return null;
      return code
        .replace('var _scriptDir =', 'globalThis.__tfjsWasmScriptDir =')
        .replace(/\b_scriptDir\b/g, 'globalThis.__tfjsWasmScriptDir');
    },
  };
}

export default defineConfig({
  plugins: [
    react(),
    contentSecurityPolicy(),
    // The data sets `npm run data` built (data/<name>/: manifest.json, pixels.bin, labels.bin), served
    // under datasets/ in dev and copied into the build; the engine worker fetches them from there.
    viteStaticCopy({ targets: [{ src: 'data/*/{manifest.json,pixels.bin,labels.bin}', dest: 'datasets', rename: { stripBase: 1 } }], silent: true }),
  ],
  worker: {
    // Module workers: the engine worker uses ES imports (tfjs, comlink).
    format: 'es',
    plugins: () => [wasmThreadsSafe()],
  },
  optimizeDeps: {
    // The engine worker is created with `new URL(..., import.meta.url)`, which
    // the dependency scanner does not follow: list it as an entry so tfjs is
    // pre-bundled up front (no mid-session re-optimisation and page reload).
    // The tfjs-backend-wasm .wasm binaries are not pre-bundled: the worker
    // imports them with `?url` (see src/worker/wasmPaths.ts) and hands the
    // URLs to `setWasmPaths`, so they load in dev and in the build alike.
    entries: ['index.html', 'src/worker/*.worker.ts'],
  },
  server: {
    headers: isolationHeaders,
  },
  preview: {
    port: 4173,
    strictPort: true,
    // The header as well as the meta tag: a header also binds the workers' scripts.
    headers: { ...isolationHeaders, 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
  },
  build: {
    // tfjs is large; the default warning threshold only adds noise.
    chunkSizeWarningLimit: 4096,
  },
});
