import fs from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import { mountPersonaBar, PERSONA_SCRIPT, type Persona } from './persona';

/** The folder of an installed package (their `exports` maps hide the UMD builds). */
function packageDir(name: string): string {
  let dir = path.dirname(require.resolve(name));
  while (!fs.existsSync(path.join(dir, 'package.json')) || path.basename(dir) !== name.split('/').pop()) {
    dir = path.dirname(dir);
  }
  return dir;
}

/** GraphiQL, its explorer plugin and React come from node_modules: the page makes no request off this server. */
const ASSETS: Record<string, string> = {
  'react.js': path.join(packageDir('react'), 'umd/react.production.min.js'),
  'react-dom.js': path.join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
  'graphiql.js': path.join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.css': path.join(packageDir('graphiql'), 'graphiql.min.css'),
  'explorer.js': path.join(packageDir('@graphiql/plugin-explorer'), 'dist/index.umd.js'),
  'explorer.css': path.join(packageDir('@graphiql/plugin-explorer'), 'dist/style.css'),
};

/** Who the page acts as until the developer chooses: the county civil-affairs account the demo query is for. */
const DEFAULT_PERSONA: Persona = {
  dept: 'CIVIL_AFFAIRS',
  region: '630121',
  roles: ['reader', 'writer'],
  purpose: 'CASE_WORK',
};

const QUERY = `query DemoChildren {
  children(first: 5) {
    totalCount
    edges {
      node {
        name
        idNumber
        residenceRegion { name }
        guardians { relation name workingAway employer }
        guardianship { kind }
        enrolment { schoolName grade status }
        householdRegistration { registered }
      }
    }
  }
}
`;

const CHOOSE_PERSONA = `# Choose who you are in the bar above (department, region, roles, purpose):
# the next run carries that account's token and purpose. Then run this query.
`;

const PASTE_TOKEN = `# Paste a token into the Headers tab below:
#   npm run token -- --dept CIVIL_AFFAIRS --region 630121
# then run this query.
`;

/**
 * With development tokens, the persona bar above GraphiQL sets Authorization and X-Purpose on
 * every request, over the Headers tab's (which may add others); without them, the Headers tab
 * carries a token from elsewhere.
 */
function page(endpoint: string, personas: boolean): string {
  const props = personas
    ? { defaultQuery: CHOOSE_PERSONA + QUERY }
    : {
        defaultQuery: PASTE_TOKEN + QUERY,
        defaultHeaders: JSON.stringify(
          { Authorization: 'Bearer <token from npm run token>', 'X-Purpose': 'CASE_WORK' },
          null,
          2,
        ),
        shouldPersistHeaders: true,
        defaultEditorToolsVisibility: 'headers',
      };
  const fetcher = personas
    ? `const persona = ${mountPersonaBar({ defaults: DEFAULT_PERSONA, storageKey: 'graphiql' })};
    const fetcher = async (params, options = {}) => {
      const own = Object.entries(options.headers || {}).filter(([name]) => !/^(authorization|x-purpose)$/i.test(name));
      return http(params, { ...options, headers: { ...Object.fromEntries(own), ...(await persona.headers()) } });
    };`
    : 'const fetcher = http;';
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Child Care Data Hub — GraphiQL</title>
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <link rel="stylesheet" href="/graphiql/graphiql.css" />
  <link rel="stylesheet" href="/graphiql/explorer.css" />
  <style>
    body { margin: 0; height: 100vh; display: flex; flex-direction: column; }
    #graphiql { flex: 1; min-height: 0; }
  </style>
</head>
<body>
  ${personas ? '<div id="persona"></div>' : ''}
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/graphiql/react.js"></script>
  <script src="/graphiql/react-dom.js"></script>
  <script src="/graphiql/graphiql.js"></script>
  <script src="/graphiql/explorer.js"></script>
  ${personas ? `<script src="${PERSONA_SCRIPT}"></script>` : ''}
  <script>
    const http = GraphiQL.createFetcher({ url: ${JSON.stringify(endpoint)} });
    ${fetcher}
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, {
        fetcher,
        plugins: [GraphiQLPluginExplorer.explorerPlugin()],
        ...${JSON.stringify(props)},
      }),
    );
  </script>
</body>
</html>`;
}

/** GraphiQL for browsers at `endpoint`; with `personas`, under the persona bar (src/http/persona.ts). */
export function graphiqlRouter(personas: boolean, endpoint = '/graphql'): Router {
  const router = express.Router();
  const html = page(endpoint, personas);
  router.get('/graphiql/:asset', (req, res, next) => {
    const file = Object.hasOwn(ASSETS, req.params.asset) ? ASSETS[req.params.asset] : undefined;
    if (!file) return next();
    res.sendFile(file, { maxAge: '1d' });
  });
  // A browser asking for the endpoint itself gets the IDE; API clients get GraphQL.
  router.get(endpoint, (req, res, next) => {
    if (req.query.query !== undefined || req.accepts(['application/json', 'text/html']) !== 'text/html') {
      return next();
    }
    res.type('html').send(html);
  });
  return router;
}
