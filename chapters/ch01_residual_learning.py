# %% [markdown] role="title"
# # Chapter 1: Residual learning: the degradation problem

# %% [markdown]
# This course builds a ResNet v2 (He et al. 2016b, *Identity Mappings in Deep
# Residual Networks*) one method at a time. Before any code, this chapter asks
# the question ResNet answers: **why do deeper plain networks train worse?** We
# do not take the answer on trust; we train networks on real images and
# measure, right here, on your machine.

# %% role="setup"

# %% [markdown]
# ## The degradation problem
#
# He et al. (2016a, *Deep Residual Learning for Image Recognition*) trained
# plain convolutional networks of 20 and 56 layers on CIFAR-10 and saw the
# 56-layer one end with the *higher* error, on the training set as well as the
# test set. Overfitting cannot explain a worse *training* error: a bigger model
# that overfits fits its training data better, not worse. The deeper network is
# simply harder to optimize. They called this **degradation**.
#
# The puzzle is that the deeper network could, in principle, copy the shallower
# one and set its extra layers to the identity: by construction, a solution
# at least as good exists. In their experiments the solvers did not reach a
# solution that good, at least not in a feasible time. Why not is a
# hypothesis, not a result: He et al. suggest that solvers may have difficulty
# approximating identity mappings with several nonlinear layers (a stack of
# conv, batch norm and ReLU has no built-in way to "change nothing").
# Residual learning is designed around that hypothesis.
#
# ### Measured: plain vs residual at 8, 20 and 56 layers
#
# Below we train two families of small networks on scikit-learn's 8x8
# handwritten digits (1,797 real images that ship with the library):
#
# - **plain**: a stack of pre-activation layers (batch norm, ReLU, 3x3 conv);
# - **residual**: *the same layers*, with every pair wrapped in a block that adds
#   its input back (`y = x + F(x)`).
#
# Both kinds have exactly the same parameters and start from the same weights;
# they get the same batches, optimizer and number of steps. The only difference
# is the shortcut. This takes two to three minutes on two CPU cores.

# %% role="given" grade_id="ch01_residual_learning_degradation_run" tags=["not-run-when-grading"]
import matplotlib.pyplot as plt

from resnet_lesson import experiments
from resnet_lesson.figures.experiments import plot_degradation

degradation = experiments.run_degradation(verbose=True)
plot_degradation(degradation)
plt.show()

# %% role="given" grade_id="ch01_residual_learning_final_errors" tags=["not-run-when-grading"]
plain_err = degradation["plain"]["final_train_error"]
res_err = degradation["residual"]["final_train_error"]
for depth, p, r in zip(degradation["depths"], plain_err, res_err):
    print(f"{depth:3d} layers: training error plain {p:6.1%}   residual {r:6.1%}")
checks = degradation["checks"]
print(
    "in this run: the deepest plain net trained worse than the shallowest:",
    checks["plain_degrades"],
    "| residual loss below plain past the first depth:",
    checks["residual_beats_plain"],
)
settings = degradation["settings"]
steps = len(degradation["plain"]["step_losses"][0])
print(
    f"budget of every network: {settings['epochs']} epochs, {steps} steps of "
    f"{settings['batch_size']} images"
)
print(f"(the experiment took {degradation['seconds']:.0f} s)")

# %% [markdown]
# Read the right-hand plot first, next to the numbers printed above. In a
# typical run the plain networks' **training** error rises with depth, and the
# 56-layer plain net is far behind the 8-layer one. The residual networks, with
# the very same layers, all end with a low training error (about a percent in
# a typical run), and their loss does not rise with depth. The left-hand curves
# show the same story during training: the deepest plain net's loss falls
# slowest.
#
# Be precise about what this short run shows. Every network got the same small
# budget, printed above: 4 epochs, 112 steps. Within that budget the 56-layer
# plain net trained far less well than the 8-layer one, while the 56-layer
# residual net did not. It does not show where each network would end if
# trained to convergence: that is what He et al. (2016a, Figure 1) measured on
# CIFAR-10, where the 56-layer plain net's training error stayed above the
# 20-layer one's for the whole of a full training schedule. Our run is the same
# effect seen early, on a budget a laptop can afford.
#
# How reliable is one run? Training is random (initial weights, batch order), so
# `scripts/run_degradation_study.py` repeats this experiment over many seeds and
# counts how often each ordering held, with the spread of the final training
# errors. When its results file is present it is shown here:

