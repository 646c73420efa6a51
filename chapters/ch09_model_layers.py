# %% [markdown] role="title"
# # Chapter 9: Model layers and the full architecture

# %% [markdown]
# The blocks and block layers are done. `model_layers` puts the whole network
# together: a **stem** that shrinks the image quickly, the four **block
# layers**, and a **head** that turns the last feature map into one score per
# class. You write all of it, the loop over the block layers included; then we
# measure the network you built against Table 1 of He et al. (2016a, *Deep
# Residual Learning for Image Recognition*).

# %% role="setup"

# %% [markdown]
# ## The stem
#
# A 224x224 image has 50,176 pixels; running 64-channel 3x3 convs at that size
# would be costly. So the network opens with a 7x7 conv with 64 filters and
# stride 2 (`conv_initial`, 112x112) and a 3x3 max pool with stride 2
# (`pool_initial`, 56x56). The block layers then start on a map a sixteenth of
# the image's area. In v2 nothing normalizes between the two: the first block's
# pre-activation does that (the original v1 stem had a batch norm and ReLU after
# the conv). Like every strided conv of this model, `conv_initial` pads by its
# kernel size alone (chapter 3); the max pool pads `'same'`.
#
# ## The head
#
# In ResNet v2 every block ends with a bare addition (He et al. 2016b,
# *Identity Mappings in Deep Residual Networks*): the batch norm and ReLU that
# would normally follow are the *next* block's pre-activation. After the last
# block there is no next block, so the head starts with one more
# **pre-activation**. Then:
#
# - **global average pooling** averages each channel over the whole map: 512
#   numbers per image for ResNet-18 and 34, 2048 for ResNet-50 and deeper. It
#   has no weights, and it works for any image size, since the map's size
#   drops out;
# - a **dense layer** with `output_size` units makes the **logits**, one raw
#   score per class. The softmax is left to the loss
#   (`from_logits=True`), which computes it in a numerically safer way.
#
# There is **no dropout**. He et al. (2016a) follow Ioffe and Szegedy (2015,
# *Batch Normalization*), who found that batch norm regularizes enough that
# dropout can be removed; the paper's network has none. A dropout layer would
# also make the output random in training mode, while the network below is
# deterministic in both modes (measured after the exercise).

# %% role="given" grade_id="ch09_model_layers_reference_methods" tags=["nbval-check-output"]
# The methods you call, your chapter 4 and 8 methods: how to call them, not their code.
import keras

from resnet_lesson.contracts import print_contracts

print_contracts("pre_activation", "block_layer")


