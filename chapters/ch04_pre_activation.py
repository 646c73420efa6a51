# %% [markdown] role="title"
# # Chapter 4: Pre-activation

# %% [markdown]
# Every block of ResNet v2 starts the same way: the input is normalized by
# **batch norm** and passed through a **ReLU** before the first convolution sees
# it. He et al. (2016b, *Identity Mappings in Deep Residual Networks*) call this
# *pre-activation*, because the activation now comes before the weights instead
# of after them. In this chapter you write `pre_activation`, the method that
# every later block calls two or three times.

# %% role="setup"

# %% [markdown]
# ## Why normalize inside the network
#
# A layer's input is the previous layer's output, so each update of the earlier
# weights changes the distribution the later layers see. Ioffe and Szegedy
# (2015, *Batch Normalization*) called this *internal covariate shift* and
# proposed to remove it by normalizing every channel inside the network: for a
# batch, subtract the channel's mean and divide by its standard deviation, then
# let the network rescale and shift the result with two learned vectors, `gamma`
# and `beta`. Later work (Santurkar et al. 2018, *How Does Batch Normalization
# Help Optimization?*) argued that the main benefit is a smoother loss surface
# rather than less covariate shift; either way, batch norm lets deep networks
# train with larger learning rates, and ResNets rely on it.
#
# Batch norm keeps **one mean and one variance per channel**. So it must know
# which axis holds the channels: the last axis (3) for `channels_last` tensors
# `(batch, height, width, channels)`, axis 1 for `channels_first` tensors
# `(batch, channels, height, width)`. All other axes are averaged over.
#
# Let us measure what it does on real data: the 8x8 handwritten digits that
# scikit-learn ships, passed through one random 3x3 convolution with 8 filters.

# %% role="given" grade_id="ch04_pre_activation_digits_batch_norm"
import keras
import numpy as np
from sklearn.datasets import load_digits

import resnet_lesson
from resnet_lesson.figures.activations import activation_histograms
from resnet_lesson.figures.blocks import v1_v2_blocks

images = load_digits().images[..., None].astype("float32")  # (1797, 8, 8, 1)
conv = keras.layers.Conv2D(
    8, 3, use_bias=False, kernel_initializer=keras.initializers.HeNormal(seed=0)
)
features = conv(images).numpy()  # (1797, 6, 6, 8)
batch_norm = keras.layers.BatchNormalization(axis=3)
normalized = batch_norm(features, training=True).numpy()


def per_channel(values):
    return values.reshape(-1, values.shape[-1])  # (pixels, channels)


print("channel   mean before   std before   mean after   std after")
for c in range(4):
    b, a = per_channel(features)[:, c], per_channel(normalized)[:, c]
    print(f"{c:>7} {b.mean():>12.2f} {b.std():>12.2f} {a.mean():>12.4f} {a.std():>11.4f}")
fig = activation_histograms(
    per_channel(features),
    per_channel(normalized),
    channels=(0, 1, 3),
    title_before="conv outputs on the digits (before batch norm)",
    title_after="after batch norm (training mode)",
)

# %% [markdown]
# Before batch norm each channel has its own mean and spread, set by the random
# filter and the pixel values (0 to 16). After it every channel has mean 0 and
# standard deviation 1 (`gamma` starts at 1 and `beta` at 0). One consequence
# is worth measuring: batch norm does not care about the scale of its input.
# Multiply the features by 10 and the normalized output barely moves.

# %% role="given" grade_id="ch04_pre_activation_scale_invariance"
scaled = batch_norm(features * 10.0, training=True).numpy()
print(
    f"max |BN(10 x) - BN(x)| = {np.abs(scaled - normalized).max():.1e} "
    f"(the values themselves reach {np.abs(normalized).max():.1f})"
)

# %% [markdown]
# (The small difference comes from the `epsilon` that batch norm adds to the
# variance to avoid dividing by zero.)
#
# ## Pre- versus post-activation
#
# The original ResNet (He et al. 2016a, *Deep Residual Learning for Image
# Recognition*), now called v1, puts batch norm **after** each conv and a ReLU
# after each batch norm but the block's last: the last conv's batch-normalized
# output is added to the shortcut as it is, and the ReLU comes **after the
# addition** (their section 3.4 and Figure 2; Figure 1a of He et al. 2016b draws
# it with the batch norms). The shortcut's signal therefore passes through a
# ReLU at the end of every block. In v2 the order is BN, ReLU, conv: each conv's
# input is normalized and activated first, and the block ends with
# the bare addition. The shortcut path is then a clean identity from the first
# block to the last, which He et al. (2016b) found made very deep networks
# (their 1001-layer one) train better and generalize better.

