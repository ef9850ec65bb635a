#!/usr/bin/env bash
# ttrss.sh - a real Tiny Tiny RSS (Debian's tt-rss 21, API level 15) on 127.0.0.1 for akhbar's
# sync tests: its own PostgreSQL cluster, a private copy of tt-rss's code, PHP's built-in
# server, and a static feed server, all under one data directory.
#
#   ttrss.sh up [DIR]     install what is missing (Debian packages), start everything, create
#                         the users, print the AKHBAR_TTRSS_* variables the tests read
#   ttrss.sh env [DIR]    print the variables again (no start)
#   ttrss.sh expire-sessions [DIR]   drop every API session (tests of logging in again)
#   ttrss.sh status [DIR] / down [DIR]   show / stop what "up" started (data stays)
#   ttrss.sh reset [DIR]  down, then delete the data directory
#
# DIR (default: target/harness under the repo; also AKHBAR_HARNESS_DIR) holds everything:
# DIR/ttrss/{pg,www,feeds,cache,run}. Nothing is written to the source tree, /etc/tt-rss or
# the system's PostgreSQL clusters. Only the packages go to the system (apt-get, as root).
# Ports (environment): AKHBAR_TTRSS_PORT (18280), AKHBAR_TTRSS_FEED_PORT (18281),
# AKHBAR_TTRSS_PG_PORT (18432). Everything listens on 127.0.0.1 only; tt-rss is patched (in
# its private copy) to fetch feeds from 127.0.0.1 on any port, and every other fetch goes to a
# closed loopback port, so nothing leaves the machine.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CMD=${1:-up}
DIR=${2:-${AKHBAR_HARNESS_DIR:-$REPO/target/harness}}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
BASE=$DIR/ttrss
PORT=${AKHBAR_TTRSS_PORT:-18280}
FEED_PORT=${AKHBAR_TTRSS_FEED_PORT:-18281}
PG_PORT=${AKHBAR_TTRSS_PG_PORT:-18432}
USER_NAME=akhbar
USER_PASS=akhbar-ttrss-test-password
NOAPI_NAME=noapi
NOAPI_PASS=noapi-ttrss-test-password
BENCH_NAME=akhbar-bench
BENCH_PASS=akhbar-bench-test-password
DB=ttrss DBUSER=ttrss DBPASS=ttrss-db-test-password
PKG_WWW=/usr/share/tt-rss/www
WWW=$BASE/www PG=$BASE/pg RUN=$BASE/run FEEDS=$BASE/feeds CACHE=$BASE/cache
export no_proxy=127.0.0.1,localhost,::1 NO_PROXY=127.0.0.1,localhost,::1

