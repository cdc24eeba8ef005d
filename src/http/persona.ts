import express, { type Router } from 'express';
import { decodeJwt } from 'jose';
import { Claims, DEPARTMENTS, ROLES, type Department, type Role } from '../auth/principal';
import type { DevTokenSigner } from '../auth/token';
import { ErrorCode } from '../errors';
import { PURPOSES, type Purpose } from '../policy/purposes';

/** Who a page acts as: a department's account, its jurisdiction and roles, and the purpose it declares. */
export interface Persona {
  dept: Department;
  region: string;
  roles: Role[];
  purpose: Purpose;
}

/** Options of `HubPersona.mount` in the browser. */
export interface PersonaBarOptions {
  /** Where the bar starts (and what it reads the region picker's divisions as). */
  defaults: Persona;
  /** The page declares this purpose only (the dashboard: STATISTICS). */
  fixedPurpose?: Purpose;
  /** The browser's local storage keeps each page's persona under its own key. */
  storageKey: string;
}

/** Where a page loads the bar from; it places it in its element with id "persona". */
export const PERSONA_SCRIPT = '/dev/persona.js';

/**
 * The persona bar, shared by GraphiQL and the dashboard: department, region (typed, or picked
 * province by province down to the village through the `regions` query), roles, the enterprise's
 * credit code for ENTERPRISE accounts, and purpose. It asks POST /dev/token for a token when a
 * request needs one (and again only when the persona changed or the token is about to expire),
 * so changing the persona runs nothing: the next request carries it.
 */
const SCRIPT = `(() => {
const DEPARTMENTS = ${JSON.stringify(DEPARTMENTS)};
const ROLES = ${JSON.stringify(ROLES)};
const PURPOSES = ${JSON.stringify(PURPOSES)};
const LEVELS = [['province', 2], ['city', 4], ['county', 6], ['township', 9], ['village', 12]];
const REGIONS = 'query PersonaRegions($parentCode: ID) { regions(parentCode: $parentCode) { code name } }';
const STYLE = '.hub-persona{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;padding:6px 12px;' +
  'font:13px/1.4 system-ui,sans-serif;color:#111;background:#f3f5f7;border-bottom:1px solid #d0d7de}' +
  '.hub-persona label{display:inline-flex;flex-direction:row;gap:4px;align-items:center;font-size:13px;color:#111}' +
  '.hub-persona input,.hub-persona select{font:inherit;padding:1px 4px}' +
  '.hub-persona details{display:inline-flex;gap:4px}.hub-persona summary{cursor:pointer;color:#0b57d0}' +
  '.hub-persona details select{margin-left:4px;max-width:12em}.hub-persona output{color:#555}' +
  '.hub-persona output[data-state=error]{color:#b91c1c}.hub-persona [hidden]{display:none}';

const options = (values) => values.map((v) => '<option>' + v + '</option>').join('');
const messageOf = (body, status) =>
  body && body.errors ? body.errors.map((e) => e.message).join('; ') : 'HTTP ' + status;

/** Development tokens by persona, each fetched once and kept until a minute before it expires. */
const tokens = new Map();
function mint(claims) {
  const key = JSON.stringify(claims);
  const known = tokens.get(key);
  if (known && known.until > Date.now()) return known.token;
  const entry = { until: Infinity };
  entry.token = fetch('/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: key })
    .then(async (res) => {
      const body = await res.json().catch(() => null);
      if (!res.ok) throw new Error(messageOf(body, res.status));
      entry.until = Date.parse(body.expires) - 60000;
      return body.token;
    });
  entry.token.catch(() => tokens.delete(key));
  tokens.set(key, entry);
  return entry.token;
}

function mount(container, { defaults, fixedPurpose, storageKey }) {
  if (!document.getElementById('hub-persona-style')) {
    const style = document.createElement('style');
    style.id = 'hub-persona-style';
    style.textContent = STYLE;
    document.head.append(style);
  }
  container.innerHTML = '<form class="hub-persona" autocomplete="off">' +
    '<label>Department <select name="dept">' + options(DEPARTMENTS) + '</select></label>' +
    '<label>Region <input name="region" size="13" placeholder="GB/T 2260 code"></label>' +
    '<details><summary>pick</summary>' +
    LEVELS.map(([name]) => '<select hidden aria-label="' + name + '"></select>').join('') + '</details>' +
    '<span>Roles ' + ROLES.map((r) => '<label><input type="checkbox" name="roles" value="' + r + '">' + r + '</label>').join(' ') +
    '</span>' +
    '<label data-enterprise>Credit code <input name="enterprise" size="19" placeholder="unified social credit code"></label>' +
    '<label>Purpose <select name="purpose">' + options(fixedPurpose ? [fixedPurpose] : PURPOSES) + '</select></label>' +
    '<output title="Authorization and X-Purpose of the next request"></output></form>';
  const form = container.querySelector('form');
  const fields = form.elements;
  const picker = form.querySelector('details');
  const levels = [...picker.querySelectorAll('select')];
  const status = form.querySelector('output');
  const storage = 'hub-persona:' + storageKey;

  let saved = {};
  try { saved = JSON.parse(localStorage.getItem(storage)) || {}; } catch { /* start from the defaults */ }
  const start = { ...defaults, ...saved, ...(fixedPurpose ? { purpose: fixedPurpose } : {}) };
  fields.dept.value = start.dept;
  fields.region.value = start.region;
  fields.enterprise.value = start.enterprise || '';
  fields.purpose.value = start.purpose;
  fields.purpose.disabled = Boolean(fixedPurpose);
  for (const box of form.querySelectorAll('[name=roles]')) box.checked = start.roles.includes(box.value);

  function claims() {
    const c = {
      dept: fields.dept.value,
      region: fields.region.value.trim(),
      roles: [...form.querySelectorAll('[name=roles]:checked')].map((box) => box.value),
    };
    if (c.dept === 'ENTERPRISE') c.enterprise = fields.enterprise.value.trim();
    return c;
  }
  const token = () => mint(claims());
  const headers = async () => ({ Authorization: 'Bearer ' + (await token()), 'X-Purpose': fields.purpose.value });

  const show = (text, state) => {
    status.textContent = text;
    status.dataset.state = state;
  };
  let shown = 0;
  async function changed() {
    const c = claims();
    form.querySelector('[data-enterprise]').hidden = c.dept !== 'ENTERPRISE';
    localStorage.setItem(storage, JSON.stringify({ ...c, enterprise: fields.enterprise.value.trim(), purpose: fields.purpose.value }));
    const mine = ++shown;
    show('signing…', 'pending');
    try {
      await mint(c);
      if (mine === shown) {
        show('acting as ' + [c.dept, c.region, c.enterprise, c.roles.join('+') || 'no roles', fields.purpose.value]
          .filter(Boolean).join(' · '), 'ready');
      }
    } catch (err) {
      if (mine === shown) show(err.message, 'error');
    }
  }
  form.addEventListener('change', (e) => { if (!levels.includes(e.target)) changed(); });
  form.addEventListener('submit', (e) => e.preventDefault());

  // Divisions are public reference data: the picker reads them as the page's default persona,
  // since the persona being composed may not be complete yet.
  const lookup = { dept: defaults.dept, region: defaults.region, roles: ['reader'] };
  const lists = new Map();
  function regions(parentCode) {
    if (!lists.has(parentCode)) {
      const list = mint(lookup).then(async (t) => {
        const res = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer ' + t },
          body: JSON.stringify({ query: REGIONS, variables: { parentCode } }),
        });
        const body = await res.json().catch(() => null);
        if (!res.ok || !body.data) throw new Error(messageOf(body, res.status));
        return body.data.regions;
      });
      list.catch(() => lists.delete(parentCode));
      lists.set(parentCode, list);
    }
    return lists.get(parentCode);
  }
  /** Shows the divisions under the one chosen at this level (or the provinces) in the next list. */
  async function descend(level, code) {
    for (const select of levels.slice(level + 1)) {
      select.replaceChildren();
      select.hidden = true;
    }
    const next = levels[level + 1];
    if (!next || (level >= 0 && !code)) return;
    const list = await regions(code || null);
    next.replaceChildren(new Option(LEVELS[level + 1][0] + '…', ''), ...list.map((r) => new Option(r.name + ' ' + r.code, r.code)));
    next.hidden = list.length === 0;
  }
  /** Opens the lists along the typed code, as far as they go. */
  async function walk() {
    const code = fields.region.value.trim();
    await descend(-1, null);
    for (const [level, select] of levels.entries()) {
      if (code.length < LEVELS[level][1]) break;
      const prefix = code.slice(0, LEVELS[level][1]);
      if (![...select.options].some((o) => o.value === prefix)) break;
      select.value = prefix;
      await descend(level, prefix);
    }
  }
  const failed = (err) => show(err.message, 'error');
  picker.addEventListener('toggle', () => { if (picker.open) walk().catch(failed); });
  for (const [level, select] of levels.entries()) {
    select.addEventListener('change', () => {
      fields.region.value = select.value || (level > 0 ? levels[level - 1].value : '');
      changed();
      descend(level, select.value).catch(failed);
    });
  }

  changed();
  return { token, headers };
}

window.HubPersona = { mount };
})();
`;

