"""The ``resnet-lesson`` command: one subcommand per module that does the work.

Each subcommand module defines ``add_arguments(parser)`` and ``run(args) -> int``;
they are imported only when chosen, so ``resnet-lesson --help`` stays quick.
"""

import argparse
import importlib
import sys

SUBCOMMANDS = {
    "grade": ("resnet_lesson.grading.command", "grade a learner's notebook locally with nbgrader"),
    "grade-class": (
        "resnet_lesson.grading.grade_class.command",
        "grade a whole class (submitted/), in parallel, isolated and resumable",
    ),
    "bench": ("resnet_lesson.bench.command", "benchmark the course against its peers side by side"),
    "release": ("resnet_lesson.release.command", "regenerate notebooks from chapters/"),
    "site": ("resnet_lesson.site.build", "build the course website (Jupyter Book 2) into _site/"),
}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="resnet-lesson", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    argv = sys.argv[1:] if argv is None else argv
    chosen = next((a for a in argv if not a.startswith("-")), None)
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        # No abbreviations: `bench --round 3` would silently mean `--rounds 3`.
        sub_parser = sub.add_parser(name, help=help_text, description=help_text, allow_abbrev=False)
        if name == chosen:
            module = importlib.import_module(module_name)
            module.add_arguments(sub_parser)
            sub_parser.set_defaults(run=module.run)
    args = parser.parse_args(argv)
    return args.run(args)


def run_as_module(subcommand):
    """``python -m resnet_lesson.<module> ARGS`` is ``resnet-lesson SUBCOMMAND ARGS``."""
    sys.exit(main([subcommand, *sys.argv[1:]]))


if __name__ == "__main__":
    sys.exit(main())
