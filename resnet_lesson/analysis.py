"""Chapter 9: measure a built ResNet and hold it against the paper's Table 1.

Everything here reads a *built* functional ``keras.Model`` (for instance from
:func:`resnet_lesson.build_resnet`): the shapes Keras inferred while building it and
the kernels it created. Nothing is copied from the paper except the reference
numbers below, which exist to be compared with.
"""

import math
import re

import keras

from resnet_lesson.model import ResNetModel, build_resnet

# With the model's other variants; chapter 9 calls it as analysis.StrideOnSqueezeResNetModel.
from resnet_lesson.model_variants import StrideOnSqueezeResNetModel  # noqa: F401

# He et al. (2016a), Table 1: multiply-adds ("FLOPs") of one 224x224 image, in units
# of 10**9. ResNet-200 comes from the identity-mappings paper, which gives no count.
PAPER_GFLOPS = {18: 1.8, 34: 3.6, 50: 3.8, 101: 7.6, 152: 11.3}
# The widely cited parameter counts (1000 classes), in millions. They are not from the
# paper, which gives FLOPs only: they are what later implementations count for their
# builds (torchvision's ResNets; Keras's ResNet50 also has 25.6M).
CITED_PARAMS_MILLIONS = {18: 11.7, 34: 21.8, 50: 25.6, 101: 44.5, 152: 60.2}
# The exact counts behind them: torchvision's ResNets (v1, convs without bias), as its
# model documentation lists them ("num_params" of the IMAGENET1K_V1 weights).
TORCHVISION_PARAMS = {
    18: 11_689_512,
    34: 21_797_672,
    50: 25_557_032,
    101: 44_549_160,
    152: 60_192_808,
}
PAPER_DEPTHS = tuple(sorted(PAPER_GFLOPS))

_BLOCK_LAYER_SCOPE = re.compile(r"^(block_layer\d+)/")


# Shapes ------------------------------------------------------------------------
def data_format_of(model):
    """The data format of the model's convolutions (all of them share one)."""
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D):
            return layer.data_format
    raise ValueError(f"model {model.name!r} has no Conv2D layer")


def _spatial_size(shape, data_format):
    """(height, width) of a batched 4-D shape."""
    if data_format == "channels_first":
        return tuple(shape[2:4])
    return tuple(shape[1:3])


def _weight_scope(operation):
    """The ``block_layerN`` an operation's weights live in ('' for none of them),
    or None when the operation has no weights.

    ``keras.name_scope`` prefixes *variable paths*, not layer names, so the path of
    a layer's first weight is what tells which block layer created it.
    """
    weights = getattr(operation, "weights", None) or []
    if not weights:
        return None
    match = _BLOCK_LAYER_SCOPE.match(weights[0].path)
    return match.group(1) if match else ""


def _inputs(operation):
    if isinstance(operation, keras.layers.InputLayer):
        return []
    return keras.tree.flatten(operation.input)


def block_layer_outputs(model):
    """``{'block_layer1': tensor, ...}``: the symbolic output of each block layer.

    Walks the functional graph. Operations without weights (ReLU, padding, the
    ``+`` of a shortcut) belong to the block layer their inputs come from. A block
    layer's output is the one tensor it produces that something outside it reads.
    """
    scope_of_tensor = {}
    members = {}
    for operation in model.operations:  # Keras keeps them in topological order.
        scope = _weight_scope(operation)
        if scope is None:
            input_scopes = [scope_of_tensor.get(id(t)) for t in _inputs(operation)]
            input_scopes = [s for s in input_scopes if s]
            # An op reading two block layers (none does in a ResNet) joins the later.
            scope = max(input_scopes, key=_block_index, default="")
        if scope:
            members.setdefault(scope, []).append(operation)
            scope_of_tensor[id(operation.output)] = scope

    readers = {}
    for operation in model.operations:
        for tensor in _inputs(operation):
            readers.setdefault(id(tensor), []).append(operation)
    model_outputs = {id(t) for t in keras.tree.flatten(model.outputs)}

    outputs = {}
    for scope, operations in members.items():
        leaving = [
            op.output
            for op in operations
            if id(op.output) in model_outputs
            or any(
                _scope_of_op(r, scope_of_tensor) != scope for r in readers.get(id(op.output), [])
            )
        ]
        if len(leaving) != 1:
            raise ValueError(f"expected one output of {scope}, found {len(leaving)}")
        outputs[scope] = leaving[0]
    return dict(sorted(outputs.items(), key=lambda item: _block_index(item[0])))


def _scope_of_op(operation, scope_of_tensor):
    return scope_of_tensor.get(id(operation.output))


def _block_index(scope):
    return int(scope[len("block_layer") :])


