# %% [markdown] role="title"
# # Chapter 5: The shortcut

# %% [markdown]
# A residual block adds two paths: the residual branch `F(x)` (convolutions) and
# the **shortcut** `h(x)`, so that the block computes `y = h(x) + F(x)`. This
# chapter is about `h`. You write `pre_activation_with_shortcut`, which opens
# every block of ResNet v2: it pre-activates the input (chapter 4) and, next to
# it, prepares the shortcut that the block adds at its end.

# %% role="setup"

# %% [markdown]
# ## Mapping functions and the identity
#
# He et al. (2016b, *Identity Mappings in Deep Residual Networks*) call `h` the
# block's *mapping function* and compare several: the identity `h(x) = x`,
# scaling by a constant, gates, 1x1 convolutions, and dropout on the shortcut.
# In their experiments every alternative gave a higher error than the plain
# identity. Their argument: with `h(x) = x` (and nothing after the addition),
# stacking blocks gives `x_L = x_l + F(x_l) + ... + F(x_{L-1})`, so the input of
# any block reaches any later block *unchanged*, and the gradient flows back
# along the same direct path. With `h(x) = 0.5 x` the input would arrive scaled
# by 0.5 per block.
#
# We measure this below with the blocks of this course (the regular block of
# chapter 6, which calls your method): how strongly the output of a stack of
# blocks reacts to its input, as the stack grows, for the identity shortcut and
# for a shortcut scaled by 0.5.
#
# ## When the identity does not fit: a decision for you
#
# The first block of block layers 2, 3 and 4 changes the shape: it halves the
# height and width (stride 2) and doubles the number of channels. `x` can then
# not be added to `F(x)` as it is. The original ResNet (He et al. 2016a, *Deep
# Residual Learning for Image Recognition*, section 3.3) names two valid ways
# out, and you choose one of them in the exercise:
#
# - **Option A, the zero-padded identity.** Keep an identity shortcut: take
#   every second pixel when the map halves, and fill the channels the input
#   lacks with zeros. It has no weights at all. The paper's CIFAR-10 networks
#   use it.
# - **Option B, the projection.** A 1x1 convolution with the block's stride and
#   the block's output channels. A 1x1 kernel is enough, since it only has to
#   change the shape. It costs weights and multiply-adds, but it can also
#   *learn* what to carry into the new channels, where option A carries zeros.
#   On ImageNet option B was slightly more accurate (the paper's Table 3:
#   ResNet-34 with option A 25.03% top-1 error, with option B 24.52%), and the
#   deeper bottleneck networks use it. The course takes option B; the check
#   tells you what option A costs on ResNet-18 if you choose it.
#
# Either way, the direct path of the shape-keeping blocks stays the plain
# identity, which is what the measurement below is about. A third option of
# the paper (C: a projection on *every* block) is not open here: it replaces
# every identity, and He et al. (2016b, section 3.1) measured 1x1-conv
# shortcuts on every block as clearly worse than the identity in a deep
# network.
#
# Block layer 1 is different: its first block has stride 1, and in ResNet-18
# and 34 it keeps the 64 channels too, so the identity would fit there. (In
# ResNet-50 and deeper it still widens, from the stem's 64 channels to 256.)
# The course, like TensorFlow's official ResNet code, still gives the first
# block of *every* block layer a shortcut of the block's output shape: one rule
# for all depths (chapter 8 leaves you that decision).
#
# In v2 every convolution reads a pre-activated input, and a projection is no
# exception: it is applied to `pre_activated`, not to the raw `inputs`. An
# identity shortcut, by contrast (option A included), carries the raw `inputs`,
# so the direct path skips the batch norm and ReLU altogether.

# %% role="given" grade_id="ch05_shortcut_shortcut_figure"
import keras
import numpy as np

import resnet_lesson
from resnet_lesson.figures.blocks import shortcut_kinds
from resnet_lesson.figures.experiments import gradient_growth

fig = shortcut_kinds()


