"""Train chapter 11's GPU setup and write its results where the notebook finds them.

    python scripts/train_gpu.py                     # "gpu-cifar10": needs a GPU and the network
    python scripts/train_gpu.py --setup cpu-digits  # the CPU setup, e.g. to try the script

CIFAR-10 comes from ``keras.datasets`` (about 170 MB, downloaded on first use), so this
runs on Colab or a GPU machine with network access, not in CI. It trains the full-width
ResNet-18 with mixed precision (float16 compute, float32 weights), then the
plain-vs-residual pair at equal depth, and writes a JSON file (accuracy, seconds,
learning curves, device, versions) to ``docs/results/ch11_gpu_cifar10.json``; chapter 11
shows that file, labelled as produced elsewhere, when it exists.
"""

import argparse
import datetime
import json
import os
import platform
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run_setup(setup_name="auto", verbose=2, compare=True, log=print):
    """Train the chosen setup end to end; return a JSON-ready results dict."""
    import keras
    import tensorflow as tf

    from resnet_lesson import data, model_variants, training

    name, settings = training.resolve_setup(setup_name)
    if settings["mixed_precision"]:
        keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        splits = data.load_splits(settings)
        results = {
            "setup": name,
            "settings": settings,
            "sizes": splits.sizes(),
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "devices": [d.name for d in tf.config.list_logical_devices() if d.device_type == "GPU"]
            or ["CPU"],
        }
        resnet, model = model_variants.build_model(settings)
        results["parameters"] = model.count_params()
        datasets = {
            part: training.make_dataset(
                split.images,
                split.labels,
                resnet.preprocess,
                settings["batch_size"],
                is_training=part == "train",
            )
            for part, split in (
                ("train", splits.train),
                ("validation", splits.validation),
                ("test", splits.test),
            )
        }
        log(f"{name}: {model.name}, {model.count_params():,} parameters, {splits.sizes()} images")
        result = training.train(
            model,
            datasets["train"],
            datasets["validation"],
            settings["epochs"],
            settings["learning_rate"],
            verbose=verbose,
        )
        test_loss, test_accuracy = model.evaluate(datasets["test"], verbose=0)
        results.update(
            train_seconds=result.seconds,
            epochs=result.epochs,
            test_accuracy=float(test_accuracy),
            test_loss=float(test_loss),
            history={k: [float(v) for v in vals] for k, vals in result.history.items()},
        )
        log(f"test accuracy {test_accuracy:.4f} after {result.seconds:.1f} s")
        if compare:
            results["comparison"] = {}
            for label, model_class in (
                ("residual", model_variants.CourseResNet),
                ("plain", model_variants.PlainNet),
            ):
                _, twin = model_variants.build_model(
                    settings,
                    model_class,
                    num_layers=settings["comparison_layers"],
                    filters_initial=settings["comparison_filters"],
                )
                twin_result = training.train(
                    twin,
                    datasets["train"],
                    datasets["validation"],
                    settings["comparison_epochs"],
                    settings["learning_rate"],
                    verbose=verbose,
                )
                _, twin_accuracy = twin.evaluate(datasets["test"], verbose=0)
                results["comparison"][label] = dict(
                    layers=settings["comparison_layers"],
                    parameters=twin.count_params(),
                    seconds=twin_result.seconds,
                    test_accuracy=float(twin_accuracy),
                    history={
                        k: [float(v) for v in vals] for k, vals in twin_result.history.items()
                    },
                )
                log(
                    f"{label}-{settings['comparison_layers']}: test accuracy "
                    f"{twin_accuracy:.4f} after {twin_result.seconds:.1f} s"
                )
        return results
    finally:
        keras.mixed_precision.set_global_policy("float32")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--setup",
        default="gpu-cifar10",
        help="a TRAINING_SETUPS name, or 'auto' (default: gpu-cifar10)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="results file (default: docs/results/ch11_gpu_cifar10.json for "
        "gpu-cifar10, docs/results/ch11_<setup>.json otherwise)",
    )
    parser.add_argument("--no-compare", action="store_true", help="skip the plain-vs-residual pair")
    parser.add_argument(
        "--allow-cpu",
        action="store_true",
        help="run the GPU setup even when no GPU is found (slow)",
    )
    args = parser.parse_args(argv)

    import tensorflow as tf

    from resnet_lesson import training

    setup_name, _ = training.resolve_setup(args.setup)
    gpus = tf.config.list_physical_devices("GPU")
    if setup_name == "gpu-cifar10" and not gpus and not args.allow_cpu:
        parser.error(
            "no GPU found; pass --allow-cpu to run the GPU setup anyway, or --setup cpu-digits"
        )
    results = run_setup(setup_name, verbose=2, compare=not args.no_compare)
    gpu_names = []
    for gpu in gpus:
        try:
            gpu_names.append(
                tf.config.experimental.get_device_details(gpu).get("device_name", gpu.name)
            )
        except Exception:
            gpu_names.append(gpu.name)
    results.update(
        produced_by="scripts/train_gpu.py",
        produced_at=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        device=", ".join(gpu_names) or f"CPU ({os.cpu_count()} cores)",
        python=platform.python_version(),
    )
    output = args.output
    if output is None:
        output = (
            training.GPU_RESULTS_PATH
            if setup_name == "gpu-cifar10"
            else ROOT / "docs" / "results" / f"ch11_{setup_name}.json"
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=1) + "\n")
    print(
        f"{setup_name}: test accuracy {results['test_accuracy']:.4f} after "
        f"{results['train_seconds']:.0f} s of training on {results['device']}; "
        f"wrote {output}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
