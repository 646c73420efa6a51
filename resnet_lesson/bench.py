"""``resnet-lesson bench``: measure the course against its peers, side by side.

Three parts (``--only PART``, repeatable, picks; all three run by default):

``model``
    Training and inference throughput (images/s) of the course's ResNet-50
    (:func:`resnet_lesson.build_resnet`) against ``keras.applications.ResNet50V2``
    (``weights=None``) at the same input size, batch, optimizer, loss and
    ``jit_compile`` setting. Warm-up steps are excluded; the two sides run in
    alternating rounds (ours, peer, ours, peer, ...) so a machine loaded by other work
    slows both alike; each side's median round is reported and the ratio is
    ``ours / peer`` (above 1 means the course model is faster).
``grading``
    Seconds to autograde one chapter and the whole course for one learner, against the
    floor: nbgrader's bare cost on a notebook with one trivial graded cell. Grading goes
    through ``resnet-lesson grade`` when it exists, else through ``nbgrader autograde``
    in a scratch course (the output says which).
``course``
    Seconds to execute every solution notebook top to bottom and, when chapter 11's
    training module exists, the time its training takes to reach its target accuracy.

The model part imports only Keras, never TensorFlow directly, so it also runs with
``KERAS_BACKEND=jax`` on a machine without TensorFlow (how the GPU figures in
``docs/benchmarks.md`` were taken). Nothing here asserts a timing; tests check only
that the report has its ratio lines.
"""

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("model", "grading", "course")


# --------------------------------------------------------------------------- helpers
def _median(values):
    return statistics.median(values) if values else float("nan")


def _ratio(ours, peer):
    return ours / peer if peer else float("nan")


def alternate(sides, rounds, measure):
    """Run ``measure(side)`` for each side in turn, ``rounds`` times; return lists.

    The order is A, B, A, B, ...: both sides see the same drift in machine load.
    """
    results = {side: [] for side in sides}
    for _ in range(rounds):
        for side in sides:
            results[side].append(measure(side))
    return results


def _say(message, quiet=False):
    if not quiet:
        print(message, flush=True)


def _environment_line():
    import importlib.metadata as md
    versions = []
    for package in ("keras", "tensorflow", "jax", "nbgrader", "nbclient"):
        try:
            versions.append(f"{package} {md.version(package)}")
        except md.PackageNotFoundError:
            pass
    return (f"python {platform.python_version()}, {', '.join(versions)}; "
            f"{os.cpu_count()} CPU cores; {platform.machine()}")


# --------------------------------------------------------------------------- model
def _peer_strides_class():
    """A diagnostic variant of the course model, never taught: it strides where
    ``keras.applications.ResNet50V2`` does.

    The course (like TensorFlow's official ResNet models) strides in the *first* block
    of block layers 2-4, in its 3x3 conv. Keras' ResNet50V2 instead strides in the
    *last* block of block layers 1-3 (its 3x3 conv, the identity shortcut subsampled by
    a 1x1 max pool), so the next layer's first block already works on the small map.
    Same weights and parameter count, about 15% fewer multiply-adds. Timing this
    variant tells whether a gap to the peer comes from that work or from the code.
    Bottleneck depths (50 and up) only.
    """
    import keras

    from resnet_lesson.model import ResNetModel

    class PeerStrideResNetModel(ResNetModel):
        def bottleneck_block(self, inputs, filters, strides, is_training, index,
                             shortcut_filters=None):
            if shortcut_filters is not None or strides == 1:
                return super().bottleneck_block(inputs, filters, strides, is_training,
                                                index, shortcut_filters)
            with keras.name_scope(f'bottleneck_block{index}'):
                shortcut = keras.layers.MaxPooling2D(
                    1, strides, data_format=self.data_format)(inputs)
                pre_activated1 = self.pre_activation(inputs, is_training)
                conv1 = self.custom_conv2d(pre_activated1, filters, 1, 1)
                pre_activated2 = self.pre_activation(conv1, is_training)
                conv2 = self.custom_conv2d(pre_activated2, filters, 3, strides)
                pre_activated3 = self.pre_activation(conv2, is_training)
                conv3 = self.custom_conv2d(pre_activated3, 4 * filters, 1, 1)
                return conv3 + shortcut

        def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
            # ``strides`` is ignored: this layer ends with the *next* layer's stride.
            end_stride = self.block_strides[index] if index < len(self.block_strides) else 1
            with keras.name_scope(f'block_layer{index}'):
                outputs = self.bottleneck_block(inputs, filters, 1, is_training, 0,
                                                shortcut_filters=4 * filters)
                for block_index in range(1, num_blocks):
                    stride = end_stride if block_index == num_blocks - 1 else 1
                    outputs = self.bottleneck_block(outputs, filters, stride,
                                                    is_training, block_index)
                return outputs

    return PeerStrideResNetModel