# %% [markdown]
# ## Exercise: write `pre_activation_with_shortcut`
#
# Your `ResNetModel` inherits everything else from the course's reference model.
#
# **Contract.** `pre_activation_with_shortcut(inputs, is_training,
# shortcut_params)` returns the pair `(pre_activated, shortcut)`:
#
# - `pre_activated` is `inputs` pre-activated (chapter 4), following
#   `is_training`;
# - `shortcut_params` is a pair `(shortcut_filters, strides)`. A block that
#   keeps the shape gives no filters (`None`), and then `shortcut` is the raw
#   `inputs`, untouched;
# - otherwise the shortcut must have the block output's shape:
#   `shortcut_filters` channels, and the height and width divided by `strides`
#   (rounded up, as a strided conv of the course does). How it gets there is
#   your decision between option A and option B above. A projection reads the
#   pre-activated input and is built like every conv of the model (the course's
#   padding, no bias); a zero-padded identity reads the raw input.
#
# The check accepts both options, tells you which one it recognised and what it
# costs against the course's choice; later chapters build on the course's
# option B whatever you choose here.
#
# Write the whole body.
#
# <details><summary>Hint 1: the idea</summary>
#
# First unpack what you were given, then make the pre-activation, which both
# cases need. The shortcut depends on one question: does the block change the
# shape, that is, was a number of filters given? If so, decide whether the new
# shape is learned (a conv) or made by hand (subsample, then add zero channels).
#
# </details>
#
# <details><summary>Hint 2: which methods, which arguments</summary>
#
# `self.pre_activation(inputs, is_training)` is your chapter 4 method (the
# reference's here), and `self.custom_conv2d(inputs, filters, kernel_size,
# strides)` makes a conv the course's way. For option A, slicing with a step
# (`x[:, ::2, ::2, :]` for channels_last) subsamples, and `keras.ops.pad` adds
# zero channels; the channel axis depends on `self.data_format`. A Python `if`
# on `shortcut_filters` chooses between the cases, and `return a, b` returns a
# pair.
#
# </details>
#
# <details><summary>Hint 3: the first step</summary>
#
# The first two lines, the rest is yours:
#
# ```python
# shortcut_filters, strides = shortcut_params
# pre_activated = self.pre_activation(inputs, is_training)
# ```
#
# Then one `if` on `shortcut_filters` gives the two cases. Which tensor does each
# case start from? The contract says it for both.
#
# </details>


# %% role="answer" grade_id="pre_activation_with_shortcut"
class ResNetModel(resnet_lesson.course_model_without("pre_activation_with_shortcut")):
    def pre_activation_with_shortcut(self, inputs, is_training, shortcut_params):
        # Returns (pre_activated, shortcut); shortcut_params is (shortcut_filters, strides).
        ### BEGIN SOLUTION
        shortcut_filters, strides = shortcut_params
        pre_activated = self.pre_activation(inputs, is_training)
        if shortcut_filters is None:
            shortcut = inputs
        else:
            shortcut = self.custom_conv2d(pre_activated, shortcut_filters, 1, strides)
        return pre_activated, shortcut
        ### END SOLUTION


# %% [markdown]
# ### Check your method
#
# The check builds your method and the reference one on the same inputs with the
# same weights (identity and projection shortcuts, stride 1 and 2, both data
# formats, `is_training` True and False) and compares both returned tensors with
# `training=True`, with `training=False` and in a bare call. Where they differ, it
# compares yours with option A in every case; if that matches, it says so and
# counts what option A costs on ResNet-18. Otherwise it names the common mistake
# that reproduces yours.

# %% role="tests" grade_id="pre_activation_with_shortcut_tests" points=3
from resnet_lesson.checks import pre_activation_with_shortcut as shortcut_check

shortcut_check.check(ResNetModel)
### BEGIN HIDDEN TESTS
shortcut_check.check(ResNetModel, thorough=True)
### END HIDDEN TESTS

# %% [markdown]
# ## Your shortcuts, measured
#
# First the shapes, and whether the identity really is the input. The block
# input below is what ResNet-18's second block layer receives for a 64x64 image:
# 16x16 pixels with 64 channels. Its first block needs a projection to 8x8 with
# 128 channels; the others keep the shape.

# %% role="given" grade_id="ch05_shortcut_shapes" tags=["nbval-check-output"]
from resnet_lesson.checks.engine import yours_or_course

