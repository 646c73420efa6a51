"""Held-out answers for chapter 10's exercise: ``preprocess``."""

EXERCISE = "preprocess"

_GIVEN = """
class ResNetModel(resnet_lesson.ResNetModel):
    def preprocess(self, image, is_training):
        image = tf.cast(image, tf.float32)
        height, width, channels = tf.unstack(tf.shape(image))
"""

_TRAIN = """
        if is_training:
            cropped = tf.image.random_crop(resized, [self.resize_dim, self.resize_dim, channels])
            cropped = tf.image.random_flip_left_right(cropped)
"""

_TRANSPOSE = """
        if self.data_format == "channels_first":
            cropped = tf.transpose(cropped, [2, 0, 1])
        return cropped
"""

_RESIZE = """
        new_height, new_width = resized_shape(height, width, self.min_aspect_dim)
        size = tf.cast(tf.stack([new_height, new_width]), tf.int32)
        resized = tf.image.resize(image, size, antialias=True)
"""

_CENTER = """
        else:
            top = (new_height - self.resize_dim) // 2
            left = (new_width - self.resize_dim) // 2
            cropped = resized[top : top + self.resize_dim, left : left + self.resize_dim, :]
"""


def _answer(verdict, mistake, *parts):
    return dict(verdict=verdict, mistake=mistake, source=_GIVEN + "".join(parts))


ANSWERS = [
    _answer(
        "wrong",
        "the centre crop's offsets come from the original size, not the resized one",
        _RESIZE,
        _TRAIN,
        """
        else:
            top = (height - self.resize_dim) // 2
            left = (width - self.resize_dim) // 2
            cropped = resized[top : top + self.resize_dim, left : left + self.resize_dim, :]
""",
        _TRANSPOSE,
    ),
    _answer(
        "wrong",
        "the centre crop rounds up, so an odd leftover loses its extra row at the top",
        _RESIZE,
        _TRAIN,
        """
        else:
            top = (new_height - self.resize_dim + 1) // 2
            left = (new_width - self.resize_dim + 1) // 2
            cropped = resized[top : top + self.resize_dim, left : left + self.resize_dim, :]
""",
        _TRANSPOSE,
    ),
    _answer(
        "wrong",
        "height and width are swapped in the resize size",
        """
        new_height, new_width = resized_shape(height, width, self.min_aspect_dim)
        size = tf.cast(tf.stack([new_width, new_height]), tf.int32)
        resized = tf.image.resize(image, size, antialias=True)
        new_height, new_width = new_width, new_height
""",
        _TRAIN,
        _CENTER,
        _TRANSPOSE,
    ),
    _answer(
        "wrong",
        "the shorter side is resized to resize_dim instead of min_aspect_dim",
        """
        new_height, new_width = resized_shape(height, width, self.resize_dim)
        size = tf.cast(tf.stack([new_height, new_width]), tf.int32)
        resized = tf.image.resize(image, size, antialias=True)
""",
        _TRAIN,
        _CENTER,
        _TRANSPOSE,
    ),
    _answer(
        "wrong",
        "training crops a min_aspect_dim square instead of a resize_dim one",
        _RESIZE,
        """
        if is_training:
            side = self.min_aspect_dim
            cropped = tf.image.random_crop(resized, [side, side, channels])
            cropped = tf.image.random_flip_left_right(cropped)
""",
        _CENTER,
        _TRANSPOSE,
    ),
    _answer(
        "wrong",
        "channels_first uses the permutation [1, 2, 0]",
        _RESIZE,
        _TRAIN,
        _CENTER,
        """
        if self.data_format == "channels_first":
            cropped = tf.transpose(cropped, [1, 2, 0])
        return cropped
""",
    ),
    _answer(
        "correct",
        "flip the whole resized image at random, then crop at random",
        _RESIZE,
        """
        if is_training:
            flipped = tf.image.random_flip_left_right(resized)
            cropped = tf.image.random_crop(flipped, [self.resize_dim, self.resize_dim, channels])
""",
        _CENTER,
        _TRANSPOSE,
    ),
    _answer(
        "correct",
        "tf.slice for the centre window, its offsets from the resized tensor's shape",
        _RESIZE,
        _TRAIN,
        """
        else:
            shape = tf.shape(resized)
            top = (shape[0] - self.resize_dim) // 2
            left = (shape[1] - self.resize_dim) // 2
            cropped = tf.slice(resized, [top, left, 0], [self.resize_dim, self.resize_dim, -1])
""",
        _TRANSPOSE,
    ),
]


