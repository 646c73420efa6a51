"""A sandbox for grading one submission: no network, resource limits, its own user.

``resnet-lesson grade-class`` grades each submission in a child of a warm grader process
(grade_class/warm_grader.py), which calls :func:`enter` before it reads the notebook;
:func:`command` runs any other program the same way (this file as a script, run by the
same Python with ``-I -S``, standard library only, then ``exec``). :func:`enter`:

1. sets resource limits that the grader and the kernel inherit: address space
   (``RLIMIT_AS``: a memory hog gets ``MemoryError``), CPU seconds (``RLIMIT_CPU``), file
   size (``RLIMIT_FSIZE``) and, when it can give the submission a user of its own,
   processes (``RLIMIT_NPROC``, which Linux counts per user and never enforces for root);
2. enters new network, PID and mount namespaces (``unshare(2)``; as root directly,
   otherwise inside a new user namespace that maps the caller to root). The network
   namespace has only the loopback device, brought up here, so the grader still talks to
   its kernel while any other address is unreachable. The grader is the PID namespace's
   first process, with its own ``/proc``: after each cell it ends every process but the
   kernel (:func:`end_other_processes`, called by ``execute.ExecuteWithTimeoutBudget``),
   and when it ends, Linux kills every process the notebook left behind (forks included);
3. as root, switches to a user id of its own for this submission, which owns nothing of
   the course: the course files and the gradebook are read-only to it, and its process
   limit is shared with no other submission. When this Python or the course sits in a
   folder other users may not enter (a Python under ``/root``), that user keeps one
   capability, ``CAP_DAC_READ_SEARCH``: it may read any file, still write none of root's;
4. asks Linux to kill it when the process that started it dies (``PR_SET_PDEATHSIG``),
   so killing ``grade-class`` (even with ``kill -9``) leaves no grader running.

Where the system refuses a namespace (a container without user namespaces), the grader
runs without it and :func:`probe` says what is missing; grade-class prints that.
"""

import ctypes
import json
import os
import resource
import signal
import subprocess
import sys

CLONE_NEWNS = 0x00020000
MS_REC, MS_PRIVATE = 0x4000, 0x40000
MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x2, 0x4, 0x8
# The kernel's own process limit, below the grader's: a kernel that forks without end
# leaves the grader room to go on (kernel.py lowers its soft limit to this).
KERNEL_PROCESSES_VARIABLE = "RESNET_LESSON_KERNEL_PROCESSES"
KERNEL_PROCESS_HEADROOM = 128
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1
PR_SET_KEEPCAPS = 8
PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE = 47, 2
CAP_DAC_READ_SEARCH = 2
LINUX_CAPABILITY_VERSION_3 = 0x20080522
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1

GIB = 1 << 30
# Generous for an honest chapter (TensorFlow reserves about 1.5 GiB of address space at
# import; the training chapter stays under 4 GiB), far below what a hog would take.
DEFAULT_LIMITS = {
    "memory_bytes": 8 * GIB,
    "cpu_seconds": 1800,
    "processes": 512,  # threads count too: TensorFlow starts one pool per core
    "file_bytes": 256 << 20,
}
FIRST_SANDBOX_UID = 1_000_000  # far above any real account


def sandbox_uid(key):
    """A user id of its own for one submission (``key``: e.g. student/chapter/hash)."""
    import hashlib

    return FIRST_SANDBOX_UID + int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % 1_000_000


def sandbox_spec(limits=None, uid=None, network="isolate"):
    """What :func:`enter` needs. ``network``: "isolate", "require" (fail without a network
    namespace; used by :func:`probe`) or "off" (no namespaces)."""
    return {"limits": {**DEFAULT_LIMITS, **(limits or {})}, "uid": uid, "network": network}


def command(argv, limits=None, uid=None, network="isolate"):
    """``argv`` wrapped in the sandbox (this file run as a script, then ``exec``)."""
    spec = sandbox_spec(limits, uid, network)
    return [sys.executable, "-I", "-S", os.path.abspath(__file__), json.dumps(spec), "--", *argv]


_probed = {}


def probe():
    """What the sandbox gives on this machine, as (network isolated?, a sentence).

    Tried once per process by running ``true`` in a sandbox that requires namespaces.
    """
    if "result" not in _probed:
        uid = FIRST_SANDBOX_UID if os.geteuid() == 0 else None
        done = subprocess.run(
            command(["/bin/true"], uid=uid, network="require"), capture_output=True, text=True
        )
        if done.returncode == 0:
            who = "a user of its own" if uid is not None else "the caller's user (not root)"
            _probed["result"] = (
                True,
                f"each submission runs without network, with rlimits, as {who}",
            )
        else:
            reason = done.stderr.strip().splitlines()[-1:] or ["unknown reason"]
            _probed["result"] = (
                False,
                "the network is NOT isolated here: this system refused a network "
                f"namespace ({reason[0]}); rlimits still apply",
            )
    return _probed["result"]


def kill_user(uid):
    """Kill every process of a sandbox user (root only): what a grader left behind."""
    if uid is None or os.geteuid() != 0:
        return
    subprocess.run(
        [sys.executable, "-I", "-S", os.path.abspath(__file__), "--kill-user", str(uid)],
        capture_output=True,
    )


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _unshare(flags):
    if _libc().unshare(flags) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"unshare: {os.strerror(error)}")


