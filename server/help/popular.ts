/** "Popular articles" (help-centre pages and the widget's empty conversation), from the view counts. */

interface Listed {
  id: string;
  category: string;
  locale: string;
}

const base = (locale: string) => locale.toLowerCase().split('-')[0] ?? '';

/**
 * The most viewed articles, topped up with each topic's first article while there are few views;
 * articles in `locale`'s language ("fr" for "fr-CA") come first and a topic's first article is
 * one in that language when it has one, so an English page does not open with a French article
 * (nor lose a topic to it). Other languages only fill up.
 */
export function popularArticles<A extends Listed>(all: A[], mostViewedIds: string[], locale: string, count: number): A[] {
  const same = (a: A) => !locale || base(a.locale) === base(locale);
  const byId = new Map(all.map((a) => [a.id, a]));
  const viewed = mostViewedIds.map((id) => byId.get(id)).filter((a): a is A => a !== undefined);
  // Topics in the order of their last article (as the list always was).
  const topics = [...new Map([...all].reverse().map((a) => [a.category, a])).keys()].reverse();
  const firsts = topics.map((c) => all.find((a) => a.category === c && same(a)) ?? all.find((a) => a.category === c)!);
  const merged = [...new Map([...viewed, ...firsts].map((a) => [a.id, a])).values()];
  return [...merged.filter(same), ...merged.filter((a) => !same(a))].slice(0, count);
}
