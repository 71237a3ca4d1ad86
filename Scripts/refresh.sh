#!/usr/bin/env bash
# Refreshes the published catalog from CMS, for cron: finds the newest release (or takes one),
# downloads it into the cache, imports it, diffs it against the published catalog with the CI
# gate, and publishes it by switching the `current` link, only after every step succeeded.
#
#   Scripts/refresh.sh [--dir DIR] [--release ID] [--config FILE] [--fail-on RULE ...] [-- FETCH_OPTION ...]
#   Scripts/refresh.sh [--dir DIR] --approve REPORT_DIR [--reason TEXT]
#
# --approve publishes the catalog a failed gate refused, after a person has read its report:
# exactly that catalog (its SHA-256 is in REPORT_DIR/candidate.tsv and must still match), only
# while `current` is still the catalog it was compared with, and the log says who (id -un) and
# why (--reason).
#
# DIR (default: ./refresh) holds:
#   current              link to the published catalog (switched atomically: ln -sfn + mv -T)
#   catalogs/            one catalog per imported archive: RELEASE-SHA12.sqlite
#   reports/STAMP-RELEASE/  diff.md, diff.json, diff.txt against the catalog published before;
#                        candidate.tsv when the gate failed (release, archive sha-256, catalog,
#                        catalog sha-256, the catalog compared with); approval.txt once approved
#   published.tsv        release, archive sha-256, catalog, time: one line per publication
#   history.sqlite       the effective-dated history: each catalog published is added to it
#                        after it is published (rvuimport history add; see docs/history.md)
#   refresh.log          what each run did
# and, only while a run is under way or after one was killed: catalogs/.import-PID-NAME (the
# import, renamed to its name only after the gate), .publishing (the line published.tsv gets
# once `current` is switched) and .current.PID; the next run cleans them up and reconciles
# published.tsv with `current` (see "Recovery" below).
# FETCH_OPTIONs go to `rvuimport releases`, `fetch` and `import`: --cms-url URL, --cache DIR,
# --manifest FILE, --accept-ama-license, --offline. --config is rvuimport.yaml (curated content,
# cache, accept_ama_license). Gate rules default to ci-diff.sh's. Set RVUIMPORT to the binary to
# use (default: swift build -c release). A re-posted revision is noticed by its checksum: an
# archive whose sha-256 was published already is "nothing new".
#
# Exit status:
#   0   a new catalog was published (with --approve: the approved one)
#   1   input error: the release has errors, is not offered, or the published catalog is
#       unreadable; --approve refused (not a failed gate's report, the catalog changed, or
#       `current` moved since the report)
#   3   the diff gate failed: nothing was published (reasons in the report and the log)
#   10  nothing new: the newest archive is already published
#   11  not available yet: the release page answers 404 or links no zip (without --release:
#       no release offered is available)
#   64  usage error
#   69  network failure: CMS could not be reached or did not give the archive (try again later)
#   74  a file could not be written; or the catalog was published but could not be added to
#       history.sqlite (it stays published; the next run adds it)
#   75  another refresh is running
#   77  CMS asks to accept the AMA licence and it was not accepted (--accept-ama-license)
# Safe to re-run after any failure, or a kill at any point: nothing is published until the end,
# each step is repeatable, the import never writes the file `current` points at, and an archive
# is "nothing new" only if published.tsv records it or `current` already points at its catalog.
# RVU_REFRESH_KILL_AFTER=STEP (tests only) kills the script with SIGKILL right after STEP:
# fetched, imported, gated, renamed, intent, linked, switched, recorded or historied.
set -euo pipefail

usage() {
  echo "usage: $0 [--dir DIR] [--release ID] [--config FILE] [--fail-on RULE ...] [-- FETCH_OPTION ...]" >&2
  echo "       $0 [--dir DIR] --approve REPORT_DIR [--reason TEXT]" >&2
  exit 64
}

