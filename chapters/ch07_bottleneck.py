# %% [markdown] role="title"
# # Chapter 7: The bottleneck block

# %% [markdown]
# ResNet-18 and ResNet-34 stack the regular block of chapter 6: two 3x3 convs.
# From ResNet-50 on, He et al. (2016a, *Deep Residual Learning for Image
# Recognition*, Section 4.1 and Figure 5) switch to a **bottleneck block**: a
# 1x1 conv that shrinks the channels, a 3x3 conv on the small number of
# channels, and a 1x1 conv that widens them again, four times wider than the
# 3x3 conv. In this chapter you write the whole block, from its name scope to
# the final sum, then measure what the design buys.

# %% role="setup"

# %% [markdown]
# ## Size considerations
#
# A 3x3 conv from `c` channels to `c` channels has `9 * c * c` weights, and it
# spends that many multiply-adds at every pixel. The cost grows with the
# *square* of the width. Deep networks want many channels to carry many
# features from block to block, but a regular block at 256 channels costs 16
# times what it costs at 64.
#
# The bottleneck separates the two needs. The block's input and output are
# wide (`4 * filters` channels, 256 in ResNet-50's first block layer), while
# the expensive 3x3 conv works on `filters` channels only (64 there):
#
# - **squeeze**: a 1x1 conv takes the `4 * filters` input channels down to
#   `filters`. A 1x1 conv mixes channels at each pixel and costs only
#   `4 * filters * filters` weights;
# - **3x3 conv** on `filters` channels: the spatial work, at a sixteenth of
#   what it would cost at full width. When the block strides, this conv
#   strides in the course's block (where else it may, below);
# - **expand**: a 1x1 conv from `filters` back to `4 * filters` channels, so
#   the branch's output has the shortcut's shape and the two can be added.
#
# In ResNet v2 (He et al. 2016b, *Identity Mappings in Deep Residual
# Networks*) every conv is preceded by its own pre-activation (batch norm and
# ReLU, chapter 4), and nothing follows the final addition.

# %% role="given" grade_id="ch07_bottleneck_diagrams"
# The bottleneck block's idea (filters = 64): the arrows carry the channel counts
# and the box widths follow them, squeeze then expand. The map's size is written at
# the input and the output; which conv shrinks it is your decision (below).
import matplotlib.pyplot as plt

from resnet_lesson.figures.blocks import block_diagrams

block_diagrams(filters=64, strides=2, kinds=("bottleneck",), recipe=False)
plt.show()

# %% [markdown]
# The shortcut must end with `4 * filters` channels too, so a projection
# shortcut in a bottleneck block has `shortcut_filters = 4 * filters`
# (chapter 8 passes that in). The projection is the one of chapter 5: your
# `pre_activation_with_shortcut` makes it, so the figure's green box is your
# chapter 5 code.

# %% role="given" grade_id="ch07_bottleneck_reference_methods" tags=["nbval-check-output"]
# The methods you call: your chapter 4 and 5 methods (how to call them, not their
# code), and the course's convolution, which no chapter asks you to write.
import inspect

import keras

import resnet_lesson
from resnet_lesson.contracts import print_contracts

print_contracts("pre_activation", "pre_activation_with_shortcut")
print(inspect.getsource(resnet_lesson.ResNetModel.custom_conv2d))