# %% [markdown]
# ## The block layers between them
#
# Chapter 8's `block_layer` stacks the blocks of one block layer. Table 1 of He
# et al. (2016a) lists four of them for every depth; what changes from depth to
# depth is only how many blocks each holds (chapter 2's `block_layer_sizes`) and
# whether those are regular or bottleneck blocks. From one block layer to the
# next the map is halved and the width doubled: a quarter of the positions, each
# with twice the channels in and out, so a 3x3 conv that keeps its block layer's
# width costs the same in every block layer (56 x 56 x 64 x 64 x 9 = 28 x 28 x
# 128 x 128 x 9 multiply-adds per image). The first block layer is the
# exception to the halving: it keeps the map the stem made (chapter 2's
# `block_strides`).
#
# ## Exercise: write `model_layers`
#
# Your `ResNetModel` inherits everything else from the course's reference model.
# You write the whole body of `model_layers(inputs, is_training)`: the stem, the
# block layers and the head.
#
# **Contract.** `inputs` is a batch of images in `self.data_format`:
# `(batch, height, width, channels)` for `channels_last`, `(batch, channels,
# height, width)` for `channels_first`. The method returns the **logits**, shape
# `(batch, self.output_size)`: one raw score per class, no softmax. What must
# hold on the way, for either data format and any depth:
#
# | stage, by its name | height x width at 224x224 (Table 1) | channels: regular / bottleneck |
# |---|---|---|
# | layer `conv_initial` | 112x112 | `f` |
# | layer `pool_initial` | 56x56 | `f` |
# | scope `block_layer1` | 56x56 | `f` / `4f` |
# | scope `block_layer2` | 28x28 | `2f` / `8f` |
# | scope `block_layer3` | 14x14 | `4f` / `16f` |
# | scope `block_layer4` | 7x7 | `8f` / `32f` |
# | layer `logits` | none: `(batch, self.output_size)` | |
#
# with `f = self.filters_initial`, and, for any other image size, the same
# ratios (the stem divides the height and width by 4 before the first block;
# then only block layers 2, 3 and 4 halve them).
#
# - The stem is the one described above, and its two layers carry the names
#   `conv_initial` and `pool_initial`.
# - There is one block layer per entry of `self.block_layer_sizes`, with that
#   many blocks, and each reads the output of the one before it. Their strides
#   are in `self.block_strides`. Their widths start at `self.filters_initial`
#   and double at each block layer, whatever the depth (`block_layer` widens
#   bottleneck blocks by 4 itself). Their weights live in the name scopes
#   `block_layer1`, `block_layer2`, ... (counted from 1).
# - The head is the one described above: v2's last pre-activation, one number
#   per channel whatever the map size, and a dense layer named `logits`. No
#   dropout.
# - The names are what the measurements after the exercise find the stages by;
#   the check asks for them once your values are right.
#
# <details><summary>Hint 1: the idea</summary>
#
# Three parts. The stem and the head are a few layers each, made then called on
# the previous output. The middle is a loop: the position of a block layer (first,
# second, ...) decides its width, its stride, its number of blocks and its scope
# index, and one variable carries the running output from each block layer to the
# next, so the head reads the last one.
#
# </details>
#
# <details><summary>Hint 2: which methods, which arguments</summary>
#
# - `self.custom_conv2d(inputs, filters, kernel_size, strides, name=None)` makes
#   the stem's conv with the course's padding and no bias;
# - `keras.layers.MaxPooling2D(pool_size, strides, padding=..., data_format=...,
#   name=...)` the stem's pool;
# - `self.block_layer(inputs, filters, strides, num_blocks, is_training, index)`
#   one block layer (its contract is printed above);
# - `self.pre_activation(inputs, is_training)` the head's pre-activation;
# - `keras.layers.GlobalAveragePooling2D(data_format=...)` the pooling;
# - `keras.layers.Dense(units, name=...)` the logits (its default activation is
#   none);
# - Python's `enumerate(a_list)` gives each item with its position from 0, and
#   `zip(list_a, list_b)` walks two lists side by side.
#
# A Keras layer is made first and then called on a tensor:
# `keras.layers.Something(arguments)(tensor)`.
#
# </details>
#
# <details><summary>Hint 3: worked examples on other pieces</summary>
#
# A layer the network does not use, a 2x2 average pool with stride 2, named, that
# knows the data format:
#
# ```python
# keras.layers.AveragePooling2D(2, 2, data_format=self.data_format, name="pool_example")(x)
# ```
#
# A loop of the same shape over a different stack: three plain 3x3 convs on `x`,
# 16 filters doubling, the first with stride 1 and the others with stride 2,
# each reading the previous one's output:
#
# ```python
# for position, stride in enumerate([1, 2, 2]):
#     x = self.custom_conv2d(x, 16 * 2**position, 3, stride, name=f"conv{position + 1}")
# ```
#
# Your loop walks `self.block_layer_sizes` instead, calls `self.block_layer`, and
# reads its widths from `self.filters_initial`.
#
# </details>