dir=refresh release="" config="" rules=() fetch=() approve="" reason=""
while (($#)); do
  case $1 in
    --dir) (($# >= 2)) || usage; dir=$2; shift 2 ;;
    --release) (($# >= 2)) || usage; release=$2; shift 2 ;;
    --config) (($# >= 2)) || usage; config=$2; shift 2 ;;
    --fail-on) (($# >= 2)) || usage; rules+=(--fail-on "$2"); shift 2 ;;
    --approve) (($# >= 2)) || usage; approve=$2; shift 2 ;;
    --reason) (($# >= 2)) || usage; reason=$2; shift 2 ;;
    --) shift; fetch=("$@"); break ;;
    *) usage ;;
  esac
done
if [[ -n $approve ]]; then
  [[ -z $release && -z $config && ${#rules[@]} -eq 0 && ${#fetch[@]} -eq 0 ]] || usage
  [[ -d $approve ]] || { echo "$0: $approve: no such report folder" >&2; exit 64; }
  approve=$(cd "$approve" && pwd)
elif [[ -n $reason ]]; then
  usage
fi
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

# Tests only: dies here as a kill by cron, the OOM killer or a reboot would.
step() { if [[ ${RVU_REFRESH_KILL_AFTER:-} == "$1" ]]; then kill -KILL $$; fi; }

# What `current` points at (catalogs/NAME), or nothing before the first publication.
published_catalog() { if [[ -L $dir/current ]]; then readlink "$dir/current"; fi; }

# Appends one line to published.tsv: a copy with the line, renamed over it in one step.
record() {
  local temporary=$dir/.published.tsv.$$
  if [[ -f $dir/published.tsv ]]; then cat "$dir/published.tsv" >"$temporary"; else : >"$temporary"; fi
  printf '%s\n' "$1" >>"$temporary"
  mv -T "$temporary" "$dir/published.tsv"
}

# Recovery: what a killed run left. The lock is ours, so nothing else is writing here.
rm -f "$dir"/.current.* "$dir"/.publishing.* "$dir"/.published.tsv.* "$dir"/catalogs/.import-* "$dir"/catalogs/..import-* \
  "$dir"/.history.sqlite.tmp-*
if [[ -f $dir/.publishing ]]; then
  pending=$(cat "$dir/.publishing")
  if [[ $(published_catalog) == "$(printf '%s\n' "$pending" | cut -f3)" ]]; then
    if [[ ! -f $dir/published.tsv || $(tail -n 1 "$dir/published.tsv") != "$pending" ]]; then record "$pending"; fi
    log "recovered an interrupted publication: current -> $(published_catalog), now recorded in published.tsv"
  else
    log "recovered an interrupted publication: current was not switched; nothing was published"
  fi
  rm -f "$dir/.publishing"
fi

# Publishes catalogs/NAME (never the file `current` points at), whose published.tsv line is
# LINE: the line is written down (.publishing); a new link beside `current` is renamed over it
# in one step; the line is recorded. A kill anywhere in between is reconciled by the next run,
# from what `current` points at.
publish() {
  local name=$1 line=$2
  printf '%s\n' "$line" >"$dir/.publishing.$$"
  mv -T "$dir/.publishing.$$" "$dir/.publishing"
  step intent
  ln -sfn "catalogs/$name" "$dir/.current.$$"
  step linked
  mv -T "$dir/.current.$$" "$dir/current"
  step switched
  record "$line"
  step recorded
  rm -f "$dir/.publishing"
}

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

# The history (DIR/history.sqlite): each published catalog is added after it is published. A
# failure here leaves the catalog published (it is logged, and the run exits 74); the next run
# adds what `current` points at again (history add of a catalog already there changes nothing).
add_to_history() {
  local catalog=$1 status=0
  run history add "$dir/$catalog" --history "$dir/history.sqlite" >>"$logfile" || status=$?
  if ((status != 0)); then
    log "adding $catalog to the history failed (rvuimport exit $status): it stays published; $dir/history.sqlite is as it was (fix the cause, then run the refresh again or: rvuimport history add $dir/$catalog --history $dir/history.sqlite)"
    exit 74
  fi
  step historied
}

# What `current` points at, added to the history if a run before could not (nothing changes
# when it is there already).
add_current_to_history() {
  local catalog
  catalog=$(published_catalog)
  if [[ -n $catalog ]]; then add_to_history "$catalog"; fi
}

# --approve: the catalog of a failed gate's report, exactly (by its SHA-256), against the
# catalog it was compared with.
if [[ -n $approve ]]; then
  who=$(id -un 2>/dev/null || echo "${USER:-unknown}")
  [[ ${USER:-$who} == "$who" ]] || who="$who (USER=$USER)"
  refuse() { log "approval of $approve by $who refused: $1; nothing published"; exit 1; }
  [[ -f $approve/candidate.tsv ]] ||
    refuse "it has no candidate.tsv: only the report of a failed gate can be approved"
  IFS=$'\t' read -r revision sha256 catalog_name catalog_sha256 compared <"$approve/candidate.tsv" || true
  name=${catalog_name#catalogs/}
  if [[ -z $revision || ${#sha256} -ne 64 || ${#catalog_sha256} -ne 64 || $catalog_name != "catalogs/$name" || $name == */* ]]; then
    refuse "$approve/candidate.tsv is not a line of release, archive sha-256, catalog, catalog sha-256, compared catalog"
  fi
  if [[ -f $dir/published.tsv ]] && awk -F '\t' -v sha="$sha256" '$2 == sha { found = 1 } END { exit !found }' "$dir/published.tsv"; then
    log "nothing new: this archive was published already"
    add_current_to_history
    exit 10
  fi
  [[ $(published_catalog) == "$compared" ]] ||
    refuse "current points at $(published_catalog) now, not at $compared that the report compared with; run the refresh again"
  [[ ! $dir/$catalog_name -ef $dir/current ]] || refuse "current points at $catalog_name already"
  [[ -f $dir/$catalog_name ]] || refuse "$dir/$catalog_name is gone; run the refresh again"
  actual=$(sha256sum "$dir/$catalog_name" | cut -d ' ' -f 1)
  [[ $actual == "$catalog_sha256" ]] ||
    refuse "$dir/$catalog_name has sha-256 $actual, not $catalog_sha256 the report was made from; run the refresh again"
  line=$(printf '%s\t%s\t%s\t%s' "$revision" "$sha256" "$catalog_name" "$(date -u +%Y-%m-%dT%H:%M:%SZ)")
  printf '%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$who" "${reason:-no reason given}" >"$approve/approval.txt"
  publish "$name" "$line"
  log "published $revision past the failed gate, approved by $who: ${reason:-no reason given} (report $approve, catalog sha-256 $catalog_sha256): current -> $catalog_name"
  add_to_history "$catalog_name"
  exit 0
fi

# Exits with the script's code for a failed rvuimport step.
fail() {
  local status=$1 what=$2
  case $status in
    11) log "$what: not available yet (the release page answers 404 or links no zip); try again later"; exit 11 ;;
    69) log "$what: network failure; try again later"; exit 69 ;;
    77) log "$what: the AMA licence was not accepted (pass -- --accept-ama-license, or accept_ama_license: true)"; exit 77 ;;
    74) log "$what: a file could not be written"; exit 74 ;;
    64) log "$what: usage error"; exit 64 ;;
    *) log "$what: failed (rvuimport exit $status)"; exit 1 ;;
  esac
}

log "refresh started${release:+ for $release}"
candidates=("$release")
if [[ -z $release ]]; then
  status=0
  listing=$(run releases "${configured[@]}" "${fetch[@]}") || status=$?
  ((status == 0)) || fail "$status" "listing the releases"
  mapfile -t candidates < <(printf '%s\n' "$listing" | awk 'NF { print $1 }')
  ((${#candidates[@]} > 0)) || { log "no release offered"; exit 1; }
fi

# Without --release, the newest release that is available: one announced whose page answers
# 404 or links no zip yet (rvuimport exit 11) is passed over.
for candidate in "${candidates[@]}"; do
  status=0
  fetched=$(run fetch --release "$candidate" --format json "${configured[@]}" "${fetch[@]}") || status=$?
  if ((status == 11)) && [[ -z $release && $candidate != "${candidates[-1]}" ]]; then
    log "$candidate: not available yet (the release page answers 404 or links no zip); taking the next newest"
    continue
  fi
  ((status == 0)) || fail "$status" "fetching $candidate"
  [[ -n $release ]] || log "newest release available: $candidate"
  break
done
field() { printf '%s\n' "$fetched" | sed -n "s/^ *\"$1\": \"\\(.*\\)\",\\{0,1\\}\$/\\1/p"; }
revision=$(field release) archive=$(field path) sha256=$(field sha256)
if [[ -z $revision || -z $archive || ${#sha256} -ne 64 ]]; then
  log "unexpected answer from rvuimport fetch: $fetched"
  exit 1
fi
log "archive of $revision: $archive (sha-256 $sha256)"
step fetched

name="$revision-${sha256:0:12}.sqlite"
catalog="$dir/catalogs/$name"
line=$(printf '%s\t%s\t%s\t%s' "$revision" "$sha256" "catalogs/$name" "$(date -u +%Y-%m-%dT%H:%M:%SZ)")
if [[ -f $dir/published.tsv ]] && awk -F '\t' -v sha="$sha256" '$2 == sha { found = 1 } END { exit !found }' "$dir/published.tsv"; then
  log "nothing new: this archive was published already"
  add_current_to_history
  exit 10
fi
# `current` is the truth: a run killed before published.tsv got its line published all the same.
if [[ $(published_catalog) == "catalogs/$name" ]]; then
  record "$line"
  log "nothing new: this archive was published already (current -> catalogs/$name; now recorded in published.tsv)"
  add_current_to_history
  exit 10
fi

# The import goes to a fresh name, never to a file `current` may point at; it gets its name
# only after the gate.
importing="$dir/catalogs/.import-$$-$name"
trap 'rm -f "$importing" "$dir/catalogs/..import-$$-$name".*' EXIT
status=0
# Unattended runs check everything: every format of every dataset is parsed and cross-checked.
run --release "$revision" --source "$archive" --output "$importing" --verify all "${configured[@]}" >>"$logfile" || status=$?
((status == 0)) || fail "$status" "importing $revision"
log "imported $revision into $importing"
step imported

report="$dir/reports/$(date -u +%Y%m%dT%H%M%SZ)-$revision"
if [[ -e $dir/current ]]; then
  status=0
  RVUIMPORT="${tool[0]}" "$repository/Scripts/ci-diff.sh" "$dir/current" "$importing" "$report" "${rules[@]}" >>"$logfile" 2>&1 ||
    status=$?
  case $status in
    0) log "diff against the published catalog: the gate passed (report in $report)" ;;
    3)
      # Kept for --approve: the catalog by its name (not the one `current` points at: that
      # archive is "nothing new" above) and, in the report, its SHA-256.
      if [[ ! $catalog -ef $dir/current ]]; then
        mv -T "$importing" "$catalog"
        printf '%s\t%s\t%s\t%s\t%s\n' "$revision" "$sha256" "catalogs/$name" "$(sha256sum "$catalog" | cut -d ' ' -f 1)" \
          "$(published_catalog)" >"$report/candidate.tsv"
      fi
      log "diff against the published catalog: the gate failed; nothing published (reasons in $report/diff.md; to publish it all the same: $0 --dir $dir --approve $report --reason TEXT)"
      exit 3
      ;;
    *) log "diff against the published catalog failed (ci-diff exit $status)"; exit 1 ;;
  esac
else
  mkdir -p "$report"
  echo "first publication: $revision, nothing to compare with" >"$report/diff.txt"
  log "no published catalog yet: publishing the first one"
fi

step gated

# Publish. The catalog gets its name: never the file `current` points at (that archive would
# have been "nothing new" above).
if [[ $catalog -ef $dir/current ]]; then
  log "refusing to replace $catalog: current points at it"
  exit 1
fi
mv -T "$importing" "$catalog"
step renamed
line=$(printf '%s\t%s\t%s\t%s' "$revision" "$sha256" "catalogs/$name" "$(date -u +%Y-%m-%dT%H:%M:%SZ)")
publish "$name" "$line"
log "published $revision: current -> catalogs/$name"
add_to_history "catalogs/$name"
exit 0
