# %% [markdown] role="title"
# # Chapter 10: Image preprocessing for ResNet

# %% [markdown]
# A ResNet built with `keras.Input((224, 224, 3))` accepts only 224x224 images,
# but photographs come in every size and shape. This chapter writes the step
# between the two, the model's `preprocess` method: resize the photograph so
# its **shorter side** is `min_aspect_dim` pixels, keeping its proportions, then
# cut a `resize_dim` x `resize_dim` square out of it: a random square, mirrored
# half of the time, while training; the centre square for evaluation. It is the
# resize-and-crop part of the recipe of He et al. (2016a), *Deep Residual
# Learning for Image Recognition*, section 3.4 (what the rest of that recipe
# does, and why the course leaves it out, comes below), and we try it on real
# photographs that ship with scikit-learn and matplotlib.

# %% role="setup"

# %% [markdown]
# ## Why resize, and why keep the aspect ratio
#
# The network's input size is fixed when the model is built, so every image must
# be brought to it. Squeezing a 427x640 photograph straight to 224x224 would
# stretch it: a round wheel becomes an oval, a face narrower. The network would
# then learn shapes that do not exist in the world, and a photograph taken in
# portrait format would look different from the same scene in landscape.
#
# Resizing so that the **shorter** side becomes `min_aspect_dim` keeps the
# proportions: both sides are multiplied by the same factor,
# `min_aspect_dim / shorter_side`. The longer side ends up *at least*
# `min_aspect_dim`, so a `resize_dim` square (with `resize_dim <= min_aspect_dim`)
# always fits inside. Resizing the *longer* side instead would leave the shorter
# side too small to crop from.
#
# ## Which square: training vs evaluation
#
# - **Training**: a random square, flipped left-right with probability 1/2. Each
#   epoch sees every photograph through a slightly different window, sometimes
#   mirrored: more variety from the same data (data augmentation), so the
#   network cannot memorise exact pixel positions. A left-right mirror of a
#   photograph is still a plausible photograph; an upside-down one is not.
# - **Evaluation**: the centre square and no flip. No randomness, so the same
#   image always gives the same prediction, and the object, usually near the
#   middle, stays in view.
#
# ## What the paper's recipe adds, and what the course leaves out
#
# Section 3.4 of He et al. (2016a) does more than resize and crop:
#
# - **scale augmentation**: the shorter side is drawn at random between 256 and
#   480 pixels for each training image; we keep one fixed size;
# - **per-pixel mean subtraction**: the mean training image (a mean for every
#   pixel position and colour, over all of ImageNet) is subtracted from every
#   image. That is a statistic of the whole training set, computed beforehand,
#   not a step on one image, so it does not belong in `preprocess`, which sees
#   one image at a time. The course scales the pixels instead (below);
# - **colour augmentation**: the "standard colour augmentation" of Krizhevsky et
#   al. (2012), which shifts each image's colours along the principal components
#   of the training set's RGB values. It also needs statistics of the whole
#   training set, and it matters for large sets of colour photographs; the
#   course trains on grey digits (chapter 11), where it has nothing to act on;
# - **test-time averaging**: their comparison studies use the standard
#   ten-crop testing, averaging the predictions over ten crops of each image.
#   For their best results they drop the crops: the network runs fully
#   convolutionally on the whole image, resized to several scales (shorter
#   side from 224 to 640 pixels), and the scores are averaged over the scales.
#   We take one centre crop.
#
# `preprocess` keeps the pixel values in their range (0 to 255 for a photograph)
# and makes them `float32`, the type the network computes in. Scaling them is a
# separate step after it: chapter 11's model divides by 255, once this method has
# returned, so the network sees values from 0 to 1. Finally the image is laid
# out in the model's data format: `(height, width, channels)` for
# `channels_last`, `(channels, height, width)` for `channels_first` (chapter 2).

# %% role="given" grade_id="ch10_preprocessing_photographs"
import inspect

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from resnet_lesson.data import sample_photographs
from resnet_lesson.preprocessing import resized_shape

photos = sample_photographs()
fig, axes = plt.subplots(1, len(photos), figsize=(11, 3.4))
for ax, (name, photo) in zip(axes, photos.items()):
    ax.imshow(photo)
    ax.set_title(f"{name}: {photo.shape[0]}x{photo.shape[1]}, {photo.dtype}")
    ax.axis("off")
fig.suptitle("The photographs, before preprocessing (height x width)")
plt.show()

