# %% [markdown] role="title"
# # Chapter 8: The block layer

# %% [markdown]
# A ResNet is four **block layers** in a row (He et al. 2016a, *Deep Residual
# Learning for Image Recognition*, Table 1, where they are called conv2_x to
# conv5_x). A block layer stacks blocks of one kind, regular or bottleneck, that
# all work at one map size and one width. In this chapter you write
# `block_layer`, the method that stacks them, and the network is then complete
# up to its classifier head.

# %% role="setup"

# %% [markdown]
# ## Stacking blocks
#
# `ResNetModel` describes the stack with three attributes (chapter 2):
#
# - `self.block_layer_sizes`: how many blocks each of the four block layers
#   stacks, for example `[3, 4, 6, 3]` for ResNet-50;
# - `self.filters_initial = 64` filters in the first block layer, doubling in
#   each later one (64, 128, 256, 512);
# - `self.block_strides = [1, 2, 2, 2]`: the second, third and fourth block
#   layers halve the map.
#
# A block adds its branch to its shortcut, so inside a block layer the blocks
# must keep the shape: each block's output is the next block's input, and an
# identity shortcut only works when input and output have the same shape.
#
# ## Which block strides and projects
#
# The change of shape happens once, at the **first block** of the block layer:
#
# - it gets the block layer's `strides` (its strided 3x3 conv halves the map
#   when `strides` is 2);
# - it changes the width to the block layer's output width: `filters` for a
#   regular block, `4 * filters` for a bottleneck block. Its shortcut must
#   change the same way, so it gets a **projection shortcut** (chapter 5) with
#   `shortcut_filters` equal to that width.
#
# Every later block gets stride 1 and the identity shortcut (no
# `shortcut_filters`), the cheap shortcut that He et al. (2016b, *Identity
# Mappings in Deep Residual Networks*) found to train best.
#
# ## A decision: a projection where the shape already fits?
#
# In one place the rule above is a choice rather than a necessity: the first
# block layer of ResNet-18 and 34, whose first block has 64 channels in, 64 out
# and stride 1. Its shape does not change, so the identity would fit. Two valid
# designs:
#
# - **a projection in every first block** (the course's choice): one rule for
#   every depth and every block layer, at the cost of one 1x1 conv in ResNet-18
#   and 34. TensorFlow's official ResNet code does the same.
# - **the identity where the shapes match**: project only where the block changes
#   the shape. He et al.'s option B (2016a, section 4.1) projects only where the
#   dimensions increase, and the pre-activation code released with the 2016b
#   paper also projects only where the number of channels changes. Their
#   ResNet-18 and 34 have no conv on that first shortcut. In ResNet-50 and
#   deeper the first block widens from 64 to 256 channels, so both designs
#   project there.
#
# The decision is yours. If you keep the identity where the shapes match, the
# check says so and counts the difference on ResNet-18; later chapters use the
# course's block layer either way. What the check refuses is a projection on
# *every* block (option C of 2016a): it takes the identity away from every
# block. On the 34-layer ImageNet network it was marginally better (2016a,
# Table 3: 24.19% top-1 error against 24.52% for option B) at the price of many
# more weights, and He et al. left it out for that price; in a deep network it
# was clearly worse (2016b, Table 1: 12.22% against 6.61% for ResNet-110,
# measured for chapter 5's shortcuts on the digits too). This course follows
# the identity of 2016b.

# %% role="given" grade_id="ch08_block_layer_reference_methods" tags=["nbval-check-output"]
# The blocks you stack, your chapter 6 and 7 methods: how to call them, not their code.
import keras

from resnet_lesson.contracts import print_contracts

print_contracts("regular_block", "bottleneck_block")