# Your code once it passes its check; until then the course's (a line says so).
Model = yours_or_course(ResNetModel, "pre_activation_with_shortcut")
resnet = Model(64, 64, 18, 10)
inputs = keras.Input((16, 16, 64))
x = np.random.default_rng(0).normal(size=(2, 16, 16, 64)).astype("float32")
for shortcut_params in [(None, 1), (128, 2)]:
    model = keras.Model(inputs, resnet.pre_activation_with_shortcut(inputs, True, shortcut_params))
    pre_activated, shortcut = model(x, training=False)
    print(
        f"shortcut_params={shortcut_params}: pre_activated "
        f"{tuple(pre_activated.shape[1:])}, shortcut {tuple(shortcut.shape[1:])}, "
        f"{model.count_params() - 4 * 64:,} projection weights"
    )
    if shortcut_params[0] is None:
        print(f"  identity: max |shortcut - inputs| = {np.abs(shortcut - x).max()}")


def projection_weights(kernel_size):
    layer = keras.layers.Conv2D(128, kernel_size, use_bias=False)
    layer.build((None, 16, 16, 64))
    return layer.count_params()


print(
    f"a 1x1 projection from 64 to 128 channels: {projection_weights(1):,} weights; "
    f"a 3x3 one would need {projection_weights(3):,}"
)

# %% [markdown]
# (The `4 * 64` subtracted above are the batch norm's `gamma`, `beta` and two
# moving averages.) The identity costs nothing and returns the input exactly; the
# projection costs `in_channels x out_channels` weights, nine times fewer than a
# 3x3 kernel would need.
#
# ## Why the identity matters: a measurement
#
# Below we stack 0 to 20 regular blocks (16 channels, 8x8 pixels) built with your
# method, once as written and once with the shortcut multiplied by 0.5, and
# measure the norm of the gradient of the output with respect to the input
# (relative to a stack of zero blocks), at initialization, in training mode.

# %% role="given" grade_id="ch05_shortcut_gradient_measured"
import tensorflow as tf

from resnet_lesson.checks.engine import yours_or_course

# Your code once it passes its check; until then the course's (a line says so).
Model = yours_or_course(ResNetModel, "pre_activation_with_shortcut")


class HalfShortcut(Model):
    def pre_activation_with_shortcut(self, inputs, is_training, shortcut_params):
        pre_activated, shortcut = super().pre_activation_with_shortcut(
            inputs, is_training, shortcut_params
        )
        return pre_activated, 0.5 * shortcut


keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = tf.constant(rng.normal(size=(16, 8, 8, 16)).astype("float32"))
probe = tf.constant(rng.normal(size=(16, 8, 8, 16)).astype("float32"))
depths = list(range(0, 21, 2))
curves = {}
for label, model_class in [
    ("identity shortcut", Model),
    ("shortcut scaled by 0.5", HalfShortcut),
]:
    resnet = model_class(8, 8, 18, 10)
    inputs = keras.Input((8, 8, 16))
    outputs = [inputs]
    for index in range(max(depths)):
        outputs.append(resnet.regular_block(outputs[-1], 16, 1, True, index))
    stack = keras.Model(inputs, [outputs[d] for d in depths])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        losses = [tf.reduce_sum(y * probe) for y in stack(x, training=True)]
    curves[label] = [float(tf.norm(tape.gradient(loss, x)) / tf.norm(probe)) for loss in losses]
    print(f"{label:>24}: " + " ".join(f"{v:.3g}" for v in curves[label]))
fig = gradient_growth(depths, curves)