# %% role="given" grade_id="ch04_pre_activation_v1_v2_figure"
fig = v1_v2_blocks()


# %% [markdown]
# ## Exercise: write `pre_activation`
#
# Your `ResNetModel` inherits everything else from the course's reference model.
#
# **Contract.** `pre_activation(inputs, is_training)` receives a 4-D tensor in
# the model's data format and returns a tensor of the same shape: `inputs`
# normalized by a batch norm that keeps one mean and variance per **channel**,
# then passed through a ReLU. The batch norm must follow `is_training` (the next
# section shows what that flag does in Keras 3). Use Keras layers or
# `keras.ops`: Keras 3 refuses TensorFlow functions such as `tf.nn.relu` on the
# symbolic tensors a model is built from.
#
# <details><summary>Hint 1: the idea</summary>
#
# Two layers in a row, normalize then activate. The only decision is which axis
# holds the channels, and that depends on `self.data_format`.
#
# </details>
#
# <details><summary>Hint 2: which layers, which arguments</summary>
#
# `keras.layers.BatchNormalization(axis=...)` normalizes over every axis but
# `axis`; call the layer with `training=...`. `keras.layers.ReLU()` (or
# `keras.ops.relu`) applies the ReLU. The channel axis is 1 for
# `"channels_first"` and 3 for `"channels_last"`.
#
# </details>
#
# <details><summary>Hint 3: a worked example on another layer</summary>
#
# A worked example on a different layer: a dropout that follows the flag is
# `keras.layers.Dropout(0.5)(x, training=is_training)`: the layer is made first,
# then called on the tensor, with the flag as a keyword. A batch norm takes the flag
# the same way. For the axis, one conditional expression (`a if condition else b`)
# reading `self.data_format` is enough.
#
# </details>


# %% role="answer" grade_id="pre_activation"
class ResNetModel(resnet_lesson.course_model_without("pre_activation")):
    def pre_activation(self, inputs, is_training):
        # Batch norm over the channel axis (following is_training), then ReLU.
        ### BEGIN SOLUTION
        axis = 1 if self.data_format == "channels_first" else 3
        normalized = keras.layers.BatchNormalization(axis=axis)(inputs, training=is_training)
        return keras.layers.ReLU()(normalized)
        ### END SOLUTION


# %% [markdown]
# ### Check your pre-activation
#
# The check builds your method and the reference one on the same inputs with the
# same weights, in both data formats and with `is_training` True and False, and
# compares the outputs three ways: with `training=True`, with `training=False`
# and in a bare call `model(x)` (the next section explains why the third one
# matters). If they differ, it names the common mistake that reproduces yours.

# %% role="tests" grade_id="pre_activation_tests" points=3
from resnet_lesson.checks import pre_activation as pre_activation_check

pre_activation_check.check(ResNetModel)
### BEGIN HIDDEN TESTS
pre_activation_check.check(ResNetModel, thorough=True)
### END HIDDEN TESTS

# %% [markdown]
# ## What `is_training` really does in Keras 3
#
# Batch norm behaves differently in training and inference. In training it
# normalizes with the current batch's statistics and updates its moving
# averages; in inference it normalizes with those moving averages, so a single
# image gets the same answer whatever else is in the batch.
#
# The `training=is_training` you passed is fixed when the model is *built*. In
# Keras 3 it is only a **default**: it decides what a bare call `model(x)` does,
# while an explicit `model(x, training=...)` overrides it, `fit` always trains
# and `predict` and `evaluate` always infer. Below, your `pre_activation` is
# built into two small models (with `is_training` True and False) and each way
# of calling them is compared with the explicit modes.

# %% role="given" grade_id="ch04_pre_activation_is_training_measured"
from resnet_lesson.checks.engine import yours_or_course

# Your code once it passes its check; until then the course's (a line says so).
Model = yours_or_course(ResNetModel, "pre_activation")
x = features[:64]
resnet = Model(8, 8, 18, 10)
inputs = keras.Input(x.shape[1:])


