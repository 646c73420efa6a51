"""Where one training (or inference) step of ResNet-50 spends its time, by op type.

For each side (the course's ResNet-50 and its same-architecture keras_hub peer, built
as in ``resnet-lesson bench --only model``), a few steps run after a warm-up under
TensorFlow's profiler; the trace's host ops are summed by TensorFlow op type
(convolutions under oneDNN's names, batch norm's Mean/Sub/Mul..., Relu, AddV2, Pad) and by Keras
layer type of the layer that issued them. The sides alternate (ours, peer, ours, ...)
so load drifts alike. TensorFlow backend, CPU. Prints a table and one line
``PROFILE-JSON {...}``.

    python benchmarks/profile_step.py [--mode train|infer] [--image-size 224] [--batch 8]
        [--steps 3] [--repeats 2] [--json-out PATH]
"""

import argparse
import collections
import glob
import json
import os
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def _op_times(logdir):
    """``{(op name, op type): seconds}`` summed over the host plane's TF op events."""
    from tensorflow.tsl.profiler.protobuf import xplane_pb2

    totals = collections.Counter()
    for path in glob.glob(os.path.join(logdir, "**", "*.xplane.pb"), recursive=True):
        space = xplane_pb2.XSpace()
        space.ParseFromString(Path(path).read_bytes())
        for plane in space.planes:
            if not plane.name.startswith("/host:CPU"):
                continue
            for line in plane.lines:
                # The executor's threads: one event per op kernel run, named
                # "scope/op_name:OpType"; "Class::method" events are the executor's own.
                if not line.name.startswith("tf_Compute"):
                    continue
                for event in line.events:
                    name = plane.event_metadata[event.metadata_id].name
                    if ":" not in name or "::" in name:
                        continue
                    op_name, op_type = name.rsplit(":", 1)
                    if not op_type or " " in op_type:
                        continue
                    totals[(op_name, op_type)] += event.duration_ps * 1e-12
    return totals


def _layer_types(model):
    """``{layer name: layer class name}`` for mapping op names to layers."""
    return {layer.name: type(layer).__name__ for layer in model.layers}


def _layer_of(op_name, layer_types):
    # Ops run under the layer's name scope, which TensorFlow may suffix: conv2d_4_2.
    for part in op_name.split("/"):
        if part in layer_types:
            return layer_types[part]
        stem = re.sub(r"_\d+$", "", part)
        if stem in layer_types:
            return layer_types[stem]
    if re.match(r"sgd(_\d+)?/", op_name, re.IGNORECASE):  # the second model's is sgd_1/
        return "(optimizer)"
    return "(outside layers: keras.ops between layers, loss)"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("train", "infer"), default="train")
    parser.add_argument("--image-size", type=int, default=224)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=2, help="alternating profiled rounds")
    parser.add_argument("--json-out", default=None)
    args = parser.parse_args(argv)

    import keras
    import numpy as np
    import tensorflow as tf

    from resnet_lesson.bench.common import environment_line, load_average
    from resnet_lesson.bench.model import _compile, build_sides

    sides = ("ours", "keras_hub")
    models, counts = build_sides(sides, args.image_size, 1000)
    for model in models.values():
        _compile(model, "auto")
    rng = np.random.default_rng(0)
    x = tf.constant(
        rng.uniform(0, 1, (args.batch, args.image_size, args.image_size, 3)), tf.float32
    )
    y = tf.constant(rng.integers(0, 1000, (args.batch,)), tf.int32)

    def step(model):
        if args.mode == "train":
            model.train_on_batch(x, y)
        else:
            keras.ops.convert_to_numpy(model.predict_on_batch(x))

    for model in models.values():
        for _ in range(2):
            step(model)
    by_op = {side: collections.Counter() for side in sides}
    by_layer = {side: collections.Counter() for side in sides}
    repeat_ms = {side: [] for side in sides}  # all ops of each profiled round, per step
    load_before = load_average()
    for _ in range(args.repeats):
        for side in sides:
            with tempfile.TemporaryDirectory() as logdir:
                tf.profiler.experimental.start(logdir)
                for _ in range(args.steps):
                    step(models[side])
                tf.profiler.experimental.stop()
                layers = _layer_types(models[side])
                times = _op_times(logdir)
                repeat_ms[side].append(sum(times.values()) / args.steps * 1e3)
                for (op_name, op_type), seconds in times.items():
                    by_op[side][op_type] += seconds
                    by_layer[side][_layer_of(op_name, layers)] += seconds
    n = args.repeats * args.steps

    def table(title, counters):
        keys = sorted(set().union(*counters.values()), key=lambda k: -counters["ours"][k])
        print(f"\n{title} (ms per step, summed over ops; mean of {n} profiled steps)")
        print(f"  {'':44s} {'ours':>9s} {'keras_hub':>9s} {'ours-peer':>9s}")
        for key in keys:
            o, p = counters["ours"][key] / n * 1e3, counters["keras_hub"][key] / n * 1e3
            if max(o, p) >= 0.5:
                print(f"  {key[:44]:44s} {o:9.1f} {p:9.1f} {o - p:+9.1f}")
        o = sum(counters["ours"].values()) / n * 1e3
        p = sum(counters["keras_hub"].values()) / n * 1e3
        print(f"  {'all ops':44s} {o:9.1f} {p:9.1f} {o - p:+9.1f}")

    print(environment_line())
    print(
        f"mode {args.mode}, {args.image_size}x{args.image_size}, batch {args.batch}; "
        f"params {counts['ours']['params']:,} both"
    )
    for side in sides:
        rounds = ", ".join(f"{ms:.0f}" for ms in repeat_ms[side])
        print(f"  all ops per step, each profiled round, {side}: {rounds} ms")
    table("by TensorFlow op type", by_op)
    table("by Keras layer type", by_layer)
    report = {
        "environment": environment_line(),
        "mode": args.mode,
        "image_size": args.image_size,
        "batch": args.batch,
        "profiled_steps_per_side": n,
        "all_ops_ms_per_step_each_round": repeat_ms,
        "load_average": {"before": load_before, "after": load_average()},
        "ms_per_step_by_op_type": {
            s: {k: v / n * 1e3 for k, v in c.items()} for s, c in by_op.items()
        },
        "ms_per_step_by_layer_type": {
            s: {k: v / n * 1e3 for k, v in c.items()} for s, c in by_layer.items()
        },
    }
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(report, indent=2) + "\n")
    print("PROFILE-JSON " + json.dumps(report))


if __name__ == "__main__":
    main()
