#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests and prints the
# environment that points the tests at it. Installs Debian's postgresql
# package first when the machine has none.
#
#   eval "$(scripts/pg.sh start DIR)"   # exports GRANTD_TEST_POSTGRES, PG_DIR
#   scripts/pg.sh stop DIR
set -euo pipefail

cmd=${1:?usage: pg.sh start|stop DIR}
dir=${2:?usage: pg.sh start|stop DIR}

find_bin() {
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_pg() {
	# PostgreSQL refuses to run as root; use the postgres system user then.
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

case $cmd in
start)
	bin=$(find_bin)
	if [ -z "$bin" ]; then
		echo "pg.sh: installing postgresql from Debian's packages" >&2
		sudo_cmd=""
		[ "$(id -u)" = 0 ] || sudo_cmd=sudo
		$sudo_cmd apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >&2
		bin=$(find_bin)
	fi
	[ -n "$bin" ] || { echo "pg.sh: no PostgreSQL binaries found" >&2; exit 1; }
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown postgres "$dir"
	as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
	# Durability settings do not matter for a throwaway test server.
	as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
		start >&2 || { cat "$dir/server.log" >&2; exit 1; }
	echo "export GRANTD_TEST_POSTGRES='postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable'"
	echo "export PG_DIR='$dir'"
	;;
stop)
	bin=$(find_bin)
	[ -d "$dir/data" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$dir"
	;;
*)
	echo "usage: pg.sh start|stop DIR" >&2
	exit 2
	;;
esac
