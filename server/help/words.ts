/** The help centre's own words (its "chrome") in the languages articles are written in. */

const en = {
  search: 'Search',
  searchLabel: 'Search the help centre',
  placeholder: 'Search articles, e.g. reset password',
  hero: 'How can we help?',
  heroSub: 'Search our articles, or chat with the team.',
  categories: 'Browse by topic',
  popular: 'Popular articles',
  articles: '{n} articles',
  seeAll: 'See all {n}',
  resultsFor: 'Results for “{q}”',
  resultCount: '{n} articles found',
  noResults: 'No articles matched “{q}”.',
  noResultsHelp: 'Try other words — or ask us directly in the chat.',
  emptySearch: 'Type a question or a few words to search the help centre.',
  chat: 'Chat with us',
  stillNeedHelp: 'Still need help?',
  stillNeedHelpText: 'Our team answers in the chat, usually within minutes.',
  stillNeedHelpAway: "We're away right now. Leave a message in the chat and we'll reply by email.",
  stillNeedHelpAwayHere: "We're away right now. Leave a message in the chat and we'll reply there.",
  helpCentre: 'Help centre',
  helpful: 'Was this article helpful?',
  yes: 'Yes',
  no: 'No',
  thanks: 'Thanks for your feedback!',
  notFound: 'Page not found',
  notFoundText: 'We could not find that page. It may have moved — try searching, or start from a popular article below.',
  error: 'Something went wrong',
  errorText: 'The page could not be shown. Please try again in a moment.',
  home: 'Home',
  related: 'In this topic',
};

export type HelpWords = typeof en;

const fr: HelpWords = {
  search: 'Rechercher',
  searchLabel: 'Rechercher dans le centre d’aide',
  placeholder: 'Rechercher un article, p. ex. mot de passe',
  hero: 'Comment pouvons-nous vous aider ?',
  heroSub: 'Cherchez dans nos articles, ou discutez avec l’équipe.',
  categories: 'Parcourir par thème',
  popular: 'Articles populaires',
  articles: '{n} articles',
  seeAll: 'Voir les {n}',
  resultsFor: 'Résultats pour « {q} »',
  resultCount: '{n} articles trouvés',
  noResults: 'Aucun article ne correspond à « {q} ».',
  noResultsHelp: 'Essayez d’autres mots — ou posez-nous la question dans le chat.',
  emptySearch: 'Saisissez une question ou quelques mots pour chercher.',
  chat: 'Discuter avec nous',
  stillNeedHelp: 'Besoin d’aide ?',
  stillNeedHelpText: 'Notre équipe répond dans le chat, en général en quelques minutes.',
  stillNeedHelpAway: 'Nous sommes absents pour le moment. Laissez un message dans le chat, nous vous répondrons par e-mail.',
  stillNeedHelpAwayHere: 'Nous sommes absents pour le moment. Laissez un message dans le chat, nous vous y répondrons.',
  helpCentre: 'Centre d’aide',
  helpful: 'Cet article vous a-t-il été utile ?',
  yes: 'Oui',
  no: 'Non',
  thanks: 'Merci pour votre avis !',
  notFound: 'Page introuvable',
  notFoundText: 'Cette page est introuvable. Elle a peut-être été déplacée — essayez la recherche.',
  error: 'Une erreur est survenue',
  errorText: 'La page n’a pas pu être affichée. Veuillez réessayer dans un instant.',
  home: 'Accueil',
  related: 'Dans ce thème',
};

const de: HelpWords = {
  search: 'Suchen',
  searchLabel: 'Im Hilfe-Center suchen',
  placeholder: 'Artikel suchen, z. B. Passwort zurücksetzen',
  hero: 'Wie können wir helfen?',
  heroSub: 'Durchsuchen Sie unsere Artikel oder chatten Sie mit dem Team.',
  categories: 'Nach Thema',
  popular: 'Beliebte Artikel',
  articles: '{n} Artikel',
  seeAll: 'Alle {n} ansehen',
  resultsFor: 'Ergebnisse für „{q}“',
  resultCount: '{n} Artikel gefunden',
  noResults: 'Keine Artikel zu „{q}“ gefunden.',
  noResultsHelp: 'Versuchen Sie andere Wörter — oder fragen Sie uns direkt im Chat.',
  emptySearch: 'Geben Sie eine Frage oder ein paar Wörter ein.',
  chat: 'Mit uns chatten',
  stillNeedHelp: 'Noch Fragen?',
  stillNeedHelpText: 'Unser Team antwortet im Chat, meist innerhalb weniger Minuten.',
  stillNeedHelpAway: 'Wir sind gerade nicht erreichbar. Hinterlassen Sie eine Nachricht im Chat, wir antworten per E-Mail.',
  stillNeedHelpAwayHere: 'Wir sind gerade nicht erreichbar. Hinterlassen Sie eine Nachricht im Chat, wir antworten dort.',
  helpCentre: 'Hilfe-Center',
  helpful: 'War dieser Artikel hilfreich?',
  yes: 'Ja',
  no: 'Nein',
  thanks: 'Danke für Ihr Feedback!',
  notFound: 'Seite nicht gefunden',
  notFoundText: 'Diese Seite gibt es nicht (mehr). Versuchen Sie die Suche.',
  error: 'Etwas ist schiefgelaufen',
  errorText: 'Die Seite konnte nicht angezeigt werden. Bitte versuchen Sie es gleich noch einmal.',
  home: 'Start',
  related: 'Zum selben Thema',
};

