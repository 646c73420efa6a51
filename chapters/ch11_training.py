# %% [markdown] role="title"
# # Chapter 11: Training it

# %% [markdown]
# The previous chapters built a ResNet v2 and its input preprocessing. This one trains
# it on real data: handwritten digits that ship with scikit-learn, so nothing
# needs the network. You write the input pipeline with `tf.data`; then the
# notebook trains the network with Keras, measures the held-out accuracy and
# the time it took, draws the learning curves and a confusion matrix, saves and
# reloads the model, and finally trains a residual network and its *plain*
# twin (same depth, no shortcuts) side by side, the comparison at the heart of
# He et al. (2016a), *Deep Residual Learning for Image Recognition*.

# %% role="setup"

# %% [markdown]
# ## An input pipeline with `tf.data`
#
# `model.fit` wants batches of preprocessed images with their labels, one batch
# after another, for every epoch. A `tf.data.Dataset` describes how to make them:
# a chain of steps that TensorFlow runs in C++ threads, next to the training.
#
# - `tf.data.Dataset.from_tensor_slices((images, labels))` yields one
#   `(image, label)` pair per example. Keeping the two in one pair is what keeps
#   every label attached to its image through all later steps.
# - `shuffle(buffer_size)` reorders the pairs, for **training only**. Stochastic
#   gradient descent assumes that each batch is a random sample; a fixed order
#   (all zeros, then all ones...) would make consecutive steps pull the weights
#   in different directions. The buffer holds `buffer_size` pairs and draws the
#   next one at random from it, so a buffer as large as the data set gives a full
#   shuffle; a small buffer only moves examples among their neighbours. By
#   default it reshuffles at every epoch. Evaluation keeps the original order:
#   the same images then give the same batches every time.
# - `map(fn)` applies chapter 10's preprocessing to each pair. It comes
#   **before** `batch`, because resizing and cropping work on one image at a
#   time (and the training crops differ from image to image).
# - `batch(batch_size)` stacks consecutive pairs. The last batch may be smaller;
#   keep it (no `drop_remainder=True`), or evaluation would skip examples.
# - `prefetch(tf.data.AUTOTUNE)` prepares the next batches while the model trains
#   on the current one, so the processor does not wait for the input.
#
# `fit` runs one pass over the dataset per epoch, so there is no `repeat()`.

# %% [markdown]
# ## Exercise: write `make_dataset`
#
# **Contract.** `make_dataset(images, labels, preprocess, batch_size,
# is_training, seed=None)` receives the images and labels as NumPy arrays and a
# function `preprocess(image, is_training)` that turns one image into the
# network's input (the model's `preprocess` method from chapter 10). The first
# line, the dataset of `(image, label)` pairs, is given. It returns a
# `tf.data.Dataset` of `(images, labels)` batches such that:
#
# - every example comes exactly once per pass, with its own label, preprocessed
#   with the function's own `is_training`;
# - the training set (`is_training` True) is fully reshuffled at every pass, using
#   `seed`; the evaluation set keeps its order;
# - the batches hold `batch_size` examples, the last one fewer when the data
#   runs out (no example is dropped);
# - the next batches are prepared while the model trains on the current one.
#
# <details><summary>Hint 1: the idea</summary>
#
# Chain the steps described above in the right order: the order matters, since
# shuffling batches is not shuffling examples, and preprocessing works on one
# image at a time. Each step returns a new dataset; keep building on it.
#
# </details>
#
# <details><summary>Hint 2: which methods, which arguments</summary>
#
# `dataset.shuffle(buffer_size, seed=...)`, `dataset.map(fn,
# num_parallel_calls=tf.data.AUTOTUNE)` (here `fn` receives the two parts of a pair
# as two arguments and returns the new pair), `dataset.batch(batch_size)` and
# `dataset.prefetch(tf.data.AUTOTUNE)`. A buffer as large as the data set,
# `len(images)`, gives a full shuffle.
#
# </details>
#
# <details><summary>Hint 3: a worked example on another pipeline</summary>
#
# A worked example on a different pipeline, of single numbers:
# `tf.data.Dataset.range(10).map(lambda x: 2 * x).batch(4)` gives the batches
# `[0, 2, 4, 6]`, `[8, 10, 12, 14]` and `[16, 18]`: each step returns a new dataset,
# and the last batch is smaller. Yours maps pairs (the function takes two
# arguments and returns a pair), shuffles first, and only when training.
#
# </details>