# %% [markdown]
# ### The size arithmetic, given
#
# `resized_shape(height, width, min_aspect_dim)` (from `resnet_lesson.preprocessing`)
# computes the new size: each side times `min_aspect_dim / shorter`, rounded to
# the nearest pixel. It works on Python integers and on TensorFlow tensors,
# which matters because inside a `tf.data` pipeline (chapter 11) an image's size
# is only known when the pipeline runs. Here it is, and what it gives for our
# photographs with `min_aspect_dim = 256`:

# %% role="given" grade_id="ch10_preprocessing_resized_shape" tags=["nbval-check-output"]
print(inspect.getsource(resized_shape))
for name, photo in photos.items():
    height, width = photo.shape[:2]
    new_height, new_width = resized_shape(height, width, 256)
    print(
        f"{name:>12}: {height}x{width} (aspect {width / height:.3f}) -> "
        f"{new_height}x{new_width} (aspect {new_width / new_height:.3f})"
    )

# %% [markdown]
# ## Exercise: write `preprocess`
#
# Your `ResNetModel` inherits everything else from the reference model.
#
# **Contract.** `preprocess(self, image, is_training)` receives **one** image of
# shape `(height, width, channels)`, of any size and proportions, `uint8` or
# `float32`. What it returns:
#
# - **shape and type**: a `float32` image of `self.resize_dim` x `self.resize_dim`
#   pixels with the same channels, laid out in `self.data_format`: `(height, width,
#   channels)` for `channels_last`, `(channels, height, width)` for
#   `channels_first`;
# - **pixel range**: the input's own (0 to 255 for a `uint8` photograph): no
#   scaling, no mean subtracted;
# - **what it shows**: a square window of the image *as if* scaled by one factor
#   on both axes until its shorter side is `self.min_aspect_dim` pixels (the size
#   `resized_shape` gives, smoothed with antialiasing as measured below), so
#   nothing in it is stretched;
# - **evaluation** (`is_training` False): the centre window of that scaled image,
#   the same output on every call (when the leftover is odd, the extra row or
#   column is left out at the bottom or the right);
# - **training** (`is_training` True): a window anywhere in the scaled image, a
#   new place on every call, mirrored left-right on about half of the calls.
#
# It must run on TensorFlow tensors whose size is only known when a `tf.data`
# pipeline runs (chapter 11), so work with TensorFlow operations. The given lines
# cast the image to `float32` and read its size as tensors.
#
# <details><summary>Hint 1: the idea</summary>
#
# Three stages: resize (the size comes from the rule above, computed by the given
# `resized_shape`), crop (which crop depends on a Python `if` on `is_training`),
# and, for `channels_first`, a transpose at the end.
#
# </details>
#
# <details><summary>Hint 2: which functions, which arguments</summary>
#
# - `resized_shape(height, width, min_aspect_dim)` gives the new height and width;
# - `tf.image.resize(image, size, antialias=True)` resizes, with `size` an `int32`
#   tensor of two numbers (`tf.stack` them and `tf.cast` them);
# - `tf.image.random_crop(image, [h, w, channels])` cuts a random window;
# - `tf.image.random_flip_left_right(image)` mirrors half of the time;
# - a centre window is a slice `image[top : top + size, left : left + size, :]`
#   (or `tf.image.crop_to_bounding_box`);
# - `tf.transpose(image, perm)` reorders the axes.
#
# </details>
#
# <details><summary>Hint 3: the first step</summary>
#
# The resize, written out; the crop and the layout are yours:
#
# ```python
# new_height, new_width = resized_shape(height, width, self.min_aspect_dim)
# size = tf.cast(tf.stack([new_height, new_width]), tf.int32)
# resized = tf.image.resize(image, size, antialias=True)
# ```
#
# For the centre crop, work out its top-left corner on paper first: a 256x341
# image and a 224 square leave 32 rows and 117 columns over; where must the square
# start so that the odd column goes to the right?
#
# </details>

# %% role="answer" grade_id="preprocess"
import resnet_lesson


class ResNetModel(resnet_lesson.course_model_without("preprocess")):
    def preprocess(self, image, is_training):
        image = tf.cast(image, tf.float32)
        height, width, channels = tf.unstack(tf.shape(image))
        # Resize (shorter side min_aspect_dim), crop resize_dim square, data format.
        ### BEGIN SOLUTION
        new_height, new_width = resized_shape(height, width, self.min_aspect_dim)
        size = tf.cast(tf.stack([new_height, new_width]), tf.int32)
        resized = tf.image.resize(image, size, antialias=True)
        if is_training:
            cropped = tf.image.random_crop(resized, [self.resize_dim, self.resize_dim, channels])
            cropped = tf.image.random_flip_left_right(cropped)
        else:
            top = (new_height - self.resize_dim) // 2
            left = (new_width - self.resize_dim) // 2
            cropped = resized[top : top + self.resize_dim, left : left + self.resize_dim, :]
        if self.data_format == "channels_first":
            cropped = tf.transpose(cropped, [2, 0, 1])
        return cropped
        ### END SOLUTION