def _build_pair(image_size, classes, variant="course"):
    import keras

    from resnet_lesson.model import ResNetModel, build_resnet

    model_class = _peer_strides_class() if variant == "peer-strides" else ResNetModel
    ours = build_resnet(50, image_size=image_size, num_classes=classes,
                        model_class=model_class)
    # classifier_activation=None: both sides output logits and share one loss.
    peer = keras.applications.ResNet50V2(
        weights=None, input_shape=(image_size, image_size, 3), classes=classes,
        classifier_activation=None)
    return {"ours": ours, "peer": peer}


def _compile(model, jit_compile):
    import keras
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        jit_compile=jit_compile)


def bench_model(image_size=224, batch=8, classes=1000, rounds=5, steps=3, warmup=2,
                jit_compile="auto", precision="float32", modes=("train", "infer"),
                variant="course", quiet=False):
    """Throughput of the course's ResNet-50 against Keras' ResNet50V2; returns a dict."""
    import keras
    import numpy as np

    from resnet_lesson.analysis import count_multiply_adds

    if precision != "float32":
        keras.mixed_precision.set_global_policy(precision)
    try:
        models = _build_pair(image_size, classes, variant)
    finally:
        if precision != "float32":
            # The models keep their policy; later code in this process gets the default.
            keras.mixed_precision.set_global_policy("float32")
    for model in models.values():
        _compile(model, jit_compile)

    rng = np.random.default_rng(0)
    x = keras.ops.convert_to_tensor(
        rng.uniform(0.0, 1.0, (batch, image_size, image_size, 3)).astype("float32"))
    y = keras.ops.convert_to_tensor(rng.integers(0, classes, (batch,)).astype("int32"))

    def block(output):
        # Make sure asynchronous backends (JAX on a GPU) have finished the step.
        if hasattr(output, "block_until_ready"):
            output.block_until_ready()
        else:
            keras.ops.convert_to_numpy(output)

    def train_step(model):
        return model.train_on_batch(x, y)   # returns numpy floats: already synchronised

    def infer_step(model):
        block(model.predict_on_batch(x))

    step_fns = {"train": train_step, "infer": infer_step}
    result = {
        "backend": keras.backend.backend(),
        "device": _keras_device(),
        "image_size": image_size, "batch": batch, "classes": classes,
        "rounds": rounds, "steps_per_round": steps, "warmup_steps": warmup,
        "jit_compile": jit_compile, "precision": precision, "variant": variant,
        "params": {side: int(model.count_params()) for side, model in models.items()},
        "multiply_adds": {side: int(count_multiply_adds(model))
                          for side, model in models.items()},
        "modes": {},
    }
    for mode in modes:
        step = step_fns[mode]
        for side, model in models.items():
            start = time.perf_counter()
            for _ in range(warmup):
                step(model)
            _say(f"  {mode} warm-up {side}: {time.perf_counter() - start:.1f} s", quiet)

        def measure(side, step=step):
            model = models[side]
            start = time.perf_counter()
            for _ in range(steps):
                step(model)
            return batch * steps / (time.perf_counter() - start)

        per_round = alternate(("ours", "peer"), rounds, measure)
        medians = {side: _median(values) for side, values in per_round.items()}
        # Each round's own ratio (ours, then peer right after it): the spread of these
        # says how much the machine's load moved the answer.
        paired = [_ratio(o, p) for o, p in zip(per_round["ours"], per_round["peer"])]
        result["modes"][mode] = {
            "images_per_s": medians,
            "rounds": per_round,
            "ratio": _ratio(medians["ours"], medians["peer"]),
            "round_ratios": paired,
        }
        _say(f"  {mode}: ours {medians['ours']:.2f} img/s, peer {medians['peer']:.2f} img/s",
             quiet)
    return result