# %% role="answer" grade_id="make_dataset"
import tensorflow as tf


def make_dataset(images, labels, preprocess, batch_size, is_training, seed=None):
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    # Shuffle (training only), preprocess each pair, batch, prefetch; return the dataset.
    ### BEGIN SOLUTION
    if is_training:
        dataset = dataset.shuffle(len(images), seed=seed)
    dataset = dataset.map(
        lambda image, label: (preprocess(image, is_training), label),
        num_parallel_calls=tf.data.AUTOTUNE,
    )
    dataset = dataset.batch(batch_size)
    return dataset.prefetch(tf.data.AUTOTUNE)
    ### END SOLUTION


# %% [markdown]
# ### Check your pipeline
#
# The check runs your function on small made-up data whose every image carries
# its own number, with a stand-in `preprocess` that records how it was called.
# It reads the batches, several epochs for training, and checks batch sizes,
# that every example comes once per epoch with its own label, that training is
# reshuffled across the whole set every epoch and evaluation is in order, and
# that the pipeline prefetches. If something is off, it names the step.

# %% role="tests" grade_id="make_dataset_tests" points=3
from resnet_lesson.checks import make_dataset as make_dataset_check

make_dataset_check.check(make_dataset)
### BEGIN HIDDEN TESTS
make_dataset_check.check(make_dataset, thorough=True)
### END HIDDEN TESTS

# %% [markdown]
# ## Choosing the setup
#
# One setting chooses what is trained. `"cpu-digits"` trains on the 1,797
# handwritten digits of scikit-learn (8x8 pixels, 10 classes) and trains in
# under a minute on two processor cores: it is what runs in the course's
# automatic tests and on a laptop. `"gpu-cifar10"` trains the full-width
# ResNet-18 on CIFAR-10 (60,000 colour photographs of 32x32 pixels, 10 classes)
# with mixed precision; it needs a GPU and the network (Colab has both) to
# download the data. `"auto"` picks `"gpu-cifar10"` when TensorFlow sees a GPU,
# else `"cpu-digits"`. You may change the setting in the next cell.

# %%
TRAINING_SETUP = "auto"  # or "cpu-digits", or "gpu-cifar10" (needs a GPU and the network)

# %% role="given" grade_id="ch11_training_settings"
import keras
import matplotlib.pyplot as plt
import numpy as np

from resnet_lesson import training
from resnet_lesson.figures import training as training_figures

SETUP_NAME, SETTINGS = training.resolve_setup(TRAINING_SETUP)
if SETTINGS["mixed_precision"]:
    # float16 arithmetic, float32 weights: about twice as fast on recent GPUs.
    keras.mixed_precision.set_global_policy("mixed_float16")
print(f"setup {SETUP_NAME!r} on the {DEVICE}:")
for key in (
    "data",
    "num_layers",
    "filters_initial",
    "min_aspect_dim",
    "resize_dim",
    "flip",
    "batch_size",
    "epochs",
    "learning_rate",
    "batch_norm_momentum",
):
    print(f"  {key:>20}: {SETTINGS[key]}")

# %% [markdown]
# ## The data, and chapter 10's preprocessing on it
#
# The digits are split once, stratified by class: a **training** part the
# network learns from, a **validation** part the learning curves are measured
# on after every epoch, and a **test** part held out until the very end, so the
# final accuracy is measured on images that influenced no decision.
#
# The 8x8 scans are stored as 0 to 255, like a photograph, and go through the
# model's `preprocess`: resize so the shorter side is `min_aspect_dim` pixels,
# then crop `resize_dim` x `resize_dim`, at random while training, in the centre
# for evaluation, and finally scale the pixels to 0 to 1. One change from
# chapter 10 for digits: **no horizontal flip**. A flipped photograph of a dog is
# still a dog, but a mirrored 2 or 7 is not a digit anyone writes; augmentation
# must only produce images that could really occur with the same label. The
# CIFAR-10 setup, photographs, keeps the flip.
#
# Below, three training images after resizing, with the evaluation window (the
# centre) outlined in blue, the evaluation crop, then three training crops with
# the evaluation window outlined on them: each training call draws a new window,
# so each epoch sees the digit slightly shifted.