# Round 2: written later, blind to the checks and their tests (see README.md).
def _answer2(verdict, mistake, *parts):
    return dict(_answer(verdict, mistake, *parts), round=2)


ANSWERS += [
    _answer2(
        "wrong",
        "evaluation takes a random crop too (only the flip is kept for training)",
        _RESIZE,
        """
        cropped = tf.image.random_crop(resized, [self.resize_dim, self.resize_dim, channels])
        if is_training:
            cropped = tf.image.random_flip_left_right(cropped)
""",
        _TRANSPOSE,
    ),
    _answer2(
        "wrong",
        "the resize has no antialiasing",
        """
        new_height, new_width = resized_shape(height, width, self.min_aspect_dim)
        size = tf.cast(tf.stack([new_height, new_width]), tf.int32)
        resized = tf.image.resize(image, size)
""",
        _TRAIN,
        _CENTER,
        _TRANSPOSE,
    ),
    _answer2(
        "wrong",
        "the image is squashed to a min_aspect_dim square: the aspect ratio is lost",
        """
        new_height = new_width = self.min_aspect_dim
        resized = tf.image.resize(image, [new_height, new_width], antialias=True)
""",
        _TRAIN,
        _CENTER,
        _TRANSPOSE,
    ),
    _answer2(
        "wrong",
        "training flips upside down instead of left-right",
        _RESIZE,
        """
        if is_training:
            cropped = tf.image.random_crop(resized, [self.resize_dim, self.resize_dim, channels])
            cropped = tf.image.random_flip_up_down(cropped)
""",
        _CENTER,
        _TRANSPOSE,
    ),
    _answer2(
        "wrong",
        "the pixels are scaled to [0, 1]: the contract keeps their original range",
        _RESIZE,
        _TRAIN,
        _CENTER,
        """
        if self.data_format == "channels_first":
            cropped = tf.transpose(cropped, [2, 0, 1])
        return cropped / 255.0
""",
    ),
    _answer2(
        "wrong",
        "channels_first reshapes instead of transposing, which scrambles the pixels",
        _RESIZE,
        _TRAIN,
        _CENTER,
        """
        if self.data_format == "channels_first":
            cropped = tf.reshape(cropped, [channels, self.resize_dim, self.resize_dim])
        return cropped
""",
    ),
    _answer2(
        "correct",
        "tf.image.resize_with_crop_or_pad for the centre, the flip by tf.cond on a random draw",
        _RESIZE,
        """
        if is_training:
            cropped = tf.image.random_crop(resized, [self.resize_dim, self.resize_dim, channels])
            cropped = tf.cond(
                tf.random.uniform([]) < 0.5,
                lambda: tf.image.flip_left_right(cropped),
                lambda: cropped,
            )
        else:
            cropped = tf.image.resize_with_crop_or_pad(resized, self.resize_dim, self.resize_dim)
""",
        _TRANSPOSE,
    ),
    _answer2(
        "correct",
        "tf.image.crop_to_bounding_box with offsets from the resized shape, perm as a keyword",
        _RESIZE,
        _TRAIN,
        """
        else:
            resized_height, resized_width = tf.shape(resized)[0], tf.shape(resized)[1]
            offset_height = (resized_height - self.resize_dim) // 2
            offset_width = (resized_width - self.resize_dim) // 2
            cropped = tf.image.crop_to_bounding_box(
                resized, offset_height, offset_width, self.resize_dim, self.resize_dim
            )
        if self.data_format == "channels_first":
            cropped = tf.transpose(cropped, perm=(2, 0, 1))
        return cropped
""",
    ),
]


