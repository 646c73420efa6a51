"""Fashion-MNIST: read from local idx files first (no network), downloaded otherwise, and
a clear message when neither works."""

import gzip

import numpy as np
import pytest

from resnet_lesson import fashion_mnist


def _write_idx(folder, name, array, magic):
    header = magic.to_bytes(4, "big") + len(array).to_bytes(4, "big")
    if array.ndim == 4:  # images: rows and columns follow the count
        header += array.shape[1].to_bytes(4, "big") + array.shape[2].to_bytes(4, "big")
    with gzip.open(folder / name, "wb") as stream:
        stream.write(header + array.astype(np.uint8).tobytes())


def _fake_folder(folder, train=12, test=5):
    rng = np.random.default_rng(0)
    parts = {}
    for part, count in (("train", train), ("test", test)):
        images = rng.integers(0, 256, (count, 28, 28, 1), dtype=np.uint8)
        labels = rng.integers(0, 10, count, dtype=np.uint8)
        images_file, labels_file = fashion_mnist.FILES[part]
        _write_idx(folder, images_file, images, 2051)
        _write_idx(folder, labels_file, labels, 2049)
        parts[part] = (images, labels)
    return parts


def test_local_idx_files_are_read_without_the_network(tmp_path, monkeypatch):
    written = _fake_folder(tmp_path)

    def no_download():
        raise AssertionError("downloaded although the files are local")

    monkeypatch.setattr("keras.datasets.fashion_mnist.load_data", no_download)
    (train_x, train_y), (test_x, test_y) = fashion_mnist.load_fashion_mnist([tmp_path])
    assert train_x.dtype == np.uint8 and train_x.shape == (12, 28, 28, 1)
    assert train_y.dtype == np.int64 and test_x.shape == (5, 28, 28, 1)
    assert np.array_equal(train_x, written["train"][0])
    assert np.array_equal(test_y, written["test"][1])


def test_the_folder_variable_comes_before_debians_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(fashion_mnist.FOLDER_VARIABLE, str(tmp_path))
    assert fashion_mnist.local_folders() == [tmp_path, fashion_mnist.DEBIAN_FOLDER]


def test_without_files_and_without_download_the_message_says_what_to_do(tmp_path):
    with pytest.raises(fashion_mnist.FashionMnistUnavailable) as raised:
        fashion_mnist.load_fashion_mnist([tmp_path], download=False)
    message = str(raised.value)
    assert str(tmp_path) in message and "dataset-fashion-mnist" in message


def test_a_failed_download_says_where_it_looked_and_why_it_failed(tmp_path, monkeypatch):
    def offline():
        raise OSError("no route to host")

    monkeypatch.setattr("keras.datasets.fashion_mnist.load_data", offline)
    with pytest.raises(fashion_mnist.FashionMnistUnavailable) as raised:
        fashion_mnist.load_fashion_mnist([tmp_path])
    message = str(raised.value)
    assert "no route to host" in message and "dataset-fashion-mnist" in message


def test_the_download_is_used_when_no_folder_has_the_files(tmp_path, monkeypatch):
    images = np.zeros((3, 28, 28), np.uint8)
    labels = np.array([1, 2, 3], np.uint8)
    monkeypatch.setattr(
        "keras.datasets.fashion_mnist.load_data", lambda: ((images, labels), (images, labels))
    )
    (train_x, train_y), _ = fashion_mnist.load_fashion_mnist([tmp_path])
    assert train_x.shape == (3, 28, 28, 1) and train_y.dtype == np.int64


def test_a_file_of_the_wrong_kind_is_refused(tmp_path):
    _fake_folder(tmp_path)
    images_file, labels_file = fashion_mnist.FILES["train"]
    (tmp_path / labels_file).write_bytes((tmp_path / images_file).read_bytes())
    with pytest.raises(ValueError, match="not an idx file of the expected kind"):
        fashion_mnist.read_folder(tmp_path)


def test_the_split_holds_out_the_test_images_and_depends_only_on_the_seed(tmp_path):
    _fake_folder(tmp_path, train=20, test=5)
    a = fashion_mnist.load_fashion_mnist_splits(validation_size=4, folders=[tmp_path])
    assert a.sizes() == {"train": 16, "validation": 4, "test": 5}
    key = lambda s: sorted(map(bytes, s.images.reshape(len(s), -1)))  # noqa: E731
    (train_x, _), (test_x, _) = fashion_mnist.read_folder(tmp_path)
    assert key(a.test) == sorted(map(bytes, test_x.reshape(5, -1)))
    both = np.concatenate([a.train.images, a.validation.images])
    assert sorted(map(bytes, both.reshape(20, -1))) == sorted(map(bytes, train_x.reshape(20, -1)))
    b = fashion_mnist.load_fashion_mnist_splits(validation_size=4, folders=[tmp_path])
    c = fashion_mnist.load_fashion_mnist_splits(validation_size=4, seed=1, folders=[tmp_path])
    assert np.array_equal(a.validation.labels, b.validation.labels)
    assert not np.array_equal(a.validation.images, c.validation.images)
    fewer = fashion_mnist.load_fashion_mnist_splits(4, validation_size=4, folders=[tmp_path])
    assert len(fewer.train) == 4


@pytest.mark.skipif(
    not fashion_mnist.DEBIAN_FOLDER.is_dir(), reason="Debian's dataset-fashion-mnist is absent"
)
def test_debians_package_holds_the_whole_data_set():
    (train_x, train_y), (test_x, test_y) = fashion_mnist.read_folder(fashion_mnist.DEBIAN_FOLDER)
    assert train_x.shape == (60000, 28, 28, 1) and test_x.shape == (10000, 28, 28, 1)
    assert np.bincount(train_y).tolist() == [6000] * 10
    assert np.bincount(test_y).tolist() == [1000] * 10


def test_the_small_images_average_each_block_of_pixels(tmp_path):
    written = _fake_folder(tmp_path, train=6)
    images, labels = fashion_mnist.load_fashion_mnist_small(
        14, count=4, folders=[tmp_path], download=False
    )
    assert images.shape == (4, 14, 14, 1) and images.dtype == np.float32
    original = written["train"][0][:4, ..., 0].astype("float64") / 255.0
    blocks = original.reshape(4, 14, 2, 14, 2).mean(axis=(2, 4))
    np.testing.assert_allclose(images[..., 0], blocks, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(labels, written["train"][1][:4])
