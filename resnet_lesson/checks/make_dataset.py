"""Chapter 11 check: ``make_dataset`` (the ``tf.data`` input pipeline).

A pipeline is judged by what comes out of it, never by how it is written. The check
feeds the learner's function small images whose pixels all hold the image's number
``i`` and labels ``3 * i + 1``, with a stand-in ``preprocess`` that crops each image
to 6x6 float32 and records how it was called. Then it reads the dataset and asks:

- is every element an ``(images, labels)`` batch of ``batch_size`` (the last one
  smaller), with the images preprocessed one by one?
- does every example appear exactly once per pass, with its own label?
- training: is the order different every epoch, and mixed across the whole set
  (not only inside a batch, nor only among neighbours)?
- evaluation: the original order, the same every time?
- was ``preprocess`` given the right ``is_training``, and does the pipeline prefetch
  its batches?
- with a seed: does the same seed replay the same orders, and another seed not?

Each failure is one sentence that names the step to fix.
"""

import traceback
from dataclasses import dataclass

import numpy as np
import tensorflow as tf

from resnet_lesson.checks import integrity, pipeline_graph
from resnet_lesson.checks.engine import report
from resnet_lesson.checks.pieces import quiet
from resnet_lesson.checks.session import exercise_check
from resnet_lesson.checks.verdict import LOCATED, CheckFailed, Sentence
from resnet_lesson.training import make_dataset as make_dataset_reference

EXERCISE = "make_dataset"
EPOCHS_READ = 5  # passes over a training set; a full shuffle repeats an order with
# probability 1/n! per pair of passes


@dataclass
class PipelineCase:
    description: str
    size: int
    batch_size: int
    is_training: bool
    image_shape: tuple = (8, 8, 1)
    image_dtype: str = "uint8"
    label_dtype: str = "int64"
    seed: object = None


SHUFFLED_AFTER_BATCH = (
    "the shuffle comes after `batch`: it reorders whole batches, so the same examples "
    "always share a batch (and the small last batch moves around). Shuffle the pairs "
    "before batching."
)


class _BatchGiven(Exception):
    """Raised by the probe when it receives a batch instead of one image."""


class _Probe:
    """A stand-in ``preprocess``: crop to 6x6, cast to float32, and record each call."""

    def __init__(self):
        self.calls = []

    def __call__(self, image, is_training):
        self.calls.append((image.shape.rank, is_training))
        if image.shape.rank != 3:
            raise _BatchGiven()
        # + 0.5 marks a preprocessed image: raw pixels are whole numbers.
        return tf.cast(image[1:7, 1:7, :], tf.float32) + 0.5


def _data(case):
    ids = np.arange(case.size)
    images = np.ones((case.size,) + tuple(case.image_shape), dtype=case.image_dtype)
    images *= ids.reshape((-1,) + (1,) * len(case.image_shape)).astype(case.image_dtype)
    labels = (3 * ids + 1).astype(case.label_dtype)
    return images, labels


def _fail(message):
    raise CheckFailed(EXERCISE, message)


def _call(make_dataset, case):
    images, labels = _data(case)
    probe = _Probe()
    try:
        with quiet():
            dataset = make_dataset(
                images, labels, probe, case.batch_size, case.is_training, seed=case.seed
            )
    except NotImplementedError:
        _fail("not written yet: replace `raise NotImplementedError()` with your code.")
    except Exception as error:  # the learner's code may raise anything
        if any(rank != 3 for rank, _ in probe.calls):
            _fail(
                "`preprocess` receives a whole batch: map it over single (image, label) "
                "pairs *before* `batch`, since preprocessing works on one image."
            )
        where = traceback.extract_tb(error.__traceback__)[-1]
        _fail(
            Sentence(
                f"your code raised {type(error).__name__} ({error}) at line {where.lineno} "
                f"for {case.description}.",
                LOCATED,
            )
        )
    if dataset is None:
        _fail("make_dataset returns None: did you forget to return the dataset at the end?")
    if not isinstance(dataset, tf.data.Dataset):
        _fail(
            f"make_dataset returns a {type(dataset).__name__}, not a tf.data.Dataset: "
            "build on the given `dataset` and return it."
        )
    return dataset, probe


def _check_preprocess_calls(probe, case):
    if not probe.calls:
        _fail(
            "`preprocess` is never applied: every (image, label) pair must go through "
            "it, one image at a time, before batching."
        )
    flags = {flag if isinstance(flag, bool) else repr(flag) for _, flag in probe.calls}
    if flags != {case.is_training}:
        shown = ", ".join(sorted(str(f) for f in flags))
        _fail(
            f"`preprocess` was called with is_training={shown} while building the "
            f"{'training' if case.is_training else 'evaluation'} set: pass the function's "
            "own `is_training` through (training crops at random, evaluation does not)."
        )