# %% [markdown]
# ## Exercise: write `block_layer`
#
# Your `ResNetModel` inherits everything else from the course's reference model.
#
# **Contract.** `block_layer(inputs, filters, strides, num_blocks, is_training,
# index)` builds block layer number `index` (1 to 4) and returns its last
# block's output:
#
# - it stacks `num_blocks` blocks, each reading the previous one's output: regular
#   blocks, or bottleneck blocks when `self.bottleneck` is true;
# - the first block gets the block layer's `strides` and turns the block layer's
#   input into the output shape: the output width is `filters` for regular
#   blocks and `4 * filters` for bottleneck ones, and where that changes the
#   shape, its shortcut needs `shortcut_filters` of that width (where the shape
#   already fits, projecting is your decision above); every later block strides
#   1 and keeps the identity shortcut;
# - every layer it creates lives in a name scope called `block_layer` followed
#   by the index (`block_layer1`, ...): chapter 9's measurements find the block
#   layers by that name.
#
# A block is called as
# `block(inputs, filters, strides, is_training, index, shortcut_filters=None)`,
# where `index` is the block's number inside the block layer (0 for the first).
#
# <details><summary>Hint 1: the idea</summary>
#
# Choose the kind of block once, then treat the first block apart: it is the
# only one that changes the shape. The others are all alike, so a loop builds
# them.
#
# </details>
#
# <details><summary>Hint 2: which methods, which arguments</summary>
#
# `self.regular_block` and `self.bottleneck_block` have the same signature, so
# you can store the right one in a variable and call that. `keras.name_scope(name)`
# is a context manager: the layers created inside its `with` block get its name.
# An f-string such as `f"block_layer{index}"` makes the name.
#
# </details>
#
# <details><summary>Hint 3: the first step</summary>
#
# The scope and the choice of block, the rest is yours:
#
# ```python
# with keras.name_scope(f"block_layer{index}"):
#     block_fn = self.bottleneck_block if self.bottleneck else self.regular_block
# ```
#
# Still inside the `with`: the first block, then a `for` loop over the other
# block indices. The contract says which arguments differ between the first block
# and the rest.
#
# </details>


# %% role="answer" grade_id="block_layer"
class ResNetModel(resnet_lesson.course_model_without("block_layer")):
    def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
        # num_blocks blocks in the scope block_layer{index}; only the first changes shape.
        ### BEGIN SOLUTION
        with keras.name_scope(f"block_layer{index}"):
            block_fn = self.bottleneck_block if self.bottleneck else self.regular_block
            shortcut_filters = 4 * filters if self.bottleneck else filters
            outputs = block_fn(
                inputs, filters, strides, is_training, 0, shortcut_filters=shortcut_filters
            )
            for block_index in range(1, num_blocks):
                outputs = block_fn(outputs, filters, 1, is_training, block_index)
            return outputs
        ### END SOLUTION


# %% [markdown]
# ### Check your block layer
#
# The check builds your block layer and the reference one with the same weights
# for regular and bottleneck networks, one to three blocks, stride 1 and 2, and
# both data formats, and compares their outputs in training and inference
# mode. Where they differ, it compares yours with the other design (the identity
# where the shapes match) in every case, and if that matches, it says so and
# counts its cost on ResNet-18. Otherwise it tells you which common mistake
# reproduces your output.

# %% role="tests" grade_id="block_layer_tests" points=3
from resnet_lesson.checks import block_layer as block_layer_check

block_layer_check.check(ResNetModel)
### BEGIN HIDDEN TESTS
block_layer_check.check(ResNetModel, thorough=True)
### END HIDDEN TESTS

# %% [markdown]
# ## Your block layers in ResNet-50
#
# `build_resnet` accepts your class, so the ResNet-50 below (224x224 images) is
# stacked by your `block_layer`. Each bar is one block: its height is the
# number of channels the block outputs, the text on top the map size, and the
# green bars are the blocks with a projection shortcut.

# %% role="given" grade_id="ch08_block_layer_stack_figure" tags=["nbval-check-output"]
import matplotlib.pyplot as plt

from resnet_lesson.analysis import blocks_of
from resnet_lesson.checks.engine import yours_or_course
from resnet_lesson.figures.architecture import block_stack_figure

# Your code once it passes its check; until then the course's (a line says so).
Model = yours_or_course(ResNetModel, "block_layer")
resnet50 = resnet_lesson.build_resnet(50, image_size=224, num_classes=1000, model_class=Model)
block_stack_figure(resnet50, "ResNet-50 stacked by your block_layer")
plt.show()
blocks = blocks_of(resnet50)
print(
    f"{len(blocks)} blocks, {sum(b['projection'] for b in blocks)} of them "
    "with a projection shortcut"
)