# %% role="given" grade_id="ch11_training_data"
splits = training.load_splits(SETTINGS)
CLASS_NAMES = SETTINGS["class_names"]
print({part: f"{size} images" for part, size in splits.sizes().items()})
print(f"one image: shape {splits.train.images.shape[1:]}, dtype {splits.train.images.dtype}")

resnet, model = training.build_model(SETTINGS)
training_figures.plot_preprocessing(resnet, splits.train.images[:3])
plt.show()

# %% [markdown]
# ## The model: a narrow ResNet-18
#
# The network is the course's ResNet v2 with 18 layers: the same stem, the same
# four block layers of two regular blocks each, the same shortcuts and strides.
# For the digits it is **narrower**: the first block layer has
# `filters_initial` filters instead of the paper's 64 (each block layer still
# doubles it). A conv's parameters grow with the product of its input and output
# channels, so a width of 16 instead of 64 divides the parameter count by about
# 16, and the arithmetic with it. Ten classes of 8x8 digits need nothing like
# 11 million parameters; depth is kept because depth is what this course is about.
#
# One more setting: the batch norms' `momentum`. Batch norm keeps moving
# averages of the mean and variance for inference (chapter 4); each training
# step moves them by `1 - momentum` of the way. Keras's default 0.99 needs a few
# hundred steps to forget their starting values, and the digits give only about
# 20 steps per epoch, so the digits setup uses 0.9.

# %% role="given" grade_id="ch11_training_model"
print(f"{model.name}: {model.count_params():,} parameters")
if SETTINGS["filters_initial"] != 64:
    full_width = resnet_lesson.build_resnet(
        SETTINGS["num_layers"],
        image_size=SETTINGS["resize_dim"],
        num_classes=len(CLASS_NAMES),
        channels=model.input_shape[-1],
    )
    print(
        f"the same depth at the paper's width 64: {full_width.count_params():,} "
        f"parameters, {full_width.count_params() / model.count_params():.1f} "
        "times as many"
    )
    del full_width


# %% [markdown]
# ## Your pipeline feeds the training
#
# The three datasets below are made by **your** `make_dataset`, with the model's
# `preprocess`.


# %% role="given" grade_id="ch11_training_datasets"
from resnet_lesson.checks.engine import yours_or_course

# Your code once it passes its check; until then the course's (a line says so).
make_dataset_used = yours_or_course(make_dataset, "make_dataset")


def datasets_for(resnet):
    batch_size = SETTINGS["batch_size"]
    return (
        make_dataset_used(
            splits.train.images,
            splits.train.labels,
            resnet.preprocess,
            batch_size,
            is_training=True,
        ),
        make_dataset_used(
            splits.validation.images,
            splits.validation.labels,
            resnet.preprocess,
            batch_size,
            is_training=False,
        ),
        make_dataset_used(
            splits.test.images, splits.test.labels, resnet.preprocess, batch_size, is_training=False
        ),
    )


train_data, validation_data, test_data = datasets_for(resnet)
print("one element:", train_data.element_spec)
print(
    f"batches per epoch: {int(train_data.cardinality())} for training, "
    f"{int(test_data.cardinality())} for the test set"
)

# %% [markdown]
# ## Training
#
# `training.train` compiles the model with the Adam optimizer, a learning rate
# that decays along a cosine from `learning_rate` to zero over the whole run,
# and the cross-entropy loss on the logits, then calls `fit`. Keras prints a
# progress bar per epoch: the training loss and accuracy (measured in training
# mode, on augmented crops, while the weights change) and the same two on the
# validation part (inference mode, centre crops, end of the epoch). The seed
# makes a rerun close to this one, though not bit for bit identical.

# %% role="given" grade_id="ch11_training_train" tags=["not-run-when-grading"]
keras.utils.set_random_seed(0)
result = training.train(
    model, train_data, validation_data, SETTINGS["epochs"], SETTINGS["learning_rate"], verbose=1
)

