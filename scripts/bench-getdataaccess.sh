#!/usr/bin/env bash
# GetDataAccess under load: for each grant count, a `grantd serve` (SQLite)
# with the cross-account fixture of loadgen.GrantsFixture built through the
# public APIs; then rounds in which every server in turn gets a run of
# sts:GetCallerIdentity (the ceiling: SigV4 and HTTP only) and a run of
# s3:GetDataAccess from grantd-load, as a role session of account B against
# account A's instance. Interleaving the servers within each round keeps the
# comparison between grant counts fair on a machine whose load drifts. Idle
# servers cost nothing. See BENCHMARKS.md.
#
#   scripts/bench-getdataaccess.sh [GRANTS...]     (default: 1000 100000)
#
# Environment: RUNS (rounds, default 3), DURATION (per run, default 10s),
# WORKERS (concurrent requests, a list: default "8 16").
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-3}
duration=${DURATION:-10s}
workers=${WORKERS:-8 16}
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1000 100000)

work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
(cd "$root" && go build -o "$work/grantd" ./cmd/grantd && go build -o "$work/grantd-load" ./cmd/grantd-load)

export GRANTD_ROOT_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export GRANTD_ROOT_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export OWNER_ACCESS_KEY_ID=$GRANTD_ROOT_ACCESS_KEY_ID OWNER_SECRET_ACCESS_KEY=$GRANTD_ROOT_SECRET_ACCESS_KEY

# One server and fixture per grant count.
for n in "${counts[@]}"; do
	data=$work/data-$n
	mkdir "$data"
	port=$((20000 + RANDOM % 20000))
	echo "$port" >"$data/port"
	"$work/grantd" serve --data-dir "$data" --listen "127.0.0.1:$port" --region us-east-2 >"$data/stdout" 2>"$data/server.log" &
	pids+=($!)
	for _ in $(seq 100); do grep -q listening "$data/stdout" 2>/dev/null && break; sleep 0.1; done
	keys=$("$work/grantd" accounts create --data-dir "$data" --id 444455556666)
	CONSUMER_ACCESS_KEY_ID=$(sed -n 's/.*"AccessKeyId": "\(.*\)".*/\1/p' <<<"$keys")
	CONSUMER_SECRET_ACCESS_KEY=$(sed -n 's/.*"SecretAccessKey": "\(.*\)".*/\1/p' <<<"$keys")
	export CONSUMER_ACCESS_KEY_ID CONSUMER_SECRET_ACCESS_KEY
	"$work/grantd-load" -endpoint "http://127.0.0.1:$port" -region us-east-2 -setup-grants "$n" -c 16 >"$data/exports"
	# The first GetDataAccess builds the instance's matching index.
	(
		eval "$(cat "$data/exports")"
		"$work/grantd-load" -endpoint "http://127.0.0.1:$port" -region us-east-2 -op s3:GetDataAccess \
			-account 111122223333 -target "$GRANTD_LOAD_TARGET" -n 200 >/dev/null
	)
done

for r in $(seq "$runs"); do
	for c in $workers; do
		for n in "${counts[@]}"; do
			data=$work/data-$n
			(
				eval "$(cat "$data/exports")"
				load() { "$work/grantd-load" -endpoint "http://127.0.0.1:$(cat "$data/port")" -region us-east-2 -c "$c" -d "$duration" "$@"; }
				echo "-- round $r, $n grants, $c workers, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
				load -op sts:GetCallerIdentity
				load -op s3:GetDataAccess -account 111122223333 -target "$GRANTD_LOAD_TARGET"
			)
		done
	done
done