def max_diff(a, b):
    return float(np.abs(np.asarray(a) - np.asarray(b)).max())


for built_with in (True, False):
    model = keras.Model(inputs, resnet.pre_activation(inputs, built_with))
    inference = model(x, training=False)
    predicted = model.predict(x, verbose=0)
    bare = model(x)  # before training=True, which updates the moving averages
    training = model(x, training=True)
    print(f"built with is_training={built_with}:")
    print(
        f"  bare model(x)    vs training=True : {max_diff(bare, training):.2g}"
        f"   vs training=False: {max_diff(bare, inference):.2g}"
    )
    print(
        f"  model.predict(x) vs training=False: {max_diff(predicted, inference):.2g}"
        f"   vs training=True : {max_diff(predicted, training):.2g}"
    )

# fit trains the batch norm even in the model built with is_training=False:
bn = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)][0]
before = bn.moving_mean.numpy().copy()
model.compile(optimizer="sgd", loss="mse")
model.fit(x, np.zeros_like(x), epochs=1, batch_size=64, verbose=0)
print(
    "fit on the model built with is_training=False moved the moving mean by "
    f"up to {np.abs(bn.moving_mean.numpy() - before).max():.3f}"
)

# %% [markdown]
# A difference of 0 means "the same computation". The bare call follows the
# value the model was built with; `predict` always matches `training=False`; and
# `fit` updated the moving averages of a model built with `is_training=False`,
# so it ran the batch norm in training mode. Pass `is_training` on faithfully
# (that sets the default for bare calls), but know that `fit`, `predict` and
# `evaluate` pick the mode themselves.

# %% [markdown]
# ## Measured: v1 against v2, trained side by side
#
# Does the order matter for training? Below, two residual networks differ only
# in where batch norm and ReLU sit. Both have a 3x3 stem conv to 16 channels,
# nine blocks of two 3x3 convs with identity shortcuts, average pooling and a
# dense layer: 20 weighted layers.
#
# - **v1** (He et al. 2016a): each block is conv, BN, ReLU, conv, BN, then the
#   addition and a ReLU on the sum; the stem conv is followed by BN and ReLU.
# - **v2** (He et al. 2016b): each block is BN, ReLU, conv, BN, ReLU, conv, then
#   the bare addition; a final BN and ReLU come before the pooling.
#
# Both have the same convs and the same number of batch norms, so exactly the
# same parameters. For each of three seeds, both train 100 steps of 64 digits
# with the same batches in the same order (Adam, constant learning rate); 360
# digits are held out for the test error. On two CPU cores this takes under
# two minutes.

# %% role="given" grade_id="ch04_pre_activation_v1_v2_training" tags=["not-run-when-grading"]
import matplotlib.pyplot as plt

from resnet_lesson import experiments
from resnet_lesson.figures.activation_order import plot_activation_order

orders = experiments.run_activation_order()
plot_activation_order(orders)
plt.show()
print(f"{orders['v1']['num_params'][0]:,} parameters in each network")
for order in experiments.ORDERS:
    for key, label, fmt in (
        ("final_train_loss", "training loss", "{:.3f}"),
        ("test_error", "test error", "{:.1%}"),
    ):
        values = orders[order][key]
        print(
            f"{order} {label:>13}: mean {fmt.format(np.mean(values))}, seeds "
            + ", ".join(fmt.format(v) for v in values)
        )
for key, label in (("final_train_loss", "training loss"), ("test_error", "test error")):
    pairs = list(zip(orders["v2"][key], orders["v1"][key]))
    lower = sum(v2 < v1 for v2, v1 in pairs)
    print(f"v2 has the lower {label} for {lower} of {len(pairs)} seeds")
print(f"(the experiment took {orders['seconds']:.0f} s)")

