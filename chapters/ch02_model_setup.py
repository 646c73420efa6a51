# %% [markdown] role="title"
# # Chapter 2: Model setup

# %% [markdown]
# Before any layer is built, a `ResNetModel` decides what it will build: how many
# blocks, of which kind, with how many filters and which strides, in which data
# format. This chapter walks through that plan, the one in Table 1 of He et al.
# (2016a, *Deep Residual Learning for Image Recognition*), and you write the two
# attributes of `__init__` that change with the depth.

# %% role="setup"

# %% [markdown]
# ## Four block layers
#
# Every ResNet in the paper has the same outline:
#
# - a **stem**: a 7x7 convolution with stride 2 and a 3x3 max pool with stride 2,
#   so a 224x224 image becomes 56x56;
# - four **block layers**, each a stack of residual blocks. The first has
#   `filters_initial = 64` filters, and each later one doubles them (128, 256,
#   512). `block_strides = [1, 2, 2, 2]`: the first block of block layers 2 to 4
#   halves the height and width (56, 28, 14, 7); every other block keeps them;
# - a **head**: global average pooling and one dense layer with `output_size`
#   units.
#
# Only two things change with the depth: how many blocks each block layer
# stacks, `block_layer_sizes`, and which kind of block it stacks, `bottleneck`.
#
# ## Regular and bottleneck blocks
#
# ResNet-18 and ResNet-34 stack **regular** blocks: two 3x3 convolutions
# (chapter 6). ResNet-50 and deeper stack **bottleneck** blocks: a 1x1 conv that
# squeezes the channels to `filters`, a 3x3 conv, and a 1x1 conv that expands to
# `4 * filters` (chapter 7). Three convolutions per block instead of two, at a
# similar cost (chapter 7 compares them), is how ResNet-50 reaches 50 layers with
# the same block counts as ResNet-34. The depth in the name counts the layers
# with weights along the main path: 2 or 3 convolutions per block, plus the stem
# conv and the dense layer (the 1x1 projection shortcuts are not counted).
#
# The block counts, from the paper's Table 1 (ResNet-200 from He et al. 2016b,
# *Identity Mappings in Deep Residual Networks*), are in the course package:

# %% role="given" grade_id="ch02_model_setup_block_layer_sizes" tags=["nbval-check-output"]
import keras

import resnet_lesson
from resnet_lesson import BLOCK_LAYER_SIZES

for depth, sizes in BLOCK_LAYER_SIZES.items():
    print(f"ResNet-{depth}: {sizes}")


# %% [markdown]
# ## `channels_last` and `channels_first`
#
# A batch of images is a 4-D tensor, and the channels can sit last,
# `(batch, height, width, channels)`, the Keras default, or right after the batch
# axis, `(batch, channels, height, width)`. The network computes the same thing
# in both layouts, but every layer that treats the channels specially has to know
# which axis they are on: the convolutions, the padding (chapter 3), the batch
# norm (chapter 4) and the pooling. So the model keeps `data_format` and hands it
# to each of them.
#
# ## Exercise: finish `__init__`
#
# The given lines store the arguments, `filters_initial` and `block_strides`.
# Below them you set the two attributes that change with the depth.
#
# **Contract.** For every depth in the table above (`num_layers` is one of its
# keys):
#
# - `self.block_layer_sizes` is the list of four block counts of that depth
#   (for ResNet-50, `[3, 4, 6, 3]`);
# - `self.bottleneck` is a bool: True for the depths built from bottleneck
#   blocks (50 layers and more), False for 18 and 34.
#
# Why store them: the later methods ask the model, not the depth. Chapter 9's
# `model_layers` builds one block layer per entry of `self.block_layer_sizes`,
# and chapter 8's `block_layer` picks the kind of block from `self.bottleneck`.
#
# <details><summary>Hint 1: the idea</summary>
#
# Both answers are already known for each depth: the block counts are printed
# above, and "bottleneck or not" is a yes/no question about the depth alone.
#
# </details>
#
# <details><summary>Hint 2: which names, which operators</summary>
#
# `BLOCK_LAYER_SIZES` (imported above) is a dict whose keys are the depths.
# A comparison such as `a < b` is already a bool; no `if` is needed.
#
# </details>
#
# <details><summary>Hint 3: a worked example on another attribute</summary>
#
# A worked example on another attribute: a model that had to know whether it is
# deeper than 100 layers would store `self.very_deep = num_layers > 100`, a bool
# made by one comparison, with no `if`. Yours differs in the threshold and in
# whether the threshold itself counts. The block counts come out of the table as
# any value comes out of a dict.
#
# </details>


