"""He et al.'s (2016b) ablations on the digits, over several seeds and depths, to JSON.

Chapters 4 and 5 train a small live version of each ablation
(``resnet_lesson.experiments.ablations.run_units``); this script runs the same networks,
digits and training loop for every unit kind, deeper, longer and over more seeds, and
saves what the chapters draw. On a GPU TensorFlow uses it without being asked.

Usage::

    python scripts/run_ablation_study.py shortcuts     # to docs/results/shortcut_study.json
    python scripts/run_ablation_study.py orderings --depths 20 56 110
    python scripts/run_ablation_study.py shortcuts --depths 20 --epochs 2 --seeds 1 -o smoke.json

Output: ``{"depths": {"56": record, ...}}`` where each record is
``experiments.ablations.to_record``: ``settings`` (kinds, depth, epochs, seeds, width,
batch size, learning rate, split sizes), ``environment``, ``runs`` (per kind, lists
over seeds: ``train_error``, ``train_loss``, ``test_error``, ``seconds``, and
``loss_curve``, the training loss averaged over 50 equal stretches of steps) and
``summary`` (per kind: mean, lowest and highest training and held-out error). The file
is rewritten after every depth, so an interrupted run keeps the depths it finished.
"""

import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

DEFAULTS = {
    "shortcuts": {"depths": [56], "epochs": 30},
    "orderings": {"depths": [20, 56, 110], "epochs": 30},
}


def main(argv=None):
    from resnet_lesson.experiments import ablations
    from resnet_lesson.experiments.unit_variants import ORDERINGS, SHORTCUTS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ablation", choices=sorted(DEFAULTS))
    parser.add_argument("--depths", type=int, nargs="+", help="weighted layers, 2 * units + 2")
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--seeds", type=int, default=3, help="seeds 0 to N-1")
    parser.add_argument("--kinds", nargs="+", help="a subset of the unit kinds")
    parser.add_argument("-o", "--output")
    args = parser.parse_args(argv)
    defaults = DEFAULTS[args.ablation]
    kinds = args.kinds or list(SHORTCUTS if args.ablation == "shortcuts" else ORDERINGS)
    output = args.output or str(ablations.STUDIES[args.ablation])
    study = {"depths": {}}
    start = time.perf_counter()
    for depth in args.depths or defaults["depths"]:
        results = ablations.run_units(
            args.ablation,
            kinds,
            depth,
            args.epochs or defaults["epochs"],
            seeds=range(args.seeds),
            verbose=True,
        )
        study["depths"][str(depth)] = ablations.to_record(results)
        study["seconds"] = time.perf_counter() - start
        with open(output, "w") as file:
            json.dump(study, file, indent=1)
        print(f"depth {depth} written to {output} ({results['seconds']:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
