"""The make_dataset check: right pipelines pass, each known mistake is named."""

import pytest
import tensorflow as tf
from conftest import check_as_graded

from resnet_lesson.checks import make_dataset as check_module
from resnet_lesson.checks.verdict import CheckFailed
from resnet_lesson.training import make_dataset as reference

AUTOTUNE = tf.data.AUTOTUNE


def _pipeline(
    shuffle="before",
    map_fn="right",
    batch="plain",
    prefetch=True,
    buffer=None,
    reshuffle=True,
    repeat=False,
    after_batch_map=False,
    cache_after_shuffle=False,
    swap_labels=False,
):
    def make_dataset(images, labels, preprocess, batch_size, is_training, seed=None):
        dataset = tf.data.Dataset.from_tensor_slices((images, labels))
        size = buffer or len(images)

        def shuffled(ds):
            ds = ds.shuffle(size, seed=seed, reshuffle_each_iteration=reshuffle)
            return ds.cache() if cache_after_shuffle else ds

        if shuffle == "before" and is_training:
            dataset = shuffled(dataset)
        if shuffle == "always":
            dataset = shuffled(dataset)
        flag = {"right": is_training, "always_true": True, "always_false": False}.get(map_fn)
        if swap_labels:
            images_only = dataset.map(lambda image, label: image)
            labels_shuffled = dataset.map(lambda image, label: label).shuffle(len(images))
            dataset = tf.data.Dataset.zip((images_only, labels_shuffled))
        if not after_batch_map and map_fn != "none":
            dataset = dataset.map(
                lambda image, label: (preprocess(image, flag), label), num_parallel_calls=AUTOTUNE
            )
        if shuffle == "after_map" and is_training:
            dataset = shuffled(dataset)
        if batch == "plain":
            dataset = dataset.batch(batch_size)
        elif batch == "drop":
            dataset = dataset.batch(batch_size, drop_remainder=True)
        elif batch == "wrong":
            dataset = dataset.batch(batch_size + 1)
        if after_batch_map:
            dataset = dataset.map(lambda image, label: (preprocess(image, is_training), label))
        if shuffle == "after_batch" and is_training:
            dataset = dataset.shuffle(100)
        if repeat:
            dataset = dataset.repeat()
        if prefetch:
            dataset = dataset.prefetch(AUTOTUNE)
        return dataset

    return make_dataset


def test_reference_passes(capsys):
    check_as_graded(check_module, reference)
    assert "make_dataset is correct" in capsys.readouterr().out


def test_shuffle_after_map_and_small_enough_buffer_pass():
    check_as_graded(check_module, _pipeline(shuffle="after_map"))
    check_as_graded(check_module, _pipeline(buffer=1000))


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        (dict(shuffle="never"), "training set is not shuffled"),
        (dict(shuffle="always"), "evaluation set is shuffled"),
        (dict(shuffle="after_batch"), "shuffle comes after `batch`"),
        (dict(buffer=4), "shuffle buffer is too small"),
        (dict(reshuffle=False), "same order every epoch"),
        (dict(cache_after_shuffle=True), "same order every epoch"),
        (dict(map_fn="none"), "`preprocess` is never applied"),
        (dict(map_fn="always_true"), "called with is_training=True"),
        (dict(map_fn="always_false"), "called with is_training=False"),
        (dict(after_batch_map=True), "receives a whole batch"),
        (dict(batch="none"), "single images, not batches"),
        (dict(batch="drop"), "last, smaller batch is dropped"),
        (dict(batch="wrong"), "batches of"),
        (dict(repeat=True), "the dataset repeats"),
        (dict(prefetch=False), "does not prefetch"),
        (dict(swap_labels=True), "labels no longer match"),
    ],
)
def test_mistakes_are_named(kwargs, expected):
    with pytest.raises(CheckFailed) as failure:
        check_as_graded(check_module, _pipeline(**kwargs))
    assert expected in failure.value.message


def test_not_written_and_none():
    def stub(images, labels, preprocess, batch_size, is_training, seed=None):
        raise NotImplementedError()

    def returns_none(images, labels, preprocess, batch_size, is_training, seed=None):
        tf.data.Dataset.from_tensor_slices((images, labels)).batch(batch_size)

    with pytest.raises(CheckFailed, match="not written yet"):
        check_module.check(stub)
    with pytest.raises(CheckFailed, match="returns None"):
        check_module.check(returns_none)


def test_a_crash_names_its_line():
    def broken(images, labels, preprocess, batch_size, is_training, seed=None):
        return tf.data.Dataset.from_tensor_slices((images, labels)).batch(batch_size=None)

    with pytest.raises(CheckFailed, match="raised"):
        check_module.check(broken)


def _seeded(shuffle_seed, prefetch_first=False):
    """A pipeline whose shuffle gets ``shuffle_seed(seed)``; optionally prefetching first."""

    def make_dataset(images, labels, preprocess, batch_size, is_training, seed=None):
        dataset = tf.data.Dataset.from_tensor_slices((images, labels))
        if prefetch_first:
            dataset = dataset.prefetch(2)
        if is_training:
            dataset = dataset.shuffle(buffer_size=len(labels), seed=shuffle_seed(seed))
        dataset = dataset.map(lambda image, label: (preprocess(image, is_training), label))
        dataset = dataset.batch(batch_size)
        return dataset if prefetch_first else dataset.prefetch(buffer_size=1)

    return make_dataset


def test_a_seeded_pipeline_written_another_way_passes():
    check_as_graded(check_module, _seeded(lambda seed: seed))


@pytest.mark.parametrize(
    "pipeline, expected",
    [
        (_seeded(lambda seed: None), "the shuffle ignores `seed`"),
        (_seeded(lambda seed: 11), "the shuffle's seed is fixed"),
        (_seeded(lambda seed: seed, prefetch_first=True), "the prefetch comes before the batch"),
    ],
    ids=["seed-ignored", "seed-fixed", "prefetch-first"],
)
def test_seed_and_prefetch_mistakes_are_named(pipeline, expected):
    with pytest.raises(CheckFailed) as raised:
        check_as_graded(check_module, pipeline)
    assert expected in raised.value.message
