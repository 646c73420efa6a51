"""Chapter 4's figure: activation histograms before and after a normalization."""

import matplotlib.pyplot as plt
import numpy as np


def activation_histograms(before, after, channels=(0, 1, 2), title_before="", title_after=""):
    """Histograms of a few channels' activations, before and after a normalization.

    ``before`` and ``after`` are arrays of shape (values, channels).
    """
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2))
    for ax, values, title in ((axes[0], before, title_before), (axes[1], after, title_after)):
        low, high = np.percentile(values[:, list(channels)], [0.5, 99.5])
        bins = np.linspace(low, high, 50)
        for channel in channels:
            ax.hist(
                values[:, channel], bins=bins, alpha=0.5, density=True, label=f"channel {channel}"
            )
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("activation value")
    axes[0].set_ylabel("density")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    return fig
