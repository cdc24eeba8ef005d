import fs from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';

/** The folder of an installed package (their `exports` maps hide the UMD builds). */
function packageDir(name: string): string {
  let dir = path.dirname(require.resolve(name));
  while (!fs.existsSync(path.join(dir, 'package.json')) || path.basename(dir) !== name.split('/').pop()) {
    dir = path.dirname(dir);
  }
  return dir;
}

/** GraphiQL and React come from node_modules: the page makes no request off this server. */
const ASSETS: Record<string, string> = {
  'react.js': path.join(packageDir('react'), 'umd/react.production.min.js'),
  'react-dom.js': path.join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
  'graphiql.js': path.join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.css': path.join(packageDir('graphiql'), 'graphiql.min.css'),
};

const EXAMPLE = `# Paste a token into the Headers tab below:
#   npm run token -- --dept CIVIL_AFFAIRS --region 630121
# then run this query.
query DemoChildren {
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

function page(endpoint: string): string {
  const headers = JSON.stringify(
    { Authorization: 'Bearer <token from npm run token>', 'X-Purpose': 'CASE_WORK' },
    null,
    2,
  );
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Child Care Data Hub — GraphiQL</title>
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <link rel="stylesheet" href="/graphiql/graphiql.css" />
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/graphiql/react.js"></script>
  <script src="/graphiql/react-dom.js"></script>
  <script src="/graphiql/graphiql.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(endpoint)} });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultQuery: ${JSON.stringify(EXAMPLE)},
        defaultHeaders: ${JSON.stringify(headers)},
        shouldPersistHeaders: true,
        defaultEditorToolsVisibility: 'headers',
      }),
    );
  </script>
</body>
</html>`;
}

export function graphiqlRouter(endpoint = '/graphql'): Router {
  const router = express.Router();
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
    res.type('html').send(page(endpoint));
  });
  return router;
}