# %% [markdown]
# ## Exercise: write `bottleneck_block`
#
# Your `ResNetModel` inherits every other method from the course's reference
# model, so only `bottleneck_block` is yours, and all of it: the cell gives the
# signature only. You open the block's name scope, pre-activate the input and
# make the shortcut (with your chapter 5 method, whose contract is printed
# above), build the branch, and add.
#
# ### A decision: where the stride goes
#
# A block that downsamples shrinks the map once, in its branch; which conv does
# it is your decision, between two designs that both have a history:
#
# - **the stride on the 3x3 conv** (the course's choice): the squeeze runs on the
#   full map and the 3x3 conv, the one conv that looks at neighbouring pixels,
#   does the downsampling, so no pixel is skipped before the branch has looked at
#   it. Facebook's fb.resnet.torch, TensorFlow's official ResNet and many later
#   implementations stride here (it is often called "ResNet v1.5").
# - **the stride on the squeeze**: the first 1x1 conv strides, so it skips three
#   pixels in four, and everything after it runs on the small map. The original
#   ResNet-50/101/152 of He et al. (2016a) stride there, and their Table 1 counts
#   the multiply-adds of that design.
#
# Both have the same weights; they differ in multiply-adds (the squeeze of a
# downsampling block runs on four times as many pixels when the 3x3 conv strides)
# and in what the branch sees. If you choose the squeeze, the check says so and
# counts the difference on ResNet-50; chapter 9 measures it against the paper's
# Table 1. Later chapters use the course's block whatever you choose.
#
# **Contract.** `bottleneck_block(inputs, filters, strides, is_training, index,
# shortcut_filters=None)`:
#
# - `inputs` is a map in the model's data format, with any number of channels;
#   `filters` is the block's narrow width; `strides` is 1 or 2; `is_training` is
#   the mode of every batch norm the block makes; `index` names the block.
# - `shortcut_filters` says what the shortcut is. `None`: the block's input
#   itself, unchanged (the block is then given an input that already has
#   `4 * filters` channels and `strides` 1). A number: a projection of the
#   pre-activated input to that many channels, whose map shrinks by `strides`
#   like the branch's. Your chapter 5 method makes either, from the pair of
#   shortcut parameters its contract describes.
# - It returns a tensor shaped like the shortcut: `4 * filters` channels, and the
#   height and width divided by `strides` (rounded up).
# - The branch shrinks the map exactly once, at the conv your decision above
#   picks; a second stride, or one on the expand, is wrong.
# - The only conv that looks at neighbouring pixels (the 3x3) works at the narrow
#   width `filters`: the squeeze before it and the expand after it act on each
#   pixel alone. That is what makes the block cheap (the table below measures it).
# - Every conv reads a pre-activated input (chapter 4), and with the last conv's
#   kernel at zero the block returns its shortcut exactly, in training and in
#   inference: nothing follows the sum.
# - Everything the block makes, the shortcut's pre-activation and projection
#   included, lives in the name scope `bottleneck_block{index}` (chapter 9 reads
#   these scopes to find each block).
#
# <details><summary>Hint 1: the idea</summary>
#
# The block has four parts, in this order. Open the scope, so that everything
# after it is named inside it. Pre-activate the input and make the shortcut: one
# call of your chapter 5 method does both. The branch: the same pair of steps
# three times, *pre-activate, then convolve*, each conv with its own kernel size
# and width (squeeze, 3x3, expand), the first pre-activation being the one your
# chapter 5 method has just made. Then one addition, and nothing after it.
#
# </details>
#
# <details><summary>Hint 2: which methods, which arguments</summary>
#
# - `keras.name_scope(name)` is a context manager: layers created in a `with`
#   block under it get `name/` in front of their weights' paths. The name is a
#   string built from `index`.
# - `self.pre_activation_with_shortcut(inputs, is_training, shortcut_params)`
#   returns `(pre_activated, shortcut)`; `shortcut_params` is one pair, the
#   projection's filters and its stride: hand on the block's own arguments.
# - `self.custom_conv2d(inputs, filters, kernel_size, strides)` makes each conv
#   (it pads a strided conv the chapter 3 way and adds no bias), and
#   `self.pre_activation(inputs, is_training)` each pre-activation.
# - Two Keras tensors of the same shape add with `+`.
#
# </details>
#
# <details><summary>Hint 3: the first steps</summary>
#
# The scope and the shortcut, as the course writes them; the branch and the sum
# are yours:
#
# ```python
# with keras.name_scope(f"bottleneck_block{index}"):
#     shortcut_params = (shortcut_filters, strides)
#     pre_activated1, shortcut = self.pre_activation_with_shortcut(
#         inputs, is_training, shortcut_params
#     )
#     # the branch from pre_activated1: three times pre-activate, then convolve
# ```
#
# Every line of the branch goes inside the `with` block too. The contract gives
# each conv's width; exactly one conv of the block gets `strides`.
#
# </details>


# %% role="answer" grade_id="bottleneck_block"
class ResNetModel(resnet_lesson.course_model_without("bottleneck_block")):
    def bottleneck_block(self, inputs, filters, strides, is_training, index, shortcut_filters=None):
        # The whole block, from the contract: scope, pre-activation and shortcut, branch, sum.
        ### BEGIN SOLUTION
        with keras.name_scope(f"bottleneck_block{index}"):
            shortcut_params = (shortcut_filters, strides)
            pre_activated1, shortcut = self.pre_activation_with_shortcut(
                inputs, is_training, shortcut_params
            )
            conv1 = self.custom_conv2d(pre_activated1, filters, 1, 1)
            pre_activated2 = self.pre_activation(conv1, is_training)
            conv2 = self.custom_conv2d(pre_activated2, filters, 3, strides)
            pre_activated3 = self.pre_activation(conv2, is_training)
            conv3 = self.custom_conv2d(pre_activated3, 4 * filters, 1, 1)
            return conv3 + shortcut
        ### END SOLUTION


