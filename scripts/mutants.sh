#!/bin/bash
# Break the code on purpose and check that the tests notice:
#   scripts/mutants.sh [PATCH...]     (default: every scripts/mutants/*.patch)
#
# Each patch re-introduces one defect the tests are there to catch. Its
# header, before the diff, says what and which checks must fail:
#   Item: <what it proves>
#   Mutant: <the defect, in one line>
#   Tests: <check> [<check>...]
# A check is a test program (tests/ring/wait: built as $O/tests/ring/wait
# and run with tests/run.sh), a fuzz target (fuzz/fuzz_sqe:SECONDS: built
# with clang and run over a copy of its corpus) or a make target with its
# variables joined by commas (make:fuzz-smoke,FUZZ_TARGETS=fuzz_region).
#
# The real tree is never touched: it is copied (its tracked and untracked,
# not ignored, files) to a scratch directory, where everything the checks
# need is built once and every check must pass (else the run stops: a
# failure under a mutant would prove nothing). Each mutant then gets a
# copy of that built tree, applied with git apply, rebuilt (only what the
# patch touches) and checked. One line per mutant: "caught" when a check
# failed, "MISSED" when all passed, "BROKEN" when the mutant does not apply
# or build. Exit status 0 only if every mutant was caught.
#
# The real tree's $O/ (the plain build), when there is one, is copied with
# the sources as a head start: make rebuilds what is older than them.
#
# Environment: MUTANTS_JOBS (make -j, 2), MUTANTS_TIMEOUT (seconds per
# test program, 180), MUTANTS_FUZZ_SECONDS (30), MUTANTS_KEEP=1 keeps the
# scratch directory (its path is printed), whose logs/ holds every log.
set -u

here=$(cd "$(dirname "$0")/.." && pwd)
jobs=${MUTANTS_JOBS:-2}
test_timeout=${MUTANTS_TIMEOUT:-180}
fuzz_seconds=${MUTANTS_FUZZ_SECONDS:-30}
O=build

