"""Chapter 11's preprocessing figure finds each crop's window by matching pixels."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from resnet_lesson import training  # noqa: E402
from resnet_lesson.figures.training import crop_window, plot_preprocessing  # noqa: E402


def test_crop_window_finds_the_window_and_the_mirror():
    image = np.random.default_rng(0).uniform(0, 255, (9, 11, 1))
    assert crop_window(image, image[2:8, 3:9]) == (2, 3, False)
    assert crop_window(image, image[1:7, 4:10][:, ::-1]) == (1, 4, True)


def test_the_figure_shows_each_image_resized_and_cropped():
    _, settings = training.resolve_setup("cpu-digits")
    resnet, _ = training.build_model(settings)
    images = np.random.default_rng(1).integers(0, 256, (2, 8, 8, 1)).astype("uint8")
    figure = plot_preprocessing(resnet, images, training_draws=2)
    assert len(figure.axes) == 2 * 4
    # Every panel has the evaluation window outlined, except the evaluation crop itself.
    outlined = [len(ax.patches) for ax in figure.axes]
    assert outlined == [1, 0, 1, 1] * 2
    plt.close(figure)
