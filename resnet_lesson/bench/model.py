"""The model part of ``resnet-lesson bench``: training and inference throughput of the
course's ResNet-50 against its peers (:mod:`resnet_lesson.bench.peers`).

Every side gets the same input size, batch, optimizer (SGD, momentum 0.9), loss (sparse
categorical cross-entropy on logits), dtype policy and ``jit_compile`` setting, and a
fixed random batch already converted to the backend's tensors. After untimed warm-up
steps (tracing, compilation) the sides take turns, a round of ``steps`` steps each,
for at least ``rounds`` rounds and then until the median of the per-round ratios
against the main peer is stable within ``stable_within`` (or ``max_rounds``). The
reported ratio is that median, ``ours / peer``: above 1 the course model is faster.

It imports only Keras (and keras_hub), never TensorFlow directly, so it also runs with
``KERAS_BACKEND=jax`` on a machine without TensorFlow (``benchmarks/gpu_model.sh``).
"""

import time

from resnet_lesson.bench import peers as peer_networks
from resnet_lesson.bench.common import load_average, say
from resnet_lesson.bench.stats import (
    alternate_until,
    format_spread,
    median,
    ratio,
    round_ratios,
    spread,
)


def default_peers():
    """Both peers when keras-hub is installed, else ResNet50V2 alone."""
    if peer_networks.keras_hub_available():
        return peer_networks.PEERS
    return ("resnet50v2",)


def main_peer(peers):
    """The peer whose ratio is the headline: the first same-architecture one."""
    same = [p for p in peers if p in peer_networks.SAME_ARCHITECTURE]
    return (same or list(peers))[0]


def _compile(model, jit_compile):
    import keras

    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        jit_compile=jit_compile,
    )


def build_sides(sides, image_size, classes, precision="float32", builders=None):
    """Build every side under the dtype policy; check the same-architecture peers.

    Returns ``(models, counts)``. Raises :class:`peers.ArchitectureMismatch` before
    anything is timed if a same-architecture peer's counts differ from the course's.
    """
    import keras

    builders = builders or peer_networks.BUILDERS
    if precision != "float32":
        keras.mixed_precision.set_global_policy(precision)
    try:
        models = {side: builders[side](image_size, classes) for side in sides}
    finally:
        if precision != "float32":
            # The models keep their policy; later code in this process gets the default.
            keras.mixed_precision.set_global_policy("float32")
    counts = {side: peer_networks.counts(model) for side, model in models.items()}
    for side in sides:
        if side in peer_networks.SAME_ARCHITECTURE:
            peer_networks.check_same_architecture(side, counts["ours"], counts[side])
    return models, counts


def compare(per_round, peers, multiply_adds, confidence=0.95):
    """The ratios of one mode from its per-round images/s (``{side: [...]}``)."""
    result = {}
    for peer in peers:
        paired = round_ratios(per_round["ours"], per_round[peer])
        summary = spread(paired, confidence)
        work = ratio(multiply_adds["ours"], multiply_adds[peer])
        result[peer] = {
            "same_architecture": peer in peer_networks.SAME_ARCHITECTURE,
            "ratio": summary["median"],
            "ratio_of_medians": ratio(median(per_round["ours"]), median(per_round[peer])),
            "per_multiply_add": summary["median"] * work,
            "round_ratios": paired,
            "spread": summary,
        }
    return result


