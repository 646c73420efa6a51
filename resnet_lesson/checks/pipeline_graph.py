"""What a ``tf.data`` pipeline's dataflow graph shows about it (chapter 11's check asks
whether the learner's pipeline prefetches, and whether it prefetches whole batches).

tf.data offers no public way to read a dataset's graph: ``_as_serialized_graph`` is the
one TensorFlow's own tools use, so every answer here may be None (cannot be told).
"""

import tensorflow as tf


def _graph(dataset):
    """The pipeline's dataflow graph (None when it cannot be read)."""
    try:
        graph = tf.compat.v1.GraphDef()
        graph.ParseFromString(dataset._as_serialized_graph().numpy())
    except Exception:
        return None
    return graph


def prefetches(dataset):
    """Whether the pipeline has a prefetch step (None when that cannot be told)."""
    graph = _graph(dataset)
    if graph is None:
        return None
    ops = {node.op for node in graph.node}
    ops |= {node.op for function in graph.library.function for node in function.node_def}
    return any("Prefetch" in op for op in ops)


def prefetches_batches(dataset):
    """Whether some prefetch step reads the batches (a batching step lies upstream of
    it); None when the graph cannot be read or shows no batching step."""
    graph = _graph(dataset)
    if graph is None:
        return None
    nodes = {node.name: node for node in graph.node}
    if not any("Batch" in node.op for node in nodes.values()):
        return None

    def upstream(name, seen):
        for source in nodes[name].input:
            source = source.lstrip("^").split(":")[0]
            if source in nodes and source not in seen:
                seen.add(source)
                upstream(source, seen)
        return seen

    return any(
        any("Batch" in nodes[source].op for source in upstream(node.name, set()))
        for node in nodes.values()
        if "Prefetch" in node.op
    )
