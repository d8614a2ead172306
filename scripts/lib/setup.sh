# Shared set-up for scripts/run and scripts/test: sourced, not executed.
# Everything here is idempotent and installs only what is missing, so that a fresh machine needs no other step.

REGDESK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$REGDESK_ROOT/.venv"
PYTHON_BIN="${REGDESK_PYTHON:-python3.11}"
command -v "$PYTHON_BIN" >/dev/null 2>&1 || PYTHON_BIN=python3

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

APT_UPDATED=0
apt_install() {
    # apt_install PACKAGE...: install Debian packages that are not installed yet.
    local missing=()
    for package in "$@"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null 2>&1; then
        echo "missing Debian packages: ${missing[*]} (install them as root)" >&2
        return 1
    fi
    local run_as_root=()
    [ "$(id -u)" != 0 ] && run_as_root=(sudo)
    say "installing Debian packages: ${missing[*]}"
    if [ "$APT_UPDATED" = 0 ]; then
        "${run_as_root[@]}" apt-get update -qq >/dev/null
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive "${run_as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

setup_system_packages() {
    # gettext: compiled message catalogues; fonts-wqy-microhei: the TrueType CJK font embedded in PDFs.
    local wanted=(gettext fonts-wqy-microhei)
    # chromium: browser tests; poppler-utils: the PDF tests read the verification form (pdftotext, pdffonts).
    [ "${1:-}" = "test" ] && wanted+=(chromium poppler-utils)
    # npm fetches the front-end assets; the machines ship Node.js, Debian's package is the fallback.
    command -v npm >/dev/null 2>&1 || wanted+=(npm)
    apt_install "${wanted[@]}"
}

setup_venv() {
    # setup_venv [dev]: create .venv and install the project (with the development extras for "dev").
    local extras="" stamp="$VENV/.installed"
    [ "${1:-}" = "dev" ] && extras="[dev]" && stamp="$VENV/.installed-dev"
    if [ ! -x "$VENV/bin/python" ]; then
        say "creating $VENV"
        "$PYTHON_BIN" -m venv "$VENV"
    fi
    local digest
    digest="$(sha256sum "$REGDESK_ROOT/pyproject.toml" | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
        say "installing regdesk${extras} into .venv"
        "$VENV/bin/pip" install --quiet --disable-pip-version-check -e "$REGDESK_ROOT$extras"
        echo "$digest" > "$stamp"
    fi
}

setup_assets() {
    # Front-end assets come from the npm registry at build time and are served by the application.
    if [ -x "$REGDESK_ROOT/scripts/build-assets" ]; then
        "$REGDESK_ROOT/scripts/build-assets"
    fi
}

setup_messages() {
    say "compiling message catalogues"
    (cd "$REGDESK_ROOT/src/regdesk" && "$VENV/bin/regdesk" compilemessages --ignore '.venv' -v 0)
}
