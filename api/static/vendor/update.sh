#!/bin/sh
# Re-take the vendored front-end assets from npm (run by hand, once per upgrade; no build step).
# GOV.UK Frontend's compiled CSS is copied with its two @font-face rules removed and the
# "GDS Transport" family dropped: that typeface (like the crown) is licensed for GOV.UK
# services only, and this is a council service, so text falls back to Arial as the Design
# System advises for services off GOV.UK.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent govuk-frontend@6.6.0 htmx.org@2.0.11 axe-core@4.14.1 \
  chart.js@4.6.1
g=node_modules/govuk-frontend
mkdir -p "$here/govuk-frontend" "$here/htmx" "$here/axe-core" "$here/chart.js"
sed -e 's/@font-face{font-family:GDS Transport;[^}]*}//g' -e 's/GDS Transport,//g' \
  "$g/dist/govuk/govuk-frontend.min.css" > "$here/govuk-frontend/govuk-frontend.min.css"
cp "$g/dist/govuk/govuk-frontend.min.js" "$here/govuk-frontend/"
cp "$g/package.json" "$here/govuk-frontend/package.json"
# The npm package ships no licence file; its package.json and README say MIT, Crown copyright.
cat > "$here/govuk-frontend/LICENCE.txt" <<'LICENCE'
The MIT License (MIT)

Copyright (C) 2016 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
LICENCE
cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE "$here/htmx/"
cp node_modules/htmx.org/package.json "$here/htmx/package.json"
cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE \
  node_modules/axe-core/LICENSE-3RD-PARTY.txt node_modules/axe-core/package.json "$here/axe-core/"
cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/LICENSE.md \
  node_modules/chart.js/package.json "$here/chart.js/"
# The API documentation pages (/docs, /redoc) served offline. Redoc 2 (not 3, which sends
# usage telemetry); its standalone bundle is the one FastAPI's page loads.
npm install --no-audit --no-fund --silent swagger-ui-dist@5.35.0
mkdir -p "$here/swagger-ui" "$here/redoc"
s=node_modules/swagger-ui-dist
cp "$s/swagger-ui-bundle.js" "$s/swagger-ui.css" "$s/LICENSE" "$s/NOTICE" "$s/package.json" \
  "$here/swagger-ui/"
npm pack --silent redoc@2.5.4 >/dev/null && tar xzf redoc-2.5.4.tgz
cp package/bundles/redoc.standalone.js package/bundles/redoc.standalone.js.LICENSE.txt \
  package/LICENSE package/package.json "$here/redoc/"
