#!/usr/bin/env bash
# A small cluster on this machine, on the loopback interface only:
#   - a PostgreSQL primary and its streaming hot standby of their own (initdb in the
#     cluster's folder, pg_basebackup, their own ports; the system's PostgreSQL is left
#     alone);
#   - two Odoo nodes with workers sharing one data directory (filestore and sessions),
#     both with the standby as replica (db_replica_host/port: read-only requests are
#     served by the standby, everything that writes by the primary), cron on node a only;
#   - HAProxy in front: health checks on /web/health, maxconn per node equal to its
#     workers, /websocket to the nodes' gevent ports; it names the node that answered in
#     the X-Odoo-Node response header.
#
#   setup/cluster.sh [start]   start what is not running (idempotent); prints the URLs
#   setup/cluster.sh stop      end every process of the cluster (the data is kept)
#   setup/cluster.sh destroy   stop, then remove the cluster's folder and its databases
#   setup/cluster.sh status    what runs, and the ports
#   setup/cluster.sh restart-nodes   stop the Odoo nodes, then start (new configuration)
#
# The first start creates the database CLUSTER_DB on the primary: restored from
# CLUSTER_RESTORE (a pg_dump -Fc file; CLUSTER_FILESTORE, its filestore, is copied
# along) when given, else installed with the three addons (odoo -i, a few minutes).
#
# Environment: CLUSTER_DIR (default .cluster in the checkout; when run as root and the
# user postgres cannot enter it, a folder under /tmp), CLUSTER_DB (default
# forklift_cluster), CLUSTER_WORKERS (HTTP workers per node, default 2), PG_BIN (default
# /usr/lib/postgresql/15/bin), plus ODOO_SRC and VENV (see setup/env.sh). The ports are
# chosen free on the first start and kept in $CLUSTER_DIR/cluster.env.
set -euo pipefail

# shellcheck source=setup/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
DB="${CLUSTER_DB:-forklift_cluster}"
WORKERS="${CLUSTER_WORKERS:-2}"

# PostgreSQL refuses to run as root: then its programs run as the user postgres.
PG_USER=""
if [ "$(id -u)" = 0 ]; then
    PG_USER="${CLUSTER_PG_USER:-postgres}"
    id "$PG_USER" >/dev/null 2>&1 || die "no user $PG_USER to run PostgreSQL as"
fi
as_pg() {
    if [ -n "$PG_USER" ]; then runuser -u "$PG_USER" -- "$@"; else "$@"; fi
}

if [ -z "${CLUSTER_DIR:-}" ]; then
    CLUSTER_DIR="$ROOT/.cluster"
    if [ -n "$PG_USER" ] && ! runuser -u "$PG_USER" -- test -x "$ROOT"; then
        CLUSTER_DIR="/tmp/forklift-cluster-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
    fi
fi
STATE="$CLUSTER_DIR/cluster.env"
PRIMARY="$CLUSTER_DIR/pg/primary"
STANDBY="$CLUSTER_DIR/pg/standby"
RUN="$CLUSTER_DIR/run"
LOGS="$CLUSTER_DIR/log"
DATA="$CLUSTER_DIR/data"
NODES=(a b)

# --- ports ------------------------------------------------------------------------------
free_ports() {
    "$VENV/bin/python" - "$1" <<'EOF'
import socket
import sys

socks = []
for _ in range(int(sys.argv[1])):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    socks.append(sock)
print(" ".join(str(sock.getsockname()[1]) for sock in socks))
EOF
}

load_state() {
    if [ ! -f "$STATE" ]; then
        mkdir -p "$CLUSTER_DIR"
        local ports
        read -r -a ports <<<"$(free_ports 7)"
        [ "${#ports[@]}" = 7 ] || die "cannot find free ports (is $VENV/bin/python there?)"
        cat >"$STATE.tmp" <<EOF
# Written by setup/cluster.sh on the first start; read by tests/cluster.
CLUSTER_DIR=$CLUSTER_DIR
CLUSTER_DB=$DB
PRIMARY_PORT=${ports[0]}
STANDBY_PORT=${ports[1]}
PROXY_PORT=${ports[2]}
NODE_A_PORT=${ports[3]}
NODE_B_PORT=${ports[4]}
NODE_A_GEVENT_PORT=${ports[5]}
NODE_B_GEVENT_PORT=${ports[6]}
DB_USER=$(id -un)
EOF
        mv "$STATE.tmp" "$STATE"
    fi
    # shellcheck source=/dev/null
    source "$STATE"
    DB="$CLUSTER_DB"
}