# %% role="given" grade_id="ch11_training_test_accuracy" tags=["not-run-when-grading"]
test_loss, test_accuracy = model.evaluate(test_data, verbose=0)
print(
    f"held-out test accuracy: {test_accuracy:.2%} "
    f"({round(test_accuracy * len(splits.test))} of {len(splits.test)} test images)"
)
print(
    f"training time: {result.seconds:.1f} s for {result.epochs} epochs "
    f"({result.seconds / result.epochs:.2f} s per epoch) on the {DEVICE}, "
    f"{os.cpu_count()} processor cores visible"
)
if SETUP_NAME == "cpu-digits":
    verdict = "reached" if test_accuracy >= 0.98 else "missed"
    print(f"the course's target of 98% on the digits' test part: {verdict}")

# %% [markdown]
# Times depend on the machine and on what else it is doing; the accuracy varies
# a little from run to run with the random initialisation, shuffling and crops.
#
# ## Learning curves
#
# Loss (log scale) and accuracy after each epoch. The training curves come from
# augmented crops while the network is still changing; the validation curves
# from centre crops at the end of each epoch. A validation loss that starts
# rising while the training loss keeps falling would be overfitting; early
# validation values jump around while the batch norms' moving averages settle.

# %% role="given" grade_id="ch11_training_curves" tags=["not-run-when-grading"]
training_figures.plot_learning_curves(
    {model.name: result}, title=f"{model.name} on {SETTINGS['data']}"
)
plt.show()
for name in ("loss", "accuracy", "val_loss", "val_accuracy"):
    print(f"final {name:>12}: {result.final(name):.4f}")

# %% [markdown]
# ## What it gets wrong
#
# The confusion matrix counts, for every true class (row), which class the
# network predicted (column) on the test images; everything off the diagonal is
# a mistake. Below it, test images with the predicted class and the probability
# the network gave it, mistakes first, in red.

# %% role="given" grade_id="ch11_training_confusion" tags=["not-run-when-grading"]
test_labels, test_predictions, test_probabilities = training.predict_classes(model, test_data)
fig, matrix = training_figures.plot_confusion_matrix(test_labels, test_predictions, CLASS_NAMES)
plt.show()
off_diagonal = matrix - np.diag(np.diag(matrix))
true_class, predicted_class = np.unravel_index(off_diagonal.argmax(), matrix.shape)
print(
    f"{off_diagonal.sum()} mistakes among {matrix.sum()} test images; the most "
    f"frequent: true {CLASS_NAMES[true_class]} predicted as "
    f"{CLASS_NAMES[predicted_class]} ({off_diagonal.max()} "
    f"{'time' if off_diagonal.max() == 1 else 'times'})"
)
training_figures.plot_example_predictions(
    splits.test.images, test_labels, test_predictions, test_probabilities, CLASS_NAMES
)
plt.show()

# %% [markdown]
# ## Saving and reloading
#
# `model.save("name.keras")` writes the architecture, the weights (batch norm's
# moving averages included) and the optimizer's state into one file;
# `keras.models.load_model` rebuilds the model from it, with no need for the
# Python code that first built it. The reloaded model must predict exactly
# what the original does.

# %% role="given" grade_id="ch11_training_save" tags=["not-run-when-grading"]
import tempfile
from pathlib import Path

with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / f"{model.name}.keras"
    model.save(path)
    size_mb = path.stat().st_size / 1e6
    reloaded = keras.models.load_model(path)
original_logits = model.predict(test_data, verbose=0)
reloaded_logits = reloaded.predict(test_data, verbose=0)
print(f"saved {path.name}: {size_mb:.1f} MB")
print(
    f"reloaded predictions equal the originals: "
    f"{np.array_equal(original_logits, reloaded_logits)} "
    f"(largest difference {np.abs(original_logits - reloaded_logits).max()})"
)

# %% [markdown]
# ## Plain vs residual at equal depth
#
# He et al. (2016a, Figure 4) trained plain networks of 18 and 34 layers and
# their residual twins on ImageNet. The 34-layer plain net ended with a *higher
# training error* than the 18-layer one: not overfitting, since the training
# error itself was worse, but an optimisation difficulty. With shortcuts, the
# 34-layer net beat the 18-layer one.
#
# Below, the same comparison at small scale: a 34-layer network, once with its
# shortcuts (`training.CourseResNet`) and once without (`training.PlainNet`:
# every block is pre-activation, conv, pre-activation, conv, and no addition;
# the 1x1 projections, which only the shortcuts used, are gone too). Both are
# narrow (width `comparison_filters`), get the same data, schedule and number of
# epochs, and both have batch norm everywhere (Ioffe and Szegedy 2015), so the
# only difference is the shortcuts. Watch the **training** loss.

