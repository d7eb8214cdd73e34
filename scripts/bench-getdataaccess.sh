#!/usr/bin/env bash
# GetDataAccess under load: for each grant count, a fresh `grantd serve`
# (SQLite), the cross-account fixture of loadgen.GrantsFixture built through
# the public APIs, then alternating runs of sts:GetCallerIdentity (the
# ceiling: SigV4 and HTTP only) and s3:GetDataAccess with grantd-load, as a
# role session of account B against account A's instance. See BENCHMARKS.md.
#
#   scripts/bench-getdataaccess.sh [GRANTS...]     (default: 1000 100000)
#
# Environment: RUNS (default 3), DURATION (default 10s), WORKERS (concurrent
# requests, a list: default "8 16").
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-3}
duration=${DURATION:-10s}
workers=${WORKERS:-8 16}
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1000 100000)

bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
(cd "$root" && go build -o "$bin/grantd" ./cmd/grantd && go build -o "$bin/grantd-load" ./cmd/grantd-load)

export GRANTD_ROOT_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export GRANTD_ROOT_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
port=$((20000 + RANDOM % 20000))
endpoint=http://127.0.0.1:$port

for n in "${counts[@]}"; do
	data=$(mktemp -d)
	"$bin/grantd" serve --data-dir "$data" --listen "127.0.0.1:$port" --region us-east-2 >"$data/stdout" 2>"$data/server.log" &
	server=$!
	for _ in $(seq 100); do grep -q listening "$data/stdout" 2>/dev/null && break; sleep 0.1; done
	keys=$("$bin/grantd" accounts create --data-dir "$data" --id 444455556666)
	export OWNER_ACCESS_KEY_ID=$GRANTD_ROOT_ACCESS_KEY_ID OWNER_SECRET_ACCESS_KEY=$GRANTD_ROOT_SECRET_ACCESS_KEY
	CONSUMER_ACCESS_KEY_ID=$(sed -n 's/.*"AccessKeyId": "\(.*\)".*/\1/p' <<<"$keys")
	CONSUMER_SECRET_ACCESS_KEY=$(sed -n 's/.*"SecretAccessKey": "\(.*\)".*/\1/p' <<<"$keys")
	export CONSUMER_ACCESS_KEY_ID CONSUMER_SECRET_ACCESS_KEY
	exports=$("$bin/grantd-load" -endpoint "$endpoint" -region us-east-2 -setup-grants "$n" -c 16)
	(
		eval "$exports"
		load() { "$bin/grantd-load" -endpoint "$endpoint" -region us-east-2 "$@"; }
		# The first GetDataAccess builds the instance's matching index.
		load -op s3:GetDataAccess -account 111122223333 -target "$GRANTD_LOAD_TARGET" -n 200 >/dev/null
		echo "== $n grants (target $GRANTD_LOAD_TARGET)"
		for r in $(seq "$runs"); do
			for c in $workers; do
				echo "-- run $r, $c workers, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
				load -c "$c" -op sts:GetCallerIdentity -d "$duration"
				load -c "$c" -op s3:GetDataAccess -account 111122223333 -target "$GRANTD_LOAD_TARGET" -d "$duration"
			done
		done
	)
	kill "$server"
	wait "$server" || true
	rm -rf "$data"
done