# %% role="given" grade_id="ch01_residual_learning_degradation_study" tags=["nbval-check-output"]
from resnet_lesson.experiments import load_study_summary

print(load_study_summary())

# %% [markdown]
# ### Trained to the end: degradation or a slow start?
#
# A short budget cannot tell two stories apart. Either the deep plain net is
# worse at fitting its training set (degradation), or it is only slower to get
# going and would catch up. He et al. (2016a, Figure 1) ruled out the second on
# CIFAR-10 by training to the end of a full schedule. Two saved studies do the
# same here, each too long to run in this notebook; each lowers the learning
# rate to zero along a cosine, so that every run ends settled.
#
# The first trains every net of the experiment above on the digits for 50
# epochs instead of 4, over three seeds (`scripts/run_degradation_study.py
# --depths 8 20 56 --epochs 50 --decay --seeds 0-2`, about an hour on two CPU
# cores). "Still falling" compares the mean loss of the last 10 epochs with the
# 10 before: 1.00 means the curve has gone flat.
#
# This is a different question from the gradients at initialization measured
# in the next section: there no training has happened yet.

# %% role="given" grade_id="ch01_residual_learning_convergence_study" tags=["nbval-check-output"]
import matplotlib.pyplot as plt

from resnet_lesson.experiments.degradation import (
    CONVERGENCE_STUDY,
    FASHION_STUDY,
    load_study,
    settled_lines,
    study_summary,
)
from resnet_lesson.figures.experiments import plot_degradation_study


def show_settled_study(path, window, measure):
    """A saved study's summary, each net's end ("still falling" over ``window``
    epochs) and its figure, with the training ``measure`` at the end against depth."""
    study = load_study(path)
    if study is None:
        print("No saved study comes with this copy of the course.")
        return
    print(study_summary(study, path.name))
    print(
        f"  at the end, means over the seeds; still falling: the last {window} epochs' "
        f"loss over the {window} before, per seed"
    )
    print("\n".join(settled_lines(study, window)))
    plot_degradation_study(study, measure)
    plt.show()


# On the digits every net ends with almost no training error: the loss tells them apart.
show_settled_study(CONVERGENCE_STUDY, window=10, measure="loss")

# %% [markdown]
# Trained to the end, the digits tell a more careful story than the 4-epoch run:
#
# - every net except plain-56 flattens out within about 20 epochs ("still
#   falling" near 0.8 to 0.9, the last of the cosine decay) and ends with no
#   training error and a loss near 0.001;
# - the 56-layer plain net is the only one still falling at the end (its ratio
#   far lower), and it ends with the highest loss of all, more than ten times
#   the 8-layer plain net's; in some seeds a few training digits stay wrong;
# - its residual twin, with the very same layers, flattens as early as the
#   shallow nets and ends with about the lowest loss.
#
# So on the digits the deeper plain net *is* worse on its training set at the
# end of a long, settled run, but only in its loss: its training error nearly
# catches up. Most of what the 4-epoch run showed was a far slower start, and
# the rest is a gap that this study cannot say would never close. The digits
# are a small set (a network with about 130,000 weights can all but memorize
# 1,797 images, given time). He et al. trained on 50,000 CIFAR-10 images,
# randomly cropped and flipped, which no network memorizes; there the 56-layer
# plain net's training error stayed above the 20-layer one's for a whole
# schedule (2016a, Figures 1 and 6).
#
# The second study therefore trains plain and residual nets on a set too big
# for them to memorize: 10,000 Fashion-MNIST images (photos of clothes, Xiao et
# al. 2017) shrunk to 8x8 like the digits, at five depths from 8 to 56 layers,
# for 20 epochs of batches of 128, with two seeds (`--dataset fashion-mnist-8x8
# --num-train 10000 --batch-size 128 --epochs 20 --decay --depths 8 20 32 44
# 56`, 45 to 75 minutes per seed on two shared CPU cores; each seed ran on its
# own and `scripts/merge_degradation_studies.py` joined them). Seed 0 also
# trained 110-layer twins, 50 minutes more; they are printed below the
# figure. The figure draws the training
# *error* at the end, the quantity of He et al.'s Figures 1 and 6; "still
# falling" compares the last 5 epochs with the 5 before.

