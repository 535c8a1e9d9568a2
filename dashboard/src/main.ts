/**
 * The dashboard: hash routes (#/, #/model/<m>, #/trends, #/history/<m>/<test>, #/lessons, #/lesson/<id>, #/experiments,
 * #/experiment/<change>, #/compare, #/effects, #/gate, #/drafts, #/runs/<id>, #/runs/<a>/diff/<b>).
 */
import { ApiError, readToken, setReadToken } from './api.js';
import { h } from './dom.js';
import './styles.css';
import type { View } from './views/common.js';
import { draftsView } from './views/drafts.js';
import { effectsView } from './views/effects.js';
import { experimentView } from './views/experiment.js';
import { compareView, experimentsView } from './views/experiments.js';
import { gateView } from './views/gate.js';
import { historyView } from './views/history.js';
import { leaderboardView } from './views/leaderboard.js';
import { lessonsView, lessonView } from './views/lessons.js';
import { modelView } from './views/model.js';
import { runView } from './views/runs.js';
import { trendsView } from './views/trends.js';

const ROUTES: Record<string, { view: View; nav: string }> = {
  '': { view: leaderboardView, nav: 'leaderboard' },
  model: { view: modelView, nav: 'leaderboard' },
  trends: { view: trendsView, nav: 'trends' },
  history: { view: historyView, nav: 'trends' },
  lessons: { view: lessonsView, nav: 'lessons' },
  lesson: { view: lessonView, nav: 'lessons' },
  experiments: { view: experimentsView, nav: 'experiments' },
  experiment: { view: experimentView, nav: 'experiments' },
  compare: { view: compareView, nav: 'experiments' },
  effects: { view: effectsView, nav: 'effects' },
  gate: { view: gateView, nav: 'gate' },
  drafts: { view: draftsView, nav: 'drafts' },
  runs: { view: runView, nav: 'leaderboard' },
};

const root = document.getElementById('app')!;
let cleanup: (() => void) | void;
let current = 0;

/**
 * Shown when an API call answers 401 (LESSONLOOP_REQUIRE_READ_TOKEN=true): the token is kept in sessionStorage
 * (this tab only) and sent as `Authorization: Bearer` with every call; the page itself and its assets are public.
 */
function tokenForm(): HTMLElement {
  const refused = readToken() !== null;
  const form = h('form', { class: 'filters', 'data-testid': 'token-form' },
    h('label', {}, 'Read token ', h('input', { name: 'token', type: 'password', autocomplete: 'off', required: true })),
    h('button', { type: 'submit' }, 'Use'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    setReadToken(String(new FormData(form).get('token') ?? '').trim());
    void render();
  });
  return h('section', { class: 'empty' }, h('h2', {}, 'This server wants a read token'),
    h('p', {}, 'Reads need a bearer token with the read scope here (LESSONLOOP_REQUIRE_READ_TOKEN). It is kept for this tab only.'),
    refused ? h('p', { class: 'error', role: 'alert', 'data-testid': 'token-refused' }, 'The token given was refused: enter another one.') : '',
    form);
}

async function render(): Promise<void> {
  const call = ++current;
  const raw = location.hash.replace(/^#\/?/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?');
  const [name = '', ...rest] = pathPart.split('/');
  const route = ROUTES[name] ?? ROUTES['']!;
  for (const a of document.querySelectorAll<HTMLAnchorElement>('[data-nav]')) a.classList.toggle('active', a.dataset.nav === route.nav);
  cleanup?.();
  cleanup = undefined;
  root.setAttribute('aria-busy', 'true');
  const target = h('div', { class: 'view' }, h('p', { class: 'loading' }, 'Loading…'));
  root.replaceChildren(target);
  try {
    const done = await route.view(rest, new URLSearchParams(queryPart), target);
    if (call !== current) done?.();
    else cleanup = done;
  } catch (error) {
    if (call !== current) return;
    if (error instanceof ApiError && error.status === 401) target.replaceChildren(tokenForm());
    else target.replaceChildren(h('p', { class: 'error', role: 'alert' }, `Could not load this view: ${error instanceof Error ? error.message : String(error)}`));
  } finally {
    if (call === current) root.setAttribute('aria-busy', 'false');
  }
}

window.addEventListener('hashchange', () => void render());
void render();
