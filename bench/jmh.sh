#!/usr/bin/env bash
# JMH micro-benchmarks of the per-event hot paths (serde, aggregate update, scoring).
#   bench/jmh.sh                 all benchmarks, 1 fork, 3 x 1 s warm-up, 5 x 1 s measurement
#   bench/jmh.sh aggregateUpdate any JMH arguments (a regex selects benchmarks)
# Writes bench-results/jmh-<time>.json and prints JMH's table (ns/op).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests -pl microbench -am install >&2
out="bench-results/jmh-$(date -u +%Y%m%dT%H%M%SZ).json"
mkdir -p bench-results
java -cp "microbench/target/classes:$(cat microbench/target/classpath.txt)" org.openjdk.jmh.Main -rf json -rff "$out" "$@"
echo "results: $out"
