/** The console's pages; the server answers every path with the same index.html. */
export type Route = 'queue' | 'dashboard' | 'knowledge' | 'improve';

export const QUEUE_PATH = '/console';
export const DASHBOARD_PATH = '/console/dashboard';

export function routeOf(pathname: string): Route {
  const page = /^\/console\/(dashboard|knowledge|improve)\/?$/.exec(pathname)?.[1];
  return (page as Route | undefined) ?? 'queue';
}

export function pathOf(route: Route): string {
  return route === 'queue' ? QUEUE_PATH : route === 'dashboard' ? DASHBOARD_PATH : `/console/${route}`;
}

/** The open ticket lives in the query string (?ticket=…) so a reload keeps it open. */
export function ticketFromSearch(search: string): string | null {
  const id = new URLSearchParams(search).get('ticket');
  return id && /^[\w-]{1,64}$/.test(id) ? id : null;
}