# %% [markdown]
# ### Check your preprocessing
#
# The check runs your method and the reference on landscape, portrait, square and
# odd-sized images, `uint8` and `float32`, with one and three channels, in both
# data formats. For evaluation the outputs must be equal. For training, where
# the result is random, every output must be a `resize_dim` square window of the
# resized image, mirrored or not, and over many calls the window must move and
# be mirrored only some of the time. A wrong answer is matched against common
# mistakes, and the check names the one it finds.

# %% role="tests" grade_id="preprocess_tests" points=3
from resnet_lesson.checks import preprocess as preprocess_check

preprocess_check.check(ResNetModel)
### BEGIN HIDDEN TESTS
preprocess_check.check(ResNetModel, thorough=True)
### END HIDDEN TESTS

# %% [markdown]
# ## Your preprocessing on the photographs
#
# With `min_aspect_dim = 256` and `resize_dim = 224`, the settings of the ImageNet
# models, each row shows a photograph resized by your method's rule with the
# centre square outlined, then what your `preprocess` returns: the evaluation crop
# and three training crops (each call draws a new window and a new coin for the
# flip).

# %% role="given" grade_id="ch10_preprocessing_crops_figure"
from matplotlib.patches import Rectangle

from resnet_lesson.checks.engine import yours_or_course

# Your code once it passes its check; until then the course's (a line says so).
Model = yours_or_course(ResNetModel, "preprocess")
resnet = Model(256, 224, 18, 1000)
fig, axes = plt.subplots(
    len(photos), 5, figsize=(13, 2.9 * len(photos)), gridspec_kw={"width_ratios": [1.6, 1, 1, 1, 1]}
)
for row, (name, photo) in zip(axes, photos.items()):
    new_height, new_width = resized_shape(*photo.shape[:2], 256)
    resized = tf.image.resize(
        tf.cast(photo, tf.float32), [new_height, new_width], antialias=True
    ).numpy()
    row[0].imshow(resized.astype(np.uint8))
    top, left = (new_height - 224) // 2, (new_width - 224) // 2
    row[0].add_patch(
        Rectangle((left - 0.5, top - 0.5), 224, 224, fill=False, edgecolor="yellow", linewidth=2)
    )
    row[0].set_title(f"{name} resized: {new_height}x{new_width}", fontsize=9)
    crops = [("evaluation", resnet.preprocess(photo, False))]
    crops += [(f"training {i + 1}", resnet.preprocess(photo, True)) for i in range(3)]
    for ax, (label, crop) in zip(row[1:], crops):
        crop = crop.numpy()
        ax.imshow(np.clip(crop, 0, 255).astype(np.uint8))
        ax.set_title(f"{label}: {crop.shape[0]}x{crop.shape[1]} {crop.dtype}", fontsize=9)
    for ax in row:
        ax.axis("off")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Measured: what squashing does to proportions
#
# Below, the portrait photograph made 224x224 two ways: squeezed to 224x224 in one
# step, and by your method (evaluation). The printed numbers are the horizontal
# and vertical scale factors each way applies to the original: equal factors keep
# the proportions.

# %% role="given" grade_id="ch10_preprocessing_squash_figure" tags=["nbval-check-output"]
portrait = photos["grace_hopper"]
height, width = portrait.shape[:2]
squashed = tf.image.resize(tf.cast(portrait, tf.float32), [224, 224], antialias=True).numpy()
kept = resnet.preprocess(portrait, False).numpy()
new_height, new_width = resized_shape(height, width, 256)

fig, axes = plt.subplots(1, 3, figsize=(10, 3.6))
for ax, image, label in zip(
    axes,
    (portrait, squashed, kept),
    (f"original {height}x{width}", "squashed to 224x224", "aspect kept, centre crop"),
):
    ax.imshow(np.clip(image, 0, 255).astype(np.uint8))
    ax.set_title(label)
    ax.axis("off")
plt.show()
print(
    f"squashed: height x{224 / height:.3f}, width x{224 / width:.3f} "
    f"(the face is {(224 / width) / (224 / height):.3f} times as wide as it should be)"
)
print(f"aspect kept: height x{new_height / height:.3f}, width x{new_width / width:.3f}")

