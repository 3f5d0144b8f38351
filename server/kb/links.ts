/** Help-centre articles an agent's reply links to (`/help/articles/<slug>`, relative or absolute). */
export function linkedArticles(text: string): string[] {
  const ids = new Set<string>();
  for (const m of text.matchAll(/\/help\/articles\/([a-z0-9][a-z0-9-]{0,79})/g)) ids.add(m[1]!);
  return [...ids].slice(0, 5);
}