# Round 3: written blind to the checks, their tests, their sentences and the earlier
# rounds' answers (issue 23; see README.md), from the chapter's contract and model.py.
def _answer3(verdict, mistake, *parts):
    return dict(_answer(verdict, mistake, *parts), round=3)


ANSWERS += [
    _answer3(
        "wrong",
        "the centre crop's offsets are rounded up, so with an odd leftover the extra row "
        "and column are left out at the top and the left instead of the bottom and right",
        _RESIZE,
        _TRAIN,
        """
        else:
            top = (new_height - self.resize_dim + 1) // 2
            left = (new_width - self.resize_dim + 1) // 2
            cropped = resized[top : top + self.resize_dim, left : left + self.resize_dim, :]
""",
        _TRANSPOSE,
    ),
    _answer3(
        "wrong",
        "the pixels are divided by 255, but the contract keeps the input's range "
        "(scaling is a later step)",
        _RESIZE,
        """
        resized = resized / 255.0
""",
        _TRAIN,
        _CENTER,
        _TRANSPOSE,
    ),
    _answer3(
        "wrong",
        "training flips up-down (random_flip_up_down) instead of left-right",
        _RESIZE,
        """
        if is_training:
            cropped = tf.image.random_crop(resized, [self.resize_dim, self.resize_dim, channels])
            cropped = tf.image.random_flip_up_down(cropped)
""",
        _CENTER,
        _TRANSPOSE,
    ),
    _answer3(
        "wrong",
        "data_format is ignored: the image is returned as (height, width, channels) in "
        "channels_first too",
        _RESIZE,
        _TRAIN,
        _CENTER,
        """
        return cropped
""",
    ),
    _answer3(
        "wrong",
        "the resize leaves out antialias=True, so a photograph shrunk to the smaller size "
        "is sampled without smoothing (aliasing)",
        """
        new_height, new_width = resized_shape(height, width, self.min_aspect_dim)
        resized = tf.image.resize(image, tf.cast(tf.stack([new_height, new_width]), tf.int32))
""",
        _TRAIN,
        _CENTER,
        _TRANSPOSE,
    ),
    _answer3(
        "correct",
        "crop_to_bounding_box for the centre, a coin toss with tf.cond for the flip, and "
        "the transpose's perm as a keyword",
        """
        new_height, new_width = resized_shape(height, width, self.min_aspect_dim)
        new_size = tf.stack([tf.cast(new_height, tf.int32), tf.cast(new_width, tf.int32)])
        scaled = tf.image.resize(image, new_size, antialias=True)
        side = self.resize_dim
        if not is_training:
            offset_height = (new_size[0] - side) // 2
            offset_width = (new_size[1] - side) // 2
            window = tf.image.crop_to_bounding_box(scaled, offset_height, offset_width, side, side)
        else:
            window = tf.image.random_crop(scaled, tf.stack([side, side, channels]))
            window = tf.cond(
                tf.random.uniform([]) < 0.5,
                lambda: tf.image.flip_left_right(window),
                lambda: window,
            )
        if self.data_format == "channels_first":
            return tf.transpose(window, perm=[2, 0, 1])
        return window
""",
    ),
]