# %% role="given" grade_id="ch11_training_twin_function"
comparison = {}


def train_twin(label, model_class):
    """Build, train and test one network of the pair; keep its curves."""
    keras.utils.set_random_seed(0)
    twin_resnet, twin = training.build_model(
        SETTINGS,
        model_class,
        num_layers=SETTINGS["comparison_layers"],
        filters_initial=SETTINGS["comparison_filters"],
    )
    twin_train, twin_validation, twin_test = datasets_for(twin_resnet)
    twin_result = training.train(
        twin,
        twin_train,
        twin_validation,
        SETTINGS["comparison_epochs"],
        SETTINGS["learning_rate"],
        verbose=2,
    )
    _, twin_accuracy = twin.evaluate(twin_test, verbose=0)
    name = f"{label}-{SETTINGS['comparison_layers']}"
    comparison[name] = twin_result
    print(
        f"{name}: {twin.count_params():,} parameters, final training loss "
        f"{twin_result.final('loss'):.4f}, test accuracy {twin_accuracy:.2%}, "
        f"{twin_result.seconds:.1f} s"
    )


# %% role="given" grade_id="ch11_training_train_residual_twin" tags=["not-run-when-grading"]
train_twin("residual", training.CourseResNet)

# %% role="given" grade_id="ch11_training_train_plain_twin" tags=["not-run-when-grading"]
train_twin("plain", training.PlainNet)

# %% role="given" grade_id="ch11_training_plain_vs_residual" tags=["not-run-when-grading"]
training_figures.plot_learning_curves(comparison, title="Same depth, with and without shortcuts")
plt.show()
residual = comparison[f"residual-{SETTINGS['comparison_layers']}"]
plain = comparison[f"plain-{SETTINGS['comparison_layers']}"]
ratio = plain.final("loss") / residual.final("loss")
print(
    f"after {plain.epochs} epochs the plain net's training loss is {ratio:.1f} "
    f"times the residual net's"
)

# %% [markdown]
# Read the training curves first: they show how well each network can *fit* the
# data it sees, which is what shortcuts change. The validation curves of a net
# that has not fitted its training data cannot be good either. The parameter
# counts differ only by the projections, so the gap is not a matter of capacity.
#
# ## The recipe: how the weights start, and what moves them
#
# Two choices came with every training run of the course without a word: how
# each weight is set before the first step, and which optimizer changes it.
# Both matter more the deeper the network.
#
# ### Initialization, measured
#
# A 3x3 conv sums `fan_in = 3 x 3 x channels_in` products, so on average over
# random weights it multiplies the mean square of its input by
# `fan_in x Var[w]`; a ReLU after it zeroes the negative half of a symmetric
# output and halves that mean square again. He et al. (2015, eq. 10) therefore
# draw the weights with `Var[w] = 2 / fan_in`: the two factors cancel and the
# signal keeps its size through any number of layers. The earlier rule of
# Glorot and Bengio (2010), `Var[w] = 2 / (fan_in + fan_out)`, gives
# `1 / fan_in` when both fans are equal, and then every conv-and-ReLU layer
# halves the mean square. Every conv of the course uses He's rule (Keras's
# `"he_normal"`, in `custom_conv2d`).
#
# The next cell builds 30 layers of 3x3 conv and ReLU, with no batch norm and
# no shortcut, feeds them random noise, and measures the size of each layer's
# output: with He's and Glorot's rules at 128 channels, and with He's rule at 16
# channels, the width of chapter 1's stacks.

# %% role="given" grade_id="ch11_training_init_scales"
from resnet_lesson.experiments import recipe
from resnet_lesson.figures import recipe as recipe_figures

scales = recipe.activation_scales()
recipe_figures.plot_activation_scales(scales)
plt.show()
for (initializer, width), rms in scales.items():
    print(
        f"{initializer:>14}, {width:3d} channels: layer 1 {rms[0]:.3f}, layer 30 {rms[-1]:.1e} "
        f"({rms[-1] / rms[0]:.1e} times layer 1)"
    )

