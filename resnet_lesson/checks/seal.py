"""The sealed answer of a check-your-understanding question (no TensorFlow: release uses it).

A released answer cell must not give its answer away, so it carries a *seal* instead of
the correct letter: the letter's salted hash, then the question's explanation encrypted
with a key made from the letter. :func:`unseal` opens it only with the right letter.
This hides the answer from a reader of the notebook, not from a learner who tries every
letter (running the cell allows that anyway); the hidden graded test is what counts.
"""

import base64
import hashlib

_SALT = "resnet-lesson check-your-understanding"
_TAG_BYTES = 12


def _key(question, letter, purpose):
    return hashlib.sha256(f"{_SALT}|{question}|{letter}|{purpose}".encode()).digest()


def _keystream(question, letter, size):
    return hashlib.shake_256(_key(question, letter, "explanation")).digest(size)


def seal(question, correct, explanation):
    """The text an answer cell carries for ``question``: the correct letter's salted
    hash, then the explanation encrypted with that letter (base64, deterministic)."""
    text = explanation.encode()
    hidden = bytes(a ^ b for a, b in zip(text, _keystream(question, correct, len(text))))
    return base64.b64encode(_key(question, correct, "tag")[:_TAG_BYTES] + hidden).decode()


def unseal(question, letter, sealed):
    """The explanation when ``letter`` is the correct answer, else None."""
    raw = base64.b64decode(sealed)
    tag, hidden = raw[:_TAG_BYTES], raw[_TAG_BYTES:]
    if tag != _key(question, letter, "tag")[:_TAG_BYTES]:
        return None
    return bytes(a ^ b for a, b in zip(hidden, _keystream(question, letter, len(hidden)))).decode()
