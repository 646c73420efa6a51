"""Every figure of the course, drawn by code, one module per subject.

- :mod:`.blocks`: block diagrams (one ``draw_block`` for chapters 4 to 7);
- :mod:`.padding`: where a conv's windows fall, with and without padding (chapter 3);
- :mod:`.activations`: activations before and after batch norm (chapter 4);
- :mod:`.architecture`: whole networks: blocks per layer, shapes, counts (chapters 2, 8, 9);
- :mod:`.experiments`: the measured experiments' curves (chapters 1 and 5);
- :mod:`.training`: learning curves, confusion matrix, predictions (chapter 11).
"""
