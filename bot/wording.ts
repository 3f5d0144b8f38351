import type { Action, CesScale, Reply } from './types';

/**
 * What the customer reads for survey answers and conversation events, the same in every
 * channel (widget, Slack, Teams). Pure: the widget bundles it too.
 */

export interface ScoreOption {
  score: number;
  /** On the button. */
  text: string;
  /** What the answer reads as in the transcript ("6 out of 7"). */
  label: string;
  /** The button's accessible name. */
  name: string;
}

/**
 * CES answers. The seven-point scale is 1 (very difficult) … 7 (very easy); the three-choice
 * variant maps Easy / Neutral / Difficult onto the same scale as 7 / 4 / 1, so both variants
 * report comparable scores.
 */
export function cesOptions(scale: CesScale): ScoreOption[] {
  if (scale === 'three-choice') {
    return (
      [
        [7, 'Easy'],
        [4, 'Neutral'],
        [1, 'Difficult'],
      ] as const
    ).map(([score, text]) => ({ score, text, label: text, name: text }));
  }
  return [1, 2, 3, 4, 5, 6, 7].map((n) => ({ score: n, text: String(n), label: `${n} out of 7`, name: n === 1 ? '1, very difficult' : n === 7 ? '7, very easy' : String(n) }));
}

export const CES_HINT = '1 = very difficult, 7 = very easy';

/** CSAT answers 1 (very dissatisfied) … `points` (very satisfied). */
export function csatOptions(points: number): ScoreOption[] {
  return Array.from({ length: points }, (_, i) => {
    const n = i + 1;
    return { score: n, text: String(n), label: `${n} out of ${points}`, name: n === 1 ? '1, very dissatisfied' : n === points ? `${n}, very satisfied` : String(n) };
  });
}

export const csatHint = (points: number) => `1 = very dissatisfied, ${points} = very satisfied`;

/** NPS 0…max (max is 10): eleven buttons; every channel renders these (widget, Slack, Teams, email). */
export function npsOptions(max: number): ScoreOption[] {
  return Array.from({ length: max + 1 }, (_, n) => ({
    score: n,
    text: String(n),
    label: `${n} out of ${max}`,
    name: n === 0 ? '0, not at all likely' : n === max ? `${n}, extremely likely` : String(n),
  }));
}

export const npsHint = (max: number) => `0 = not at all likely, ${max} = extremely likely`;

export type ConversationEvent = 'escalated' | 'assigned' | 'resolved' | 'reopened';

/** The line a conversation event shows the customer. */
export function eventText(event: ConversationEvent, agentName?: string): string {
  switch (event) {
    case 'escalated':
      return "You're in the queue. A person will be with you soon.";
    case 'assigned':
      return `${agentName ?? 'An agent'} joined the conversation`;
    case 'resolved':
      return 'Conversation resolved';
    case 'reopened':
      return 'Conversation reopened';
    default:
      return '';
  }
}

export interface AnswerButton {
  text: string;
  /** What the press reads as in the transcript. */
  label: string;
  action: Action;
  positive?: boolean;
}

/** The buttons under an answer that asks "Did this help?" (chat channels; the widget has its own Yes/No). */
export function answerButtons(reply: Extract<Reply, { type: 'article' }>): AnswerButton[] {
  const feedback = (helpful: boolean): Action => ({ kind: 'feedback', helpful, articleId: reply.articleId, ...(reply.intent ? { intent: reply.intent } : {}) });
  return [
    { text: 'This helped', label: 'Yes, this helped', action: feedback(true), positive: true },
    { text: "Didn't help", label: "No, this didn't help", action: feedback(false) },
    { text: 'Talk to a person', label: 'Talk to a person', action: { kind: 'handoff' } },
  ];
}

/** Languages the bot's own replies are written in; any other language gets the English text. */
export const BOT_LANGUAGES = ['en', 'fr', 'de', 'es'] as const;
export type BotLanguage = (typeof BOT_LANGUAGES)[number];

export interface BotText {
  clarifyMany: string;
  clarifyOne: string;
  rephrase: string;
  stillNotFinding: string;
  talkToPerson: string;
  /** Says only what happens now; the queue line and the availability say what happens next. */
  connecting: string;
  notHelpfulOffer: string;
  maybeThisOne: string;
  glad: string;
  surveyThanks: string;
  emailThanks: (email: string) => string;
  /** No answer in the customer's language: say so, in it, and offer the team. */
  otherLanguage: string;
  /** Articles exist in the customer's language: offer them. */
  inYourLanguage: string;
}

