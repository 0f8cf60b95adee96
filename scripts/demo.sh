#!/usr/bin/env bash
# npm run demo: the example repository in manifests/ applied into a fresh embedded state, and the
# Deployments walkthrough of the Kubernetes 1.2 posts, with the same commands a user types.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/reconciler/cli/main.js ] || npm run --silent build
state_dir=$(mktemp -d)
trap 'rm -rf "$state_dir"' EXIT
export CAPSTAN_STATE="$state_dir/state.db"
capstan() { echo; echo "\$ capstan $*"; node dist/reconciler/cli/main.js "$@"; }
step() { echo; echo "# $*"; }

echo "A fresh embedded state at $CAPSTAN_STATE (a simulated cluster on a virtual clock)"
capstan version
step "Apply the example repository: the API server validates and stores it, the controllers act on it."
capstan apply -f manifests/ -R
capstan get deployments,services,hpa,ingresses -A
capstan get nodepools
capstan get configmap example-configmap -o jsonpath='{.data.game\.properties}'
capstan describe deployment update-demo

step "The Deployments walkthrough: update-demo at nautilus, scaled to 4."
capstan rollout status deployment/update-demo
capstan scale deployment/update-demo --replicas=4
capstan rollout status deployment/update-demo
capstan get pods -l name=update-demo

step "Change the image to kitty, a tag the simulated registry does not have: the rollout stalls."
sed -e 's#update-demo:nautilus$#update-demo:kitty#' -e 's#replicas: 1#replicas: 4#' manifests/update-demo/deployment.yaml | node dist/reconciler/cli/main.js apply -f -
capstan rollout status deployment/update-demo || echo "(exit code $?: past its progress deadline, as kubectl)"
capstan get pods -l name=update-demo
capstan get deployment update-demo

step "Undo: back to nautilus on the old ReplicaSet, which becomes the newest revision."
capstan rollout undo deployment/update-demo
capstan rollout status deployment/update-demo
capstan get replicasets -l name=update-demo

step "Then kitten: four kittens, all available; the history has every revision."
sed -e 's#update-demo:nautilus$#update-demo:kitten#' -e 's#replicas: 1#replicas: 4#' manifests/update-demo/deployment.yaml | node dist/reconciler/cli/main.js apply -f -
capstan rollout status deployment/update-demo
capstan rollout history deployment/update-demo
capstan sim status

step "Bad input changes nothing and names the file, line, document and field (exit code 2):"
capstan apply -f fixtures/manifests/typo-field.yaml || echo "(exit code $?)"

step "Multi-zone: the guestbook spread over 3 zones; zone b fails; its pod moves to a and c."
capstan get nodes -L topology.kubernetes.io/zone
capstan rollout status deployment/guestbook
capstan get pods -l app=guestbook -o wide
capstan sim zone down us-central1-b
capstan sim advance 6m
capstan get pods -l app=guestbook -o wide
capstan sim zone up us-central1-b

step "GitOps: a repository of manifests, synced; a change previewed, merged, synced; git revert = rollback."
export CAPSTAN_STATE="$state_dir/gitops.db"
repo="$state_dir/repo"
mkdir -p "$repo" && cp -r manifests/update-demo manifests/cluster "$repo/"
git -C "$repo" init -q -b main && git -C "$repo" add . && git -C "$repo" -c user.name=demo -c user.email=demo@example.com commit -qm "update-demo at nautilus"
capstan sync --repo "$repo"
git -C "$repo" checkout -q -b kitten
sed -i 's#update-demo:nautilus$#update-demo:kitten#' "$repo/update-demo/deployment.yaml"
git -C "$repo" -c user.name=demo -c user.email=demo@example.com commit -qam "Use kitten"
capstan diff --repo "$repo" --base main --head kitten -o markdown || true
git -C "$repo" checkout -q main && git -C "$repo" merge -q --ff-only kitten
capstan sync --repo "$repo"
git -C "$repo" -c user.name=demo -c user.email=demo@example.com revert --no-edit HEAD >/dev/null
capstan sync --repo "$repo"
capstan history
capstan rollout history deployment/update-demo
capstan scale deployment/update-demo --replicas=3
capstan drift --repo "$repo" || true