def _keras_device():
    import keras
    backend = keras.backend.backend()
    if backend == "jax":
        import jax
        device = jax.devices()[0]
        return f"{device.platform}: {getattr(device, 'device_kind', device)}"
    if backend == "tensorflow":
        import tensorflow as tf
        return "gpu" if tf.config.list_physical_devices("GPU") else "cpu"
    return backend


def format_model(result):
    variant = result.get("variant", "course")
    variant_note = "" if variant == "course" else f" (diagnostic variant: {variant})"
    lines = [
        f"model: course ResNet-50 v2{variant_note} vs keras.applications.ResNet50V2 "
        f"({result['backend']} on {result['device']}, {result['image_size']}x"
        f"{result['image_size']}, batch {result['batch']}, {result['precision']}, "
        f"jit_compile={result['jit_compile']}, median of {result['rounds']} alternating "
        f"rounds of {result['steps_per_round']} steps)",
        f"  parameters: ours {result['params']['ours']:,}, "
        f"peer {result['params']['peer']:,}",
        f"  multiply-adds per image (Conv2D + Dense): "
        f"ours {result['multiply_adds']['ours'] / 1e9:.2f} G, "
        f"peer {result['multiply_adds']['peer'] / 1e9:.2f} G",
    ]
    work = result["multiply_adds"]["ours"] / result["multiply_adds"]["peer"]
    for mode, data in result["modes"].items():
        ips = data["images_per_s"]
        paired = data.get("round_ratios") or [data["ratio"]]
        lines.append(
            f"  ratio {mode} throughput (ours/peer): {data['ratio']:.3f}  "
            f"[ours {ips['ours']:.2f} img/s, peer {ips['peer']:.2f} img/s; "
            f"per multiply-add {data['ratio'] * work:.3f}; per-round ratios "
            f"{min(paired):.2f}-{max(paired):.2f}]")
    return "\n".join(lines)


# --------------------------------------------------------------------------- grading
def _nbgrader_env():
    from resnet_lesson.grading.autograde import nbgrader_environment
    return nbgrader_environment(os.environ)


def _nbgrader(args, course_root, check=True):
    cmd = [sys.executable, "-m", "nbgrader", *args,
           f"--CourseDirectory.root={course_root}"]
    done = subprocess.run(cmd, cwd=course_root, env=_nbgrader_env(),
                          capture_output=True, text=True)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def floor_notebook():
    """An nbgrader source notebook with one trivial graded cell: the floor's workload."""
    import nbformat
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    cell = nbformat.v4.new_code_cell("assert 1 + 1 == 2")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "trivial", "locked": True,
                                 "points": 1, "schema_version": 3, "solution": False,
                                 "task": False}
    nb.cells.append(cell)
    return nb