# %% role="answer" grade_id="model_layers"
class ResNetModel(resnet_lesson.course_model_without("model_layers")):
    def model_layers(self, inputs, is_training):
        # From `inputs` to the logits: the stem, the block layers, the head.
        ### BEGIN SOLUTION
        conv_initial = self.custom_conv2d(inputs, self.filters_initial, 7, 2, name="conv_initial")
        pool_initial = keras.layers.MaxPooling2D(
            3, 2, padding="same", data_format=self.data_format, name="pool_initial"
        )(conv_initial)
        block_layer_outputs = pool_initial
        for i, num_blocks in enumerate(self.block_layer_sizes):
            block_layer_outputs = self.block_layer(
                block_layer_outputs,
                self.filters_initial * 2**i,
                self.block_strides[i],
                num_blocks,
                is_training,
                i + 1,
            )
        pre_activated_final = self.pre_activation(block_layer_outputs, is_training)
        avg_pool = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(
            pre_activated_final
        )
        logits = keras.layers.Dense(self.output_size, name="logits")(avg_pool)
        return logits
        ### END SOLUTION


# %% [markdown]
# ### Check your network
#
# The check builds whole small networks with your method and with the reference,
# both data formats, on 64x64 images: short ones to be quick, with 1, 2, 1 and 1
# regular blocks in the four block layers (the graded run adds a ResNet-50 with its
# own counts), and narrow ones, 8 filters in the first block layer instead of 64.
# So your code must read `self.block_layer_sizes` and `self.filters_initial`
# rather than ResNet-18's numbers. It gives both networks the same weights and
# compares the logits in training and inference mode. If they differ, it tells
# you which common mistake reproduces your output, or else which block layer's
# output shape is off; if they agree, it looks for the names of the contract.

# %% role="tests" grade_id="model_layers_tests" points=3
from resnet_lesson.checks import model_layers as model_layers_check

model_layers_check.check(ResNetModel)
### BEGIN HIDDEN TESTS
model_layers_check.check(ResNetModel, thorough=True)
### END HIDDEN TESTS

# %% [markdown]
# ## Deterministic in both modes
#
# Your ResNet-18 on a batch of 64x64 images: run twice in training mode, the
# logits are identical (no dropout, and batch norm uses the batch's own
# statistics); in inference mode batch norm uses its moving averages instead,
# so the logits differ from training mode. `fit` runs training mode,
# `predict` and `evaluate` inference mode (chapter 4).

# %% role="given" grade_id="ch09_model_layers_modes"
import numpy as np

from resnet_lesson.checks.engine import yours_or_course

# Your code once it passes its check; until then the course's (a line says so).
Model = yours_or_course(ResNetModel, "model_layers")
small = resnet_lesson.build_resnet(18, image_size=64, num_classes=10, model_class=Model)
x = np.random.default_rng(0).normal(size=(8, 64, 64, 3)).astype("float32")
train_a = small(x, training=True).numpy()
train_b = small(x, training=True).numpy()
infer = small(x, training=False).numpy()
print("training mode, run twice: max difference", np.abs(train_a - train_b).max())
print("training vs inference mode: max difference", np.abs(train_a - infer).max())

# %% [markdown]
# ## Shapes through the network
#
# We build ResNet-18 and ResNet-50 with your class at 224x224 and 1000 classes,
# as in the paper, and read the shape after each stage from the built models
# (`resnet_lesson.analysis` walks the model's graph and finds each block
# layer by its name scope). The sizes are Table 1's output sizes: 112, 56,
# then 56, 28, 14 and 7 for the four block layers.

# %% role="given" grade_id="ch09_model_layers_shapes" tags=["nbval-check-output"]
import matplotlib.pyplot as plt

from resnet_lesson import analysis
from resnet_lesson.checks.engine import yours_or_course
from resnet_lesson.figures.architecture import plot_counts_vs_paper, plot_stage_shapes, stage_shapes

# Your code once it passes its check; until then the course's (a line says so).
Model = yours_or_course(ResNetModel, "model_layers")
models = {
    depth: resnet_lesson.build_resnet(depth, image_size=224, num_classes=1000, model_class=Model)
    for depth in (18, 50)
}
shapes = {f"ResNet-{depth}": stage_shapes(model) for depth, model in models.items()}
for name, stages in shapes.items():
    print(f"{name}:", ", ".join(f"{stage} {h}x{w}x{c}" for stage, (h, w, c) in stages.items()))
