# %% [markdown] role="title"
# # Chapter 3: Padding that depends only on the kernel

# %% [markdown]
# A convolution with a `k x k` kernel cannot centre its window on the pixels at
# the border unless zeros are added around the image first: that is *padding*.
# ResNet's strided convolutions (the 7x7 stem, and the first 3x3 conv of a
# block layer) pad in a particular way: always `k - 1` pixels per spatial axis,
# whatever the size of the input. In this chapter you write that padding,
# `custom_padding`, and measure why Keras's built-in `'same'` padding is not
# quite the same thing.

# %% role="setup"

# %% [markdown]
# ## What `'same'` padding does
#
# With `padding='same'`, Keras (like TensorFlow before it) chooses the padding so
# that the output has `ceil(n / s)` pixels for an input of `n` pixels and stride
# `s`. How many zeros that takes depends on `n`: the padding is computed from the
# input size, and when the total is odd the extra zero goes after.
#
# Rather than trust a formula, let us measure it. The function below runs a real
# Keras convolution on an image whose pixel values are their column numbers, with
# a kernel that copies one known pixel of each window to the output; from that we
# read which columns each window covers. Columns below 0 are padding.

# %% role="given" grade_id="ch03_custom_padding_same_measured" tags=["nbval-check-output"]
import keras

import resnet_lesson
from resnet_lesson.figures.padding import measure_windows, padding_figure, padding_seen

print("kernel stride  size   first window   zeros reached (before, after)")
for kernel_size in (3, 7):
    for strides in (1, 2):
        for size in (7, 8, 224, 225):
            windows = measure_windows(size, kernel_size, strides)
            print(
                f"{kernel_size:>6} {strides:>6} {size:>5}   {str(windows[0]):>12}"
                f"   {padding_seen(windows, size)}"
            )

# %% [markdown]
# Read the stride-1 rows first: the first window always starts `(k - 1) // 2`
# pixels into the padding, so a 3x3 window is centred on pixel 0 and a 7x7 one as
# well. With stride 2 that holds for odd input sizes only. On an even input
# (8, 224) `'same'` pads one zero less, and less of it before the image: the first
# 3x3 window starts at pixel 0 and is centred on pixel 1, the 7x7 stem's first
# window is centred on pixel 1 of a 224-pixel image instead of pixel 0.
#
# So with `'same'` the pixels a strided conv samples shift by one depending on
# whether the image has an even or an odd size, and the same network sees the
# same picture differently at 224 and 225 pixels. The padding used for ResNet
# avoids that by depending **only on the kernel size**: `k - 1` zeros in total on
# each spatial axis, `(k - 1) // 2` before and the rest after. The reference
# model uses it for every strided conv (`custom_conv2d`: pad, then a `'valid'`
# conv); with stride 1 `'same'` already pads exactly that, so it is used there.

# %% role="given" grade_id="ch03_custom_padding_custom_conv2d_source" tags=["nbval-check-output"]
import inspect

print(inspect.getsource(resnet_lesson.ResNetModel.custom_conv2d))


# %% [markdown]
# ## Exercise: write `custom_padding`
#
# **Contract.** `custom_padding(inputs, kernel_size)` receives a 4-D tensor in
# the model's data format (`self.data_format`) and returns it with zeros added
# on the two spatial axes only, never on the batch or channel axis. On each
# spatial axis it adds one zero fewer than `kernel_size` in total, whatever the
# size of the input: half of that total (rounded down) before, the rest after,
# so an even kernel gets its extra zero after. For `kernel_size=3` that is
# `(1, 1)`, for 7 `(3, 3)`, for 4 `(1, 2)`. Write the whole body; it must work
# in both data formats.
#
# <details><summary>Hint 1: the idea</summary>
#
# Work out the two numbers, zeros before and zeros after, from the kernel size
# alone. Then say, for each of the four axes of the tensor, how many zeros go
# before and after it: nothing on the batch and channel axes, your two numbers on
# the spatial ones. Where the spatial axes are depends on the data format.
#
# </details>
#
# <details><summary>Hint 2: which function, which arguments</summary>
#
# `keras.ops.pad(x, pad_width)` pads a tensor with zeros; `pad_width` has one
# `[before, after]` pair per axis, four pairs for a 4-D tensor. (`tf.pad` does not
# work on the symbolic tensors a Keras 3 model is built from.) The spatial axes
# are 1 and 2 in `channels_last` `(batch, height, width, channels)`, and 2 and 3
# in `channels_first` `(batch, channels, height, width)`.
#
# </details>
#
# <details><summary>Hint 3: a worked example with fixed numbers</summary>
#
# A worked example with numbers in place of your computation: for `kernel_size=5`
# on a `channels_last` tensor, `keras.ops.pad(inputs, [[0, 0], [2, 2], [2, 2], [0, 0]])`
# pads as the contract asks; for `kernel_size=4` each spatial pair would be
# `[1, 2]`. Your method computes the pair from `kernel_size`, and puts it where
# `self.data_format` has its spatial axes.
#
# </details>


# %% role="answer" grade_id="custom_padding"
class ResNetModel(resnet_lesson.course_model_without("custom_padding")):
    def custom_padding(self, inputs, kernel_size):
        # Zeros on the spatial axes only: kernel_size - 1 in all, the extra one after.
        ### BEGIN SOLUTION
        pad_total = kernel_size - 1
        pad_before = pad_total // 2
        pad_after = pad_total - pad_before
        spatial = [pad_before, pad_after]
        if self.data_format == "channels_first":
            paddings = [[0, 0], [0, 0], spatial, spatial]
        else:
            paddings = [[0, 0], spatial, spatial, [0, 0]]
        return keras.ops.pad(inputs, paddings)
        ### END SOLUTION