def bench_model(
    image_size=224,
    batch=8,
    classes=1000,
    rounds=15,
    max_rounds=40,
    stable_within=0.03,
    steps=2,
    warmup=2,
    jit_compile="auto",
    precision="float32",
    modes=("train", "infer"),
    peers=None,
    builders=None,
    quiet=False,
):
    """Throughput of the course's ResNet-50 against its peers; returns a dict."""
    import keras
    import numpy as np

    peers = tuple(peers or default_peers())
    main = main_peer(peers)
    sides = ("ours", *peers)
    models, counts = build_sides(sides, image_size, classes, precision, builders)
    for model in models.values():
        _compile(model, jit_compile)

    rng = np.random.default_rng(0)
    x = keras.ops.convert_to_tensor(
        rng.uniform(0.0, 1.0, (batch, image_size, image_size, 3)).astype("float32")
    )
    y = keras.ops.convert_to_tensor(rng.integers(0, classes, (batch,)).astype("int32"))

    def block(output):
        # Make sure asynchronous backends (JAX on a GPU) have finished the step.
        if hasattr(output, "block_until_ready"):
            output.block_until_ready()
        else:
            keras.ops.convert_to_numpy(output)

    def train_step(model):
        return model.train_on_batch(x, y)  # returns numpy floats: already synchronised

    def infer_step(model):
        block(model.predict_on_batch(x))

    step_fns = {"train": train_step, "infer": infer_step}
    multiply_adds = {side: c["multiply_adds"] for side, c in counts.items()}
    result = {
        "backend": keras.backend.backend(),
        "device": keras_device(),
        "image_size": image_size,
        "batch": batch,
        "classes": classes,
        "min_rounds": rounds,
        "max_rounds": max_rounds,
        "stable_within": stable_within,
        "steps_per_round": steps,
        "warmup_steps": warmup,
        "jit_compile": jit_compile,
        "precision": precision,
        "sides": list(sides),
        "main_peer": main,
        "labels": {side: peer_networks.LABELS[side] for side in sides},
        "params": {side: c["params"] for side, c in counts.items()},
        "multiply_adds": multiply_adds,
        "modes": {},
    }
    for mode in modes:
        step = step_fns[mode]
        for side in sides:
            start = time.perf_counter()
            for _ in range(warmup):
                step(models[side])
            say(f"  {mode} warm-up {side}: {time.perf_counter() - start:.1f} s", quiet)

        def measure(side, step=step, mode=mode):
            model = models[side]
            start = time.perf_counter()
            for _ in range(steps):
                step(model)
            images_per_s = batch * steps / (time.perf_counter() - start)
            say(f"    {mode} {side}: {images_per_s:.2f} img/s", quiet)
            return images_per_s

        def stable(results):
            within = spread(round_ratios(results["ours"], results[main]))["stable_within"]
            return within is not None and within <= stable_within

        load_before = load_average()
        per_round = alternate_until(sides, measure, rounds, max_rounds, stable)
        ratios = compare(per_round, peers, multiply_adds)
        result["modes"][mode] = {
            "images_per_s": {side: median(values) for side, values in per_round.items()},
            "rounds": per_round,
            "rounds_run": len(per_round["ours"]),
            "ratio": ratios[main]["ratio"],
            "peers": ratios,
            "load_average": {"before": load_before, "after": load_average()},
        }
    return result


def keras_device():
    import keras

    backend = keras.backend.backend()
    if backend == "jax":
        import jax

        device = jax.devices()[0]
        return f"{device.platform}: {getattr(device, 'device_kind', device)}"
    if backend == "tensorflow":
        import tensorflow as tf

        return "gpu" if tf.config.list_physical_devices("GPU") else "cpu"
    return backend


def _giga(value):
    return f"{value / 1e9:.2f} G"


def format_model(result):
    peers = [side for side in result["sides"] if side != "ours"]
    lines = [
        f"model: the course's ResNet-50 v2 against {', '.join(peers)} "
        f"({result['backend']} on {result['device']}, {result['image_size']}x"
        f"{result['image_size']}, batch {result['batch']}, {result['precision']}, "
        f"jit_compile={result['jit_compile']}; alternating rounds of "
        f"{result['steps_per_round']} steps, at least {result['min_rounds']}, until the "
        f"median ratio is stable within {result['stable_within']:.0%} or "
        f"{result['max_rounds']} rounds)",
    ]
    for side in result["sides"]:
        same = (
            " (same architecture: counts checked)"
            if side in peer_networks.SAME_ARCHITECTURE
            else ""
        )
        lines.append(
            f"  {side}: {result['params'][side]:,} parameters, "
            f"{_giga(result['multiply_adds'][side])} multiply-adds per image{same}; "
            f"{result['labels'][side]}"
        )
    for note in result.get("notes", []):
        lines.append(f"  note: {note}")
    for mode, data in result["modes"].items():
        ips = data["images_per_s"]
        load = data.get("load_average") or {}
        load_text = ""
        if load.get("before") and load.get("after"):
            load_text = f"; load average {load['before'][0]:.2f} -> {load['after'][0]:.2f}"
        lines.append(
            f"  {mode}: "
            + ", ".join(f"{side} {ips[side]:.2f} img/s" for side in result["sides"])
            + f" (medians of {data['rounds_run']} rounds{load_text})"
        )
        for peer, comparison in data["peers"].items():
            summary = format_spread(comparison["spread"])
            if comparison["same_architecture"]:
                lines.append(
                    f"    ratio {mode} throughput (ours/{peer}, same architecture): "
                    f"{comparison['ratio']:.3f}  [per round: {summary}]"
                )
            else:
                lines.append(
                    f"    ratio {mode} throughput (ours/{peer}) per multiply-add: "
                    f"{comparison['per_multiply_add']:.3f}  [plain ratio "
                    f"{comparison['ratio']:.3f}, per round: {summary}]"
                )
    return "\n".join(lines)
