/**
 * The contract between the loader (widget.js, plain DOM) and the lazily loaded panel (panel.js, preact).
 * Types and a few tiny helpers only, so the loader bundle stays small.
 */

import type { Branding } from '../../server/domain/branding';
import type { Locale, Translate } from './i18n';

/** GET /api/widget/config: the team's branding, read on every page load (and on open). */
export interface WidgetConfig {
  branding: Branding;
  /** The operator's team name (TEAM_NAME, else EMAIL_FROM's name) for when Settings names none; may be empty. */
  defaultTeamName?: string;
  /** First names of agents online now (empty when the presence line is switched off). */
  team: { name: string }[];
  /** Starting points shown in an empty conversation. */
  popular?: { id: string; title: string; url: string }[];
}

export interface Identity {
  name?: string;
  email?: string;
  attributes?: Record<string, string | number | boolean>;
}

/** What the loader hands to the panel when it mounts it. */
export interface PanelHost {
  /** The widget's shadow root: the panel adds its own stylesheet here. */
  root: ShadowRoot;
  /** The element inside the shadow root the panel renders into. */
  container: HTMLElement;
  /** Origin of widget.js, e.g. "https://support.example.com": every API call goes there. */
  origin: string;
  key: string;
  /** The embed's data-title: this embed's own name, over the operator's default (not over Settings). */
  title: string;
  locale: Locale;
  /** The loader's translator: the panel bundle carries no dictionaries of its own. */
  t: Translate;
  /** The latest config (null until it arrived or if it could not be read). */
  config(): WidgetConfig | null;
  /** Called when a fresher config arrives (the loader re-reads it each time the chat opens). */
  onConfig(fn: (config: WidgetConfig) => void): void;
  identity: Identity;
  pageUrl: string;
  open: boolean;
  /** Unread bot/agent messages, drawn as the launcher badge. */
  setUnread(count: number): void;
  /** The panel asks to be closed (close button, Escape). */
  requestClose(): void;
}

/** What the panel gives back. */
export interface PanelApi {
  /** focus: move focus into the composer (not when re-opening on page load). */
  setOpen(open: boolean, focus: boolean): void;
  identify(identity: Identity): void;
  page(url: string): void;
}

/** Global the IIFE panel bundle defines (vite lib `name`). */
export const PANEL_GLOBAL = 'AnswerdeskPanel';

export interface PanelModule {
  mount(host: PanelHost): PanelApi;
}

/** localStorage / sessionStorage keys, all namespaced by widget key. */
export const storageKey = (key: string, what: 'token' | 'conversation' | 'open' | 'pin'): string => `answerdesk:${key}:${what}`;