log() { printf '[ttrss] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
as_www() { setpriv --reuid=www-data --regid=www-data --init-groups -- "$@"; }
pg_bin() { compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -1 | xargs -r dirname; }
is_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

install_packages() {
	local missing="" p
	[ -n "$(pg_bin)" ] || missing="postgresql"
	for p in tt-rss php-pgsql php-curl php-cli; do
		is_installed "$p" || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	[ "$(id -u)" = 0 ] || die "packages missing ($missing): run as root"
	export DEBIAN_FRONTEND=noninteractive
	# The package must not make a database or touch a web server: this script does both.
	debconf-set-selections <<-'EOF'
	tt-rss tt-rss/dbconfig-install boolean false
	tt-rss tt-rss/database-type select pgsql
	tt-rss tt-rss/reconfigure-webserver multiselect
	EOF
	log "apt-get update"
	apt-get update -qq
	# "php" would pull Apache's module: ask for the CGI SAPI and forbid the Apache one.
	local phpv
	phpv=$(apt-cache depends php-cli 2>/dev/null | sed -n 's/.*Depends: \(php[0-9.]*\)-cli$/\1/p' | head -1)
	[ -n "$phpv" ] || die "cannot tell the PHP version (apt-cache depends php-cli)"
	if ! is_installed "libapache2-mod-$phpv" && ! is_installed "$phpv-fpm" && ! is_installed "$phpv-cgi"; then
		missing="$missing $phpv-cgi libapache2-mod-$phpv-"
	fi
	log "installing:$missing"
	mkdir -p "$RUN"
	# No service may start while installing (no systemd here; and we start our own).
	local made_policy=0 rc=0
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1
	fi
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confdef \
		-o Dpkg::Options::=--force-confold $missing >"$RUN/apt.log" 2>&1 || rc=$?
	[ $made_policy = 1 ] && rm -f /usr/sbin/policy-rc.d
	[ $rc = 0 ] || { tail -20 "$RUN/apt.log" >&2; die "apt-get install failed (see $RUN/apt.log)"; }
	if [ -d /run/systemd/system ]; then systemctl disable --now tt-rss.service >/dev/null 2>&1 || true; fi
}

# --- PostgreSQL: a cluster of our own in $PG, socket and data inside it ----------------
psql_su() { runuser -u postgres -- "$(pg_bin)/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG/run" -p "$PG_PORT" -d postgres "$@"; }
psql_app() { PGPASSWORD=$DBPASS "$(pg_bin)/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U $DBUSER -d $DB "$@"; }

start_postgres() {
	local bin; bin=$(pg_bin)
	runuser -u postgres -- test -x "$DIR" || die "user postgres cannot enter $DIR (make its parents o+x or pass another DIR)"
	if [ ! -f "$PG/data/PG_VERSION" ]; then
		log "creating a PostgreSQL cluster in $PG"
		rm -rf "$PG"; mkdir -p "$PG/data" "$PG/run"; chown -R postgres:postgres "$PG"; chmod 700 "$PG/data"
		runuser -u postgres -- "$bin/initdb" -D "$PG/data" -U postgres -E UTF8 --locale=C.UTF-8 \
			--auth-local=peer --auth-host=scram-sha-256 >"$PG/initdb.log" 2>&1 ||
			{ tail "$PG/initdb.log" >&2; die "initdb failed"; }
	fi
	if ! runuser -u postgres -- "$bin/pg_ctl" -D "$PG/data" status >/dev/null 2>&1; then
		port_open "$PG_PORT" && die "127.0.0.1:$PG_PORT is taken (set AKHBAR_TTRSS_PG_PORT)"
		runuser -u postgres -- "$bin/pg_ctl" -D "$PG/data" -l "$PG/server.log" -w -t 60 \
			-o "-p $PG_PORT -k $PG/run -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" \
			start >/dev/null || { tail "$PG/server.log" >&2; die "PostgreSQL did not start"; }
	fi
	if [ -z "$(psql_su -tAc "SELECT 1 FROM pg_roles WHERE rolname='$DBUSER'")" ]; then
		psql_su -c "CREATE ROLE $DBUSER LOGIN PASSWORD '$DBPASS'"
		runuser -u postgres -- "$bin/createdb" -h "$PG/run" -p "$PG_PORT" -O $DBUSER -E UTF8 -T template0 $DB
	fi
	if [ -z "$(psql_app -tAc "SELECT to_regclass('public.ttrss_version')")" ]; then
		log "loading tt-rss's schema"
		psql_app -f /usr/share/tt-rss/schema/ttrss_schema_pgsql.sql >/dev/null 2>"$RUN/schema.log"
	fi
}

# --- tt-rss: a private copy of the package's code, with its own config ------------------
prepare_www() {
	local stamp; stamp=$(cat "$PKG_WWW/version_static.txt")
	if [ "$(cat "$WWW/.akhbar-copy" 2>/dev/null)" != "$stamp" ]; then
		log "copying tt-rss's code to $WWW"
		rm -rf "$WWW"; cp -a "$PKG_WWW" "$WWW"; rm -f "$WWW/config.php" "$WWW/feed-icons"
		# The package links its libraries relatively (../../../php/...): point them home.
		local link
		while IFS= read -r link; do
			[ -e "$WWW/${link#"$PKG_WWW"/}" ] || [ -L "$WWW/${link#"$PKG_WWW"/}" ] || continue
			ln -sfn "$(readlink -f "$link")" "$WWW/${link#"$PKG_WWW"/}"
		done < <(find "$PKG_WWW" -type l ! -name config.php ! -name feed-icons)
		# UrlHelper refuses loopback hosts and ports but 80/443, and drops ":port" from URLs:
		# keep the port, and skip the loopback/port checks (this copy only).
		local uh=$WWW/classes/urlhelper.php
		sed -i \
			-e 's|^\(\t*\)\$tmp = \$parts\[.scheme.\] \. "://" \. \$parts\[.host.\];|&\n\1if (isset($parts["port"])) $tmp .= ":" . $parts["port"];|' \
			-e 's|if (\$extended_filtering) {|if (false) {|' \
			-e 's|strpos(\$ip_addr, "127.") === 0|false|' \
			-e 's|strpos(\$fetch_effective_ip_addr, "127.") === 0|false|g' "$uh"
		grep -q 'isset($parts\["port"\])' "$uh" || die "patching urlhelper.php failed (package changed?)"
		php -l "$uh" >/dev/null
		echo "$stamp" >"$WWW/.akhbar-copy"
	fi
	mkdir -p "$WWW/feed-icons" "$CACHE/images" "$CACHE/upload" "$CACHE/export" "$CACHE/feeds" "$BASE/lock"
	chown -R www-data:www-data "$WWW/feed-icons" "$CACHE/images" "$CACHE/upload" "$CACHE/export" "$BASE/lock"
	# The feed cache stays unwritable for tt-rss: a cached copy younger than 30 s would be
	# used instead of fetching, and tests change feeds within seconds.
	chown root:root "$CACHE/feeds"; chmod 755 "$CACHE/feeds"
	cat >"$WWW/config.php" <<-EOF
	<?php
	// written by tests/harness/ttrss.sh
	define('DB_TYPE', 'pgsql');
	define('DB_HOST', '127.0.0.1');
	define('DB_PORT', '$PG_PORT');
	define('DB_USER', '$DBUSER');
	define('DB_NAME', '$DB');
	define('DB_PASS', '$DBPASS');
	define('MYSQL_CHARSET', 'UTF8');
	define('SELF_URL_PATH', 'http://127.0.0.1:$PORT/');
	define('SINGLE_USER_MODE', false);
	define('SIMPLE_UPDATE_MODE', false);
	define('PHP_EXECUTABLE', '/usr/bin/php');
	define('LOCK_DIRECTORY', '$BASE/lock');
	define('CACHE_DIR', '$CACHE');
	define('ICONS_DIR', 'feed-icons');
	define('ICONS_URL', 'feed-icons');
	define('AUTH_AUTO_CREATE', true);
	define('AUTH_AUTO_LOGIN', true);
	define('FORCE_ARTICLE_PURGE', 0);
	define('ENABLE_REGISTRATION', false);
	define('REG_NOTIFY_ADDRESS', 'user@example.org');
	define('REG_MAX_USERS', 10);
	define('SESSION_COOKIE_LIFETIME', 86400);
	define('SMTP_FROM_NAME', 'Tiny Tiny RSS');
	define('SMTP_FROM_ADDRESS', 'noreply@example.org');
	define('DIGEST_SUBJECT', '[tt-rss] New headlines for last 24 hours');
	define('CHECK_FOR_UPDATES', false);
	define('ENABLE_GZIP_OUTPUT', false);
	define('PLUGINS', 'auth_internal, note');
	define('LOG_DESTINATION', '');
	define('CONFIG_VERSION', 26);
	define('DAEMON_UPDATE_LOGIN_LIMIT', 0);
	// every fetch but loopback goes to a closed port (libcurl honours no_proxy)
	define('_HTTP_PROXY', '127.0.0.1:9');
	// for a package copy patched by ../shared/sync/ttrss-up.sh, which checks this constant
	define('_TTRSS_ALLOW_LOOPBACK', true);
	EOF
	chmod -R a+rX "$WWW"
	as_www test -r "$WWW/index.php" || die "user www-data cannot read $WWW (make its parents o+x or pass another DIR)"
}

setup_users() {
	# auth_internal takes an unsalted "SHA1:<hex>" hash (and upgrades it at the first login).
	local n p api
	for n in "$USER_NAME:$USER_PASS:true" "$NOAPI_NAME:$NOAPI_PASS:false" "$BENCH_NAME:$BENCH_PASS:true"; do
		IFS=: read -r n p api <<<"$n"
		psql_app -v login="$n" -v hash="SHA1:$(printf '%s' "$p" | sha1sum | cut -d' ' -f1)" -v api="$api" <<-'EOF'
		INSERT INTO ttrss_users (login, pwd_hash, salt, access_level, created)
		     VALUES (:'login', :'hash', '', 0, NOW())
		ON CONFLICT (login) DO NOTHING;
		DELETE FROM ttrss_user_prefs WHERE pref_name = 'ENABLE_API_ACCESS' AND profile IS NULL
		   AND owner_uid = (SELECT id FROM ttrss_users WHERE login = :'login');
		INSERT INTO ttrss_user_prefs (owner_uid, pref_name, profile, value)
		     SELECT id, 'ENABLE_API_ACCESS', NULL, :'api' FROM ttrss_users WHERE login = :'login';
		-- The test feeds are dated 2024: with the default (purge after 60 days, unread ones
		-- too) an update purges part of a big feed while it imports it (seen: 1,675 of 2,000).
		DELETE FROM ttrss_user_prefs WHERE pref_name = 'PURGE_OLD_DAYS' AND profile IS NULL
		   AND owner_uid = (SELECT id FROM ttrss_users WHERE login = :'login');
		INSERT INTO ttrss_user_prefs (owner_uid, pref_name, profile, value)
		     SELECT id, 'PURGE_OLD_DAYS', NULL, '0' FROM ttrss_users WHERE login = :'login';
		EOF
	done
	# The API cannot make categories: one for the tests, with a right-to-left name.
	psql_app -v login="$USER_NAME" <<-'EOF'
	INSERT INTO ttrss_feed_categories (owner_uid, title)
	     SELECT id, 'أخبار' FROM ttrss_users WHERE login = :'login'
	        AND NOT EXISTS (SELECT 1 FROM ttrss_feed_categories c
	                         WHERE c.owner_uid = ttrss_users.id AND c.title = 'أخبار');
	EOF
}

start_bg() { # NAME CMD...: in its own session, so "down" stops the whole group
	local name=$1; shift
	setsid "$@" >>"$RUN/$name.log" 2>&1 </dev/null &
	echo $! >"$RUN/$name.pid"
}
stop_bg() {
	local name=$1 pid
	alive "$RUN/$name.pid" || { rm -f "$RUN/$name.pid"; return 0; }
	pid=$(cat "$RUN/$name.pid")
	kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -KILL -- "-$pid" 2>/dev/null || true
	rm -f "$RUN/$name.pid"
}

start_servers() {
	mkdir -p "$FEEDS"; chmod 755 "$FEEDS"
	if ! alive "$RUN/web.pid"; then
		port_open "$PORT" && die "127.0.0.1:$PORT is taken (set AKHBAR_TTRSS_PORT)"
		# PHP 8.2 prints many warnings for this 2021 code: to the log, not into the JSON.
		PHP_CLI_SERVER_WORKERS=4 start_bg web setpriv --reuid=www-data --regid=www-data --init-groups -- \
			php -d display_errors=0 -d log_errors=0 -d memory_limit=512M -S "127.0.0.1:$PORT" -t "$WWW"
	fi
	if ! alive "$RUN/feeds.pid"; then
		port_open "$FEED_PORT" && die "127.0.0.1:$FEED_PORT is taken (set AKHBAR_TTRSS_FEED_PORT)"
		start_bg feeds setpriv --reuid=www-data --regid=www-data --init-groups -- \
			php -d log_errors=0 -S "127.0.0.1:$FEED_PORT" -t "$FEEDS"
	fi
	for _ in $(seq 100); do port_open "$PORT" && port_open "$FEED_PORT" && break; sleep 0.1; done
	port_open "$PORT" || die "tt-rss did not start (see $RUN/web.log)"
}

check_login() {
	local answer
	answer=$(php -r '$c = stream_context_create(["http" => ["method" => "POST", "timeout" => 30,
		"ignore_errors" => true, "header" => "Content-Type: application/json\r\n",
		"content" => json_encode(["op" => "login", "user" => $argv[2], "password" => $argv[3]])]]);
		echo @file_get_contents($argv[1], false, $c);' "http://127.0.0.1:$PORT/api/" "$USER_NAME" "$USER_PASS")
	case "$answer" in *'"status":0'*) ;; *) die "API login failed: ${answer:0:300}";; esac
}

