import type { Express } from 'express';

/** One HTTP route as the app's router holds it: method and path pattern (`/api/tickets/:id`). */
export interface RouteInfo {
  method: string;
  path: string;
}

interface Layer {
  rawPath?: string | string[];
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

const join = (prefix: string, path: string) => (`${prefix}/${path}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1') || '/');

/**
 * Every route of the app, read from Express's own router (mounted routers included), so a
 * route added by anyone later is fuzzed without being listed anywhere.
 */
export function routesOf(app: Express): RouteInfo[] {
  const routes: RouteInfo[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) for (const method of Object.keys(layer.route.methods)) if (method !== '_all') routes.push({ method: method.toUpperCase(), path: join(prefix, path) });
      } else if (layer.handle?.stack) {
        const mount = Array.isArray(layer.rawPath) ? (layer.rawPath[0] ?? '/') : (layer.rawPath ?? '/');
        walk(layer.handle.stack, join(prefix, mount));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  const seen = new Set<string>();
  return routes.filter((r) => {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The names of a route's parameters (`:id`, `*rest`). */
export const paramsOf = (path: string) => [...path.matchAll(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);

/** Percent-encoding that survives lone surrogates (sent as U+FFFD, as a browser would). */
export const encode = (value: string) => encodeURIComponent(value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));

/** The path with each parameter replaced (values are percent-encoded here). */
export const fillPath = (path: string, value: (param: string) => string) => path.replace(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => encode(value(name)));