# %% role="given" grade_id="ch01_residual_learning_fashion_study" tags=["nbval-check-output"]
from resnet_lesson.experiments.degradation import FASHION_DEEPEST_STUDY, depth_lines

show_settled_study(FASHION_STUDY, window=5, measure="error")
deepest = load_study(FASHION_DEEPEST_STUDY)
if deepest is not None:
    print("And 110 layers, trained in one seed:")
    print("\n".join(depth_lines(deepest, 110)))

# %% [markdown]
# Read the error panel from left to right:
#
# - the plain nets fit their training images best at 20 layers; from there
#   each step in depth ends *worse* on the training set, in both seeds: the
#   56-layer plain net ends with about six times the 20-layer one's error, and
#   the 110-layer plain net never leaves the uniform guess (its loss stays near
#   ln 10 = 2.30);
# - the residual nets, with the very same layers, end with less error at 32,
#   44 and 56 layers than at 20, and at 110 layers with the least of all:
#   depth no longer costs them anything. They do not gain at *every* step (in
#   seed 1 the 44-layer net ends above the 32-layer one), and at 8 and 20 layers
#   the plain net ends slightly ahead in both seeds (which is why the check on
#   every depth past the first says 0 of 2 above); from 32 layers on the
#   residual net is ahead in both seeds, and the gap grows with depth.
#
# That is the shape of He et al.'s Figure 6 (CIFAR-10: plain nets of 20 to 56
# layers, residual nets of 20 to 110), on real images a laptop can train. One
# limit, said plainly: "still falling" is below 1 for every net but plain-110.
# The cosine decay makes large gains late, so 20 epochs are a long budget, not
# a run trained until nothing moves. The next study asks whether more epochs
# would close the gap.
#
# He et al. (2016a) show their training errors as curves only (Figures 1, 4
# and 6). The numbers they do print for the same comparison:
#
# | He et al. 2016a | plain | residual |
# |---|---|---|
# | ImageNet, 18 layers: top-1 validation error, 10 crops (Table 2) | 27.94% | 27.88% |
# | ImageNet, 34 layers, same | 28.54% | 25.03% |
# | CIFAR-10, 110 layers: error (Figure 6, Table 6) | above 60%, "not displayed" | 6.43% (test) |
#
# At 18 layers the shortcut changes almost nothing; at 34 the plain net is
# worse than its 18-layer version and the residual one better. The study
# above shows that pattern in training error: plain and residual nearly even
# at 8 and 20 layers, parting from 32 on. Their 110-layer plain net failed,
# as ours did.

# %% [markdown]
# ### Twice the budget
#
# If the deep plain nets were only slow to start, more epochs would let them
# catch up. The 20- and 56-layer twins of seed 0 were trained again for 40
# epochs, the cosine decay stretched over twice the steps (`--depths 20 56
# --epochs 40 --seeds 0`, 26 minutes on two shared CPU cores), and each net's error is
# printed beside its 20-epoch run:

# %% role="given" grade_id="ch01_residual_learning_fashion_budget" tags=["nbval-check-output"]
from resnet_lesson.experiments.degradation import FASHION_LONGER_STUDY, budget_lines

longer = load_study(FASHION_LONGER_STUDY)
if longer is None or deepest is None:  # deepest: seed 0's 20-epoch run, loaded above
    print("No saved study comes with this copy of the course.")
else:
    print("\n".join(budget_lines(deepest, longer)))

