#!/usr/bin/env bash
# Entry point of the ttc-spark image:
#   master                      a Spark standalone master on port 7077 (UI 8080)
#   worker spark://host:7077    a worker (TTC_WORKER_CORES, TTC_WORKER_MEMORY)
#   submit <command> [args]     a ttc command through spark-submit, client mode; the master is
#                               TTC_MASTER (default local[*])
#   driver [spark-submit args]  the driver pod that Spark's Kubernetes backend starts
#                               (spark-submit --master k8s://... --deploy-mode cluster)
#   executor                    an executor pod of that backend (its SPARK_* environment)
# With TTC_ENTRYPOINT_PRINT=1 the command is printed, one argument per line, instead of run.
set -euo pipefail
run() {
  if [ -n "${TTC_ENTRYPOINT_PRINT:-}" ]; then printf '%s\n' "$@"; else exec "$@"; fi
}
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
    run java -Xmx1g "${opens[@]}" "$log" -cp "$cp_jars" org.apache.spark.deploy.master.Master \
      --host "$(hostname)" --port 7077 --webui-port 8080 ;;
  worker)
    run java -Xmx1g "${opens[@]}" "$log" -cp "$cp_jars" org.apache.spark.deploy.worker.Worker \
      --cores "${TTC_WORKER_CORES:-2}" --memory "${TTC_WORKER_MEMORY:-8g}" \
      --work-dir "$TTC_HOME/work" --webui-port 8081 "$@" ;;
  submit)
    master=()
    [ -n "${TTC_MASTER:-}" ] && master=("spark.master=$TTC_MASTER")
    heap=3g; [ "${1:-}" = demo ] && heap=2g  # as submit/ttc: the demo fits 2g
    run java -Xmx"${TTC_DRIVER_MEMORY:-$heap}" "${opens[@]}" \
      -Dlog4j.configuration="file:$TTC_HOME/conf/log4j.properties" -cp "$cp_jars" \
      org.apache.spark.deploy.SparkSubmit --class org.ttcspark.cli.Main \
      "$TTC_HOME/lib/ttc-spark.jar" "$@" "${master[@]+"${master[@]}"}" ;;
  driver)
    # Spark 2.4's Kubernetes backend starts the driver pod as "driver <spark-submit args>" and
    # expects client mode inside it, bound to the pod's address.
    : "${SPARK_DRIVER_BIND_ADDRESS:?the driver pod needs SPARK_DRIVER_BIND_ADDRESS (set by Spark)}"
    run java -Xmx"${SPARK_DRIVER_MEMORY:-${TTC_DRIVER_MEMORY:-3g}}" "${opens[@]}" \
      -Dlog4j.configuration="file:$TTC_HOME/conf/log4j-cluster.properties" -cp "$cp_jars" \
      org.apache.spark.deploy.SparkSubmit \
      --conf "spark.driver.bindAddress=$SPARK_DRIVER_BIND_ADDRESS" --deploy-mode client "$@" ;;
  executor)
    # The executor pods get their role from the environment Spark sets; the JVM options it
    # passes (SPARK_JAVA_OPT_0, _1, ...) keep their order.
    for v in SPARK_DRIVER_URL SPARK_EXECUTOR_ID SPARK_EXECUTOR_CORES SPARK_APPLICATION_ID \
             SPARK_EXECUTOR_POD_IP SPARK_EXECUTOR_MEMORY; do
      [ -n "${!v:-}" ] || { echo "entrypoint.sh executor: $v is not set (Spark sets it in executor pods)" >&2; exit 2; }
    done
    java_opts=()
    while IFS= read -r opt; do java_opts+=("$opt"); done < <(
      env | grep '^SPARK_JAVA_OPT_' | sort -t_ -k4 -n | sed 's/^[^=]*=//')
    executor_cp="$cp_jars"
    [ -n "${SPARK_CLASSPATH:-}" ] && executor_cp="$SPARK_CLASSPATH:$cp_jars"
    run java "${java_opts[@]+"${java_opts[@]}"}" "${opens[@]}" "$log" \
      -Xms"$SPARK_EXECUTOR_MEMORY" -Xmx"$SPARK_EXECUTOR_MEMORY" -cp "$executor_cp" \
      org.apache.spark.executor.CoarseGrainedExecutorBackend \
      --driver-url "$SPARK_DRIVER_URL" --executor-id "$SPARK_EXECUTOR_ID" \
      --cores "$SPARK_EXECUTOR_CORES" --app-id "$SPARK_APPLICATION_ID" \
      --hostname "$SPARK_EXECUTOR_POD_IP" ;;
  *)
    echo "usage: entrypoint.sh master | worker spark://host:7077 | submit <command> [args] | driver ... | executor" >&2
    exit 2 ;;
esac
