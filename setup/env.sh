# Shared settings for the setup scripts; sourced, never run.
# shellcheck shell=bash
# the repository: the folder above this one, whatever the caller's folder or environment
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ODOO_SRC="${ODOO_SRC:-/opt/odoo/19.0}"
export VENV="${VENV:-$ROOT/.venv}"
export ADDONS="forklift_aftersales,forklift_aftersales_supplier,forklift_aftersales_export,forklift_aftersales_supplier_export"
# Odoo finds the OCA wheels in site-packages/odoo/addons; our addons are on the addons path.
export ADDONS_PATH="$ODOO_SRC/addons,$ROOT"
# Where Odoo keeps the filestores of the databases (its default data directory).
FILESTORES="${XDG_DATA_HOME:-$HOME/.local/share}/Odoo/filestore"

# The messages of the setup script that sources this file, marked with its name
# ([install], [test], ...); die prints an error and stops the script.
SETUP_SCRIPT="${0##*/}"
SETUP_SCRIPT="${SETUP_SCRIPT%.sh}"
log() { printf '[%s] %s\n' "$SETUP_SCRIPT" "$*"; }
die() {
    printf '[%s] ERROR: %s\n' "$SETUP_SCRIPT" "$*" >&2
    exit 1
}

# Drops the database $1 and its filestore; --force ends leftover connections
# (PostgreSQL >= 13), a plain drop is the fallback.
drop_db() {
    dropdb --if-exists --force "$1" 2>/dev/null || dropdb --if-exists "$1"
    rm -rf "${FILESTORES:?}/$1"
}

# wkhtmltopdf with patched Qt (setup/install.sh) before Debian's, which prints no header
# and footer
case ":$PATH:" in
*":$VENV/wkhtmltox/bin:"*) ;;
*) export PATH="$VENV/wkhtmltox/bin:$PATH" ;;
esac