def _loopback_up():
    import fcntl
    import socket
    import struct

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sh", b"lo", 0)
        flags = struct.unpack("16sh", fcntl.ioctl(sock, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sh", b"lo", flags | IFF_UP))


def _enter_namespaces(root):
    uid, gid = os.getuid(), os.getgid()
    _unshare(CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWNS | (0 if root else CLONE_NEWUSER))
    if not root:  # map ourselves to root in the new user namespace, so we may set up lo
        for name, text in (
            ("setgroups", "deny"),
            ("uid_map", f"0 {uid} 1"),
            ("gid_map", f"0 {gid} 1"),
        ):
            with open(f"/proc/self/{name}", "w") as handle:
                handle.write(text)
    _loopback_up()


def _mount_own_proc():
    """In the new mount namespace: a /proc that shows this PID namespace only."""
    libc = _libc()
    if libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        raise OSError(ctypes.get_errno(), "mount --make-rprivate /")
    if libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None) != 0:
        raise OSError(ctypes.get_errno(), "mount proc")


def _set_limits(limits, own_user):
    pairs = [
        (resource.RLIMIT_AS, limits["memory_bytes"]),
        (resource.RLIMIT_CPU, limits["cpu_seconds"]),
        (resource.RLIMIT_FSIZE, limits["file_bytes"]),
    ]
    if own_user:
        pairs.append((resource.RLIMIT_NPROC, limits["processes"]))
        os.environ[KERNEL_PROCESSES_VARIABLE] = str(
            max(limits["processes"] - KERNEL_PROCESS_HEADROOM, limits["processes"] // 2)
        )
    for which, value in pairs:
        resource.setrlimit(which, (value, value))


def _needs_read_access():
    """Whether another user could not reach this Python or the course (e.g. under /root)."""
    here = os.path.dirname(os.path.abspath(__file__))
    for target in (os.path.realpath(sys.executable), here):
        folder = os.path.dirname(target)
        while True:
            if not os.stat(folder).st_mode & 0o001:  # no "x" for others
                return True
            if folder == "/":
                break
            folder = os.path.dirname(folder)
    return False


def _become(uid):
    """Switch to ``uid``, keeping only CAP_DAC_READ_SEARCH when it is needed."""
    keep = _needs_read_access()
    libc = _libc()
    if keep:
        libc.prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0)
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    if keep:
        header = (ctypes.c_uint32 * 2)(LINUX_CAPABILITY_VERSION_3, 0)
        bit = 1 << CAP_DAC_READ_SEARCH
        data = (ctypes.c_uint32 * 6)(bit, bit, bit, 0, 0, 0)  # effective, permitted, inheritable
        if libc.capset(header, data) != 0:
            raise OSError(ctypes.get_errno(), "capset")
        if libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_DAC_READ_SEARCH, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAP_AMBIENT_RAISE)")


def die_with_parent():
    _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def enter(spec):
    """Enter the sandbox ``spec`` describes (see :func:`command`).

    Returns in the process that is to run the grader: the first process of the new PID
    namespace, with the limits set and, as root, the sandbox user's id. The process that
    called it becomes that process's parent: it waits, then ends with its exit status.
    """
    root = os.geteuid() == 0
    uid = spec["uid"] if root else None
    die_with_parent()
    namespaces = spec["network"] != "off"
    if namespaces:
        try:
            _enter_namespaces(root)
        except OSError as error:
            if spec["network"] == "require":
                print(f"no network namespace: {error}", file=sys.stderr, flush=True)
                os._exit(125)
            namespaces = False
    _set_limits(spec["limits"], own_user=uid is not None)
    pid = os.fork() if namespaces else 0  # the child is the PID namespace's first process
    if pid:
        signal.signal(signal.SIGTERM, lambda *_: os.kill(pid, signal.SIGKILL))
        _, status = os.waitpid(pid, 0)
        os._exit(os.waitstatus_to_exitcode(status) % 256)
    if namespaces:
        _mount_own_proc()
    if uid is not None:
        _become(uid)
    die_with_parent()  # changing user cleared it


# -- inside the sandbox: ending what a notebook left running -----------------------------


def is_first_process():
    """Whether this process is its PID namespace's first (the sandboxed grader)."""
    return os.getpid() == 1


def end_other_processes(keep):
    """As the PID namespace's first process: kill every process but this one and ``keep``
    (the kernel), e.g. what a forking cell left running, then collect them."""
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) not in (1, keep):
            try:
                os.kill(int(entry), signal.SIGKILL)
            except OSError:
                pass
    reap_orphans(keep=keep)


def end_every_process():
    """As the PID namespace's first process: kill every other process, then collect them."""
    try:
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass
    reap_orphans()


def reap_orphans(keep=None, seconds=10):
    """As the PID namespace's first process, after killing: wait until the killed are gone
    and collect those handed to us (a dead process counts against the user's process
    limit until its parent collects it)."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
        alive = []
        for entry in os.listdir("/proc"):
            if entry.isdigit() and int(entry) not in (1, keep):
                try:
                    with open(f"/proc/{entry}/stat") as stat:
                        state = stat.read().rsplit(")", 1)[1].split()[0]
                except OSError:
                    continue
                if state != "Z":
                    alive.append(entry)
        if not alive:
            return
        time.sleep(0.05)


if __name__ == "__main__":
    if sys.argv[1] == "--kill-user":
        os.setgid(int(sys.argv[2]))
        os.setuid(int(sys.argv[2]))
        os.kill(-1, signal.SIGKILL)  # every process of this user but this one
        sys.exit(0)
    separator = sys.argv.index("--")
    argv = sys.argv[separator + 1 :]
    enter(json.loads(sys.argv[1]))
    os.execvpe(argv[0], argv, os.environ)
