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
    results = training.run_setup(setup_name, verbose=2, compare=not args.no_compare)
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