# %% role="answer" grade_id="resnet_init"
class ResNetModel(resnet_lesson.course_model_without("__init__")):
    def __init__(
        self, min_aspect_dim, resize_dim, num_layers, output_size, data_format="channels_last"
    ):
        self.min_aspect_dim = min_aspect_dim
        self.resize_dim = resize_dim
        self.num_layers = num_layers
        self.output_size = output_size
        self.data_format = data_format
        self.filters_initial = 64
        self.block_strides = [1, 2, 2, 2]
        # Two attributes for this depth: `block_layer_sizes` and `bottleneck`.
        ### BEGIN SOLUTION
        self.block_layer_sizes = BLOCK_LAYER_SIZES[num_layers]
        self.bottleneck = num_layers >= 50
        ### END SOLUTION


# %% [markdown]
# ### Check your setup
#
# The check creates your model for every depth (18, 34, 50, 101, 152, 200), in
# both data formats, and compares the two attributes with the reference values.
# If they differ it says for which depth, and how.

# %% role="tests" grade_id="resnet_init_tests" points=3
from resnet_lesson.checks import resnet_init as resnet_init_check

resnet_init_check.check(ResNetModel)
### BEGIN HIDDEN TESTS
resnet_init_check.check(ResNetModel, thorough=True)
### END HIDDEN TESTS

# %% [markdown]
# ## Your plan for every depth
#
# The figure reads your two attributes for each depth and adds up the layers:
# blocks times convolutions per block, plus the stem conv and the dense layer.

# %% role="given" grade_id="ch02_model_setup_plan_figure"
from resnet_lesson.checks.engine import yours_or_course
from resnet_lesson.figures.architecture import blocks_per_layer

# Your code once it passes its check; until then the course's (a line says so).
Model = yours_or_course(ResNetModel, "resnet_init")
models = {depth: Model(256, 224, depth, 1000) for depth in BLOCK_LAYER_SIZES}
fig = blocks_per_layer(
    {depth: model.block_layer_sizes for depth, model in models.items()},
    {depth: model.bottleneck for depth, model in models.items()},
)


# %% [markdown]
# Each depth in the name comes out of the count. Let us also check it on real
# networks: below, ResNet-18 and ResNet-50 are built from your class (the
# reference supplies the blocks), counting every convolution as it is created,
# the projection shortcuts separately, and recording what each block layer
# outputs. ResNet-18 is built `channels_last` and ResNet-50 `channels_first`.


# %% role="given" grade_id="ch02_model_setup_built_and_counted" tags=["nbval-check-output"]
from resnet_lesson.checks.engine import yours_or_course

# Your code once it passes its check; until then the course's (a line says so).
Model = yours_or_course(ResNetModel, "resnet_init")


class CountingResNet(Model):
    convs = projections = 0

    def custom_conv2d(self, *args, **kwargs):
        self.convs += 1
        return super().custom_conv2d(*args, **kwargs)

    def pre_activation_with_shortcut(self, *args, **kwargs):
        before = self.convs
        result = super().pre_activation_with_shortcut(*args, **kwargs)
        self.projections += self.convs - before
        return result

    def block_layer(self, *args, **kwargs):
        outputs = super().block_layer(*args, **kwargs)
        self.block_layer_shapes.append(tuple(outputs.shape[1:]))
        return outputs


for depth, data_format in [(18, "channels_last"), (50, "channels_first")]:
    resnet = CountingResNet(224, 224, depth, 1000, data_format=data_format)
    resnet.block_layer_shapes = []
    inputs = keras.Input(resnet_lesson.input_shape_for(224, data_format))
    model = keras.Model(inputs, resnet.model_layers(inputs, is_training=True))
    counted = resnet.convs - resnet.projections + 1  # + the dense layer
    print(
        f"ResNet-{depth} ({data_format}): {resnet.convs} convs, of which "
        f"{resnet.projections} projections; {counted} layers on the main path; "
        f"{model.count_params():,} parameters"
    )
    for index, shape in enumerate(resnet.block_layer_shapes, start=1):
        print(f"  block layer {index}: {shape}")

# %% [markdown]
# The counts match the names. The shapes show the plan at work: the height and
# width halve from block layer 2 on, the channels double, and a bottleneck network
# ends with four times as many channels (2048 instead of 512). In `channels_first`
# the channels simply come first in every shape.
#
# ## Which layout can your machine run?
#
# Building a network only describes it; running it needs a convolution kernel for
# the layout. `channels_first` (NCHW) is the layout NVIDIA's cuDNN library
# favoured for years (TensorFlow's performance guide recommended it for GPUs;
# recent GPUs with Tensor Cores prefer NHWC in half precision), which is why
# ResNet code written for GPUs, like the TensorFlow code this course follows,
# offers it. TensorFlow's own CPU convolution reads only `channels_last` (NHWC).
# It runs an NCHW convolution on the CPU only through Intel's oneDNN library,
# which TensorFlow 2.21 switches on by default only on CPUs with AVX-512 VNNI,
# BF16 or AMX instructions (recent Xeons, AMD Zen 4 and later). On most other
# machines (Intel laptop and desktop CPUs since the 12th generation, AMD before
# Zen 4, Apple Silicon) a `channels_first` convolution stops with
# `UnimplementedError: The Conv2D op currently only supports the NHWC tensor
# format on the CPU`. The environment variable `TF_ENABLE_ONEDNN_OPTS=0` puts any
# machine in that case, which is how the course's tests check it.
#
# The course's checks still test your `channels_first` code on such a machine:
# they run it through XLA, TensorFlow's compiler, which picks its own memory
# layout. The cell below asks your machine, then runs one convolution both ways
# with the same weights and compares the results.