if [ $# -gt 0 ]; then
	patches=()
	for p in "$@"; do patches+=("$(cd "$(dirname "$p")" && pwd)/$(basename "$p")"); done
else
	patches=("$here"/scripts/mutants/*.patch)
fi
[ -f "${patches[0]}" ] || { echo "mutants: no patch" >&2; exit 2; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/teeq-mutants.XXXXXX")
if [ "${MUTANTS_KEEP:-0}" = 1 ]; then
	echo "mutants: scratch directory $scratch"
else
	trap 'rm -rf "$scratch"' EXIT
fi
base=$scratch/base logs=$scratch/logs
mkdir -p "$base" "$logs"

# the header field @2 of patch @1
field() { sed -n "/^diff --git/q; s/^$2: *//p" "$1"; }

# The make goals a check needs, beyond teeq-sw and the supplicant.
goals_of() {
	case $1 in
	tests/*) echo "$O/$1" ;;
	fuzz/*) c=${1%%:*}; echo "$O/$c" ;;
	esac
}

# Runs check @2 in tree @1 with its logs under @3; 0 if it passed.
run_check() {
	local tree=$1 check=$2 out=$3 name secs rc
	mkdir -p "$out"
	case $check in
	tests/*)
		(cd "$tree" && TEEQ_TEST_TIMEOUT=$test_timeout \
			tests/run.sh check $O "$out" "$check") >"$out/run.log" 2>&1
		;;
	fuzz/*)
		name=${check#fuzz/} secs=$fuzz_seconds
		case $name in *:*) secs=${name#*:} name=${name%%:*} ;; esac
		(cd "$tree" && d=$out/$name && rm -rf "$d" &&
			mkdir -p "$d/corpus" &&
			cp tests/fuzz/corpus/"$name"/* "$d/corpus/" &&
			timeout -k 10 $((secs + 120)) $O/fuzz/"$name" -timeout=20 \
				-rss_limit_mb=2048 -max_total_time="$secs" \
				-artifact_prefix="$d/" "$d/corpus") \
			>"$out/run.log" 2>&1
		;;
	make:*)
		# shellcheck disable=SC2046
		(cd "$tree" && make --no-print-directory -j"$jobs" \
			$(echo "${check#make:}" | tr ',' ' ')) \
			>"$out/run.log" 2>&1
		;;
	*)
		echo "mutants: unknown check '$check'" >"$out/run.log"
		return 2
		;;
	esac
	rc=$?
	return $rc
}

# Builds in tree @1 what the checks @2... need; log in @1/../build.log.
build_for() {
	local tree=$1 goals=() c
	shift
	for c in "$@"; do goals+=($(goals_of "$c")); done
	make -C "$tree" --no-print-directory -j"$jobs" O=$O \
		$O/secure/teeq-sw $O/supplicant/teeq-supplicant "${goals[@]}"
}

# ---- the base: the tree as it is, built and passing every check ----------------
(cd "$here" && git ls-files -z -co --exclude-standard |
	tar --format=posix --null -T - -cf -) | tar -C "$base" -xf - || exit 2
# the real tree's plain build, if any, as a head start: copied with its
# times, as the sources were (to the nanosecond: posix tar; whole seconds
# would make a source edited within a second of its build look older
# than its object), so make redoes only what is older than its sources
[ -d "$here/$O" ] && cp -a "$here/$O" "$base/$O"
all_checks=()
for p in "${patches[@]}"; do
	# shellcheck disable=SC2207
	all_checks+=($(field "$p" Tests))
done
# shellcheck disable=SC2207
all_checks=($(printf '%s\n' "${all_checks[@]}" | sort -u))
start=$SECONDS
echo "mutants: building the unmutated tree (${#all_checks[@]} checks)"
if ! build_for "$base" "${all_checks[@]}" >"$logs/base-build.log" 2>&1; then
	tail -n 20 "$logs/base-build.log"
	echo "mutants: the unmutated tree does not build"
	exit 2
fi
for c in "${all_checks[@]}"; do
	if ! run_check "$base" "$c" "$logs/base/${c//[\/:,=]/_}"; then
		tail -n 20 "$logs/base/${c//[\/:,=]/_}/run.log"
		echo "mutants: $c fails on the unmutated tree"
		exit 2
	fi
done
echo "mutants: unmutated tree built and passing in $((SECONDS - start))s"

# ---- the mutants ------------------------------------------------------------------
missed=0 broken=0 caught=0
printf '%-28s %-8s %6s  %s\n' mutant result time "failed checks (of those named)"
for p in "${patches[@]}"; do
	m=$(basename "$p" .patch)
	tree=$scratch/$m out=$logs/$m
	t0=$SECONDS
	mkdir -p "$out"
	# shellcheck disable=SC2207
	checks=($(field "$p" Tests))
	rm -rf "$tree"
	cp -a "$base" "$tree"
	if [ ${#checks[@]} = 0 ] ||
		! (cd "$tree" && git apply "$p") >"$out/apply.log" 2>&1; then
		printf '%-28s %-8s %5ss  %s\n' "$m" BROKEN $((SECONDS - t0)) \
			"does not apply or names no check"
		broken=$((broken + 1))
		rm -rf "$tree"
		continue
	fi
	if ! build_for "$tree" "${checks[@]}" >"$out/build.log" 2>&1; then
		printf '%-28s %-8s %5ss  %s\n' "$m" BROKEN $((SECONDS - t0)) \
			"does not build ($out/build.log)"
		broken=$((broken + 1))
		rm -rf "$tree"
		continue
	fi
	failed=()
	for c in "${checks[@]}"; do
		run_check "$tree" "$c" "$out/${c//[\/:,=]/_}" || failed+=("$c")
	done
	if [ ${#failed[@]} -gt 0 ]; then
		caught=$((caught + 1))
		printf '%-28s %-8s %5ss  %s\n' "$m" caught $((SECONDS - t0)) \
			"${failed[*]}"
	else
		missed=$((missed + 1))
		printf '%-28s %-8s %5ss  %s\n' "$m" MISSED $((SECONDS - t0)) \
			"none of: ${checks[*]}"
	fi
	rm -rf "$tree"
done
echo "mutants: $caught caught, $missed missed, $broken broken" \
	"in $((SECONDS - start))s"
[ $missed = 0 ] && [ $broken = 0 ]
