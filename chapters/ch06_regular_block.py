# %% [markdown] role="title"
# # Chapter 6: The ResNet block

# %% [markdown]
# A residual block computes a small correction `F(x)` and adds it to what came
# in: `y = x + F(x)`. Chapters 4 and 5 built the two pieces that open every
# block of ResNet v2: the **pre-activation** (batch norm, then ReLU) and the
# **shortcut** (the input itself, or a 1x1 projection when the shape changes).
# In this chapter you close the block: the second half of `regular_block`, the
# block that ResNet-18 and ResNet-34 stack (He et al. 2016b, *Identity Mappings
# in Deep Residual Networks*, Figure 1b).

# %% role="setup"

# %% [markdown]
# ## Learning the identity
#
# Suppose a network of some depth already does well, and we add one more block.
# If that block could not easily do *nothing*, the deeper network could end up
# worse than the shallower one, which is what He et al. (2016a) saw with plain
# networks. A residual block does nothing when its branch outputs zeros: then
# `y = x + 0 = x`. Nothing pulls the weights there by itself, though: plain
# gradient descent only follows the loss, and this course trains without weight
# decay. He et al. (2016a, section 3.1) argue it as a *preconditioning* of the
# problem: identity mappings are rarely exactly optimal, but if the best mapping
# for a block is closer to the identity than to zero, it is easier for the
# solver to learn a small perturbation `F(x)` on top of the identity, which the
# shortcut supplies for free, than to rebuild the identity from a stack of
# nonlinear layers. So an extra block costs little when it is not needed, and it
# can learn a small correction when it is.
#
# We measure this below once your block works: with the last conv's kernel set
# to zero, the block's output equals its input exactly.
#
# ## The structure of a regular block
#
# A regular block has two 3x3 convs on its branch, each reading a pre-activated
# input (chapter 4):
#
# - the block opens with the pre-activation and the shortcut (chapter 5);
# - the first 3x3 conv carries the block's stride, so it is the only place where
#   the map may shrink;
# - the second 3x3 conv keeps the map size (stride 1);
# - the block ends with the sum of the branch and the shortcut. No ReLU after
#   the addition: in v2 the next block's pre-activation does that, so the
#   shortcut path stays a clean identity from block to block.
#
# The diagram draws both variants: with the identity shortcut (stride 1, same
# width) and with the projection shortcut (the first block of a block layer).

# %% role="given" grade_id="ch06_regular_block_diagram"
import matplotlib.pyplot as plt

from resnet_lesson.figures.blocks import block_diagrams

block_diagrams(kinds=("regular",))
plt.show()

# %% role="given" grade_id="ch06_regular_block_reference_methods" tags=["nbval-check-output"]
# The methods you call: your chapter 4 and 5 methods (how to call them, not their
# code), and the course's convolution, which no chapter asks you to write.
import inspect

import keras

import resnet_lesson
from resnet_lesson.contracts import print_contracts

print_contracts("pre_activation", "pre_activation_with_shortcut")
print(inspect.getsource(resnet_lesson.ResNetModel.custom_conv2d))


# %% [markdown]
# ## Exercise: finish `regular_block`
#
# Your `ResNetModel` inherits every other method from the course's reference
# model, so only `regular_block` is yours. The given lines are the first half of
# the block: `pre_activated1` and `shortcut` from chapter 5, and `conv1`, the
# strided 3x3 conv. Below them you finish the block, from the diagram.
#
# **Contract.** What must hold, for every `filters`, `strides` and shortcut:
#
# - the block returns one tensor shaped exactly like `shortcut`: `filters`
#   channels, and the height and width of `conv1` (the map shrinks once, where
#   the given lines already shrank it, and never again);
# - its branch is the full pre-activation unit of the diagram: every conv reads a
#   batch-normalized, rectified input;
# - with its last conv's kernel set to zero, the block returns `shortcut` exactly,
#   whatever its input: nothing touches the sum after the addition, so the output
#   can be negative;
# - everything it makes lives inside the given name scope.
#
# <details><summary>Hint 1: the idea</summary>
#
# The second half of the block repeats the first half's pattern once more,
# *pre-activate, then convolve*, without the stride this time, and then adds the
# shortcut that the given line set aside.
#
# </details>
#
# <details><summary>Hint 2: which methods, which arguments</summary>
#
# `self.pre_activation(inputs, is_training)` pre-activates, and
# `self.custom_conv2d(inputs, filters, kernel_size, strides)` makes the conv, as
# in the given `conv1` line, but with stride 1. Two Keras tensors of the same shape
# add with `+`.
#
# </details>
#
# <details><summary>Hint 3: the first step</summary>
#
# The first of the missing lines, the rest is yours:
#
# ```python
# pre_activated2 = self.pre_activation(conv1, is_training)
# ```
#
# The second conv reads it; compare its stride with `conv1`'s, and check the
# contract's zero-kernel rule against what you return.
#
# </details>