# %% [markdown]
# Twice the epochs help every net, and the deep plain one most: its error
# falls about eightfold, so much of its 20-epoch gap was a slow start. It still
# does not catch up. The 20-layer plain net now gets all but a handful of its
# 10,000 images right, and so does the 56-layer residual net, while the
# 56-layer plain net is wrong on about thirty times as many as the 20-layer
# one. Both stories hold here, as on the digits: depth makes a plain net far
# slower to train, and what a doubled budget leaves is a smaller but real gap,
# which its residual twin does not have. Whether still more epochs would close
# it, this run cannot say: every net's loss was still falling when the 40
# epochs ended, the deep plain net's from the highest level.
#
# It also shows that 10,000 small images can nearly be memorized, given 40
# epochs. He et al.'s CIFAR-10, 50,000 images randomly cropped and flipped, is
# far harder to memorize, and there the 56-layer plain net's training error
# stayed above the 20-layer one's through a whole schedule (2016a, Figure 6).

# %% [markdown]
# ## Residual functions
#
# Call `H(x)` the mapping a few layers should compute. A residual block instead
# asks those layers for `F(x) = H(x) - x` and outputs `x + F(x)`. Nothing is
# lost: any `H` can be written this way. What changes is what is *easy*:
#
# - if the best `H` is close to the identity, the layers only need `F` close to
#   zero, and small weights give exactly that;
# - each block then makes a small tweak to a signal that flows through the
#   shortcuts unchanged, instead of re-deriving the whole representation.
#
# So adding a block should, at worst, cost nothing. The next two experiments
# measure both halves of that claim.
#
# ## Measured: gradients at initialization
#
# The usual story says gradients *vanish* in deep plain nets. He et al. (2016a,
# section 4.1) rule that out for their plain networks: trained with batch
# norm, their gradients showed healthy norms, so degradation is not a
# vanishing-gradient problem. Below we look at one particular moment, which
# they did not report: a freshly initialized network, before any training
# step. The plot shows the size (norm) of the gradient reaching each conv layer
# on one batch, input side on the left, on a log scale.

# %% role="given" grade_id="ch01_residual_learning_gradients"
import matplotlib.pyplot as plt

from resnet_lesson import experiments
from resnet_lesson.figures.experiments import plot_gradient_norms

gradients = experiments.run_gradient_norms()
plot_gradient_norms(gradients)
plt.show()
for kind in experiments.KINDS:
    ratios = ", ".join(
        f"{d} layers: {r:,.0f}x"
        for d, r in zip(gradients["depths"], gradients[kind]["first_last_ratio"])
    )
    print(f"{kind:8s} first-layer / last-layer gradient norm: {ratios}")

# %% [markdown]
# At initialization, in the deepest plain net the first layers receive
# gradients far *larger* than the last ones, and the gap grows with depth
# (printed above): the early gradients grow rather than vanish. This is a
# known effect of batch norm itself: Yang et al. (2019, *A Mean Field Theory of
# Batch Normalization*, ICLR) show that at initialization the gradients of a
# deep batch-normalized network without shortcuts grow exponentially with depth,
# whatever the initial weight scale or activation, and that once training
# starts (in their experiments, after a single optimization step) the spread of
# the gradients across layers becomes far smaller. So there is no
# contradiction with He et al.: they checked the gradients of networks in
# training, we measure at the very start. The residual nets keep the gradient
# of every layer within a small factor from the start, because each shortcut
# hands the gradient back unchanged (chapter 4 measures this exactly).
#
# The degradation run above also measured the same ratio once more, after its
# training steps:

# %% role="given" grade_id="ch01_residual_learning_trained_norms" tags=["not-run-when-grading"]
for kind in experiments.KINDS:
    ratios = ", ".join(
        f"{d} layers: {r:,.1f}x"
        for d, r in zip(degradation["depths"], degradation[kind]["final_first_last_ratio"])
    )
    print(f"{kind:8s} first-layer / last-layer gradient norm after training: {ratios}")

# %% [markdown]
# Compare these with the ratios at initialization, printed two cells up. The
# 56-layer plain net starts at about two thousand (the initialization is
# seeded); after training, its ratio is a few tens at most in a typical run,
# and every residual net's stays under twenty. What a deep plain net's
# gradients look like at step 0 is not what they look like during training.
#
# ## Measured: a zero branch is the identity
#
# If a block's last conv is all zeros, its branch adds nothing and the block
# returns its input exactly. We check that on one block, then append such a
# block to a trained network and train on.