# %% [markdown]
# Within a block layer the bars are equal: same width, same map size. At each
# block layer's first block the width doubles and (from the second block layer
# on) the map size halves. Halving the map divides a conv's multiply-adds by
# four and doubling the width multiplies them by four, so a block costs about
# the same wherever it sits in the network.
#
# ## Where the depth in the name comes from
#
# The "50" of ResNet-50 counts the layers with weights along the main path: the
# initial 7x7 conv, the convs of every block's branch, and the final dense
# layer. Projection shortcuts are not counted. Below we count the convs of
# networks built with your block layer and recover the names.

# %% role="given" grade_id="ch08_block_layer_depth" tags=["nbval-check-output"]
from resnet_lesson.checks.engine import yours_or_course

# Your code once it passes its check; until then the course's (a line says so).
Model = yours_or_course(ResNetModel, "block_layer")
for depth in (18, 34, 50):
    if depth == 50:
        model = resnet50  # built above
    else:
        model = resnet_lesson.build_resnet(depth, image_size=64, num_classes=10, model_class=Model)
    blocks = blocks_of(model)
    convs = sum(isinstance(layer, keras.layers.Conv2D) for layer in model.layers)
    dense = sum(isinstance(layer, keras.layers.Dense) for layer in model.layers)
    projections = sum(b["projection"] for b in blocks)
    print(
        f"ResNet-{depth}: {len(blocks):2d} {blocks[0]['kind']} blocks, "
        f"{convs} convs - {projections} projections + {dense} dense layer "
        f"= {convs - projections + dense} layers"
    )

# %% [markdown]
# A regular block has two convs and a bottleneck block three, so ResNet-50 has
# the same 16 blocks as ResNet-34 but 16 more layers, while both have about the
# same cost (chapter 9 measures it).
#
# ## Check your understanding

# %% [markdown] role="question" grade_id="block_layer_q1" correct="c"
# ResNet-34's third block layer has 6 blocks. How many of them stride, and how many have a
# projection shortcut?
#
# - all 6 stride, 1 projects
# - 1 strides, 6 project
# - 1 strides, 1 projects
# - none stride, 1 projects
#
# > Only the first block changes the shape: it strides and has the projection shortcut;
# > the other five keep the shape and use the identity.

# %% [markdown] role="question" grade_id="block_layer_q2" correct="a"
# In a ResNet-50 block layer with `filters = 128`, what is the first block's
# `shortcut_filters`?
#
# - 512
# - 256
# - 128
# - None
#
# > A bottleneck block outputs 4 * filters = 512 channels, and the projection must produce
# > the same shape for the addition.

# %% [markdown] role="question" grade_id="block_layer_q3" correct="b"
# Why can the blocks after the first one use the identity shortcut?
#
# - because identity shortcuts are always allowed
# - because their input already has the block layer's width and map size, so the branch's
#   output has the same shape as the input
# - because batch norm fixes any shape mismatch
# - because they have no stride of their own, so they skip the branch
#
# > After the first block the shape stays the same within the block layer, so the input
# > can be added to the branch's output as it is.

# %% [markdown] role="question" grade_id="block_layer_q4" correct="b"
# Choose the identity where the shapes match, and the check counts what ResNet-18
# saves: one 1x1 conv from 64 to 64 channels in block layer 1. ResNet-34 has 3
# blocks in block layer 1 instead of 2. How many weights does the same choice save
# in ResNet-34?
#
# - none: ResNet-34 already keeps the identity there
# - the same as in ResNet-18: one 64 x 64 kernel, 4,096 weights
# - three times as many, one per block of block layer 1
# - 64 x 256 = 16,384, as in ResNet-50
#
# > Only the first block of a block layer may project, so whatever the number of
# > blocks, block layer 1 has one shortcut conv to save: 64 x 64 = 4,096 weights.
# > ResNet-50's first block widens to 256 channels and keeps its projection.

# %% [markdown]
# ## Recap
#
# - A block layer stacks `num_blocks` blocks of one kind in the
#   `block_layer{index}` name scope, each reading the previous one's output.
# - Only the first block strides and has a projection shortcut (`4 * filters`
#   for bottleneck blocks, `filters` for regular ones), at least where it
#   changes the shape; projecting where the shape already fits is a choice (the
#   course's, and TensorFlow's) that He et al.'s own networks do not make. The
#   rest use stride 1 and the identity.
# - Measured on your networks: ResNet-50 has 16 bottleneck blocks with 4
#   projections, and counting the main path's layers gives the names 18, 34
#   and 50.
#
# Next, chapter 9 adds the stem and the classifier head and compares the whole
# network with the paper's Table 1.
