"""Chapter 11's training, timed to the course's target: 98% on the digits' test part.

Same setup as the chapter ("cpu-digits" from ``resnet_lesson.training``: data, model,
pipeline, Adam with the cosine schedule over the full epoch budget, seed 0), but after
each epoch the test part is evaluated and training stops as soon as the target is met.
The evaluation time is kept off the clock. Prints one line ``BENCH-JSON {...}``.

    python benchmarks/time_to_target.py [--setup cpu-digits] [--target 0.98]
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", default="cpu-digits")
    parser.add_argument("--target", type=float, default=0.98)
    parser.add_argument(
        "--max-epochs", type=int, default=None, help="default: the setup's own epoch budget"
    )
    args = parser.parse_args(argv)

    import keras

    from resnet_lesson import training

    name, settings = training.resolve_setup(args.setup)
    if settings["mixed_precision"]:
        keras.mixed_precision.set_global_policy("mixed_float16")
    keras.utils.set_random_seed(0)
    splits = training.load_splits(settings)
    resnet, model = training.build_model(settings)
    data = {
        part: training.make_dataset(
            split.images,
            split.labels,
            resnet.preprocess,
            settings["batch_size"],
            is_training=part == "train",
        )
        for part, split in (("train", splits.train), ("test", splits.test))
    }
    epochs = args.max_epochs or settings["epochs"]
    steps = int(data["train"].cardinality())
    training.compile_model(model, settings["learning_rate"], steps=epochs * steps)

    class StopAtTarget(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.start = None
            self.off_clock = 0.0
            self.curve = []
            self.reached = None

        def on_train_begin(self, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            trained = time.perf_counter() - self.start - self.off_clock
            t0 = time.perf_counter()
            _, accuracy = self.model.evaluate(data["test"], verbose=0)
            self.off_clock += time.perf_counter() - t0
            self.curve.append([epoch + 1, round(trained, 2), float(accuracy)])
            if accuracy >= args.target and self.reached is None:
                self.reached = {
                    "epoch": epoch + 1,
                    "seconds": trained,
                    "test_accuracy": float(accuracy),
                }
                self.model.stop_training = True

    stopper = StopAtTarget()
    model.fit(data["train"], epochs=epochs, verbose=0, shuffle=False, callbacks=[stopper])
    print(
        "BENCH-JSON "
        + json.dumps(
            {
                "setup": name,
                "target": args.target,
                "epoch_budget": epochs,
                "parameters": model.count_params(),
                "reached": stopper.reached,
                "curve": stopper.curve,
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
