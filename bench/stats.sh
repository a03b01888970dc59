#!/usr/bin/env bash
# `stats` over a generated request log (make bench, part g): bench/StatsLog.java writes RECORDS
# lines shaped like the router's (default 1,000,000, about 1 GB) over 4 rotated files plus the
# errors copy; then `java -jar JAR stats --log-dir` is timed as a user would run it, and once more
# with a 32 MB heap to show that memory does not grow with the log. Prints "key value" lines.
# The generated log is removed when the script ends, however it ends.
# Usage: bench/stats.sh JAVA JAR [RECORDS]
set -euo pipefail
java=$1
jar=$2
records=${3:-1000000}
work=$(mktemp -d /tmp/llm-stats.XXXXXX)
trap 'rm -rf "$work"' EXIT

generated=$("$java" bench/StatsLog.java "$work/logs" "$records" 4)
bytes=$(awk '$1 == "bytes" { print $2 }' <<<"$generated")
# The gigabyte just written goes to disk now, not while the timed run reads it back.
sync

# Wall time of one run; its output to $2. With /usr/bin/time, its peak RSS in KB to $work/rss.
timed() {
  local out=$1 start end
  shift
  start=$(date +%s%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$work/rss" "$@" >"$out" || return 1
  else
    "$@" >"$out" || return 1
  fi
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN { printf "%.2f", ns / 1e9 }'
}

seconds=$(timed "$work/report.json" "$java" -jar "$jar" stats --log-dir "$work/logs" --json)
rss_mb=$([ -f "$work/rss" ] && tail -1 "$work/rss" | awk '{ printf "%.0f", $1 / 1024 }' || echo "?")
# The root object's "requests" (two spaces in; the rows' own are deeper).
counted=$(sed -n 's/^  "requests" : \([0-9]*\),$/\1/p' "$work/report.json")
small=$(timed /dev/null "$java" -Xmx32m -jar "$jar" stats --log-dir "$work/logs" 2>/dev/null ||
  echo "failed")

echo "stats_records $records"
echo "stats_mb $(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1048576 }')"
echo "stats_counted ${counted:-?}"
echo "stats_seconds $seconds"
echo "stats_rss_mb $rss_mb"
echo "stats_xmx32m_seconds $small"