# --- PostgreSQL -------------------------------------------------------------------------
pg_running() { as_pg "$PG_BIN/pg_ctl" status -D "$1" >/dev/null 2>&1; }

pg_start() {
    local dir="$1" name="$2"
    pg_running "$dir" && return 0
    log "starting PostgreSQL $name"
    as_pg "$PG_BIN/pg_ctl" start -w -t 120 -D "$dir" -l "$LOGS/postgresql-$name.log" \
        >/dev/null || die "PostgreSQL $name did not start (log: $LOGS/postgresql-$name.log)"
}

pg_stop() {
    local dir="$1" name="$2"
    [ -d "$dir" ] && pg_running "$dir" || return 0
    log "stopping PostgreSQL $name"
    as_pg "$PG_BIN/pg_ctl" stop -w -t 60 -m fast -D "$dir" >/dev/null ||
        as_pg "$PG_BIN/pg_ctl" stop -w -t 30 -m immediate -D "$dir" >/dev/null || true
}

psql_primary() {
    psql -X -h 127.0.0.1 -p "$PRIMARY_PORT" -U "$DB_USER" "$@"
}

init_primary() {
    [ -f "$PRIMARY/PG_VERSION" ] && return 0
    log "initdb of the primary in $PRIMARY"
    mkdir -p "$PRIMARY"
    [ -z "$PG_USER" ] || chown -R "$PG_USER" "$CLUSTER_DIR/pg"
    chmod 700 "$PRIMARY"
    # trust on the loopback only: no other address is listened on
    as_pg "$PG_BIN/initdb" -D "$PRIMARY" -U "$DB_USER" --auth=trust -E UTF8 \
        --locale=C.UTF-8 >"$LOGS/initdb.log"
    cat >>"$PRIMARY/postgresql.conf" <<EOF

# setup/cluster.sh
listen_addresses = '127.0.0.1'
port = $PRIMARY_PORT
unix_socket_directories = '$CLUSTER_DIR/pg'
max_connections = 200
wal_level = replica
max_wal_senders = 4
wal_keep_size = 256MB
hot_standby = on
hot_standby_feedback = on
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
EOF
}

init_standby() {
    [ -f "$STANDBY/PG_VERSION" ] && return 0
    log "pg_basebackup of the primary into $STANDBY"
    as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U "$DB_USER" \
        -D "$STANDBY" -R -X stream -c fast
    as_pg chmod 700 "$STANDBY"
    # the copied configuration is the primary's: another port, the same socket folder
    printf '\n# the standby\nport = %s\n' "$STANDBY_PORT" |
        as_pg tee -a "$STANDBY/postgresql.conf" >/dev/null
}