plot_stage_shapes(shapes)
plt.show()

# %% [markdown]
# The map is halved five times on the way, 224 / 32 = 7: twice in the stem and
# once at the start of each of the last three block layers. The channels grow
# the other way, and ResNet-50's block layers are four times wider than
# ResNet-18's: the bottleneck's expand.
#
# The average pooling keeps the head small. Flattening the last map instead
# would feed `7 * 7 * 2048` numbers into the dense layer:

# %% role="given" grade_id="ch09_model_layers_head_size" tags=["nbval-check-output"]
h, w, c = shapes["ResNet-50"]["block_layer4"]
flatten_weights = h * w * c * 1000 + 1000
pooled_weights = c * 1000 + 1000
resnet50_weights = analysis.count_parameters(models[50])
print(f"dense layer after global average pooling: {pooled_weights:,} weights")
print(
    f"dense layer after flattening {h}x{w}x{c}: {flatten_weights:,} weights "
    f"({flatten_weights / resnet50_weights:.1f} times all of ResNet-50's "
    f"{resnet50_weights:,})"
)
del models
keras.backend.clear_session()

# %% [markdown]
# ## Against the paper's Table 1
#
# Below, networks built with your class for each depth of Table 1 (224x224
# input, 1000 classes), next to two sets of published numbers. Table 1 gives
# "FLOPs", which are multiply-adds of one image. The paper gives no parameter
# counts: the 11.7M, 21.8M, 25.6M, 44.5M and 60.2M usually quoted are what later
# implementations count for their own builds (torchvision's ResNets; Keras's
# ResNet50 also has 25.6M), so the table calls them "cited". The course's
# counts are measured here, on your builds.
# `analysis.count_multiply_adds` counts every conv and the dense layer
# (`kernel size * input channels` per output value); batch norm, ReLU, pooling
# and the additions are left out, as in the paper. Building ResNet-152 takes a
# few seconds; each model is dropped once counted.

# %% role="given" grade_id="ch09_model_layers_table" tags=["nbval-check-output"]
from resnet_lesson.checks.engine import yours_or_course

# Your code once it passes its check; until then the course's (a line says so).
Model = yours_or_course(ResNetModel, "model_layers")
rows = []
for depth in analysis.PAPER_DEPTHS:
    rows.append(analysis.measure(depth, model_class=Model))
    keras.backend.clear_session()  # deep models need not pile up in memory

print(
    f"{'depth':>10} {'parameters':>11} {'cited':>7} {'diff':>7}   "
    f"{'GFLOPs':>6} {'paper':>6} {'diff':>7}"
)
for row in rows:
    params_diff = analysis.relative_difference(row["params"], row["cited_params"])
    flops_diff = analysis.relative_difference(row["multiply_adds"], row["paper_multiply_adds"])
    print(
        f"ResNet-{row['depth']:<3} {row['params']:>11,} "
        f"{row['cited_params'] / 1e6:>6.1f}M {params_diff:>+7.1%}   "
        f"{row['multiply_adds'] / 1e9:>6.2f} "
        f"{row['paper_multiply_adds'] / 1e9:>6.1f} {flops_diff:>+7.1%}"
    )

# %% role="given" grade_id="ch09_model_layers_table_figure"
plot_counts_vs_paper(rows)