# %% [markdown]
# With the identity, each block adds its branch's contribution to a direct path
# that stays intact, and the gradient grows slowly and about linearly with depth.
# With the shortcut scaled by 0.5 it grows about exponentially. A likely reason:
# each block passes on only half of its input, the batch norm of the next branch
# rescales the shrunken signal back to unit variance, and that rescaling
# multiplies the gradient as well. He et al. (2016b) argue that a factor on the
# shortcut makes the signal scale like a power of that factor with depth, and
# predict vanishing for factors below 1; with batch norm in every branch the
# measured effect is growth instead. Either way the stack's sensitivity to its
# input is set by the depth rather than by what is learned, while the identity
# keeps it tame.
#
# ## Measured: other shortcuts, trained
#
# He et al. (2016b, section 3.1 and Table 1) did not stop at the argument: they
# trained a 110-layer ResNet (original, post-activation units) on CIFAR-10 with
# the identity replaced by something else, keeping everything else fixed:
#
# - **scaled shortcut**, `h(x) = 0.5 x`, and **scaled both**, `0.5 x + 0.5 F(x)`;
# - **exclusive gating**, `(1 - g(x)) x + g(x) F(x)`, and **shortcut-only
#   gating**, `(1 - g(x)) x + F(x)`, where `g(x)` is a sigmoid of a 1x1 conv of
#   `x` (a learned, per-pixel version of the scale; its bias sets where it starts);
# - **1x1 conv shortcut**, `h(x)` a learned 1x1 convolution of `x`, the
#   projection of this chapter's exercise used in every block;
# - **dropout shortcut**, `h(x)` with half of its entries dropped at random.
#
# Every variant can still represent the identity (a scale of 1, a gate closed, a
# 1x1 kernel equal to the identity matrix), so none of them is weaker *in
# principle*. Their Table 1 reports the test error of each; "fail" means above
# 20%. The identity gave 6.61%; every other shortcut did worse, from 6.91% (a
# gate that starts almost closed, near the identity) to failure.
#
# Below, the same experiment on a laptop's scale: stacks of these units on the
# digits, trained with the same batches and steps. First a small live run, 20
# layers, three shortcuts, one seed (under a minute on two CPU cores).

# %% role="given" grade_id="ch05_shortcut_ablation_live" tags=["not-run-when-grading"]
import matplotlib.pyplot as plt

from resnet_lesson.experiments import ablations
from resnet_lesson.figures.ablations import plot_unit_study

live = ablations.run_units(
    "shortcuts", ["identity", "scaled shortcut", "1x1 conv shortcut"], depth=20, epochs=3
)
live_record = ablations.to_record(live)
paper = ablations.paper_errors("shortcuts")
print(ablations.summary_lines(live_record, paper))
plot_unit_study(live_record, paper, "He et al. 2016b, Table 1: ResNet-110, CIFAR-10 test error (%)")
plt.show()

# %% [markdown]
# One seed of a short run is a hint, not a result. The saved study below trained
# all seven shortcuts in deeper stacks (56 layers, 27 units), longer and over
# three seeds, with `scripts/run_ablation_study.py shortcuts` (its settings are
# printed with the numbers; `--depths 110` reproduces the paper's depth, on a
# GPU in minutes).

# %% role="given" grade_id="ch05_shortcut_ablation_study" tags=["nbval-check-output"]
import matplotlib.pyplot as plt

from resnet_lesson.experiments import ablations
from resnet_lesson.figures.ablations import plot_unit_study

PAPER = ablations.paper_errors("shortcuts")
study = ablations.load_study("shortcuts")
if study is None:
    print("No saved study comes with this copy of the course: the live run above is the only one.")
else:
    for depth, record in study["depths"].items():
        print(ablations.summary_lines(record, PAPER))
        plot_unit_study(
            record, PAPER, "He et al. 2016b, Table 1: ResNet-110, CIFAR-10 test error (%)"
        )
        plt.show()

# %% [markdown]
# Set the study beside the paper's column. Every shortcut that is not the
# identity did worse, on the training digits and on the held-out ones, as in
# Table 1, and the order mostly agrees:
#
# - the **identity** fits the training digits in every seed and has the lowest
#   held-out error;
# - **exclusive gating** that starts almost closed (bias -6, so `g(x)` is about
#   0.0025 and the unit starts as `x` plus a whisper of `F`) comes next. In the
#   paper it gave 8.70%, and the gates did best when they started near the
#   identity (shortcut-only gating with bias -6: 6.91%);
# - the **1x1 conv shortcut** trains, but generalizes clearly worse: the
#   projection that this chapter's exercise puts in a handful of blocks costs
#   accuracy when every one of 27 units has it (He et al.: 12.22% against
#   6.61%);
# - the **scaled** shortcuts and **shortcut-only gating** that starts
#   half-open (bias 0, a learned version of the 0.5 scale) cannot even fit the
#   training digits in the budget, and their held-out errors are the paper's
#   "fail" range; unlike the paper, scaling the branch by 0.5 too did not help
#   here;
# - the **dropout shortcut** fails outright, on both sets, as in the paper.
#
# The ones that fail are the ones that shrink the shortcut path at every unit:
# through 27 units, factors of 0.5 leave 0.5^27, about 7 billionths, of `x_l`
# (question 2 below works out the general case). That is
# He et al.'s explanation: every variant could represent the identity, so the
# trouble is optimization, not what the network can express.
#
# ## Check your understanding