# Round 4 (issue 23): written blind on 2026-12-07 by a helper session, from the chapters'
# contracts, hints and prose, model.py, contracts.py, preprocessing.py, training.py and the
# course outline, without reading the checks, their tests or the earlier rounds' answers,
# and committed before their first run.
ANSWERS += [
    dict(
        verdict="wrong",
        mistake=(
            "it crops first and resizes afterwards: the largest square of the original "
            "photograph is cut out and then resized to resize_dim, so the window covers "
            "the whole shorter side instead of a resize_dim window of the image scaled to "
            "min_aspect_dim"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def preprocess(self, image, is_training):
        image = tf.cast(image, tf.float32)
        height, width, channels = tf.unstack(tf.shape(image))
        side = tf.minimum(height, width)
        if is_training:
            square = tf.image.random_crop(image, tf.stack([side, side, channels]))
            square = tf.image.random_flip_left_right(square)
        else:
            top = (height - side) // 2
            left = (width - side) // 2
            square = image[top : top + side, left : left + side, :]
        cropped = tf.image.resize(square, [self.resize_dim, self.resize_dim], antialias=True)
        if self.data_format == "channels_first":
            cropped = tf.transpose(cropped, [2, 0, 1])
        return cropped
""",
        round=4,
    ),
    dict(
        verdict="wrong",
        mistake=(
            "for channels_first the crop is reshaped to (channels, height, width) instead "
            "of transposed, which scrambles the pixels across the channels instead of "
            "moving the channel axis first"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def preprocess(self, image, is_training):
        image = tf.cast(image, tf.float32)
        height, width, channels = tf.unstack(tf.shape(image))
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
            cropped = tf.reshape(cropped, [channels, self.resize_dim, self.resize_dim])
        return cropped
""",
        round=4,
    ),
    dict(
        verdict="wrong",
        mistake=(
            "the random left-right flip comes after the if, for both modes, so evaluation "
            "images are mirrored at random too and the same image does not always give "
            "the same output"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def preprocess(self, image, is_training):
        image = tf.cast(image, tf.float32)
        height, width, channels = tf.unstack(tf.shape(image))
        new_height, new_width = resized_shape(height, width, self.min_aspect_dim)
        size = tf.cast(tf.stack([new_height, new_width]), tf.int32)
        resized = tf.image.resize(image, size, antialias=True)
        crop = self.resize_dim
        if is_training:
            out = tf.image.random_crop(resized, [crop, crop, channels])
        else:
            top = (new_height - crop) // 2
            left = (new_width - crop) // 2
            out = resized[top : top + crop, left : left + crop, :]
        out = tf.image.random_flip_left_right(out)
        if self.data_format == "channels_first":
            out = tf.transpose(out, [2, 0, 1])
        return out
""",
        round=4,
    ),
    dict(
        verdict="wrong",
        mistake=(
            "the new size is handed to tf.image.resize as (width, height), so every "
            "non-square photograph is stretched: a landscape image comes out with portrait "
            "proportions"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def preprocess(self, image, is_training):
        image = tf.cast(image, tf.float32)
        height, width, channels = tf.unstack(tf.shape(image))
        new_height, new_width = resized_shape(height, width, self.min_aspect_dim)
        size = tf.cast(tf.stack([new_width, new_height]), tf.int32)
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
""",
        round=4,
    ),
    dict(
        verdict="correct",
        mistake=(
            "the centre window with tf.image.crop_to_bounding_box, its corner computed "
            "from the resized image's own shape; the crop size as a tf.stack; the "
            "transpose with perm="
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def preprocess(self, image, is_training):
        image = tf.cast(image, tf.float32)
        height, width, channels = tf.unstack(tf.shape(image))
        target_height, target_width = resized_shape(height, width, self.min_aspect_dim)
        resized = tf.image.resize(
            image,
            tf.cast(tf.stack([target_height, target_width]), tf.int32),
            antialias=True,
        )
        side = self.resize_dim
        if is_training:
            window = tf.image.random_crop(resized, tf.stack([side, side, channels]))
            window = tf.image.random_flip_left_right(window)
        else:
            resized_height = tf.shape(resized)[0]
            resized_width = tf.shape(resized)[1]
            window = tf.image.crop_to_bounding_box(
                resized,
                offset_height=(resized_height - side) // 2,
                offset_width=(resized_width - side) // 2,
                target_height=side,
                target_width=side,
            )
        if self.data_format == "channels_first":
            window = tf.transpose(window, perm=[2, 0, 1])
        return window
""",
        round=4,
    ),
]
