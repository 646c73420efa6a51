"""Chapter 12's measurements: the classical baselines and the CIFAR ResNet's training on
Fashion-MNIST, with the course's reference class, printed as JSON lines.

The graded cell measures the baseline and trains the learner's class each time it runs;
this script measures the alternatives that chose its settings
(``docs/results/ch12_fashion_mnist.md``): other baselines and training subsets, other
depths, widths and epochs. Run it on an idle machine for timings that mean something.

Usage::

    python scripts/measure_capstone.py baselines --train-sizes 5000 10000
    python scripts/measure_capstone.py train                          # the graded settings
    python scripts/measure_capstone.py train --blocks-per-stage 3 --train-size 10000 --epochs 4 \
        --min-aspect-dim 32
"""

import argparse
import json
import time

import numpy as np

from resnet_lesson import capstone, training
from resnet_lesson.checks.cifar_layers import CifarReference
from resnet_lesson.fashion_mnist import load_fashion_mnist_splits


def baselines(train_sizes, svc_c=1.0):
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.svm import SVC

    for size in train_sizes:
        splits = load_fashion_mnist_splits(train_size=size, validation_size=2000)
        x = capstone.as_network_input(splits.train.images).reshape(len(splits.train), -1)
        x_test = capstone.as_network_input(splits.test.images).reshape(len(splits.test), -1)
        for name, classifier in (
            ("1-NN", KNeighborsClassifier(1, algorithm="brute")),
            ("5-NN distance", KNeighborsClassifier(5, weights="distance", algorithm="brute")),
            ("RBF SVC", SVC(C=svc_c)),
        ):
            start, cpu = time.perf_counter(), time.process_time()
            accuracy = classifier.fit(x, splits.train.labels).score(x_test, splits.test.labels)
            line = dict(method=name, train_size=len(x), test_accuracy=float(accuracy))
            line.update(seconds=time.perf_counter() - start, cpu_seconds=time.process_time() - cpu)
            print(json.dumps(line), flush=True)


def train(args):
    settings = dict(capstone.FASHION_SETTINGS, blocks_per_stage=args.blocks_per_stage)
    settings.update(filters=args.filters, epochs=args.epochs, learning_rate=args.learning_rate)
    # above 28, preprocess resizes up and crops 28x28 back (a random place when training)
    settings.update(min_aspect_dim=args.min_aspect_dim)
    splits = load_fashion_mnist_splits(
        train_size=args.train_size, validation_size=settings["validation_size"]
    )
    run = capstone.train_on(
        CifarReference,
        training.make_dataset,
        splits,
        settings,
        progress=None,
        seed=0,
        jit_compile={"machine": None, "on": True, "off": "auto"}[args.xla],
    )
    history = {k: [float(v) for v in vals] for k, vals in run.result.history.items()}
    line = dict(settings, train_size=len(splits.train), parameters=run.model.count_params())
    line.update(jit_compile=run.model.jit_compile)
    line.update(
        seconds=run.result.seconds,
        cpu_seconds=run.result.cpu_seconds,
        test_accuracy=run.test_accuracy,
        val_accuracy=history["val_accuracy"],
    )
    print(json.dumps(line, default=float), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    base = commands.add_parser("baselines")
    base.add_argument("--train-sizes", type=int, nargs="+", default=[5000, 10000, 58000])
    base.add_argument(
        "--svc-c", type=float, default=1.0, help="the SVC's C (10 for the full-set row)"
    )
    fit = commands.add_parser("train")
    fit.add_argument("--blocks-per-stage", type=int, default=1)
    fit.add_argument("--filters", type=int, default=16)
    fit.add_argument("--epochs", type=int, default=capstone.FASHION_SETTINGS["epochs"])
    fit.add_argument("--learning-rate", type=float, default=5e-3)
    fit.add_argument("--train-size", type=int, default=None)
    fit.add_argument("--min-aspect-dim", type=int, default=28)
    fit.add_argument(
        "--xla",
        choices=["machine", "on", "off"],
        default="machine",
        help="XLA for the training step: the graded rule for this machine (default), or not",
    )
    args = parser.parse_args()
    np.set_printoptions(precision=4)
    if args.command == "baselines":
        baselines(args.train_sizes, args.svc_c)
    else:
        train(args)


if __name__ == "__main__":
    main()
