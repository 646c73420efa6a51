#!/bin/bash
# The model part of `resnet-lesson bench` on a GPU machine that has JAX but no
# TensorFlow (the lent H100/H200 of this workplace): Keras 3 runs on its JAX backend,
# which compiles every train and predict step with XLA. Keras and the two pure-Python
# packages it needs that the machine lacks (namex, optree) travel as wheels in .whl/.
#   usage: bash benchmarks/gpu_model.sh [OUTDIR]      (OUTDIR defaults to $OUT or /tmp/bench)
#   env: BENCH_PRECISIONS, BENCH_VARIANT (course | peer-strides), BENCH_SIZE, BENCH_BATCH,
#        BENCH_ROUNDS, BENCH_STEPS, BENCH_TIMEOUT (seconds per precision)
set -u
out=${1:-${OUT:-/tmp/bench}}
mkdir -p "$out"
if ! python3 -c "import keras" 2>/dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/site .whl/*.whl || exit 1
  export PYTHONPATH=/tmp/site
fi
export PYTHONPATH="${PYTHONPATH:+$PYTHONPATH:}$PWD" KERAS_BACKEND=jax PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader > "$out/gpu.txt" 2>&1
cat "$out/gpu.txt"
size=${BENCH_SIZE:-224}; batch=${BENCH_BATCH:-128}
for precision in ${BENCH_PRECISIONS:-float32 mixed_bfloat16}; do
  timeout "${BENCH_TIMEOUT:-240}" python3 -m resnet_lesson.cli bench --only model \
    --image-size "$size" --batch "$batch" --classes 1000 \
    --rounds "${BENCH_ROUNDS:-5}" --steps "${BENCH_STEPS:-10}" --warmup 2 \
    --precision "$precision" --variant "${BENCH_VARIANT:-course}" \
    --json-out "$out/model_${BENCH_VARIANT:-course}_$precision.json" 2>&1 \
    | grep -v -e '^WARNING: All log' -e 'cuda_' | tee "$out/log_${BENCH_VARIANT:-course}_$precision.txt"
done