# %% [markdown]
# The parameters agree with the cited counts to within a fraction of a percent
# (the first diff column). Conv biases are not the reason for the gap: the
# course's convs have none (chapter 7), and neither have torchvision's, whose
# builds the cited counts come from. Three other things separate the two, and
# the cell below measures each on your builds:
#
# - **moving statistics**: every batch norm keeps a moving mean and a moving
#   variance per channel. They are running averages, not trained by gradient
#   descent, but Keras counts them among the weights (as `model.count_params()`
#   does); PyTorch keeps them apart from its parameters, so torchvision's
#   counts leave them out;
# - **where the batch norms sit**: v1 has one batch norm right after every
#   conv, the stem's and the projections' included. v2 has one before every
#   conv of a block's branch (the first, on the block's input, also feeds the
#   projection) and one in the head. They normalize different numbers of
#   channels, so the count of `gamma` and `beta` differs a little;
# - **a projection where the shapes match**: the course projects in the first
#   block of every block layer (chapter 8), so ResNet-18 and 34 get a 1x1
#   projection in block layer 1, where 64 channels go in and 64 come out. A v1
#   network with identity shortcuts wherever the shapes match has no conv
#   there. (From ResNet-50 on, that block widens 64 channels to 256, so v1
#   projects there too.)
#
# The columns below subtract the first and the third from the course's count
# and swap v2's batch norms for v1's (`analysis.parameter_breakdown`); the
# last column is torchvision's exact count for the same depth.

# %% role="given" grade_id="ch09_model_layers_parameter_breakdown" tags=["nbval-check-output"]
print(
    f"{'depth':>10} {'course':>11} {'moving stats':>13} {'projection':>11} "
    f"{'BN layout':>10} {'= v1 count':>11} {'torchvision':>12}"
)
for row in rows:
    parts = row["parameter_breakdown"]
    layout = parts["batch_norm_v1"] - parts["batch_norm_v2"]
    print(
        f"ResNet-{row['depth']:<3} {parts['total']:>11,} "
        f"{-parts['moving_statistics']:>+13,} {-parts['identity_shaped_projections']:>+11,} "
        f"{layout:>+10,} {parts['v1_count']:>11,} {row['torchvision_params']:>12,}"
    )

# %% [markdown]
# For every depth the last two columns agree to the parameter: the three items
# above are the whole difference. The moving statistics are the largest item,
# as many numbers as the batch norms' `gamma` and `beta`. The layout item is
# positive: v1's batch norms cover a few more channels than v2's.
#
# The multiply-adds come out a little above Table 1 for every depth (the paper
# gives one decimal and no breakdown of its count), and clearly above for
# ResNet-50. The reason there is *where* a downsampling bottleneck block
# strides. The course's block (like TensorFlow's official ResNet code and
# torchvision's) strides its 3x3 conv; the original ResNet strided the first
# 1x1 conv.
#
# The 3x3 conv costs the same either way: a conv's multiply-adds follow its
# output, and its output is the halved map in both (28x28 in block layer 2).
# The first 1x1 conv is what changes. With the stride, it computes only the
# halved map; without it, it runs on the full map, four times as many outputs.
# That happens in the first block of block layers 2, 3 and 4, in every
# bottleneck network, so it adds about the same amount to each and shows most
# on the smallest. We build ResNet-50 with the stride moved to the 1x1 conv
# (`analysis.StrideOnSqueezeResNetModel`) and compare it layer by layer:

# %% role="given" grade_id="ch09_model_layers_stride_on_squeeze" tags=["nbval-check-output"]
original = resnet_lesson.build_resnet(
    50, image_size=224, num_classes=1000, model_class=analysis.StrideOnSqueezeResNetModel
)
moved = analysis.count_multiply_adds(original)
resnet50_row = next(row for row in rows if row["depth"] == 50)
paper = analysis.PAPER_GFLOPS[50] * 1e9
print(
    f"ResNet-50, stride on the 3x3 conv (course): {resnet50_row['multiply_adds'] / 1e9:.2f} GFLOPs"
)
print(
    f"ResNet-50, stride on the first 1x1 conv:    {moved / 1e9:.2f} GFLOPs "
    f"({(moved - paper) / paper:+.1%} against the paper's {paper / 1e9:.1f})"
)
pairs = zip(resnet50_row["layer_costs"], analysis.layer_costs(original))
changed = [
    (ours, theirs) for ours, theirs in pairs if ours["multiply_adds"] != theirs["multiply_adds"]
]
print("the layers whose multiply-adds differ (course, then stride on the 1x1 conv):")
for ours, theirs in changed:
    kh, kw, channels_in, channels_out = ours["kernel"]
    print(
        f"  {ours['scope']}: {kh}x{kw} conv, {channels_in} -> {channels_out} channels, "
        f"output {'x'.join(map(str, ours['output_size']))} vs "
        f"{'x'.join(map(str, theirs['output_size']))}: "
        f"{ours['multiply_adds'] / 1e6:.1f}M vs {theirs['multiply_adds'] / 1e6:.1f}M"
    )
