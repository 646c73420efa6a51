"""The chapter 8 check accepts correct block layers however written, and names mistakes."""

import keras
import pytest
from conftest import check_as_graded, check_failure

from resnet_lesson.checks import block_layer as check_module
from resnet_lesson.model import ResNetModel


def learner(body):
    """A learner class whose block layer is ``body`` inside the name scope."""

    class Learner(ResNetModel):
        def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
            with keras.name_scope(f"block_layer{index}"):
                return body(self, inputs, filters, strides, num_blocks, is_training)

    return Learner


def test_the_reference_passes_and_reports(capsys):
    check_as_graded(check_module, ResNetModel)  # only the visible check reports
    out = capsys.readouterr().out
    assert out.count("block_layer is correct") == 1
    assert "ResNet-50, 3 bottleneck blocks" in out


def _list_then_loop(self, inputs, filters, strides, num_blocks, is_training):
    # Strides and shortcut filters as lists, a while loop, keyword arguments.
    block = self.bottleneck_block if self.bottleneck else self.regular_block
    width = filters * (4 if self.bottleneck else 1)
    all_strides = [strides] + [1] * (num_blocks - 1)
    all_shortcuts = [width] + [None] * (num_blocks - 1)
    x = inputs
    i = 0
    while i < num_blocks:
        x = block(
            inputs=x,
            filters=filters,
            strides=all_strides[i],
            is_training=is_training,
            index=i,
            shortcut_filters=all_shortcuts[i],
        )
        i += 1
    return x


def _if_inside_loop(self, inputs, filters, strides, num_blocks, is_training):
    x = inputs
    for i in range(num_blocks):
        if self.bottleneck:
            if i == 0:
                x = self.bottleneck_block(x, filters, strides, is_training, i, 4 * filters)
            else:
                x = self.bottleneck_block(x, filters, 1, is_training, i)
        else:
            x = self.regular_block(
                x, filters, strides if i == 0 else 1, is_training, i, filters if i == 0 else None
            )
    return x


@pytest.mark.parametrize(
    "body", [_list_then_loop, _if_inside_loop], ids=["lists-while-keywords", "if-inside-loop"]
)
def test_other_correct_spellings_pass(body):
    check_as_graded(check_module, learner(body))


def _variant(**twist):
    """A learner written like the reference, with one twist."""

    def body(self, inputs, filters, strides, num_blocks, is_training):
        kind = twist.get("kind") or ("bottleneck" if self.bottleneck else "regular")
        block = getattr(self, f"{kind}_block")
        if "shortcut" in twist:
            shortcut_filters = twist["shortcut"](self, filters)
        else:
            shortcut_filters = 4 * filters if self.bottleneck else filters
        outputs = block(
            inputs,
            filters,
            strides,
            is_training,
            0,
            shortcut_filters=None if twist.get("no_first_projection") else shortcut_filters,
        )
        for i in twist.get("blocks", lambda n: range(1, n))(num_blocks):
            outputs = block(
                inputs if twist.get("unchained") else outputs,
                filters,
                strides if twist.get("all_stride") else 1,
                is_training,
                i,
                shortcut_filters=shortcut_filters if twist.get("all_project") else None,
            )
        return outputs

    return learner(body)


@pytest.mark.parametrize(
    "twist, expected",
    [
        (dict(all_stride=True), "every block strides"),
        (dict(all_project=True), "every block has a projection shortcut"),
        (dict(no_first_projection=True), "the first block has no projection shortcut"),
        (
            dict(shortcut=lambda self, f: f),
            "the projection of a bottleneck block layer has `filters` filters",
        ),
        (dict(blocks=lambda n: range(1, n - 1)), "one block too few"),
        (dict(blocks=lambda n: range(n)), "one block too many"),
        (dict(kind="regular"), "every block is a `regular_block`"),
        (dict(kind="regular", shortcut=lambda self, f: f), "every block is a `regular_block`"),
        (
            dict(kind="bottleneck", shortcut=lambda self, f: 4 * f),
            "every block is a `bottleneck_block`",
        ),
        (
            dict(kind="bottleneck", shortcut=lambda self, f: f),
            "every block is a `bottleneck_block`",
        ),
        (dict(unchained=True), "the blocks are not chained"),
    ],
)
def test_known_mistakes_are_named(twist, expected):
    assert expected in check_failure(check_module, _variant(**twist))


def test_a_missing_name_scope_is_named():
    class Learner(ResNetModel):
        def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
            return _if_inside_loop(self, inputs, filters, strides, num_blocks, is_training)

    message = check_failure(check_module, Learner)
    assert "name scope" in message
    assert "`keras.name_scope` named block_layer followed by" in message


def test_not_written_yet_and_none_are_explained():
    class NotWritten(ResNetModel):
        def block_layer(self, *args, **kwargs):
            raise NotImplementedError()

    class ReturnsNone(ResNetModel):
        def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
            with keras.name_scope(f"block_layer{index}"):
                _if_inside_loop(self, inputs, filters, strides, num_blocks, is_training)

    assert "not written yet" in check_failure(check_module, NotWritten)
    assert "did you forget to `return`" in check_failure(check_module, ReturnsNone)


def _first_block_then(later):
    """A block layer whose first block is right and whose later ones ``later`` builds."""

    def body(self, inputs, filters, strides, num_blocks, is_training):
        block = self.bottleneck_block if self.bottleneck else self.regular_block
        width = filters * (4 if self.bottleneck else 1)
        x = block(inputs, filters, strides, is_training, 0, shortcut_filters=width)
        for i in range(1, num_blocks):
            x = later(block, x, filters, is_training, i)
        return x

    return body


def test_later_blocks_that_never_train_are_named():
    def later(block, x, filters, is_training, i):
        return block(x, filters, 1, False, i)

    message = check_failure(check_module, learner(_first_block_then(later)))
    assert message.startswith("a batch norm ignores `is_training`")
    assert "(here True)" in message


def test_a_flag_and_index_swapped_by_keyword_mix_up_is_named():
    # The flag given as the index by keyword, the index as the flag.
    def later(block, x, filters, is_training, i):
        return block(x, filters, 1, index=is_training, is_training=i)

    message = check_failure(check_module, learner(_first_block_then(later)))
    assert "the training flag as its `index`" in message