# %% [markdown]
# ### Check your block
#
# The check builds your block and the reference block on the same inputs with
# the same weights (stride 1 and 2, identity and projection shortcuts, both data
# formats, blocks of several indexes) and compares their outputs in training and
# inference mode, and in a bare call where your `is_training` decides. It also
# reads the paths of your block's weights: all of them must be in the block's
# scope. Where the outputs differ, it compares yours with the other design (the
# stride on the squeeze) in every case, and if that matches, it says so and
# counts its cost on ResNet-50. Otherwise it tells you which common mistake
# reproduces your output, or what your shortcut was made with if that breaks
# the contract.

# %% role="tests" grade_id="bottleneck_block_tests" points=3
from resnet_lesson.checks import bottleneck_block as bottleneck_block_check

bottleneck_block_check.check(ResNetModel)
### BEGIN HIDDEN TESTS
bottleneck_block_check.check(ResNetModel, thorough=True)
### END HIDDEN TESTS

# %% [markdown]
# ## Squeeze and expand, measured on your block
#
# Below, your block runs on a 56x56 map with 256 channels, the size it sees
# in ResNet-50's first block layer, and we print the shape of every conv's
# output, in the order the block makes them: the channels go 256, 64, 64, 256.

# %% role="given" grade_id="ch07_bottleneck_shapes" tags=["nbval-check-output"]
from resnet_lesson.checks.engine import yours_or_course

# Your code once it passes its check; until then the course's (a line says so).
Model = yours_or_course(ResNetModel, "bottleneck_block")
resnet = Model(224, 224, 50, 1000)
inputs = keras.Input((56, 56, 256))
block = keras.Model(inputs, resnet.bottleneck_block(inputs, 64, 1, True, 0))
print(f"{'input':>14}: {tuple(inputs.shape[1:])}")
convs = [layer for layer in block.layers if isinstance(layer, keras.layers.Conv2D)]
for number, layer in enumerate(convs, 1):
    print(f"{'conv ' + str(number):>14}: {tuple(layer.output.shape[1:])}")
print(f"{'block output':>14}: {tuple(block.output.shape[1:])}")

# %% [markdown]
# ## Parameter comparison
#
# The bottleneck's promise: a block whose input and output are four times
# wider, for about the same number of weights as a regular block. We count the
# weights of three blocks built with the course's code, each with an identity
# shortcut:
#
# - a regular block with 64 filters on 64 channels (ResNet-34's first block
#   layer);
# - your bottleneck block with 64 filters on 256 channels (ResNet-50's);
# - a regular block with 256 filters on 256 channels: what carrying 256
#   channels would cost without the bottleneck.
#
# "conv weights" counts the kernels only; "all weights" adds the batch norms'
# gamma and beta and their moving mean and variance (the moving statistics
# are not trained, but Keras counts them, as `model.count_params()` does).

# %% role="given" grade_id="ch07_bottleneck_parameters" tags=["nbval-check-output"]
import math

from resnet_lesson.checks.engine import yours_or_course

# Your code once it passes its check; until then the course's (a line says so).
Model = yours_or_course(ResNetModel, "bottleneck_block")


def block_weights(block_kind, filters, channels):
    resnet = Model(224, 224, 50 if block_kind == "bottleneck" else 34, 1000)
    inputs = keras.Input((56, 56, channels))
    method = getattr(resnet, f"{block_kind}_block")
    block = keras.Model(inputs, method(inputs, filters, 1, True, 0))
    convs = [layer for layer in block.layers if isinstance(layer, keras.layers.Conv2D)]
    conv_weights = sum(math.prod(layer.kernel.shape) for layer in convs)
    biases_if_any = sum(layer.filters for layer in convs)
    return conv_weights, block.count_params(), biases_if_any


blocks = {
    "regular, 64 filters on 64 channels": ("regular", 64, 64),
    "bottleneck, 64 filters on 256 channels": ("bottleneck", 64, 256),
    "regular, 256 filters on 256 channels": ("regular", 256, 256),
}
counts = {name: block_weights(*spec) for name, spec in blocks.items()}
print(f"{'block':>40} {'conv weights':>13} {'all weights':>12} {'+ conv biases':>14}")
for name, (conv_weights, all_weights, biases) in counts.items():
    print(f"{name:>40} {conv_weights:>13,} {all_weights:>12,} {conv_weights + biases:>14,}")

# %% [markdown]
# The last column is a what-if, computed here: the same blocks if every conv
# had a bias, one per filter (a Keras `Conv2D` has one unless told otherwise).
# The course's convs have **no bias**, because each conv's output goes into a
# batch norm (in the next pre-activation, directly or after the addition), and
# batch norm subtracts the mean, bias included, then adds its own learned
# offset beta (Ioffe and Szegedy 2015, *Batch Normalization*, Section 3.2).
# So the first column is lower by one number per filter: 64 + 64 = 128 for the
# narrow regular block, 64 + 64 + 256 = 384 for the bottleneck.
#
# Either way the comparison holds: the bottleneck carries four times the
# channels for slightly *fewer* weights than the narrow regular block, and
# about a seventeenth of what a regular block of the same width would need.

