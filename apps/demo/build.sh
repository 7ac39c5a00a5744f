#!/usr/bin/env bash
# Build the demo app image appstack/demo:<VERSION> locally, without any registry.
#
#   apps/demo/build.sh VERSION [--fail-health] [--push]
#
#   VERSION        image tag and the version /version reports, e.g. v1
#   --fail-health  a bad release: bakes DEMO_FAIL_HEALTH=1, so /health answers 500
#   --push         also push it to the local registry (tools/hosts/registry.sh push)
#
# The base is the local fleet host image (tools/hosts/build-host-image.sh: instant when built,
# otherwise it builds it, which needs root once). Classic builder (DOCKER_BUILDKIT=0): a local
# FROM never touches a registry. Cached layers make a rebuild take well under a second.
# stdout: the image tag (then the registry reference with --push); progress goes to stderr.
#
# Environment:
#   DEMO_IMAGE_REPO  image repository (default appstack/demo)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
REPO="${DEMO_IMAGE_REPO:-appstack/demo}"

log() { echo "demo-build: $*" >&2; }
die() {
    log "$*"
    exit 1
}
usage() {
    sed -n '4,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

version=""
fail_health=0
push=0
while [ $# -gt 0 ]; do
    case "$1" in
        --fail-health) fail_health=1 ;;
        --push) push=1 ;;
        -h | --help) usage ;;
        -*) log "unknown option: $1" && usage ;;
        *)
            [ -z "$version" ] || { log "one VERSION only" && usage; }
            version="$1"
            ;;
    esac
    shift
done
[ -n "$version" ] || usage
# A Docker tag: letters, digits, _ . -; at most 128; not starting with . or -.
[[ "$version" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "not a valid image tag: $version"

base="$(bash "$ROOT/tools/hosts/build-host-image.sh")" || die "no base image (tools/hosts/build-host-image.sh failed)"
tag="$REPO:$version"

started=$SECONDS
if ! out="$(DOCKER_BUILDKIT=0 docker build --quiet --tag "$tag" \
    --build-arg "BASE_IMAGE=$base" \
    --build-arg "APP_VERSION=$version" \
    --build-arg "DEMO_FAIL_HEALTH=$fail_health" \
    "$HERE" 2>&1)"; then
    echo "$out" >&2
    die "docker build of $tag failed"
fi
log "built $tag from $base in $((SECONDS - started))s$([ "$fail_health" = 1 ] && echo ' (fails its health check)')"
echo "$tag"

if [ "$push" = 1 ]; then
    bash "$ROOT/tools/hosts/registry.sh" push "$tag"
fi