def _check_element_spec(dataset):
    spec = dataset.element_spec
    if not (
        isinstance(spec, tuple)
        and len(spec) == 2
        and all(isinstance(s, tf.TensorSpec) for s in spec)
    ):
        _fail(
            f"each element must be an (images, labels) pair of tensors, got {spec}: "
            "look at what the function given to `map` returns: the preprocessed "
            "image and, next to it, its label."
        )
    image_spec, label_spec = spec
    if image_spec.shape.rank == 3:
        _fail(
            "the elements are single images, not batches: the pipeline has no "
            "batching step after the map."
        )
    if image_spec.shape.rank != 4:
        _fail(
            f"the images come in shape {image_spec.shape}; expected batches of shape "
            "(batch, height, width, channels): batch once, after the map."
        )
    if label_spec.shape.rank != 1:
        _fail(
            f"the labels come in shape {label_spec.shape}; expected one label per image "
            "(shape (batch,)): batch the (image, label) pairs together."
        )
    if image_spec.shape[0] is not None:
        _fail(
            "every batch has exactly `batch_size` examples, so the last, smaller batch is "
            "dropped: do not pass `drop_remainder=True`; evaluation must see every example."
        )


def _read_pass(dataset, case):
    """One pass: the image numbers and labels of each batch (at most a bounded amount)."""
    batches = []
    seen = 0
    with quiet():
        for images, labels in dataset:
            images, labels = np.asarray(images), np.asarray(labels)
            expected = (6, 6, case.image_shape[-1])
            if images.ndim != 4 or images.shape[1:] != expected:
                _fail(
                    f"a batch of images has shape {images.shape}; with this check's "
                    f"stand-in preprocess it should be (batch, {', '.join(map(str, expected))})"
                    ": apply `preprocess` to every image, once, before batching."
                )
            if not np.allclose(images - np.floor(images), 0.5):
                _fail(
                    "some images reach the batch without going through `preprocess` "
                    "(or go through it twice): map it exactly once."
                )
            ids = np.rint(images[:, 0, 0, 0] - 0.5).astype(np.int64)
            batches.append((ids, labels.astype(np.int64)))
            seen += len(ids)
            if seen > 2 * case.size + case.batch_size:
                break
    return batches


def _check_pass(batches, case):
    sizes = [len(ids) for ids, _ in batches]
    total = sum(sizes)
    if total > case.size:
        _fail(
            f"one pass gave more than the {case.size} examples: the dataset repeats; "
            "leave out `repeat()` (Keras runs the epochs itself)."
        )
    full, rest = divmod(case.size, case.batch_size)
    expected = [case.batch_size] * full + ([rest] if rest else [])
    if total < case.size and sizes == [case.batch_size] * full:
        _fail(
            "the last, smaller batch is dropped: do not pass `drop_remainder=True`; "
            "evaluation must see every example."
        )
    if sizes != expected and sorted(sizes) == sorted(expected):
        _fail(SHUFFLED_AFTER_BATCH)
    if sizes != expected:
        shown = " and ".join(str(n) for n in sorted(set(sizes)))
        _fail(
            f"batches of {shown} examples for {case.description}; expected "
            f"{case.batch_size} each (the last one smaller): look at the size your "
            "batching step is given."
        )
    ids = np.concatenate([i for i, _ in batches])
    labels = np.concatenate([lab for _, lab in batches])
    if not np.array_equal(labels, 3 * ids + 1):
        _fail(
            "the labels no longer match their images: shuffle and map the (image, label) "
            "pairs together, never the images or the labels alone."
        )
    if not np.array_equal(np.sort(ids), np.arange(case.size)):
        _fail(
            "some examples appear twice in one pass and others never: every example "
            "must come exactly once per epoch."
        )
    return ids


def _is_block_shuffle(batches, case):
    """True when every batch holds a run of consecutive examples (shuffle after batch)."""
    for ids, _ in batches:
        block = np.sort(ids)
        if not (
            block[0] % case.batch_size == 0
            and np.array_equal(block, np.arange(block[0], block[0] + len(block)))
        ):
            return False
    return True


