"""Merge saved degradation studies that trained the same nets with other seeds.

A long study is often run in pieces (one seed at a time, or on two machines). This
writes one study file from them, kept to the depths that every piece trained, with
its checks and summary computed again from the runs::

    python scripts/merge_degradation_studies.py seed0.json seeds12.json \\
        --depths 8 20 32 44 56 -o docs/results/degradation_fashion.json
"""

import argparse
import json
import sys
from pathlib import Path

from resnet_lesson.experiments.degradation import merge_studies
from resnet_lesson.experiments.saved import read_saved_study


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("studies", nargs="+", type=Path, help="study files to merge")
    parser.add_argument("--depths", type=int, nargs="+", required=True)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    studies = {path.name: read_saved_study(path) for path in args.studies}
    missing = [str(path) for path in args.studies if studies[path.name] is None]
    if missing:
        parser.error(f"no such study file: {', '.join(missing)}")
    try:
        merged = merge_studies(studies, args.depths)
    except ValueError as error:
        parser.error(str(error))
    args.output.write_text(json.dumps(merged, indent=1))
    print(f"wrote {args.output}: seeds {merged['settings']['seeds']}, depths {args.depths}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