extra = sum(ours["multiply_adds"] - theirs["multiply_adds"] for ours, theirs in changed)
print(
    f"together {extra / 1e9:.2f} GFLOPs; the other "
    f"{len(resnet50_row['layer_costs']) - len(changed)} layers, the 3x3 convs included, "
    "cost the same in both"
)
del original
keras.backend.clear_session()

# %% [markdown]
# Only the three first 1x1 convs of the downsampling blocks differ, each by a
# factor of four, and together they make up the whole gap. With the stride
# where the original put it, ResNet-50 lands next to the paper's 3.8 GFLOPs.
# What the extra compute buys: a 1x1 conv with stride 2 reads one input pixel
# in four and ignores the rest, while the windows of a strided 3x3 conv still
# cover every input pixel.
#
# ## Check your understanding

# %% [markdown] role="question" grade_id="model_layers_q1" correct="a"
# Why does the head start with a pre-activation (batch norm and ReLU)?
#
# - because each v2 block ends with a bare addition; the pre-activation that the next
#   block would apply is still missing after the last block
# - to normalize the logits
# - because global average pooling needs positive inputs
# - to replace dropout
#
# > In v2 the batch norm and ReLU open each block; after the last block nothing has
# > applied them, so the head does.

# %% [markdown] role="question" grade_id="model_layers_q2" correct="d"
# ResNet-50 on 448x448 images: what reaches the dense layer?
#
# - a 14x14x2048 map
# - it fails: the network only accepts 224x224
# - 4 times as many numbers as at 224x224
# - 2048 numbers per image
#
# > The last map is 14x14x2048 at that size, and global average pooling averages each of
# > the 2048 channels over it, whatever the map size.

# %% [markdown] role="question" grade_id="model_layers_q3" correct="d"
# ResNet-50 is built for 100 classes instead of 1,000. How many parameters does its dense
# layer hold?
#
# - 204,800
# - 51,300
# - 10,035,300
# - 204,900
#
# > Global average pooling leaves 2,048 numbers per image, so the dense layer has
# > 2,048 x 100 weights and 100 biases: 204,900. 51,300 would be ResNet-18's (512
# > features); flattening the 7x7x2048 map instead of pooling it would need 10,035,300.

# %% [markdown]
# ## Recap
#
# - `model_layers` is stem (7x7/2 conv, 3x3/2 max pool), four block layers, and
#   head: a final pre-activation, global average pooling and a dense layer of
#   `output_size` logits, with no softmax and no dropout.
# - Measured on the networks you built: the map goes 224, 112, 56, then 56,
#   28, 14, 7; the parameters match the widely cited counts (torchvision's, not
#   the paper's) to within a fraction of a percent, and the difference is
#   exactly batch norm's moving statistics, v2's batch-norm layout and the
#   projection in ResNet-18/34's block layer 1.
# - ResNet-50 costs clearly more multiply-adds than Table 1 says because the
#   course strides the 3x3 conv of a downsampling bottleneck block, so the
#   block's first 1x1 conv runs on the full map; with the stride on that 1x1
#   conv the count lands next to the paper's number.
#
# Next, chapter 10 prepares real images for this network.