# %% [markdown]
# Read the numbers before the story. At this scale (20 layers, 100 steps, the
# 8x8 digits) the two orders do **not** show the paper's advantage for v2: in
# a typical run v1 trains faster, ending with the lower training loss for every
# seed and a test error lower or equal (the last lines printed above count this
# for your run), and the seeds spread widely. He et al. (2016b) saw v2 win
# clearly where the identity path matters most: at 1001 layers on CIFAR-10
# (their Figure 1), and by smaller margins at 110 and 164 layers. A 20-layer
# network is shallow enough for v1 to train well, and a few hundred steps say
# nothing about where either would end. What does change with the order, at
# any depth, is how the gradient travels, and that we can measure exactly.
#
# ## Measured: the gradient through the identity path (eq. 5)
#
# Write block `l`'s input as `x_l`. A v2 block outputs `x_{l+1} = x_l + F(x_l)`
# with nothing after the addition, so from any block `l` to a deeper block `L`
# (He et al. 2016b, eq. 4 and 5):
#
# $$x_L = x_l + \sum_{i=l}^{L-1} F(x_i), \qquad
# \frac{\partial E}{\partial x_l} = \frac{\partial E}{\partial x_L}
# \Big(1 + \frac{\partial}{\partial x_l} \sum_{i=l}^{L-1} F(x_i)\Big).$$
#
# The "1" says that the loss gradient at block `L` reaches every earlier block
# **unchanged**, added to whatever comes back through the branches; it cannot
# be cancelled by small weights. A v1 block is `x_{l+1} = ReLU(x_l + F(x_l))`:
# the ReLU sits on the shortcut path, and it passes no gradient wherever the
# sum is negative.
#
# We measure this with `tf.GradientTape` on freshly built networks of the same
# shape as above, on one batch of 128 digits, taking `L` as the last block:
#
# 1. the gradient at every `x_l` when the gradient may flow **along the
#    shortcuts only** (each branch's input is wrapped in `tf.stop_gradient`);
#    eq. 5 says that in v2 this is exactly dE/dx_L;
# 2. in v2, the rest of dE/dx_l, the part through the branches;
# 3. every branch zeroed (v2: its last conv; v1: its last batch norm's gamma and
#    beta), so each block passes its input on unchanged in the forward pass:
#    is dE/dx_l then equal to dE/dx_L?

# %% role="given" grade_id="ch04_pre_activation_eq5_measured"
import matplotlib.pyplot as plt

from resnet_lesson import experiments
from resnet_lesson.figures.activation_order import plot_propagation

propagation = experiments.run_propagation()
plot_propagation(propagation)
plt.show()
for order in experiments.ORDERS:
    measured = propagation[order]
    print(
        f"{order}, along the shortcuts only: max |gradient at x_l - dE/dx_L| over "
        f"blocks = {max(measured['through_shortcuts_max_diff']):.3g}; its norm at "
        f"block 0 is {measured['through_shortcuts_norm_ratio'][0]:.0%} of ||dE/dx_L||"
    )
v2 = propagation["v2"]
print(
    "v2, through the branches: ||dE/dx_l - dE/dx_L|| / ||dE/dx_L|| from block 0 to "
    f"the last: {v2['branch_term_norm_ratio'][0]:.1f} ... {v2['branch_term_norm_ratio'][-1]:.2f}"
)
print(
    "v2, that part recomputed as dE/dx_L pulled back through the branch outputs "
    f"alone: max difference {max(v2['decomposition_max_diff']):.3g}"
)
for order in experiments.ORDERS:
    zeroed = propagation[f"{order}_zeroed"]
    print(
        f"{order}, every branch zeroed: max |dE/dx_0 - dE/dx_L| = {zeroed['max_diff'][0]:.3g}; "
        f"{zeroed['zeroed_fraction'][0]:.0%} of dE/dx_L's entries arrive at x_0 as zero"
    )