# %% role="answer" grade_id="regular_block"
class ResNetModel(resnet_lesson.course_model_without("regular_block")):
    def regular_block(self, inputs, filters, strides, is_training, index, shortcut_filters=None):
        with keras.name_scope(f"regular_block{index}"):
            shortcut_params = (shortcut_filters, strides)
            pre_activated1, shortcut = self.pre_activation_with_shortcut(
                inputs, is_training, shortcut_params
            )
            conv1 = self.custom_conv2d(pre_activated1, filters, 3, strides)
            # The rest of the block, then the sum: shaped like `shortcut`.
            ### BEGIN SOLUTION
            pre_activated2 = self.pre_activation(conv1, is_training)
            conv2 = self.custom_conv2d(pre_activated2, filters, 3, 1)
            return conv2 + shortcut
            ### END SOLUTION


# %% [markdown]
# ### Check your block
#
# The check builds your block and the reference block on the same inputs with
# the same weights (stride 1 and 2, identity and projection shortcuts, both data
# formats) and compares their outputs in training and inference mode. If they
# differ, it tells you which common mistake reproduces your output.

# %% role="tests" grade_id="regular_block_tests" points=3
from resnet_lesson.checks import regular_block as regular_block_check

regular_block_check.check(ResNetModel)
### BEGIN HIDDEN TESTS
regular_block_check.check(ResNetModel, thorough=True)
### END HIDDEN TESTS

# %% [markdown]
# ## Your block in a whole network
#
# `build_resnet` accepts your class, so the ResNet-18 below is built from your
# `regular_block` (eight of them, two per block layer). The printed shapes are
# what each block hands to the next: the first block of each later block layer
# halves the feature map and doubles the channels.

# %% role="given" grade_id="ch06_regular_block_whole_network" tags=["nbval-check-output"]
from resnet_lesson.checks.engine import yours_or_course

# Your code once it passes its check; until then the course's (a line says so).
Model = yours_or_course(ResNetModel, "regular_block")
model = resnet_lesson.build_resnet(18, image_size=64, num_classes=10, model_class=Model)
print(f"ResNet-18 from your block: {model.count_params():,} parameters")
# Each block's final sum is a Keras operation named "add" in the model's graph.
block_outputs = [op.output for op in model.operations if type(op).__name__ == "Add"]
for number, output in enumerate(block_outputs, start=1):
    print(f"block {number}: output {tuple(output.shape[1:])}")

# %% [markdown]
# ## Measured: a zero branch gives the identity
#
# Below we build one block with your code, scale the kernel of its last conv by
# a factor from 0 to 1, and measure how far the output moves from the input. At
# 0 the distance is exactly zero: the block *is* the identity, in training and
# inference mode alike.

# %% role="given" grade_id="ch06_regular_block_identity_figure"
import matplotlib.pyplot as plt
import numpy as np

from resnet_lesson.checks.engine import yours_or_course

# Your code once it passes its check; until then the course's (a line says so).
Model = yours_or_course(ResNetModel, "regular_block")
resnet = Model(8, 8, 18, 10)
inputs = keras.Input((8, 8, 16))
block = keras.Model(inputs, resnet.regular_block(inputs, 16, 1, True, 0))
last_conv = [layer for layer in block.layers if isinstance(layer, keras.layers.Conv2D)][-1]
kernel = last_conv.kernel.numpy()
x = np.random.default_rng(0).normal(size=(4, 8, 8, 16)).astype("float32")

scales = np.linspace(0, 1, 11)
distances = {True: [], False: []}
for scale in scales:
    last_conv.kernel.assign(kernel * scale)
    for training in (True, False):
        y = block(x, training=training).numpy()
        distances[training].append(np.abs(y - x).max())
last_conv.kernel.assign(kernel)

fig, ax = plt.subplots(figsize=(6, 3.2))
ax.plot(scales, distances[True], "o-", label="training mode")
ax.plot(scales, distances[False], "s--", label="inference mode")
ax.set_xlabel("scale of the last conv's kernel")
ax.set_ylabel("max |block(x) - x|")
ax.set_title("A residual block with a zero branch returns its input")
ax.legend()
plt.show()
print(
    f"at scale 0: max |block(x) - x| = {distances[True][0]} (training), "
    f"{distances[False][0]} (inference)"
)

# %% [markdown]
# The distance grows smoothly with the kernel's scale: a small branch makes a
# small change. Training can therefore start each block near "do nothing" and
# move it only as far as the data asks.

