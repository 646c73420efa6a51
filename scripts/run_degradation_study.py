"""Chapter 1's degradation experiment at a larger scale, over many seeds, to a JSON file.

The notebook runs :func:`resnet_lesson.experiments.run_degradation` once, with small
settings that fit the continuous-integration budget. This script runs the same
experiment (same networks, same digits, same training loop) with more depths, more
epochs and more seeds, and records how often each ordering held. It is meant for a GPU
(TensorFlow uses one automatically when it sees one) or a long CPU run. ``--small`` is a
smoke run of a minute or two that checks the pipeline and the file; its nets are too
shallow and too briefly trained to show the effect.

Usage::

    python scripts/run_degradation_study.py                      # the full study
    python scripts/run_degradation_study.py --small -o small.json
    python scripts/run_degradation_study.py --depths 8 20 56 110 --epochs 30 --seeds 0-9
    python scripts/run_degradation_study.py --epochs 4 --depths 8 20 56   # the chapter's settings

Output: one JSON object (``--output``, default ``degradation_study.json``; the numbers
below only show the layout)::

    {
      "settings": {"depths": [...], "width": 16, "epochs": 10, "batch_size": 64,
                   "learning_rate": 0.003, "optimizer": "adam", "num_train": 1797,
                   "seeds": [0, 1, ...],          # the seeds finished
                   "planned_seeds": [0, 1, ...]},  # the seeds asked for
      "environment": {"tensorflow": "2.21.0", "keras": "3.15.1",
                      "devices": ["/physical_device:CPU:0", ...]},
      "runs": [                         # one per seed, in order
        {"seed": 0, "seconds": 61.2,
         "checks": {"plain_degrades": true, "plain_monotonic": true,
                    "residual_degrades": false, "residual_beats_plain": true},
         "plain":    {"final_train_loss": [...], "final_train_error": [...],
                      "epoch_losses": [[...], ...], "step_losses": [[...], ...],
                      "num_params": [...], "seconds": [...]},
         "residual": {... the same keys ...}},
        ...
      ],
      "summary": {"num_seeds": 20,
                  "held": {"plain_degrades": 20, "plain_monotonic": 19,
                           "residual_degrades": 0, "residual_beats_plain": 20},
                  "final_train_error": {"plain": {"mean": [...], "min": [...], "max": [...]},
                                        "residual": {...}},
                  "final_train_loss": {... the same layout ...}},
      "seconds": 612.0
    }

Lists inside ``plain`` and ``residual`` are aligned with ``settings.depths``.
``final_train_loss`` / ``final_train_error`` are measured after training on all
training images in one batch (batch norm using their statistics, see
``resnet_lesson.experiments.evaluate``); ``epoch_losses`` and ``step_losses`` are the training
losses seen during training. ``held`` counts the seeds for which each check was true
(``residual_degrades`` is the one that should stay at 0). ``--no-step-losses`` leaves the
per-step curves out to keep the file small. The file is rewritten after every seed, so
an interrupted run keeps what it finished.
"""

import argparse
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

SMALL = dict(depths=[4, 8, 14], width=8, epochs=2, batch_size=64, num_train=512, seeds=[0, 1])


def parse_seeds(text):
    """``"0-4"`` -> [0, 1, 2, 3, 4]; ``"0,3,7"`` -> [0, 3, 7]; both may mix."""
    seeds = []
    for part in text.split(","):
        if "-" in part:
            first, last = part.split("-")
            seeds.extend(range(int(first), int(last) + 1))
        elif part:
            seeds.append(int(part))
    return seeds


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--depths",
        type=int,
        nargs="+",
        default=[8, 20, 32, 44, 56, 110],
        help="depths (even, >= 4) to train, plain and residual",
    )
    parser.add_argument("--width", type=int, default=16, help="channels of every conv")
    parser.add_argument(
        "--epochs",
        type=int,
        default=10,
        help="the chapter trains 4; more shows whether the gap persists",
    )
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--learning-rate", type=float, default=3e-3)
    parser.add_argument("--optimizer", choices=["adam", "sgd"], default="adam")
    parser.add_argument(
        "--dataset",
        choices=["digits", "fashion-mnist-8x8"],
        default="digits",
        help="the digits, or Fashion-MNIST shrunk to 8x8 (too many images to memorize)",
    )
    parser.add_argument(
        "--decay",
        action="store_true",
        help="lower the learning rate to zero along a cosine (a long run that ends settled)",
    )
    parser.add_argument(
        "--num-train",
        type=int,
        default=None,
        help="use only the first N digits (default: all 1,797)",
    )
    parser.add_argument(
        "--seeds",
        type=parse_seeds,
        default=parse_seeds("0-19"),
        help="seeds as '0-19' or '0,4,7' (default 0-19)",
    )
    parser.add_argument(
        "--small", action="store_true", help=f"a quick smoke run: {SMALL} (overrides those options)"
    )
    parser.add_argument(
        "--no-step-losses",
        action="store_true",
        help="leave the per-step training losses out of the file",
    )
    parser.add_argument("-o", "--output", default="degradation_study.json")
    args = parser.parse_args(argv)
    if args.small:
        for key, value in SMALL.items():
            setattr(args, key, value)
    return args


def main(argv=None):
    args = parse_args(argv)
    import keras
    import tensorflow as tf

    from resnet_lesson import experiments

    settings = dict(
        depths=args.depths,
        width=args.width,
        epochs=args.epochs,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        optimizer=args.optimizer,
        num_train=args.num_train,
        decay=args.decay,
        dataset=args.dataset,
    )
    output = {
        # "seeds": the seeds finished so far (an interrupted run says so); "planned_seeds":
        # the ones asked for.
        "settings": dict(settings, seeds=[], planned_seeds=args.seeds),
        "environment": {
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "devices": [device.name for device in tf.config.list_physical_devices()],
        },
        "runs": [],
    }
    start = time.perf_counter()
    for seed in args.seeds:
        results = experiments.run_degradation(seed=seed, **settings)
        output["settings"]["num_train"] = results["settings"]["num_train"]
        run = {"seed": seed, "seconds": results["seconds"], "checks": results["checks"]}
        for kind in experiments.KINDS:
            per_kind = dict(results[kind])
            if args.no_step_losses:
                del per_kind["step_losses"]
            else:
                per_kind["step_losses"] = [losses.tolist() for losses in per_kind["step_losses"]]
            run[kind] = per_kind
        output["runs"].append(run)
        output["settings"]["seeds"].append(seed)
        output["summary"] = experiments.degradation.summarize_runs(output["runs"])
        output["seconds"] = time.perf_counter() - start
        with open(args.output, "w") as f:
            json.dump(output, f, indent=1)
        print(
            f"seed {seed}: {results['checks']} "
            f"plain error {[round(e, 4) for e in results['plain']['final_train_error']]} "
            f"residual error {[round(e, 4) for e in results['residual']['final_train_error']]} "
            f"({results['seconds']:.0f} s)",
            flush=True,
        )
    held = output["summary"]["held"]
    print(
        f"{len(args.seeds)} seeds, depths {args.depths}: "
        + ", ".join(f"{key} held in {count} of {len(args.seeds)}" for key, count in held.items())
    )
    print(f"wrote {args.output} ({output['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