# %% role="given" grade_id="ch02_model_setup_layouts_here"
import numpy as np

from resnet_lesson import data_formats

print(f"channels_first convolutions run without XLA here: {data_formats.nchw_conv_runs_eagerly()}")
images = np.random.default_rng(0).normal(size=(2, 9, 9, 3)).astype("float32")
convs = {}
for data_format in ("channels_last", "channels_first"):
    conv_inputs = keras.Input(resnet_lesson.input_shape_for(9, data_format))
    conv = keras.layers.Conv2D(4, 3, data_format=data_format)
    convs[data_format] = keras.Model(conv_inputs, conv(conv_inputs))
convs["channels_first"].set_weights(convs["channels_last"].get_weights())  # same kernel
last = np.asarray(convs["channels_last"](images))
first = np.asarray(data_formats.call(convs["channels_first"], images.transpose(0, 3, 1, 2), False))
print(f"output shapes: {last.shape} (channels_last), {first.shape} (channels_first)")
difference = np.abs(first.transpose(0, 2, 3, 1) - last).max()
print(f"largest difference after moving the channels back: {difference:.1e}")

# %% [markdown]
# Same kernel, same numbers: the layout changes where each value sits in memory,
# never what the network computes. The difference printed above is zero or float
# round-off (two kernels may add the products up in different orders). Everything you train
# in this course is `channels_last`, which every CPU runs directly; the checks
# keep one or two `channels_first` cases so that code which hard-codes an axis
# is caught.
#
# ## Check your understanding

# %% [markdown] role="question" grade_id="resnet_init_q1" correct="c"
# You create a ResNet-50 and then set its `block_layer_sizes` to [3, 4, 12, 3]: the
# same bottleneck blocks, with 12 blocks in block layer 3 instead of 6. Counted as
# the name counts (the convolutions on the main path and the dense layer, projection
# shortcuts left out), how many layers deep is the network it builds?
#
# - 46
# - 72
# - 68
# - 66
#
# > 3 + 4 + 12 + 3 = 22 blocks of three convolutions each make 66 layers; the stem conv
# > and the dense layer add 2: 68, between ResNet-50 and ResNet-101. 46 counts two
# > convolutions per block (regular blocks, but `bottleneck` did not change), 72 also
# > counts the four projection shortcuts (one per block layer), and 66 leaves out the
# > stem and the head.

# %% [markdown] role="question" grade_id="resnet_init_q2" correct="b"
# A ResNet-50 is made half as wide: `filters_initial = 32` instead of 64, everything
# else unchanged. How many channels does its last block layer output?
#
# - 2,048
# - 1,024
# - 512
# - 256
#
# > The block layers have 32, 64, 128 and 256 filters (the first keeps
# > `filters_initial`, each later one doubles it), and a bottleneck block outputs
# > 4 x 256 = 1,024 channels. 2,048 is ResNet-50's own width, as if the channels were
# > fixed by the depth; 512 doubles once too often (at every block layer, the first
# > one included); 256 forgets the bottleneck's expansion to four times its filters.

# %% [markdown] role="question" grade_id="resnet_init_q3" correct="a"
# ResNet-34 is built `channels_first` for 320x320 images. What shape (without the
# batch axis) does its third block layer output?
#
# - (256, 20, 20)
# - (20, 20, 256)
# - (1024, 20, 20)
# - (256, 40, 40)
#
# > The stem halves 320 twice, to 80; block layer 1 keeps 80, and block layers 2 and
# > 3 halve it to 40 and then 20. Block layer 3 has 64 x 2 x 2 = 256 filters, and a
# > regular block outputs as many channels as it has filters; `channels_first` puts
# > them before the height and width. (20, 20, 256) is the `channels_last` order,
# > (1024, 20, 20) expands the channels four times as a bottleneck network (ResNet-50
# > and deeper) would, and (256, 40, 40) leaves out block layer 3's own halving.

# %% [markdown]
# ## Recap
#
# - ResNet is a stem, four block layers (64, 128, 256, 512 filters, strides
#   1, 2, 2, 2) and a head; only the block counts and the block kind change with
#   the depth.
# - `block_layer_sizes` comes from the depth's row of `BLOCK_LAYER_SIZES`;
#   `bottleneck` is True from 50 layers on, where each block has three
#   convolutions and ends with `4 * filters` channels.
# - `data_format` says where the channels are, and every channel-aware layer needs it.
# - A layout changes where values sit, not what is computed. GPUs and oneDNN CPUs run
#   `channels_first` directly; other CPUs run only `channels_last`, and the checks run
#   your `channels_first` code through XLA there.
#
# Next, chapter 3 writes the padding of the strided convolutions.
