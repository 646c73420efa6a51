"""Bundled data: the digits splits and the sample photographs, no network needed."""

import numpy as np

from resnet_lesson import data


def test_digits_splits_are_disjoint_stratified_and_complete():
    splits = data.load_digits_splits()
    assert splits.sizes() == {"train": 1257, "validation": 180, "test": 360}
    for split in (splits.train, splits.validation, splits.test):
        assert split.images.dtype == np.uint8
        assert split.images.shape[1:] == (8, 8, 1)
        assert split.labels.dtype == np.int64
        # stratified: every class present in every part
        assert set(np.unique(split.labels)) == set(range(10))
    everything = np.concatenate([s.images for s in (splits.train, splits.validation, splits.test)])
    assert everything.max() == 255 and everything.min() == 0
    all_images, _ = data.load_digits_images()
    # the three parts hold every image exactly once
    key = lambda images: sorted(map(bytes, images.reshape(len(images), -1)))  # noqa: E731
    assert key(everything) == key(all_images)


def test_digits_split_depends_only_on_the_seed():
    a, b = data.load_digits_splits(seed=0), data.load_digits_splits(seed=0)
    assert np.array_equal(a.test.labels, b.test.labels)
    c = data.load_digits_splits(seed=1)
    assert not np.array_equal(a.test.labels, c.test.labels)


def test_sample_photographs():
    photos = data.sample_photographs()
    assert photos["china"].shape == (427, 640, 3)
    assert photos["flower"].shape == (427, 640, 3)
    assert photos["grace_hopper"].shape == (600, 512, 3)
    assert all(p.dtype == np.uint8 for p in photos.values())