# %% role="given" grade_id="ch07_bottleneck_parameters_figure" tags=["nbval-check-output"]
names = list(counts)
conv_weights = [counts[name][0] for name in names]
fig, ax = plt.subplots(figsize=(7, 3.2))
bars = ax.barh(names, conv_weights, color=["#9fc5e8", "#f6b26b", "#cccccc"])
ax.bar_label(bars, labels=[f"{w:,}" for w in conv_weights], padding=3)
ax.invert_yaxis()
ax.set_xscale("log")
ax.set_xlim(3e4, 4e6)
ax.set_xlabel("conv weights of one block (log scale)")
ax.set_title("The bottleneck carries 256 channels for the cost of a 64-channel block")
plt.show()
ratio = counts[names[2]][0] / counts[names[1]][0]
print(f"a 256-wide regular block has {ratio:.1f} times the bottleneck's conv weights")

# %% [markdown]
# The same ratios hold for multiply-adds: every conv here keeps the map size
# (stride 1), so each weight is used once per output pixel, and a block's
# multiply-adds are its conv weights times the number of pixels (56 x 56 here).
# Chapter 9 counts them for whole networks and compares them with the paper's
# Table 1.
#
# ## Check your understanding

# %% [markdown] role="question" grade_id="bottleneck_block_q1" correct="d"
# A bottleneck block has `filters = 128`. How many channels does its output have?
#
# - 128
# - 256
# - the same as its input, whatever that is
# - 512
#
# > The last 1x1 conv expands to 4 * filters = 512 channels, and the shortcut must match
# > that for the addition.

# %% [markdown] role="question" grade_id="bottleneck_block_q2" correct="b"
# Which conv of a bottleneck block strides when the block downsamples (in the course's
# model)?
#
# - the first 1x1 conv
# - the 3x3 conv
# - the last 1x1 conv
# - all three
#
# > Only the 3x3 conv uses `strides`; both 1x1 convs use stride 1. (The original ResNet
# > strided the first 1x1 conv instead, a design the check accepts too; chapter 9
# > measures the difference.)

# %% [markdown] role="question" grade_id="bottleneck_block_q3" correct="b"
# A bottleneck block with `filters = 128` reads a 512-channel map and keeps its shape (an
# identity shortcut). How many conv weights does it hold (no biases, batch norms not
# counted)?
#
# - 147,456
# - 278,528
# - 294,912
# - 4,718,592
#
# > 512 x 128 for the first 1x1 conv, 3 x 3 x 128 x 128 for the 3x3 conv and 128 x 512
# > for the last 1x1 conv: 65,536 + 147,456 + 65,536 = 278,528. Two 3x3 convs at 128
# > channels (a regular block) would hold 294,912; at 512 channels, 4,718,592: the
# > bottleneck runs its 3x3 conv at a quarter of the width.

# %% [markdown] role="question" grade_id="bottleneck_block_q4" correct="a"
# With the stride on the squeeze, ResNet-50 spends fewer multiply-adds than the
# course's ResNet-50 (the check counts how many when you choose it). ResNet-101
# has the same four block layers with 3, 4, 23 and 3 blocks. Compared with
# ResNet-50's saving, what does the same choice save in ResNet-101?
#
# - exactly the same number of multiply-adds
# - about twice as many, since it has about twice the blocks
# - about 23/6 times as many, since block layer 3 is that much longer
# - nothing: ResNet-101 already strides its squeeze
#
# > Only a block that strides differs, and only the first block of block layers 2,
# > 3 and 4 strides. Those three blocks have the same input, filters and map size in
# > ResNet-50 and ResNet-101; the extra blocks keep stride 1 and cost the same either
# > way.

# %% [markdown]
# ## Recap
#
# - A bottleneck block squeezes with a 1x1 conv, does the 3x3 work on
#   `filters` channels, and expands with a 1x1 conv to `4 * filters`.
# - Each conv is pre-activated; one conv strides, the 3x3 conv in the course's
#   block (the squeeze in the original ResNet-50, the other valid design); the
#   block ends with the bare addition of the shortcut.
# - Measured: a bottleneck block on 256 channels has slightly fewer weights
#   than a regular block on 64, and about a seventeenth of a regular block on
#   256.
# - Without conv biases the counts are lower by one number per filter; batch
#   norm's beta does their job.
#
# Next, chapter 8 stacks blocks into a block layer.
