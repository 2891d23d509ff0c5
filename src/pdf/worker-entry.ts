import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * What to hand `new Worker()` for a worker module next to the caller. Built code runs the
 * .js file directly; under tsx or vitest the source is .ts, which a worker cannot load
 * by itself, so a small bootstrap registers tsx in the worker first.
 */
export function workerEntry(moduleUrl: URL): URL {
  if (!moduleUrl.pathname.endsWith('.ts')) return moduleUrl;
  const require = createRequire(import.meta.url);
  const tsx = pathToFileURL(
    require.resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs'),
  ).href;
  const code = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(moduleUrl.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}
