#!/usr/bin/env bash
# npm run demo: the example repository in manifests/ applied into a fresh embedded state, and a look
# at what is there, with the same commands a user types.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/reconciler/cli/main.js ] || npm run --silent build
state_dir=$(mktemp -d)
trap 'rm -rf "$state_dir"' EXIT
export CAPSTAN_STATE="$state_dir/state.db"
capstan() { echo; echo "\$ capstan $*"; node dist/reconciler/cli/main.js "$@"; }

echo "A fresh embedded state at $CAPSTAN_STATE"
capstan version
capstan apply -f manifests/ -R
capstan get deployments,services,hpa,ingresses -A
capstan get nodepools
capstan get configmap example-configmap -o yaml
capstan get deployment update-demo -o jsonpath='{.spec.template.spec.containers[0].image}{"\n"}'
capstan describe deployment update-demo
capstan create configmap demo-settings --from-literal=greeting=hello --dry-run=client -o yaml
echo
echo "# Bad input changes nothing and names the file, line, document and field (exit code 2):"
capstan apply -f fixtures/manifests/typo-field.yaml || echo "(exit code $?)"
