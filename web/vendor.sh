#!/usr/bin/env bash
# Fetches the graph library the network page draws with from the npm
# registry, at a pinned version, and copies its minified build and licence
# into static/vendor/, where the binary embeds them. Nothing is loaded from
# a CDN at run time. Run it again after changing the version.
set -euo pipefail
cd "$(dirname "$0")"

CYTOSCAPE_VERSION=3.34.4

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "cytoscape@${CYTOSCAPE_VERSION}" >/dev/null && tar -xzf cytoscape-*.tgz)
mkdir -p static/vendor
cp "$work/package/dist/cytoscape.min.js" static/vendor/cytoscape.min.js
cp "$work/package/LICENSE" static/vendor/cytoscape.LICENSE.txt
echo "cytoscape ${CYTOSCAPE_VERSION}: $(sha256sum static/vendor/cytoscape.min.js | cut -d' ' -f1)" > static/vendor/VERSIONS
cat static/vendor/VERSIONS