# %% [markdown]
# In v2 the gradient along the shortcuts arrives at every block *exactly*
# equal to dE/dx_L (a difference of 0, not merely small): that is the "1" of
# eq. 5. On top of it comes the branch term, which at initialization is the
# larger part near the input; the two add up to the full gradient, as eq. 5
# says. With every branch zeroed, dE/dx_l equals dE/dx_L exactly. In v1 the
# shortcut path delivers only part of the gradient, and less the nearer the
# block is to the input: each ReLU after an addition drops the entries where
# the sum was negative, and those where it was exactly 0 too, since TensorFlow
# takes ReLU's derivative at 0 to be 0 (a convention: ReLU has no derivative
# at 0). So even with every branch zeroed, when each v1 block passes its
# input on unchanged, the entries where that input is zero receive no gradient
# at all. After the stem's ReLU that is a large share of them: the line
# "v1, every branch zeroed" above gives it, about half in a typical run.
#
# So the order decides whether the deep network keeps a clean path for the
# gradient. Our 20-layer networks trained well either way; He et al. (2016b)
# attribute v1's difficulty at hundreds of layers to this blocked path.
#
# ## Measured: five orderings, trained
#
# v1 and v2 are two of the five orderings He et al. (2016b, section 4 and
# Figure 4) trained, all with identity shortcuts:
#
# - **original** (v1): conv, BN, ReLU, conv, BN; add; ReLU;
# - **BN after addition**: conv, BN, ReLU, conv; add; BN, ReLU. The batch norm
#   now sits on the shortcut path too;
# - **ReLU before addition**: the original branch with a ReLU at its end; add.
#   The path is clean, but every branch can only add non-negative values;
# - **ReLU-only pre-activation**: ReLU, conv, BN, ReLU, conv, BN; add;
# - **full pre-activation** (v2): BN, ReLU, conv, BN, ReLU, conv; add.
#
# Their Table 2 gives CIFAR-10 test errors for ResNet-110 and ResNet-164:
# 6.61 / 5.93 (original), 8.17 / 6.50 (BN after addition), 7.84 / 6.14 (ReLU
# before addition), 6.71 / 5.91 (ReLU-only pre-activation) and 6.37 / 5.46
# (full pre-activation). The two orderings that put something on the shortcut
# path or force the branch's sign do worst; full pre-activation does best. The
# margins between the good orderings are small, a few tenths of a point, and
# grow with depth: at 1001 layers the original unit gave 7.61% and full
# pre-activation 4.92% (their Table 3), and the original unit's training loss
# fell slowly at first (their Figure 1).
#
# The live run above compared two orderings at 20 layers. The study below
# trained all five at 20 and at 110 layers, over three seeds, with
# `scripts/run_ablation_study.py orderings` (a few minutes per network on two
# CPU cores; its settings are printed with the numbers).

# %% role="given" grade_id="ch04_pre_activation_orderings_study" tags=["nbval-check-output"]
import matplotlib.pyplot as plt

from resnet_lesson.experiments import ablations
from resnet_lesson.figures.ablations import plot_unit_study

study = ablations.load_study("orderings")
if study is None:
    print("No saved study comes with this copy of the course: the live run above is the only one.")
else:
    for depth, record in study["depths"].items():
        paper = ablations.paper_errors("orderings", "ResNet-110")
        print(ablations.summary_lines(record, paper))
        plot_unit_study(
            record, paper, "He et al. 2016b, Table 2: ResNet-110, CIFAR-10 test error (%)"
        )
        plt.show()
        runs = record["runs"]
        if "original" in runs and "full pre-activation" in runs:
            pairs = list(
                zip(runs["full pre-activation"]["test_error"], runs["original"]["test_error"])
            )
            lower = sum(v2 < v1 for v2, v1 in pairs)
            print(
                f"{depth} layers: full pre-activation has the lower held-out error "
                f"for {lower} of {len(pairs)} seeds\n"
            )

# %% [markdown]
# Read the two depths apart.
#
# At **20 layers** every ordering fits the training digits, so the differences
# are in speed and in held-out error, where one digit is 0.28 points. The
# original unit trains fastest, as in the live run above, and pre-activation
# buys nothing at this depth. BN after addition starts slowest and ends with
# the highest held-out error of the five: the paper's worst ordering (8.17%
# against 6.61%) is ours too.
#
# At **110 layers** (three orderings, the deep runs being the expensive ones)
# the picture changes:
#
# - BN after addition no longer trains: its loss barely falls and its error
#   stays far above the others. A batch norm on the shortcut path rescales the
#   signal at each of 54 units; He et al. saw it slow the start of training,
#   here it stops it.
# - The original unit starts with a loss far above chance (about 8, against
#   ln 10 = 2.3 for a uniform guess): each unit adds a branch of unit variance
#   to the sum, and in v1 nothing normalizes the last sum before the
#   classifier. It recovers, and fits the training digits almost as well as
#   full pre-activation, but generalizes worse on average; the line above
#   counts the seeds.
# - Full pre-activation trains smoothly from the first epoch and has the
#   lowest held-out error on average, the paper's ordering (6.37% against
#   6.61% at 110 layers, 4.92% against 7.61% at 1001).
#
# So the paper's conclusion holds here where depth makes it matter, and not at
# 20 layers; with three seeds that spread widely, take it as agreement in
# direction, not a measurement of the margin. The same script reruns it with
# more seeds or deeper (`--depths 110 164 --seeds 5`), in minutes on a GPU.