# %% [markdown]
# Glorot's rule loses a factor of about 1.4 (the square root of 2) per layer, as
# the arithmetic above says: after 30 layers the signal is more than ten thousand
# times smaller, and so are the gradients that flow back through the same
# weights. He's rule keeps it near 1 at 128 channels. At 16 channels it drifts
# down too: the rule holds on average over random weights, and a layer of 16
# filters is a small sample of them. In the course's networks batch norm
# (chapter 4) rescales every conv's output while training, which corrects a
# wrong scale at the first batch norm; in this stack nothing does.
#
# ### Branches that start at zero
#
# Chapter 6 measured that a block whose last conv is zero returns its input
# exactly, and chapter 1 that a network of such blocks computes what its stem
# and head alone compute. Goyal et al. (2017) start every block that way on
# purpose: in their post-activation ResNet the last batch norm of each branch
# starts with its scale at zero, so the network starts as shallow as its
# shortcuts allow and each branch grows from zero. Fixup (Zhang, Dauphin and Ma
# 2019) zeroes the last layer of every branch, with no batch norm at all. A
# pre-activation branch ends with a conv, so `recipe.zero_init_branches` zeroes
# that conv's kernel. The kernel's own gradient is not zero (its input is not),
# so the branch starts learning at the first step.

# %% role="given" grade_id="ch11_training_zero_init"
from resnet_lesson.experiments.stacks import build_stack
from resnet_lesson.experiments.steps import split_digits

digits_x, digits_y, held_out_x, held_out_y = split_digits(num_test=360)
keras.utils.set_random_seed(0)
stack = build_stack(20, residual=True)
before = recipe.block_identity_gaps(stack, digits_x[:64])
recipe.zero_init_branches(stack)
after = recipe.block_identity_gaps(stack, digits_x[:64])
print(
    f"largest |block output - block input| over the 9 blocks: {max(before):.3f} as built, "
    f"{max(after):.1e} with zero-initialized branches"
)

# %% [markdown]
# ### SGD or Adam
#
# He et al. (2016a, sections 3.4 and 4.2) trained with plain SGD: momentum 0.9,
# weight decay 1e-4, a learning rate of 0.1 divided by 10 twice (on CIFAR-10 at
# 32,000 and 48,000 of 64,000 steps). This course trains with Adam (Kingma and Ba
# 2015) at 1e-2 with a cosine decay and no weight decay, for a few hundred
# steps. Adam divides each weight's step by a running estimate of the size of
# its gradient, so one learning rate suits every layer whatever the scale of its
# gradients; the course chose it because its runs are short, on CPUs, and must
# work at the first try in every setup, without a learning-rate search.
#
# The next cell trains chapter 1's residual stack with the same batches under
# three recipes: the paper's SGD (with its schedule squeezed into these steps),
# the course's Adam, and the course's Adam with zero-initialized branches. It
# uses the 8-layer stack so that it runs in about fifteen seconds; the study
# after it repeats the three recipes on the 20-layer stack, over five seeds.

# %% role="given" grade_id="ch11_training_recipes" tags=["not-run-when-grading"]
recipe_runs = recipe.run_recipes(depth=8, epochs=4, seeds=(0,))
recipe_figures.plot_recipe_losses(recipe_runs)
plt.show()
for run in recipe_runs:
    print(
        f"{run.recipe:>32}: training loss {run.train_loss:.3f}, held-out error "
        f"{run.test_error:.1%} ({len(run.step_losses)} steps, {run.seconds:.0f} s)"
    )

# %% [markdown]
# One seed decides little: a difference smaller than what another seed changes
# means nothing. The same runs over five seeds were saved by a longer run:

# %% role="given" grade_id="ch11_training_recipe_study"
print(recipe.load_recipe_study())

# %% [markdown]
# In that study the paper's SGD fits the training digits about as well as Adam
# (similar training losses) but leaves a held-out error several times higher,
# and spread wider over the seeds. Its schedule was made for 64,000 steps;
# squeezed into 88, it holds the rate of 0.1 for 44 steps and then falls twice,
# so a short run is a harder test for it than for Adam. That is the course's
# reason for Adam, and it is a reason about budgets, not about ResNets: He et
# al.'s networks train very well with their recipe at its length.
#
# Zero-initialized branches changed nothing measurable here: with batch norm in
# every branch and 20 layers, the network has no trouble starting. Goyal et al.
# used the zero start in their training with very large batches, and Fixup uses
# it to train deep networks with no batch norm at all: settings this chapter does
# not reach.