# %% [markdown] role="question" grade_id="pre_activation_with_shortcut_q1" correct="c"
# A block receives a (batch, 56, 56, 64) tensor and must output (batch, 28, 28, 128).
# Which `shortcut_params` does it need?
#
# - (None, 1)
# - (None, 2)
# - (128, 2)
# - (64, 2)
#
# > The shape changes, so the shortcut is a projection: 128 filters to match the channels
# > and stride 2 to halve 56 to 28.

# %% [markdown] role="question" grade_id="pre_activation_with_shortcut_q2" correct="b"
# He et al. (2016b) also tried shortcuts that scale their input, `h(x) = λx`. With the same
# λ on every shortcut and the branches left aside, what multiplies `x_l`, the input of
# block l, by the time it reaches block L (chapter 4's eq. 4 with this shortcut)?
#
# - λ, once: x_L = λ x_l + (the branches' sum)
# - λ to the power L - l: with λ = 0.5 and 20 blocks, about a millionth of x_l arrives
# - nothing: the branches add back what the scaling removed
# - (L - l) times λ
#
# > Each block multiplies the shortcut path by λ, so x_L = λ^(L-l) x_l + ... (He et
# > al. 2016b, eq. 7), and eq. 5's gradient term 1 becomes the same factor (their eq.
# > 8): it vanishes for λ < 1 and explodes for λ > 1. Only λ = 1, the identity, leaves
# > the signal and its gradient alone.

# %% [markdown] role="question" grade_id="pre_activation_with_shortcut_q3" correct="b"
# Why is the projection a 1x1 convolution rather than a 3x3 one?
#
# - a 3x3 conv cannot stride
# - it only has to change the number of channels and the size; 1x1 does that with nine
#   times fewer weights
# - 1x1 convs need no padding, and padding is forbidden in a shortcut
# - a 3x3 conv would change the data format
#
# > The projection matches shapes; the residual branch does the spatial work. A 1x1 kernel
# > has in_channels x out_channels weights, a 3x3 one nine times as many (measured above).

# %% [markdown] role="question" grade_id="pre_activation_with_shortcut_q4" correct="c"
# The check counts what option A saves on ResNet-18: the weights of its four
# projections. ResNet-50's four projections go from 64 to 256, 256 to 512, 512 to
# 1024 and 1024 to 2048 channels. About how many weights would option A save there?
#
# - none: a bottleneck network has no projections
# - about 0.18 million, as in ResNet-18
# - about 2.8 million, about a tenth of the network
# - about 25 million, the whole network
#
# > A 1x1 projection has in_channels x out_channels weights: 64 x 256 + 256 x 512 +
# > 512 x 1024 + 1024 x 2048 = 2,768,896, about 11% of ResNet-50's 25.6 million
# > (the widely cited count; chapter 9 counts the course's own).

# %% [markdown]
# ## Recap
#
# - A block computes `h(x) + F(x)`; with the identity `h(x) = x` the input of any
#   block reaches every later block unchanged (He et al. 2016b).
# - When the shape changes, the shortcut must take the block output's shape: the
#   course uses a 1x1 projection with the block's stride and output channels,
#   applied to the pre-activated input (option B of He et al. 2016a); the
#   zero-padded identity (option A) is the other valid choice, without weights.
# - `pre_activation_with_shortcut` returns `(pre_activated, shortcut)`: the
#   residual branch continues from the first, the block adds the second at the end.
# - Measured: with the identity the input-output gradient grows slowly with depth;
#   scaling the shortcut by 0.5 makes it grow about exponentially.
#
# Next, chapter 6 builds the regular block around your two methods.
