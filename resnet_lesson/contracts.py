"""What an earlier chapter's method promises, without its code.

A chapter that calls an earlier exercise's method shows the learner how to call it:
its signature, read from the reference, and its contract in one line. Printing the
reference's source instead would hand out that earlier exercise's answer.
"""

import inspect
import textwrap

from resnet_lesson.model import ResNetModel

# One line per exercise method: what it takes and what it returns.
CONTRACTS = {
    "custom_padding": (
        "returns `inputs` with `kernel_size - 1` zeros added on each spatial axis "
        "(half before, the extra one after), in either data format."
    ),
    "pre_activation": (
        "returns `inputs` batch-normalized over the channel axis (mode from "
        "`is_training`), then passed through a ReLU; same shape."
    ),
    "pre_activation_with_shortcut": (
        "`shortcut_params` is `(shortcut_filters, strides)`; returns `(pre_activated, "
        "shortcut)`: the pre-activated input, and either the raw input or, when "
        "`shortcut_filters` is not None, a 1x1 conv of the pre-activated input with "
        "`shortcut_filters` filters and stride `strides`."
    ),
    "regular_block": (
        "returns a regular block's output, built in the name scope `regular_block{index}`: "
        "`filters` channels, spatial size divided by `strides`; give `shortcut_filters` "
        "when the input's shape changes (a projection shortcut)."
    ),
    "bottleneck_block": (
        "the same as `regular_block` for a bottleneck block (scope "
        "`bottleneck_block{index}`): its output has `4 * filters` channels."
    ),
    "block_layer": (
        "returns the output of `num_blocks` blocks stacked in the scope "
        "`block_layer{index}`; only the first block strides and projects."
    ),
}


def describe(method_name):
    """``method_name(signature): contract`` for one exercise method."""
    signature = inspect.signature(getattr(ResNetModel, method_name))
    contract = textwrap.fill(
        CONTRACTS[method_name], width=88, initial_indent="    ", subsequent_indent="    "
    )
    return f"{method_name}{signature}\n{contract}"


def print_contracts(*method_names):
    """Print how to call each of ``method_names``: signature and contract, no code."""
    for name in method_names:
        print(describe(name))
        print()
