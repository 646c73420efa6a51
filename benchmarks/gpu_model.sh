#!/bin/bash
# The model part of `resnet-lesson bench` on a GPU machine that has JAX but no
# TensorFlow (the lent H100/H200 of this workplace): Keras 3 runs on its JAX backend,
# which compiles every train and predict step with XLA. Keras and the packages it needs
# that the machine lacks (namex, optree) travel as wheels in .whl/; so do keras-hub and
# what `import keras_hub` imports (regex, tokenizers, and what those need), fetched here
# for the machine's Python, e.g.
#   pip download --no-deps --only-binary=:all: --python-version 3.12 -d .whl \
#     keras==3.15.1 namex optree keras-hub==0.32.0 regex==2026.11.19 tokenizers==0.23.3
# Without keras_hub there, the bench times ResNet50V2 alone and says so.
#   usage: bash benchmarks/gpu_model.sh [OUTDIR]      (OUTDIR defaults to $OUT or /tmp/bench)
#   env: BENCH_PRECISIONS, BENCH_SIZE, BENCH_BATCH, BENCH_ROUNDS, BENCH_MAX_ROUNDS,
#        BENCH_STEPS, BENCH_TIMEOUT (seconds per precision)
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
    --rounds "${BENCH_ROUNDS:-10}" --max-rounds "${BENCH_MAX_ROUNDS:-20}" \
    --steps "${BENCH_STEPS:-10}" --warmup 2 --precision "$precision" \
    --json-out "$out/model_$precision.json" 2>&1 \
    | grep -v -e '^WARNING: All log' -e 'cuda_' | tee "$out/log_$precision.txt"
done
