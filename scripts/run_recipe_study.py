"""Chapter 11's recipe comparison over many seeds, to a JSON file.

The notebook trains one seed of each recipe (the paper's SGD, the course's Adam, Adam
with zero-initialized branches) on a 20-layer residual stack; this script repeats the
same runs (same networks, same digits, same batches per seed) over more seeds, and
optionally deeper or longer. On a GPU TensorFlow uses it without being asked.

Usage::

    python scripts/run_recipe_study.py                          # 5 seeds, the chapter's settings
    python scripts/run_recipe_study.py --depth 56 --epochs 10 --seeds 10 -o deep.json

Output (``--output``, default docs/results/recipe_study.json): ``settings``,
``environment``, ``runs`` (one per recipe and seed: training loss, held-out error,
seconds) and ``summary`` (per recipe: mean training loss, mean held-out error, mean
seconds). The file is written once, at the end.
"""

import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def main(argv=None):
    from resnet_lesson.experiments import recipe

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depth", type=int, default=20, help="weighted layers (2 * blocks + 2)")
    parser.add_argument("--width", type=int, default=16)
    parser.add_argument("--epochs", type=int, default=4, help="the chapter trains 4")
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0 to N-1")
    parser.add_argument("-o", "--output", default=str(recipe.RECIPE_STUDY))
    args = parser.parse_args(argv)
    settings = dict(
        depth=args.depth, width=args.width, epochs=args.epochs, seeds=list(range(args.seeds))
    )
    start = time.perf_counter()
    runs = recipe.run_recipes(
        depth=args.depth, width=args.width, epochs=args.epochs, seeds=settings["seeds"]
    )
    record = recipe.study_record(runs, settings)
    record["seconds"] = time.perf_counter() - start
    with open(args.output, "w") as file:
        json.dump(record, file, indent=1)
    print(recipe.load_recipe_study(args.output))


if __name__ == "__main__":
    main()
