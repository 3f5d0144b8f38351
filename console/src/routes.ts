/** The console's two pages; the server answers both paths with the same index.html. */
export type Route = 'queue' | 'dashboard';

export const QUEUE_PATH = '/console';
export const DASHBOARD_PATH = '/console/dashboard';

export function routeOf(pathname: string): Route {
  return /^\/console\/dashboard\/?$/.test(pathname) ? 'dashboard' : 'queue';
}

export function pathOf(route: Route): string {
  return route === 'dashboard' ? DASHBOARD_PATH : QUEUE_PATH;
}

/** The open ticket lives in the query string (?ticket=…) so a reload keeps it open. */
export function ticketFromSearch(search: string): string | null {
  const id = new URLSearchParams(search).get('ticket');
  return id && /^[\w-]{1,64}$/.test(id) ? id : null;
}
