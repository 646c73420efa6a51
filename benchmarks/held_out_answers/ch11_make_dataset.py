"""Held-out answers for chapter 11's exercise: ``make_dataset`` (a function, not a method)."""

EXERCISE = "make_dataset"

_HEAD = """
import tensorflow as tf


def make_dataset(images, labels, preprocess, batch_size, is_training, seed=None):
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
"""


def _answer(verdict, mistake, rest):
    return dict(verdict=verdict, mistake=mistake, source=_HEAD + rest)


ANSWERS = [
    _answer(
        "wrong",
        "the seed is not passed on to the shuffle",
        """
    if is_training:
        dataset = dataset.shuffle(len(images))
    dataset = dataset.map(
        lambda image, label: (preprocess(image, is_training), label),
        num_parallel_calls=tf.data.AUTOTUNE,
    )
    dataset = dataset.batch(batch_size)
    return dataset.prefetch(tf.data.AUTOTUNE)
""",
    ),
    _answer(
        "wrong",
        "the batch size is hard-coded to 32",
        """
    if is_training:
        dataset = dataset.shuffle(len(images), seed=seed)
    dataset = dataset.map(
        lambda image, label: (preprocess(image, is_training), label),
        num_parallel_calls=tf.data.AUTOTUNE,
    )
    dataset = dataset.batch(32)
    return dataset.prefetch(tf.data.AUTOTUNE)
""",
    ),
    _answer(
        "wrong",
        "the preprocessed images are cached: training's random crops and flips repeat each epoch",
        """
    if is_training:
        dataset = dataset.shuffle(len(images), seed=seed)
    dataset = dataset.map(
        lambda image, label: (preprocess(image, is_training), label),
        num_parallel_calls=tf.data.AUTOTUNE,
    ).cache()
    dataset = dataset.batch(batch_size)
    return dataset.prefetch(tf.data.AUTOTUNE)
""",
    ),
    _answer(
        "wrong",
        "the prefetch comes before the batch (it prefetches single images, the batches are not)",
        """
    if is_training:
        dataset = dataset.shuffle(len(images), seed=seed)
    dataset = dataset.map(
        lambda image, label: (preprocess(image, is_training), label),
        num_parallel_calls=tf.data.AUTOTUNE,
    )
    dataset = dataset.prefetch(tf.data.AUTOTUNE)
    return dataset.batch(batch_size)
""",
    ),
    _answer(
        "wrong",
        "the labels are one-hot encoded (the course's loss takes class numbers)",
        """
    if is_training:
        dataset = dataset.shuffle(len(images), seed=seed)
    dataset = dataset.map(
        lambda image, label: (preprocess(image, is_training), tf.one_hot(label, 10)),
        num_parallel_calls=tf.data.AUTOTUNE,
    )
    dataset = dataset.batch(batch_size)
    return dataset.prefetch(tf.data.AUTOTUNE)
""",
    ),
    _answer(
        "correct",
        "buffer from the labels, a plain map, prefetch of 2",
        """
    if is_training:
        dataset = dataset.shuffle(buffer_size=len(labels), seed=seed)

    def prepare(image, label):
        return preprocess(image, is_training), label

    dataset = dataset.map(prepare).batch(batch_size)
    return dataset.prefetch(2)
""",
    ),
]
