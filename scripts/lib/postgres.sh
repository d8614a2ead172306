# PostgreSQL for the concurrency tests: REGDESK_DATABASE_URL, else a server on 127.0.0.1:5432, else a throwaway
# cluster started from the installed PostgreSQL binaries (installed from Debian's packages when missing).
# Sourced by scripts/test after setup.sh.

POSTGRES_THROWAWAY_DIR=""
POSTGRES_THROWAWAY_USER=""

postgres_can_connect() {
    "$VENV/bin/python" - "$1" <<'PY' >/dev/null 2>&1
import sys
import psycopg
with psycopg.connect(sys.argv[1], connect_timeout=3) as connection:
    connection.execute("select 1")
PY
}

postgres_binaries() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
    done
    command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
    return 1
}

postgres_ensure() {
    # Sets POSTGRES_URL (called in the current shell, so that postgres_cleanup knows what it started).
    if [ -n "${REGDESK_DATABASE_URL:-}" ] && [[ "$REGDESK_DATABASE_URL" == postgres* ]]; then
        POSTGRES_URL="$REGDESK_DATABASE_URL"
        return 0
    fi
    local local_url="postgres://postgres@127.0.0.1:5432/postgres"
    if postgres_can_connect "$local_url"; then
        POSTGRES_URL="$local_url"
        return 0
    fi
    say "no PostgreSQL server reachable: starting a throwaway cluster" >&2
    local bin
    if ! bin="$(postgres_binaries)"; then
        apt_install postgresql >&2
        bin="$(postgres_binaries)"
    fi
    POSTGRES_THROWAWAY_DIR="$(mktemp -d /tmp/regdesk-pg.XXXXXX)"
    local port
    port="$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    local run_as=()
    if [ "$(id -u)" = 0 ]; then
        # initdb refuses to run as root.
        POSTGRES_THROWAWAY_USER=postgres
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        chown postgres "$POSTGRES_THROWAWAY_DIR"
        run_as=(runuser -u postgres --)
    fi
    "${run_as[@]}" "$bin/initdb" -D "$POSTGRES_THROWAWAY_DIR/data" -U postgres -A trust >/dev/null
    "${run_as[@]}" "$bin/pg_ctl" -D "$POSTGRES_THROWAWAY_DIR/data" -l "$POSTGRES_THROWAWAY_DIR/log" -w \
        -o "-h 127.0.0.1 -p $port -k $POSTGRES_THROWAWAY_DIR -c fsync=off" start >/dev/null
    POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

postgres_cleanup() {
    [ -n "$POSTGRES_THROWAWAY_DIR" ] || return 0
    local bin run_as=()
    bin="$(postgres_binaries)"
    [ -n "$POSTGRES_THROWAWAY_USER" ] && run_as=(runuser -u "$POSTGRES_THROWAWAY_USER" --)
    "${run_as[@]}" "$bin/pg_ctl" -D "$POSTGRES_THROWAWAY_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$POSTGRES_THROWAWAY_DIR"
}