# %% [markdown]
# ## Results of the GPU setup
#
# When this copy of the course comes with results of the GPU setup (CIFAR-10,
# full-width ResNet-18, mixed precision), the next cell shows them. Those numbers
# were **produced elsewhere**, on the machine named with them, not by this
# notebook. To train that setup yourself, set `TRAINING_SETUP = "gpu-cifar10"`
# above on a machine with a GPU (on Colab: Runtime > Change runtime type).

# %% role="given" grade_id="ch11_training_gpu_results"
gpu_results = training.load_gpu_results()
if gpu_results is None:
    print(
        "No results of the GPU setup come with this copy of the course; the numbers "
        "above are the ones this notebook measured."
    )
else:
    print(
        f"Produced elsewhere by {gpu_results['produced_by']} on "
        f"{gpu_results['device']} ({gpu_results['produced_at']}), not by this notebook:"
    )
    print(
        f"  {gpu_results['setup']}: test accuracy {gpu_results['test_accuracy']:.2%} "
        f"after {gpu_results['train_seconds']:.0f} s of training "
        f"({gpu_results['epochs']} epochs, {gpu_results['parameters']:,} parameters)"
    )
    for label, entry in gpu_results.get("comparison", {}).items():
        print(
            f"  {label}-{entry['layers']}: test accuracy {entry['test_accuracy']:.2%}, "
            f"final training loss {entry['history']['loss'][-1]:.4f}"
        )
    training_figures.plot_learning_curves(
        {gpu_results["setup"]: gpu_results["history"]}, title="GPU setup (produced elsewhere)"
    )
    plt.show()

# %% [markdown]
# ## Check your understanding

# %% [markdown] role="question" grade_id="make_dataset_q1" correct="c"
# Why does `make_dataset` shuffle the training set but not the evaluation set?
#
# - shuffling evaluation data would change the accuracy it measures
# - shuffling is only allowed before `map`
# - training needs batches that are random samples, reshuffled every epoch; evaluation
#   only measures, and a fixed order gives the same batches every time
# - evaluation data is already shuffled by `from_tensor_slices`
#
# > The order does not change an accuracy computed over every example; it matters for
# > training, where each step should see a random sample, and a fixed evaluation order
# > makes runs repeatable.

# %% [markdown] role="question" grade_id="make_dataset_q2" correct="b"
# Why is `preprocess` mapped before `batch` and not after?
#
# - mapping after batching is slower but otherwise the same
# - `batch` can only stack images of the same shape, and preprocessing works on one image:
#   photographs of different sizes can only be stacked once each is resized and cropped
# - `batch` would shuffle the images
# - `map` does not accept batches
#
# > Preprocessing takes one image (its own size, its own random crop) and returns the
# > fixed input size; only images of one shape can be stacked into a batch.

# %% [markdown] role="question" grade_id="make_dataset_q3" correct="b"
# `make_dataset` batches 1,000 training images with `batch_size = 64`. How many batches
# does one epoch have, and what happens to the last one?
#
# - 15 batches: the last 40 images are dropped
# - 16 batches: the last one holds 40 images
# - 16 batches of 64: the last one is filled up with repeated images
# - 15 batches, and the 40 left over open the next epoch
#
# > `batch` keeps the remainder unless `drop_remainder=True`: 15 full batches hold 960
# > images and a 16th holds the last 40, so every image is seen once per epoch. The model
# > takes any batch size: none of its weights depends on it.

# %% [markdown]
# ## Recap
#
# - A `tf.data` pipeline pairs images with labels, shuffles only for training
#   (a buffer the size of the data, reshuffled every epoch), preprocesses one
#   image at a time, batches (keeping the last batch) and prefetches.
# - Augmentation must keep the label true: random crops for digits, no flips.
# - A narrow ResNet-18 trained on the digits on the CPU; the test accuracy and
#   the time were measured above, on images held out from every decision.
# - A `.keras` file stores the whole model; the reloaded model predicted exactly
#   the same logits.
# - At equal depth, the network without shortcuts fitted its training data
#   worse, the effect that motivated residual learning (He et al. 2016a).