# %% [markdown]
# ## Measured: growing a trained network by blocks that do nothing
#
# The argument for residual blocks goes: take a trained ResNet of 20 blocks and
# add 5 more. If the new blocks' branches output zero, the 25-block network
# computes exactly what the 20-block one did, so it starts no worse; training
# on can then put the new blocks to use. Here is that experiment at a small
# scale, on the digits:
#
# 1. a residual network of 3 blocks (each block built like yours: pre-activation,
#    3x3 conv, pre-activation, 3x3 conv, plus the input; 16 channels, no strides)
#    trains 100 steps, with 360 digits held out;
# 2. a network of 6 blocks takes every trained weight (stem, the 3 blocks, final
#    batch norm, dense layer), and each of its 3 new blocks gets a last conv of
#    zeros (these convs have no bias; a bias would be zeroed too);
# 3. we compare the two networks' outputs on all 1,797 digits;
# 4. both train 100 more steps on the same batches, and we compare them again.
#
# Three seeds, about a minute on two CPU cores.

# %% role="given" grade_id="ch06_regular_block_growing" tags=["not-run-when-grading"]
from resnet_lesson import experiments
from resnet_lesson.figures.growing import plot_growing

growing = experiments.run_growing()
print(
    "max |logits of the grown net - logits of the trained net|, inference mode, per seed:",
    growing["max_abs_logit_diff"],
    "| training mode:",
    growing["max_abs_logit_diff_training_mode"],
)
plot_growing(growing)
plt.show()
first, more = growing["settings"]["first_steps"], growing["settings"]["more_steps"]
for part, label in (
    ("before", f"3 blocks, first {first} steps"),
    ("small", f"3 blocks, {more} more steps"),
    ("grown", f"grown to 6, {more} more steps"),
):
    errors, losses = growing[part]["test_error"], growing[part]["train_loss"]
    print(
        f"{label:>27}: test error {np.mean(errors):.1%} "
        f"({min(errors):.1%} to {max(errors):.1%}), training loss "
        f"{np.mean(losses):.3f} ({min(losses):.3f} to {max(losses):.3f})"
    )
pairs = list(zip(growing["grown"]["test_error"], growing["small"]["test_error"]))
better = sum(grown < small for grown, small in pairs)
print(f"the grown net has the lower test error for {better} of {len(pairs)} seeds")
print(f"(the experiment took {growing['seconds']:.0f} s)")

# %% [markdown]
# The first line is the exact part of the claim: with zero last convs the grown
# network's outputs equal the trained network's to the last bit (a difference
# of 0.0), in inference and in training mode alike. Adding blocks this way
# costs nothing at the moment they are added.
#
# Whether the extra blocks then *help* is a different question, and here the
# honest answer is: not measurably. Read the last lines printed above. In a
# typical run the grown network is no better than the 3-block one trained for
# the same extra steps: it has the lower test error for at most one seed of
# three, a mean test error no lower, and a training loss only a little lower,
# while the test errors of the seeds spread over a range (in brackets) as wide
# as any difference between the two networks. A 3-block network already fits
# these 1,437 small images almost perfectly (look at the training losses), so
# three more blocks have little left to add. What the experiment does show is
# the part the argument needs: the deeper network starts exactly where the
# trained one was, not from scratch. Whether depth then pays off depends on the
# task having more to learn, as ImageNet has for He et al.'s deeper ResNets
# (2016a, Table 3).

# %% [markdown]
# ## Check your understanding

# %% [markdown] role="question" grade_id="regular_block_q1" correct="a"
# Which conv of a regular block may have a stride of 2?
#
# - only the first conv
# - both convs
# - only the second conv
# - neither: the shortcut does the downsampling
#
# > Only the first conv strides; the second keeps the size so that the sum with the
# > (equally strided) shortcut has matching shapes.

# %% [markdown] role="question" grade_id="regular_block_q2" correct="c"
# Why does a v2 block end with the bare addition instead of a ReLU?
#
# - a ReLU after the addition would make the network too slow
# - because batch norm already makes all values positive
# - so the shortcut path stays an identity from block to block; the next block's
#   pre-activation applies the ReLU
# - a ReLU would change the output shape
#
# > With no ReLU after the sum, the signal passes through every shortcut unchanged (He et
# > al. 2016b); the next block pre-activates it.

# %% [markdown] role="question" grade_id="regular_block_q3" correct="b"
# A regular block's last conv has an all-zero kernel (and no bias). What does the block
# return?
#
# - zeros
# - its input, or the projection of it when the block has a projection shortcut
# - the ReLU of its input
# - something random, because of batch norm
#
# > The branch then contributes exactly 0, so the block returns its shortcut: the input
# > itself, or its 1x1 projection.

# %% [markdown]
# ## Recap
#
# - A regular block is pre-activation, 3x3 conv (stride `strides`),
#   pre-activation, 3x3 conv (stride 1), plus the shortcut.
# - Only the first conv strides; the projection shortcut strides to match.
# - Nothing follows the addition in v2, so the identity path is clean.
# - With a zero branch a block is exactly the identity (measured above), which
#   is why adding blocks does not have to hurt.
#
# Next, chapter 7 builds the bottleneck block that ResNet-50 and deeper use.