const TEXT: Record<BotLanguage, BotText> = {
  en: {
    clarifyMany: 'I found a few things that might help. Which one fits best?',
    clarifyOne: 'Is this what you are looking for?',
    rephrase: "Sorry, I didn't quite get that. Could you rephrase it?",
    stillNotFinding: "I'm still not finding an answer. Would you like to talk to a person?",
    talkToPerson: 'Talk to a person',
    connecting: "I'm connecting you with our support team.",
    notHelpfulOffer: "Sorry that didn't help. Would you like to talk to a person?",
    maybeThisOne: 'Sorry about that. Maybe this one helps:',
    glad: 'Great, glad that helped!',
    surveyThanks: 'Thank you for your feedback!',
    emailThanks: (email) => `Thanks — we'll reply to ${email}.`,
    otherLanguage: "I can't answer this in your language yet, but our team can help. Would you like to talk to a person?",
    inYourLanguage: 'This article may help:',
  },
  fr: {
    clarifyMany: "J'ai trouvé plusieurs réponses possibles. Laquelle correspond le mieux ?",
    clarifyOne: 'Est-ce bien ce que vous cherchez ?',
    rephrase: "Désolé, je n'ai pas bien compris. Pouvez-vous reformuler ?",
    stillNotFinding: 'Je ne trouve toujours pas de réponse. Voulez-vous parler à une personne ?',
    talkToPerson: 'Parler à une personne',
    connecting: 'Je vous mets en relation avec notre équipe.',
    notHelpfulOffer: "Désolé que cela n'ait pas aidé. Voulez-vous parler à une personne ?",
    maybeThisOne: 'Désolé. Cet article vous aidera peut-être :',
    glad: 'Parfait, ravi que cela vous ait aidé !',
    surveyThanks: 'Merci pour votre avis !',
    emailThanks: (email) => `Merci — nous vous répondrons à ${email}.`,
    otherLanguage: 'Je ne peux pas encore répondre à cette question en français, mais notre équipe peut vous aider. Voulez-vous parler à une personne ?',
    inYourLanguage: 'Cet article peut vous aider :',
  },
  de: {
    clarifyMany: 'Ich habe einige passende Antworten gefunden. Welche trifft am besten zu?',
    clarifyOne: 'Suchen Sie danach?',
    rephrase: 'Entschuldigung, das habe ich nicht ganz verstanden. Können Sie es anders formulieren?',
    stillNotFinding: 'Ich finde immer noch keine Antwort. Möchten Sie mit einer Person sprechen?',
    talkToPerson: 'Mit einer Person sprechen',
    connecting: 'Ich verbinde Sie mit unserem Support-Team.',
    notHelpfulOffer: 'Schade, dass das nicht geholfen hat. Möchten Sie mit einer Person sprechen?',
    maybeThisOne: 'Entschuldigung. Vielleicht hilft dieser Artikel:',
    glad: 'Super, freut mich, dass es geholfen hat!',
    surveyThanks: 'Vielen Dank für Ihr Feedback!',
    emailThanks: (email) => `Danke — wir antworten an ${email}.`,
    otherLanguage: 'Auf Deutsch kann ich diese Frage leider noch nicht beantworten, aber unser Team hilft Ihnen gern. Möchten Sie mit einer Person sprechen?',
    inYourLanguage: 'Dieser Artikel könnte helfen:',
  },
  es: {
    clarifyMany: 'He encontrado varias respuestas posibles. ¿Cuál encaja mejor?',
    clarifyOne: '¿Es esto lo que busca?',
    rephrase: 'Lo siento, no lo he entendido bien. ¿Puede reformularlo?',
    stillNotFinding: 'Sigo sin encontrar una respuesta. ¿Quiere hablar con una persona?',
    talkToPerson: 'Hablar con una persona',
    connecting: 'Le pongo en contacto con nuestro equipo de soporte.',
    notHelpfulOffer: 'Siento que no haya servido. ¿Quiere hablar con una persona?',
    maybeThisOne: 'Lo siento. Quizá este artículo le ayude:',
    glad: '¡Perfecto, me alegro de que haya servido!',
    surveyThanks: '¡Gracias por su opinión!',
    emailThanks: (email) => `Gracias — le responderemos a ${email}.`,
    otherLanguage: 'Todavía no puedo responder a esto en español, pero nuestro equipo puede ayudarle. ¿Quiere hablar con una persona?',
    inYourLanguage: 'Este artículo puede ayudarle:',
  },
};

/** The bot's own reply texts in `language` (a BCP 47 tag such as "fr" or "de-CH"); English when not translated. */
export function botText(language: string | undefined): BotText {
  const base = (language ?? 'en').toLowerCase().split('-')[0] as BotLanguage;
  return TEXT[base] ?? TEXT.en;
}
