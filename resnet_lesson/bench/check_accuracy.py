"""The checks part of ``resnet-lesson bench``: how well the exercise checks judge answers
that their tests do not contain.

``benchmarks/held_out_answers/`` holds learner answer cells written from the exercises'
contracts, each labelled ``wrong`` (with the mistake named as a teacher would) or
``correct`` (an equivalent rewrite), and with the round it was written in (round 1
has no ``round`` key; round 2 was written after the checks were tuned on round 1, blind
to them). Every answer is run through its chapter's check as
a graded cell runs it, ``check(target)`` then ``check(target, thorough=True)``, and its
verdict is classified by the kind the check gave its sentence (``checks/verdict.py``):

wrong answers
    ``missed`` (accepted), ``named`` (a sentence from the check's catalogue of known
    mistakes, or one the check writes for this exercise), ``located`` (one of the
    semi-generic sentences: the output shape, training vs inference mode, a bare call,
    the text of a build error or crash), ``generic`` ("right shape but the wrong
    values"), ``crashed`` (the check itself raised something other than its verdict);
correct answers
    ``accepted`` or ``false reject``.

This file imports nothing else from the bench, only ``resnet_lesson`` and its checks,
so another release's checks (one whose verdicts carry their kind) can be measured by
running it by path with that release first on ``PYTHONPATH``:

    PYTHONPATH=/path/to/release python resnet_lesson/bench/check_accuracy.py --json-out x.json
"""

import argparse
import contextlib
import importlib
import io
import json
import linecache
import os
import runpy
import sys
import time
import types
import warnings
from pathlib import Path

from resnet_lesson import course

ANSWERS_DIR = course.ROOT / "benchmarks" / "held_out_answers"

WRONG_CLASSES = ("missed", "named", "located", "generic", "crashed")
CORRECT_CLASSES = ("accepted", "false reject")

# -- the answers ----------------------------------------------------------------------


def load_answers(directory=ANSWERS_DIR):
    """Every held-out answer: dicts with exercise, file, number, round, verdict, mistake,
    source."""
    answers = []
    for path in sorted(Path(directory).glob("ch[0-9][0-9]_*.py")):
        module = runpy.run_path(str(path))
        for number, answer in enumerate(module["ANSWERS"], 1):
            answers.append(
                dict(
                    answer,
                    exercise=module["EXERCISE"],
                    file=path.name,
                    number=number,
                    round=answer.get("round", 1),
                )
            )
    return answers


def notebook_namespace():
    """The names a chapter's answer cell can use: the setup and the given cells' imports."""
    import keras
    import numpy as np
    import tensorflow as tf

    import resnet_lesson
    from resnet_lesson.preprocessing import resized_shape

    return {
        "resnet_lesson": resnet_lesson,
        "keras": keras,
        "tf": tf,
        "np": np,
        "BLOCK_LAYER_SIZES": resnet_lesson.BLOCK_LAYER_SIZES,
        "resized_shape": resized_shape,
    }


def learner_target(answer):
    """Run the answer cell; return what its check takes (a class, or chapter 11's function)."""
    # Like a notebook's cells, the answer runs in a module of its own (IPython's is
    # __main__) whose source stays findable: tf.data and autograph look both up, and
    # without them warn on stderr and run the learner's functions unconverted.
    name = f"held_out_{Path(answer['file']).stem}_{answer['number']}"
    filename = f"<held-out {answer['file']} #{answer['number']}>"
    source = answer["source"]
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    cell = types.ModuleType(name)
    cell.__dict__.update(notebook_namespace())
    sys.modules[name] = cell
    exec(compile(source, filename, "exec"), cell.__dict__)
    return getattr(cell, "make_dataset" if answer["exercise"] == "make_dataset" else "ResNetModel")


# -- which code path wrote the sentence -------------------------------------------------


def _mistake_messages(module):
    """The catalogue of a check module: every Mistake's sentence at module level."""
    from resnet_lesson.checks.pieces import Mistake

    messages = []
    for value in vars(module).values():
        items = value if isinstance(value, (list, tuple)) else [value]
        messages.extend(item.message for item in items if isinstance(item, Mistake))
    return messages


def classify_failure(failure, catalogue):
    """(class, path) of a check's verdict: its kind, as the check gave it where it wrote
    the sentence; a named one is a catalogue mistake or the check's own sentence."""
    if failure.kind != "named":
        return failure.kind, f"the check's {failure.kind} sentence"
    if any(failure.message.startswith(sentence) for sentence in catalogue):
        return "named", "catalogue"
    return "named", "exercise-specific"