/**
 * POST /dev/token and the persona bar's script, for a hub that signs its own development tokens.
 * The token endpoint takes a JSON body (so another site's form cannot post to it) with the
 * claims of `hub token`, checked the same way, and answers the token and when it expires.
 */
export function personaRouter(sign: DevTokenSigner): Router {
  const router = express.Router();
  router.get(PERSONA_SCRIPT, (_req, res) => res.type('js').send(SCRIPT));
  router.post('/dev/token', express.json({ limit: '4kb' }), async (req, res, next) => {
    const { dept, region, roles, enterprise } = (req.is('application/json') && req.body) || {};
    const claims = Claims.safeParse({ sub: 'persona', dept, region, roles, enterprise });
    if (!claims.success) {
      res.status(400).json({
        errors: claims.error.issues.map((issue) => ({
          message: `${issue.path.join('.') || 'claims'}: ${issue.message}`,
          extensions: { code: ErrorCode.BAD_USER_INPUT, field: issue.path.join('.') },
        })),
      });
      return;
    }
    try {
      // The subject names the persona (e.g. education-630121101), as `hub token` does by default.
      const token = await sign({ ...claims.data, sub: undefined });
      res
        .set('cache-control', 'no-store')
        .json({ token, expires: new Date(decodeJwt(token).exp! * 1000).toISOString() });
    } catch (err) {
      next(err);
    }
  });
  return router;
}

/** The browser expression that puts the bar into the page and returns it (`token()`, `headers()`). */
export const mountPersonaBar = (options: PersonaBarOptions) =>
  `HubPersona.mount(document.getElementById('persona'), ${JSON.stringify(options)})`;