# %% role="given" grade_id="ch01_residual_learning_zero_mapping" tags=["not-run-when-grading"]
from resnet_lesson.figures.experiments import plot_zero_mapping

zero = experiments.run_zero_mapping()
block, network = zero["block"], zero["network"]
print(
    "one block, last conv zeroed: max |block(x) - x| =",
    block["max_abs_diff_training"],
    "(training),",
    block["max_abs_diff_inference"],
    "(inference)",
)
print("trained net + zero block: max logit change =", network["max_abs_logit_diff_zero_block"])
print(
    "trained net + random block: max logit change =",
    round(network["max_abs_logit_diff_random_block"], 3),
)
print(
    f"training error: trained {network['train_error_trained']:.1%}, with the "
    f"zero block {network['train_error_with_zero_block']:.1%}, with a random "
    f"block {network['train_error_with_random_block']:.1%}, after more steps "
    f"{network['train_error_after_extra_steps']:.1%}"
)
plot_zero_mapping(zero)
plt.show()

# %% [markdown]
# The zero block changes the network's outputs by exactly 0, whereas the same
# block with random weights changes them noticeably. After more training the new
# block has moved only a little: its branch is still small next to the blocks
# that were there before. Adding depth to a residual network starts from "do no
# harm".
#
# ## Check your understanding

# %% [markdown] role="question" grade_id="residual_learning_q1" correct="d"
# A 56-layer plain network ends with a higher *training* error than a 20-layer one. What
# does that rule out?
#
# - that the deeper network is harder to optimize
# - nothing: training error says nothing about depth
# - that batch norm was used
# - that the deeper network's problem is overfitting
#
# > Overfitting means fitting the training data too well; a higher training error is an
# > optimization problem, which is what degradation is.

# %% [markdown] role="question" grade_id="residual_learning_q2" correct="b"
# A residual block computes `x + F(x)`, and the mapping the block should end up with is
# `H(x) = 2x`. What must its branch `F` learn?
#
# - F(x) = 2x
# - F(x) = x
# - F(x) = 0
# - F(x) = x / 2
#
# > The branch learns the residual H(x) - x = 2x - x = x; the shortcut supplies the
# > other x. F = 0 is the case H(x) = x, the identity.

# %% [markdown] role="question" grade_id="residual_learning_q3" correct="b"
# After 4 epochs a 56-layer plain net has a 60% training error and an 8-layer one 1%.
# A colleague says: "the deep one just has not started yet". Which measurement settles
# it?
#
# - the test error of both nets after the same 4 epochs
# - both nets trained until their training loss stops falling, then their training
#   errors compared
# - the gradient norms of both nets at initialization
# - the 56-layer net trained again with a larger learning rate for 4 epochs
#
# > Only a run long enough for both curves to flatten separates "worse at fitting" from
# > "slower to start": that is what He et al. (2016a, Figure 1) did on CIFAR-10 and what
# > this chapter's saved 50-epoch study does on the digits. Gradients at initialization
# > say how training starts, not where it ends.

# %% [markdown] role="question" grade_id="residual_learning_q4" correct="b"
# Why can adding a block to a trained residual network start without hurting it?
#
# - because the new block is trained separately first
# - because a block whose last conv is zero returns its input exactly
# - because residual networks ignore new blocks
# - because batch norm removes the new block's effect
#
# > With a zero branch the block is exactly the identity, as measured above: the network
# > computes what it did before.

# %% [markdown]
# ## Recap
#
# - Degradation: deeper plain networks can train *worse*, which is an
#   optimization problem, not overfitting (measured above on real digits).
# - A residual block learns `F(x) = H(x) - x` and outputs `x + F(x)`; a zero
#   branch makes it the identity, exactly.
# - At initialization, with batch norm, a deep plain net's early gradients are
#   far larger than its last ones (a batch-norm effect, Yang et al. 2019); He et
#   al. found healthy gradients during training, so degradation is not about
#   vanishing gradients. Shortcuts keep every layer's gradient in range.
# - So depth can be added a block at a time, each making a small tweak.
#
# Chapter 2 sets up the `ResNetModel` you will build through the course.
