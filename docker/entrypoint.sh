#!/usr/bin/env bash
# Entry point of the ttc-spark image:
#   master                      a Spark standalone master on port 7077 (UI 8080)
#   worker spark://host:7077    a worker (TTC_WORKER_CORES, TTC_WORKER_MEMORY)
#   submit <command> [args]     a ttc command through spark-submit, client mode; the master is
#                               TTC_MASTER (default local[*])
set -euo pipefail
opens=()
for pkg in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
           java.util.concurrent java.util.concurrent.atomic sun.nio.ch sun.nio.cs \
           sun.security.action sun.util.calendar jdk.internal.ref jdk.internal.misc; do
  opens+=("--add-opens=java.base/$pkg=ALL-UNNAMED")
done
cp_jars="$SPARK_HOME/jars/*"
log="-Dlog4j.configuration=file:$TTC_HOME/conf/log4j-cluster.properties"
role="${1:-submit}"; [ $# -gt 0 ] && shift
case "$role" in
  master)
    exec java -Xmx1g "${opens[@]}" "$log" -cp "$cp_jars" org.apache.spark.deploy.master.Master \
      --host "$(hostname)" --port 7077 --webui-port 8080 ;;
  worker)
    exec java -Xmx1g "${opens[@]}" "$log" -cp "$cp_jars" org.apache.spark.deploy.worker.Worker \
      --cores "${TTC_WORKER_CORES:-2}" --memory "${TTC_WORKER_MEMORY:-8g}" \
      --work-dir "$TTC_HOME/work" --webui-port 8081 "$@" ;;
  submit)
    master=()
    [ -n "${TTC_MASTER:-}" ] && master=("spark.master=$TTC_MASTER")
    exec java -Xmx"${TTC_DRIVER_MEMORY:-8g}" "${opens[@]}" \
      -Dlog4j.configuration="file:$TTC_HOME/conf/log4j.properties" -cp "$cp_jars" \
      org.apache.spark.deploy.SparkSubmit --class org.ttcspark.cli.Main \
      "$TTC_HOME/lib/ttc-spark.jar" "$@" "${master[@]+"${master[@]}"}" ;;
  *)
    echo "usage: entrypoint.sh master | worker spark://host:7077 | submit <command> [args]" >&2
    exit 2 ;;
esac