# %% [markdown]
# ## Measured: why `antialias=True`
#
# Shrinking a photograph by a large factor with plain bilinear interpolation reads
# only the few input pixels next to each output pixel and skips the rest. Fine
# patterns then turn into coarse false patterns (aliasing). With `antialias=True`
# each output pixel averages all the input pixels it covers. The test pattern
# below has stripes 3 pixels apart, far too fine to survive a 5x reduction: the
# honest result is an even grey.

# %% role="given" grade_id="ch10_preprocessing_antialias_figure"
columns = np.arange(400)
stripes = np.tile(((columns % 3) == 0).astype(np.float32) * 255, (400, 1))[..., None]
small = {
    antialias: tf.image.resize(stripes, [80, 80], antialias=antialias).numpy()
    for antialias in (False, True)
}

fig, axes = plt.subplots(1, 3, figsize=(9, 3.2))
axes[0].imshow(stripes[:80, :80, 0], cmap="gray", vmin=0, vmax=255)
axes[0].set_title("stripes every 3 px (detail)")
for ax, antialias in zip(axes[1:], (False, True)):
    ax.imshow(small[antialias][..., 0], cmap="gray", vmin=0, vmax=255)
    ax.set_title(f"shrunk 5x, antialias={antialias}")
for ax in axes:
    ax.axis("off")
plt.show()
print(f"mean of the pattern: {stripes.mean():.1f}")
for antialias in (False, True):
    print(
        f"antialias={antialias}: mean {small[antialias].mean():.1f}, "
        f"spread of the pixel values (std) {small[antialias].std():.1f}"
    )

# %% [markdown]
# Without antialiasing the result keeps a strong stripe pattern that is not in
# the picture at that scale, and its brightness is off; with it, the pixels
# average to the pattern's mean. Photographs have such fine detail (fabric,
# foliage, text), and the network would learn from the artefacts.
#
# ## `is_training` is a Python choice
#
# `preprocess` uses `is_training` in a Python `if`: it decides which operations
# are built, random crop and flip or centre crop. That is why chapter 11's input
# pipeline builds two datasets, one for training and one for evaluation, each
# with the right value fixed, instead of switching at run time.
#
# ## Check your understanding

# %% [markdown] role="question" grade_id="preprocess_q1" correct="b"
# A photograph of 300x600 pixels is preprocessed with `min_aspect_dim = 256` and
# `resize_dim = 224`. What size is it resized to before the crop?
#
# - 256x256
# - 256x512
# - 128x256
# - 224x448
#
# > The shorter side (300) becomes 256, so both sides are multiplied by 256/300: 300x600
# > becomes 256x512, and the 224 square fits inside.

# %% [markdown] role="question" grade_id="preprocess_q2" correct="a"
# Why does evaluation take the centre crop without a flip?
#
# - so the same image always gives the same input (and prediction), with the usually
#   central object in view; randomness only helps training
# - because the centre crop is larger
# - because flipping is too slow at evaluation time
# - because batch norm is frozen at evaluation
#
# > Augmentation adds variety while learning; when measuring, a deterministic input makes
# > results repeatable and comparable.

# %% [markdown] role="question" grade_id="preprocess_q3" correct="d"
# Why does training flip images left-right but not upside down?
#
# - a vertical flip changes the image's shape
# - a vertical flip would undo the random crop
# - TensorFlow has no vertical flip
# - a mirrored photograph is still a plausible photograph of the same thing, an
#   upside-down one mostly is not
#
# > Augmentation should produce images that could occur with the same label; for
# > handwritten digits (chapter 11) even the left-right flip fails that test.

# %% [markdown]
# ## Recap
#
# - Resize so the **shorter** side is `min_aspect_dim`, multiplying both sides by
#   the same factor: proportions stay, and a `resize_dim` square always fits.
# - Training: a random square, flipped left-right at random. Evaluation: the
#   centre square, no randomness.
# - Shrink with `antialias=True`; the output is `float32` with the pixel range
#   unchanged, in the model's data format; scaling to 0 to 1 is chapter 11's
#   separate step.
# - Left out of the paper's recipe: scale augmentation, per-pixel mean
#   subtraction, colour augmentation, and ten-crop or multi-scale testing.
# - Squashing would have made the portrait's face about 17% too wide (measured
#   above); keeping the aspect ratio scales both sides alike.
#
# Next, chapter 11 feeds this preprocessing through a `tf.data` pipeline and
# trains the network.