def run_graded(module, target):
    """Run a graded cell's two checks quietly: None if both pass, else the exception."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            try:
                module.check(target)
                module.check(target, thorough=True)
            except Exception as error:  # a verdict, or a crash of the check
                return error
    return None


def judge(answer, module=None):
    """Check one answer; return its record: class, path, message, seconds."""
    from resnet_lesson.checks.verdict import CheckFailed

    module = module or importlib.import_module(f"resnet_lesson.checks.{answer['exercise']}")
    start = time.perf_counter()
    try:
        target = learner_target(answer)
    except Exception as error:  # the answer itself does not run: a broken held-out answer
        raise RuntimeError(f"{answer['file']} #{answer['number']} does not run: {error}") from None
    error = run_graded(module, target)
    if error is None:
        kind, path, message = "passed", None, None
    elif isinstance(error, CheckFailed):
        kind, path = classify_failure(error, _mistake_messages(module))
        message = error.message
    else:
        kind, path, message = "crashed", "check raised", f"{type(error).__name__}: {error}"
    if answer["verdict"] == "correct":
        kind = "accepted" if kind == "passed" else "false reject"
    elif kind == "passed":
        kind = "missed"
    return {
        "exercise": answer["exercise"],
        "file": answer["file"],
        "number": answer["number"],
        "round": answer.get("round", 1),
        "verdict": answer["verdict"],
        "mistake": answer["mistake"],
        "class": kind,
        "path": path,
        "message": message,
        "seconds": round(time.perf_counter() - start, 2),
    }


# -- the whole run and its report --------------------------------------------------------


def summarize(records):
    """Counts per exercise and in total, and the rates over wrong and correct answers."""
    exercises = {}
    for record in records:
        counts = exercises.setdefault(
            record["exercise"], dict.fromkeys(WRONG_CLASSES + CORRECT_CLASSES, 0)
        )
        counts[record["class"]] += 1
    total = dict.fromkeys(WRONG_CLASSES + CORRECT_CLASSES, 0)
    for counts in exercises.values():
        for kind, count in counts.items():
            total[kind] += count
    wrong = sum(total[k] for k in WRONG_CLASSES)
    correct = sum(total[k] for k in CORRECT_CLASSES)
    rates = {k: total[k] / wrong for k in WRONG_CLASSES if wrong}
    rates.update({k: total[k] / correct for k in CORRECT_CLASSES if correct})
    return {
        "per_exercise": exercises,
        "total": total,
        "wrong": wrong,
        "correct": correct,
        "rates": rates,
    }


def bench_checks(directory=ANSWERS_DIR, exercises=None, quiet=False, rounds=None):
    """Judge every held-out answer with the checks of the importable ``resnet_lesson``.

    ``rounds``: judge only the answers of these rounds (default: all).
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    import resnet_lesson

    answers = load_answers(directory)
    if not answers:  # an installed package has no benchmarks/ folder next to it
        raise SystemExit(f"no held-out answers in {directory}: run from a source checkout")
    records = []
    for answer in answers:
        if exercises and answer["exercise"] not in exercises:
            continue
        if rounds and answer["round"] not in rounds:
            continue
        record = judge(answer)
        records.append(record)
        if not quiet:
            print(
                f"  {record['exercise']} #{record['number']} round {record['round']} "
                f"({record['verdict']}): "
                f"{record['class']} in {record['seconds']:.1f} s",
                flush=True,
            )
        keras.backend.clear_session()  # keep memory flat over some 70 checks
    return {
        "package": str(Path(resnet_lesson.__file__).resolve().parent),
        "answers_dir": str(Path(directory).resolve()),
        "summary": summarize(records),
        "summary_by_round": {
            str(number): summarize([r for r in records if r["round"] == number])
            for number in sorted({r["round"] for r in records})
        },
        "answers": records,
    }


def format_checks(result):
    """One table per round (a result without rounds: one table of all answers)."""
    lines = [f"checks on held-out answers ({result['package']}):"]
    by_round = result.get("summary_by_round") or {"all": result["summary"]}
    for number, summary in by_round.items():
        title = "all rounds" if number == "all" else f"round {number}"
        lines += [title + ":"] + _format_table(summary)
    for record in result["answers"]:
        if record["class"] in ("missed", "false reject", "generic", "crashed"):
            lines.append(
                f"  {record['class']}: {record['exercise']} #{record['number']} "
                f"round {record.get('round', 1)} "
                f"({record['mistake']}): {record['message'] or 'accepted'}"
            )
    return "\n".join(lines)


def _format_table(summary):
    columns = WRONG_CLASSES + CORRECT_CLASSES
    header = f"{'exercise':<30}" + "".join(f"{c:>14}" for c in columns)
    lines = [header]
    for exercise, counts in summary["per_exercise"].items():
        lines.append(f"{exercise:<30}" + "".join(f"{counts[c]:>14}" for c in columns))
    lines.append(f"{'total':<30}" + "".join(f"{summary['total'][c]:>14}" for c in columns))
    rates = summary["rates"]
    lines.append(f"{'rate':<30}" + "".join(f"{rates.get(c, 0):>14.0%}" for c in columns))
    lines.append(
        f"({summary['wrong']} wrong answers: rates of missed/named/located/generic/crashed "
        f"over them; {summary['correct']} correct answers: accepted/false reject over those)"
    )
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", default=str(ANSWERS_DIR), help="held-out answers folder")
    parser.add_argument("--json-out", metavar="PATH", default=None, help="write the JSON here")
    parser.add_argument(
        "--exercise", action="append", help="judge only this exercise's answers (repeatable)"
    )
    parser.add_argument(
        "--round", type=int, action="append", help="judge only this round's answers (repeatable)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)
    result = bench_checks(
        args.answers, exercises=args.exercise, quiet=args.quiet, rounds=args.round
    )
    result["date_utc"] = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    result["command"] = " ".join([Path(sys.argv[0]).name] + sys.argv[1:])
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(format_checks(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
