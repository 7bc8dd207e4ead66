"""How a graded call ended: the ``status`` of each outcome that the kernel side (the sealed runs)
sends and the judge decides. Imported by both sides, and by the sandboxed processes from their
copy of the core: it imports nothing."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """An outcome's ``status``; its value is what crosses the wire."""

    RETURNED = "returned"
    """the call returned; the outcome's ``value`` is the encoded answer"""
    MISSING = "missing"
    """the submission does not define the function"""
    NOT_IMPLEMENTED = "not_implemented"
    """the function raised NotImplementedError (the stub)"""
    TIMEOUT = "timeout"
    """the call ran past the time limit"""
    MEMORY = "memory"
    """the call ran out of memory"""
    FORBIDDEN = "forbidden"
    """the call used what grading refuses (TensorFlow, switching off the checks, a process)"""
    EXITED = "exited"
    """the call stopped its process (sys.exit, os._exit, a signal)"""
    CHANGED_ARGUMENTS = "changed_arguments"
    """the call changed the arrays it was given"""
    RAISED = "raised"
    """the call raised; the outcome's ``detail`` is ``"Type: message"``"""