# %% [markdown]
# ### Check your padding
#
# The check pads the same inputs with your method and the reference one, for odd
# and even kernels (1, 2, 3, 4, 7), both data formats and odd and even input
# sizes, and compares the results exactly. If they differ it names the mistake,
# or tells you how many zeros you added before and after on each axis.

# %% role="tests" grade_id="custom_padding_tests" points=3
from resnet_lesson.checks import custom_padding as custom_padding_check

custom_padding_check.check(ResNetModel)
### BEGIN HIDDEN TESTS
custom_padding_check.check(ResNetModel, thorough=True)
### END HIDDEN TESTS

# %% [markdown]
# ## Your padding against `'same'`, measured and drawn
#
# The same measurement, now with your `custom_padding` followed by a `'valid'`
# conv (what `custom_conv2d` does for stride 2), next to `'same'`. Each row of
# the figure is one axis of an image: orange cells are zeros of the padding, each
# bar below is the span of one window, and the dot marks a window's centre pixel.

# %% role="given" grade_id="ch03_custom_padding_compare_measured" tags=["nbval-check-output"]
from resnet_lesson.checks.engine import yours_or_course

# Your code once it passes its check; until then the course's (a line says so).
Model = yours_or_course(ResNetModel, "custom_padding")
resnet = Model(8, 8, 18, 10)
rows = []
print("kernel  size   'same' first window   custom first window   as many outputs")
for kernel_size, size in [(3, 8), (3, 7), (7, 224), (7, 225), (2, 8), (4, 8)]:
    same = measure_windows(size, kernel_size, 2)
    custom = measure_windows(size, kernel_size, 2, resnet.custom_padding)
    print(
        f"{kernel_size:>6} {size:>5}   {str(same[0]):>19}   {str(custom[0]):>19}"
        f"   {len(same) == len(custom)}"
    )
    if (kernel_size, size) in [(3, 8), (3, 7), (2, 8)]:  # the ones drawn
        before, after = padding_seen(same, size)
        rows.append(
            (f"'same', kernel {kernel_size}, stride 2, {size} pixels", size, same, before, after)
        )
        pad_before = (kernel_size - 1) // 2
        rows.append(
            (
                f"custom padding, kernel {kernel_size}, stride 2, {size} pixels",
                size,
                custom,
                pad_before,
                kernel_size - 1 - pad_before,
            )
        )
fig = padding_figure(rows)

# %% [markdown]
# Both paddings give the same number of outputs. For the odd kernels on even
# sizes they sample different pixels: your padding centres the windows on pixels
# 0, 2, 4, ... for every input size, `'same'` on 1, 3, 5, ... when the size is
# even. For the even kernels the windows coincide; the extra zero that custom
# padding adds after the image is simply never reached there.
#
# ## Check your understanding

# %% [markdown] role="question" grade_id="custom_padding_q1" correct="d"
# `custom_conv2d` runs a 7x7 conv with stride 2, like the stem's, on a 299x299 image
# (the input size of the Inception networks). How many pixels wide is its output?
#
# - 149
# - 147
# - 153
# - 150
#
# > The custom padding adds 6 zeros, 3 on each side, so the 'valid' conv slides over
# > 305 pixels: (305 - 7) // 2 + 1 = 150 windows, the same count as 'same' gives,
# > ceil(299 / 2). 149 rounds 299 / 2 down; 147 is a 'valid' conv on the unpadded
# > image; 153 adds 6 zeros on each side instead of 6 in all.

# %% [markdown] role="question" grade_id="custom_padding_q2" correct="b"
# A 3x3 conv with stride 4 and `padding='same'` runs on an image 224, 225, 226 or 227
# pixels wide. For which of these widths do its windows cover the same pixels as with
# `custom_padding` followed by a 'valid' conv?
#
# - 224 only
# - 225 only
# - 225 and 227
# - 224, 225, 226 and 227
#
# > 'same' pads (ceil(n / 4) - 1) x 4 + 3 - n zeros in total, none when that is
# > negative, the odd one after: none at 224 and 227, one (after) at 226, and two, one
# > on each side, at 225. Only at 225 does that match the custom padding's (1, 1), so
# > only there does the first window start at pixel -1 (measure it with
# > `measure_windows`). The rule of this chapter's stride-2 table, odd widths match,
# > becomes "widths that leave 1 when divided by the stride" at stride 4, which 227
# > does not (it leaves 3); all four widths would match only if 'same' depended on the
# > kernel alone.

# %% [markdown] role="question" grade_id="custom_padding_q3" correct="c"
# What shape does `custom_padding(x, 5)` return for a `channels_first` tensor `x` of
# shape (8, 3, 224, 160)?
#
# - (8, 7, 228, 160)
# - (8, 3, 229, 165)
# - (8, 3, 228, 164)
# - (8, 3, 226, 162)
#
# > A 5x5 kernel gets 4 zeros on each spatial axis, 2 before and 2 after, and in
# > `channels_first` the spatial axes are 2 and 3: (8, 3, 228, 164). (8, 7, 228, 160)
# > pads axes 1 and 2, the spatial axes of `channels_last`; (8, 3, 229, 165) adds as
# > many zeros as the kernel is wide instead of one fewer; (8, 3, 226, 162) adds only
# > the 2 zeros before.

# %% [markdown]
# ## Recap
#
# - `'same'` padding depends on the input size; for a strided conv on an even
#   input it pads one zero less and shifts the windows by one pixel (measured).
# - `custom_padding` adds `k - 1` zeros per spatial axis, `(k - 1) // 2` before
#   and the rest after, whatever the input size, in either data format.
# - `custom_conv2d` pads that way and uses `'valid'` when it strides, and plain
#   `'same'` (which pads the same amount) when it does not.
#
# Next, chapter 4 writes the pre-activation that opens every block.