def feature_map_sizes(model):
    """``{name: (height, width)}`` after ``conv_initial``, ``pool_initial`` and each
    ``block_layerN``, in that order, as Keras inferred them while building.

    At 224x224: 112, 56, then 56, 28, 14, 7 for the four block layers.
    """
    data_format = data_format_of(model)
    sizes = {}
    for name in ("conv_initial", "pool_initial"):
        sizes[name] = _spatial_size(model.get_layer(name).output.shape, data_format)
    for scope, tensor in block_layer_outputs(model).items():
        sizes[scope] = _spatial_size(tensor.shape, data_format)
    return sizes


# Counts ------------------------------------------------------------------------
def multiply_adds_by_layer(model):
    """``[(layer name, multiply-adds)]`` for every Conv2D and Dense layer, per image.

    Each output value of a Conv2D is a dot product over ``kh * kw * in_channels``
    kernel weights, one multiply-add each; a Dense output over ``in_features``.
    Both are ``prod(kernel.shape[:-1])`` per output value (the kernel's last axis
    is the output channels). Batch norm, ReLU, pooling and the shortcut additions
    are left out, as in the paper, and so are biases.
    """
    counts = []
    for layer in model.layers:
        if not isinstance(layer, (keras.layers.Conv2D, keras.layers.Dense)):
            continue
        output_shape = layer.output.shape[1:]
        if any(dim is None for dim in output_shape):
            raise ValueError(
                f"layer {layer.name!r} has output shape {layer.output.shape}: build the "
                "model for a fixed image size to count multiply-adds"
            )
        per_output = math.prod(layer.kernel.shape[:-1])
        counts.append((layer.name, math.prod(output_shape) * per_output))
    return counts


def count_multiply_adds(model):
    """Multiply-adds of one image through all Conv2D and Dense layers."""
    return sum(count for _, count in multiply_adds_by_layer(model))


def count_parameters(model, trainable_only=False):
    """Number of weights. By default all of them, as ``model.count_params()`` and
    ``keras.applications`` report it, batch norm's moving statistics included."""
    weights = model.trainable_weights if trainable_only else model.weights
    return sum(math.prod(w.shape) for w in weights)


def layer_costs(model):
    """One dict per Conv2D and Dense layer, in the order they were built: ``scope``
    (the name scope of its kernel, such as ``block_layer2/bottleneck_block0``; ``''``
    for the stem and the logits), ``kernel`` (the kernel's shape, output channels
    last), ``output_size`` (height, width; ``()`` for the dense layer) and
    ``multiply_adds``, counted as in :func:`multiply_adds_by_layer`."""
    data_format = data_format_of(model)
    layers = [
        layer
        for layer in model.layers
        if isinstance(layer, (keras.layers.Conv2D, keras.layers.Dense))
    ]
    costs = []
    for layer, (name, multiply_adds) in zip(layers, multiply_adds_by_layer(model)):
        is_conv = isinstance(layer, keras.layers.Conv2D)
        costs.append(
            dict(
                name=name,
                scope=layer.kernel.path.rpartition("/")[0].rpartition("/")[0],
                kernel=tuple(layer.kernel.shape),
                output_size=_spatial_size(layer.output.shape, data_format) if is_conv else (),
                multiply_adds=multiply_adds,
            )
        )
    return costs


def _identity_shaped_projections(model):
    """The 1x1 convs whose output goes straight into an addition (shortcut projections)
    and has the shape of their input: an identity shortcut would have done their job.

    A bottleneck's last 1x1 conv also feeds the addition, but it widens the map by 4;
    a regular block's last conv is 3x3.
    """
    added = set()
    for operation in model.operations:
        if type(operation).__name__ == "Add":  # the `+` of a block
            added.update(id(tensor) for tensor in _inputs(operation))
    return [
        layer
        for layer in model.layers
        if isinstance(layer, keras.layers.Conv2D)
        and tuple(layer.kernel_size) == (1, 1)
        and id(layer.output) in added
        and tuple(layer.input.shape[1:]) == tuple(layer.output.shape[1:])
    ]


def parameter_breakdown(model):
    """What separates a built v2 ResNet's parameter count from a v1 count such as
    torchvision's (:data:`TORCHVISION_PARAMS`). Returns a dict of counts:

    - ``total``: every weight, as :func:`count_parameters` counts them;
    - ``moving_statistics``: batch norm's moving mean and variance. They are not
      trained, but Keras counts them (PyTorch keeps them as buffers, not parameters);
    - ``identity_shaped_projections``: the kernels of 1x1 projection shortcuts whose
      output has the shape of their input (ResNet-18/34's first block, which the
      course projects and a v1 network with identity shortcuts where shapes match
      does not);
    - ``batch_norm_v2``: gamma and beta of the model's batch norms, one before every
      conv of a block (on the block's input for the first), one in the head;
    - ``batch_norm_v1``: gamma and beta of v1's layout, a batch norm right after
      every conv (the stem and the projections included), for the same convs less
      the identity-shaped projections;
    - ``v1_count``: ``total`` less the moving statistics and the identity-shaped
      projections, with v1's batch norms in place of v2's.
    """
    batch_norms = [
        layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)
    ]
    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    extra = _identity_shaped_projections(model)
    counts = dict(
        total=count_parameters(model),
        moving_statistics=sum(
            math.prod(w.shape) for layer in batch_norms for w in layer.non_trainable_weights
        ),
        identity_shaped_projections=sum(
            math.prod(w.shape) for layer in extra for w in layer.weights
        ),
        batch_norm_v2=sum(
            math.prod(w.shape) for layer in batch_norms for w in layer.trainable_weights
        ),
        batch_norm_v1=2 * sum(layer.filters for layer in convs if layer not in extra),
    )
    counts["v1_count"] = (
        counts["total"]
        - counts["moving_statistics"]
        - counts["identity_shaped_projections"]
        - counts["batch_norm_v2"]
        + counts["batch_norm_v1"]
    )
    return counts


