"""``resnet-lesson bench``: measure the course against its peers, side by side.

Four parts (``--only PART``, repeatable, picks; all four run by default):

``model`` (:mod:`.model`, :mod:`.peers`)
    Training and inference throughput (images/s) of the course's ResNet-50 against the
    same network built with keras_hub (the main peer: equal parameter count and
    multiply-adds, checked before anything is timed) and against
    ``keras.applications.ResNet50V2`` (another architecture, compared per multiply-add).
``grading`` (:mod:`.grading`)
    Seconds to autograde one chapter and the whole course for one learner, against
    nbgrader's floor: its bare cost on a notebook with one trivial graded cell.
``course`` (:mod:`.course`)
    Seconds to execute every solution notebook and chapter 11's time to its target.
``checks`` (:mod:`.check_accuracy`)
    How the exercise checks judge held-out answers (``benchmarks/held_out_answers/``):
    wrong ones missed, named, located or given the generic sentence; correct ones
    accepted or rejected. Counts, not timings.

Every timed part alternates its sides round by round (:mod:`.stats`) so a machine loaded by
other work slows them alike. :mod:`.command` holds the options. Nothing in the tests
asserts a timing.
"""
