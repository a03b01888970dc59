#!/usr/bin/env bash
# Prints "<JAVA_HOME> <major>" of a JDK >= 21: $JAVA_HOME when it qualifies, else the newest JDK in
# the system JVM folders. Exits 1 with a one-line explanation when there is none.
set -u
MIN=21

major_of() { # $1 = a JAVA_HOME; prints its feature version, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

if [ -n "${JAVA_HOME:-}" ]; then
  m=$(major_of "$JAVA_HOME")
  if [ -n "$m" ] && [ "$m" -ge "$MIN" ]; then
    echo "$JAVA_HOME $m"
    exit 0
  fi
fi

best=""; best_major=0
for dir in /usr/lib/jvm/* /usr/java/* /opt/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
  [ -d "$dir" ] || continue
  [ -L "$dir" ] && continue
  m=$(major_of "$dir")
  if [ -n "$m" ] && [ "$m" -ge "$MIN" ] && [ "$m" -gt "$best_major" ]; then
    best=$dir; best_major=$m
  fi
done
if [ -n "$best" ]; then
  echo "$best $best_major"
  exit 0
fi
echo "error: no JDK >= $MIN found (JAVA_HOME=${JAVA_HOME:-unset}; looked in /usr/lib/jvm, /usr/java, /opt/java): install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+, or set JAVA_HOME" >&2
exit 1
