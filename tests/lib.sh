# Shared by the scripts in tests/: finds a JDK 21+ the way the launcher does and runs tests of
# mailwarden-tests with extra properties, building the modules it needs from this checkout (the reactor,
# never whatever another checkout last installed into ~/.m2).
# shellcheck shell=bash
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
# shellcheck source=../mailwarden
source ./mailwarden
JAVA_HOME="$(find_jdk)" || { echo "tests: no JDK 21 or newer found (set JAVA_HOME)" >&2; exit 1; }
export JAVA_HOME
FIGURES="$ROOT/mailwarden-tests/target/reliability-figures.txt"

# run_tests TEST [MAVEN_ARGS...]: runs the selected tests of mailwarden-tests, then prints the figures.
run_tests() {
    local test="$1"
    shift
    rm -f "$FIGURES"
    local status=0
    ./mvnw -B -pl mailwarden-tests -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false "$@" || status=$?
    echo
    echo "== figures =="
    cat "$FIGURES" 2>/dev/null || echo "(none recorded)"
    return "$status"
}