# %% [markdown]
# ## Check your understanding

# %% [markdown] role="question" grade_id="pre_activation_q1" correct="c"
# The "ReLU before addition" unit (listed above; He et al. 2016b, Figure 4c) puts a
# ReLU at the end of v1's branch and nothing after the addition:
# `x_{l+1} = x_l + ReLU(F(x_l))`. A stack of nine such units is measured as in this
# chapter's first gradient measurement, the gradient flowing along the shortcuts only.
# What share of dE/dx_L's entries arrives at x_0 unchanged?
#
# - about 50%: each unit's ReLU drops the entries where its input is negative
# - about 0.2%: each of the nine ReLUs passes about half, and the halves multiply
# - 100%: nothing but the additions lies on the shortcut path
# - 0%: the batch norm in each unit rescales every entry
#
# > With the ReLU inside the branch, the unit is `x_{l+1} = x_l + F'(x_l)` with
# > `F' = ReLU(F)`, and eq. 5 holds as it stands: along the shortcuts dE/dx_L reaches every
# > x_l exactly, as in v2. A ReLU or a batch norm takes gradient away only where it sits
# > on the shortcut path (v1's ReLU after the addition); inside a branch it cannot touch
# > that path, so neither the halving guesses nor the rescaling one apply. The unit's
# > weakness lies elsewhere: every branch outputs ReLU values, so each unit can only
# > add non-negative numbers and the signal grows monotonically along the network; He
# > et al. (2016b, section 4.1) measured 7.84% CIFAR-10 error for it against 6.61% for
# > v1 at 110 layers.

# %% [markdown] role="question" grade_id="pre_activation_q2" correct="d"
# Your `pre_activation` runs on a `channels_first` batch of shape (32, 64, 56, 56) in
# training mode. Over how many numbers does its batch norm average to get one
# channel's mean?
#
# - 32
# - 3,136
# - 114,688
# - 100,352
#
# > One mean per channel, averaged over every other axis: the 32 images and the 56 x 56
# > positions of each, 32 x 56 x 56 = 100,352 (Ioffe and Szegedy 2015, section 3.2,
# > call this a conv layer's effective mini-batch). 32 averages over the images only,
# > as a batch norm after a dense layer does; 3,136 = 56 x 56 forgets the batch; and
# > 114,688 = 32 x 64 x 56 is what `axis=3` would average over, keeping one mean per
# > image column.

# %% [markdown] role="question" grade_id="pre_activation_q3" correct="b"
# The first 1x1 conv of a ResNet-50 bottleneck block reads 256 channels and squeezes
# them to 64. In v2 a batch norm comes right before that conv; in v1 (He et al. 2016a,
# section 3.4) one comes right after it. How many parameters does Keras count for that
# batch norm in each?
#
# - 256 in v2, 1,024 in v1
# - 1,024 in v2, 256 in v1
# - 512 in v2, 128 in v1
# - 1,024 in v2 and in v1
#
# > A batch norm keeps four numbers for each channel it normalizes: gamma and beta,
# > which the optimizer trains, and the moving mean and variance, which it updates
# > itself. Before the conv it normalizes the conv's 256 input channels, 4 x 256 =
# > 1,024 (512 of them trained); after the conv, its 64 output channels, 4 x 64 = 256.
# > Moving a batch norm across a conv that changes the width changes its size, so the
# > two orderings do not hold the same layer; 512 and 128 count gamma and beta only,
# > and the first option swaps the two places.

# %% [markdown]
# ## Recap
#
# - Batch norm normalizes each channel over the batch and the spatial axes, then
#   rescales with learned `gamma` and `beta`; it needs the channel axis: 1 for
#   `channels_first`, 3 for `channels_last`.
# - Pre-activation is batch norm, then ReLU, before a conv (v2); v1 put them after
#   the conv, except that the last conv's batch norm feeds the addition directly
#   and the ReLU follows the addition.
# - `training=is_training` is a default for bare calls in Keras 3; `fit` trains,
#   `predict` and `evaluate` infer, and an explicit `training=` wins.
#
# Next, chapter 5 adds the shortcut to the pre-activation.