# The comparison with the paper ---------------------------------------------------
def measure(
    num_layers,
    image_size=224,
    num_classes=1000,
    data_format="channels_last",
    model_class=ResNetModel,
):
    """Build one model and return its row: depth, sizes and counts, paper values."""
    model = build_resnet(
        num_layers, image_size, num_classes, data_format=data_format, model_class=model_class
    )
    params = count_parameters(model)
    multiply_adds = count_multiply_adds(model)
    costs = layer_costs(model)
    breakdown = parameter_breakdown(model)
    cited_params = CITED_PARAMS_MILLIONS.get(num_layers)
    paper_gflops = PAPER_GFLOPS.get(num_layers)
    return {
        "depth": num_layers,
        "image_size": image_size,
        "feature_map_sizes": feature_map_sizes(model),
        "params": params,
        "multiply_adds": multiply_adds,
        "layer_costs": costs,
        "parameter_breakdown": breakdown,
        "cited_params": None if cited_params is None else round(cited_params * 1e6),
        "torchvision_params": TORCHVISION_PARAMS.get(num_layers),
        "paper_multiply_adds": None if paper_gflops is None else round(paper_gflops * 1e9),
    }


def relative_difference(measured, reference):
    """``(measured - reference) / reference``, or None without a reference."""
    if reference is None:
        return None
    return (measured - reference) / reference


def paper_table(depths=PAPER_DEPTHS, image_size=224, num_classes=1000, data_format="channels_last"):
    """One row per depth (see :func:`measure`), plus the relative differences
    ``params_vs_cited`` and ``multiply_adds_vs_paper``. Builds every model once and
    keeps only the numbers, so deep models do not pile up in memory."""
    rows = []
    for depth in depths:
        row = measure(depth, image_size, num_classes, data_format)
        keras.backend.clear_session()
        row["params_vs_cited"] = relative_difference(row["params"], row["cited_params"])
        row["multiply_adds_vs_paper"] = relative_difference(
            row["multiply_adds"], row["paper_multiply_adds"]
        )
        rows.append(row)
    return rows


# The blocks of a built network (chapter 8) ------------------------------
_BLOCK_SCOPE = re.compile(r"(?:^|/)(block_layer(\d+))/((regular|bottleneck)_block(\d+))/")


def _block_of(operation):
    """``(block layer number, block number, kind)`` of an operation with weights, or None."""
    weights = getattr(operation, "weights", None) or []
    if not weights:
        return None
    match = _BLOCK_SCOPE.search(weights[0].path)
    if not match:
        return None
    return int(match.group(2)), int(match.group(5)), match.group(4)


def blocks_of(model):
    """One dict per block of a built network, in order: ``block_layer``, ``block``,
    ``kind``, ``projection`` (whether its shortcut is a conv) and ``output_shape``.

    A block is found from its weights' name scopes (``block_layerN/regular_blockK/``).
    Operations without weights (ReLU, padding, the ``+``) belong to the latest block
    among their inputs, so a block's output is the last operation that belongs to it.
    """
    block_of_tensor = {}
    order = []
    members = {}
    for operation in model.operations:  # Keras keeps them in topological order
        block = _block_of(operation)
        if block is None and not getattr(operation, "weights", None):
            inputs = (
                []
                if isinstance(operation, keras.layers.InputLayer)
                else keras.tree.flatten(operation.input)
            )
            known = [block_of_tensor[id(t)] for t in inputs if id(t) in block_of_tensor]
            block = max(known, key=order.index, default=None)
        if block is None:
            continue
        if block not in members:
            order.append(block)
            members[block] = []
        members[block].append(operation)
        block_of_tensor[id(operation.output)] = block

    found = []
    for block in order:
        convs = [op for op in members[block] if isinstance(op, keras.layers.Conv2D)]
        branch_convs = 2 if block[2] == "regular" else 3
        found.append(
            dict(
                block_layer=block[0],
                block=block[1],
                kind=block[2],
                projection=len(convs) > branch_convs,
                output_shape=tuple(members[block][-1].output.shape[1:]),
            )
        )
    return found
