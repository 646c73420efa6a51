"""``resnet-lesson bench``: its options and what runs them (``python -m
resnet_lesson.bench`` does the same)."""

import json
import os
import sys
import time
from pathlib import Path

from resnet_lesson.bench.common import environment_line, load_average, say, solution_notebooks

PARTS = ("model", "grading", "course", "checks")
# Run only when asked for (--only class): it grades a class twice, minutes on 2 cores.
ON_REQUEST = ("class",)


def add_arguments(parser):
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a fast smoke run with tiny settings (numbers mean little)",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=PARTS + ON_REQUEST,
        help="run only this part (repeatable); default: all four but class",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--json-out", metavar="PATH", default=None, help="also write the JSON report to PATH"
    )
    model = parser.add_argument_group("model part")
    model.add_argument(
        "--image-size", type=int, default=None, help="input size (default 224; --quick 32)"
    )
    model.add_argument("--batch", type=int, default=None, help="batch (default 8; --quick 2)")
    model.add_argument(
        "--classes", type=int, default=None, help="classes (default 1000; --quick 10)"
    )
    model.add_argument(
        "--peers",
        default=None,
        help="comma-separated: keras_hub (the same architecture; needs the bench extra), "
        "resnet50v2 (default: both, or resnet50v2 alone without keras-hub)",
    )
    model.add_argument(
        "--rounds",
        type=int,
        default=None,
        help="alternating rounds at least (default 15; --quick 2)",
    )
    model.add_argument(
        "--max-rounds",
        type=int,
        default=None,
        help="at most, while the median ratio is not stable yet (default 40; --quick: as --rounds)",
    )
    model.add_argument(
        "--stable-within",
        type=float,
        default=0.03,
        help="stop once the 95%% interval of the median per-round ratio against the main "
        "peer lies within this fraction of it (default 0.03)",
    )
    model.add_argument(
        "--steps", type=int, default=None, help="steps per round (default 2; --quick 1)"
    )
    model.add_argument(
        "--warmup",
        type=int,
        default=None,
        help="untimed steps per side first (default 2; --quick 1)",
    )
    model.add_argument(
        "--jit",
        choices=("auto", "on", "off"),
        default="auto",
        help="jit_compile for every model (default: Keras' auto)",
    )
    model.add_argument(
        "--precision",
        default="float32",
        choices=("float32", "mixed_float16", "mixed_bfloat16"),
        help="Keras dtype policy for every model",
    )
    model.add_argument(
        "--modes", default="train,infer", help="comma-separated: train, infer (default both)"
    )
    other = parser.add_argument_group("grading and course parts")
    other.add_argument(
        "--grading-rounds", type=int, default=None, help="alternating rounds (default 2; --quick 1)"
    )
    other.add_argument(
        "--chapters",
        nargs="*",
        default=None,
        help="chapter ids to grade/execute (default: all; --quick: the first)",
    )
    other.add_argument(
        "--no-training", action="store_true", help="skip chapter 11's time-to-target run"
    )
    checks = parser.add_argument_group("checks part (held-out answers)")
    checks.add_argument(
        "--answers-round",
        type=int,
        action="append",
        metavar="N",
        help="judge only the held-out answers of round N (repeatable; default: every round)",
    )
    group = parser.add_argument_group("class part (stock nbgrader autograde vs grade-class)")
    group.add_argument(
        "--class-chapters",
        nargs="+",
        default=None,
        help="chapters of the test class (default: ch03_custom_padding ch05_shortcut; "
        "--quick: the first of them)",
    )
    group.add_argument(
        "--class-learners",
        type=int,
        default=None,
        help="learners per chapter (default 20; --quick 2)",
    )
    group.add_argument("--class-jobs", type=int, default=2, help="grade-class --jobs (default 2)")
    group.add_argument(
        "--no-projection",
        action="store_true",
        help="skip one grading of every chapter, from which the 300-learner projection is "
        "made (--quick skips it too)",
    )


def _pick(value, normal, quick, is_quick):
    if value is not None:
        return value
    return quick if is_quick else normal


