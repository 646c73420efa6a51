"""grade-class's sandbox, results store and class layout (no TensorFlow: fast)."""

import os
import subprocess
import sys
import textwrap
import time

import pytest

from resnet_lesson.grading import isolation
from resnet_lesson.grading.grade_class.layout import find_submissions
from resnet_lesson.grading.grade_class.results_store import ResultsStore, write_atomically

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="an own user and NPROC need root")


def in_sandbox(code, tmp_path, **options):
    os.chmod(tmp_path, 0o777)
    return subprocess.run(
        isolation.command([sys.executable, "-I", "-c", textwrap.dedent(code)], **options),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_sandbox_has_no_network_but_loopback(tmp_path):
    isolated, sentence = isolation.probe()
    if not isolated:
        pytest.skip(sentence)
    done = in_sandbox(
        """
        import socket
        server = socket.create_server(("127.0.0.1", 0))  # loopback works: grader <-> kernel
        socket.create_connection(server.getsockname(), timeout=5).close()
        try:
            socket.create_connection(("93.184.216.34", 80), timeout=5)
        except OSError as error:
            print(error)
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "Network is unreachable" in done.stdout


def test_the_sandbox_sets_the_resource_limits(tmp_path):
    limits = {"memory_bytes": 2 << 30, "cpu_seconds": 77, "file_bytes": 1 << 20}
    done = in_sandbox(
        """
        import resource
        for name in ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_FSIZE"):
            print(resource.getrlimit(getattr(resource, name))[0])
        try:
            bytearray(4 << 30)
        except MemoryError:
            print("MemoryError")
        """,
        tmp_path,
        limits=limits,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(2 << 30), "77", str(1 << 20), "MemoryError"]


@needs_root
def test_as_root_the_sandbox_is_a_user_of_its_own_that_cannot_write_the_course(tmp_path):
    course_file = tmp_path / "gradebook.db"
    course_file.write_text("grades")
    os.chmod(course_file, 0o644)
    uid = isolation.sandbox_uid("alice/ch03/abc")
    done = in_sandbox(
        f"""
        import os, resource
        print(os.getuid(), resource.getrlimit(resource.RLIMIT_NPROC)[0])
        try:
            open({str(course_file)!r}, "w")
        except PermissionError:
            print("read-only")
        """,
        tmp_path,
        uid=uid,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(uid), "512", "read-only"]
    assert course_file.read_text() == "grades"


@needs_root
def test_a_fork_bomb_is_capped_and_nothing_outlives_the_sandbox(tmp_path):
    uid = isolation.sandbox_uid("frank/ch03/fork")
    done = in_sandbox(
        """
        import os, time
        children = 0
        try:
            while True:
                if os.fork() == 0:
                    time.sleep(600)
                    os._exit(0)
                children += 1
        except OSError as error:
            print(children, error.strerror)
        """,
        tmp_path,
        uid=uid,
        limits={"processes": 64},
    )
    assert done.returncode == 0, done.stderr
    count, reason = done.stdout.split(" ", 1)
    assert int(count) < 64 and "Resource temporarily unavailable" in reason
    time.sleep(0.5)
    left = subprocess.run(["ps", "-o", "pid=", "-u", str(uid)], capture_output=True, text=True)
    assert left.stdout.split() == []  # the PID namespace ended with its first process


def test_results_are_written_whole_or_not_at_all(tmp_path, monkeypatch):
    target = tmp_path / "a" / "result.json"
    write_atomically(target, "first")

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomically(target, "second")
    assert target.read_text() == "first"
    assert [p.name for p in target.parent.iterdir()] == ["result.json"]


def test_submissions_are_found_and_keyed_by_content(tmp_path):
    for student, text in (("alice", "1"), ("bob", "2"), (".ipynb_checkpoints", "3")):
        folder = tmp_path / "submitted" / student / "ch03_custom_padding"
        folder.mkdir(parents=True)
        (folder / "ch03_custom_padding.ipynb").write_text(text)
    found = find_submissions(tmp_path, ["ch03_custom_padding", "ch04_pre_activation"])
    assert [s.student for s in found] == ["alice", "bob"]
    store = ResultsStore(tmp_path)
    alice = found[0]
    assert store.result(alice) is None
    store.save_result(alice, {"score": 1})
    store.mark_imported(alice)
    assert store.result(alice) == {"score": 1} and store.imported(alice)
    (alice.path).write_text("changed")  # resubmitted: a new hash, nothing stored for it
    changed = find_submissions(tmp_path, ["ch03_custom_padding"])[0]
    assert store.result(changed) is None and not store.imported(changed)