const es: HelpWords = {
  search: 'Buscar',
  searchLabel: 'Buscar en el centro de ayuda',
  placeholder: 'Buscar artículos, p. ej. restablecer contraseña',
  hero: '¿En qué podemos ayudarle?',
  heroSub: 'Busque en nuestros artículos o hable con el equipo.',
  categories: 'Explorar por tema',
  popular: 'Artículos populares',
  articles: '{n} artículos',
  seeAll: 'Ver los {n}',
  resultsFor: 'Resultados para «{q}»',
  resultCount: '{n} artículos encontrados',
  noResults: 'Ningún artículo coincide con «{q}».',
  noResultsHelp: 'Pruebe con otras palabras, o pregúntenos en el chat.',
  emptySearch: 'Escriba una pregunta o unas palabras para buscar.',
  chat: 'Hablar con nosotros',
  stillNeedHelp: '¿Necesita más ayuda?',
  stillNeedHelpText: 'Nuestro equipo responde en el chat, normalmente en minutos.',
  stillNeedHelpAway: 'Ahora no estamos. Deje un mensaje en el chat y le responderemos por correo.',
  stillNeedHelpAwayHere: 'Ahora no estamos. Deje un mensaje en el chat y le responderemos allí.',
  helpCentre: 'Centro de ayuda',
  helpful: '¿Le ha resultado útil este artículo?',
  yes: 'Sí',
  no: 'No',
  thanks: '¡Gracias por su opinión!',
  notFound: 'Página no encontrada',
  notFoundText: 'No encontramos esa página. Puede que se haya movido: pruebe a buscar.',
  error: 'Algo salió mal',
  errorText: 'No se pudo mostrar la página. Inténtelo de nuevo en un momento.',
  home: 'Inicio',
  related: 'En este tema',
};

const WORDS: Record<string, HelpWords> = { en, fr, de, es };

export type HelpLang = 'en' | 'fr' | 'de' | 'es';

/** The chrome's language for a locale tag ("fr-CA" → fr); English when we have no translation. */
export const helpLang = (locale: string | undefined): HelpLang => {
  const base = (locale ?? 'en').toLowerCase().split('-')[0] ?? 'en';
  return (Object.hasOwn(WORDS, base) ? base : 'en') as HelpLang;
};

/**
 * The chrome's language for a request: the first of the browser's languages (Accept-Language,
 * by q-value) we have words for, else the operator's DEFAULT_LOCALE — as the widget picks its own.
 */
export function negotiateLang(acceptLanguage: string | undefined, fallback: HelpLang): HelpLang {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      // No q: 1. A q that is not a number from 0 to 1 makes the entry unusable (q = 0).
      const raw = params.join(';').trim();
      const q = raw === '' ? 1 : Number(/^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.exec(raw)?.[1] ?? '0');
      return { base: tag.trim().toLowerCase().split('-')[0] ?? '', q: Number.isFinite(q) ? q : 0, i };
    })
    // Own keys only: `__proto__` or `constructor` in a header are no language.
    .filter((l) => l.q > 0 && Object.hasOwn(WORDS, l.base))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return (ranked[0]?.base as HelpLang | undefined) ?? fallback;
}

export function helpWords(lang: HelpLang): (key: keyof HelpWords, vars?: Record<string, string | number>) => string {
  const words = WORDS[lang] ?? en;
  return (key, vars) => words[key].replace(/\{(\w+)\}/g, (_, v: string) => String(vars?.[v] ?? ''));
}

const CATEGORY_NAMES: Record<string, Record<HelpLang, string>> = {
  billing: { en: 'Billing and payments', fr: 'Facturation et paiements', de: 'Abrechnung und Zahlungen', es: 'Facturación y pagos' },
  plans: { en: 'Plans and cancellation', fr: 'Offres et résiliation', de: 'Tarife und Kündigung', es: 'Planes y cancelación' },
  refunds: { en: 'Refunds', fr: 'Remboursements', de: 'Erstattungen', es: 'Reembolsos' },
  account: { en: 'Account and login', fr: 'Compte et connexion', de: 'Konto und Anmeldung', es: 'Cuenta e inicio de sesión' },
  integrations: { en: 'Integrations', fr: 'Intégrations', de: 'Integrationen', es: 'Integraciones' },
  troubleshooting: { en: 'Troubleshooting', fr: 'Dépannage', de: 'Fehlerbehebung', es: 'Solución de problemas' },
  privacy: { en: 'Privacy and security', fr: 'Confidentialité et sécurité', de: 'Datenschutz und Sicherheit', es: 'Privacidad y seguridad' },
};

export const categoryName = (id: string, lang: HelpLang = 'en'): string => CATEGORY_NAMES[id]?.[lang] ?? id.charAt(0).toUpperCase() + id.slice(1);
