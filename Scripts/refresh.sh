#!/usr/bin/env bash
# Refreshes the published catalog from CMS, for cron: finds the newest release (or takes one),
# downloads it into the cache, imports it, diffs it against the published catalog with the CI
# gate, and publishes it by switching the `current` link, only after every step succeeded.
#
#   Scripts/refresh.sh [--dir DIR] [--release ID] [--config FILE] [--fail-on RULE ...] [-- FETCH_OPTION ...]
#
# DIR (default: ./refresh) holds:
#   current              link to the published catalog (switched atomically: ln -sfn + mv -T)
#   catalogs/            one catalog per imported archive: RELEASE-SHA12.sqlite
#   reports/STAMP-RELEASE/  diff.md, diff.json, diff.txt against the catalog published before
#   published.tsv        release, archive sha-256, catalog, time: one line per publication
#   refresh.log          what each run did
# FETCH_OPTIONs go to `rvuimport releases`, `fetch` and `import`: --cms-url URL, --cache DIR,
# --manifest FILE, --accept-ama-license, --offline. --config is rvuimport.yaml (curated content,
# cache, accept_ama_license). Gate rules default to ci-diff.sh's. Set RVUIMPORT to the binary to
# use (default: swift build -c release). A re-posted revision is noticed by its checksum: an
# archive whose sha-256 was published already is "nothing new".
#
# Exit status:
#   0   a new catalog was published
#   1   input error: the release has errors, is not offered, or the published catalog is unreadable
#   3   the diff gate failed: nothing was published (reasons in the report and the log)
#   10  nothing new: the newest archive is already published
#   64  usage error
#   69  network failure: CMS could not be reached or did not give the archive (try again later)
#   74  a file could not be written
#   75  another refresh is running
#   77  CMS asks to accept the AMA licence and it was not accepted (--accept-ama-license)
# Safe to re-run after any failure: nothing is published until the end, and each step is repeatable.
set -euo pipefail

usage() {
  echo "usage: $0 [--dir DIR] [--release ID] [--config FILE] [--fail-on RULE ...] [-- FETCH_OPTION ...]" >&2
  exit 64
}

dir=refresh release="" config="" rules=() fetch=()
while (($#)); do
  case $1 in
    --dir) (($# >= 2)) || usage; dir=$2; shift 2 ;;
    --release) (($# >= 2)) || usage; release=$2; shift 2 ;;
    --config) (($# >= 2)) || usage; config=$2; shift 2 ;;
    --fail-on) (($# >= 2)) || usage; rules+=(--fail-on "$2"); shift 2 ;;
    --) shift; fetch=("$@"); break ;;
    *) usage ;;
  esac
done
if ((${#rules[@]} == 0)); then
  rules=(--fail-on removed-curated --fail-on deleted-curated --fail-on payment-change:20)
fi
repository=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dir/catalogs" "$dir/reports" || exit 74
dir=$(cd "$dir" && pwd)
logfile=$dir/refresh.log
configured=()
[[ -n $config ]] && configured=(--config "$(realpath -m "$config")")

log() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" | tee -a "$logfile" >&2; }

# One run at a time: the lock is held until this process exits, whatever the exit.
exec 9>>"$dir/.lock"
if ! flock -n 9; then
  log "another refresh is running (lock $dir/.lock); nothing done"
  exit 75
fi

if [[ -n ${RVUIMPORT:-} ]]; then
  tool=("$RVUIMPORT")
else
  (cd "$repository" && swift build -c release --product rvuimport >&2)
  tool=("$(cd "$repository" && swift build -c release --show-bin-path)/rvuimport")
fi

# Runs rvuimport; its standard error goes to the log and to standard error. Returns its status.
run() {
  local status=0 errors
  errors=$(mktemp)
  "${tool[@]}" "$@" 2>"$errors" || status=$?
  if [[ -s $errors ]]; then tee -a "$logfile" <"$errors" >&2; fi
  rm -f "$errors"
  return "$status"
}

# Exits with the script's code for a failed rvuimport step.
fail() {
  local status=$1 what=$2
  case $status in
    69) log "$what: network failure; try again later"; exit 69 ;;
    77) log "$what: the AMA licence was not accepted (pass -- --accept-ama-license, or accept_ama_license: true)"; exit 77 ;;
    74) log "$what: a file could not be written"; exit 74 ;;
    64) log "$what: usage error"; exit 64 ;;
    *) log "$what: failed (rvuimport exit $status)"; exit 1 ;;
  esac
}

log "refresh started${release:+ for $release}"
if [[ -z $release ]]; then
  status=0
  listing=$(run releases "${configured[@]}" "${fetch[@]}") || status=$?
  ((status == 0)) || fail "$status" "listing the releases"
  release=$(printf '%s\n' "$listing" | awk 'NR == 1 { print $1 }')
  [[ -n $release ]] || { log "no release offered"; exit 1; }
  log "newest release offered: $release"
fi

status=0
fetched=$(run fetch --release "$release" --format json "${configured[@]}" "${fetch[@]}") || status=$?
((status == 0)) || fail "$status" "fetching $release"
field() { printf '%s\n' "$fetched" | sed -n "s/^ *\"$1\": \"\\(.*\\)\",\\{0,1\\}\$/\\1/p"; }
revision=$(field release) archive=$(field path) sha256=$(field sha256)
if [[ -z $revision || -z $archive || ${#sha256} -ne 64 ]]; then
  log "unexpected answer from rvuimport fetch: $fetched"
  exit 1
fi
log "archive of $revision: $archive (sha-256 $sha256)"

if [[ -f $dir/published.tsv ]] && awk -F '\t' -v sha="$sha256" '$2 == sha { found = 1 } END { exit !found }' "$dir/published.tsv"; then
  log "nothing new: this archive was published already"
  exit 10
fi

name="$revision-${sha256:0:12}.sqlite"
catalog="$dir/catalogs/$name"
status=0
# Unattended runs check everything: every format of every dataset is parsed and cross-checked.
run --release "$revision" --source "$archive" --output "$catalog" --verify all "${configured[@]}" >>"$logfile" || status=$?
((status == 0)) || fail "$status" "importing $revision"
log "imported $revision into $catalog"

report="$dir/reports/$(date -u +%Y%m%dT%H%M%SZ)-$revision"
if [[ -e $dir/current ]]; then
  status=0
  RVUIMPORT="${tool[0]}" "$repository/Scripts/ci-diff.sh" "$dir/current" "$catalog" "$report" "${rules[@]}" >>"$logfile" 2>&1 ||
    status=$?
  case $status in
    0) log "diff against the published catalog: the gate passed (report in $report)" ;;
    3)
      log "diff against the published catalog: the gate failed; nothing published (reasons in $report/diff.md)"
      exit 3
      ;;
    *) log "diff against the published catalog failed (ci-diff exit $status)"; exit 1 ;;
  esac
else
  mkdir -p "$report"
  echo "first publication: $revision, nothing to compare with" >"$report/diff.txt"
  log "no published catalog yet: publishing the first one"
fi

# Publish: a new link beside the old one, renamed over it in one step.
ln -sfn "catalogs/$name" "$dir/.current.$$"
mv -T "$dir/.current.$$" "$dir/current"
printf '%s\t%s\t%s\t%s\n' "$revision" "$sha256" "catalogs/$name" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$dir/published.tsv"
log "published $revision: current -> catalogs/$name"
exit 0