def _scratch_course(scratch, notebooks):
    """A course in ``scratch`` whose learner 'learner' submitted each solution as is.

    ``notebooks`` maps assignment id to a source notebook path. Returns the root.
    """
    root = Path(scratch)
    shutil.copy2(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    for chapter_id, path in notebooks.items():
        source = root / "solutions" / chapter_id
        shutil.copytree(Path(path).parent, source)
        _nbgrader(["generate_assignment", chapter_id, "--force"], root)
        submitted = root / "submitted" / "learner" / chapter_id
        submitted.mkdir(parents=True)
        shutil.copy2(path, submitted / f"{chapter_id}.ipynb")
    return root


def _grade_command_available():
    return (ROOT / "resnet_lesson" / "grading.py").exists()


def solution_notebooks():
    return sorted(ROOT.glob("solutions/ch[0-9][0-9]_*/ch[0-9][0-9]_*.ipynb"))


def _time_autograde(root, assignment=None):
    args = ["autograde", "--student", "learner", "--force"]
    if assignment:
        args.insert(1, assignment)
    start = time.perf_counter()
    done = _nbgrader(args, root)
    elapsed = time.perf_counter() - start
    return elapsed, done


def _time_grade_command(notebook):
    """``resnet-lesson grade NOTEBOOK --json`` in a subprocess; seconds, or None if it failed."""
    cmd = [sys.executable, "-m", "resnet_lesson.cli", "grade", str(notebook), "--json"]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=_nbgrader_env(), capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        return None, done
    return elapsed, done


def _grade_json(done):
    """The score pair from ``resnet-lesson grade --json`` output, or None."""
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("{"):
            data = json.loads(line)
            return [data["score"], data["max_score"]]
    return None


def bench_grading(rounds=2, chapters=None, quiet=False):
    """Seconds to grade one chapter and the whole course, beside nbgrader's floor.

    Sides, alternating each round: the floor (``nbgrader autograde`` of a notebook with
    one trivial graded cell), one chapter (``resnet-lesson grade`` of its solution
    notebook: ch06 when present) and the whole course (``resnet-lesson grade`` of every
    solution notebook in turn, one learner). Without ``resnet_lesson/grading/command.py`` both
    fall back to ``nbgrader autograde`` in a scratch course.
    """
    import nbformat

    notebooks = solution_notebooks()
    if chapters:
        notebooks = [p for p in notebooks if p.parent.name in chapters]
    if not notebooks:
        raise SystemExit("no solution notebooks to grade (solutions/chNN_*/)")
    one = next((p for p in notebooks if p.parent.name == "ch06_regular_block"), notebooks[0])
    result = {"rounds": rounds, "chapter": one.parent.name,
              "chapters": [p.parent.name for p in notebooks], "scores": {}}
    with tempfile.TemporaryDirectory(prefix="resnet-lesson-bench-") as scratch:
        scratch = Path(scratch)
        floor_dir = scratch / "floor-src" / "floor"
        floor_dir.mkdir(parents=True)
        nbformat.write(floor_notebook(), floor_dir / "floor.ipynb")
        floor_root = scratch / "floor-course"
        floor_root.mkdir()
        _scratch_course(floor_root, {"floor": floor_dir / "floor.ipynb"})

        use_grade = _grade_command_available()
        course_root = None
        if use_grade:
            result["method"] = "resnet-lesson grade (one process per notebook)"
        else:
            result["method"] = "nbgrader autograde (resnet-lesson grade not found)"
            course_root = scratch / "course"
            course_root.mkdir()
            _scratch_course(course_root, {p.parent.name: p for p in notebooks})

        def grade_one(path):
            if use_grade:
                elapsed, done = _time_grade_command(path)
                scores = _grade_json(done)
                if elapsed is None or scores is None:
                    raise RuntimeError(f"resnet-lesson grade {path} failed "
                                       f"({done.returncode}): "
                                       f"{(done.stderr or done.stdout).strip()[-400:]}")
                result["scores"][path.parent.name] = scores
                return elapsed
            return _time_autograde(course_root, path.parent.name)[0]

        def whole_course():
            if use_grade:
                each = {path.parent.name: grade_one(path) for path in notebooks}
                result.setdefault("course_rounds_per_chapter", []).append(each)
                return sum(each.values())
            return _time_autograde(course_root)[0]

        sides = {
            "floor": lambda: _time_autograde(floor_root, "floor")[0],
            "chapter": lambda: grade_one(one),
            "course": whole_course,
        }
        # Warm-up (file caches, first gradebook, first kernel start); the whole course
        # is not run twice more just for that.
        sides["floor"]()
        sides["chapter"]()

        def measure(name):
            elapsed = sides[name]()
            _say(f"  graded {name}: {elapsed:.1f} s", quiet)
            return elapsed

        per_round = alternate(tuple(sides), rounds, measure)
        if course_root is not None:
            result["scores"] = _scores(course_root)
    medians = {name: _median(values) for name, values in per_round.items()}
    # Each round's chapter minus the floor run right before it: drift in machine load
    # moves both alike, so this pairing is steadier than a difference of medians.
    above = [c - f for c, f in zip(per_round["chapter"], per_round["floor"])]
    result.update(seconds=medians, rounds_s=per_round,
                  ratio_chapter=_ratio(medians["chapter"], medians["floor"]),
                  ratio_course=_ratio(medians["course"], medians["floor"]),
                  chapter_above_floor_s=_median(above))
    return result


def _scores(course_root):
    from nbgrader.api import Gradebook
    scores = {}
    with Gradebook(f"sqlite:///{course_root / 'gradebook.db'}") as gb:
        for assignment in gb.assignments:
            try:
                submission = gb.find_submission(assignment.name, "learner")
            except Exception:   # noqa: BLE001 - not submitted
                continue
            scores[assignment.name] = [submission.score, submission.max_score]
    return scores


def format_grading(result):
    s = result["seconds"]
    n = len(result["chapters"])
    lines = [
        f"grading: one learner, median of {result['rounds']} alternating rounds, "
        f"via {result['method']}",
        f"  floor (nbgrader, one trivial graded cell): {s['floor']:.2f} s",
        f"  ratio grade one chapter / floor: {result['ratio_chapter']:.2f}  "
        f"[{result['chapter']}: {s['chapter']:.2f} s]",
        f"  one chapter above the floor: {result['chapter_above_floor_s']:+.2f} s  "
        "[median of the rounds' differences]",
        f"  ratio grade whole course / floor: {result['ratio_course']:.2f}  "
        f"[{n} chapter(s): {s['course']:.2f} s]",
    ]
    rounds = result.get("course_rounds_per_chapter")
    if rounds:
        per_chapter = {name: _median([r[name] for r in rounds]) for name in rounds[0]}
        lines.append("  per chapter (median s): " + ", ".join(
            f"{name} {seconds:.1f}" for name, seconds in per_chapter.items()))
    lines += [
        "  scores: " + ", ".join(f"{k} {v[0]:g}/{v[1]:g}"
                                 for k, v in sorted(result["scores"].items())),
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- course
def _execute(path, timeout=600):
    import nbformat
    from nbclient import NotebookClient

    from resnet_lesson.grading.kernel import KERNEL_ARGUMENTS

    nb = nbformat.read(path, as_version=4)
    # The kernel arguments grading uses: no ipykernel note about local TCP on stderr.
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            extra_arguments=list(KERNEL_ARGUMENTS),
                            resources={"metadata": {"path": str(Path(path).parent)}})
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    errors = sum(1 for cell in nb.cells if cell.cell_type == "code"
                 for out in cell.get("outputs", [])
                 if out.get("output_type") == "error"
                 or (out.get("output_type") == "stream" and out.get("name") == "stderr"))
    return elapsed, errors


def bench_course(chapters=None, training=True, quiet=False):
    """Seconds to execute every solution notebook; chapter 11's time to target."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    notebooks = solution_notebooks()
    if chapters:
        notebooks = [p for p in notebooks if p.parent.name in chapters]
    per_chapter = {}
    for path in notebooks:
        elapsed, problems = _execute(path)
        per_chapter[path.parent.name] = {"seconds": elapsed, "stderr_or_errors": problems}
        _say(f"  executed {path.parent.name}: {elapsed:.1f} s", quiet)
    result = {"chapters": per_chapter,
              "total_s": sum(c["seconds"] for c in per_chapter.values())}
    if training:
        result["training"] = _bench_training(quiet)
    return result


def _bench_training(quiet):
    """Chapter 11's training to the course's target (benchmarks/time_to_target.py)."""
    script = ROOT / "benchmarks" / "time_to_target.py"
    if not (ROOT / "resnet_lesson" / "training.py").exists() or not script.exists():
        return {"available": False,
                "why": "resnet_lesson/training.py or benchmarks/time_to_target.py is missing"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=_nbgrader_env(),
                          capture_output=True, text=True, timeout=1800)
    wall = time.perf_counter() - start
    for line in done.stdout.splitlines():
        if line.startswith("BENCH-JSON "):
            data = json.loads(line[len("BENCH-JSON "):])
            data.update(available=True, process_seconds=wall)
            _say(f"  chapter 11 training: {data.get('reached')}", quiet)
            return data
    return {"available": False,
            "why": f"training run failed: {(done.stderr or done.stdout).strip()[-300:]}"}


def format_course(result):
    lines = [f"course: executed {len(result['chapters'])} solution notebook(s) in "
             f"{result['total_s']:.1f} s"]
    for name, data in result["chapters"].items():
        flag = "" if not data["stderr_or_errors"] else \
            f"  ({data['stderr_or_errors']} error/stderr output(s)!)"
        lines.append(f"  {name}: {data['seconds']:.1f} s{flag}")
    training = result.get("training")
    if training is not None:
        if training.get("available") and training.get("reached"):
            reached = training["reached"]
            lines.append(
                f"  chapter 11 time to target ({training['setup']}, test accuracy >= "
                f"{training['target']:.0%}): {reached['seconds']:.1f} s of training, "
                f"epoch {reached['epoch']} of {training['epoch_budget']} "
                f"(test accuracy {reached['test_accuracy']:.4f}; whole process "
                f"{training['process_seconds']:.1f} s)")
        elif training.get("available"):
            last = training["curve"][-1] if training["curve"] else None
            lines.append(f"  chapter 11 time to target ({training['setup']}): target "
                         f"{training['target']:.0%} NOT reached in {training['epoch_budget']}"
                         f" epochs (last: {last})")
        else:
            lines.append(f"  chapter 11 training: not measured ({training['why']})")
    return "\n".join(lines)


# --------------------------------------------------------------------------- CLI
def add_arguments(parser):
    parser.add_argument("--quick", action="store_true",
                        help="a fast smoke run with tiny settings (numbers mean little)")
    parser.add_argument("--only", action="append", choices=PARTS,
                        help="run only this part (repeatable); default: all three")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--json-out", metavar="PATH", default=None,
                        help="also write the JSON report to PATH")
    model = parser.add_argument_group("model part")
    model.add_argument("--image-size", type=int, default=None,
                       help="input size (default 224; --quick 32)")
    model.add_argument("--batch", type=int, default=None, help="batch (default 8; --quick 2)")
    model.add_argument("--classes", type=int, default=None,
                       help="classes (default 1000; --quick 10)")
    model.add_argument("--rounds", type=int, default=None,
                       help="alternating rounds per side (default 7; --quick 2)")
    model.add_argument("--steps", type=int, default=None,
                       help="steps per round (default 2; --quick 1)")
    model.add_argument("--warmup", type=int, default=None,
                       help="untimed steps per side first (default 2; --quick 1)")
    model.add_argument("--jit", choices=("auto", "on", "off"), default="auto",
                       help="jit_compile for both models (default: Keras' auto)")
    model.add_argument("--precision", default="float32",
                       choices=("float32", "mixed_float16", "mixed_bfloat16"),
                       help="Keras dtype policy for both models")
    model.add_argument("--variant", choices=("course", "peer-strides"), default="course",
                       help="diagnostic: time a never-taught variant of the course model "
                            "that strides where ResNet50V2 does (default: the course's)")
    model.add_argument("--modes", default="train,infer",
                       help="comma-separated: train, infer (default both)")
    other = parser.add_argument_group("grading and course parts")
    other.add_argument("--grading-rounds", type=int, default=None,
                       help="alternating rounds (default 2; --quick 1)")
    other.add_argument("--chapters", nargs="*", default=None,
                       help="chapter ids to grade/execute (default: all; --quick: the first)")
    other.add_argument("--no-training", action="store_true",
                       help="skip chapter 11's time-to-target run")


def _pick(value, normal, quick, is_quick):
    if value is not None:
        return value
    return quick if is_quick else normal


def run(args):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    parts = args.only or list(PARTS)
    q = args.quick
    quiet = args.json
    report = {"environment": _environment_line(),
              "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
              "command": "resnet-lesson bench " + " ".join(sys.argv[2:])
              if len(sys.argv) > 1 and sys.argv[1] == "bench" else None}
    chapters = args.chapters
    if q and chapters is None:
        first = solution_notebooks()[:1]
        chapters = [p.parent.name for p in first]
    texts = []
    if "model" in parts:
        _say("model part ...", quiet)
        jit = {"auto": "auto", "on": True, "off": False}[args.jit]
        report["model"] = bench_model(
            image_size=_pick(args.image_size, 224, 32, q),
            batch=_pick(args.batch, 8, 2, q),
            classes=_pick(args.classes, 1000, 10, q),
            rounds=_pick(args.rounds, 7, 2, q),
            steps=_pick(args.steps, 2, 1, q),
            warmup=_pick(args.warmup, 2, 1, q),
            jit_compile=jit, precision=args.precision, variant=args.variant,
            modes=tuple(m.strip() for m in args.modes.split(",") if m.strip()),
            quiet=quiet)
        texts.append(format_model(report["model"]))
    if "grading" in parts:
        _say("grading part ...", quiet)
        report["grading"] = bench_grading(
            rounds=_pick(args.grading_rounds, 2, 1, q), chapters=chapters, quiet=quiet)
        texts.append(format_grading(report["grading"]))
    if "course" in parts:
        _say("course part ...", quiet)
        report["course"] = bench_course(chapters=chapters,
                                        training=not (args.no_training or q), quiet=quiet)
        texts.append(format_course(report["course"]))
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