create_database() {
    if [ -n "$(psql_primary -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
        return 0
    fi
    # counters of the statements (the tests read them): in the maintenance database,
    # they show every database's statements
    psql_primary -d postgres -qc "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
    if [ -n "${CLUSTER_RESTORE:-}" ]; then
        log "restoring $CLUSTER_RESTORE as $DB"
        psql_primary -d postgres -qc "CREATE DATABASE \"$DB\" TEMPLATE template0 LC_COLLATE 'C'"
        pg_restore -h 127.0.0.1 -p "$PRIMARY_PORT" -U "$DB_USER" -d "$DB" --no-owner -1 \
            --no-privileges "$CLUSTER_RESTORE" || die "cannot restore $CLUSTER_RESTORE"
        if [ -n "${CLUSTER_FILESTORE:-}" ] && [ -d "$CLUSTER_FILESTORE" ]; then
            mkdir -p "$DATA/filestore"
            rm -rf "${DATA:?}/filestore/$DB"
            cp -a "$CLUSTER_FILESTORE" "$DATA/filestore/$DB"
        fi
    else
        log "creating $DB with $ADDONS (odoo -i, a few minutes; log: $LOGS/install.log)"
        "$VENV/bin/odoo" -c "$RUN/odoo-a.conf" -d "$DB" -i "$ADDONS" --workers=0 \
            --max-cron-threads=0 --stop-after-init --logfile="$LOGS/install.log" ||
            die "odoo -i failed (log: $LOGS/install.log)"
    fi
    # wkhtmltopdf fetches the styles of a PDF report over HTTP: through the proxy
    psql_primary -d "$DB" -qc "INSERT INTO ir_config_parameter (key, value)
        VALUES ('report.url', 'http://127.0.0.1:$PROXY_PORT')
        ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
}

# --- Odoo nodes -------------------------------------------------------------------------
# read-only requests (readonly routes, @api.readonly methods) go to the standby;
# CLUSTER_NO_REPLICA=1 sends everything to the primary (to compare, tests/load_test.py)
replica_conf() {
    if [ "${CLUSTER_NO_REPLICA:-0}" = 1 ]; then
        printf '; no replica (CLUSTER_NO_REPLICA=1): the primary serves every request'
    else
        printf 'db_replica_host = 127.0.0.1\ndb_replica_port = %s' "$STANDBY_PORT"
    fi
}

write_node_conf() {
    local node="$1" http_port="$2" gevent_port="$3" cron="$4"
    local secret_file="$RUN/admin_passwd"
    [ -f "$secret_file" ] || (umask 077 && "$VENV/bin/python" -c \
        'import secrets; print(secrets.token_urlsafe(24))' >"$secret_file")
    cat >"$RUN/odoo-$node.conf" <<EOF
; node $node of setup/cluster.sh (written by it on each start)
[options]
addons_path = $ADDONS_PATH
data_dir = $DATA
db_host = 127.0.0.1
db_port = $PRIMARY_PORT
db_user = $DB_USER
db_name = $DB
$(replica_conf)
db_maxconn = 32
dbfilter = ^$DB\$
list_db = False
admin_passwd = $(cat "$secret_file")
http_interface = 127.0.0.1
http_port = $http_port
gevent_port = $gevent_port
proxy_mode = True
workers = $WORKERS
max_cron_threads = $cron
limit_time_cpu = 600
limit_time_real = 1200
limit_memory_soft = 2147483648
limit_memory_hard = 2684354560
logfile = $LOGS/odoo-$node.log
log_level = info
EOF
}

node_pid() {
    local pid
    pid="$(cat "$RUN/odoo-$1.pid" 2>/dev/null || true)"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && printf '%s' "$pid"
}

node_start() {
    local node="$1" port="$2"
    [ -n "$(node_pid "$node")" ] && return 0
    log "starting Odoo node $node on 127.0.0.1:$port"
    # its own process group: the node is ended (or killed by a test) as one
    setsid "$VENV/bin/odoo" -c "$RUN/odoo-$node.conf" </dev/null \
        >>"$LOGS/odoo-$node.out" 2>&1 &
    echo $! >"$RUN/odoo-$node.pid"
}

node_wait() {
    local node="$1" port="$2" deadline=$((SECONDS + 240))
    until curl -fs -o /dev/null --max-time 5 "http://127.0.0.1:$port/web/health"; do
        [ -n "$(node_pid "$node")" ] || die "node $node exited (log: $LOGS/odoo-$node.log)"
        [ "$SECONDS" -lt "$deadline" ] || die "node $node does not answer (log: $LOGS/odoo-$node.log)"
        sleep 1
    done
}

node_stop() {
    local node="$1" pid
    pid="$(node_pid "$node")" || true
    if [ -n "$pid" ]; then
        log "stopping Odoo node $node"
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 60); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
    fi
    # the workers of a killed master, if any are left
    [ -z "$pid" ] || kill -KILL -- "-$pid" 2>/dev/null || true
    local left
    left="$(cat "$RUN/odoo-$node.pid" 2>/dev/null || true)"
    [ -z "$left" ] || kill -KILL -- "-$left" 2>/dev/null || true
    rm -f "$RUN/odoo-$node.pid"
}

# --- HAProxy ----------------------------------------------------------------------------
write_haproxy_conf() {
    cat >"$RUN/haproxy.cfg" <<EOF
# setup/cluster.sh (written by it on each start)
global
    maxconn 1000

defaults
    mode http
    timeout connect 5s
    timeout client 300s
    timeout server 300s
    # a request waits in the queue while every worker of every node is busy
    timeout queue 300s
    timeout tunnel 1h
    # a connection refused (a node down, not yet seen by the health check) is tried
    # again on the other node; a request a node received is never sent twice
    retries 3
    option redispatch 1
    # a health check waits behind the requests when every worker of a node is busy:
    # a busy node is not a dead one (a dead node refuses the connection at once)
    timeout check 20s

frontend odoo
    bind 127.0.0.1:$PROXY_PORT
    option forwardfor
    http-request set-header X-Forwarded-Proto http
    http-request set-header X-Forwarded-Host %[req.hdr(host)]
    use_backend odoo_websocket if { path_beg /websocket }
    default_backend odoo_http

backend odoo_http
    balance roundrobin
    option httpchk
    http-check send meth GET uri /web/health ver HTTP/1.1 hdr Host localhost
    http-check expect status 200
    http-response set-header X-Odoo-Node %[srv_name]
    # one request at a time per worker: the others wait in HAProxy's queue; a node that
    # refuses a connection is marked down at once, before its next health check
    default-server check inter 2s fall 3 rise 2 observe layer4 error-limit 1 on-error mark-down
    server a 127.0.0.1:$NODE_A_PORT maxconn $WORKERS
    server b 127.0.0.1:$NODE_B_PORT maxconn $WORKERS

backend odoo_websocket
    balance leastconn
    option httpchk
    http-check send meth GET uri /web/health ver HTTP/1.1 hdr Host localhost
    server a 127.0.0.1:$NODE_A_GEVENT_PORT check inter 2s fall 2 rise 2
    server b 127.0.0.1:$NODE_B_GEVENT_PORT check inter 2s fall 2 rise 2
EOF
}