print_env() {
	cat <<-EOF
	AKHBAR_TTRSS_URL=http://127.0.0.1:$PORT/
	AKHBAR_TTRSS_USER=$USER_NAME
	AKHBAR_TTRSS_PASSWORD=$USER_PASS
	AKHBAR_TTRSS_NOAPI_USER=$NOAPI_NAME
	AKHBAR_TTRSS_NOAPI_PASSWORD=$NOAPI_PASS
	AKHBAR_TTRSS_BENCH_USER=$BENCH_NAME
	AKHBAR_TTRSS_BENCH_PASSWORD=$BENCH_PASS
	AKHBAR_TTRSS_FEED_DIR=$FEEDS
	AKHBAR_TTRSS_FEED_URL=http://127.0.0.1:$FEED_PORT/
	AKHBAR_TTRSS_HARNESS_DIR=$DIR
	EOF
}

cmd_up() {
	local t0=$SECONDS
	mkdir -p "$RUN"
	install_packages
	start_postgres
	prepare_www
	setup_users
	start_servers
	check_login
	log "up in $((SECONDS - t0)) s: http://127.0.0.1:$PORT/api/"
	print_env
}

cmd_down() {
	stop_bg feeds
	stop_bg web
	local bin; bin=$(pg_bin)
	if [ -n "$bin" ] && [ -f "$PG/data/PG_VERSION" ]; then
		runuser -u postgres -- "$bin/pg_ctl" -D "$PG/data" status >/dev/null 2>&1 &&
			runuser -u postgres -- "$bin/pg_ctl" -D "$PG/data" -w -m fast stop >/dev/null
	fi
	log "stopped"
}

case "$CMD" in
	up) cmd_up ;;
	env) print_env ;;
	expire-sessions) psql_app -c 'DELETE FROM ttrss_sessions' >/dev/null ;;
	status)
		for n in web feeds; do alive "$RUN/$n.pid" && echo "$n: running" || echo "$n: stopped"; done
		runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$PG/data" status >/dev/null 2>&1 && echo "postgres: running" || echo "postgres: stopped" ;;
	down) cmd_down ;;
	reset) cmd_down; rm -rf "$BASE"; log "removed $BASE" ;;
	*) echo "usage: $0 up|env|expire-sessions|status|down|reset [DIR]" >&2; exit 2 ;;
esac