def _split(text):
    return tuple(item.strip() for item in text.split(",") if item.strip())


def _model_part(args, quiet):
    from resnet_lesson.bench.model import bench_model, default_peers, format_model
    from resnet_lesson.bench.peers import PEERS, ArchitectureMismatch, PeerUnavailable

    q = args.quick
    notes = []
    if args.peers:
        peers = _split(args.peers)
        unknown = [p for p in peers if p not in PEERS]
        if unknown:
            raise SystemExit(
                f"unknown peer(s) {', '.join(unknown)}; choose from {', '.join(PEERS)}"
            )
    else:
        peers = default_peers()
        if "keras_hub" not in peers:
            notes.append(
                "keras-hub is not installed, so the same-architecture peer was not timed "
                "(pip install -e '.[bench]')"
            )
    rounds = _pick(args.rounds, 15, 2, q)
    try:
        result = bench_model(
            image_size=_pick(args.image_size, 224, 32, q),
            batch=_pick(args.batch, 8, 2, q),
            classes=_pick(args.classes, 1000, 10, q),
            rounds=rounds,
            max_rounds=_pick(args.max_rounds, 40, rounds, q),
            stable_within=args.stable_within,
            steps=_pick(args.steps, 2, 1, q),
            warmup=_pick(args.warmup, 2, 1, q),
            jit_compile={"auto": "auto", "on": True, "off": False}[args.jit],
            precision=args.precision,
            modes=_split(args.modes),
            peers=peers,
            quiet=quiet,
        )
    except (ArchitectureMismatch, PeerUnavailable) as error:
        raise SystemExit(f"resnet-lesson bench: {error}") from error
    result["notes"] = notes
    return result, format_model(result)


def run(args):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    parts = args.only or list(PARTS)
    q = args.quick
    quiet = args.json
    report = {
        "environment": environment_line(),
        "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "command": "resnet-lesson bench " + " ".join(sys.argv[2:])
        if len(sys.argv) > 1 and sys.argv[1] == "bench"
        else None,
        "load_average_at_start": load_average(),
    }
    chapters = args.chapters
    if q and chapters is None:
        first = solution_notebooks()[:1]
        chapters = [p.parent.name for p in first]
    texts = []
    if "model" in parts:
        say("model part ...", quiet)
        report["model"], text = _model_part(args, quiet)
        texts.append(text)
    if "grading" in parts:
        from resnet_lesson.bench.grading import bench_grading, format_grading

        say("grading part ...", quiet)
        report["grading"] = bench_grading(
            rounds=_pick(args.grading_rounds, 2, 1, q), chapters=chapters, quiet=quiet
        )
        texts.append(format_grading(report["grading"]))
    if "course" in parts:
        from resnet_lesson.bench.course import bench_course, format_course

        say("course part ...", quiet)
        report["course"] = bench_course(
            chapters=chapters, training=not (args.no_training or q), quiet=quiet
        )
        texts.append(format_course(report["course"]))
    if "checks" in parts:
        from resnet_lesson.bench.check_accuracy import bench_checks, format_checks

        say("checks part ...", quiet)
        report["checks"] = bench_checks(quiet=quiet, rounds=args.answers_round)
        texts.append(format_checks(report["checks"]))
    if "class" in parts:
        from resnet_lesson.bench.class_grading import DEFAULT_CHAPTERS, bench_class, format_class

        say("class part ...", quiet)
        report["class"] = bench_class(
            chapters=args.class_chapters or (DEFAULT_CHAPTERS[:1] if q else DEFAULT_CHAPTERS),
            learners=_pick(args.class_learners, 20, 2, q),
            jobs=args.class_jobs,
            projection=not (args.no_projection or q),
            quiet=quiet,
        )
        texts.append(format_class(report["class"]))
    report["load_average_at_end"] = load_average()
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(report, indent=2, default=str) + "\n")
    if args.json:
        print(json.dumps(report, indent=2, default=str))
    else:
        print("\n" + report["environment"])
        print("\n\n".join(texts), flush=True)
    return 0


if __name__ == "__main__":
    from resnet_lesson.cli import run_as_module

    run_as_module("bench")