haproxy_pid() {
    local pid
    pid="$(cat "$RUN/haproxy.pid" 2>/dev/null || true)"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && printf '%s' "$pid"
}

haproxy_start() {
    [ -n "$(haproxy_pid)" ] && return 0
    command -v haproxy >/dev/null || die "haproxy is not installed (apt-get install haproxy)"
    haproxy -c -q -f "$RUN/haproxy.cfg" || die "invalid $RUN/haproxy.cfg"
    log "starting HAProxy on 127.0.0.1:$PROXY_PORT"
    haproxy -D -f "$RUN/haproxy.cfg" -p "$RUN/haproxy.pid" >>"$LOGS/haproxy.log" 2>&1 ||
        die "HAProxy did not start (log: $LOGS/haproxy.log)"
}

haproxy_stop() {
    local pid
    pid="$(haproxy_pid)" || true
    if [ -n "$pid" ]; then
        log "stopping HAProxy"
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 20); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$RUN/haproxy.pid"
}

# --- commands ---------------------------------------------------------------------------
start() {
    load_state
    mkdir -p "$RUN" "$LOGS" "$DATA" "$CLUSTER_DIR/pg"
    [ -x "$PG_BIN/initdb" ] || die "no PostgreSQL binaries in $PG_BIN (set PG_BIN)"
    [ -z "$PG_USER" ] || chown "$PG_USER" "$CLUSTER_DIR/pg" "$LOGS"
    init_primary
    pg_start "$PRIMARY" primary
    write_node_conf a "$NODE_A_PORT" "$NODE_A_GEVENT_PORT" 1
    write_node_conf b "$NODE_B_PORT" "$NODE_B_GEVENT_PORT" 0
    create_database
    init_standby
    pg_start "$STANDBY" standby
    node_start a "$NODE_A_PORT"
    node_start b "$NODE_B_PORT"
    node_wait a "$NODE_A_PORT"
    node_wait b "$NODE_B_PORT"
    write_haproxy_conf
    haproxy_start
    # HAProxy sends requests to a node once its health checks passed
    local deadline=$((SECONDS + 120))
    until curl -fs -o /dev/null --max-time 5 "http://127.0.0.1:$PROXY_PORT/web/health"; do
        [ "$SECONDS" -lt "$deadline" ] || die "HAProxy sees no node up (log: $LOGS)"
        sleep 1
    done
    log "database $DB: primary 127.0.0.1:$PRIMARY_PORT, standby 127.0.0.1:$STANDBY_PORT"
    log "nodes a 127.0.0.1:$NODE_A_PORT (cron), b 127.0.0.1:$NODE_B_PORT"
    log "ready: http://127.0.0.1:$PROXY_PORT (state: $STATE)"
}

stop() {
    [ -f "$STATE" ] || return 0
    load_state
    haproxy_stop
    for node in "${NODES[@]}"; do node_stop "$node"; done
    pg_stop "$STANDBY" standby
    pg_stop "$PRIMARY" primary
}

status() {
    [ -f "$STATE" ] || {
        log "no cluster in $CLUSTER_DIR"
        return 0
    }
    load_state
    cat "$STATE"
    for node in "${NODES[@]}"; do
        printf 'node %s: %s\n' "$node" "$(node_pid "$node" || echo stopped)"
    done
    printf 'haproxy: %s\n' "$(haproxy_pid || echo stopped)"
    pg_running "$PRIMARY" && echo "primary: running" || echo "primary: stopped"
    pg_running "$STANDBY" && echo "standby: running" || echo "standby: stopped"
}

case "${1:-start}" in
start) start ;;
stop) stop ;;
destroy)
    stop
    log "removing $CLUSTER_DIR"
    rm -rf "$CLUSTER_DIR"
    ;;
status) status ;;
restart-nodes)
    if [ -f "$STATE" ]; then
        load_state
        for node in "${NODES[@]}"; do node_stop "$node"; done
    fi
    start
    ;;
*) die "usage: setup/cluster.sh [start|stop|destroy|status|restart-nodes]" ;;
esac
