"""Chapter 9's stage shapes are read from built networks."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from resnet_lesson import build_resnet  # noqa: E402
from resnet_lesson.figures.architecture import (  # noqa: E402
    STAGES,
    plot_stage_shapes,
    stage_shapes,
)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_stage_shapes_of_resnet18_at_64(data_format):
    shapes = stage_shapes(build_resnet(18, image_size=64, num_classes=10, data_format=data_format))
    assert tuple(shapes) == STAGES
    assert shapes == {
        "input": (64, 64, 3),
        "conv_initial": (32, 32, 64),
        "pool_initial": (16, 16, 64),
        "block_layer1": (16, 16, 64),
        "block_layer2": (8, 8, 128),
        "block_layer3": (4, 4, 256),
        "block_layer4": (2, 2, 512),
        "pooled": (1, 1, 512),
    }


def test_the_plot_has_one_line_per_network_and_panel():
    shapes = stage_shapes(build_resnet(18, image_size=32, num_classes=10))
    figure = plot_stage_shapes({"a": shapes, "b": shapes})
    assert [len(ax.lines) for ax in figure.axes] == [2, 2]
    plt.close(figure)


def test_shared_values_stay_visible_and_every_number_inside_the_frame():
    """ResNet-18 and ResNet-50 share every map size: the later line must not hide the
    earlier one, and no written value may stick out of its panel (224, 2048)."""
    shapes = stage_shapes(build_resnet(18, image_size=32, num_classes=10))
    wider = {stage: (h, w, 4 * c if c > 3 else c) for stage, (h, w, c) in shapes.items()}
    figure = plot_stage_shapes({"a": shapes, "b": wider})
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    for ax in figure.axes:
        first, second = ax.lines
        assert first.get_linewidth() > second.get_linewidth()
        assert first.get_markersize() > second.get_markersize()
        frame = ax.get_window_extent(renderer)
        assert ax.texts
        for text in ax.texts:
            box = text.get_window_extent(renderer)
            assert frame.x0 <= box.x0 and box.x1 <= frame.x1, text.get_text()
            assert frame.y0 <= box.y0 and box.y1 <= frame.y1, text.get_text()
    plt.close(figure)
