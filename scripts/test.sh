#!/usr/bin/env bash
# Runs every check and test of grantd, doing all set-up itself: it starts a
# throwaway PostgreSQL server (installing Debian's postgresql package when
# the machine has none) so that the PostgreSQL half of the suite runs too,
# and requires the aws CLI for the integration tests. .ci/run calls exactly
# this script. Long fuzzing and load runs are separate (see README).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== formatting, vet, staticcheck"
unformatted=$(gofmt -l $(git ls-files '*.go') 2>/dev/null || true)
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
go vet ./...
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

echo "== starting a throwaway PostgreSQL"
pgdir=$(mktemp -d /tmp/grantd-pg.XXXXXX)
trap 'scripts/pg.sh stop "$pgdir"' EXIT
eval "$(scripts/pg.sh start "$pgdir")"
export GRANTD_REQUIRE_POSTGRES=1 GRANTD_REQUIRE_AWSCLI=1
# The policy engine's differential test installs its oracle
# (@cloud-copilot/iam-simulate, a test-only tool) with npm into the user
# cache directory; require it here so a missing node/npm fails the suite.
export GRANTD_REQUIRE_ORACLE=1

echo "== go test"
go test -count=1 -timeout 14m ./...