def _check_order(dataset, first_pass, case):
    orders = [first_pass] + [
        _check_pass(_read_pass(dataset, case), case)
        for _ in range(EPOCHS_READ - 1 if case.is_training else 1)
    ]
    in_order = np.arange(case.size)
    if not case.is_training:
        if any(not np.array_equal(order, in_order) for order in orders):
            _fail(
                "the evaluation set is shuffled: shuffle only when `is_training` is True, "
                "so evaluation sees the same batches every time."
            )
        return
    if all(np.array_equal(order, in_order) for order in orders):
        _fail(
            "the training set is not shuffled: when `is_training` is True the pairs "
            "must be reordered at random, so batches differ from epoch to epoch."
        )
    if all(np.array_equal(order, orders[0]) for order in orders):
        _fail(
            "the training set is shuffled once and then read in the same order every "
            "epoch: keep `reshuffle_each_iteration=True` (the default), and do not "
            "`cache()` after the shuffle."
        )
    batched_passes = [_read_pass(dataset, case) for _ in range(2)]
    if case.batch_size < case.size and all(_is_block_shuffle(b, case) for b in batched_passes):
        _fail(SHUFFLED_AFTER_BATCH)
    if case.batch_size * 4 <= case.size:
        # With a buffer of B, the first batch can only hold examples < B + batch_size.
        firsts = np.concatenate([order[: case.batch_size] for order in orders])
        if firsts.max() < case.size // 2:
            _fail(
                "the shuffle buffer is too small: examples only move among their "
                "neighbours. The buffer must hold the whole data set."
            )


def _orders(make_dataset, case, seed, passes=2):
    """The example order of the first ``passes`` epochs of a fresh pipeline built with ``seed``."""
    dataset, _ = _call(make_dataset, PipelineCase(**dict(vars(case), seed=seed)))
    return [_check_pass(_read_pass(dataset, case), case) for _ in range(passes)]


def _check_seed(make_dataset, case):
    """A seeded training pipeline replays its epochs' orders, and another seed changes them."""
    first = _orders(make_dataset, case, case.seed)
    again = _orders(make_dataset, case, case.seed)
    if not all(np.array_equal(a, b) for a, b in zip(first, again)):
        _fail(
            f"two training sets built with the same seed ({case.description}) come in "
            "different orders: the shuffle ignores `seed`, so a run cannot be repeated; "
            "hand the function's `seed` on to the shuffle."
        )
    other = _orders(make_dataset, case, case.seed + 1)
    if all(np.array_equal(a, b) for a, b in zip(first, other)):
        _fail(
            f"training sets built with seeds {case.seed} and {case.seed + 1} come in the "
            "same order: the shuffle's seed is fixed instead of the function's `seed`."
        )


def cases(thorough=False):
    if thorough:  # the hidden test's own cases: its cell has just run the others
        return [
            PipelineCase(
                "training with a seed: 40 float32 RGB examples in batches of 5",
                40,
                5,
                True,
                image_shape=(9, 7, 3),
                image_dtype="float32",
                label_dtype="int32",
                seed=3,
            ),
            PipelineCase(
                "evaluation: 40 examples in batches of 16", 40, 16, False, label_dtype="int32"
            ),
            PipelineCase("evaluation: 30 examples in one batch of up to 64", 30, 64, False),
        ]
    return [
        PipelineCase("training: 45 examples in batches of 8", 45, 8, True),
        PipelineCase("evaluation: 45 examples in batches of 8", 45, 8, False),
        PipelineCase("training with seed 7: 24 examples in batches of 6", 24, 6, True, seed=7),
    ]


def check_case(make_dataset, case):
    dataset, probe = _call(make_dataset, case)
    _check_preprocess_calls(probe, case)
    _check_element_spec(dataset)
    first_pass = _check_pass(_read_pass(dataset, case), case)
    _check_order(dataset, first_pass, case)
    if pipeline_graph.prefetches(dataset) is False:
        _fail(
            "the pipeline does not prefetch: its last step should prepare the next "
            "batches while the model trains on this one (`prefetch`)."
        )
    if pipeline_graph.prefetches_batches(dataset) is False:
        _fail(
            "the prefetch comes before the batching step: it prepares single examples, "
            "while the model waits for whole batches; make prefetching the last step."
        )
    if case.is_training and case.seed is not None:
        _check_seed(make_dataset, case)


@exercise_check(EXERCISE, make_dataset_reference)
def check(make_dataset, thorough=False):
    """Raise CheckFailed naming the mistake, or print a success line."""
    checked = cases(thorough)
    # The learner's pipeline runs while each case is judged (the check reads it): changes
    # that outlast a case are caught at its end.
    checkpoint = integrity.take()
    for case in checked:
        check_case(make_dataset, case)
        checkpoint(EXERCISE)
    if not thorough:  # the hidden run stays silent: the visible one already reported
        report(
            EXERCISE,
            checked,
            "every example once per pass with its own label, preprocessed one by one, "
            "in batches of the right size, shuffled anew each epoch in training and in "
            "order for evaluation",
        )
